// Package pipeline composes hoist's stages for the commands, so that the
// command line only parses flags, calls the pipeline and renders what it
// returns; a program can call it the same way. Each stage keeps its own
// package: the compiler knows nothing of the configuration format, and
// plan and emit know nothing of the compiler.
//
//   - Inputs: a deployment block of hoist.hcl (DeployInputs, LoadConfig)
//     and plain flag values (DeployFlags) become the compiler's inputs;
//     Compile compiles them.
//   - Input: the plan's view of a deployment, compiled (Compiled, through
//     deploy.Deployment.Model) or read from a role-data document (LoadRoleData, with
//     the hiera MergeHiera merges), with its plan (Plan), a selection of
//     its roles (Select) and the plan rules' findings (Check, PlanRules).
//   - Emit: the artifact tree of a deployment, checked and written.
//   - Eval: one template instantiated with environments and properties.
//   - Skeleton: the parameter_defaults of the parameters without a value.
//
// Mistakes in the values given (a malformed --count, an unknown role) are
// UsageErrors; the inputs' own errors are diagnostics at their lines.
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
