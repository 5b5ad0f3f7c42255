package deploy

import (
	"hoist/source"
	"hoist/value"
)

// Dump returns the per-role data as `hoist build --dump role-data` prints
// it: {"roles": {"<Role>": role_data}}.
func (d *Deployment) Dump() *value.Value {
	roles := value.NewMapping(len(d.Roles))
	for _, r := range d.Roles {
		roles.Set(value.NewString(r.Name, source.Range{}), r.Data)
	}
	out := value.NewMapping(1)
	out.Set(value.NewString("roles", source.Range{}), value.NewMap(roles, source.Range{}))
	return value.NewMap(out, source.Range{})
}
