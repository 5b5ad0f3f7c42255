package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hoist/compiler/deploy"
	"hoist/config"
	"hoist/pipeline"
	"hoist/stdlib"
)

// TestInitOutputBuilds is the acceptance test of hoist init: the copy of
// the example it writes compiles, with its hoist.hcl, into the same role
// data as the embedded example.
func TestInitOutputBuilds(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "project")
	r := run(t, "", "init", dir)
	if r.code != ExitOK {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	files, err := stdlib.ExampleFiles(stdlib.ExampleName)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Split(strings.TrimSpace(r.stdout), "\n"); len(got) != len(files) || !strings.Contains(r.stdout, "hoist.hcl\n") {
		t.Errorf("stdout lists %d files, the example has %d", len(got), len(files))
	}
	if !strings.Contains(r.err, "wrote the example deployment") || !strings.Contains(r.err, "hoist build") {
		t.Errorf("stderr: %s", r.err)
	}
	cfg, err := config.Load(filepath.Join(dir, config.FileName), "dev")
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Deployments) != 1 {
		t.Fatalf("%d deployment blocks", len(cfg.Deployments))
	}
	d, err := deploy.Compile(pipeline.DeployInputs(cfg.Deployments[0]), deploy.Options{Base: dir})
	if err != nil {
		t.Fatalf("the project hoist init wrote does not build: %v", err)
	}
	if len(d.Roles) != 2 || d.Roles[0].Name != "Controller" || d.Roles[1].Name != "Compute" || d.Roles[1].Count != 2 {
		t.Errorf("roles %+v", d.Roles)
	}
	// Nothing is left beside the project.
	ents, _ := os.ReadDir(filepath.Dir(dir))
	if len(ents) != 1 {
		t.Errorf("the parent folder holds %d entries, want only the project", len(ents))
	}
}

func TestInitRefusesANonEmptyFolder(t *testing.T) {
	dir := t.TempDir()
	mine := filepath.Join(dir, "hoist.hcl")
	if err := os.WriteFile(mine, []byte("# mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, "", "init", dir)
	if r.code != ExitUsage || !strings.Contains(r.err, "is not empty") || !strings.Contains(r.err, "--force") {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	if b, _ := os.ReadFile(mine); string(b) != "# mine\n" {
		t.Error("the refused init changed the folder")
	}
	other := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(other, []byte("keep\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = run(t, "", "init", "--force", dir)
	if r.code != ExitOK {
		t.Fatalf("--force: exit %d: %s", r.code, r.err)
	}
	if b, _ := os.ReadFile(mine); string(b) == "# mine\n" {
		t.Error("--force did not replace hoist.hcl")
	}
	if b, _ := os.ReadFile(other); string(b) != "keep\n" {
		t.Error("--force touched a file the example does not have")
	}
	if ents, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), ".*hoist-init-*")); len(ents) != 0 {
		t.Errorf("left behind: %v", ents)
	}
}

func TestInitUsage(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"init"}, "expected one DIR"},
		{[]string{"init", "a", "b"}, "expected one DIR"},
		{[]string{"init", file}, "exists and is not a folder"},
	} {
		r := run(t, "", c.args...)
		if r.code != ExitUsage || !strings.Contains(r.err, c.want) {
			t.Errorf("%v: exit %d: %s", c.args, r.code, r.err)
		}
	}
}
