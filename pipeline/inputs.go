// Package pipeline composes hoist's stages for the commands: the inputs a
// deployment block of hoist.hcl (config) describes become the compiler's
// plain inputs here, so that the compiler knows nothing of the
// configuration format.
package pipeline

import (
	"github.com/hashicorp/hcl/v2"

	"hoist/compiler/deploy"
	"hoist/config"
	"hoist/source"
)

// DeployInputs returns the compiler's inputs that a deployment block of
// hoist.hcl describes:
// its name is the stack name, its paths are resolved against the config
// file's folder (the templates) and the templates (the rest), and every
// input remembers the attribute or block it came from.
func DeployInputs(d *config.Deployment) deploy.Inputs {
	in := deploy.Inputs{Name: d.Name}
	at := RangeOf
	if d.Templates != nil {
		in.Templates = deploy.Path{Path: d.TemplatesDir(), At: at(d.AttrRange("templates"))}
	}
	if d.Release != nil {
		in.Release = deploy.Path{Path: *d.Release, At: at(d.AttrRange("release"))}
	}
	if d.RolesFile != nil {
		in.RolesFile = deploy.Path{Path: d.Resolve(*d.RolesFile), At: at(d.AttrRange("roles_file"))}
	}
	if d.NetworkFile != nil {
		in.NetworkFile = deploy.Path{Path: d.Resolve(*d.NetworkFile), At: at(d.AttrRange("network_file"))}
	}
	for i, e := range d.Environments {
		in.Environments = append(in.Environments, deploy.Path{Path: d.Resolve(e), At: at(d.EnvironmentRange(i))})
	}
	in.CtlplaneSubnets = d.CtlplaneSubnets
	for _, r := range d.Roles {
		in.Counts = append(in.Counts, deploy.Count{Role: r.Name, N: r.Count, At: at(r.LabelRange())})
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
