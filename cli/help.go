package cli

import (
	"github.com/spf13/pflag"
)

func helpCommand() *command {
	return &command{
		name:    "help",
		summary: "show help for hoist or one of its commands",
		usage:   "help [command]",
		long:    "Without an argument, lists the commands. With a command name, shows its synopsis, what it does and its flags.",
		setup: func(fs *pflag.FlagSet) func(*Env, []string) int {
			return func(env *Env, args []string) int {
				switch len(args) {
				case 0:
					writeOverview(env.Out)
					return ExitOK
				case 1:
					c := findCommand(args[0])
					if c == nil {
						return usageError(env, "help", "unknown command %q", args[0])
					}
					c.writeHelp(env.Out)
					return ExitOK
				}
				return usageError(env, "help", "expected at most one command name, got %d arguments", len(args))
			}
		},
	}
}
