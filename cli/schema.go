package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"hoist/diag"
	"hoist/lint"
	"hoist/schema"
	"hoist/source"
)

func schemaCommand() *command {
	return &command{
		name:    "schema",
		summary: "validate files against hoist's CUE schemas, or print the schemas",
		usage:   "schema [--kind KIND] [--mode auto|raw|evaluated] [--format text|json] FILE...\n  hoist schema --print [--release NAME]\n  hoist schema --kinds",
		long: `Validates each FILE (YAML or JSON; "-" is standard input) against the CUE
definition of its kind and reports violations at their line and column, as
file:line:col: severity: message [schema/...].

Without --kind, the kind is recognised from the content and the path, as
hoist lint does: a HOT template (a service or role template by its
role_data), an environment, roles_data or network_data. Artifacts and
evaluated data need --kind: role-data (one service's role_data),
role-aggregate (a role's), startup-config (one step's containers),
container, kolla-config (config.json), docker-puppet-json,
docker-puppet-entry, hoist-config (hoist.hcl as data). --kinds lists them.

--mode raw treats intrinsic function calls ({get_param: ...}) as values not
known yet, accepted where Heat evaluates functions; auto (the default) does
so for templates only.

Each FILE is validated against the definitions of the TripleO release hoist
lint reads it as (the tree's above it, else the one its heat_template_version
names, else queens), named on standard error; --release sets it.

--print writes the CUE definitions of a release (--release, default queens).

The exit code is 1 when there are findings, 0 otherwise; 2 means a usage or
input error (a file that does not exist or is not YAML, a kind that cannot
be recognised).`,
		setup: func(fs *pflag.FlagSet) func(*Env, []string) int {
			kindName := fs.String("kind", "", "the kind of every FILE (default: recognise it)")
			mode := fs.String("mode", "auto", "auto, raw or evaluated")
			format := fs.String("format", "text", "output format: text or json")
			noSnippet := fs.Bool("no-snippet", false, "do not quote the source line under each finding")
			print := fs.Bool("print", false, "print the CUE definitions instead of validating")
			kinds := fs.Bool("kinds", false, "list the kinds")
			release := fs.String("release", "", "the release whose schema to use: "+strings.Join(releaseNames(), ", ")+" (default: each file's, as hoist lint reads it; queens for --print)")
			lim := limitFlags(fs)
			return func(env *Env, args []string) int {
				name := *release
				if name == "" {
					name = string(schema.Queens)
				}
				s, err := schema.For(schema.Release(name))
				if err != nil {
					return usageError(env, "schema", "--release: %v", err)
				}
				switch {
				case *kinds:
					for _, k := range schema.Kinds() {
						fmt.Fprintf(env.Out, "%-20s %s\n", k, k.Definition())
					}
					return ExitOK
				case *print:
					return printSchema(env, s.Release())
				}
				if *format != "text" && *format != "json" {
					return usageError(env, "schema", "unknown format %q: expected %s", *format, diag.QuoteList([]string{"text", "json"}))
				}
				if !slices.Contains([]string{"auto", "raw", "evaluated"}, *mode) {
					return usageError(env, "schema", "unknown mode %q: expected %s", *mode, diag.QuoteList([]string{"auto", "raw", "evaluated"}))
				}
				var kind schema.Kind
				if *kindName != "" {
					if kind, err = schema.ParseKind(*kindName); err != nil {
						return usageError(env, "schema", "--kind: %v", err)
					}
				}
				if len(args) == 0 {
					return usageError(env, "schema", "expected at least one FILE")
				}
				src := source.NewCache()
				rels := lint.NewReleases(lint.Options{})
				var all []*diag.Diagnostic
				for _, name := range args {
					doc, err := loadYAMLArg(env, name, *lim, src)
					if err != nil {
						return reportInputError(env, err, src)
					}
					k := kind
					if k == 0 {
						var ok bool
						if k, ok = schema.Detect(name, doc.Root); !ok {
							return usageError(env, "schema", "%s: cannot tell which kind of file this is: give --kind (see hoist schema --kinds)", name)
						}
					}
					raw := *mode == "raw" || *mode == "auto" && (k == schema.Template || k == schema.ServiceTemplate || k == schema.RoleTemplate)
					fs := s
					if *release == "" {
						r, why, err := rels.Of(name, doc.Root)
						if err != nil {
							fmt.Fprintf(env.Err, "hoist schema: %v\n", err)
							return ExitUsage
						}
						fmt.Fprintf(env.Err, "hoist schema: release %s for %s (%s)\n", r.Name, name, why)
						if fs, err = schema.For(schema.Release(r.Name)); err != nil {
							fmt.Fprintf(env.Err, "hoist schema: %v\n", err)
							return ExitInternal
						}
					}
					all = append(all, fs.Validate(k, doc.Root, schema.Options{Raw: raw})...)
				}
				all = diag.Sort(all)
				if *format == "json" {
					err = diag.WriteJSON(env.Out, all)
				} else {
					err = diag.WriteText(env.Out, all, diag.TextOptions{NoSnippet: *noSnippet, Sources: src})
				}
				if err != nil {
					fmt.Fprintf(env.Err, "hoist schema: %v\n", err)
					return ExitInternal
				}
				if len(all) > 0 {
					return ExitFindings
				}
				return ExitOK
			}
		},
	}
}

// releaseNames lists the releases that have a schema.
func releaseNames() []string {
	var out []string
	for _, r := range schema.Releases() {
		out = append(out, string(r))
	}
	return out
}

// printSchema writes the CUE files of release r, each under a comment
// naming it.
func printSchema(env *Env, r schema.Release) int {
	files, err := schema.Source(r)
	if err != nil {
		fmt.Fprintf(env.Err, "hoist schema: %v\n", err)
		return ExitInternal
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	for i, n := range names {
		if i > 0 {
			fmt.Fprintln(env.Out)
		}
		fmt.Fprintf(env.Out, "// schema/cue/%s\n%s", n, strings.TrimLeft(files[n], "\n"))
	}
	return ExitOK
}
