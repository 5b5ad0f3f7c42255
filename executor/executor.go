package executor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"hoist/release"
)

// Executor applies startup configs (and, through ApplyNode, a whole node
// folder) with one container runtime. Its zero value is not usable: set
// Runtime and Runner at least.
type Executor struct {
	Runtime Runtime
	// Dialect is the paunch release whose argv hoist writes (default:
	// DefaultDialect(Runtime)).
	Dialect *Dialect
	Runner  Runner
	// DryRun runs only read-only queries and reports every command that
	// would change something instead of running it; it writes no file.
	DryRun bool
	// Offline, with DryRun, asks the runtime nothing: the node is taken to
	// have no images and no containers, so the commands reported are
	// those of a first run, the same on every machine, for review.
	Offline bool
	// Root is the node root: the "/" under which hoist writes and reads
	// the node's files (config_step.json, the hashed startup configs,
	// config-data, pid files, systemd units). Default "/". Paths inside
	// the artifacts (container volumes) are passed to the runtime as they
	// are.
	Root string
	// ManagedBy is the managed_by label (default "paunch").
	ManagedBy string
	// Labels are extra labels put before paunch's own, in order.
	Labels []Label
	// Host answers the dialect's questions about the machine.
	Host Host
	// Systemd hands podman containers with a restart policy to systemd
	// units; otherwise hoist starts them with `podman start`.
	Systemd bool
	// HealthcheckDisabled writes no healthcheck units (paunch's
	// --healthcheck-disabled).
	HealthcheckDisabled bool
	// ContainerLogPath is podman's --container-log-path ("" for none).
	ContainerLogPath string
	// Log receives progress and errors for people (standard error).
	Log io.Writer
	// Emit receives every command that changes something: planned ones
	// in a dry run, run ones (with their exit code) otherwise.
	Emit func(Event)
	// Sleep waits between retries (default: a timer that ctx cancels).
	Sleep func(ctx context.Context, d time.Duration) error
	// PullAttempts is how many times a pull is tried (default 4, as
	// paunch's tenacity settings).
	PullAttempts int
	// ConfigVolumePrefix is docker-puppet.py's CONFIG_VOLUME_PREFIX: the
	// host folder config generation writes into, and the prefix of the
	// container volumes TRIPLEO_CONFIG_HASH looks at. Default: /var/lib/
	// config-data under the node root, matched as /var/lib/config-data.
	ConfigVolumePrefix string
	// Parallel is how many config containers run at once (default 3, as
	// TripleO's PROCESS_COUNT).
	Parallel int
	// HostPathExists tells whether a host system path (/etc/localtime,
	// /dev/log, CA bundles) exists, to mount it into config containers;
	// nil mounts them all.
	HostPathExists func(string) bool
	// Release is the TripleO release whose config generation (container
	// names, files) and TRIPLEO_CONFIG_HASH rules apply; nil is
	// release.Default() (queens). ApplyNode sets it to the node folder's.
	Release *release.Release

	step      int
	mu        sync.Mutex // guards what config containers share
	noRuntime bool       // dry run without the runtime installed
	dryPulled map[string]bool
	// snap is what the runtime holds, during one Apply.
	snap *snapshot
	// seen is what the runtime answered while nothing changed (x.mu).
	seen   *seen
	warned map[string]bool
}

// Event is one command that changes something.
type Event struct {
	Step      int      `json:"step,omitempty"`
	ConfigID  string   `json:"config_id,omitempty"`
	Container string   `json:"container,omitempty"`
	Action    string   `json:"action"`
	Argv      []string `json:"argv"`
	// ExitCode is set for commands that ran (not in a dry run).
	ExitCode *int `json:"exit_code,omitempty"`
}

// The actions of events.
const (
	ActPull      = "pull"
	ActRemove    = "remove"
	ActRun       = "run"
	ActCreate    = "create"
	ActStart     = "start"
	ActExec      = "exec"
	ActSystemctl = "systemctl"
	ActConfig    = "config"
	ActTask      = "task"
)

// Failure is an apply that stopped because something it ran failed: a
// pull, a container, an exec, a config generation, or an interruption.
type Failure struct {
	Step      int
	ConfigID  string
	Container string
	Argv      []string
	ExitCode  int
	// Output is the tail of the command's standard error (or output).
	Output string
	Msg    string
	// Err is the underlying cause, when there is one (context.Canceled on
	// an interrupt).
	Err error
}

func (f *Failure) Error() string {
	var b strings.Builder
	if f.Step > 0 {
		fmt.Fprintf(&b, "step %d: ", f.Step)
	}
	b.WriteString(f.Msg)
	if f.Output != "" {
		b.WriteString(": ")
		b.WriteString(f.Output)
	}
	return b.String()
}

func (f *Failure) Unwrap() error { return f.Err }

// Interrupted reports whether err is an apply stopped by its context.
func Interrupted(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// ErrNoRuntime is returned when the runtime's program is not installed
// (outside a dry run).
var ErrNoRuntime = errors.New("container runtime not found")

func (x *Executor) init() {
	if x.Release == nil {
		x.Release = release.Default()
	}
	if x.Dialect == nil {
		x.Dialect = DefaultDialect(x.Runtime)
	}
	if x.ManagedBy == "" {
		x.ManagedBy = "paunch"
	}
	if x.Root == "" {
		x.Root = "/"
	}
	if x.Log == nil {
		x.Log = io.Discard
	}
	if x.Sleep == nil {
		x.Sleep = sleepCtx
	}
	if x.PullAttempts <= 0 {
		x.PullAttempts = 4
	}
	if x.warned == nil {
		x.warned = map[string]bool{}
		x.dryPulled = map[string]bool{}
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (x *Executor) logf(format string, args ...any) {
	x.mu.Lock()
	defer x.mu.Unlock()
	fmt.Fprintf(x.Log, format+"\n", args...)
}

func (x *Executor) emit(ev Event) {
	if x.Emit == nil {
		return
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.Emit(ev)
}

func (x *Executor) warnOnce(key, format string, args ...any) {
	x.mu.Lock()
	seen := x.warned[key]
	x.warned[key] = true
	x.mu.Unlock()
	if !seen {
		x.logf("warning: "+format, args...)
	}
}

// rootPath is a node path under the node root.
func (x *Executor) rootPath(p string) string {
	return filepath.Join(x.Root, filepath.FromSlash(p))
}

// query runs a read-only command, also in a dry run. ok is false when it
// could not run because the runtime is absent in a dry run; then the dry
// run carries on as if the host had no images and no containers.
func (x *Executor) query(ctx context.Context, argv []string) (res Result, ok bool, err error) {
	x.mu.Lock()
	none := x.noRuntime || x.Offline && x.DryRun
	x.mu.Unlock()
	if none {
		return Result{ExitCode: 1}, false, nil
	}
	res, err = x.Runner.Run(ctx, argv)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			if x.DryRun {
				x.mu.Lock()
				x.noRuntime = true
				x.mu.Unlock()
				x.warnOnce("noruntime", "%s is not installed: the dry run assumes a host with no images and no containers", argv[0])
				return Result{ExitCode: 1}, false, nil
			}
			return res, false, fmt.Errorf("%w: %s is not installed or not on PATH", ErrNoRuntime, argv[0])
		}
		if ctx.Err() != nil {
			return res, false, &Failure{Step: x.step, Argv: argv, Msg: "interrupted", Err: ctx.Err()}
		}
		return res, false, fmt.Errorf("running %s: %w", argv[0], err)
	}
	return res, true, nil
}

// mutate runs (or, in a dry run, reports) a command that changes
// something.
func (x *Executor) mutate(ctx context.Context, ev Event, argv []string) (Result, error) {
	ev.Step = x.step
	ev.Argv = argv
	if x.DryRun {
		x.emit(ev)
		return Result{}, nil
	}
	if err := ctx.Err(); err != nil {
		return Result{ExitCode: -1}, err
	}
	x.logf("+ %s", ShellQuote(argv))
	x.forget()
	res, err := x.Runner.Run(ctx, argv)
	if err != nil && errors.Is(err, ErrNotFound) {
		return res, fmt.Errorf("%w: %s is not installed or not on PATH", ErrNoRuntime, argv[0])
	}
	code := res.ExitCode
	ev.ExitCode = &code
	x.emit(ev)
	if err == nil && res.ExitCode != 0 {
		if out := tail(res.Stderr, res.Stdout); out != "" {
			x.logf("  exit code %d: %s", res.ExitCode, out)
		} else {
			x.logf("  exit code %d", res.ExitCode)
		}
	}
	return res, err
}

// tail returns the last lines of a command's error output (or output).
func tail(stderr, stdout []byte) string {
	s := strings.TrimSpace(string(stderr))
	if s == "" {
		s = strings.TrimSpace(string(stdout))
	}
	lines := strings.Split(s, "\n")
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	return strings.Join(lines, "\n  ")
}

// cleanupCtx is for the commands that undo a half-done action after an
// interrupt: the apply's own context has ended, so they get their own.
func cleanupCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 2*time.Minute)
}

// pullImages makes every image present: an image the runtime has is not
// pulled; a missing one is pulled with retries and a random
// exponential back-off capped at 10 seconds, as paunch did. All images are
// tried; if any failed, the apply stops before touching any container.
func (x *Executor) pullImages(ctx context.Context, configID string, images []string) error {
	// The images are asked about in one call, unless the apply's own
	// snapshot already did.
	known := x.snap
	if known == nil {
		known = &snapshot{}
		if err := x.inspectAll(ctx, known, nil, images); err != nil {
			return err
		}
	}
	var failed *Failure
	for _, img := range images {
		if known.imageIDs[img] != "" || x.dryPulled[img] {
			continue
		}
		// Asked one by one only where the listing may not show it: no
		// listing, or a short name or a digest.
		if !known.inspected && !(known.imagesListed && fullyNamed(img)) {
			res, ok, err := x.query(ctx, x.Runtime.imageExistsArgv(img))
			if err != nil {
				return err
			}
			if ok && res.ExitCode == 0 {
				continue
			}
		}
		if x.DryRun {
			x.dryPulled[img] = true
		}
		var last Result
		var err error
		for attempt := 1; attempt <= x.PullAttempts; attempt++ {
			if attempt > 1 {
				wait := time.Duration(rand.Float64() * float64(min(10*time.Second, time.Second<<(attempt-1))))
				if err := x.Sleep(ctx, wait); err != nil {
					return &Failure{Step: x.step, ConfigID: configID, Msg: "interrupted while pulling " + img, Err: err}
				}
			}
			last, err = x.mutate(ctx, Event{ConfigID: configID, Action: ActPull}, x.Runtime.pullArgv(img))
			if err != nil {
				if Interrupted(err) || ctx.Err() != nil {
					return &Failure{Step: x.step, ConfigID: configID, Msg: "interrupted while pulling " + img, Err: ctx.Err()}
				}
				return err
			}
			if last.ExitCode == 0 {
				break
			}
			x.logf("pull of %s failed (attempt %d of %d)", img, attempt, x.PullAttempts)
		}
		if last.ExitCode != 0 {
			failed = &Failure{Step: x.step, ConfigID: configID, Argv: x.Runtime.pullArgv(img), ExitCode: last.ExitCode,
				Output: tail(last.Stderr, last.Stdout),
				Msg:    fmt.Sprintf("cannot pull image %s after %d attempts; no container was touched", img, x.PullAttempts)}
			x.logf("error: %s", failed.Msg)
		}
	}
	if failed != nil {
		return failed
	}
	return nil
}
