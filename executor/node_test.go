package executor_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"hoist/executor"
	"hoist/executor/executortest"
	"hoist/internal/testenv"
	"hoist/pyyaml"
	"hoist/value"
)

func fixtureNode(t *testing.T) string {
	return filepath.Join(testenv.RepoRoot(t), "testdata", "executor", "nodes", "overcloud-controller-0")
}

// configGenHook makes the fake runtime's config containers do what the
// real ones do for the hash: write <volume>.md5sum under config-data. The
// hash of a volume is hashes[volume] (its name when unset).
// Config containers run in parallel: seen is kept in volume order.
func configGenHook(root string, hashes map[string]string, seen *[][]string) func(context.Context, []string) (executor.Result, error, bool) {
	var mu sync.Mutex
	return func(ctx context.Context, argv []string) (executor.Result, error, bool) {
		if len(argv) < 6 || argv[1] != "run" {
			return executor.Result{}, nil, false
		}
		gen, vol, ok := strings.Cut(argv[5], "-puppet-")
		if !ok || gen != "docker" && gen != "container" {
			return executor.Result{}, nil, false
		}
		mu.Lock()
		*seen = append(*seen, argv)
		slices.SortStableFunc(*seen, func(a, b []string) int { return configOrder(a) - configOrder(b) })
		mu.Unlock()
		if slices.Contains(argv, "NO_ARCHIVE=true") {
			return executor.Result{}, nil, false
		}
		h := hashes[vol]
		if h == "" {
			h = vol + "-hash"
		}
		for _, p := range []string{"var/lib/config-data/" + vol + ".md5sum", "var/lib/config-data/puppet-generated/" + vol + ".md5sum"} {
			p = filepath.Join(root, p)
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, []byte(h+"\n"), 0o644)
		}
		return executor.Result{}, nil, false
	}
}

// configOrder orders config runs as the fixture lists the volumes (mysql,
// keystone), bootstrap tasks last.
func configOrder(argv []string) int {
	_, vol, _ := strings.Cut(argv[5], "-puppet-")
	switch vol {
	case "mysql":
		return 0
	case "keystone":
		return 1
	}
	return 2
}

func nodeExecutor(t *testing.T, eng *executortest.Engine, root string) *executor.Executor {
	x := newExecutor(eng, executor.Podman)
	x.Root = root
	x.HostPathExists = func(string) bool { return true }
	for _, img := range []string{"mariadb", "keystone"} {
		eng.Images["192.168.24.1:8787/tripleoqueens/centos-binary-"+img+":current-tripleo"] = img + "-id"
	}
	return x
}

func allSteps() []int { return []int{1, 2, 3, 4, 5} }

func readJSON(t *testing.T, p string) *value.Value {
	t.Helper()
	doc, err := pyyaml.LoadFile(p, pyyaml.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	return doc.Root
}

func envOf(t *testing.T, cfg *value.Value, name string) []string {
	t.Helper()
	c, ok := cfg.Map.Get(name)
	if !ok {
		t.Fatalf("no container %s", name)
	}
	env, _ := c.Map.Get("environment")
	var out []string
	for _, e := range env.List {
		out = append(out, e.Str)
	}
	return out
}

func TestApplyNode(t *testing.T) {
	root := t.TempDir()
	eng := executortest.NewEngine()
	var configRuns [][]string
	eng.Hook = configGenHook(root, nil, &configRuns)
	x := nodeExecutor(t, eng, root)
	n, err := executor.OpenNode(fixtureNode(t), "")
	if err != nil {
		t.Fatal(err)
	}
	if n.Hostname != "overcloud-controller-0" || !n.Bootstrap {
		t.Fatalf("node %+v: want the bootstrap node overcloud-controller-0", n)
	}
	if err := x.ApplyNode(context.Background(), n, allSteps()); err != nil {
		t.Fatal(err)
	}

	// The folder is installed under the root, with its modes.
	st, err := os.Stat(filepath.Join(root, "var/lib/docker-config-scripts/docker_puppet_apply.sh"))
	if err != nil || st.Mode().Perm()&0o100 == 0 {
		t.Errorf("script not installed executable: %v %v", st, err)
	}
	if b, _ := os.ReadFile(filepath.Join(root, executor.ConfigStepFile)); string(b) != "{\"step\": 5}\n" {
		t.Errorf("config_step.json = %q", b)
	}
	if _, err := os.Stat(filepath.Join(root, executor.ScriptPath)); err != nil {
		t.Errorf("config generation script: %v", err)
	}
	man, _ := os.ReadFile(filepath.Join(root, "var/lib/docker-puppet/manifests/keystone.pp"))
	if want := "include ::tripleo::packages\ninclude ::tripleo::profile::base::keystone\n\ninclude ::tripleo::profile::base::database::mysql::client\ninclude ::tripleo::profile::base::keystone::cron"; string(man) != want {
		t.Errorf("keystone manifest:\n%s\nwant:\n%s", man, want)
	}

	// Config generation: one container per volume (mysql, keystone), then
	// the step 3 bootstrap task, without archiving.
	var names []string
	for _, r := range configRuns {
		names = append(names, r[5]+" "+r[slices.Index(r, "--env")+9]+" "+r[slices.Index(r, "--env")+7])
	}
	if want := []string{"docker-puppet-mysql STEP=6 NO_ARCHIVE=", "docker-puppet-keystone STEP=6 NO_ARCHIVE=",
		"docker-puppet-keystone_init_tasks STEP=3 NO_ARCHIVE=true"}; !slices.Equal(names, want) {
		t.Errorf("config containers %q, want %q", names, want)
	}
	if tags := configRuns[1][slices.Index(configRuns[1], "--env")+1]; tags != "PUPPET_TAGS=file,file_line,concat,augeas,cron,keystone_config,keystone_domain_config" {
		t.Errorf("keystone tags %q", tags)
	}

	// The hashed startup configs: the hash of every config volume mounted
	// with a trailing slash; none for keystone_cron (no slash).
	h1 := readJSON(t, filepath.Join(root, executor.HashedStepConfigFile(1)))
	if got := envOf(t, h1, "mysql_bootstrap"); got[len(got)-1] != "TRIPLEO_CONFIG_HASH=mysql-hash" {
		t.Errorf("mysql_bootstrap env %q", got)
	}
	if _, has := mustMap(t, h1, "mysql_data_ownership").Get("environment"); has {
		t.Error("mysql_data_ownership mounts no config volume but got an environment")
	}
	h3 := readJSON(t, filepath.Join(root, executor.HashedStepConfigFile(3)))
	if got := envOf(t, h3, "keystone_db_sync"); !slices.Equal(got, []string{"KOLLA_BOOTSTRAP=True", "KOLLA_CONFIG_STRATEGY=COPY_ALWAYS", "TRIPLEO_CONFIG_HASH=keystone-hash"}) {
		t.Errorf("keystone_db_sync env %q", got)
	}
	if got := envOf(t, h3, "keystone_cron"); !slices.Equal(got, []string{"KOLLA_CONFIG_STRATEGY=COPY_ALWAYS"}) {
		t.Errorf("keystone_cron env %q: a source without the trailing slash finds no hash", got)
	}
	if st, _ := os.Stat(filepath.Join(root, executor.HashedStepConfigFile(3))); st.Mode().Perm() != 0o600 {
		t.Errorf("hashed file mode %v", st.Mode())
	}

	// The containers, with their labels.
	if got := eng.Containers(); !slices.Equal(got, []string{"keystone", "keystone_cron", "keystone_db_sync", "mysql", "mysql_bootstrap", "mysql_data_ownership"}) {
		t.Errorf("containers %q", got)
	}
	ks := eng.Container("keystone")
	if ks.Labels["config_id"] != "tripleo_step3" || ks.Labels["managed_by"] != "paunch" || !ks.Running ||
		!strings.Contains(ks.Labels["config_data"], `"TRIPLEO_CONFIG_HASH=keystone-hash"`) {
		t.Errorf("keystone: %+v", ks)
	}
	last := eng.Mutations()[len(eng.Mutations())-1]
	if want := []string{"podman", "exec", "--user=root", "keystone", "pkill", "--signal", "USR1", "httpd"}; !slices.Equal(last, want) {
		t.Errorf("step 4 exec %q", last)
	}

	// A second apply generates the configuration again (as every TripleO
	// deploy did), runs the bootstrap task and the exec again, and leaves
	// every container alone.
	eng.Reset()
	configRuns = nil
	if err := x.ApplyNode(context.Background(), n, allSteps()); err != nil {
		t.Fatal(err)
	}
	for _, m := range eng.Mutations() {
		if m[1] == "run" && strings.HasPrefix(m[5], "docker-puppet-") || m[1] == "rm" && strings.HasPrefix(m[2], "docker-puppet-") || m[1] == "exec" {
			continue
		}
		t.Errorf("second apply of the same node ran %q", m)
	}

	// A configuration change of keystone recreates exactly the containers
	// that mount its config volume with the slash.
	eng.Hook = configGenHook(root, map[string]string{"keystone": "keystone-hash-2"}, &configRuns)
	eng.Reset()
	if err := x.ApplyNode(context.Background(), n, allSteps()); err != nil {
		t.Fatal(err)
	}
	var recreated []string
	for _, m := range eng.Mutations() {
		if (m[1] == "create" || m[1] == "run") && m[2] == "--name" {
			recreated = append(recreated, m[3])
		}
	}
	if !slices.Equal(recreated, []string{"keystone_db_sync", "keystone"}) {
		t.Errorf("recreated %q, want keystone_db_sync and keystone", recreated)
	}
}

func mustMap(t *testing.T, v *value.Value, k string) *value.Mapping {
	t.Helper()
	c, ok := v.Map.Get(k)
	if !ok || c.Kind != value.Map {
		t.Fatalf("no mapping %s", k)
	}
	return c.Map
}

func TestApplyNodeNotBootstrap(t *testing.T) {
	root := t.TempDir()
	eng := executortest.NewEngine()
	var configRuns [][]string
	eng.Hook = configGenHook(root, nil, &configRuns)
	x := nodeExecutor(t, eng, root)
	var log strings.Builder
	x.Log = &log
	n, err := executor.OpenNode(fixtureNode(t), "overcloud-controller-1")
	if err != nil {
		t.Fatal(err)
	}
	if n.Bootstrap {
		t.Fatal("controller-1 is not the bootstrap node")
	}
	if err := x.ApplyNode(context.Background(), n, allSteps()); err != nil {
		t.Fatal(err)
	}
	for _, r := range configRuns {
		if r[5] == "docker-puppet-keystone_init_tasks" {
			t.Error("bootstrap tasks ran on a node that is not the bootstrap node")
		}
		if !slices.Contains(r, "HOSTNAME=overcloud-controller-1") {
			t.Errorf("config container without the node's hostname: %q", r)
		}
	}
	if !strings.Contains(log.String(), `bootstrap tasks are not run: node "overcloud-controller-1" is not its role's bootstrap node (bootstrap_nodeid is "overcloud-controller-0")`) {
		t.Errorf("log:\n%s", log.String())
	}
}

func TestApplyNodeFailureStopsLaterSteps(t *testing.T) {
	root := t.TempDir()
	eng := executortest.NewEngine()
	var configRuns [][]string
	eng.Hook = configGenHook(root, nil, &configRuns)
	eng.ExitCodes["keystone_db_sync"] = 1
	x := nodeExecutor(t, eng, root)
	n, _ := executor.OpenNode(fixtureNode(t), "")
	err := x.ApplyNode(context.Background(), n, allSteps())
	var f *executor.Failure
	if !errors.As(err, &f) || f.Step != 3 || f.Container != "keystone_db_sync" {
		t.Fatalf("err = %v, want keystone_db_sync failing at step 3", err)
	}
	if !strings.HasPrefix(err.Error(), "step 3: container keystone_db_sync failed with exit code 1") {
		t.Errorf("message %q", err.Error())
	}
	if eng.Container("keystone") != nil || len(configRuns) != 2 {
		t.Errorf("the step went on after the failure: containers %q, %d config runs", eng.Containers(), len(configRuns))
	}
	if b, _ := os.ReadFile(filepath.Join(root, executor.ConfigStepFile)); string(b) != "{\"step\": 3}\n" {
		t.Errorf("config_step.json = %q: a later step ran", b)
	}
	// Fixed, steps 3 to 5 alone resume the run.
	eng.ExitCodes["keystone_db_sync"] = 0
	eng.Reset()
	if err := x.ApplyNode(context.Background(), n, []int{3, 4, 5}); err != nil {
		t.Fatal(err)
	}
	if eng.Container("keystone") == nil || eng.Container("keystone_db_sync") == nil {
		t.Errorf("containers %q", eng.Containers())
	}
}

func TestApplyNodeLaterStepsNeedStep1(t *testing.T) {
	root := t.TempDir()
	eng := executortest.NewEngine()
	var configRuns [][]string
	eng.Hook = configGenHook(root, nil, &configRuns)
	x := nodeExecutor(t, eng, root)
	n, _ := executor.OpenNode(fixtureNode(t), "")
	err := x.ApplyNode(context.Background(), n, []int{2})
	if err == nil || !strings.Contains(err.Error(), "is not installed on the node: step 1 installs the node folder") {
		t.Fatalf("err = %v", err)
	}
	if len(eng.Calls()) != 0 {
		t.Errorf("commands ran: %q", eng.Calls())
	}
	if err := x.ApplyNode(context.Background(), n, []int{1}); err != nil {
		t.Fatal(err)
	}
	// A changed node folder must go through step 1 again.
	changed := filepath.Join(root, executor.StepConfigFile(2))
	os.WriteFile(changed, []byte("{}\n"), 0o600)
	err = x.ApplyNode(context.Background(), n, []int{2})
	if err == nil || !strings.Contains(err.Error(), "differs from the one step 1 installed") {
		t.Fatalf("err = %v", err)
	}
}

func TestOpenNodeErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		path, want string
	}{
		{filepath.Join(dir, "nope"), "cannot open the node folder: no such file or directory"},
		{dir, "not a node folder: it has no var/lib/tripleo-config/docker-container-startup-config-step_1.json"},
	} {
		_, err := executor.OpenNode(tc.path, "")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.path, err, tc.want)
		}
	}
	os.MkdirAll(filepath.Join(dir, "var/lib/tripleo-config"), 0o755)
	os.WriteFile(filepath.Join(dir, executor.StepConfigFile(1)), []byte(`{"a": {"image": "i", "start_order": "x"}}`), 0o644)
	os.MkdirAll(filepath.Join(dir, "etc/puppet/hieradata"), 0o755)
	os.WriteFile(filepath.Join(dir, executor.BootstrapNodeFile), []byte(`["x"]`), 0o644)
	if _, err := executor.OpenNode(dir, ""); err == nil || !strings.Contains(err.Error(), "bootstrap_node.json:1:1: error: bootstrap_node.json must be a mapping") {
		t.Errorf("err = %v", err)
	}
	os.WriteFile(filepath.Join(dir, executor.BootstrapNodeFile), []byte(`{"bootstrap_nodeid": "x"}`), 0o644)
	n, err := executor.OpenNode(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	eng := executortest.NewEngine()
	x := newExecutor(eng, executor.Docker)
	x.Root = t.TempDir()
	err = x.ApplyNode(context.Background(), n, []int{1})
	if err == nil || !strings.Contains(err.Error(), `docker-container-startup-config-step_1.json:1:37: error: container "a": start_order must be an integer, not "x"`) {
		t.Errorf("err = %v", err)
	}
	if len(eng.Calls()) != 0 {
		t.Errorf("commands ran: %q", eng.Calls())
	}
}

func TestConfigHash(t *testing.T) {
	root := t.TempDir()
	for p, h := range map[string]string{
		"var/lib/config-data/puppet-generated/nova.md5sum": "aaa\n",
		"var/lib/config-data/nova.md5sum":                  "bbb \n",
		"var/lib/config-data/puppet-generated.md5sum":      "never\n",
	} {
		os.MkdirAll(filepath.Join(root, filepath.Dir(p)), 0o755)
		os.WriteFile(filepath.Join(root, p), []byte(h), 0o644)
	}
	x := &executor.Executor{Root: root}
	for _, tc := range []struct {
		vols, want string
	}{
		{`["/var/lib/config-data/puppet-generated/nova/:/src:ro"]`, "aaa"},
		// sorted by path: /var/lib/config-data/nova < .../puppet-generated/nova
		{`["/var/lib/config-data/puppet-generated/nova/:/src:ro", "/var/lib/config-data/nova/:/x"]`, "bbb-aaa"},
		// without the trailing slash the dirname is the parent folder
		{`["/var/lib/config-data/puppet-generated/nova:/src:ro"]`, "never"},
		{`["/var/lib/config-data/nova/etc/nova/:/etc/nova:ro"]`, ""},
		{`["/etc/hosts:/etc/hosts:ro", "/var/lib/nova:/var/lib/nova"]`, ""},
		{`["/var/lib/config-data/nova/:/a", "/var/lib/config-data/nova/:/b"]`, "bbb-bbb"},
	} {
		doc, _ := pyyaml.Load("t", []byte(`{"volumes": `+tc.vols+`}`), pyyaml.DefaultLimits)
		if got := x.ConfigHash(doc.Root); got != tc.want {
			t.Errorf("%s: hash %q, want %q", tc.vols, got, tc.want)
		}
	}
	// The hash is appended to a list, set in a mapping, and creates a list.
	doc, _ := pyyaml.Load("t", []byte(`{
	  "a": {"volumes": ["/var/lib/config-data/nova/:/a"], "environment": ["X=1"]},
	  "b": {"volumes": ["/var/lib/config-data/nova/:/a"], "environment": {"X": "1"}},
	  "c": {"volumes": ["/var/lib/config-data/nova/:/a"], "image": "i"},
	  "d": {"image": "i"}}`), pyyaml.DefaultLimits)
	before := executor.ConfigData(doc.Root)
	got := executor.ConfigData(x.HashConfig(doc.Root))
	want := `{"a": {"volumes": ["/var/lib/config-data/nova/:/a"], "environment": ["X=1", "TRIPLEO_CONFIG_HASH=bbb"]}, ` +
		`"b": {"volumes": ["/var/lib/config-data/nova/:/a"], "environment": {"X": "1", "TRIPLEO_CONFIG_HASH": "bbb"}}, ` +
		`"c": {"volumes": ["/var/lib/config-data/nova/:/a"], "image": "i", "environment": ["TRIPLEO_CONFIG_HASH=bbb"]}, ` +
		`"d": {"image": "i"}}`
	if got != want {
		t.Errorf("hashed:\n got %s\nwant %s", got, want)
	}
	if executor.ConfigData(doc.Root) != before {
		t.Error("HashConfig changed its input")
	}
}

func TestLoadPuppetConfig(t *testing.T) {
	src := `[
	  null,
	  {"config_volume": "nova", "puppet_tags": "nova_config", "step_config": "include a", "config_image": "nova:1"},
	  ["neutron", "neutron_config", "include n", "neutron:1", ["/lib/modules:/lib/modules:ro"]],
	  {"config_volume": "nova", "puppet_tags": "nova_paste", "step_config": "include b", "config_image": "nova:2", "volumes": ["/x:/x"]},
	  {"config_volume": "skipped", "puppet_tags": "t", "step_config": "", "config_image": "i"},
	  {"config_volume": "noimage", "puppet_tags": "t", "step_config": "include x", "config_image": ""},
	  {"config_volume": "notags", "step_config": "include t", "config_image": "t:1"}
	]`
	doc, err := pyyaml.Load("docker-puppet.json", []byte(src), pyyaml.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	vols, warns, err := executor.ParsePuppetConfig("docker-puppet.json", doc.Root)
	if err != nil {
		t.Fatal(err)
	}
	type vol struct {
		Name, Tags, Manifest, Image string
		Volumes                     []string
	}
	var got []vol
	for _, v := range vols {
		got = append(got, vol{v.Name, v.AllTags(), v.Manifest, v.Image, v.Volumes})
	}
	want := []vol{
		{"nova", "file,file_line,concat,augeas,cron,nova_config,nova_paste", "include a\ninclude b", "nova:1", []string{"/x:/x"}},
		{"neutron", "file,file_line,concat,augeas,cron,neutron_config", "include n", "neutron:1", []string{"/lib/modules:/lib/modules:ro"}},
		{"notags", "file,file_line,concat,augeas,cron", "include t", "t:1", nil},
	}
	gj, _ := json.Marshal(got)
	wj, _ := json.Marshal(want)
	if string(gj) != string(wj) {
		t.Errorf("volumes\n got %s\nwant %s", gj, wj)
	}
	if len(warns) != 1 || !strings.Contains(warns[0].Error(), `docker-puppet.json:5:4: warning: config volume "nova" uses image "nova:2" here but "nova:1" first`) {
		t.Errorf("warnings %v", warns)
	}
	for _, bad := range []struct{ src, want string }{
		{`{"a": 1}`, "docker-puppet config must be a list"},
		{`[{"config_volume": 1}]`, "entry 0: config_volume must be a string, not a int"},
		{`[{"config_volume": "a/b", "step_config": "x", "config_image": "i"}]`, `config_volume "a/b" must be a non-empty name`},
		{`[{"config_volume": "a", "step_config": "x", "config_image": "i", "volumes": "/a:/a"}]`, "volumes must be a list of strings"},
	} {
		doc, _ := pyyaml.Load("p.json", []byte(bad.src), pyyaml.DefaultLimits)
		if _, _, err := executor.ParsePuppetConfig("p.json", doc.Root); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: err = %v, want %q", bad.src, err, bad.want)
		}
	}
}

func TestConfigArgv(t *testing.T) {
	x := &executor.Executor{Runtime: executor.Podman, Root: "/",
		HostPathExists: func(p string) bool { return p != "/dev/log" && !strings.HasPrefix(p, "/etc/pki") }}
	v := &executor.PuppetVolume{Name: "nova", Tags: "nova_config", Image: "nova:1", Volumes: []string{"/lib/modules:/lib/modules:ro"}}
	got := x.ConfigArgv(executor.ConfigRun{Step: 6, Hostname: "compute-0", Action: executor.ActConfig}, v)
	want := []string{"podman", "run", "--user", "root", "--name", "docker-puppet-nova",
		"--env", "PUPPET_TAGS=file,file_line,concat,augeas,cron,nova_config", "--env", "NAME=nova",
		"--env", "HOSTNAME=compute-0", "--env", "NO_ARCHIVE=", "--env", "STEP=6",
		"--volume", "/etc/localtime:/etc/localtime:ro",
		"--volume", "/var/lib/docker-puppet/manifests/nova.pp:/etc/config.pp:ro,z",
		"--volume", "/etc/puppet/:/tmp/puppet-etc/:ro,z",
		"--volume", "/usr/share/openstack-puppet/modules/:/usr/share/openstack-puppet/modules/:ro",
		"--volume", "/var/lib/config-data/:/var/lib/config-data/:z",
		"--volume", "tripleo_logs:/var/log/tripleo/",
		"--volume", "/var/lib/docker-puppet/docker-puppet.sh:/var/lib/docker-puppet/docker-puppet.sh:z",
		"--volume", "/lib/modules:/lib/modules:ro",
		"--entrypoint", "/var/lib/docker-puppet/docker-puppet.sh", "--net", "host",
		"--volume", "/etc/hosts:/etc/hosts:ro", "nova:1"}
	if !slices.Equal(got, want) {
		t.Errorf("config argv\n got %q\nwant %q", got, want)
	}
}

func TestConfigGenerationFailureAndInterrupt(t *testing.T) {
	root := t.TempDir()
	eng := executortest.NewEngine()
	eng.Images["i"] = "1"
	eng.ExitCodes["docker-puppet-b"] = 1
	eng.ExitCodes["docker-puppet-a"] = 2 // puppet's "changes applied"
	x := newExecutor(eng, executor.Docker)
	x.Root = root
	vols := []*executor.PuppetVolume{{Name: "a", Manifest: "x", Image: "i"}, {Name: "b", Manifest: "y", Image: "i"}, {Name: "c", Manifest: "z", Image: "i"}}
	err := x.GenerateConfig(context.Background(), executor.ConfigRun{Step: 6, Action: executor.ActConfig}, vols)
	var f *executor.Failure
	if !errors.As(err, &f) || f.Container != "docker-puppet-b" || !strings.Contains(f.Msg, "config generation of b failed with exit code 1") {
		t.Fatalf("err = %v", err)
	}
	// a and c succeeded and were removed; b is kept for debugging.
	if got := eng.Containers(); !slices.Equal(got, []string{"docker-puppet-b"}) {
		t.Errorf("containers %q", got)
	}
	// The next run replaces the failed container.
	eng.ExitCodes["docker-puppet-b"] = 0
	eng.Reset()
	if err := x.GenerateConfig(context.Background(), executor.ConfigRun{Step: 6, Action: executor.ActConfig}, vols[1:2]); err != nil {
		t.Fatal(err)
	}
	wantVerbs(t, eng.Mutations(), "rm -f docker-puppet-b", "run docker-puppet-b", "rm docker-puppet-b")

	// An interrupt removes the container it interrupted.
	ctx, cancel := context.WithCancel(context.Background())
	eng.Hook = func(hctx context.Context, argv []string) (executor.Result, error, bool) {
		if argv[1] == "run" {
			eng.AddContainer(executortest.Instance{Name: argv[5], Running: true})
			cancel()
			return executor.Result{ExitCode: -1}, hctx.Err(), true
		}
		return executor.Result{}, nil, false
	}
	err = x.GenerateConfig(ctx, executor.ConfigRun{Step: 6, Action: executor.ActConfig}, vols[:1])
	if !executor.Interrupted(err) || len(eng.Containers()) != 0 {
		t.Errorf("err = %v, containers %q", err, eng.Containers())
	}
}

// BenchmarkDryRunNode is the executor's own cost for the fixture node (5
// steps, 7 containers, 3 config containers): loading, checking, hashing
// and building every argv, against the fake runtime.
func BenchmarkDryRunNode(b *testing.B) {
	root := b.TempDir()
	n, err := executor.OpenNode(filepath.Join(testenv.RepoRoot(b), "testdata", "executor", "nodes", "overcloud-controller-0"), "")
	if err != nil {
		b.Fatal(err)
	}
	cmds := 0
	for b.Loop() {
		eng := executortest.NewEngine()
		x := &executor.Executor{Runtime: executor.Podman, Runner: eng, Root: root, DryRun: true,
			Emit: func(executor.Event) { cmds++ }}
		if err := x.ApplyNode(context.Background(), n, allSteps()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cmds)/float64(b.N), "commands/op")
}
