package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"hoist/config"
	"hoist/diag"
	"hoist/lint"
	"hoist/pipeline"
	"hoist/pyyaml"
	"hoist/release"
	"hoist/report"
)

// lintMemoryLimit is the soft memory limit of a lint run without
// evaluation. The renders of a tree's Jinja2 templates add to the live
// heap; under a limit near it the collector runs all the time. On the
// queens tree, side by side (2026-12-07): 32 MiB took 1.17 s and 1.85 s
// of CPU (57 MB resident), 48 MiB 0.71 s and 1.05 s (73 MB), none 0.68 s
// and 0.98 s (86 MB).
const lintMemoryLimit = 48 << 20

func lintCommand() *command {
	return &command{
		name:    "lint",
		summary: "check templates and report findings by rule",
		usage:   "lint [flags] [PATH...]",
		long: `Checks every YAML file under each PATH (default: the current directory; "-" reads
standard input, named by --stdin-filename) and reports findings as
file:line:col: severity: message [rule-id], each followed by the source line
and a caret. Jinja2 templates (*.j2.yaml) of a tripleo-heat-templates tree are
rendered as process-templates renders them (once per role, per network or once,
with the tree's roles_data.yaml and network_data.yaml) and every output is
checked like any file; each finding names the template line that wrote the
text, and the roles or networks it was rendered for. --verbose lists the
outputs rendered, and how long each part of the run took (walk, signature,
releases, cache, files, tree rules, findings, sources).

Every containerized service template is evaluated as a role instantiates it
(compiler/stack, Heat's semantics): in a tree with the tree's rendered
resource registry, the release's default environments (plan-environment.yaml)
and the environments -e and hoist.hcl name; the role's inputs, generated
passwords and parameters no environment sets are unknown values. The rules
then see the role_data Heat computes, through map_merge, if, yaql, get_attr
and nested templates, at the lines that wrote each value; a service Heat
would fail to evaluate is an error (service/evaluation-error).
--no-evaluate checks the templates as written, faster.

Rules come from the preset (recommended by default; strict; all), changed by
hoist.hcl (found in the current folder or a parent, up to the repository root;
--config names another) and by --enable and --disable. 'hoist rules' lists them.

A finding is suppressed by a comment "# hoist:ignore=<id>[,<id>] -- reason" on
the line before its node or at the end of the node's line, or by
"# hoist:ignore-file=<id> -- reason" in the file head ("//" works too in
Jsonnet files; in a Jinja2 template the comment covers what its line renders
to, for every role). --write-baseline FILE
records the current findings; --baseline FILE then reports only new ones.

--format takes text, json, sarif or github, optionally =FILE to write that
format to a file; repeat it for several outputs of one run. At most one format
goes to standard output.

Each file is read as the TripleO release of the tripleo-heat-templates tree
that holds it (the nearest folder above it with
overcloud-resource-registry-puppet.j2.yaml or overcloud.j2.yaml, or
roles_data.yaml beside a service folder), detected from the tree as hoist
build does; a file outside any tree as the release its heat_template_version
names, else queens. --release, or release = "NAME" in hoist.hcl, reads every
file as that release. Standard error says which release was assumed and why.
A tree of a release hoist does not support (pike, ussuri and later) is an
error (exit 2) unless a release is set.

Results of unchanged files are cached (in $HOIST_CACHE_DIR, or hoist/ under the
user cache folder), keyed by the file's contents, hoist's version and the
configuration; an unchanged file is recognised by its metadata (size, times,
inode) without being read, and a run of trees nothing changed in takes its
whole result from the last run's; --no-cache bypasses the cache.

The exit code is 1 when a finding is at or above --fail-level (default error,
or hoist.hcl's lint { fail_level }), 0 otherwise; 2 means a usage, input or
configuration error.`,
		setup: func(fs *pflag.FlagSet) func(*Env, []string) int {
			formats := fs.StringArray("format", nil, "output format text, json, sarif or github, optionally FORMAT=FILE (repeatable; default text)")
			failLevel := fs.String("fail-level", "", "lowest severity that makes the exit code 1: error, warning or info (default error)")
			noSnippet := fs.Bool("no-snippet", false, "do not quote the source line under each finding")
			jobs := fs.IntP("jobs", "j", 0, "files checked at once (default: one per CPU)")
			cfgPath := fs.String("config", "", "configuration file (default: hoist.hcl in the current folder or a parent)")
			preset := fs.String("preset", "", "rule preset: recommended, strict or all (default: hoist.hcl's, else recommended)")
			enable := fs.StringArray("enable", nil, "enable a rule by id (repeatable)")
			disable := fs.StringArray("disable", nil, "disable a rule by id (repeatable)")
			only := fs.StringArray("only", nil, "run only this rule (repeatable; the file's and the preset's choices are ignored)")
			baseline := fs.String("baseline", "", "report only findings that this baseline file does not record")
			writeBaseline := fs.String("write-baseline", "", "record the findings in this baseline file and exit 0")
			stdinName := fs.String("stdin-filename", "<stdin>", "the name of standard input (\"-\") in findings and for path-based rules")
			noCache := fs.Bool("no-cache", false, "do not read or write the results cache")
			evaluate := fs.Bool("evaluate", true, "run the service rules on evaluated role_data, each containerized service instantiated as a role does (the default; --no-evaluate turns it off)")
			noEvaluate := fs.Bool("no-evaluate", false, "check service templates as written, without evaluating them (faster; misses what only evaluation shows)")
			releaseName := fs.String("release", "", "the TripleO release to read every file as: "+strings.Join(release.Names(), ", ")+" (default: hoist.hcl's release, else each tree's, detected)")
			envFiles := fs.StringArrayP("environment", "e", nil, "environment file merged after each tree's registry and default environments: registry and parameter_defaults (repeatable, merged in order)")
			verbose := fs.BoolP("verbose", "v", false, "list on standard error the Jinja2 outputs rendered and checked, and how long each part of the run took")
			lim := limitFlags(fs)
			return func(env *Env, args []string) int {
				outs, err := report.ParseOutputs(*formats)
				if err != nil {
					return usageError(env, "lint", "%v", err)
				}
				for _, o := range outs {
					if o.Path == "" {
						continue
					}
					if st, err := os.Stat(filepath.Dir(o.Path)); err != nil || !st.IsDir() {
						return usageError(env, "lint", "--format %s=%s: no such folder %s", o.Format, o.Path, filepath.Dir(o.Path))
					}
				}
				cfg, code := loadConfig(env, "lint", *cfgPath)
				if code != ExitOK {
					return code
				}
				settings, err := lint.Configure(cfg, lint.Overrides{Preset: *preset, Enable: *enable, Disable: *disable, Only: *only})
				if err != nil {
					return configError(env, "lint", err)
				}
				fail := diag.Error
				if settings.FailLevel != 0 {
					fail = settings.FailLevel
				}
				if *failLevel != "" {
					if fail, err = diag.ParseSeverity(*failLevel); err != nil {
						return usageError(env, "lint", "--fail-level: %v", err)
					}
				}
				opts := lint.Options{Limits: *lim, Jobs: *jobs, Rules: settings.Rules, Severities: settings.Severities}
				if cfg != nil {
					// The Jinja2 templates of a tree a deployment block names
					// are rendered with its roles and networks.
					for _, d := range cfg.Deployments {
						opts.Deployments = append(opts.Deployments, pipeline.DeployInputs(d))
					}
				}
				if name, rng := cfg.ReleaseOf(nil); name != "" {
					// config.Load validated the name.
					opts.Release, _ = release.Lookup(name)
					opts.ReleaseWhy = "set at " + rng.String()
				}
				if *releaseName != "" {
					r, ok := release.Lookup(*releaseName)
					if !ok {
						return usageError(env, "lint", "unknown --release %q: expected %s", *releaseName, diag.QuoteList(release.Names()))
					}
					opts.Release, opts.ReleaseWhy = r, "set by --release"
				}
				if *baseline != "" && *writeBaseline == "" {
					b, err := lint.LoadBaseline(*baseline)
					if err != nil {
						fmt.Fprintf(env.Err, "hoist lint: %v\n", err)
						return ExitUsage
					}
					opts.Baseline = b
				}
				if cfg != nil && cfg.Lint != nil && cfg.Lint.Evaluate != nil && !fs.Changed("evaluate") {
					*evaluate = *cfg.Lint.Evaluate
				}
				if *noEvaluate {
					if fs.Changed("evaluate") && *evaluate {
						return usageError(env, "lint", "--evaluate and --no-evaluate contradict each other")
					}
					*evaluate = false
				}
				envs := append(cfg.LintEnvironments(), *envFiles...)
				for i, e := range envs {
					if abs, err := filepath.Abs(e); err == nil {
						envs[i] = abs
					}
				}
				opts.Environments = envs
				if *evaluate {
					ev, err := lint.NewEvaluation(envs)
					if err != nil {
						return reportInputError(env, err, nil)
					}
					opts.Evaluate = ev
				}
				if !*evaluate && env.Getenv("GOMEMLIMIT") == "" {
					// Files are checked independently and the live heap
					// stays small, but the largest files and renders at
					// once push the peak up before the collector catches
					// up. A soft limit trims that peak at little cost in
					// time (lintMemoryLimit; docs/perf.md, "The gate");
					// GOMEMLIMIT overrides it.
					defer debug.SetMemoryLimit(debug.SetMemoryLimit(lintMemoryLimit))
				}
				if len(args) == 0 {
					args = []string{"."}
				}
				stdin := false
				for _, a := range args {
					if a == "-" {
						stdin = true
					}
				}
				if stdin && len(args) > 1 {
					return usageError(env, "lint", "\"-\" (standard input) cannot be combined with other paths")
				}
				if !*noCache && !stdin {
					if dir, err := lint.CacheDir(env.Getenv); err == nil {
						parts := append(cacheParts(cfg, settings, *lim, args), evaluationParts(*evaluate, envs)...)
						if opts.Release != nil {
							parts = append(parts, "release "+opts.Release.Name)
						}
						opts.Cache = lint.OpenCache(filepath.Join(dir, "lint"), parts...)
					}
				}
				start := time.Now()
				var res *lint.Result
				if stdin {
					src, err := pyyaml.ReadLimited(*stdinName, env.In, *lim)
					if err != nil {
						return reportInputError(env, err, nil)
					}
					if res, err = lint.RunSource(*stdinName, src, opts); err != nil {
						fmt.Fprintf(env.Err, "hoist lint: %v\n", err)
						return ExitUsage
					}
				} else {
					res, err = lint.Run(args, opts)
					if err != nil {
						fmt.Fprintf(env.Err, "hoist lint: %v\n", err)
						return ExitUsage
					}
					if err := opts.Cache.Save(); err != nil {
						fmt.Fprintf(env.Err, "hoist lint: warning: cannot save the cache: %v\n", err)
					}
				}
				if *writeBaseline != "" {
					b := lint.NewBaseline(absDir(*writeBaseline), res.Diagnostics)
					if err := b.Write(*writeBaseline); err != nil {
						fmt.Fprintf(env.Err, "hoist lint: %v\n", err)
						return ExitUsage
					}
					fmt.Fprintf(env.Err, "hoist lint: wrote %d findings (%d keys) to the baseline %s\n", len(res.Diagnostics), len(b.Entries), *writeBaseline)
					return ExitOK
				}
				writeLintReleases(env, res)
				ro := report.Options{NoSnippet: *noSnippet, Sources: res.Sources, ToolVersion: VersionString()}
				if err := report.WriteAll(env.Out, outs, res.Diagnostics, ro); err != nil {
					fmt.Fprintf(env.Err, "hoist lint: %v\n", err)
					return ExitInternal
				}
				writeLintSummary(env, res, time.Since(start), *verbose)
				if m := diag.Max(res.Diagnostics); m != 0 && m >= fail {
					return ExitFindings
				}
				return ExitOK
			}
		},
	}
}

// cacheParts are what the cache key is made of: hoist's version (for a
// development build, the executable's size and time, since "dev" does not
// change when the rules do), the configuration and the settings, the
// loader limits and the arguments.
func cacheParts(cfg *config.File, s *lint.Settings, lim pyyaml.Limits, args []string) []string {
	parts := []string{"hoist " + VersionString()}
	if Version == "dev" || strings.Contains(VersionString(), "dirty") {
		if exe, err := os.Executable(); err == nil {
			if st, err := os.Stat(exe); err == nil {
				parts = append(parts, fmt.Sprintf("%s %d %d", exe, st.Size(), st.ModTime().UnixNano()))
			}
		}
	}
	parts = append(parts, cfg.Fingerprint(), s.Fingerprint(), fmt.Sprintf("%+v", lim))
	sorted := append([]string(nil), args...)
	sort.Strings(sorted)
	return append(parts, sorted...)
}

// evaluationParts add the evaluation and its environments' contents to
// the cache key.
func evaluationParts(evaluate bool, envs []string) []string {
	if !evaluate {
		return nil
	}
	parts := []string{"evaluate"}
	for _, e := range envs {
		b, _ := os.ReadFile(e)
		parts = append(parts, e, string(b))
	}
	return parts
}

func absDir(p string) string {
	abs, err := filepath.Abs(filepath.Dir(p))
	if err != nil {
		return filepath.Dir(p)
	}
	return abs
}

// loadConfig loads --config, or hoist.hcl found from the current folder
// up; none is fine.
func loadConfig(env *Env, cmd, path string) (*config.File, int) {
	cfg, err := pipeline.LoadConfig(path, Version)
	if err != nil {
		return nil, configError(env, cmd, err)
	}
	return cfg, ExitOK
}

// configError prints a configuration error (HCL diagnostics with their
// source) and returns ExitUsage.
func configError(env *Env, cmd string, err error) int {
	var ce *config.Error
	if errors.As(err, &ce) {
		ce.Write(env.Err)
		return ExitUsage
	}
	fmt.Fprintf(env.Err, "hoist %s: %v\n", cmd, err)
	return ExitUsage
}

// writeLintReleases says which releases the files were read as, and why:
// "hoist lint: release stein (detected: ...)" for one tree, one line per
// tree and per release of the files outside a tree otherwise.
func writeLintReleases(env *Env, res *lint.Result) {
	if len(res.Releases) == 1 && res.Releases[0].Root != "" {
		c := res.Releases[0]
		fmt.Fprintf(env.Err, "hoist lint: release %s (%s)\n", c.Release.Name, c.Why)
		return
	}
	for _, c := range res.Releases {
		fmt.Fprintf(env.Err, "hoist lint: release %s\n", c)
	}
}

func writeLintSummary(env *Env, res *lint.Result, took time.Duration, verbose bool) {
	if verbose && len(res.Rendered) > 0 {
		fmt.Fprintf(env.Err, "hoist lint: rendered %d Jinja2 %s of %d %s:\n", len(res.Rendered), diag.Plural(len(res.Rendered), "output", "outputs"),
			len(res.Templates), diag.Plural(len(res.Templates), "template", "templates"))
		for _, r := range res.Rendered {
			fmt.Fprintf(env.Err, "  %s\n", r)
		}
	}
	if verbose && len(res.Phases) > 0 {
		parts := make([]string, len(res.Phases))
		for i, p := range res.Phases {
			parts[i] = fmt.Sprintf("%s %.1f ms", p.Name, float64(p.Took.Microseconds())/1000)
		}
		fmt.Fprintf(env.Err, "hoist lint: phases: %s\n", strings.Join(parts, ", "))
	}
	if verbose && len(res.TreeKept) > 0 {
		var ran []string
		for _, id := range res.TreeRules {
			if !slices.Contains(res.TreeKept, id) {
				ran = append(ran, id)
			}
		}
		checked := ""
		if len(ran) > 0 {
			checked = "; checked again: " + strings.Join(ran, ", ")
		}
		fmt.Fprintf(env.Err, "hoist lint: findings of %d of %d tree rules kept from the last run (their facts and reads unchanged)%s\n",
			len(res.TreeKept), len(res.TreeRules), checked)
	}
	e, w, i := diag.Count(res.Diagnostics)
	checked := fmt.Sprintf("%d %s", len(res.Files), diag.Plural(len(res.Files), "file", "files"))
	if n := len(res.Templates); n > 0 {
		checked += fmt.Sprintf(" and %d Jinja2 %s (%d %s)", n, diag.Plural(n, "template", "templates"),
			len(res.Rendered), diag.Plural(len(res.Rendered), "output", "outputs"))
	}
	fmt.Fprintf(env.Err, "hoist lint: checked %s in %s: %d %s, %d %s, %d %s\n",
		checked, fmt.Sprintf("%.3fs", took.Seconds()),
		e, diag.Plural(e, "error", "errors"), w, diag.Plural(w, "warning", "warnings"), i, diag.Plural(i, "info", "infos"))
	if res.Baselined > 0 || len(res.Stale) > 0 {
		stale := 0
		for _, s := range res.Stale {
			stale += s.Count
		}
		fmt.Fprintf(env.Err, "hoist lint: the baseline accepted %d %s; %d recorded %s no longer occur (write the baseline again to drop them)\n",
			res.Baselined, diag.Plural(res.Baselined, "finding", "findings"), stale, diag.Plural(stale, "finding", "findings"))
	}
	if n := len(res.Unrendered); n > 0 {
		fmt.Fprintf(env.Err, "hoist lint: %d Jinja2 %s not checked: %s (a template is checked through its renders, which need it on disk in a tripleo-heat-templates tree with roles_data.yaml and network_data.yaml)\n",
			n, diag.Plural(n, "template", "templates"), strings.Join(res.Unrendered, ", "))
	}
}
