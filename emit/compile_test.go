package emit_test

import (
	"path/filepath"
	"strings"
	"testing"

	"hoist/compiler/deploy"
	"hoist/emit"
	"hoist/internal/testenv"
	"hoist/plan"
	"hoist/schema"
	"hoist/value"
)

// compiledQueens compiles the queens overcloud of the acceptance (default
// roles, 3 controllers, 2 computes, docker.yaml and docker-ha.yaml,
// --allow-missing).
func compiledQueens(t testing.TB) *plan.Deployment {
	t.Helper()
	tht := testenv.Corpus(t)
	d, err := deploy.Compile(deploy.Inputs{
		Templates:    deploy.Path{Path: tht},
		Environments: []deploy.Path{{Path: filepath.Join(tht, "environments", "docker.yaml")}, {Path: filepath.Join(tht, "environments", "docker-ha.yaml")}},
		Counts:       []deploy.Count{{Role: "Controller", N: 3}, {Role: "Compute", N: 2}},
		AllowMissing: true,
	}, deploy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return plan.FromCompile(d)
}

func TestCompiledQueens(t *testing.T) {
	tree := build(t, compiledQueens(t), emit.Options{})
	s := schema.Default()
	n := 0
	for _, f := range tree.Files {
		_, rel, ok := emit.NodeOf(f.Path)
		if !ok {
			continue
		}
		var k schema.Kind
		switch {
		case strings.HasPrefix(rel, "var/lib/tripleo-config/docker-container-startup-config-step_"):
			k = schema.StartupConfig
		case strings.HasPrefix(rel, "var/lib/kolla/config_files/"):
			k = schema.KollaConfig
		case rel == emit.PuppetConfigFile || strings.HasPrefix(rel, "var/lib/docker-puppet/docker-puppet-tasks"):
			k = schema.DockerPuppetJSON
		default:
			continue
		}
		n++
		for _, d := range s.Validate(k, load(t, f), schema.Options{}) {
			if knownDefect(rel, d.Path, d.Rule) {
				continue
			}
			t.Errorf("%s: %v", f.Path, d)
		}
	}
	if n < 200 {
		t.Errorf("validated %d files", n)
	}
	for i, h := range []string{"overcloud-controller-0", "overcloud-controller-1", "overcloud-controller-2"} {
		v := load(t, file(t, tree, "nodes/"+h+"/var/lib/tripleo-config/docker-container-startup-config-step_3.json"))
		c, ok := v.Map.Get("keystone_db_sync")
		d, _ := c.Map.Get("detach")
		if !ok || d == nil || d.Kind != value.Bool || d.Bool {
			t.Errorf("%s: keystone_db_sync %v", h, c)
		}
		if has(tree, "nodes/"+h+"/var/lib/docker-puppet/docker-puppet-tasks3.json") != (i == 0) {
			t.Errorf("%s: docker-puppet-tasks3.json present %v", h, !(i == 0))
		}
	}
	// --allow-missing: the images are unknown, written as text and listed.
	f := file(t, tree, "nodes/overcloud-controller-0/var/lib/tripleo-config/docker-container-startup-config-step_3.json")
	if !strings.Contains(string(f.Data), `"image": "<unknown: parameter DockerKeystoneImage has no value>"`) {
		t.Error("keystone's unknown image is not written as <unknown: reason>")
	}
	found := false
	for _, u := range f.Unknowns {
		found = found || u.Path == "keystone_db_sync.image" && u.Reason == "parameter DockerKeystoneImage has no value"
	}
	if !found {
		t.Errorf("the manifest does not list keystone_db_sync.image: %v", f.Unknowns)
	}
	// Passwords nobody gave make their files secret.
	if sc := file(t, tree, "nodes/overcloud-controller-0/var/lib/kolla/config_files/keystone.json"); sc.Mode != 0o600 {
		t.Errorf("kolla config mode %04o", sc.Mode)
	}
	// --strict refuses the unknowns.
	if tree, ds := emit.Build(plan.Build(compiledQueens(t)), emit.Options{Strict: true}); tree != nil || len(ds) == 0 || ds[0].Rule != emit.RuleUnknown {
		t.Errorf("--strict built a tree with unknowns: %v", ds)
	}
}
