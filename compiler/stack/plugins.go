package stack

import (
	"fmt"
	"net/netip"

	"hoist/compiler/hot"
	"hoist/source"
	"hoist/value"
)

// Networks are the networks that exist before the stack is created: the
// undercloud's provisioning network (ctlplane) and any other a deployment
// names by its existing Neutron network (by name or id). A port on one of
// them knows the network's subnets, which Heat shows in the port's
// network and subnets attributes.
type Networks map[string]Network

// Network is one existing network.
type Network struct {
	// Subnets are its subnets' CIDRs, in order.
	Subnets []string
}

// DefaultCtlplane is the provisioning network of an undercloud installed
// with undercloud.conf's defaults: the network "ctlplane", its subnet
// "ctlplane-subnet" with the cidr 192.168.24.0/24 (the CIDR the installer
// also sets as the network's tag, which stein's templates read).
var DefaultCtlplane = Network{Subnets: []string{"192.168.24.0/24"}}

// pluginAttr returns the attribute of a plugin resource (a Neutron
// resource, a server, ...) when it follows from the resource's properties
// and the networks that exist before the stack, ok false when only a live
// cloud knows it:
//   - OS::Neutron::Subnet cidr: its cidr property, normalised to the
//     network address as Neutron stores it;
//   - OS::Neutron::Port network.tags and subnets[i].cidr, for a port on an
//     existing network (Options.Networks): that network's subnet CIDRs,
//     which the undercloud installer also set as the network's tags.
func (s *Stack) pluginAttr(r *resource, attr string, path []*value.Value, call source.Range) (*value.Value, bool) {
	switch r.builtin {
	case "OS::Neutron::Subnet":
		if attr != "cidr" {
			return nil, false
		}
		cidr, ok := normalCIDR(r.props, "cidr")
		if !ok {
			return nil, false
		}
		return hot.SelectPath(value.NewString(cidr, call), path, call), true
	case "OS::Neutron::Port":
		net, ok := s.existingNetwork(r)
		if !ok || len(path) == 0 {
			return nil, false
		}
		switch {
		case attr == "network" && value.Str(path[0]) == "tags":
			tags := make([]*value.Value, len(net.Subnets))
			for i, c := range net.Subnets {
				tags[i] = value.NewString(c, call)
			}
			return hot.SelectPath(value.NewList(tags, call), path[1:], call), true
		case attr == "subnets" && len(path) >= 2 && value.Str(path[1]) == "cidr":
			i, ok := index(path[0])
			if !ok || i >= len(net.Subnets) {
				return nil, false
			}
			return hot.SelectPath(value.NewString(net.Subnets[i], call), path[2:], call), true
		}
	}
	return nil, false
}

// existingNetwork returns the existing network a port's network property
// names.
func (s *Stack) existingNetwork(r *resource) (Network, bool) {
	if value.KindOf(r.props) != value.Map || s.ctx.networks == nil {
		return Network{}, false
	}
	n, ok := r.props.Map.Get("network")
	if !ok || n.Kind != value.String {
		return Network{}, false
	}
	net, ok := s.ctx.networks[n.Str]
	return net, ok
}

func normalCIDR(props *value.Value, key string) (string, bool) {
	if value.KindOf(props) != value.Map {
		return "", false
	}
	v, ok := props.Map.Get(key)
	if !ok || v.Kind != value.String {
		return "", false
	}
	p, err := netip.ParsePrefix(v.Str)
	if err != nil {
		return "", false
	}
	return p.Masked().String(), true
}

func index(v *value.Value) (int, bool) {
	switch value.KindOf(v) {
	case value.Int:
		return int(v.Int), v.Int >= 0
	case value.String:
		var i int
		if _, err := fmt.Sscanf(v.Str, "%d", &i); err == nil && i >= 0 && fmt.Sprint(i) == v.Str {
			return i, true
		}
	}
	return 0, false
}
