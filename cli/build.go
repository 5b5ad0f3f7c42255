package cli

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"hoist/compiler/deploy"
	"hoist/config"
	"hoist/diag"
	"hoist/pipeline"
	"hoist/plan"
	"hoist/release"
	"hoist/source"
	"hoist/value"
)

func buildCommand() *command {
	return &command{
		name:    "build",
		summary: "compile a whole deployment: every role's role_data, as Heat computed it",
		usage:   "build [-c hoist.hcl] [--deployment NAME] [--templates DIR] [-r ROLES] [-n NETWORKS] [-e ENV]... [--count Role=N]... [--allow-missing] [--dump role-data] [-o OUT [--strict]]",
		long: `Compiles a deployment the way the TripleO client and Heat did, offline: renders
the tree's Jinja2 templates with the roles and networks (only those the compile
needs), merges the tree's overcloud-resource-registry-puppet.yaml and the -e
files in order, instantiates overcloud.yaml and, for every role of the roles
file, its service chain (common/services/<role>-role.yaml with every service of
<Role>Services), then merges each role's services into its role_data.

The inputs come from a deployment block of hoist.hcl (-c FILE, or hoist.hcl
found from the current folder up; --deployment NAME when it has several) and
from the flags, which take precedence: --templates, -r and -n replace the
block's, -e files come after the block's environments, --count Role=N sets
<Role>Count. Without either, --templates is required; the roles and network
files default to roles_data.yaml and network_data.yaml in the tree.

Parameters that have no value anywhere (image names, passwords) are one error
listing each with the template and line declaring it; --allow-missing makes
them unknown values instead, and 'hoist params missing' prints a
parameter_defaults skeleton of them.

--dump role-data prints {"roles": {"<Role>": role_data}} as JSON with sorted
keys, each role's object with the keys of the role template's role_data
output (service_names, config_settings, docker_config, kolla_config,
puppet_config, docker_puppet_tasks, step_config, the task lists, ...); values
only a live cloud knows are {"<unknown>": reason}. Without --dump, a summary
of the roles goes to standard error. Errors go to standard error with their
position; the exit code is then 2.

-o OUT also writes the per-node artifact tree into OUT (docs/artifacts.md):
the plan rules run on the plan (their findings on standard error, exit 1 for
an error-level one), and the tree replaces OUT atomically; --strict refuses
any unknown value.

With no inputs at all (no -c, --templates, -r, -n, -e, --deployment) and no
hoist.hcl in the current folder or above, hoist build says so and builds
hoist's embedded example deployment into ./out (or -o), then prints what it
built: 'make demo' does that. 'hoist init DIR' writes a copy of the example
to start a project from.`,
		setup: func(fs *pflag.FlagSet) func(*Env, []string) int {
			df := deployFlags(fs)
			dump := fs.String("dump", "", "print compiled data to standard output: role-data")
			out := fs.StringP("output", "o", "", "write the artifact tree (nodes/<hostname>/, plan.json, manifest.json) to this folder, atomically (docs/artifacts.md)")
			strict := fs.Bool("strict", false, "with -o: make any unknown value an error and write nothing")
			return func(env *Env, args []string) int {
				if len(args) != 0 {
					return usageError(env, "build", "unexpected arguments %s", diag.QuoteList(args))
				}
				if *dump != "" && *dump != "role-data" {
					return usageError(env, "build", "unknown --dump %q: expected %s", *dump, diag.QuoteList([]string{"role-data"}))
				}
				example, code := embeddedExample(env, "build", df)
				if code != ExitOK {
					return code
				}
				defer example.cleanup()
				o := deploy.Options{}
				if example != nil {
					o.Base = example.dir
					if *out == "" && *dump == "" {
						*out = DefaultExampleOut
					}
				}
				start := time.Now()
				d, code := compileDeployment(env, "build", df, o)
				if d == nil {
					return code
				}
				if *dump == "role-data" {
					if _, err := fmt.Fprintf(env.Out, "%s\n", deployDump(d)); err != nil {
						fmt.Fprintf(env.Err, "hoist build: %v\n", err)
						return ExitInternal
					}
				}
				took := time.Since(start)
				// The summary's containers are those of the plan, which the
				// artifacts are written from.
				var in *pipeline.Input
				var p *plan.Plan
				if *dump == "" || *out != "" {
					in = pipeline.Compiled(d)
					if example != nil {
						// The example's copy is removed on return: a
						// record of it could not be compiled again.
						in.Record = nil
					}
				}
				if *dump == "" {
					p = in.Plan()
				}
				writeBuildSummary(env, d, p, took)
				if *out != "" {
					code := writeArtifacts(env, in, *out, *df.config, *strict, *df.noSnippet)
					if example != nil && code == ExitOK {
						writeExampleSummary(env, in.Plan(), *out)
					}
					return code
				}
				return ExitOK
			}
		},
	}
}

func deployDump(d *deploy.Deployment) []byte {
	return value.MarshalIndent(d.Dump())
}

// deployFlagValues are the flags that describe a deployment's inputs.
type deployFlagValues struct {
	config, deployment, templates, release, roles, networks, stackName, aggregation *string
	envs, counts, ctlplane                                                          *[]string
	allowMissing, noSnippet                                                         *bool
}

func deployFlags(fs *pflag.FlagSet) *deployFlagValues {
	return &deployFlagValues{
		config:       fs.StringP("config", "c", "", "hoist.hcl to read the deployment block from (default: hoist.hcl in the current folder or a parent)"),
		deployment:   fs.String("deployment", "", "the deployment block to compile, when hoist.hcl has several"),
		templates:    fs.String("templates", "", "the THT tree"),
		release:      fs.String("release", "", "the TripleO release of the tree: "+strings.Join(release.Names(), ", ")+" (default: hoist.hcl's release, else detected from the tree)"),
		roles:        fs.StringP("roles-file", "r", "", "roles_data file (default: roles_data.yaml in the tree)"),
		networks:     fs.StringP("networks-file", "n", "", "network_data file (default: network_data.yaml in the tree)"),
		envs:         fs.StringArrayP("environment", "e", nil, "environment file, after the tree's resource registry (repeatable, merged in order)"),
		counts:       fs.StringArray("count", nil, "Role=N: the number of nodes of a role (repeatable)"),
		ctlplane:     fs.StringArray("ctlplane-subnet", nil, "CIDR of a subnet of the undercloud's provisioning network, which ports on it show (repeatable; default 192.168.24.0/24, undercloud.conf's)"),
		stackName:    fs.String("stack-name", "", "the stack name (default: the deployment block's name, else overcloud)"),
		allowMissing: fs.Bool("allow-missing", false, "compile with unknown values for parameters that have no value, instead of failing"),
		noSnippet:    fs.Bool("no-snippet", false, "do not quote the source line under an error"),
		aggregation:  fs.String("aggregation", "auto", "how each role's services are merged: auto (native where the role template is the one hoist implements, else template), native (hoist's implementation of the merge rules) or template (evaluate the role template's yaql)"),
	}
}

// values are the flags' values, for the pipeline.
func (f *deployFlagValues) values() pipeline.DeployFlags {
	return pipeline.DeployFlags{
		Deployment: *f.deployment, Templates: *f.templates, Release: *f.release,
		RolesFile: *f.roles, NetworkFile: *f.networks, Environments: *f.envs,
		Counts: *f.counts, CtlplaneSubnets: *f.ctlplane, StackName: *f.stackName,
		AllowMissing: *f.allowMissing, Aggregation: *f.aggregation,
	}
}

// compileDeployment compiles the deployment the flags describe
// (pipeline.Compile); on error it reports and returns the exit code with
// a nil deployment.
func compileDeployment(env *Env, cmd string, f *deployFlagValues, o deploy.Options) (*deploy.Deployment, int) {
	cfg, code := loadConfig(env, cmd, *f.config)
	if code != ExitOK {
		return nil, code
	}
	src := source.NewCache()
	o.Sources = src
	d, err := pipeline.Compile(cfg, f.values(), o)
	var u pipeline.UsageError
	if errors.As(err, &u) {
		return nil, usageError(env, cmd, "%s", u)
	}
	if err != nil {
		reportDeployError(env, cmd, err, src, *f.noSnippet)
		return nil, ExitUsage
	}
	writeRelease(env, cmd, d)
	return d, ExitOK
}

// reportDeployError prints a compile error: diagnostics with their source
// line and caret.
func reportDeployError(env *Env, cmd string, err error, src *source.Cache, noSnippet bool) {
	var ds []*diag.Diagnostic
	var one *diag.Diagnostic
	var many diag.List
	var ce *config.Error
	switch {
	case errors.As(err, &ce):
		ce.Write(env.Err)
		return
	case errors.As(err, &many):
		ds = many
	case errors.As(err, &one):
		ds = []*diag.Diagnostic{one}
	default:
		fmt.Fprintf(env.Err, "hoist %s: %v\n", cmd, err)
		return
	}
	_ = diag.WriteText(env.Err, ds, diag.TextOptions{NoSnippet: noSnippet, Sources: src})
}

// writeRelease says which release a command read the tree as, and why.
func writeRelease(env *Env, cmd string, d *deploy.Deployment) {
	fmt.Fprintf(env.Err, "hoist %s: release %s (%s)\n", cmd, d.Release.Name, d.ReleaseWhy)
}

// writeBuildSummary says what the build compiled; with the plan (p, not
// with --dump), each role's count, services and containers too.
func writeBuildSummary(env *Env, d *deploy.Deployment, p *plan.Plan, took time.Duration) {
	if p != nil {
		for _, r := range d.Roles {
			enabled := 0
			for _, s := range r.Services {
				if s.Enabled() {
					enabled++
				}
			}
			containers := 0
			if rp := p.Role(r.Name); rp != nil {
				containers = len(rp.Containers)
			}
			fmt.Fprintf(env.Err, "  %-16s count %d, %d services listed, %d enabled, %d containers\n", r.Name, r.Count, len(r.Services), enabled, containers)
		}
	}
	fmt.Fprintf(env.Err, "hoist build: compiled %d %s of %s in %.3fs", len(d.Roles), diag.Plural(len(d.Roles), "role", "roles"), d.Name, took.Seconds())
	if n := len(d.Missing); n > 0 {
		fmt.Fprintf(env.Err, "; %d %s without a value compiled as unknown (hoist params missing lists them)", n, diag.Plural(n, "parameter", "parameters"))
	}
	fmt.Fprintln(env.Err)
}
