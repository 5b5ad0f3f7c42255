package lint

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestCacheStamps: a warm run finds an unchanged file's result by its
// metadata stamp, and a change that keeps the size and the modification
// time (an editor that restores it, tar, rsync -t) is still seen: the
// status-change time moved.
func TestCacheStamps(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("stamps need the status-change time (linux)")
	}
	defer func(d time.Duration) { settleTime = d }(settleTime)
	settleTime = 0
	svc := "heat_template_version: queens\noutputs:\n  role_data:\n    value:\n      service_name: x\n      docker_config:\n        step_4:\n          x:\n            image: a\n            restart: always\n"
	dir := writeTree(t, map[string]string{"x.yaml": svc})
	p := filepath.Join(dir, "x.yaml")
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	cache := t.TempDir()
	run := func() (*Result, *Cache) {
		c := OpenCache(cache, "test")
		res := runIn(t, dir, Options{Rules: rulesByID("schema/unknown-key"), Jobs: 1, Cache: c})
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
		return res, c
	}
	if res, _ := run(); len(res.Diagnostics) != 0 {
		t.Fatalf("clean file: %s", lines(res.Diagnostics))
	}
	if res, c := run(); len(res.Diagnostics) != 0 || c.Hits != 1 {
		t.Fatalf("warm: hits %d, %s", c.Hits, lines(res.Diagnostics))
	}
	// Same size, same modification time, other contents.
	time.Sleep(10 * time.Millisecond)
	if err := os.WriteFile(p, []byte(strings.Replace(svc, "restart", "restrat", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
	res, _ := run()
	if got := lines(res.Diagnostics); !strings.Contains(got, `unknown key "restrat"`) {
		t.Errorf("after a change that kept size and mtime, got:\n%s", got)
	}
}
