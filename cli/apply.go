package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"github.com/spf13/pflag"

	"hoist/diag"
	"hoist/executor"
	"hoist/release"
	"hoist/source"
)

// What apply takes from the machine; tests replace them.
var (
	// applyRunner returns the runner of container commands.
	applyRunner = func() executor.Runner { return &executor.ExecRunner{} }
	// applyHost answers the dialect's questions about the machine.
	applyHost = executor.LocalHost()
	// applyPathExists tells whether a host path exists.
	applyPathExists = func(p string) bool { _, err := os.Stat(p); return err == nil }
	// applyHostname is the machine's hostname.
	applyHostname = os.Hostname
	// applyLookPath finds the runtime's program.
	applyLookPath = exec.LookPath
	// applyContext is the apply's context: cancelled by SIGINT or SIGTERM.
	applyContext = func() (context.Context, context.CancelFunc) {
		return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	}
)

func applyCommand() *command {
	return &command{
		name:    "apply",
		summary: "run a node's artifacts with podman or docker, step by step, as paunch did",
		usage:   "apply NODE_DIR [--step N | --steps 1-5] [flags]\n       hoist apply --file STARTUP_CONFIG --config-id ID [flags]",
		long: `apply runs what hoist build wrote for one node (OUT/nodes/<hostname>/), step by
step, as TripleO's deploy steps and paunch did on the node:
  - at step 1, installs the folder's files under --root, runs one config
    container per config volume of docker-puppet.json (container-puppet.json
    from stein) and writes the hashed startup configs (TRIPLEO_CONFIG_HASH);
  - at every step, writes config_step.json, applies the step's containers
    under the config id tripleo_stepN, then runs the step's puppet tasks:
    in queens on the role's bootstrap node, from rocky on those of the
    services the node is the bootstrap node of.
The folder's layout is that of its release (queens, rocky, stein, train):
the tree's manifest.json names it, else the files tell, or --release. The
runtime is --runtime, else the folder's container_cli (stein on), else the
release's (docker up to rocky, podman from stein); paunch's argv is the
release's paunch for that runtime unless --paunch-version says otherwise.
The node's hostname is the folder's name (or --hostname); it is the
bootstrap node of its role when etc/puppet/hieradata/bootstrap_node.json
names it.

With --file, it applies one startup config under --config-id, as
"paunch apply --file F --config-id ID" did.

Containers are compared through their config_data label: an unchanged one is
left alone, a changed one recreated, one the config no longer names removed.
The first failure stops the run (later steps do not run); running again
resumes. --dry-run runs only read-only queries and prints the commands that
would change something, one per line (--format json: each as a JSON array of
argv); it writes nothing. --dry-run --offline asks the runtime nothing and
prints what a first run on a node with no images and no containers would do,
the same on every machine (no runtime needs to be installed), for review.

Exit codes: 0 applied, 1 a command failed or the run was interrupted,
2 usage or input error (including a runtime that is not installed).
docs/executor.md describes the node folder, the paunch argv matched and
every deviation.`,
		setup: func(fs *pflag.FlagSet) func(*Env, []string) int {
			step := fs.Int("step", 0, "apply only step `N`")
			steps := fs.String("steps", "1-5", "apply the steps of `RANGE` (\"1-5\", \"2-4\", \"3\")")
			file := fs.String("file", "", "apply one startup config `FILE` instead of a node folder")
			configID := fs.String("config-id", "", "config id of --file's containers (its config_id label)")
			managedBy := fs.String("managed-by", "paunch", "managed_by label of the containers")
			labels := fs.StringArray("label", nil, "extra label `k=v` on every container (repeatable)")
			runtime := fs.String("runtime", "", "container runtime: podman or docker (default: the node folder's container_cli, else its release's: docker up to rocky, podman from stein; podman for --file)")
			dialect := fs.String("paunch-version", "", "paunch release whose argv to write: "+strings.Join(executor.DialectNames(), ", ")+
				" (default: the release's paunch for the runtime; else queens-eol for docker, ussuri-eol for podman)")
			rel := fs.String("release", "", "the TripleO release whose layout the node folder has: "+strings.Join(release.Names(), ", ")+" (default: the tree's manifest.json, else told from the files)")
			dryRun := fs.Bool("dry-run", false, "print the commands that would change something; change nothing")
			offline := fs.Bool("offline", false, "with --dry-run: ask the runtime nothing, and print what a first run on a node with no images and no containers would do (no runtime needs to be installed)")
			format := fs.String("format", "text", "output: text or json")
			root := fs.String("root", "/", "node root: the folder the node's paths are under")
			hostname := fs.String("hostname", "", "the node's hostname (default: the node folder's name)")
			prefix := fs.String("config-volume-prefix", "", "host folder of the config volumes (docker-puppet.py's CONFIG_VOLUME_PREFIX; default /var/lib/config-data under --root)")
			parallel := fs.Int("parallel", 3, "config containers run at once")
			systemd := fs.String("systemd", "auto", "hand podman containers with a restart policy to systemd units: auto, yes or no")
			logPath := fs.String("container-log-path", "", "podman: write container logs to `DIR`/<name>.log")
			noHealth := fs.Bool("healthcheck-disabled", false, "podman with systemd: write no healthcheck units")
			return func(env *Env, args []string) int {
				o := applyOpts{step: *step, stepSet: fs.Changed("step"), steps: *steps, stepsSet: fs.Changed("steps"),
					file: *file, configID: *configID, managedBy: *managedBy, labels: *labels, runtime: *runtime,
					dialect: *dialect, dryRun: *dryRun, offline: *offline, format: *format, root: *root, hostname: *hostname,
					prefix: *prefix, parallel: *parallel, systemd: *systemd, logPath: *logPath, noHealth: *noHealth, release: *rel}
				return runApply(env, o, args)
			}
		},
	}
}

type applyOpts struct {
	step                                             int
	stepSet, stepsSet                                bool
	steps, file, configID, managedBy                 string
	labels                                           []string
	runtime, dialect, format, root, hostname, prefix string
	systemd, logPath, release                        string
	parallel                                         int
	dryRun, offline, noHealth                        bool
}

func runApply(env *Env, o applyOpts, args []string) int {
	bad := func(format string, a ...any) int { return usageError(env, "apply", format, a...) }
	if o.format != "text" && o.format != "json" {
		return bad("unknown format %q: expected %s", o.format, diag.QuoteList([]string{"text", "json"}))
	}
	if o.offline && !o.dryRun {
		return bad("--offline is a kind of dry run: use it with --dry-run")
	}
	if o.runtime != "" {
		if _, err := executor.ParseRuntime(o.runtime); err != nil {
			return bad("--runtime: %v", err)
		}
	}
	if o.dialect != "" && executor.LookupDialect(o.dialect) == nil {
		return bad("unknown --paunch-version %q: expected %s", o.dialect, diag.QuoteList(executor.DialectNames()))
	}
	var rel *release.Release
	if o.release != "" {
		var ok bool
		if rel, ok = release.Lookup(o.release); !ok {
			return bad("unknown --release %q: expected %s", o.release, diag.QuoteList(release.Names()))
		}
	}
	var labels []executor.Label
	for _, l := range o.labels {
		k, v, ok := strings.Cut(l, "=")
		if !ok || k == "" {
			return bad("--label %q: expected k=v", l)
		}
		labels = append(labels, executor.Label{Key: k, Value: v})
	}
	if o.parallel < 1 {
		return bad("--parallel must be at least 1, not %d", o.parallel)
	}
	if o.root == "" {
		return bad("--root must not be empty")
	}
	// The root and the prefix end up in argv (pid files, mounts): absolute.
	for _, p := range []*string{&o.root, &o.prefix} {
		if *p != "" {
			abs, err := filepath.Abs(*p)
			if err != nil {
				return bad("%v", err)
			}
			*p = abs
		}
	}
	useSystemd := false
	switch o.systemd {
	case "yes":
		useSystemd = true
	case "no":
	case "auto":
		useSystemd = o.root == "/" && executor.SystemdBooted()
	default:
		return bad("unknown --systemd %q: expected %s", o.systemd, diag.QuoteList([]string{"auto", "yes", "no"}))
	}

	var steps []int
	fileMode := o.file != ""
	switch {
	case fileMode && len(args) > 0:
		return bad("give either a node folder or --file, not both")
	case fileMode && o.configID == "":
		return bad("--file needs --config-id (the config_id label of its containers)")
	case fileMode && (o.stepSet || o.stepsSet || o.hostname != ""):
		return bad("--step, --steps and --hostname are for node folders, not --file")
	case !fileMode && len(args) != 1:
		return bad("expected one node folder (OUT/nodes/<hostname>/ from hoist build), or --file STARTUP_CONFIG --config-id ID")
	case !fileMode && o.configID != "":
		return bad("--config-id is for --file; a node folder's steps use tripleo_stepN")
	case !fileMode && o.stepSet && o.stepsSet:
		return bad("give --step or --steps, not both")
	case !fileMode && o.stepSet:
		if o.step < 1 || o.step > executor.MaxStep {
			return bad("--step must be between 1 and %d, not %d", executor.MaxStep, o.step)
		}
		steps = []int{o.step}
	case !fileMode:
		var err error
		if steps, err = parseSteps(o.steps); err != nil {
			return bad("--steps: %v", err)
		}
	}

	// The node folder is read first: its release and container_cli choose
	// the runtime and paunch's argv when the flags do not.
	var node *executor.Node
	src := source.NewCache()
	if !fileMode {
		n, err := executor.OpenNodeAs(args[0], o.hostname, rel)
		if err != nil {
			return reportApplyInput(env, err, src)
		}
		node, rel = n, n.Release
	}
	rtName, rtWhy := o.runtime, "--runtime"
	switch {
	case rtName != "":
	case node != nil && node.ContainerCli != "":
		rtName, rtWhy = node.ContainerCli, "the node's container_cli"
	case rel != nil:
		rtName, rtWhy = rel.Containers.DefaultCli, "the "+rel.Name+" default"
	default:
		rtName, rtWhy = string(executor.Podman), "the default"
	}
	rt, err := executor.ParseRuntime(rtName)
	if err != nil {
		return bad("%s: %v", rtWhy, err)
	}
	d := executor.DefaultDialect(rt)
	if o.dialect != "" {
		d = executor.LookupDialect(o.dialect)
		if !d.Supports(rt) {
			return bad("paunch %s has no %s support; use --runtime docker or a --paunch-version from stein-eol on", d.Name, rt)
		}
	} else if rel != nil {
		if name, ok := rel.Containers.Paunch[string(rt)]; ok {
			if rd := executor.LookupDialect(name); rd != nil {
				d = rd
			}
		}
	}
	useSystemd = useSystemd && rt == executor.Podman
	if node != nil {
		fmt.Fprintf(env.Err, "hoist apply: %s is a %s node folder (%s); %s (%s), paunch %s\n", node.Hostname, node.Release.Name, node.ReleaseWhy, rt, rtWhy, d.Name)
	}
	if !o.dryRun {
		if _, err := applyLookPath(string(rt)); err != nil {
			fmt.Fprintf(env.Err, "hoist apply: %s is not installed or not on PATH (--runtime chooses podman or docker; --dry-run works without it)\n", rt)
			return ExitUsage
		}
	}

	// A dry run's output is written when it ends, and only if it
	// succeeds; a real run's events are written as they happen.
	var buf bytes.Buffer
	var out io.Writer = env.Out
	if o.dryRun {
		out = &buf
	}
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	counts := map[int]map[string]int{}
	x := &executor.Executor{
		Runtime: rt, Dialect: d, Runner: applyRunner(), DryRun: o.dryRun, Offline: o.offline, Root: o.root,
		ManagedBy: o.managedBy, Labels: labels, Host: applyHost, Systemd: useSystemd,
		HealthcheckDisabled: o.noHealth, ContainerLogPath: o.logPath, Log: env.Err,
		ConfigVolumePrefix: o.prefix, Parallel: o.parallel, HostPathExists: applyPathExists,
		Emit: func(ev executor.Event) {
			switch {
			case o.dryRun && o.format == "json":
				enc.Encode(ev.Argv)
			case o.dryRun:
				fmt.Fprintln(out, executor.ShellQuote(ev.Argv))
			case o.format == "json":
				enc.Encode(ev)
			default:
				if counts[ev.Step] == nil {
					counts[ev.Step] = map[string]int{}
				}
				counts[ev.Step][ev.Action]++
			}
		},
	}
	ctx, stop := applyContext()
	defer stop()

	var runErr error
	if fileMode {
		cfg, err := executor.LoadConfig(o.file)
		if err != nil {
			return reportApplyInput(env, err, src)
		}
		x.Release = rel
		runErr = x.Apply(ctx, cfg, o.configID)
	} else {
		n := node
		if o.root == "/" && !o.dryRun && o.hostname == "" {
			if host, err := applyHostname(); err == nil {
				if short, same := executor.SameHost(host, n.Hostname); !same {
					return bad("the node folder is for %q but this machine is %q; pass --hostname %s to apply it here anyway", n.Hostname, short, n.Hostname)
				}
			}
		}
		if n.Bootstrap {
			fmt.Fprintf(env.Err, "hoist apply: %s is the bootstrap node of its role\n", n.Hostname)
		}
		runErr = x.ApplyNode(ctx, n, steps)
	}
	if o.dryRun && runErr == nil {
		if _, err := env.Out.Write(buf.Bytes()); err != nil {
			fmt.Fprintf(env.Err, "hoist apply: %v\n", err)
			return ExitInternal
		}
	}
	if !o.dryRun && o.format == "text" {
		writeApplyCounts(env.Out, counts)
	}
	if runErr != nil {
		return reportApplyError(env, runErr, src)
	}
	return ExitOK
}

// parseSteps reads "1-5", "3" or "2-4".
func parseSteps(s string) ([]int, error) {
	lo, hi, isRange := strings.Cut(s, "-")
	if !isRange {
		hi = lo
	}
	a, err1 := strconv.Atoi(strings.TrimSpace(lo))
	b, err2 := strconv.Atoi(strings.TrimSpace(hi))
	if err1 != nil || err2 != nil || a < 1 || b > executor.MaxStep || a > b {
		return nil, fmt.Errorf("%q is not a range of steps: expected N or A-B with 1 <= A <= B <= %d", s, executor.MaxStep)
	}
	var out []int
	for i := a; i <= b; i++ {
		out = append(out, i)
	}
	return out, nil
}

func writeApplyCounts(w io.Writer, counts map[int]map[string]int) {
	var steps []int
	for s := range counts {
		steps = append(steps, s)
	}
	sort.Ints(steps)
	for _, s := range steps {
		var acts []string
		for a := range counts[s] {
			acts = append(acts, a)
		}
		sort.Strings(acts)
		var parts []string
		for _, a := range acts {
			parts = append(parts, fmt.Sprintf("%s %d", a, counts[s][a]))
		}
		label := fmt.Sprintf("step %d", s)
		if s == 0 {
			label = "apply"
		}
		fmt.Fprintf(w, "%s: %s\n", label, strings.Join(parts, ", "))
	}
}

// reportApplyInput prints an input error (a diagnostic with its snippet)
// and returns ExitUsage.
func reportApplyInput(env *Env, err error, src *source.Cache) int {
	var ds executor.Diagnostics
	var d *diag.Diagnostic
	switch {
	case errors.As(err, &ds):
		diag.WriteText(env.Err, ds, diag.TextOptions{Sources: src})
	case errors.As(err, &d):
		diag.WriteText(env.Err, []*diag.Diagnostic{d}, diag.TextOptions{Sources: src})
	default:
		fmt.Fprintf(env.Err, "hoist apply: %v\n", err)
	}
	return ExitUsage
}

func reportApplyError(env *Env, err error, src *source.Cache) int {
	var ds executor.Diagnostics
	var d *diag.Diagnostic
	var f *executor.Failure
	switch {
	case errors.As(err, &ds), errors.As(err, &d):
		return reportApplyInput(env, err, src)
	case errors.Is(err, executor.ErrNoRuntime):
		fmt.Fprintf(env.Err, "hoist apply: %v\n", err)
		return ExitUsage
	case errors.As(err, &f):
		fmt.Fprintf(env.Err, "hoist apply: %v\n", err)
		if len(f.Argv) > 0 {
			fmt.Fprintf(env.Err, "  command: %s\n", executor.ShellQuote(f.Argv))
		}
		if executor.Interrupted(err) {
			fmt.Fprintf(env.Err, "hoist apply: interrupted; nothing half-created was left behind, apply again to resume\n")
		}
		return ExitFindings
	}
	fmt.Fprintf(env.Err, "hoist apply: %v\n", err)
	return ExitFindings
}
