package model

import (
	"slices"
	"strconv"
	"strings"

	"hoist/value"
)

// Node is one node of a role.
type Node struct {
	Hostname string
	Index    int
	// Bootstrap is true for the role's first node (bootstrap_nodeid of
	// the role's hieradata; in queens the node that runs the role's puppet
	// tasks).
	Bootstrap bool
}

// DefaultHostnameFormat is TripleO's hostname format for a role whose
// roles_data entry has no HostnameFormatDefault.
func DefaultHostnameFormat(role string) string {
	return "%stackname%-" + strings.ToLower(role) + "-%index%"
}

// Hostname is the hostname of a role's node index (0-based), as Heat named
// the servers: the format (DefaultHostnameFormat when "") with
// %stackname% and %index% replaced, looked up in the HostnameMap parameter
// (a mapping of generated names to wanted ones; nil for none), in lower
// case.
func Hostname(stack, format, role string, index int, hostnameMap *value.Value) string {
	if format == "" {
		format = DefaultHostnameFormat(role)
	}
	h := strings.ReplaceAll(format, "%stackname%", stack)
	h = strings.ReplaceAll(h, "%index%", strconv.Itoa(index))
	if v, ok := value.StringOf(value.Get(hostnameMap, h)); ok {
		h = v
	}
	return strings.ToLower(h)
}

// RoleNodes are the services of one role and its nodes' hostnames, in
// roles_data order, for ServiceBootstraps.
type RoleNodes struct {
	Services  []string
	Hostnames []string
}

// ServiceBootstraps returns each service's bootstrap node, services in
// order of first appearance: the first node of the first role (roles_data
// order) that runs the service and has nodes (queens to stein:
// <service>_short_bootstrap_node_name of all_nodes, overcloud.j2.yaml's
// short_service_bootstrap_node), or, when sorted, the first of all the
// service's nodes sorted by name (train: groups[service] | sort | first).
func ServiceBootstraps(roles []RoleNodes, sorted bool) (services []string, node map[string]string) {
	node = map[string]string{}
	for _, r := range roles {
		if len(r.Hostnames) == 0 {
			continue
		}
		for _, s := range r.Services {
			b, seen := node[s]
			if !seen {
				services = append(services, s)
				node[s] = r.Hostnames[0]
				b = r.Hostnames[0]
			}
			if !sorted {
				continue
			}
			for _, h := range r.Hostnames {
				if h < b {
					b = h
				}
			}
			node[s] = b
		}
	}
	return services, node
}

// PrimaryRole returns the index of the primary role among roles given by
// their tags (roles_data order): the first tagged both primary and
// controller, else the first role; -1 when there is none.
func PrimaryRole(tags [][]string) int {
	for i, t := range tags {
		if slices.Contains(t, "primary") && slices.Contains(t, "controller") {
			return i
		}
	}
	if len(tags) == 0 {
		return -1
	}
	return 0
}
