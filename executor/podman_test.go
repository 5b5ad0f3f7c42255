package executor_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hoist/executor"
	"hoist/executor/executortest"
)

// The podman integration test runs real containers: Debian's podman with
// runc, an image made offline from Debian's busybox-static, and a storage
// of its own in a temporary folder (executortest.NewPodman), so that it
// never sees or touches any other container of the machine.

const testImage = "localhost/hoist-test/busybox:1"

// fakePuppet stands in for puppet inside the test image: it records the
// manifest and tags it was given where a service's config file would be,
// and answers 2, puppet's "changes applied".
const fakePuppet = `#!/bin/sh
manifest=""
tags=""
while [ $# -gt 0 ]; do
	case "$1" in
	--tags) tags="$2"; shift 2 ;;
	apply | --*) shift ;;
	*) manifest="$1"; shift ;;
	esac
done
mkdir -p /etc/hoist-test
{ echo "tags=$tags"; cat "$manifest"; echo; } > "/etc/hoist-test/$NAME.conf"
echo "step=$STEP no_archive=$NO_ARCHIVE" >> "/var/lib/config-data/puppet-ran-$NAME"
exit 2
`

type podmanEnv struct {
	*executortest.Podman
}

func newPodmanEnv(t testing.TB) *podmanEnv { return &podmanEnv{executortest.NewPodman(t)} }

func (p *podmanEnv) podman(t *testing.T, args ...string) (string, error) {
	return p.MustRun(t, args...), nil
}

// folders makes the test's node folder, node root and data folder under
// the podman's own; prefix is config generation's folder in the root.
func (p *podmanEnv) folders() (node, root, prefix, data string) {
	work := filepath.Join(p.Dir, "work")
	node = filepath.Join(work, "out", "nodes", "node-0")
	root = filepath.Join(work, "root")
	prefix = filepath.Join(root, "var/lib/config-data")
	data = filepath.Join(work, "data")
	for _, d := range []string{node, root, data} {
		os.MkdirAll(d, 0o755)
	}
	return node, root, prefix, data
}

func (p *podmanEnv) buildImage(t testing.TB) {
	p.BuildImage(t, testImage, map[string]string{"/usr/bin/puppet": fakePuppet})
}

func (p *podmanEnv) containerIDs(t *testing.T) map[string]string { return p.ContainerIDs(t) }

type inspected struct {
	ID     string `json:"Id"`
	Config struct {
		Labels map[string]string
		Env    []string
	}
	State struct {
		Running  bool
		Status   string
		ExitCode int
	}
}

func (p *podmanEnv) inspect(t *testing.T, name string) inspected {
	t.Helper()
	out, _ := p.podman(t, "inspect", "--type", "container", name)
	var all []inspected
	if err := json.Unmarshal([]byte(out), &all); err != nil || len(all) != 1 {
		t.Fatalf("inspect %s: %v\n%s", name, err, out)
	}
	return all[0]
}

// writeNode writes a node folder of two steps whose containers run the
// test image; svcValue is what the config volume's manifest says.
func writeNode(t testing.TB, dir, prefix, data string, svcValue int, removeExtra, failBoot bool) {
	t.Helper()
	write := func(p string, v any) {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		p = filepath.Join(dir, p)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	forever := []string{"sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"}
	step1 := map[string]any{
		"boot": map[string]any{"image": testImage, "detach": false, "net": "host", "user": "root", "start_order": 0,
			"command": []string{"sh", "-c", "echo booted >> /data/boot.txt"}, "volumes": []string{data + ":/data"}},
		"svc": map[string]any{"image": testImage, "restart": "always", "net": "host", "start_order": 1, "stop_grace_period": 5,
			"environment": []string{"SVC=1"}, "command": forever,
			"volumes": []string{prefix + "/puppet-generated/svc/:/etc/svc:ro", data + ":/data"}},
		"extra": map[string]any{"image": testImage, "restart": "always", "net": "host", "start_order": 2, "command": forever},
	}
	if removeExtra {
		delete(step1, "extra")
	}
	if failBoot {
		step1["fail_boot"] = map[string]any{"image": testImage, "detach": false, "net": "host", "start_order": 3,
			"command": []string{"sh", "-c", "echo failing >&2; exit 1"}}
	}
	step2 := map[string]any{
		"svc_read": map[string]any{"action": "exec", "start_order": 0, "user": "root",
			"command": []string{"svc", "sh", "-c", "cat /etc/svc/etc/hoist-test/svc.conf > /data/exec.txt"}},
		"other": map[string]any{"image": testImage, "restart": "always", "net": "host", "start_order": 1, "command": forever},
	}
	write(executor.StartupConfigAll, map[string]any{"step_1": step1, "step_2": step2})
	write(executor.StepConfigFile(1), step1)
	write(executor.StepConfigFile(2), step2)
	write(executor.PuppetConfigFile, []any{
		map[string]any{"config_volume": "svc", "puppet_tags": "svc_config", "config_image": testImage,
			"step_config": fmt.Sprintf("class { 'svc': value => %d }", svcValue)},
	})
	write(executor.PuppetTasksFile(2), []any{
		map[string]any{"config_volume": "svc_init", "puppet_tags": "svc_user", "config_image": testImage, "step_config": "include svc::init"},
	})
	write(executor.BootstrapNodeFile, map[string]any{"bootstrap_nodeid": "node-0"})
	write("etc/puppet/hieradata/service_configs.json", map[string]any{"svc::value": svcValue})
}

func TestPodmanIntegration(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the podman integration test in -short mode")
	}
	p := newPodmanEnv(t)
	p.buildImage(t)

	node, root, prefix, data := p.folders()
	var events []executor.Event
	var log syncBuffer
	x := &executor.Executor{
		Runtime: executor.Podman, Runner: timedRunner{&executor.ExecRunner{Env: p.Env}, &log}, Root: root,
		ConfigVolumePrefix: prefix, HostPathExists: func(s string) bool { _, err := os.Stat(s); return err == nil },
		Log: &log, Emit: func(ev executor.Event) { events = append(events, ev) },
	}
	apply := func(steps ...int) error {
		t.Helper()
		events = nil
		log.Reset()
		n, err := executor.OpenNode(node, "")
		if err != nil {
			t.Fatal(err)
		}
		if !n.Bootstrap {
			t.Fatal("node-0 should be the bootstrap node")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		start := time.Now()
		err = x.ApplyNode(ctx, n, steps)
		t.Logf("apply took %.1fs", time.Since(start).Seconds())
		if testing.Verbose() {
			t.Log(log.String())
		}
		return err
	}
	// containerActions are the events that touch service containers (not
	// the config containers, which run on every apply, nor execs).
	containerActions := func() []string {
		var out []string
		for _, ev := range events {
			if ev.ConfigID != "docker-puppet" && ev.Action != executor.ActExec {
				out = append(out, ev.Action+" "+ev.Container)
			}
		}
		return out
	}

	// First apply: everything is created.
	writeNode(t, node, prefix, data, 1, false, false)
	if err := apply(1, 2); err != nil {
		t.Fatalf("first apply: %v\n%s", err, log.String())
	}
	if b, _ := os.ReadFile(filepath.Join(data, "boot.txt")); string(b) != "booted\n" {
		t.Errorf("the bootstrap container did not write its file: %q", b)
	}
	// The config volume reached the service through the exec.
	if b, _ := os.ReadFile(filepath.Join(data, "exec.txt")); !strings.Contains(string(b), "class { 'svc': value => 1 }") ||
		!strings.Contains(string(b), "tags=file,file_line,concat,augeas,cron,svc_config") {
		t.Errorf("exec output (the generated config seen from svc): %q", b)
	}
	// The bootstrap task ran at step 2, without archiving.
	if b, _ := os.ReadFile(filepath.Join(prefix, "puppet-ran-svc_init")); string(b) != "step=2 no_archive=true\n" {
		t.Errorf("bootstrap task: %q", b)
	}
	if _, err := os.Stat(filepath.Join(prefix, "puppet-generated", "svc_init")); !os.IsNotExist(err) {
		t.Errorf("a NO_ARCHIVE task archived its output: %v", err)
	}
	svc := p.inspect(t, "svc")
	if !svc.State.Running || svc.Config.Labels["config_id"] != "tripleo_step1" || svc.Config.Labels["container_name"] != "svc" ||
		svc.Config.Labels["managed_by"] != "paunch" || !strings.Contains(svc.Config.Labels["config_data"], `"TRIPLEO_CONFIG_HASH=`) {
		t.Errorf("svc: %+v", svc)
	}
	hash := ""
	for _, e := range svc.Config.Env {
		if h, ok := strings.CutPrefix(e, "TRIPLEO_CONFIG_HASH="); ok {
			hash = h
		}
	}
	if len(hash) != 32 {
		t.Errorf("svc's TRIPLEO_CONFIG_HASH is %q, want an md5 of its config volume", hash)
	}
	boot := p.inspect(t, "boot")
	if boot.State.Running || boot.State.ExitCode != 0 {
		t.Errorf("boot: %+v", boot.State)
	}
	running, _ := p.podman(t, "ps", "--format", "{{.Names}}")
	if got := strings.Fields(running); !sameSet(got, []string{"svc", "extra", "other"}) {
		t.Errorf("running containers %q, want svc, extra and other", got)
	}
	if got := keys(p.containerIDs(t)); !sameSet(got, []string{"boot", "svc", "extra", "other"}) {
		t.Errorf("containers %q: config containers should be gone", got)
	}
	first := p.containerIDs(t)

	// Second apply, unchanged: no container is started, stopped or created.
	if err := apply(1, 2); err != nil {
		t.Fatalf("second apply: %v\n%s", err, log.String())
	}
	if a := containerActions(); len(a) != 0 {
		t.Errorf("an unchanged apply touched containers: %q", a)
	}
	if got := p.containerIDs(t); !maps.Equal(got, first) {
		t.Errorf("containers changed: %v, were %v", got, first)
	}
	if b, _ := os.ReadFile(filepath.Join(data, "boot.txt")); string(b) != "booted\n" {
		t.Errorf("the one-shot bootstrap container ran again: %q", b)
	}

	// Third apply: the config volume's manifest changed and extra is no
	// longer in the config: exactly svc is recreated, extra removed.
	writeNode(t, node, prefix, data, 2, true, false)
	if err := apply(1, 2); err != nil {
		t.Fatalf("third apply: %v\n%s", err, log.String())
	}
	if a := containerActions(); !slices.Equal(a, []string{"remove extra", "remove extra", "remove svc", "remove svc", "create svc", "start svc"}) {
		t.Errorf("container actions %q, want extra removed and svc recreated", a)
	}
	third := p.containerIDs(t)
	if _, ok := third["extra"]; ok {
		t.Error("extra is still there")
	}
	for _, name := range []string{"boot", "other"} {
		if third[name] != first[name] {
			t.Errorf("%s was recreated", name)
		}
	}
	if third["svc"] == first["svc"] || !p.inspect(t, "svc").State.Running {
		t.Errorf("svc was not recreated and running")
	}
	if b, _ := os.ReadFile(filepath.Join(data, "exec.txt")); !strings.Contains(string(b), "value => 2") {
		t.Errorf("svc does not see the new configuration: %q", b)
	}

	// Fourth apply: a bootstrap container exits 1: the run stops at step 1,
	// with the failure and without it (nor step 2) left behind.
	writeNode(t, node, prefix, data, 2, true, true)
	os.Remove(filepath.Join(data, "exec.txt"))
	err := apply(1, 2)
	var f *executor.Failure
	if !errors.As(err, &f) || f.Step != 1 || f.Container != "fail_boot" || f.ExitCode != 1 {
		t.Fatalf("fourth apply: err = %v, want fail_boot failing at step 1\n%s", err, log.String())
	}
	if !strings.Contains(log.String(), "failing") {
		t.Errorf("the container's error output is not in the log:\n%s", log.String())
	}
	if _, ok := p.containerIDs(t)["fail_boot"]; ok {
		t.Error("the failed container was left behind")
	}
	if _, err := os.Stat(filepath.Join(data, "exec.txt")); !os.IsNotExist(err) {
		t.Error("step 2 ran after step 1 failed")
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// timedRunner notes in the log how long each slow command took.
type timedRunner struct {
	r   executor.Runner
	log *syncBuffer
}

func (tr timedRunner) Run(ctx context.Context, argv []string) (executor.Result, error) {
	start := time.Now()
	res, err := tr.r.Run(ctx, argv)
	if d := time.Since(start); d > time.Second {
		fmt.Fprintf(tr.log, "  (%s took %.1fs)\n", strings.Join(argv[:2], " "), d.Seconds())
	}
	return res, err
}

// syncBuffer is a bytes.Buffer several goroutines may write.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (s *syncBuffer) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.Reset()
}

// countingRunner counts the commands it runs.
type countingRunner struct {
	r executor.Runner
	n *atomic.Int64
}

func (c countingRunner) Run(ctx context.Context, argv []string) (executor.Result, error) {
	c.n.Add(1)
	return c.r.Run(ctx, argv)
}

// BenchmarkPodmanDryRunApplied is hoist apply --dry-run of a node real
// podman has applied (two steps, config generation and puppet tasks, four
// containers and an exec): what a reviewer runs before changing a node.
// It reports the runtime calls of one dry run.
func BenchmarkPodmanDryRunApplied(b *testing.B) {
	p := newPodmanEnv(b)
	p.buildImage(b)
	node, root, prefix, data := p.folders()
	writeNode(b, node, prefix, data, 1, false, false)
	n, err := executor.OpenNode(node, "")
	if err != nil {
		b.Fatal(err)
	}
	var calls atomic.Int64
	newX := func(dry bool) *executor.Executor {
		return &executor.Executor{Runtime: executor.Podman, Runner: countingRunner{&executor.ExecRunner{Env: p.Env}, &calls},
			Root: root, ConfigVolumePrefix: prefix, DryRun: dry,
			HostPathExists: func(s string) bool { _, err := os.Stat(s); return err == nil }}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := newX(false).ApplyNode(ctx, n, []int{1, 2}); err != nil {
		b.Fatalf("apply: %v", err)
	}
	calls.Store(0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := newX(true).ApplyNode(ctx, n, []int{1, 2}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(calls.Load())/float64(b.N), "runtime-calls/op")
}
