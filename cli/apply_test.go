package cli

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"hoist/executor"
	"hoist/executor/executortest"
	"hoist/internal/testenv"
)

// withFakeRuntime makes apply use a fake runtime and a fixed machine for
// the duration of the test.
func withFakeRuntime(t *testing.T, eng *executortest.Engine) {
	t.Helper()
	oldRunner, oldHost, oldExists, oldName, oldCtx, oldLook := applyRunner, applyHost, applyPathExists, applyHostname, applyContext, applyLookPath
	t.Cleanup(func() {
		applyRunner, applyHost, applyPathExists, applyHostname, applyContext, applyLookPath = oldRunner, oldHost, oldExists, oldName, oldCtx, oldLook
	})
	applyLookPath = func(file string) (string, error) {
		if eng.NotInstalled {
			return "", exec.ErrNotFound
		}
		return "/usr/bin/" + file, nil
	}
	applyRunner = func() executor.Runner { return eng }
	applyHost = executor.Host{
		CPUAffinity:   func() ([]int, error) { return []int{0, 1, 2, 3}, nil },
		KernelCmdline: func() (string, error) { return "ro quiet", nil },
	}
	applyPathExists = func(p string) bool { return p != "/dev/log" && !strings.HasPrefix(p, "/usr/share/openstack-puppet") }
	applyHostname = func() (string, error) { return "overcloud-controller-0.localdomain", nil }
	applyContext = func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) }
}

func executorData(t *testing.T, p ...string) string {
	return filepath.Join(append([]string{testenv.RepoRoot(t), "testdata", "executor"}, p...)...)
}

func nodeDir(t *testing.T) string { return executorData(t, "nodes", "overcloud-controller-0") }

func writeFile(t testing.TB, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestApplyUsageAndInputErrors(t *testing.T) {
	eng := executortest.NewEngine()
	withFakeRuntime(t, eng)
	dir := t.TempDir()
	okFile := writeFile(t, dir, "ok.json", `{"a": {"image": "i"}}`)
	broken := writeFile(t, dir, "broken.json", "{\"a\": {\"image\": \"i\",\n  \"start_order\": [1]}}")
	notJSON := writeFile(t, dir, "bad.json", "{\"a\": [1, 2}")
	node := nodeDir(t)
	cases := []struct {
		name string
		args []string
		in   string
	}{
		{"nothing", []string{"apply"}, "expected one node folder"},
		{"two folders", []string{"apply", node, node}, "expected one node folder"},
		{"folder and file", []string{"apply", node, "--file", okFile, "--config-id", "x"}, "either a node folder or --file, not both"},
		{"file without id", []string{"apply", "--file", okFile}, "--file needs --config-id"},
		{"config id with folder", []string{"apply", node, "--config-id", "x"}, "--config-id is for --file"},
		{"step with file", []string{"apply", "--file", okFile, "--config-id", "x", "--step", "2"}, "are for node folders"},
		{"step and steps", []string{"apply", node, "--step", "2", "--steps", "1-3"}, "give --step or --steps, not both"},
		{"step out of range", []string{"apply", node, "--step", "7"}, "--step must be between 1 and 6, not 7"},
		{"bad steps", []string{"apply", node, "--steps", "4-2"}, `--steps: "4-2" is not a range of steps`},
		{"bad steps text", []string{"apply", node, "--steps", "all"}, `"all" is not a range of steps`},
		{"bad runtime", []string{"apply", node, "--runtime", "lxc"}, `unknown runtime "lxc": expected "podman" or "docker"`},
		{"bad format", []string{"apply", node, "--format", "yaml"}, `unknown format "yaml"`},
		{"bad dialect", []string{"apply", node, "--paunch-version", "pike"}, `unknown --paunch-version "pike": expected`},
		{"queens with podman", []string{"apply", node, "--runtime", "podman", "--paunch-version", "queens-eol"}, "paunch queens-eol has no podman support"},
		{"bad release", []string{"apply", node, "--release", "pike"}, `unknown --release "pike": expected "queens", "rocky", "stein" or "train"`},
		{"wrong release", []string{"apply", node, "--release", "train"}, "not a node folder of train: it has no var/lib/tripleo-config/container-startup-config/step_N/<container>.json (it is a queens node folder: drop --release, or give --release queens)"},
		{"bad label", []string{"apply", node, "--label", "novalue"}, `--label "novalue": expected k=v`},
		{"bad systemd", []string{"apply", node, "--systemd", "maybe"}, `unknown --systemd "maybe"`},
		{"bad parallel", []string{"apply", node, "--parallel", "0"}, "--parallel must be at least 1"},
		{"missing folder", []string{"apply", filepath.Join(dir, "nope")}, "cannot open the node folder: no such file or directory"},
		{"not a node folder", []string{"apply", dir}, "not a node folder: it has no var/lib/tripleo-config/docker-container-startup-config-step_1.json"},
		{"missing file", []string{"apply", "--file", filepath.Join(dir, "nope.json"), "--config-id", "x"}, "cannot read file"},
		{"bad option", []string{"apply", "--file", broken, "--config-id", "x"}, "broken.json:2:18: error: container \"a\": start_order must be an integer, not [1] [apply/input]\n  2 |   \"start_order\": [1]}}\n    |                  ^~"},
		{"not json", []string{"apply", "--file", notJSON, "--config-id", "x"}, "bad.json:1:"},
		{"other machine", []string{"apply", node}, `the node folder is for "overcloud-controller-0" but this machine is "compute-3"; pass --hostname overcloud-controller-0`},
	}
	applyHostname = func() (string, error) { return "compute-3.localdomain", nil }
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := run(t, "", c.args...)
			if r.code != ExitUsage {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", r.code, ExitUsage, r.stdout, r.err)
			}
			if !strings.Contains(r.err, c.in) {
				t.Errorf("stderr lacks %q:\n%s", c.in, r.err)
			}
			if r.stdout != "" {
				t.Errorf("stdout not empty: %s", r.stdout)
			}
		})
	}
	if len(eng.Calls()) != 0 {
		t.Errorf("a refused apply ran commands: %q", eng.Calls())
	}
}

func TestApplyDryRunGolden(t *testing.T) {
	for _, rt := range []string{"docker", "podman"} {
		t.Run(rt, func(t *testing.T) {
			eng := executortest.NewEngine()
			withFakeRuntime(t, eng)
			// --systemd no: "auto" would depend on this machine's init.
			r := run(t, "", "apply", nodeDir(t), "--dry-run", "--format", "json", "--runtime", rt, "--systemd", "no")
			if r.code != ExitOK {
				t.Fatalf("exit code %d\n%s", r.code, r.err)
			}
			if m := eng.Mutations(); len(m) != 0 {
				t.Fatalf("the dry run changed something: %q", m)
			}
			for i, line := range strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n") {
				var argv []string
				if err := json.Unmarshal([]byte(line), &argv); err != nil || len(argv) < 2 || argv[0] != rt {
					t.Fatalf("line %d is not an argv of %s: %s", i+1, rt, line)
				}
			}
			golden := executorData(t, "dryrun-controller-0-"+rt+".jsonl")
			if updating() {
				if err := os.WriteFile(golden, []byte(r.stdout), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if r.stdout != string(want) {
				t.Errorf("dry run differs from %s (run with -update after checking the change):\n%s", golden, r.stdout)
			}
		})
	}
}

func TestApplyDryRunText(t *testing.T) {
	eng := executortest.NewEngine()
	withFakeRuntime(t, eng)
	r := run(t, "", "apply", nodeDir(t), "--dry-run", "--step", "1", "--systemd", "no", "--runtime", "podman")
	if r.code != ExitOK {
		t.Fatalf("exit code %d\n%s", r.code, r.err)
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 8 { // 2 pulls, 2 config runs and removals, 2 containers
		t.Errorf("%d commands, want 8:\n%s", len(lines), r.stdout)
	}
	if !strings.Contains(r.stdout, `podman run --name mysql_bootstrap --label config_id=tripleo_step1`) ||
		!strings.Contains(r.stdout, `$'kolla_set_configs\nmysql_install_db --datadir=/var/lib/mysql --user=mysql\n'`) {
		t.Errorf("text dry run:\n%s", r.stdout)
	}
}

func TestApplyFile(t *testing.T) {
	eng := executortest.NewEngine()
	eng.Images["i"] = "01"
	withFakeRuntime(t, eng)
	dir := t.TempDir()
	f := writeFile(t, dir, "startup.yaml", "web:\n  image: i\n  net: host\nboot:\n  image: i\n  detach: false\n  start_order: -1\n")
	r := run(t, "", "apply", "--file", f, "--config-id", "web_1", "--managed-by", "tester", "--label", "deploy=42", "--runtime", "docker", "--root", dir)
	if r.code != ExitOK {
		t.Fatalf("exit code %d\n%s", r.code, r.err)
	}
	if r.stdout != "apply: run 2\n" {
		t.Errorf("summary %q", r.stdout)
	}
	web := eng.Container("web")
	if web == nil || web.Labels["managed_by"] != "tester" || web.Labels["deploy"] != "42" || web.Labels["config_id"] != "web_1" {
		t.Errorf("web: %+v", web)
	}
	if !strings.Contains(r.err, "+ docker run --name boot") {
		t.Errorf("log:\n%s", r.err)
	}

	// Unchanged: nothing to do.
	eng.Reset()
	r = run(t, "", "apply", "--file", f, "--config-id", "web_1", "--managed-by", "tester", "--label", "deploy=42", "--runtime", "docker", "--root", dir, "--format", "json")
	if r.code != ExitOK || r.stdout != "" || len(eng.Mutations()) != 0 {
		t.Errorf("second apply: exit %d, stdout %q, commands %q", r.code, r.stdout, eng.Mutations())
	}

	// A changed container fails: exit 1, and the JSON events say what ran.
	eng.ExitCodes["boot"] = 3
	f = writeFile(t, dir, "startup.yaml", "web:\n  image: i\n  net: host\nboot:\n  image: i\n  detach: false\n  start_order: -1\n  user: root\n")
	r = run(t, "", "apply", "--file", f, "--config-id", "web_1", "--managed-by", "tester", "--runtime", "docker", "--root", dir, "--format", "json")
	if r.code != ExitFindings {
		t.Fatalf("exit code %d, want 1\n%s", r.code, r.err)
	}
	if !strings.Contains(r.err, "hoist apply: container boot failed with exit code 3") || !strings.Contains(r.err, "  command: docker run --name boot") {
		t.Errorf("stderr:\n%s", r.err)
	}
	var evs []executor.Event
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var ev executor.Event
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		evs = append(evs, ev)
	}
	var got []string
	for _, ev := range evs {
		got = append(got, ev.Action+" "+ev.Argv[1]+" "+ev.Argv[len(ev.Argv)-1])
		if ev.ExitCode == nil {
			t.Errorf("event without exit code: %+v", ev)
		}
	}
	if want := []string{"remove stop boot", "remove rm boot", "run run i", "remove rm boot"}; !slices.Equal(got, want) {
		t.Errorf("events %q, want %q", got, want)
	}
	if *evs[2].ExitCode != 3 || evs[2].ConfigID != "web_1" || evs[2].Container != "boot" {
		t.Errorf("run event %+v", evs[2])
	}
}

func TestApplyNodeExitCodes(t *testing.T) {
	eng := executortest.NewEngine()
	withFakeRuntime(t, eng)
	root := t.TempDir()
	// A failing bootstrap container: exit 1, later steps not run.
	eng.ExitCodes["keystone_db_sync"] = 1
	r := run(t, "", "apply", nodeDir(t), "--root", root)
	if r.code != ExitFindings || !strings.Contains(r.err, "hoist apply: step 3: container keystone_db_sync failed with exit code 1") {
		t.Fatalf("exit code %d\n%s", r.code, r.err)
	}
	if eng.Container("keystone") != nil {
		t.Error("the step went on after the failure")
	}
	if !strings.HasPrefix(r.stdout, "step 1: config ") {
		t.Errorf("summary:\n%s", r.stdout)
	}
	// Resumed: exit 0.
	eng.ExitCodes["keystone_db_sync"] = 0
	r = run(t, "", "apply", nodeDir(t), "--root", root, "--steps", "3-5")
	if r.code != ExitOK || eng.Container("keystone") == nil {
		t.Fatalf("exit code %d\n%s", r.code, r.err)
	}
	// Not installed: exit 2, before anything is written.
	eng.NotInstalled = true
	fresh := t.TempDir()
	r = run(t, "", "apply", nodeDir(t), "--root", fresh, "--runtime", "podman")
	if r.code != ExitUsage || !strings.Contains(r.err, "podman is not installed or not on PATH") {
		t.Errorf("exit code %d\n%s", r.code, r.err)
	}
	if entries, _ := os.ReadDir(fresh); len(entries) != 0 {
		t.Errorf("files were installed although the runtime is missing: %v", entries)
	}
	// The runtime disappearing after the check is an input error too.
	applyLookPath = func(string) (string, error) { return "/usr/bin/podman", nil }
	r = run(t, "", "apply", nodeDir(t), "--root", root, "--steps", "3-5", "--runtime", "podman")
	if r.code != ExitUsage || !strings.Contains(r.err, "podman is not installed or not on PATH") {
		t.Errorf("exit code %d\n%s", r.code, r.err)
	}
	// A dry run works without it.
	r = run(t, "", "apply", nodeDir(t), "--dry-run", "--format", "json", "--runtime", "podman")
	if r.code != ExitOK || !strings.Contains(r.err, "podman is not installed: the dry run assumes a host with no images and no containers") {
		t.Errorf("exit code %d\n%s", r.code, r.err)
	}
}

func TestApplyInterruptExitCode(t *testing.T) {
	eng := executortest.NewEngine()
	withFakeRuntime(t, eng)
	ctx, cancel := context.WithCancel(context.Background())
	applyContext = func() (context.Context, context.CancelFunc) { return ctx, cancel }
	eng.Hook = func(hctx context.Context, argv []string) (executor.Result, error, bool) {
		if argv[1] == "run" && argv[3] == "mysql_bootstrap" {
			cancel() // SIGINT while the container runs
			return executor.Result{ExitCode: -1}, hctx.Err(), true
		}
		return executor.Result{}, nil, false
	}
	r := run(t, "", "apply", nodeDir(t), "--root", t.TempDir())
	if r.code != ExitFindings || !strings.Contains(r.err, "interrupted; nothing half-created was left behind") {
		t.Errorf("exit code %d\n%s", r.code, r.err)
	}
}

// TestApplyDryRunOffline: --dry-run --offline needs no runtime installed,
// asks none, and prints what the golden dry run against an empty runtime
// prints; --offline alone is a usage error.
func TestApplyDryRunOffline(t *testing.T) {
	eng := executortest.NewEngine()
	eng.NotInstalled = true
	withFakeRuntime(t, eng)
	r := run(t, "", "apply", nodeDir(t), "--dry-run", "--offline", "--format", "json", "--runtime", "podman", "--systemd", "no")
	if r.code != ExitOK {
		t.Fatalf("exit code %d\n%s", r.code, r.err)
	}
	if calls := eng.Calls(); len(calls) != 0 {
		t.Errorf("an offline dry run asked the runtime %q", calls)
	}
	if strings.Contains(r.err, "not installed") {
		t.Errorf("an offline dry run looked for the runtime:\n%s", r.err)
	}
	want, err := os.ReadFile(executorData(t, "dryrun-controller-0-podman.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if r.stdout != string(want) {
		t.Errorf("offline dry run differs from the dry run against an empty runtime:\n%s", r.stdout)
	}
	if r := run(t, "", "apply", nodeDir(t), "--offline"); r.code != ExitUsage || !strings.Contains(r.err, "--offline is a kind of dry run") {
		t.Errorf("--offline without --dry-run: exit %d\n%s", r.code, r.err)
	}
}
