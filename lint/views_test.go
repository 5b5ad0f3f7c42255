package lint

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hoist/pyyaml"
)

// TestViewRulesWithoutViews: the rules that read a tree through the run's
// views (treeViewChecker) also work as plain TreeCheckers, on the facts
// alone, with no views: a missing nested template is still found.
func TestViewRulesWithoutViews(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "svc.yaml")
	src := []byte("heat_template_version: queens\nresources:\n  Base:\n    type: ./missing.yaml\n")
	if err := os.WriteFile(name, src, 0o644); err != nil {
		t.Fatal(err)
	}
	doc, err := pyyaml.Load(name, src, pyyaml.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	f := &File{Path: name, Src: src, Doc: doc}
	found := false
	for _, r := range Rules() {
		if _, ok := r.(treeViewChecker); !ok {
			continue
		}
		tc := r.(TreeChecker)
		var facts []Facts
		if c := tc.Collect(f); c != nil {
			b, err := json.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			facts = append(facts, Facts{File: name, Data: b})
		}
		rep := NewReporter(r.Meta())
		tc.CheckTree(facts, rep)
		for _, d := range rep.Diagnostics() {
			if d.Rule == "heat/missing-file" && strings.Contains(d.Message, `"./missing.yaml"`) {
				found = true
			}
		}
	}
	if !found {
		t.Error("heat/missing-file without views: no finding for ./missing.yaml")
	}
}
