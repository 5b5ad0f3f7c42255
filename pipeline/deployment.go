package pipeline

import (
	"path/filepath"
	"slices"

	"hoist/compiler/deploy"
	"hoist/config"
	"hoist/diag"
	"hoist/lint"
	"hoist/model"
	"hoist/plan"
	"hoist/pyyaml"
	"hoist/release"
	"hoist/source"
	"hoist/value"
)

// Input is a deployment to plan and write, from a compile (Compiled) or
// a role-data document (LoadRoleData), with the sources of its files for
// the snippets of findings.
type Input struct {
	// Deployment is the plan's view of the deployment; it is not to be
	// changed once Plan was called.
	Deployment *model.Deployment
	// Sources holds the files findings may point into: the compile's
	// rendered Jinja2 outputs.
	Sources *source.Cache
	// locate points a finding in a rendered output of the compile at the
	// *.j2.yaml line that wrote it (nil for a role-data document).
	locate func(*diag.Diagnostic)
	plan   *plan.Plan
	// Record is what a compiled deployment was compiled from
	// (deploy.Deployment.Record); nil for a role-data document.
	Record *value.Value
}

// Compiled is the input of a compiled deployment (deploy.Deployment.Model), whose
// findings are placed at the *.j2.yaml lines that wrote the rendered
// outputs they fall in.
func Compiled(d *deploy.Deployment) *Input {
	src := source.NewCache()
	for name, data := range d.Sources() {
		src.Add(name, data)
	}
	return &Input{Deployment: d.Model(), Sources: src, locate: func(dg *diag.Diagnostic) { d.Locate(dg, src) }, Record: d.Record()}
}

// Plan returns the deployment's plan (plan.Build), built on the first
// call.
func (in *Input) Plan() *plan.Plan {
	if in.plan == nil {
		in.plan = plan.Build(in.Deployment)
	}
	return in.plan
}

// RoleNames returns the deployment's roles, in order.
func (in *Input) RoleNames() []string {
	var out []string
	for _, r := range in.Deployment.Roles {
		out = append(out, r.Name)
	}
	return out
}

// Select returns the plan restricted to roles (the whole plan when roles
// is empty); a role the deployment does not have is a UsageError.
func (in *Input) Select(roles []string) (*plan.Plan, error) {
	p := in.Plan()
	for _, r := range roles {
		if p.Role(r) == nil {
			return nil, usagef("--role %q: the deployment has no such role; its roles are %s", r, diag.QuoteList(in.RoleNames()))
		}
	}
	if len(roles) == 0 {
		return p, nil
	}
	sel := &plan.Plan{Stack: p.Stack, Deployment: p.Deployment}
	for _, rp := range p.Roles {
		if slices.Contains(roles, rp.Role.Name) {
			sel.Roles = append(sel.Roles, rp)
		}
	}
	return sel, nil
}

// Check runs the plan rules (lint.CheckPlan) on p, the input's plan or a
// selection of it, and places the findings (Locate).
func (in *Input) Check(p *plan.Plan, rules lint.Options) []*diag.Diagnostic {
	ds := lint.CheckPlan(p, rules)
	in.Locate(ds...)
	return ds
}

// Locate points the diagnostics that fall in a rendered output of the
// compile at the *.j2.yaml lines that wrote them.
func (in *Input) Locate(ds ...*diag.Diagnostic) {
	if in.locate == nil {
		return
	}
	for _, d := range ds {
		in.locate(d)
	}
}

// PlanRules returns the plan rules as hoist.hcl's lint block and rule
// blocks configure them (enabled, severity), as hoist lint would run
// them; cfg nil is the defaults.
func PlanRules(cfg *config.File) (lint.Options, error) {
	settings, err := lint.Configure(cfg, lint.Overrides{})
	if err != nil {
		return lint.Options{}, err
	}
	return lint.Options{Rules: settings.Rules, Severities: settings.Severities}, nil
}

// RoleDataOptions are what a role-data document does not say.
type RoleDataOptions struct {
	// StackName names the nodes (%stackname%-<role>-%index%); default
	// overcloud.
	StackName string
	// Counts are Role=N, each role's number of nodes (default 1).
	Counts []string
	// Release is the document's TripleO release; default queens.
	Release string
}

// LoadRoleData reads a role-data document ({"roles": {"<Role>": role
// data}}, as hoist build --dump role-data prints it) with the stack
// name, counts and release of o, and the hiera of its roles merged
// (MergeHiera). A count or release that does not fit is a UsageError;
// the returned input holds the sources for an error's snippet.
func LoadRoleData(path string, o RoleDataOptions) (*Input, error) {
	in := &Input{Sources: source.NewCache()}
	doc, err := pyyaml.LoadFile(path, pyyaml.DefaultLimits)
	if err != nil {
		return in, err
	}
	d, ok := model.FromRoleData(doc.Root)
	if !ok {
		return in, diag.Newf(diag.Error, "plan/input", source.Range{File: path, Start: source.Pos{Line: 1, Col: 1}},
			`not a role-data document: expected {"roles": {"<Role>": {role data with service_names, docker_config, ...}}}, as hoist build --dump role-data prints it`)
	}
	d.Name = o.StackName
	if d.Name == "" {
		d.Name = "overcloud"
	}
	// Positions are written relative to the document's folder, so that the
	// plan does not depend on where the checkout is.
	if dir, err := filepath.Abs(filepath.Dir(path)); err == nil {
		d.Root = dir
	}
	in.Deployment = d
	if err := applyCounts(d, o.Counts); err != nil {
		return in, err
	}
	if err := MergeHiera(d); err != nil {
		return in, err
	}
	if o.Release != "" {
		rel, ok := release.Lookup(o.Release)
		if !ok {
			return in, usagef("unknown --release %q: expected %s", o.Release, diag.QuoteList(release.Names()))
		}
		d.Release = rel
	}
	return in, nil
}

// applyCounts sets the roles' counts from Role=N values.
func applyCounts(d *model.Deployment, counts []string) error {
	for _, c := range counts {
		name, k, err := parseCount(c)
		if err != nil {
			return err
		}
		var role *model.Role
		var names []string
		for _, r := range d.Roles {
			names = append(names, r.Name)
			if r.Name == name {
				role = r
			}
		}
		if role == nil {
			return usagef("--count %q: the deployment has no role %q; its roles are %s", c, name, diag.QuoteList(names))
		}
		role.Count = k
	}
	return nil
}
