package cli

import (
	"fmt"

	"github.com/spf13/pflag"

	"hoist/config"
	"hoist/lint"
)

func configCommand() *command {
	return &command{
		name:    "config",
		summary: "check hoist.hcl (config verify [FILE])",
		usage:   "config verify [FILE]",
		long: `config verify decodes FILE (default: hoist.hcl in the current folder or a parent,
up to the repository root) and checks it: the required_version gate, the
blocks and attributes, the presets, severities and rule names, and each rule's
options. Errors are printed with the file, line and column, and the exit code
is 2; a valid file prints what it configures and exits 0.`,
		setup: func(fs *pflag.FlagSet) func(*Env, []string) int {
			return func(env *Env, args []string) int {
				if len(args) == 0 || args[0] != "verify" || len(args) > 2 {
					return usageError(env, "config", "expected \"verify [FILE]\"")
				}
				path := ""
				if len(args) == 2 {
					path = args[1]
				} else {
					found, err := config.Find(".")
					if err != nil {
						fmt.Fprintf(env.Err, "hoist config: %v\n", err)
						return ExitUsage
					}
					if found == "" {
						fmt.Fprintf(env.Err, "hoist config: no %s in the current folder or its parents (up to the repository root)\n", config.FileName)
						return ExitUsage
					}
					path = found
				}
				cfg, code := loadConfig(env, "config", path)
				if code != ExitOK {
					return code
				}
				s, err := lint.Configure(cfg, lint.Overrides{})
				if err != nil {
					return configError(env, "config", err)
				}
				fmt.Fprintf(env.Out, "%s: valid: preset %s, %d rules enabled, %d rule blocks, %d deployments\n",
					path, s.Preset, len(s.Rules), len(cfg.Rules), len(cfg.Deployments))
				return ExitOK
			}
		},
	}
}
