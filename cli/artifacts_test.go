package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hoist/executor/executortest"
	"hoist/internal/testenv"
	"hoist/pyyaml"
	"hoist/schema"
	"hoist/value"
)

// queensBuild is hoist build of the acceptance's queens overcloud: the
// default roles, 3 controllers, 2 computes, docker.yaml and docker-ha.yaml,
// parameters without a value left unknown.
func queensBuild(tht string, more ...string) []string {
	return append([]string{"build", "--templates", tht,
		"-e", filepath.Join(tht, "environments", "docker.yaml"), "-e", filepath.Join(tht, "environments", "docker-ha.yaml"),
		"--count", "Controller=3", "--count", "Compute=2", "--allow-missing", "--no-snippet"}, more...)
}

func readTreeFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestBuildOutput(t *testing.T) {
	tht := testenv.Corpus(t)
	out := filepath.Join(t.TempDir(), "out")
	r := run(t, "", queensBuild(tht, "-o", out)...)
	if r.code != ExitOK || r.stdout != "" {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.err)
	}
	if !strings.Contains(r.err, "wrote "+out+": 5 nodes, 395 files") || !strings.Contains(r.err, "[plan/container-merged]") {
		t.Errorf("stderr:\n%s", r.err)
	}
	files := readTreeFiles(t, out)
	s := schema.Default()
	validated := map[schema.Kind]int{}
	for p, data := range files {
		rest, ok := strings.CutPrefix(p, "nodes/")
		if !ok {
			continue
		}
		_, rel, _ := strings.Cut(rest, "/")
		var k schema.Kind
		switch {
		case strings.HasPrefix(rel, "var/lib/tripleo-config/docker-container-startup-config-step_"):
			k = schema.StartupConfig
		case strings.HasPrefix(rel, "var/lib/kolla/config_files/"):
			k = schema.KollaConfig
		case strings.HasPrefix(rel, "var/lib/docker-puppet/docker-puppet"):
			k = schema.DockerPuppetJSON
		default:
			continue
		}
		doc, err := pyyaml.Load(p, data, pyyaml.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		validated[k]++
		for _, d := range s.Validate(k, doc.Root, schema.Options{}) {
			// The one real defect of queens THT (docs/schema.md):
			// panko_api_cron's `test:` belongs under healthcheck.
			if strings.HasSuffix(rel, "step_4.json") && d.Path == "panko_api_cron.test" {
				continue
			}
			t.Errorf("%s: %v", p, d)
		}
	}
	// 5 nodes × 6 steps; 5 docker-puppet.json and the first controller's
	// tasks of steps 3 and 4.
	if validated[schema.StartupConfig] != 30 || validated[schema.KollaConfig] < 100 || validated[schema.DockerPuppetJSON] != 7 {
		t.Errorf("validated %v", validated)
	}
	for i, h := range []string{"overcloud-controller-0", "overcloud-controller-1", "overcloud-controller-2"} {
		doc, err := pyyaml.Load("step3", files["nodes/"+h+"/var/lib/tripleo-config/docker-container-startup-config-step_3.json"], pyyaml.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := doc.Root.Map.Get("keystone_db_sync")
		if c == nil {
			t.Fatalf("%s: no keystone_db_sync in step_3", h)
		}
		if d, _ := c.Map.Get("detach"); d == nil || d.Kind != value.Bool || d.Bool {
			t.Errorf("%s: keystone_db_sync detach %v", h, d)
		}
		_, tasks := files["nodes/"+h+"/var/lib/docker-puppet/docker-puppet-tasks3.json"]
		if tasks != (i == 0) {
			t.Errorf("%s: docker-puppet-tasks3.json present %v", h, tasks)
		}
	}

	// Building twice gives the same manifest (and the same tree).
	again := filepath.Join(t.TempDir(), "again")
	if r := run(t, "", queensBuild(tht, "-o", again)...); r.code != ExitOK {
		t.Fatalf("exit %d\n%s", r.code, r.err)
	}
	files2 := readTreeFiles(t, again)
	if !bytes.Equal(files["manifest.json"], files2["manifest.json"]) || len(files) != len(files2) {
		t.Error("two builds wrote different manifests")
	}

	// hoist apply accepts the node folder.
	eng := executortest.NewEngine()
	withFakeRuntime(t, eng)
	r = run(t, "", "apply", filepath.Join(out, "nodes", "overcloud-controller-0"), "--dry-run", "--format", "json", "--systemd", "no")
	if r.code != ExitOK || !strings.Contains(r.stdout, `"--name","keystone_db_sync"`) || !strings.Contains(r.stdout, "NAME=keystone_init_tasks") {
		t.Errorf("apply --dry-run: exit %d\n%s", r.code, r.err)
	}
}

func TestBuildOutputFailureLeavesOut(t *testing.T) {
	tht := testenv.Corpus(t)
	out := filepath.Join(t.TempDir(), "out")
	if r := run(t, "", queensBuild(tht, "-o", out)...); r.code != ExitOK {
		t.Fatalf("exit %d\n%s", r.code, r.err)
	}
	before := readTreeFiles(t, out)
	for _, c := range []struct {
		args []string
		want string
	}{
		{queensBuild(tht, "-o", out, "--strict"), "--strict: an unknown value would be written"},
		{queensBuild(tht, "-o", out, "-e", filepath.Join(tht, "no-such-environment.yaml")), "no-such-environment.yaml"},
	} {
		r := run(t, "", c.args...)
		if r.code != ExitUsage || !strings.Contains(r.err, c.want) {
			t.Errorf("%v: exit %d\n%s", c.args[len(c.args)-2:], r.code, r.err)
		}
	}
	after := readTreeFiles(t, out)
	if len(after) != len(before) {
		t.Fatalf("a failed build changed OUT: %d files, then %d", len(before), len(after))
	}
	for p, b := range before {
		if !bytes.Equal(after[p], b) {
			t.Errorf("a failed build changed %s", p)
		}
	}
	ents, _ := os.ReadDir(filepath.Dir(out))
	if len(ents) != 1 {
		t.Errorf("a failed build left %d entries beside OUT", len(ents))
	}
}

// changedTree is the queens tree with one template changed: a copy of
// the corpus in a temporary folder (hard links where the file system
// allows), where docker/services/keystone.yaml's keystone container gets
// KOLLA_CONFIG_STRATEGY=COPY_ONCE.
func changedTree(t *testing.T, tht string) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "tht")
	err := filepath.WalkDir(tht, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(tht, p)
		to := filepath.Join(root, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		if os.Link(p, to) == nil {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	ks := filepath.Join(root, "docker", "services", "keystone.yaml")
	src, err := os.ReadFile(ks)
	if err != nil {
		t.Fatal(err)
	}
	old := "            environment:\n              - KOLLA_CONFIG_STRATEGY=COPY_ALWAYS\n          keystone_bootstrap:"
	if !bytes.Contains(src, []byte(old)) {
		t.Fatal("docker/services/keystone.yaml is not the expected queens file")
	}
	src = bytes.Replace(src, []byte(old), []byte(strings.Replace(old, "COPY_ALWAYS", "COPY_ONCE", 1)), 1)
	// A new file, not the hard link's target.
	if err := os.Remove(ks); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ks, src, 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

// TestBuildDiffGoldens: hoist diff of two builds that differ by one
// template change.
func TestBuildDiffGoldens(t *testing.T) {
	tht := testenv.Corpus(t)
	dir := t.TempDir()
	old, changed := filepath.Join(dir, "old"), filepath.Join(dir, "new")
	for _, b := range []struct{ tree, out string }{{tht, old}, {changedTree(t, tht), changed}} {
		if r := run(t, "", queensBuild(b.tree, "-o", b.out)...); r.code != ExitOK {
			t.Fatalf("exit %d\n%s", r.code, r.err)
		}
	}
	for _, format := range []string{"text", "json"} {
		r := run(t, "", "diff", old, changed, "--format", format)
		if r.code != ExitFindings || r.err != "" {
			t.Fatalf("%s: exit %d\n%s", format, r.code, r.err)
		}
		golden(t, planData(t, "diff-keystone."+map[string]string{"text": "txt", "json": "json"}[format]), r.stdout)
	}
	text := run(t, "", "diff", old, changed).stdout
	for _, want := range []string{
		"nodes overcloud-controller-0, overcloud-controller-1, overcloud-controller-2:",
		"container changed keystone: environment",
		"environment changed: KOLLA_CONFIG_STRATEGY=COPY_ALWAYS → COPY_ONCE",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the diff lacks %q", want)
		}
	}
	if strings.Contains(text, "novacompute") {
		t.Error("the computes did not change")
	}
}
