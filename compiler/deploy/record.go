package deploy

import (
	"hoist/source"
	"hoist/value"
)

// Record is what the deployment was compiled from, as data: the tree,
// its release, the roles and network files, the -e files in order (the
// registry and the plan's default environments, which every compile of
// the tree adds, left out), every role's count, the stack name, whether
// parameters without a value were allowed, the ctlplane subnets and the
// aggregation. Paths are absolute. hoist build -o writes it into
// manifest.json, so that hoist why can compile the same deployment again.
func (d *Deployment) Record() *value.Value {
	r := source.Range{}
	str := func(s string) *value.Value { return value.NewString(s, r) }
	strs := func(ss []string) *value.Value {
		items := make([]*value.Value, len(ss))
		for i, s := range ss {
			items[i] = str(s)
		}
		return value.NewList(items, r)
	}
	m := value.NewMapping(10)
	m.SetString("templates", str(d.Templates))
	m.SetString("release", str(d.Release.Name))
	m.SetString("roles_file", str(d.RolesFile))
	m.SetString("networks_file", str(d.NetworkFile))
	var envs []string
	if n := 1 + len(d.Defaults); len(d.Environments) > n {
		envs = d.Environments[n:]
	}
	m.SetString("environments", strs(envs))
	counts := value.NewMapping(len(d.Roles))
	for _, role := range d.Roles {
		counts.SetString(role.Name, value.NewInt(int64(role.Count), r))
	}
	m.SetString("counts", value.NewMap(counts, r))
	m.SetString("stack", str(d.Name))
	m.SetString("allow_missing", value.NewBool(d.in.AllowMissing, r))
	m.SetString("ctlplane_subnets", strs(d.in.CtlplaneSubnets))
	m.SetString("aggregation", str(d.aggregation.String()))
	return value.NewMap(m, r)
}
