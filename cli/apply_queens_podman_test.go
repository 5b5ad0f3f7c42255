package cli

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"hoist/executor"
	"hoist/executor/executortest"
)

// The queens controller applied on real podman. Its images are made-up
// names (registry.example/...:1) that no registry serves, and this
// machine is offline, so each is the busybox test image under that name
// (podman tag), and a stand-in runner runs each container the apply
// creates as that image can: same name, labels and options, but without
// the bind mounts (the node's host folders do not exist here), the user
// and entrypoint (busybox has neither nova nor kolla_start), the ulimits
// (this sandbox may not raise them) and with a
// command busybox has (a wait for detached containers, true for the
// others). What the dry run then sees is what paunch would see on an
// applied controller: every container of every step, with its labels.

// madeUpImage is how allParametersEnvironment names images.
var madeUpImage = regexp.MustCompile(`registry\.example/[a-z0-9._-]+:1`)

// standIn runs podman, with run, create and exec commands rewritten as
// described above.
type standIn struct {
	r     executor.Runner
	calls *atomic.Int64
}

func (s standIn) Run(ctx context.Context, argv []string) (executor.Result, error) {
	if s.calls != nil {
		s.calls.Add(1)
	}
	if len(argv) > 2 {
		switch argv[1] {
		case "run", "create":
			argv = standInRun(argv)
		case "exec":
			argv = standInExec(argv)
		}
	}
	return s.r.Run(ctx, argv)
}

// standInRun drops the options busybox cannot honour and replaces the
// command after the image.
func standInRun(argv []string) []string {
	out := []string{argv[0], argv[1]}
	detached := false
	for i := 2; i < len(argv); i++ {
		a := argv[i]
		if madeUpImage.MatchString(a) && madeUpImage.FindString(a) == a {
			// One idle sleep, which TERM ends at once.
			forever := []string{"sh", "-c", "trap 'exit 0' TERM; sleep 2147483647 & wait"}
			if !detached && argv[1] == "run" {
				forever = []string{"true"}
			}
			return append(append(out, a), forever...)
		}
		name, _, hasValue := strings.Cut(a, "=")
		switch name {
		case "--volume", "-v", "--user", "-u", "--entrypoint", "--env-file", "--ulimit":
			if !hasValue {
				i++
			}
			continue
		case "--detach", "-d":
			detached = !hasValue || strings.HasSuffix(a, "=true")
		}
		out = append(out, a)
	}
	return out
}

// standInExec runs true in the target container.
func standInExec(argv []string) []string {
	for i := 2; i < len(argv); i++ {
		if strings.HasPrefix(argv[i], "-") {
			if (argv[i] == "--user" || argv[i] == "-u") && i+1 < len(argv) {
				i++
			}
			continue
		}
		return []string{argv[0], "exec", argv[i], "true"}
	}
	return argv
}

// appliedQueensController builds the queens controller node and applies
// it on an isolated real podman; it returns the node, its root and the
// podman. Applying its 80-odd containers takes a minute or two.
func appliedQueensController(t testing.TB) (node, root string, p *executortest.Podman) {
	t.Helper()
	p = executortest.NewPodman(t)
	node = queensControllerNode(t)
	const image = "localhost/hoist-test/busybox:1"
	p.BuildImage(t, image, nil)
	var images []string
	err := filepath.WalkDir(node, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		for _, m := range madeUpImage.FindAll(b, -1) {
			images = append(images, string(m))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(images)
	images = slices.Compact(images)
	if len(images) == 0 {
		t.Fatal("the queens controller names no image")
	}
	p.MustRun(t, append([]string{"tag", image}, images...)...)
	useRealPodman(t, standIn{r: &executor.ExecRunner{Env: p.Env}})
	root = filepath.Join(p.Dir, "root")
	if r := run(t, "", "apply", node, "--root", root, "--systemd", "no", "--runtime", "podman"); r.code != ExitOK {
		t.Fatalf("apply: exit %d\n%s", r.code, r.err)
	}
	return node, root, p
}

// useRealPodman makes hoist apply run the given runner and look up the
// runtime for real; the host facts are those of the controller.
func useRealPodman(t testing.TB, r executor.Runner) {
	oldRunner, oldHost, oldExists, oldName, oldCtx, oldLook := applyRunner, applyHost, applyPathExists, applyHostname, applyContext, applyLookPath
	t.Cleanup(func() {
		applyRunner, applyHost, applyPathExists, applyHostname, applyContext, applyLookPath = oldRunner, oldHost, oldExists, oldName, oldCtx, oldLook
	})
	applyLookPath = exec.LookPath
	applyRunner = func() executor.Runner { return r }
	applyHost = executor.Host{
		CPUAffinity:   func() ([]int, error) { return []int{0, 1}, nil },
		KernelCmdline: func() (string, error) { return "ro quiet", nil },
	}
	applyPathExists = func(string) bool { return false }
	applyHostname = func() (string, error) { return "overcloud-controller-0.localdomain", nil }
	applyContext = func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) }
}

// TestApplyPodmanQueensController applies the queens controller on real
// podman, then dry-runs it: the dry run would pull nothing and stop,
// remove or create no container of the startup configs; what it lists
// is what runs on every apply (config generation, the puppet tasks, the
// execs), and it asks podman at most twice per step besides those.
func TestApplyPodmanQueensController(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the podman test in -short mode")
	}
	node, root, p := appliedQueensController(t)
	names := strings.Fields(p.MustRun(t, "ps", "--all", "--format", "{{.Names}}"))
	if len(names) < 50 {
		t.Fatalf("the apply left %d containers, want the controller's 80-odd: %v", len(names), names)
	}
	var calls atomic.Int64
	useRealPodman(t, standIn{r: &executor.ExecRunner{Env: p.Env}, calls: &calls})
	start := time.Now()
	r := run(t, "", "apply", node, "--root", root, "--dry-run", "--systemd", "no", "--runtime", "podman")
	took := time.Since(start) // shown, not checked: BenchmarkPodmanDryRunQueensController measures it
	if r.code != ExitOK {
		t.Fatalf("dry run: exit %d\n%s", r.code, r.err)
	}
	changes := 0
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		changes++
		// Config generation and the puppet tasks run on every apply, in
		// containers named docker-puppet-*, as the execs do.
		fields := strings.Fields(line)
		if len(fields) < 3 || fields[0] != "podman" {
			t.Errorf("unexpected line in the dry run: %.200s", line)
			continue
		}
		switch verb := fields[1]; {
		case verb == "exec":
		case (verb == "rm" || verb == "run") && strings.Contains(line, "docker-puppet-"):
		default:
			t.Errorf("the dry run of the applied node would run %.200s", line)
		}
	}
	const steps = 5
	if n := int(calls.Load()); n > 2*steps+changes {
		t.Errorf("the dry run asked podman %d times; at most %d (2 per step, 1 per command it would run: %d)", n, 2*steps+changes, changes)
	}
	after := strings.Fields(p.MustRun(t, "ps", "--all", "--format", "{{.Names}}"))
	sort.Strings(names)
	sort.Strings(after)
	if !slices.Equal(names, after) {
		t.Errorf("the dry run changed the containers:\nbefore %v\nafter  %v", names, after)
	}
	t.Logf("%d containers applied; the dry run took %v, asked podman %d times and lists %d commands", len(names), took.Round(time.Millisecond), calls.Load(), changes)
}

// BenchmarkPodmanDryRunQueensController is hoist apply --dry-run of the
// queens controller once real podman has applied it: what a reviewer
// runs before changing a controller (issue: under one second).
func BenchmarkPodmanDryRunQueensController(b *testing.B) {
	node, root, p := appliedQueensController(b)
	var calls atomic.Int64
	useRealPodman(b, standIn{r: &executor.ExecRunner{Env: p.Env}, calls: &calls})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := run(b, "", "apply", node, "--root", root, "--dry-run", "--systemd", "no", "--runtime", "podman"); r.code != ExitOK {
			b.Fatalf("dry run: exit %d\n%s", r.code, r.err)
		}
	}
	b.ReportMetric(float64(calls.Load())/float64(b.N), "runtime-calls/op")
}

// BenchmarkPodmanDryRunQueensControllerEmpty is the same dry run on a
// podman with no images and no containers: what a reviewer runs before a
// node's first deployment.
func BenchmarkPodmanDryRunQueensControllerEmpty(b *testing.B) {
	p := executortest.NewPodman(b)
	node := queensControllerNode(b)
	var calls atomic.Int64
	useRealPodman(b, standIn{r: &executor.ExecRunner{Env: p.Env}, calls: &calls})
	root := b.TempDir()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := run(b, "", "apply", node, "--root", root, "--dry-run", "--systemd", "no", "--runtime", "podman"); r.code != ExitOK {
			b.Fatalf("dry run: exit %d\n%s", r.code, r.err)
		}
	}
	b.ReportMetric(float64(calls.Load())/float64(b.N), "runtime-calls/op")
}
