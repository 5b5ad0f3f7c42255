package executor_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"hoist/executor"
	"hoist/executor/executortest"
	"hoist/pyyaml"
	"hoist/release"
)

// The fixture node folder (queens) rewritten in another release's layout:
// the same containers, config volumes and tasks, at the paths and in the
// forms the release's deploy steps wrote them (release.Node). train's
// environments become mappings, as train's templates write them, and
// mysql_bootstrap loses its environment so that the hash has to create
// one. The puppet tasks name their service, and all_nodes.json names the
// services' bootstrap nodes: keystone's is this node, "other"'s is
// overcloud-controller-1.
func releaseNode(t *testing.T, rel *release.Release) string {
	t.Helper()
	src := fixtureNode(t)
	dir := filepath.Join(t.TempDir(), "overcloud-controller-0")
	ln := rel.Node
	write := func(p string, v any) {
		t.Helper()
		b, err := json.MarshalIndent(v, "", "    ")
		if err != nil {
			t.Fatal(err)
		}
		p = filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	read := func(p string) any {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(src, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	copyTree := func(from, to string) {
		t.Helper()
		filepath.WalkDir(filepath.Join(src, from), func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(filepath.Join(src, from), p)
			b, _ := os.ReadFile(p)
			info, _ := d.Info()
			out := filepath.Join(dir, to, rel)
			os.MkdirAll(filepath.Dir(out), 0o755)
			return os.WriteFile(out, b, info.Mode().Perm())
		})
	}
	copyTree("var/lib/kolla", "var/lib/kolla")
	copyTree("etc", "etc")
	copyTree("var/lib/docker-config-scripts", ln.ConfigScriptsDir)
	for s := 1; s <= release.MaxStep; s++ {
		cfg := read(executor.StepConfigFile(s)).(map[string]any)
		if ln.StepConfig != "" {
			write(ln.StepConfigFile(s), cfg)
			continue
		}
		for name, opts := range cfg {
			o := opts.(map[string]any)
			if env, ok := o["environment"].([]any); ok {
				m := map[string]any{}
				for _, e := range env {
					k, v, _ := strings.Cut(e.(string), "=")
					m[k] = v
				}
				o["environment"] = m
			}
			if name == "mysql_bootstrap" {
				delete(o, "environment")
			}
			write(ln.ContainerConfigFile(s, name), o)
		}
	}
	write(ln.PuppetConfig, read(executor.PuppetConfigFile))
	tasks := read(executor.PuppetTasksFile(3)).([]any)
	tasks[0].(map[string]any)["service_name"] = "keystone"
	tasks = append(tasks, map[string]any{"config_volume": "other_init_tasks", "service_name": "other", "step_config": "include other",
		"config_image": "192.168.24.1:8787/tripleoqueens/centos-binary-keystone:current-tripleo"})
	write(ln.PuppetTasksFile(3), tasks)
	write(executor.AllNodesFile, map[string]any{
		"keystone_short_bootstrap_node_name": "overcloud-controller-0",
		"other_short_bootstrap_node_name":    "overcloud-controller-1",
		"container_cli":                      "podman",
	})
	return dir
}

// configRun is a config container's name, STEP and NO_ARCHIVE.
func configRun(r []string) string {
	e := slices.Index(r, "--env")
	return r[5] + " " + r[e+9] + " " + r[e+7]
}

func TestApplyNodeStein(t *testing.T) {
	rel, _ := release.Lookup("stein")
	dir := releaseNode(t, rel)
	root := t.TempDir()
	eng := executortest.NewEngine()
	var configRuns [][]string
	eng.Hook = configGenHook(root, nil, &configRuns)
	x := nodeExecutor(t, eng, root)
	var log strings.Builder
	x.Log = &log
	n, err := executor.OpenNode(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if n.Release != rel || n.ContainerCli != "podman" {
		t.Fatalf("release %v (%s), container_cli %q", n.Release, n.ReleaseWhy, n.ContainerCli)
	}
	if err := x.ApplyNode(context.Background(), n, allSteps()); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range configRuns {
		names = append(names, configRun(r))
		if r[2] != "--user" || r[3] != "0" || !slices.Contains(r, "label=disable") {
			t.Errorf("stein's config container runs as uid 0 without SELinux labels: %q", r)
		}
		if !slices.Contains(r, "/var/lib/container-puppet/container-puppet.sh") {
			t.Errorf("config container without container-puppet.sh as its entrypoint: %q", r)
		}
	}
	// other_init_tasks runs on its service's bootstrap node, not here.
	if want := []string{"container-puppet-mysql STEP=6 NO_ARCHIVE=", "container-puppet-keystone STEP=6 NO_ARCHIVE=",
		"container-puppet-keystone_init_tasks STEP=3 NO_ARCHIVE=true"}; !slices.Equal(names, want) {
		t.Errorf("config containers %q, want %q", names, want)
	}
	if !strings.Contains(log.String(), "this task of service other is not run: its bootstrap node is overcloud-controller-1") {
		t.Errorf("log:\n%s", log.String())
	}
	for _, p := range []string{"var/lib/container-puppet/container-puppet.sh", "var/lib/container-puppet/manifests/keystone.pp",
		"var/lib/container-config-scripts/docker_puppet_apply.sh"} {
		if _, err := os.Stat(filepath.Join(root, p)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	// get_config_base: keystone_db_sync's config-data/keystone/etc/keystone/
	// counts (keystone.md5sum), and keystone_cron's puppet-generated/keystone
	// without the slash finds its hash, unlike queens.
	h3 := readJSON(t, filepath.Join(root, rel.Node.HashedStepConfigFile(3)))
	if got := envOf(t, h3, "keystone_db_sync"); !slices.Equal(got, []string{"KOLLA_BOOTSTRAP=True", "KOLLA_CONFIG_STRATEGY=COPY_ALWAYS", "TRIPLEO_CONFIG_HASH=keystone-hash-keystone-hash"}) {
		t.Errorf("keystone_db_sync env %q", got)
	}
	if got := envOf(t, h3, "keystone_cron"); !slices.Equal(got, []string{"KOLLA_CONFIG_STRATEGY=COPY_ALWAYS", "TRIPLEO_CONFIG_HASH=keystone-hash"}) {
		t.Errorf("keystone_cron env %q", got)
	}
	if ks := eng.Container("keystone"); ks == nil || ks.Labels["config_id"] != "tripleo_step3" {
		t.Errorf("keystone: %+v", ks)
	}
}

func TestApplyNodeTrain(t *testing.T) {
	rel, _ := release.Lookup("train")
	dir := releaseNode(t, rel)
	root := t.TempDir()
	// A container an earlier build had: train's deploy steps removed the
	// step folders before writing them again.
	stale := filepath.Join(root, filepath.FromSlash(rel.Node.ContainerConfigFile(3, "gone")))
	os.MkdirAll(filepath.Dir(stale), 0o755)
	os.WriteFile(stale, []byte(`{"image": "x"}`), 0o600)

	eng := executortest.NewEngine()
	var configRuns [][]string
	eng.Hook = configGenHook(root, nil, &configRuns)
	x := nodeExecutor(t, eng, root)
	n, err := executor.OpenNode(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if n.Release != rel {
		t.Fatalf("release %v (%s)", n.Release, n.ReleaseWhy)
	}
	if err := x.ApplyNode(context.Background(), n, allSteps()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the stale container file is still installed: %v", err)
	}
	// One hashed file per container, the hash a key of the environment
	// mapping, created where there was none.
	hashed := func(s int, name string) map[string]any {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(rel.Node.HashedContainerConfigFile(s, name)))
		st, err := os.Stat(p)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v %v", p, st, err)
		}
		var v map[string]any
		b, _ := os.ReadFile(p)
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	if env := hashed(3, "keystone_db_sync")["environment"]; !mapEqual(env, map[string]any{"KOLLA_BOOTSTRAP": "True", "KOLLA_CONFIG_STRATEGY": "COPY_ALWAYS", "TRIPLEO_CONFIG_HASH": "keystone-hash-keystone-hash"}) {
		t.Errorf("keystone_db_sync environment %v", env)
	}
	if env := hashed(1, "mysql_bootstrap")["environment"]; !mapEqual(env, map[string]any{"TRIPLEO_CONFIG_HASH": "mysql-hash"}) {
		t.Errorf("mysql_bootstrap environment %v", env)
	}
	if _, has := hashed(1, "mysql_data_ownership")["environment"]; has {
		t.Error("mysql_data_ownership mounts no config volume but got an environment")
	}
	ks := eng.Container("keystone")
	if ks == nil || ks.Labels["config_id"] != "tripleo_step3" || !strings.Contains(ks.Labels["config_data"], `"TRIPLEO_CONFIG_HASH": "keystone-hash"`) {
		t.Errorf("keystone: %+v", ks)
	}
	var names []string
	for _, r := range configRuns {
		names = append(names, configRun(r))
	}
	if want := []string{"container-puppet-mysql STEP=6 NO_ARCHIVE=", "container-puppet-keystone STEP=6 NO_ARCHIVE=",
		"container-puppet-keystone_init_tasks STEP=3 NO_ARCHIVE=true"}; !slices.Equal(names, want) {
		t.Errorf("config containers %q, want %q", names, want)
	}

	// Later steps alone run on what step 1 installed; a changed container
	// file (or one more) sends the run back to step 1.
	eng.Reset()
	if err := x.ApplyNode(context.Background(), n, []int{3, 4}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, filepath.FromSlash(rel.Node.ContainerConfigFile(3, "extra"))), []byte(`{"image": "x"}`), 0o600)
	if err := x.ApplyNode(context.Background(), n, []int{3}); err == nil || !strings.Contains(err.Error(), "differs from the one step 1 installed") {
		t.Errorf("err = %v", err)
	}
}

func mapEqual(got any, want map[string]any) bool {
	m, ok := got.(map[string]any)
	if !ok || len(m) != len(want) {
		return false
	}
	for k, v := range want {
		if m[k] != v {
			return false
		}
	}
	return true
}

func TestDetectRelease(t *testing.T) {
	for _, name := range []string{"stein", "train"} {
		rel, _ := release.Lookup(name)
		n, err := executor.OpenNode(releaseNode(t, rel), "")
		if err != nil || n.Release != rel || n.ReleaseWhy != "its files have "+name+"'s layout" {
			t.Errorf("%s: %v, %+v", name, err, n)
		}
	}
	// queens and rocky share a layout: rocky's tasks name their service.
	rocky, _ := release.Lookup("rocky")
	dir := releaseNode(t, rocky)
	n, err := executor.OpenNode(dir, "")
	if err != nil || n.Release != rocky || !strings.Contains(n.ReleaseWhy, "its puppet tasks name their services as rocky's did") {
		t.Errorf("rocky: %v, %+v", err, n)
	}
	n, err = executor.OpenNode(fixtureNode(t), "")
	if err != nil || n.Release.Name != "queens" || !strings.Contains(n.ReleaseWhy, "--release rocky reads it as rocky") {
		t.Errorf("queens: %v, %+v", err, n)
	}
	// The tree's manifest.json wins over the files.
	out := t.TempDir()
	node := filepath.Join(out, "nodes", "overcloud-controller-0")
	os.MkdirAll(filepath.Dir(node), 0o755)
	if err := os.Rename(dir, node); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(node, filepath.FromSlash(rocky.Node.PuppetTasksFile(3))))
	os.WriteFile(filepath.Join(out, "manifest.json"), []byte(`{"release": "rocky", "nodes": {"overcloud-controller-0": {}}}`), 0o644)
	n, err = executor.OpenNode(node, "")
	if err != nil || n.Release != rocky || n.ReleaseWhy != "the tree's manifest.json says so" {
		t.Errorf("manifest: %v, %+v", err, n)
	}
	// --release is taken when the files fit it, and refused when not.
	queens := release.Default()
	if n, err := executor.OpenNodeAs(node, "", queens); err != nil || n.Release != queens || n.ReleaseWhy != "--release" {
		t.Errorf("--release queens: %v, %+v", err, n)
	}
	train, _ := release.Lookup("train")
	if _, err := executor.OpenNodeAs(node, "", train); err == nil || !strings.Contains(err.Error(), "not a node folder of train") {
		t.Errorf("--release train: %v", err)
	}
}

// TestConfigHashConfigBase: from stein a volume counts by its config base,
// whatever follows it; a volume under the prefix outside any config volume
// is refused before anything runs, where container-puppet.py stopped.
func TestConfigHashConfigBase(t *testing.T) {
	root := t.TempDir()
	for p, h := range map[string]string{
		"var/lib/config-data/puppet-generated/nova.md5sum": "aaa\n",
		"var/lib/config-data/nova.md5sum":                  "bbb\n",
		"var/lib/config-data/puppet-generated.md5sum":      "ggg\n",
	} {
		os.MkdirAll(filepath.Join(root, filepath.Dir(p)), 0o755)
		os.WriteFile(filepath.Join(root, p), []byte(h), 0o644)
	}
	stein, _ := release.Lookup("stein")
	x := &executor.Executor{Root: root, Release: stein}
	for _, tc := range []struct {
		vols, want string
	}{
		{`["/var/lib/config-data/puppet-generated/nova/:/src:ro"]`, "aaa"},
		{`["/var/lib/config-data/puppet-generated/nova:/src:ro"]`, "aaa"},
		{`["/var/lib/config-data/nova/etc/nova/:/etc/nova:ro"]`, "bbb"},
		{`["/var/lib/config-data/puppet-generated/nova/etc/my.cnf.d:/x", "/var/lib/config-data/nova/etc/nova:/y"]`, "bbb-aaa"},
		{`["/var/lib/config-data/puppet-generated:/x"]`, "ggg"},
		{`["/etc/hosts:/etc/hosts:ro"]`, ""},
	} {
		doc, _ := pyyaml.Load("t", []byte(`{"volumes": `+tc.vols+`}`), pyyaml.DefaultLimits)
		if got := x.ConfigHash(doc.Root); got != tc.want {
			t.Errorf("%s: hash %q, want %q", tc.vols, got, tc.want)
		}
	}

	dir := releaseNode(t, stein)
	p := filepath.Join(dir, filepath.FromSlash(stein.Node.StepConfigFile(2)))
	os.WriteFile(p, []byte("{\"c\": {\"image\": \"i\",\n  \"volumes\": [\"/var/lib/config-data:/data\"]}}"), 0o600)
	n, err := executor.OpenNode(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	eng := executortest.NewEngine()
	y := nodeExecutor(t, eng, t.TempDir())
	err = y.ApplyNode(context.Background(), n, allSteps())
	if err == nil || !strings.Contains(err.Error(), `container-startup-config-step_2.json:2:15: error: container "c": volume "/var/lib/config-data:/data" starts with the config volume prefix /var/lib/config-data but lies in no config volume`) {
		t.Errorf("err = %v", err)
	}
	if len(eng.Calls()) != 0 {
		t.Errorf("commands ran: %q", eng.Calls())
	}
}

// TestHashConfigEnvironmentPerRelease: a container without an environment
// gets a list up to stein and a mapping in train.
func TestHashConfigEnvironmentPerRelease(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "var/lib/config-data"), 0o755)
	os.WriteFile(filepath.Join(root, "var/lib/config-data/nova.md5sum"), []byte("bbb\n"), 0o644)
	doc, _ := pyyaml.Load("t", []byte(`{"c": {"volumes": ["/var/lib/config-data/nova/:/a"]}}`), pyyaml.DefaultLimits)
	for name, want := range map[string]string{
		"queens": `{"c": {"volumes": ["/var/lib/config-data/nova/:/a"], "environment": ["TRIPLEO_CONFIG_HASH=bbb"]}}`,
		"stein":  `{"c": {"volumes": ["/var/lib/config-data/nova/:/a"], "environment": ["TRIPLEO_CONFIG_HASH=bbb"]}}`,
		"train":  `{"c": {"volumes": ["/var/lib/config-data/nova/:/a"], "environment": {"TRIPLEO_CONFIG_HASH": "bbb"}}}`,
	} {
		rel, _ := release.Lookup(name)
		x := &executor.Executor{Root: root, Release: rel}
		if got := executor.ConfigData(x.HashConfig(doc.Root)); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
}
