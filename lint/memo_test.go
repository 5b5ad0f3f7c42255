package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRunMemo: a second run of an unchanged tree takes the whole result
// from the run memo, and any change in the tree (a file edited, added or
// removed, of any kind) makes the run check again.
func TestRunMemo(t *testing.T) {
	defer func(d time.Duration) { settleTime = d }(settleTime)
	settleTime = 0
	svc := "heat_template_version: queens\noutputs:\n  role_data:\n    value:\n      service_name: x\n      docker_config:\n        step_4:\n          x:\n            image: a\n            %s: always\n"
	dir := writeTree(t, map[string]string{
		"roles_data.yaml":              "- name: Controller\n  ServicesDefault: []\n",
		"docker/services/x.yaml":       strings.Replace(svc, "%s", "restart", 1),
		"docker/services/scripts/a.sh": "#!/bin/sh\n",
	})
	cache := t.TempDir()
	run := func() (*Result, *Cache) {
		t.Helper()
		time.Sleep(5 * time.Millisecond) // a new stamp for each change
		c := OpenCache(cache, "test")
		res := runIn(t, dir, Options{Rules: rulesByID("schema/unknown-key"), Jobs: 1, Cache: c})
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
		return res, c
	}
	first, c := run()
	if c.Memoized {
		t.Fatal("the first run was memoized")
	}
	second, c := run()
	if !c.Memoized || lines(second.Diagnostics) != lines(first.Diagnostics) || len(second.Files) != len(first.Files) {
		t.Fatalf("unchanged tree: memoized %v\n%s\nwant\n%s", c.Memoized, lines(second.Diagnostics), lines(first.Diagnostics))
	}
	// The memoized run kept the per-file results: an edit of one file
	// checks that file alone.
	if _, c = run(); !c.Memoized {
		t.Fatal("the third run was not memoized")
	}
	write := func(name, src string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("docker/services/x.yaml", strings.Replace(svc, "%s", "restrat", 1))
	res, c := run()
	if c.Memoized || !strings.Contains(lines(res.Diagnostics), `unknown key "restrat"`) {
		t.Errorf("after an edit: memoized %v\n%s", c.Memoized, lines(res.Diagnostics))
	}
	if c.Misses != 1 {
		t.Errorf("after an edit of one file: %d files checked again, want 1", c.Misses)
	}
	if _, c = run(); !c.Memoized {
		t.Error("the run after the edit was not memoized")
	}
	write("docker/services/scripts/a.sh", "#!/bin/sh\nexit 0\n")
	if _, c = run(); c.Memoized {
		t.Error("a changed script of the tree kept the memo")
	}
	write("docker/services/y.yaml", strings.Replace(svc, "%s", "restrat", 1))
	if res, c = run(); c.Memoized || !strings.Contains(lines(res.Diagnostics), "y.yaml") {
		t.Errorf("after a file was added: memoized %v\n%s", c.Memoized, lines(res.Diagnostics))
	}
	if err := os.Remove(filepath.Join(dir, "docker/services/y.yaml")); err != nil {
		t.Fatal(err)
	}
	if res, c = run(); c.Memoized || strings.Contains(lines(res.Diagnostics), "y.yaml") {
		t.Errorf("after a file was removed: memoized %v\n%s", c.Memoized, lines(res.Diagnostics))
	}
}
