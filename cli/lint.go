package cli

import (
	"fmt"
	"time"

	"github.com/spf13/pflag"

	"hoist/diag"
	"hoist/lint"
	"hoist/source"
)

func lintCommand() *command {
	return &command{
		name:    "lint",
		summary: "check templates and report findings by rule",
		usage:   "lint [flags] [PATH...]",
		long: `Checks every YAML file under each PATH (default: the current directory) and
reports findings as file:line:col: severity: message [rule-id], each followed by
the source line and a caret. Jinja2 templates (*.j2.yaml) are not YAML until
rendered: they are named as skipped on standard error.

The exit code is 1 when a finding is at or above --fail-level, 0 otherwise;
2 means a usage or input error (a PATH that does not exist).`,
		setup: func(fs *pflag.FlagSet) func(*Env, []string) int {
			format := fs.String("format", "text", "output format: text or json")
			failLevel := fs.String("fail-level", "error", "lowest severity that makes the exit code 1: error, warning or info")
			noSnippet := fs.Bool("no-snippet", false, "do not quote the source line under each finding")
			jobs := fs.IntP("jobs", "j", 0, "files checked at once (default: one per CPU)")
			lim := limitFlags(fs)
			return func(env *Env, args []string) int {
				if *format != "text" && *format != "json" {
					return usageError(env, "lint", "unknown format %q: expected %s", *format, diag.QuoteList([]string{"text", "json"}))
				}
				fail, err := diag.ParseSeverity(*failLevel)
				if err != nil {
					return usageError(env, "lint", "--fail-level: %v", err)
				}
				if len(args) == 0 {
					args = []string{"."}
				}
				start := time.Now()
				res, err := lint.Run(args, lint.Options{Limits: *lim, Jobs: *jobs})
				if err != nil {
					fmt.Fprintf(env.Err, "hoist lint: %v\n", err)
					return ExitUsage
				}
				switch *format {
				case "json":
					err = diag.WriteJSON(env.Out, res.Diagnostics)
				default:
					err = diag.WriteText(env.Out, res.Diagnostics, diag.TextOptions{NoSnippet: *noSnippet, Sources: source.NewCache()})
				}
				if err != nil {
					fmt.Fprintf(env.Err, "hoist lint: %v\n", err)
					return ExitInternal
				}
				writeLintSummary(env, res, time.Since(start))
				if m := diag.Max(res.Diagnostics); m != 0 && m >= fail {
					return ExitFindings
				}
				return ExitOK
			}
		},
	}
}

func writeLintSummary(env *Env, res *lint.Result, took time.Duration) {
	e, w, i := diag.Count(res.Diagnostics)
	fmt.Fprintf(env.Err, "hoist lint: checked %d %s in %s: %d %s, %d %s, %d %s\n",
		len(res.Files), plural(len(res.Files), "file", "files"), fmt.Sprintf("%.3fs", took.Seconds()),
		e, plural(e, "error", "errors"), w, plural(w, "warning", "warnings"), i, plural(i, "info", "infos"))
	if n := len(res.Skipped); n > 0 {
		fmt.Fprintf(env.Err, "hoist lint: skipped %d Jinja2 %s (*.j2.yaml are rendered into YAML by the compile step, not linted as they are):\n",
			n, plural(n, "template", "templates"))
		for _, s := range res.Skipped {
			fmt.Fprintf(env.Err, "  %s\n", s)
		}
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
