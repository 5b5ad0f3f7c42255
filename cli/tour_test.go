package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"hoist/internal/testenv"
)

// TestReadmeTour runs every line of README.md's short tour, as written,
// with sh from the root of a copy of the queens tree (a plain checkout:
// no rendered files, no hoist.hcl), the hoist under test first on PATH.
// Each line must run: exit 0, or 1 where hoist reports findings or
// differences (lint on a tree with true findings, diff); never a usage or
// input error (2) or a crash (3).
func TestReadmeTour(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: runs every tour command on a copy of the queens tree")
	}
	src := testenv.Tree(t, "queens")
	b, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	i := strings.Index(text, "## A short tour of the CLI")
	if i < 0 {
		t.Fatal("README.md has no tour")
	}
	block := text[i:]
	block = block[strings.Index(block, "```sh\n")+len("```sh\n"):]
	block = block[:strings.Index(block, "```")]
	bin := buildHoist(t)
	tree := filepath.Join(t.TempDir(), "tht")
	if err := os.CopyFS(tree, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"),
		"HOIST_CACHE_DIR="+t.TempDir())
	lines := 0
	for _, line := range strings.Split(block, "\n") {
		cmdline := strings.TrimSpace(line)
		if j := strings.Index(cmdline, "  # "); j >= 0 {
			cmdline = strings.TrimSpace(cmdline[:j])
		}
		if cmdline == "" {
			continue
		}
		lines++
		cmd := exec.Command("sh", "-c", cmdline)
		cmd.Dir, cmd.Env = tree, env
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("%s: %v", cmdline, err)
		}
		findings := strings.HasPrefix(cmdline, "hoist lint") || strings.HasPrefix(cmdline, "cat ") || strings.HasPrefix(cmdline, "hoist diff")
		if code != 0 && !(code == 1 && findings) {
			tail := string(out)
			if len(tail) > 2000 {
				tail = tail[len(tail)-2000:]
			}
			t.Errorf("%s: exit %d\n%s", cmdline, code, tail)
		}
	}
	if lines < 10 {
		t.Errorf("the tour has %d commands; the test read the wrong block", lines)
	}
}
