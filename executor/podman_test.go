package executor_test

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"hoist/executor"
)

// The podman integration test runs real containers: Debian's podman with
// runc, an image made offline from Debian's busybox-static, and a storage
// of its own in a temporary folder, so that it never sees or touches any
// other container of the machine.

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

// podmanEnv is an isolated podman: its own containers.conf (runc,
// cgroupfs, no default ulimits, its own tmp_dir, volumes and events file)
// and storage (graphroot and runroot). The static dir stays in the
// graphroot: set apart, every `podman run` waits 20 seconds for the exit
// code its cleanup process cannot record.
type podmanEnv struct {
	dir string
	env []string
}

func newPodmanEnv(t *testing.T) *podmanEnv {
	t.Helper()
	if _, err := exec.LookPath("podman"); err != nil {
		t.Skip("skipping: podman is not installed (apt-get install podman runc busybox-static)")
	}
	if _, err := os.Stat("/bin/busybox"); err != nil {
		t.Skip("skipping: /bin/busybox is missing (apt-get install busybox-static)")
	}
	runc, err := exec.LookPath("runc")
	if err != nil {
		for _, p := range []string{"/usr/sbin/runc", "/usr/bin/runc"} {
			if _, err := os.Stat(p); err == nil {
				runc = p
			}
		}
	}
	if runc == "" {
		t.Skip("skipping: runc is not installed")
	}
	dir, err := os.MkdirTemp("", "hoist-podman-")
	if err != nil {
		t.Fatal(err)
	}
	p := &podmanEnv{dir: dir}
	conf := fmt.Sprintf(`[containers]
default_ulimits = []
[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
tmp_dir = %[1]q
volume_path = %[2]q
events_logger = "file"
events_logfile_path = %[3]q
[engine.runtimes]
runc = [%[4]q]
`, filepath.Join(dir, "tmp"), filepath.Join(dir, "volumes"), filepath.Join(dir, "events.log"), runc)
	storage := fmt.Sprintf("[storage]\ndriver = \"vfs\"\ngraphroot = %q\nrunroot = %q\n", filepath.Join(dir, "graph"), filepath.Join(dir, "run"))
	for name, text := range map[string]string{"containers.conf": conf, "storage.conf": storage} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p.env = []string{"CONTAINERS_CONF=" + filepath.Join(dir, "containers.conf"), "CONTAINERS_STORAGE_CONF=" + filepath.Join(dir, "storage.conf")}
	t.Cleanup(func() {
		if os.Getenv("HOIST_PODMAN_KEEP") != "" { // to debug: keep the storage and containers
			t.Logf("kept %s (CONTAINERS_CONF=%s/containers.conf CONTAINERS_STORAGE_CONF=%s/storage.conf)", dir, dir, dir)
			return
		}
		p.podman(nil, "rm", "--all", "--force", "--time", "0")
		p.podman(nil, "volume", "rm", "--all", "--force")
		p.podman(nil, "rmi", "--all", "--force")
		os.RemoveAll(dir)
	})
	if out, err := p.podman(nil, "info"); err != nil {
		t.Skipf("skipping: podman does not work here: %v\n%s", err, out)
	}
	return p
}

// podman runs podman in the isolated environment (as an argv: no shell).
func (p *podmanEnv) podman(t *testing.T, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "podman", args...)
	cmd.Env = append(os.Environ(), p.env...)
	out, err := cmd.CombinedOutput()
	if err != nil && t != nil {
		t.Fatalf("podman %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out), err
}

// buildImage makes the test image offline: busybox-static, its applets,
// the fake puppet, and the passwd and group files podman needs for
// --user root; written as a tar and loaded with podman import.
func (p *podmanEnv) buildImage(t *testing.T) {
	t.Helper()
	bb, err := os.ReadFile("/bin/busybox")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	dir := func(name string) {
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name + "/", Mode: 0o755})
	}
	file := func(name string, mode int64, data []byte) {
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Size: int64(len(data))})
		tw.Write(data)
	}
	for _, d := range []string{"bin", "etc", "root", "tmp", "usr", "usr/bin", "var", "var/lib", "var/log", "var/run"} {
		dir(d)
	}
	file("bin/busybox", 0o755, bb)
	for _, applet := range strings.Fields("sh cat cp cut date dirname echo env false find grep ls md5sum mkdir mv printf readlink rm sed sleep sort stat sync test touch tr true [") {
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: "bin/" + applet, Linkname: "busybox", Mode: 0o777})
	}
	file("usr/bin/puppet", 0o755, []byte(fakePuppet))
	file("etc/passwd", 0o644, []byte("root:x:0:0:root:/root:/bin/sh\n"))
	file("etc/group", 0o644, []byte("root:x:0:\n"))
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	tarPath := filepath.Join(p.dir, "image.tar")
	if err := os.WriteFile(tarPath, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	p.podman(t, "import", "--change", `CMD ["/bin/sh"]`, tarPath, testImage)
}

// containerIDs maps the names of every container (running or not) to
// their ids, from podman ps.
func (p *podmanEnv) containerIDs(t *testing.T) map[string]string {
	out, _ := p.podman(t, "ps", "-a", "--no-trunc", "--format", "{{.Names}} {{.ID}}")
	ids := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if name, id, ok := strings.Cut(line, " "); ok {
			ids[name] = id
		}
	}
	return ids
}

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
func writeNode(t *testing.T, dir, prefix, data string, svcValue int, removeExtra, failBoot bool) {
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

	work := filepath.Join(p.dir, "work")
	node := filepath.Join(work, "out", "nodes", "node-0")
	root := filepath.Join(work, "root")
	prefix := filepath.Join(root, "var/lib/config-data")
	data := filepath.Join(work, "data")
	for _, d := range []string{node, root, data} {
		os.MkdirAll(d, 0o755)
	}
	var events []executor.Event
	var log bytes.Buffer
	x := &executor.Executor{
		Runtime: executor.Podman, Runner: timedRunner{&executor.ExecRunner{Env: p.env}, &log}, Root: root,
		ConfigVolumePrefix: prefix, HostPathExists: func(s string) bool { _, err := os.Stat(s); return err == nil },
		Log: &log, Emit: func(ev executor.Event) { events = append(events, ev) },
	}
	apply := func(steps ...int) error {
		t.Helper()
		events, log = nil, bytes.Buffer{}
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
	if got := p.containerIDs(t); !mapsEqual(got, first) {
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

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// timedRunner notes in the log how long each slow command took.
type timedRunner struct {
	r   executor.Runner
	log *bytes.Buffer
}

func (tr timedRunner) Run(ctx context.Context, argv []string) (executor.Result, error) {
	start := time.Now()
	res, err := tr.r.Run(ctx, argv)
	if d := time.Since(start); d > time.Second {
		fmt.Fprintf(tr.log, "  (%s took %.1fs)\n", strings.Join(argv[:2], " "), d.Seconds())
	}
	return res, err
}
