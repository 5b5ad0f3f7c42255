package config

import (
	"os"
	"path/filepath"
	"testing"
)

func TestLintPolicies(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, FileName)
	if err := os.WriteFile(p, []byte("lint {\n  policies = \"policies\"\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Load(p, "dev")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := f.PoliciesDir(), filepath.Join(dir, "policies"); got != want {
		t.Errorf("PoliciesDir() = %q, want %q", got, want)
	}
	var none *File
	if none.PoliciesDir() != "" || (&File{}).PoliciesDir() != "" {
		t.Error("PoliciesDir of a file without a lint block or policies")
	}
	if err := os.WriteFile(p, []byte("lint {\n  policies = [\"a\"]\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(p, "dev"); err == nil {
		t.Error("a list for policies was accepted")
	}
}
