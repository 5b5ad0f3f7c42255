package plan

import (
	"hoist/value"
)

// aggregateKeys are keys only a role's aggregated role data has (the
// outputs of common/services/role.role.j2.yaml).
var aggregateKeys = []string{"service_names", "docker_config", "kolla_config", "puppet_config", "docker_puppet_tasks", "container_puppet_tasks", "step_config", "config_settings"}

// FromRoleData reads a role-data document, the form `hoist build --dump
// role-data` prints: {"roles": {"<Role>": {role data}}}, each role's
// object holding the keys of role.role.j2.yaml's outputs. A top-level
// "services" map may give, per role, the list of its services' role_data
// in Services order ({"services": {"<Role>": [{service_name: ...}, ...]}}),
// which lets the plan tell which containers several services define.
//
// Each role gets one node. ok is false when root is not such a document.
func FromRoleData(root *value.Value) (d *Deployment, ok bool) {
	roles := value.Get(root, "roles")
	if roles == nil || roles.Kind != value.Map || roles.Map.Len() == 0 {
		return nil, false
	}
	for _, e := range roles.Map.Entries() {
		if e.Val == nil || e.Val.Kind != value.Map {
			return nil, false
		}
		found := false
		for _, k := range aggregateKeys {
			found = found || e.Val.Map.Has(k)
		}
		if !found {
			return nil, false
		}
	}
	services := value.Get(root, "services")
	d = &Deployment{Name: "overcloud"}
	for _, e := range roles.Map.Entries() {
		name := value.Str(e.Key)
		r := &Role{Name: name, Count: 1, Data: e.Val, Range: e.Key.Range, Path: value.Path{}.Key("roles").Key(name)}
		for i, s := range listOf(value.Get(services, name)) {
			n, _ := value.StringOf(value.Get(s, "service_name"))
			r.Services = append(r.Services, Service{Name: n, Data: s, Path: value.Path{}.Key("services").Key(name).Index(i)})
		}
		d.Roles = append(d.Roles, r)
	}
	return d, true
}
