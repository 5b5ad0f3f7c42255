// Package testenv finds the material tests read from outside the project
// (the THT corpus, the Heat oracle, Debian's Python packages) and skips a
// test with a clear message where it is absent.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// Python is the interpreter that sees Debian's python3-* packages; a pyenv
// python3 earlier on PATH does not.
const Python = "/usr/bin/python3"

var rootOnce = sync.OnceValue(func() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
})

// RepoRoot returns the folder that holds go.mod.
func RepoRoot(t testing.TB) string {
	t.Helper()
	r := rootOnce()
	if r == "" {
		t.Fatal("cannot find the repository root (no go.mod above the test's folder)")
	}
	return r
}

// Shared returns the shared material folder: $HOIST_SHARED, or ../shared
// beside the repository.
func Shared(t testing.TB) string {
	t.Helper()
	if s := os.Getenv("HOIST_SHARED"); s != "" {
		return s
	}
	return filepath.Join(RepoRoot(t), "..", "shared")
}

func dirOrSkip(t testing.TB, dir, what string) string {
	t.Helper()
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Skipf("skipping: %s not found at %s (set HOIST_SHARED to the folder holding corpus/ and heat-oracle/)", what, dir)
	}
	return dir
}

// Corpus returns the real THT stable/queens tree, or skips.
func Corpus(t testing.TB) string {
	t.Helper()
	return dirOrSkip(t, filepath.Join(Shared(t), "corpus", "tht-queens"), "the THT queens corpus")
}

// CorpusRendered returns the queens tree with its Jinja2 templates rendered,
// or skips.
func CorpusRendered(t testing.TB) string {
	t.Helper()
	return dirOrSkip(t, filepath.Join(Shared(t), "corpus", "tht-queens-rendered"), "the rendered THT queens corpus")
}

// Tree returns the corpus tree of a release ("queens", "stein-rendered",
// "rocky", "train", ...: corpus/tht-<name>), or skips.
func Tree(t testing.TB, name string) string {
	t.Helper()
	return dirOrSkip(t, filepath.Join(Shared(t), "corpus", "tht-"+name), "the THT "+name+" corpus")
}

// Oracle returns the heat-oracle folder, or skips when it or the Debian
// packages it needs are missing.
func Oracle(t testing.TB) string {
	t.Helper()
	dir := dirOrSkip(t, filepath.Join(Shared(t), "heat-oracle"), "the Heat oracle")
	PythonModules(t, "yaml", "heat", "heatclient", "yaql", "jinja2")
	return dir
}

var moduleCache sync.Map

// PythonModules skips unless /usr/bin/python3 can import every module
// (Debian packages python3-<module>).
func PythonModules(t testing.TB, modules ...string) {
	t.Helper()
	for _, m := range modules {
		ok, seen := moduleCache.Load(m)
		if !seen {
			err := exec.Command(Python, "-c", "import "+m).Run()
			ok = err == nil
			moduleCache.Store(m, ok)
		}
		if !ok.(bool) {
			t.Skipf("skipping: %s cannot import %q (install Debian's python3-%s; .ci/run does)", Python, m, m)
		}
	}
}
