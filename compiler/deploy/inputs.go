package deploy

import (
	"github.com/hashicorp/hcl/v2"

	"hoist/config"
	"hoist/source"
	"hoist/value"
)

// FromConfig returns the inputs a deployment block of hoist.hcl describes:
// its name is the stack name, its paths are resolved against the config
// file's folder (the templates) and the templates (the rest), and every
// input remembers the attribute or block it came from.
func FromConfig(d *config.Deployment) Inputs {
	in := Inputs{Name: d.Name}
	at := func(r hcl.Range) source.Range { return RangeOf(r) }
	if d.Templates != nil {
		in.Templates = Path{Path: d.TemplatesDir(), At: at(d.AttrRange("templates"))}
	}
	if d.Release != nil {
		in.Release = Path{Path: *d.Release, At: at(d.AttrRange("release"))}
	}
	if d.RolesFile != nil {
		in.RolesFile = Path{Path: d.Resolve(*d.RolesFile), At: at(d.AttrRange("roles_file"))}
	}
	if d.NetworkFile != nil {
		in.NetworkFile = Path{Path: d.Resolve(*d.NetworkFile), At: at(d.AttrRange("network_file"))}
	}
	for i, e := range d.Environments {
		in.Environments = append(in.Environments, Path{Path: d.Resolve(e), At: at(d.EnvironmentRange(i))})
	}
	in.CtlplaneSubnets = d.CtlplaneSubnets
	for _, r := range d.Roles {
		in.Counts = append(in.Counts, Count{Role: r.Name, N: r.Count, At: at(r.LabelRange())})
	}
	return in
}

// RangeOf converts an HCL range.
func RangeOf(r hcl.Range) source.Range {
	return source.Range{
		File:  r.Filename,
		Start: source.Pos{Line: int32(r.Start.Line), Col: int32(r.Start.Column)},
		End:   source.Pos{Line: int32(r.End.Line), Col: int32(r.End.Column)},
	}
}

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
