package cli

import (
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
