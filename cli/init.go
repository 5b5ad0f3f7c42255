package cli

import (
	"fmt"

	"github.com/spf13/pflag"

	"hoist/stdlib"
)

func initCommand() *command {
	return &command{
		name:    "init",
		summary: "start a new project from the example deployment",
		usage:   "init [--force] DIR",
		long: `Writes a copy of hoist's example deployment into DIR, to start a new project
from: a small tree in THT's dialect (a top-level template, role templates,
about ten containerized services, three of them written in Jsonnet with
hoist/service.libsonnet), roles_data.yaml and network_data.yaml, environments
with the images and passwords filled in, CUE policies, and a hoist.hcl with a
deployment block. In DIR, 'hoist build' compiles it, 'hoist lint' checks it
and 'hoist plan' shows what each node runs; docs/tutorial.md walks through it.

DIR must not exist or be empty: --force writes the example's files over the
ones of the same name in DIR, leaving its other files alone. The files are
written to a folder beside DIR first, so a failure leaves DIR as it was. The
list of files goes to standard output.`,
		setup: func(fs *pflag.FlagSet) func(*Env, []string) int {
			force := fs.Bool("force", false, "write into DIR even if it is not empty, replacing the example's files there")
			return func(env *Env, args []string) int {
				if len(args) != 1 {
					return usageError(env, "init", "expected one DIR, got %d arguments", len(args))
				}
				dir := args[0]
				files, err := stdlib.WriteExample(stdlib.ExampleName, dir, *force)
				if err != nil {
					fmt.Fprintf(env.Err, "hoist init: %v\n", err)
					return ExitUsage
				}
				for _, f := range files {
					fmt.Fprintln(env.Out, f)
				}
				fmt.Fprintf(env.Err, "hoist init: wrote the example deployment (%d files) to %s; next: cd %s && hoist build && hoist lint && hoist plan\n", len(files), dir, dir)
				return ExitOK
			}
		},
	}
}
