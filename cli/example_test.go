package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hoist/internal/testenv"
)

// TestExampleLintIsClean is an acceptance test of the example deployment:
// hoist lint of it, with its hoist.hcl (the recommended preset, the
// service rules on evaluated role data, its CUE policies), reports
// nothing, not even an info.
func TestExampleLintIsClean(t *testing.T) {
	dir := filepath.Join(testenv.RepoRoot(t), "stdlib", "examples", "overcloud")
	r := run(t, "", "lint", "--config", filepath.Join(dir, "hoist.hcl"), "--preset", "recommended", "--fail-level", "info", "--no-cache", dir)
	if r.code != ExitOK || r.stdout != "" {
		t.Fatalf("exit %d:\n%s%s", r.code, r.stdout, r.err)
	}
	if !strings.Contains(r.err, "checked 20 files") || !strings.Contains(r.err, "0 errors, 0 warnings, 0 infos") {
		t.Errorf("stderr: %s", r.err)
	}
}

// TestExampleBuildIsByteIdentical is an acceptance test of the example:
// hoist build with no inputs, run twice (each time from a new temporary
// copy of the example), writes byte-identical trees.
func TestExampleBuildIsByteIdentical(t *testing.T) {
	dir := t.TempDir()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	for _, out := range []string{"a", "b"} {
		r := run(t, "", "build", "-o", out, "--strict")
		if r.code != ExitOK {
			t.Fatalf("exit %d: %s", r.code, r.err)
		}
		if !strings.Contains(r.err, "building hoist's example deployment") {
			t.Errorf("stderr does not say the example is built: %s", r.err)
		}
	}
	n := 0
	err := filepath.WalkDir("a", func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		n++
		rel, _ := filepath.Rel("a", p)
		x, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		y, err := os.ReadFile(filepath.Join("b", rel))
		if err != nil {
			return err
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two builds", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Errorf("only %d files", n)
	}
}

// With inputs, or where a hoist.hcl is found, hoist build does not fall
// back on the example.
func TestExampleOnlyWithoutInputs(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "hoist.hcl"), []byte("lint {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	r := run(t, "", "build")
	if r.code != ExitUsage || strings.Contains(r.err, "example") || !strings.Contains(r.err, "no templates") {
		t.Errorf("exit %d: %s", r.code, r.err)
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
		t.Error("./out was written")
	}
}
