package cli

import (
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/spf13/pflag"

	"hoist/compiler/deploy"
	"hoist/diag"
	"hoist/lint"
	"hoist/pipeline"
	"hoist/plan"
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
				var in *pipeline.Input
				switch len(args) {
				case 0:
					var code int
					if in, code = compileInput(env, "plan", df); in == nil {
						return code
					}
				case 1:
					var err error
					in, err = pipeline.LoadRoleData(args[0], pipeline.RoleDataOptions{StackName: *df.stackName, Counts: *df.counts, Release: *df.release})
					if err != nil {
						return inputFail(env, "plan", err, in, *df.noSnippet)
					}
				default:
					return usageError(env, "plan", "expected at most one ROLE_DATA document, got %d arguments", len(args))
				}
				checked, err := in.Select(*roles)
				if err != nil {
					return inputFail(env, "plan", err, in, *df.noSnippet)
				}
				lo, code := planRules(env, "plan", *df.config)
				if code != ExitOK {
					return code
				}
				ds := in.Check(checked, lo)
				if len(ds) > 0 {
					_ = diag.WriteText(env.Err, ds, diag.TextOptions{NoSnippet: *df.noSnippet, Sources: in.Sources})
				}
				p := in.Plan()
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
// blocks configure them (pipeline.PlanRules), as hoist lint would run
// them.
func planRules(env *Env, cmd, configPath string) (lint.Options, int) {
	cfg, code := loadConfig(env, cmd, configPath)
	if code != ExitOK {
		return lint.Options{}, code
	}
	lo, err := pipeline.PlanRules(cfg)
	if err != nil {
		return lint.Options{}, configError(env, cmd, err)
	}
	return lo, ExitOK
}

// compileInput compiles the deployment the flags describe, for the plan
// and the artifacts.
func compileInput(env *Env, cmd string, df *deployFlagValues) (*pipeline.Input, int) {
	d, code := compileDeployment(env, cmd, df, deploy.Options{})
	if d == nil {
		return nil, code
	}
	return pipeline.Compiled(d), ExitOK
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

// inputFail reports an input error: a diagnostic with its snippet, a usage
// mistake, or anything else; all exit 2.
func inputFail(env *Env, cmd string, err error, in *pipeline.Input, noSnippet bool) int {
	var u pipeline.UsageError
	if errors.As(err, &u) {
		return usageError(env, cmd, "%s", u)
	}
	var d *diag.Diagnostic
	if errors.As(err, &d) {
		src := source.NewCache()
		if in != nil && in.Sources != nil {
			src = in.Sources
		}
		_ = diag.WriteText(env.Err, []*diag.Diagnostic{d}, diag.TextOptions{NoSnippet: noSnippet, Sources: src})
		return ExitUsage
	}
	fmt.Fprintf(env.Err, "hoist %s: %v\n", cmd, err)
	return ExitUsage
}
