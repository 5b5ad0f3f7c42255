package executor_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"hoist/diag"
	"hoist/executor"
	"hoist/executor/executortest"
	"hoist/pyyaml"
)

func parseConfig(t *testing.T, src string) *executor.Config {
	t.Helper()
	doc, err := pyyaml.Load("startup.json", []byte(src), pyyaml.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := executor.ParseConfig("startup.json", doc.Root)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func newExecutor(eng *executortest.Engine, rt executor.Runtime) *executor.Executor {
	return &executor.Executor{
		Runtime: rt, Runner: eng, Root: "/",
		Sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() },
	}
}

// verbs renders calls as "verb arg" lines for compact comparisons: the
// runtime's sub-command and the container or image it acts on.
func verbs(calls [][]string) []string {
	var out []string
	for _, c := range calls {
		if c[0] == "systemctl" {
			out = append(out, strings.Join(c, " "))
			continue
		}
		switch c[1] {
		case "run", "create":
			out = append(out, c[1]+" "+c[slices.Index(c, "--name")+1])
		case "exec":
			i := 2
			for strings.HasPrefix(c[i], "--") {
				i++
			}
			out = append(out, "exec "+strings.Join(c[i:], " "))
		default:
			out = append(out, strings.Join(c[1:], " "))
		}
	}
	return out
}

func wantVerbs(t *testing.T, got [][]string, want ...string) {
	t.Helper()
	if g := verbs(got); !slices.Equal(g, want) {
		t.Errorf("commands:\n got %q\nwant %q", g, want)
	}
}

const orderConfig = `{
  "c": {"image": "img:2", "start_order": 2},
  "b": {"image": "img:1", "start_order": 1},
  "a": {"image": "img:2", "start_order": 1},
  "z_first": {"image": "img:1", "start_order": -5},
  "ls_in_a": {"action": "exec", "start_order": 3, "command": ["a", "ls", "-l"]}
}`

func TestApplyOrderAndPulls(t *testing.T) {
	eng := executortest.NewEngine()
	eng.Images["img:2"] = "0002"
	x := newExecutor(eng, executor.Docker)
	if err := x.Apply(context.Background(), parseConfig(t, orderConfig), "tripleo_step1"); err != nil {
		t.Fatal(err)
	}
	// img:1 is missing and pulled, img:2 present; pulls come first,
	// sorted by image; then start_order with the name as tie-break.
	wantVerbs(t, eng.Mutations(), "pull img:1", "run z_first", "run a", "run b", "run c", "exec a ls -l")
	// The runtime is asked once for its containers and once for the
	// images; it knows img:2, not img:1, which alone is asked for again
	// (as paunch did) and pulled.
	calls := verbs(eng.Calls())
	want := []string{"ps -a --format {{.Names}}\t{{.Label \"managed_by\"}}\t{{.Label \"config_id\"}}\t{{.Label \"container_name\"}}",
		"images --no-trunc --format {{.ID}}\t{{.Repository}}:{{.Tag}}", "inspect --type image --format exists img:1", "pull img:1", "run z_first"}
	if !slices.Equal(calls[:5], want) {
		t.Errorf("pull phase:\n got %q\nwant %q", calls[:5], want)
	}
}

func TestApplyPullRetries(t *testing.T) {
	eng := executortest.NewEngine()
	eng.PullFailures["img:1"] = 2
	x := newExecutor(eng, executor.Docker)
	var waits []time.Duration
	x.Sleep = func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	if err := x.Apply(context.Background(), parseConfig(t, `{"a": {"image": "img:1"}}`), "c"); err != nil {
		t.Fatal(err)
	}
	wantVerbs(t, eng.Mutations(), "pull img:1", "pull img:1", "pull img:1", "run a")
	if len(waits) != 2 || waits[0] > 2*time.Second || waits[1] > 4*time.Second {
		t.Errorf("back-off waits %v, want two random waits under 2s and 4s", waits)
	}
}

func TestApplyPullFailureTouchesNoContainer(t *testing.T) {
	eng := executortest.NewEngine()
	eng.Unpullable["img:bad"] = true
	eng.Images["img:ok"] = "01"
	eng.AddContainer(executortest.Instance{Name: "gone", Labels: map[string]string{"config_id": "c", "container_name": "gone", "managed_by": "paunch"}})
	x := newExecutor(eng, executor.Docker)
	err := x.Apply(context.Background(), parseConfig(t, `{"a": {"image": "img:ok"}, "b": {"image": "img:bad"}, "c": {"image": "img:zzz"}}`), "c")
	var f *executor.Failure
	if !errors.As(err, &f) || !strings.Contains(f.Msg, "cannot pull image img:bad after 4 attempts") {
		t.Fatalf("err = %v, want a pull failure", err)
	}
	// Every image was tried (img:zzz after the failing one); nothing else.
	wantVerbs(t, eng.Mutations(), "pull img:bad", "pull img:bad", "pull img:bad", "pull img:bad", "pull img:zzz")
	if eng.Container("gone") == nil {
		t.Error("a container was removed although a pull failed")
	}
}

const idemConfig = `{
  "db_init": {"image": "img:1", "detach": false, "start_order": 0, "command": "init --all"},
  "api": {"image": "img:1", "restart": "always", "start_order": 1,
          "environment": ["KOLLA_CONFIG_STRATEGY=COPY_ALWAYS", "TRIPLEO_CONFIG_HASH=abc"],
          "volumes": ["/var/lib/config-data/puppet-generated/api/:/var/lib/kolla/config_files/src:ro"]},
  "worker": {"image": "img:2", "restart": "always", "start_order": 2, "net": "host", "privileged": false}
}`

func TestApplyUnchangedTwiceDoesNothing(t *testing.T) {
	for _, rt := range []executor.Runtime{executor.Docker, executor.Podman} {
		t.Run(string(rt), func(t *testing.T) {
			eng := executortest.NewEngine()
			x := newExecutor(eng, rt)
			cfg := parseConfig(t, idemConfig)
			if err := x.Apply(context.Background(), cfg, "tripleo_step3"); err != nil {
				t.Fatal(err)
			}
			if len(eng.Mutations()) == 0 {
				t.Fatal("the first apply did nothing")
			}
			eng.Reset()
			// The same config, loaded again (another key order) is unchanged.
			cfg2 := parseConfig(t, `{"worker": {"privileged": false, "net": "host", "start_order": 2.0, "restart": "always", "image": "img:2"},`+
				strings.TrimPrefix(strings.TrimSpace(idemConfig)[1:], "\n"))
			if err := x.Apply(context.Background(), cfg2, "tripleo_step3"); err != nil {
				t.Fatal(err)
			}
			if m := eng.Mutations(); len(m) != 0 {
				t.Errorf("second apply of an unchanged config ran %q", verbs(m))
			}
			if c := eng.Container("db_init"); c == nil || c.Running {
				t.Errorf("the exited one-shot container should stay exited and not be re-run: %+v", c)
			}
		})
	}
}

func TestApplyRecreatesExactlyTheChangedOne(t *testing.T) {
	eng := executortest.NewEngine()
	x := newExecutor(eng, executor.Docker)
	if err := x.Apply(context.Background(), parseConfig(t, idemConfig), "s"); err != nil {
		t.Fatal(err)
	}
	eng.Reset()
	changed := strings.Replace(idemConfig, "TRIPLEO_CONFIG_HASH=abc", "TRIPLEO_CONFIG_HASH=def", 1)
	if err := x.Apply(context.Background(), parseConfig(t, changed), "s"); err != nil {
		t.Fatal(err)
	}
	wantVerbs(t, eng.Mutations(), "stop api", "rm api", "run api")
}

func TestApplyRecreatesOnNewImageID(t *testing.T) {
	eng := executortest.NewEngine()
	x := newExecutor(eng, executor.Docker)
	cfg := parseConfig(t, `{"a": {"image": "img:1"}, "b": {"image": "img:2"}}`)
	if err := x.Apply(context.Background(), cfg, "s"); err != nil {
		t.Fatal(err)
	}
	eng.Images["img:1"] = "ffff" // re-tagged: same name, new image
	eng.Reset()
	if err := x.Apply(context.Background(), cfg, "s"); err != nil {
		t.Fatal(err)
	}
	wantVerbs(t, eng.Mutations(), "stop a", "rm a", "run a")
}

func TestApplyRemovesContainersNoLongerNamed(t *testing.T) {
	eng := executortest.NewEngine()
	x := newExecutor(eng, executor.Docker)
	if err := x.Apply(context.Background(), parseConfig(t, `{"a": {"image": "i"}, "b": {"image": "i"}}`), "s"); err != nil {
		t.Fatal(err)
	}
	// A container of another config id is not touched.
	eng.AddContainer(executortest.Instance{Name: "other", Running: true, Labels: map[string]string{"config_id": "t", "container_name": "other", "managed_by": "paunch"}})
	eng.Reset()
	if err := x.Apply(context.Background(), parseConfig(t, `{"a": {"image": "i"}}`), "s"); err != nil {
		t.Fatal(err)
	}
	wantVerbs(t, eng.Mutations(), "stop b", "rm b")
	if got := eng.Containers(); !slices.Equal(got, []string{"a", "other"}) {
		t.Errorf("containers %q", got)
	}
}

func TestApplyFindsQueensPaunchContainers(t *testing.T) {
	// paunch on queens ignored --managed-by and labelled every container
	// managed_by=paunch: hoist finds those when none carry its own label.
	eng := executortest.NewEngine()
	x := newExecutor(eng, executor.Docker)
	x.ManagedBy = "paunch"
	if err := x.Apply(context.Background(), parseConfig(t, `{"a": {"image": "i"}, "b": {"image": "i"}}`), "s"); err != nil {
		t.Fatal(err)
	}
	eng.Reset()
	x.ManagedBy = "tripleo-Controller"
	if err := x.Apply(context.Background(), parseConfig(t, `{"a": {"image": "i"}}`), "s"); err != nil {
		t.Fatal(err)
	}
	// a is found and unchanged (managed_by is not part of config_data).
	wantVerbs(t, eng.Mutations(), "stop b", "rm b")
}

func TestApplyFailingContainerStopsAndResumes(t *testing.T) {
	eng := executortest.NewEngine()
	eng.ExitCodes["boot"] = 1
	eng.Images["i"] = "01"
	x := newExecutor(eng, executor.Docker)
	cfg := parseConfig(t, `{
	  "boot": {"image": "i", "detach": false, "start_order": 1},
	  "ok_first": {"image": "i", "detach": false, "exit_codes": [0, 3], "start_order": 0},
	  "later": {"image": "i", "start_order": 2}}`)
	eng.ExitCodes["ok_first"] = 3
	err := x.Apply(context.Background(), cfg, "s")
	var f *executor.Failure
	if !errors.As(err, &f) || f.Container != "boot" || f.ExitCode != 1 {
		t.Fatalf("err = %#v, want the failure of boot", err)
	}
	wantVerbs(t, eng.Mutations(), "run ok_first", "run boot", "rm -f boot")
	if eng.Container("boot") != nil {
		t.Error("the failed container was left behind; a second apply would skip it")
	}
	// Fixed, the next apply resumes: ok_first is not run again.
	eng.ExitCodes["boot"] = 0
	eng.Reset()
	if err := x.Apply(context.Background(), cfg, "s"); err != nil {
		t.Fatal(err)
	}
	wantVerbs(t, eng.Mutations(), "run boot", "run later")
}

func TestApplyInterruptLeavesNoHalfCreatedContainer(t *testing.T) {
	eng := executortest.NewEngine()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	eng.Hook = func(hctx context.Context, argv []string) (executor.Result, error, bool) {
		if argv[1] == "create" && argv[3] == "b" {
			// The runtime created the container, then the user pressed
			// Ctrl-C before it could be started.
			eng.AddContainer(executortest.Instance{Name: "b", Created: true, Labels: map[string]string{"config_id": "s", "container_name": "b", "managed_by": "paunch"}})
			cancel()
			return executor.Result{ExitCode: -1}, hctx.Err(), true
		}
		return executor.Result{}, nil, false
	}
	eng.Images["i"] = "01"
	x := newExecutor(eng, executor.Podman)
	cfg := parseConfig(t, `{"a": {"image": "i", "restart": "always"}, "b": {"image": "i", "restart": "always", "start_order": 1}, "c": {"image": "i", "start_order": 2}}`)
	err := x.Apply(ctx, cfg, "s")
	if !executor.Interrupted(err) {
		t.Fatalf("err = %v, want an interruption", err)
	}
	wantVerbs(t, eng.Mutations(), "create a", "start a", "create b", "rm -f b")
	if got := eng.Containers(); !slices.Equal(got, []string{"a"}) {
		t.Errorf("containers after the interrupt: %q, want only a", got)
	}
}

func TestApplyInterruptDuringForegroundRun(t *testing.T) {
	eng := executortest.NewEngine()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	eng.Hook = func(hctx context.Context, argv []string) (executor.Result, error, bool) {
		if argv[1] == "run" && argv[3] == "sync" {
			eng.AddContainer(executortest.Instance{Name: "sync", Running: true, Labels: map[string]string{"config_id": "s", "container_name": "sync", "managed_by": "paunch"}})
			cancel()
			<-hctx.Done()
			return executor.Result{ExitCode: -1}, hctx.Err(), true
		}
		return executor.Result{}, nil, false
	}
	x := newExecutor(eng, executor.Docker)
	err := x.Apply(ctx, parseConfig(t, `{"sync": {"image": "i", "detach": false}}`), "s")
	if !executor.Interrupted(err) {
		t.Fatalf("err = %v", err)
	}
	if eng.Container("sync") != nil {
		t.Error("the interrupted one-shot container is still there")
	}
}

func TestApplyDoesNotRemoveAnotherConfigsContainerOnNameClash(t *testing.T) {
	eng := executortest.NewEngine()
	eng.AddContainer(executortest.Instance{Name: "x", Running: true, Labels: map[string]string{"config_id": "old", "container_name": "y"}})
	x := newExecutor(eng, executor.Docker)
	err := x.Apply(context.Background(), parseConfig(t, `{"x": {"image": "i"}}`), "s")
	var f *executor.Failure
	if !errors.As(err, &f) || f.ExitCode != 125 {
		t.Fatalf("err = %v, want the runtime's name clash", err)
	}
	if eng.Container("x") == nil {
		t.Error("hoist removed a container it did not create")
	}
}

func TestApplyExec(t *testing.T) {
	eng := executortest.NewEngine()
	x := newExecutor(eng, executor.Podman)
	cfg := parseConfig(t, `{"svc": {"image": "i", "net": "host"}, "svc_ls": {"action": "exec", "start_order": 1, "user": "root", "environment": {"A": "1", "B": ""}, "command": "svc ls -l"}}`)
	if err := x.Apply(context.Background(), cfg, "s"); err != nil {
		t.Fatal(err)
	}
	last := eng.Mutations()[len(eng.Mutations())-1]
	if want := []string{"podman", "exec", "--user=root", "--env=A=1", "--env=B", "svc", "ls", "-l"}; !slices.Equal(last, want) {
		t.Errorf("exec argv %q, want %q", last, want)
	}
	// The exec runs again on every apply; nothing else does.
	eng.Reset()
	if err := x.Apply(context.Background(), cfg, "s"); err != nil {
		t.Fatal(err)
	}
	wantVerbs(t, eng.Mutations(), "exec svc ls -l")

	eng.ExecExitCodes["svc"] = 4
	err := x.Apply(context.Background(), cfg, "s")
	var f *executor.Failure
	if !errors.As(err, &f) || f.ExitCode != 4 {
		t.Errorf("err = %v, want the exec's exit code 4", err)
	}
}

func TestApplyExecTargetMustRun(t *testing.T) {
	eng := executortest.NewEngine()
	eng.AddContainer(executortest.Instance{Name: "svc", Running: false, Labels: map[string]string{"config_id": "s", "container_name": "svc"}})
	x := newExecutor(eng, executor.Docker)
	for _, tc := range []struct{ cfg, msg string }{
		{`{"e": {"action": "exec", "command": ["svc", "true"]}}`, "container svc is not running"},
		{`{"e": {"action": "exec", "command": ["nope", "true"]}}`, "no container named nope"},
	} {
		err := x.Apply(context.Background(), parseConfig(t, tc.cfg), "s")
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("err = %v, want %q", err, tc.msg)
		}
	}
}

func TestApplyLabels(t *testing.T) {
	eng := executortest.NewEngine()
	x := newExecutor(eng, executor.Docker)
	x.ManagedBy = "tripleo-Controller"
	x.Labels = []executor.Label{{"deploy", "1"}, {"a", "b=c"}}
	cfg := parseConfig(t, `{"café": {"image": "i", "environment": ["NAME=Zoë", "PATH=/a/b"], "start_order": 1, "weight": 1.50, "nested": {"z": [1, 2.50, null, true]}}}`)
	if err := x.Apply(context.Background(), cfg, "tripleo_step2"); err != nil {
		t.Fatal(err)
	}
	run := eng.Mutations()[1] // after the pull
	want := []string{"docker", "run", "--name", "café",
		"--label", "deploy=1", "--label", "a=b=c",
		"--label", "config_id=tripleo_step2", "--label", "container_name=café", "--label", "managed_by=tripleo-Controller",
		"--label", `config_data={"image": "i", "environment": ["NAME=Zo\u00eb", "PATH=/a/b"], "start_order": 1, "weight": 1.5, "nested": {"z": [1, 2.5, null, true]}}`,
		"--detach=true", "--env=NAME=Zoë", "--env=PATH=/a/b", "i"}
	if !slices.Equal(run, want) {
		t.Errorf("run argv\n got %q\nwant %q", run, want)
	}
}

func TestApplyPodmanCreateAndStart(t *testing.T) {
	eng := executortest.NewEngine()
	eng.Images["i"] = "01"
	x := newExecutor(eng, executor.Podman)
	x.Root = t.TempDir()
	cfg := parseConfig(t, `{"api": {"image": "i", "restart": "always"}, "once": {"image": "i", "detach": false, "start_order": 1}}`)
	if err := x.Apply(context.Background(), cfg, "s"); err != nil {
		t.Fatal(err)
	}
	m := eng.Mutations()
	wantVerbs(t, m, "create api", "start api", "run once")
	if slices.Contains(m[0], "--detach=true") || !slices.Contains(m[0], "--conmon-pidfile="+filepath.Join(x.Root, "var/run/api.pid")) {
		t.Errorf("create argv %q: want no --detach and the pid file under the root", m[0])
	}
	if c := eng.Container("api"); c == nil || !c.Running {
		t.Errorf("api is not running: %+v", c)
	}
}

func TestApplyPodmanSystemdUnits(t *testing.T) {
	eng := executortest.NewEngine()
	eng.Images["i"] = "01"
	x := newExecutor(eng, executor.Podman)
	x.Root = t.TempDir()
	x.Systemd = true
	cfg := parseConfig(t, `{"api": {"image": "i", "restart": "unless-stopped", "stop_grace_period": 30, "depends_on": ["db"],
	  "healthcheck": {"test": "/openstack/healthcheck 5000"}, "check_interval": 30}}`)
	if err := x.Apply(context.Background(), cfg, "s"); err != nil {
		t.Fatal(err)
	}
	wantVerbs(t, eng.Mutations(), "create api", "systemctl daemon-reload", "systemctl enable --now tripleo_api.service",
		"systemctl enable --now tripleo_api_healthcheck.timer", "systemctl add-requires tripleo_api.service tripleo_api_healthcheck.timer",
		"systemctl daemon-reload")
	unit, err := os.ReadFile(filepath.Join(x.Root, "etc/systemd/system/tripleo_api.service"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"Restart=always", "Wants=db.service", "ExecStart=/usr/bin/podman start api",
		"ExecStop=/usr/bin/podman stop -t 30 api", "Type=forking", "PIDFile=" + filepath.Join(x.Root, "var/run/api.pid")} {
		if !strings.Contains(string(unit), line+"\n") {
			t.Errorf("unit lacks %q:\n%s", line, unit)
		}
	}
	timer, _ := os.ReadFile(filepath.Join(x.Root, "etc/systemd/system/tripleo_api_healthcheck.timer"))
	if !strings.Contains(string(timer), "OnUnitActiveSec=30\n") {
		t.Errorf("timer:\n%s", timer)
	}
	// Removal stops and deletes the units.
	eng.Reset()
	if err := x.Apply(context.Background(), parseConfig(t, `{}`), "s"); err != nil {
		t.Fatal(err)
	}
	wantVerbs(t, eng.Mutations(),
		"systemctl stop tripleo_api_healthcheck.timer", "systemctl disable tripleo_api_healthcheck.timer",
		"systemctl stop tripleo_api_healthcheck.service", "systemctl disable tripleo_api_healthcheck.service",
		"systemctl stop tripleo_api.service", "systemctl disable tripleo_api.service",
		"systemctl daemon-reload", "stop api", "rm api")
	if _, err := os.Stat(filepath.Join(x.Root, "etc/systemd/system/tripleo_api.service")); !os.IsNotExist(err) {
		t.Error("the unit file is still there")
	}
}

func TestApplyRefusesBadOptionsBeforeTouchingAnything(t *testing.T) {
	eng := executortest.NewEngine()
	x := newExecutor(eng, executor.Docker) // queens-eol
	cfg := parseConfig(t, `{"a": {"image": "i"},
	  "b": {"image": "i", "security_opt": ["label:disable"]},
	  "c": {"image": "i", "volumes": "/a:/a"},
	  "d": {"image": "i", "environment": {"A": "1"}}}`)
	err := x.Apply(context.Background(), cfg, "s")
	var ds executor.Diagnostics
	if !errors.As(err, &ds) || len(ds) != 3 {
		t.Fatalf("err = %v, want three diagnostics", err)
	}
	for i, want := range []string{
		`startup.json:2:40: error: container "b": security_opt must be a string for paunch queens-eol`,
		`startup.json:3:35: error: container "c": volumes must be a list (paunch would pass each character of the string "/a:/a" as its own --volume)`,
		`startup.json:4:39: error: container "d": environment must be a list of K=V strings for paunch queens-eol`,
	} {
		if !strings.HasPrefix(ds[i].Error(), want) {
			t.Errorf("diagnostic %d:\n got %s\nwant %s…", i, ds[i].Error(), want)
		}
		if ds[i].Rule != executor.RuleInput || ds[i].Severity != diag.Error {
			t.Errorf("diagnostic %d: %+v", i, ds[i])
		}
	}
	if len(eng.Calls()) != 0 {
		t.Errorf("commands ran: %q", eng.Calls())
	}
}

func TestParseConfigErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{`[1]`, "startup.json:1:1: error: a startup config must be a mapping"},
		{`{"a": "x"}`, `startup.json:1:7: error: the options of container "a" must be a mapping, not a string`},
		{`{"a": {"action": "start"}}`, `startup.json:1:18: error: container "a": action "start" is not valid: expected "run" or "exec"`},
		{`{"a": {"start_order": "1"}}`, `startup.json:1:23: error: container "a": start_order must be an integer`},
		{`{"a": {"exit_codes": [0, "2"]}}`, `startup.json:1:26: error: container "a": exit_codes must hold integers`},
		{`{"a": {"action": "exec"}}`, `startup.json:1:7: error: container "a": an exec needs a command`},
	} {
		doc, err := pyyaml.Load("startup.json", []byte(tc.src), pyyaml.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		_, err = executor.ParseConfig("startup.json", doc.Root)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s:\n got %v\nwant %s…", tc.src, err, tc.want)
		}
	}
}

func TestApplyDryRunChangesNothing(t *testing.T) {
	eng := executortest.NewEngine()
	eng.AddContainer(executortest.Instance{Name: "gone", Labels: map[string]string{"config_id": "s", "container_name": "gone", "managed_by": "paunch"}})
	x := newExecutor(eng, executor.Podman)
	x.DryRun = true
	var evs []executor.Event
	x.Emit = func(ev executor.Event) { evs = append(evs, ev) }
	if err := x.Apply(context.Background(), parseConfig(t, idemConfig), "s"); err != nil {
		t.Fatal(err)
	}
	if m := eng.Mutations(); len(m) != 0 {
		t.Errorf("a dry run ran %q", m)
	}
	var got []string
	for _, ev := range evs {
		got = append(got, ev.Action+" "+verbs([][]string{ev.Argv})[0])
		if ev.ExitCode != nil {
			t.Errorf("dry-run event with an exit code: %+v", ev)
		}
	}
	want := []string{"pull pull img:1", "pull pull img:2", "remove stop gone", "remove rm gone",
		"run run db_init", "create create api", "start start api", "create create worker", "start start worker"}
	if !slices.Equal(got, want) {
		t.Errorf("dry run:\n got %q\nwant %q", got, want)
	}
}

func TestApplyDryRunWithoutRuntime(t *testing.T) {
	eng := executortest.NewEngine()
	eng.NotInstalled = true
	x := newExecutor(eng, executor.Docker)
	x.DryRun = true
	var log strings.Builder
	x.Log = &log
	n := 0
	x.Emit = func(executor.Event) { n++ }
	if err := x.Apply(context.Background(), parseConfig(t, idemConfig), "s"); err != nil {
		t.Fatal(err)
	}
	if n != 5 || !strings.Contains(log.String(), "docker is not installed") {
		t.Errorf("%d commands; log %q", n, log.String())
	}
	// Outside a dry run, a missing runtime is an error.
	x.DryRun = false
	if err := x.Apply(context.Background(), parseConfig(t, idemConfig), "s"); !errors.Is(err, executor.ErrNoRuntime) {
		t.Errorf("err = %v, want ErrNoRuntime", err)
	}
}

// TestApplyDryRunOffline asks the runtime nothing, and reports what a
// first run on an empty node would do: the same commands as a dry run
// against a runtime with no images and no containers.
func TestApplyDryRunOffline(t *testing.T) {
	run := func(eng *executortest.Engine, offline bool) []string {
		x := newExecutor(eng, executor.Podman)
		x.DryRun, x.Offline = true, offline
		var log strings.Builder
		x.Log = &log
		var got []string
		x.Emit = func(ev executor.Event) { got = append(got, ev.Action+" "+strings.Join(ev.Argv, " ")) }
		if err := x.Apply(context.Background(), parseConfig(t, idemConfig), "s"); err != nil {
			t.Fatal(err)
		}
		if offline && log.Len() != 0 {
			t.Errorf("offline dry run logged %q", log.String())
		}
		return got
	}
	// A runtime that holds a container of the config: offline ignores it.
	busy := executortest.NewEngine()
	busy.AddContainer(executortest.Instance{Name: "gone", Labels: map[string]string{"config_id": "s", "container_name": "gone", "managed_by": "paunch"}})
	offline := run(busy, true)
	if calls := busy.Calls(); len(calls) != 0 {
		t.Errorf("an offline dry run asked the runtime %q", calls)
	}
	if empty := run(executortest.NewEngine(), false); !slices.Equal(offline, empty) || len(offline) == 0 {
		t.Errorf("offline:\n%q\nagainst an empty runtime:\n%q", offline, empty)
	}
}

func TestSameImage(t *testing.T) {
	for _, c := range []struct {
		tag, name string
		same      bool
	}{
		{"registry.example:8787/tripleo/keystone:13.0", "registry.example:8787/tripleo/keystone:13.0", true},
		{"docker.io/library/centos:7", "centos:7", true},
		{"docker.io/library/busybox:latest", "busybox", true},
		{"localhost/hoist-test:1", "hoist-test:1", true},
		{"registry.example:8787/tripleo/keystone:13.0", "registry.example:8787/tripleo/keystone:14.0", false},
		{"docker.io/library/centos:7", "centos:8", false},
	} {
		if got := executor.SameImage(c.tag, c.name); got != c.same {
			t.Errorf("SameImage(%q, %q) = %v, want %v", c.tag, c.name, got, c.same)
		}
	}
}

// TestFullyNamed: the image names a runtime's images listing shows as
// written, so that one missing from it is not asked about again.
func TestFullyNamed(t *testing.T) {
	for img, want := range map[string]bool{
		"registry.example/nova-api:1":                                            true,
		"192.168.24.1:8787/tripleoqueens/centos-binary-nova-api:current-tripleo": true,
		"localhost/hoist-test/busybox:1":                                         true,
		"docker.io/library/centos:7":                                             true,
		"centos:7":                                                               false, // search registries
		"tripleo/nova-api:1":                                                     false, // "tripleo" is no registry
		"registry.example/nova-api":                                              false, // no tag: :latest, written otherwise
		"registry.example/nova-api@sha256:0123":                                  false, // digests are not listed
		"registry.example:5000/nova-api":                                         false,
	} {
		if got := executor.FullyNamed(img); got != want {
			t.Errorf("FullyNamed(%q) = %v, want %v", img, got, want)
		}
	}
}
