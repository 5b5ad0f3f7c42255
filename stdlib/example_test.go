package stdlib_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hoist/compiler/deploy"
	"hoist/config"
	"hoist/emit"
	"hoist/internal/testenv"
	"hoist/pipeline"
	"hoist/plan"
	"hoist/stdlib"
	"hoist/value"
)

// project writes the example into a new folder and returns it.
func project(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "project")
	if _, err := stdlib.WriteExample(stdlib.ExampleName, dir, false); err != nil {
		t.Fatal(err)
	}
	return dir
}

// compile compiles the project's deployment block, with extra
// environments after its own.
func compile(t *testing.T, dir string, extra ...string) *deploy.Deployment {
	t.Helper()
	cfg, err := config.Load(filepath.Join(dir, config.FileName), "dev")
	if err != nil {
		t.Fatal(err)
	}
	in := pipeline.DeployInputs(cfg.Deployments[0])
	for _, e := range extra {
		in.Environments = append(in.Environments, deploy.Path{Path: e})
	}
	d, err := deploy.Compile(in, deploy.Options{Base: dir})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func dump(d *deploy.Deployment) string { return value.Dumps(d.Dump()) }

// TestJsonnetServiceEqualsYAMLTwin is the acceptance test of Jsonnet
// authoring: the example's glance-api.jsonnet and its YAML twin
// (testdata/jsonnet/glance-api.yaml, written the THT way) compile to the
// same role data.
func TestJsonnetServiceEqualsYAMLTwin(t *testing.T) {
	dir := project(t)
	withJsonnet := compile(t, dir)

	twin, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "testdata/jsonnet/glance-api.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "services/glance-api.yaml"), twin, 0o644); err != nil {
		t.Fatal(err)
	}
	env := filepath.Join(dir, "environments/yaml-twin.yaml")
	if err := os.WriteFile(env, []byte("resource_registry:\n  OS::TripleO::Services::GlanceApi: ../services/glance-api.yaml\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	withYAML := compile(t, dir, env)

	a, b := dump(withJsonnet), dump(withYAML)
	if a != b {
		t.Fatalf("the Jsonnet service and its YAML twin give different role data:\n--- jsonnet\n%s\n--- yaml\n%s", a, b)
	}
	if !strings.Contains(a, `"glance_api"`) || !strings.Contains(a, `"glance::api::bind_port": 9292`) {
		t.Fatal("glance_api is not in the role data")
	}
	// The same values, each from its own file.
	for _, c := range []struct {
		d    *deploy.Deployment
		file string
	}{{withJsonnet, "services/glance-api.jsonnet"}, {withYAML, "services/glance-api.yaml"}} {
		port, _ := c.d.Roles[0].Data.Map.Get("config_settings")
		v, _ := port.Map.Get("glance::api::bind_port")
		if v.Range.File != c.file || v.Range.Start.Line == 0 {
			t.Errorf("bind_port comes from %s, want a line of %s", v.Range, c.file)
		}
	}
}

// TestExampleAggregations: the example's role template writes TripleO's
// merge rules in yaql; evaluating it gives what hoist's native merge
// gives.
func TestExampleAggregations(t *testing.T) {
	dir := project(t)
	cfg, err := config.Load(filepath.Join(dir, config.FileName), "dev")
	if err != nil {
		t.Fatal(err)
	}
	in := pipeline.DeployInputs(cfg.Deployments[0])
	var dumps []string
	for _, how := range []deploy.Aggregation{deploy.Native, deploy.Template} {
		d, err := deploy.Compile(in, deploy.Options{Base: dir, Aggregation: how})
		if err != nil {
			t.Fatalf("%s: %v", how, err)
		}
		for _, r := range d.Roles {
			if r.AggregatedBy != how {
				t.Errorf("%s aggregated by %s", r.Name, r.AggregatedBy)
			}
		}
		dumps = append(dumps, dump(d))
	}
	if dumps[0] != dumps[1] {
		t.Errorf("native and template aggregation differ:\n%s\n%s", dumps[0], dumps[1])
	}
}

// TestExampleBuildIsDeterministic: building the example twice writes
// byte-identical trees, with no unknown value (its images, passwords and
// addresses are all given: it passes --strict).
func TestExampleBuildIsDeterministic(t *testing.T) {
	dir := project(t)
	var trees []map[string][]byte
	for i := range 2 {
		d := compile(t, dir)
		tree, ds := emit.Build(plan.Build(d.Model()), emit.Options{Strict: true})
		if len(ds) > 0 {
			t.Fatalf("build %d: %v", i, ds)
		}
		out := filepath.Join(t.TempDir(), "out")
		if err := emit.Write(tree, out); err != nil {
			t.Fatal(err)
		}
		files := map[string][]byte{}
		err := filepath.WalkDir(out, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			rel, _ := filepath.Rel(out, p)
			files[rel] = b
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		trees = append(trees, files)
	}
	if len(trees[0]) == 0 {
		t.Fatal("the build wrote nothing")
	}
	for name, b := range trees[0] {
		if !bytes.Equal(b, trees[1][name]) {
			t.Errorf("%s differs between two builds", name)
		}
	}
	if len(trees[0]) != len(trees[1]) {
		t.Errorf("%d files, then %d", len(trees[0]), len(trees[1]))
	}
	for _, want := range []string{
		"nodes/overcloud-controller-0/var/lib/tripleo-config/docker-container-startup-config-step_3.json",
		"nodes/overcloud-controller-0/var/lib/docker-puppet/docker-puppet-tasks3.json",
		"nodes/overcloud-novacompute-1/var/lib/kolla/config_files/nova_compute.json",
		"manifest.json",
	} {
		if _, ok := trees[0][filepath.FromSlash(want)]; !ok {
			t.Errorf("no %s", want)
		}
	}
}

// TestExampleFiles: the example holds the files the tutorial names.
func TestExampleFiles(t *testing.T) {
	files, err := stdlib.ExampleFiles(stdlib.ExampleName)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, f := range files {
		have[f] = true
	}
	jsonnet := 0
	for _, f := range files {
		if strings.HasPrefix(f, "services/") && strings.HasSuffix(f, ".jsonnet") {
			jsonnet++
		}
	}
	if jsonnet < 2 {
		t.Errorf("%d services in Jsonnet, want at least 2", jsonnet)
	}
	for _, f := range []string{"hoist.hcl", "roles_data.yaml", "network_data.yaml", "overcloud.j2.yaml", "environments/passwords.yaml", "policies/privileged.cue"} {
		if !have[f] {
			t.Errorf("the example has no %s", f)
		}
	}
	if _, err := stdlib.ExampleFiles("nothing"); err == nil {
		t.Error("no error for an unknown example")
	}
}

func stdlibWrite(dir string) ([]string, error) {
	return stdlib.WriteExample(stdlib.ExampleName, dir, false)
}
