package schema

import (
	"path/filepath"
	"strings"

	"hoist/value"
)

// environmentSections are the top-level keys of a Heat environment.
var environmentSections = []string{"resource_registry", "parameter_defaults", "parameters",
	"encrypted_param_names", "event_sinks", "parameter_merge_strategies"}

// Detect tells which kind of raw file a loaded YAML document is, from its
// content and, where the content is not enough, its path:
//   - a map with heat_template_version is a template: a role template when
//     its role_data output holds service_names, a service template when it
//     has any other role_data output (the role's ResourceChain reads one
//     from every service, wherever the file lives);
//   - a map with an environment section (resource_registry,
//     parameter_defaults, ...) is an environment, unless it is a plan
//     environment or a sample-environment generator input (which have
//     "template" or "environments");
//   - a list of maps is roles data when its items have ServicesDefault or
//     the file is roles_data*.yaml or in a roles folder, and network data
//     when its items have network keys (ip_subnet, vip, name_lower, ...) or
//     the file is network_data*.yaml.
//
// Anything else (Ansible task files, release notes, generator inputs) is
// not a format hoist validates: ok is false.
func Detect(path string, root *value.Value) (k Kind, ok bool) {
	base := filepath.Base(path)
	dir := filepath.Base(filepath.Dir(path))
	switch value.KindOf(root) {
	case value.Map:
		m := root.Map
		if m.Has("heat_template_version") {
			return templateKind(root), true
		}
		if m.Has("template") || m.Has("environments") {
			return 0, false
		}
		for _, s := range environmentSections {
			if m.Has(s) {
				return Environment, true
			}
		}
	case value.List:
		if len(root.List) == 0 {
			return 0, false
		}
		if strings.HasPrefix(base, "roles_data") || dir == "roles" || anyItemHas(root, "ServicesDefault") {
			return RolesData, true
		}
		if strings.HasPrefix(base, "network_data") || anyItemHas(root, "ip_subnet", "ipv6_subnet", "vip", "name_lower", "allocation_pools") {
			return NetworkData, true
		}
	}
	return 0, false
}

func templateKind(root *value.Value) Kind {
	if out, ok := root.Map.Get("outputs"); ok && out.Kind == value.Map {
		if rd, ok := out.Map.Get("role_data"); ok && rd.Kind == value.Map {
			if v, ok := rd.Map.Get("value"); ok && v.Kind == value.Map && v.Map.Has("service_names") {
				return RoleTemplate
			}
			// The role's ResourceChain reads role_data of the templates it
			// instantiates as services, wherever they live (ci/ has some).
			return ServiceTemplate
		}
	}
	return Template
}

func anyItemHas(list *value.Value, keys ...string) bool {
	for _, it := range list.List {
		if it.Kind != value.Map {
			continue
		}
		for _, k := range keys {
			if it.Map.Has(k) {
				return true
			}
		}
	}
	return false
}
