package lint

import (
	"path/filepath"
	"strings"
	"testing"

	"hoist/internal/testenv"
)

// BenchmarkLintCorpusJinja lints the queens tree three ways, cold, on
// every CPU: its YAML files only (what hoist lint checked before it
// rendered the Jinja2 templates), its 70 Jinja2 templates only (open the
// tree's deployment view, render the 128 outputs, check them, move the
// findings to the templates), and both, as hoist lint . does.
func BenchmarkLintCorpusJinja(b *testing.B) {
	root := testenv.Corpus(b)
	files, templates, err := Collect([]string{root})
	if err != nil {
		b.Fatal(err)
	}
	rules := recommendedRules(true)
	for _, c := range []struct {
		name  string
		paths []string
	}{
		{"yaml-only", files},
		{"jinja-only", templates},
		{"both", []string{root}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			start := cpuTime()
			defer reportCPU(b, start)
			for range b.N {
				if _, err := Run(c.paths, Options{Rules: rules}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestJinjaCacheNeedsNoRender: a warm run takes every template's result
// from the cache and gives the same findings as the cold one.
func TestJinjaCacheNeedsNoRender(t *testing.T) {
	dir := filepath.Join(testenv.RepoRoot(t), "testdata", "rules", "jinja", "undefined", "misspelt-attribute")
	cache := t.TempDir()
	var outs []string
	for i := range 2 {
		c := OpenCache(cache, "t")
		res := runIn(t, dir, Options{Cache: c})
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
		if i == 1 && c.Misses != 0 {
			t.Errorf("warm run: %d misses", c.Misses)
		}
		outs = append(outs, lines(res.Diagnostics))
	}
	if outs[0] != outs[1] || !strings.Contains(outs[0], `"role.nmae" is undefined`) {
		t.Errorf("cold:\n%swarm:\n%s", outs[0], outs[1])
	}
}
