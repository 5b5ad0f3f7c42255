package cli

import (
	"errors"
	"fmt"
	"hoist/pipeline"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"hoist/compiler/deploy"
	"hoist/diag"
	"hoist/lint"
	"hoist/plan"
	"hoist/pyyaml"
	"hoist/release"
	"hoist/source"
	"hoist/value"
)

// planFormats are hoist plan's output formats.
var planFormats = []string{"text", "json", "dot", "html"}

func planCommand() *command {
	return &command{
		name:    "plan",
		summary: "print the ordered operations of a deployment, per role and step",
		usage:   "plan [-c hoist.hcl] [--templates DIR] [-r ROLES] [-n NETWORKS] [-e ENV]... [--count Role=N]... [--allow-missing] [--role R]... [--format text|json|dot|html] [ROLE_DATA]",
		long: `Prints what a TripleO deployment does on the nodes of each role, in order, as
its release's deploy steps did: before step 1 the host_prep_tasks and
docker-puppet.py (from rocky, config-download's step 0 first:
container-puppet.py from stein, deploy_steps_tasks with step 0); then steps 1
to 5, each with its external_deploy_tasks and deploy_steps_tasks
(config-download), the host puppet run, at step 1 the writing of the node's
files and config generation for every config_volume, the step's containers in
paunch's order (start_order, then name), and the step's puppet tasks
(docker_puppet_tasks, container_puppet_tasks from stein): in queens on the
role's bootstrap node (its first node), from rocky on each service's bootstrap
node (the first node of the first role that runs it; train: the first of its
nodes sorted by name).

The deployment is compiled from the same inputs as hoist build (a deployment
block of hoist.hcl and the flags). Or, with one argument, it is read from a
role-data document: {"roles": {"<Role>": {role data}}}, as hoist build --dump
role-data prints it; each role then has --count nodes (default 1), named by
%stackname%-<role>-%index% with --stack-name (default overcloud).

The plan rules (plan/*: an exec into a container not started yet, a kolla
config or config volume a container mounts that the role never writes, ...)
run on the plan; their findings go to standard error. Exit codes: 0 no
error-level finding, 1 error-level findings (the plan is printed anyway), 2
usage or input error.

Formats: text for a terminal, json (sorted keys), dot for Graphviz
(dot -Tsvg), html: one self-contained page (no network access) showing
roles × steps with their containers and tasks.`,
		setup: func(fs *pflag.FlagSet) func(*Env, []string) int {
			df := deployFlags(fs)
			roles := fs.StringArray("role", nil, "print only this role (repeatable)")
			format := fs.String("format", "text", "output format: text, json, dot or html")
			return func(env *Env, args []string) int {
				if !slices.Contains(planFormats, *format) {
					return usageError(env, "plan", "unknown format %q: expected %s", *format, diag.QuoteList(planFormats))
				}
				var in *deploymentInput
				switch len(args) {
				case 0:
					var code int
					if in, code = compileInput(env, "plan", df); in == nil {
						return code
					}
				case 1:
					stack := *df.stackName
					if stack == "" {
						stack = "overcloud"
					}
					var err error
					in, err = loadRoleData(args[0], stack, *df.counts)
					if err != nil {
						return inputFail(env, "plan", err, in, *df.noSnippet)
					}
					// A role-data document does not say its release:
					// --release does (default queens).
					if *df.release != "" {
						rel, ok := release.Lookup(*df.release)
						if !ok {
							return usageError(env, "plan", "unknown --release %q: expected %s", *df.release, diag.QuoteList(release.Names()))
						}
						in.d.Release = rel
					}
				default:
					return usageError(env, "plan", "expected at most one ROLE_DATA document, got %d arguments", len(args))
				}
				p := plan.Build(in.d)
				for _, r := range *roles {
					if p.Role(r) == nil {
						return usageError(env, "plan", "--role %q: the deployment has no such role; its roles are %s", r, diag.QuoteList(in.roleNames()))
					}
				}
				checked := p
				if len(*roles) > 0 {
					checked = &plan.Plan{Stack: p.Stack, Deployment: p.Deployment}
					for _, rp := range p.Roles {
						if slices.Contains(*roles, rp.Role.Name) {
							checked.Roles = append(checked.Roles, rp)
						}
					}
				}
				lo, code := planRules(env, "plan", *df.config)
				if code != ExitOK {
					return code
				}
				ds := lint.CheckPlan(checked, lo)
				if in.locate != nil {
					for _, d := range ds {
						in.locate(d)
					}
				}
				if len(ds) > 0 {
					_ = diag.WriteText(env.Err, ds, diag.TextOptions{NoSnippet: *df.noSnippet, Sources: in.sources})
				}
				if err := writePlan(env.Out, p, *format, *roles); err != nil {
					fmt.Fprintf(env.Err, "hoist plan: %v\n", err)
					return ExitInternal
				}
				if diag.Max(ds) >= diag.Error {
					return ExitFindings
				}
				return ExitOK
			}
		},
	}
}

// planRules returns the plan rules as hoist.hcl's lint block and rule
// blocks configure them (enabled, severity), as hoist lint would run them.
func planRules(env *Env, cmd, configPath string) (lint.Options, int) {
	cfg, code := loadConfig(env, cmd, configPath)
	if code != ExitOK {
		return lint.Options{}, code
	}
	settings, err := lint.Configure(cfg, lint.Overrides{})
	if err != nil {
		return lint.Options{}, configError(env, cmd, err)
	}
	return lint.Options{Rules: settings.Rules, Severities: settings.Severities}, ExitOK
}

// compileInput compiles the deployment the flags describe, for the plan
// and the artifacts.
func compileInput(env *Env, cmd string, df *deployFlagValues) (*deploymentInput, int) {
	d, code := compileDeployment(env, cmd, df, deploy.Options{})
	if d == nil {
		return nil, code
	}
	src := source.NewCache()
	for name, data := range d.Sources() {
		src.Add(name, data)
	}
	return &deploymentInput{d: pipeline.FromCompile(d), sources: src, locate: func(dg *diag.Diagnostic) { d.Locate(dg, src) }}, ExitOK
}

func writePlan(w io.Writer, p *plan.Plan, format string, roles []string) error {
	switch format {
	case "json":
		v := plan.JSON(p)
		if len(roles) > 0 {
			v = filterRoles(v, roles)
		}
		_, err := fmt.Fprintf(w, "%s\n", value.MarshalIndent(v))
		return err
	case "dot":
		return plan.WriteDot(w, p, roles...)
	case "html":
		return plan.WriteHTML(w, p, roles...)
	}
	return plan.WriteText(w, p, roles...)
}

// filterRoles keeps the roles named in a plan's JSON.
func filterRoles(v *value.Value, roles []string) *value.Value {
	rs, _ := v.Map.Get("roles")
	var keep []*value.Value
	for _, r := range rs.List {
		n, _ := r.Map.Get("name")
		if slices.Contains(roles, n.Str) {
			keep = append(keep, r)
		}
	}
	m := v.Map.Clone()
	m.SetString("roles", value.NewList(keep, rs.Range))
	return value.NewMap(m, v.Range)
}

// deploymentInput is a deployment read from the command line, with the
// sources of its files for snippets.
type deploymentInput struct {
	d       *plan.Deployment
	sources *source.Cache
	// locate points a finding in a rendered output of the compile at the
	// *.j2.yaml line that wrote it (nil for a role-data document).
	locate func(*diag.Diagnostic)
}

func (in *deploymentInput) roleNames() []string {
	var out []string
	for _, r := range in.d.Roles {
		out = append(out, r.Name)
	}
	return out
}

// loadRoleData reads a role-data document and applies the stack name and
// counts.
func loadRoleData(path, stack string, counts []string) (*deploymentInput, error) {
	in := &deploymentInput{sources: source.NewCache()}
	doc, err := pyyaml.LoadFile(path, pyyaml.DefaultLimits)
	if err != nil {
		return in, err
	}
	d, ok := plan.FromRoleData(doc.Root)
	if !ok {
		return in, diag.Newf(diag.Error, "plan/input", source.Range{File: path, Start: source.Pos{Line: 1, Col: 1}},
			`not a role-data document: expected {"roles": {"<Role>": {role data with service_names, docker_config, ...}}}, as hoist build --dump role-data prints it`)
	}
	d.Name = stack
	// Positions are written relative to the document's folder, so that the
	// plan does not depend on where the checkout is.
	if dir, err := filepath.Abs(filepath.Dir(path)); err == nil {
		d.Root = dir
	}
	in.d = d
	if err := applyCounts(d, counts); err != nil {
		return in, err
	}
	if err := pipeline.MergeHiera(d); err != nil {
		return in, err
	}
	return in, nil
}

// applyCounts sets the roles' counts from ROLE=N flags.
func applyCounts(d *plan.Deployment, counts []string) error {
	for _, c := range counts {
		name, n, ok := strings.Cut(c, "=")
		k, err := strconv.Atoi(n)
		if !ok || err != nil || k < 0 {
			return usageErr(fmt.Sprintf("--count %q: expected Role=N with N a number of nodes (0 or more)", c))
		}
		var role *plan.Role
		var names []string
		for _, r := range d.Roles {
			names = append(names, r.Name)
			if r.Name == name {
				role = r
			}
		}
		if role == nil {
			return usageErr(fmt.Sprintf("--count %q: the deployment has no role %q; its roles are %s", c, name, diag.QuoteList(names)))
		}
		role.Count = k
	}
	return nil
}

// usageErr is a command-line mistake found while reading the inputs.
type usageErr string

func (e usageErr) Error() string { return string(e) }

// inputFail reports an input error: a diagnostic with its snippet, a usage
// mistake, or anything else; all exit 2.
func inputFail(env *Env, cmd string, err error, in *deploymentInput, noSnippet bool) int {
	var u usageErr
	if errors.As(err, &u) {
		return usageError(env, cmd, "%s", u)
	}
	var d *diag.Diagnostic
	if errors.As(err, &d) {
		src := source.NewCache()
		if in != nil && in.sources != nil {
			src = in.sources
		}
		_ = diag.WriteText(env.Err, []*diag.Diagnostic{d}, diag.TextOptions{NoSnippet: noSnippet, Sources: src})
		return ExitUsage
	}
	fmt.Fprintf(env.Err, "hoist %s: %v\n", cmd, err)
	return ExitUsage
}
