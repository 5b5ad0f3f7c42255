package cli

import (
	"fmt"

	"github.com/spf13/pflag"

	"hoist/compiler/deploy"
	"hoist/diag"
	"hoist/pipeline"
)

func paramsCommand() *command {
	return &command{
		name:    "params",
		summary: "list what a deployment's parameters need (params missing)",
		usage:   "params missing [-c hoist.hcl] [--deployment NAME] [--templates DIR] [-r ROLES] [-n NETWORKS] [-e ENV]... [--count Role=N]...",
		long: `params missing compiles the deployment as 'hoist build' does (same inputs and
flags) and prints, as a YAML environment file, a parameter_defaults skeleton of
every parameter that has no value anywhere: no default, nothing in
parameter_defaults, not passed by the template that nests it. Each entry says
its type, the template and line declaring it and its description. Give each a
value and pass the file with -e. The usual ones are the container image
parameters (Docker*Image), which 'openstack overcloud container image prepare'
wrote, and the passwords, which the TripleO plan generated; the README says how
to produce them the same way.

An entry left without a value still counts as missing, so the skeleton can be
passed before it is complete. The exit code is 0 whether or not parameters are
missing, 2 when the deployment does not compile for another reason.`,
		setup: func(fs *pflag.FlagSet) func(*Env, []string) int {
			df := deployFlags(fs)
			return func(env *Env, args []string) int {
				if len(args) != 1 || args[0] != "missing" {
					return usageError(env, "params", "expected \"missing\", got %s", diag.QuoteList(args))
				}
				// Every parameter without a value is an unknown, so that
				// the compile gets through and lists them all.
				*df.allowMissing = true
				d, code := compileDeployment(env, "params", df, deploy.Options{})
				if d == nil {
					return code
				}
				skel, err := pipeline.Skeleton(d)
				if err != nil {
					fmt.Fprintf(env.Err, "hoist params: %v\n", err)
					return ExitInternal
				}
				if _, err := env.Out.Write(skel); err != nil {
					fmt.Fprintf(env.Err, "hoist params: %v\n", err)
					return ExitInternal
				}
				fmt.Fprintf(env.Err, "hoist params: %d %s without a value\n", len(d.Missing), diag.Plural(len(d.Missing), "parameter", "parameters"))
				return ExitOK
			}
		},
	}
}
