package hieradata

import (
	"fmt"
	"slices"
	"strings"

	"hoist/model"
	"hoist/value"
)

// Addresses. Neutron assigns them when the stack is created, so they are
// unknown values, unless the deployment fixes them the way TripleO's
// predictable IPs do (environments/ips-from-pool*.yaml, fixed-ip-vips.yaml):
// <Role>IPs: {<network>: [address of node 0, of node 1, ...], ctlplane: [...]}
// for the nodes, <Network>VirtualFixedIPs, PublicVirtualFixedIPs,
// ControlFixedIPs and RedisVirtualFixedIPs ([{ip_address: ...}]) for the
// virtual IPs.

// nodeIP is a node's address on a network (name_lower, or ctlplane). A
// role that is not on the network uses its ctlplane address there, as the
// role templates do.
func (b *builder) nodeIP(r *model.Role, n model.Node, net string) *value.Value {
	if net != "ctlplane" && !slices.Contains(b.roleNetworks(r), net) {
		net = "ctlplane"
	}
	param := r.Name + "IPs"
	if l := value.Get(b.d.Parameters[param], net); l != nil && l.Kind == value.List && n.Index < len(l.List) {
		if s := l.List[n.Index]; s.Kind == value.String && s.Str != "" {
			return s
		}
	}
	return unknown("the %s IP address of %s, assigned by Neutron when the node is deployed (%s.%s fixes it)", net, n.Hostname, param, net)
}

// vip is a network's virtual IP ("redis" for redis's).
func (b *builder) vip(net string) *value.Value {
	param := ""
	switch net {
	case "ctlplane":
		param = "ControlFixedIPs"
	case "redis":
		param = "RedisVirtualFixedIPs"
	default:
		for _, nw := range b.d.Networks {
			if nw.NameLower == net {
				param = nw.Name + "VirtualFixedIPs"
				if nw.Name == "External" {
					param = "PublicVirtualFixedIPs"
				}
			}
		}
		if param == "" {
			// Not a network of the deployment: Heat's get_param of a
			// missing key of NetVipMap gives ''.
			return value.Text("")
		}
	}
	if l := b.d.Parameters[param]; param != "" && l != nil && l.Kind == value.List && len(l.List) > 0 {
		if ip := value.Get(l.List[0], "ip_address"); ip != nil && ip.Kind == value.String && ip.Str != "" {
			return ip
		}
	}
	what := "the virtual IP of the " + net + " network"
	if net == "redis" {
		what = "the redis virtual IP"
	}
	return unknown("%s, assigned by Neutron when the stack is created (%s fixes it)", what, param)
}

// withPrefix is an address with its network's prefix length (the _subnet
// forms of net_ip_map).
func (b *builder) withPrefix(ip *value.Value, net string) *value.Value {
	if ip.Kind != value.String {
		return unknown("%s with its prefix length", ip.Str)
	}
	prefix := ""
	if net == "ctlplane" {
		prefix = value.Str(b.param("ControlPlaneSubnetCidr", "24"))
	} else {
		for _, nw := range b.d.Networks {
			if nw.NameLower == net {
				_, prefix, _ = strings.Cut(nw.IPSubnet, "/")
			}
		}
	}
	if prefix == "" {
		return unknown("the prefix length of the %s network (ip_subnet in network_data)", net)
	}
	return value.Text(fmt.Sprintf("%s/%s", ip.Str, prefix))
}

// uri is an address as written in URIs: IPv6 in brackets.
func uri(ip *value.Value) *value.Value {
	if ip.Kind != value.String {
		return unknown("%s (as written in URIs)", ip.Str)
	}
	if strings.Contains(ip.Str, ":") {
		return value.Text("[" + ip.Str + "]")
	}
	return ip
}
