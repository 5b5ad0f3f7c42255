package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/pflag"
)

// Version is hoist's version, set at build time with
// -ldflags "-X hoist/cli.Version=v1.2.3"; "dev" otherwise.
var Version = "dev"

// VersionString returns the version with the VCS revision when the binary
// was built from a checkout.
func VersionString() string {
	v := Version
	if info, ok := debug.ReadBuildInfo(); ok {
		var rev, dirty string
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "-dirty"
				}
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			v += " (" + rev + dirty + ")"
		}
	}
	return v
}

func versionCommand() *command {
	return &command{
		name:    "version",
		summary: "print hoist's version",
		usage:   "version",
		long:    "Prints the version of hoist, the revision it was built from, and the Go toolchain.",
		setup: func(fs *pflag.FlagSet) func(*Env, []string) int {
			return func(env *Env, args []string) int {
				if len(args) > 0 {
					return usageError(env, "version", "unexpected argument %q", args[0])
				}
				fmt.Fprintf(env.Out, "hoist %s %s %s/%s\n", VersionString(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
				return ExitOK
			}
		},
	}
}
