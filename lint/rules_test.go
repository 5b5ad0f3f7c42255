package lint

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hoist/diag"
	"hoist/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite the golden .out files of testdata/rules")

// TestEveryRuleHasDocsAndGoldenTests fails when a rule lacks its doc page
// docs/rules/<id>.md or its golden tests testdata/rules/<id>/, or when none
// of its golden inputs makes it fire.
func TestEveryRuleHasDocsAndGoldenTests(t *testing.T) {
	root := testenv.RepoRoot(t)
	seen := map[string]bool{}
	for _, r := range Rules() {
		m := r.Meta()
		if seen[m.ID] {
			t.Errorf("rule id %q is registered twice", m.ID)
		}
		seen[m.ID] = true
		if m.Summary == "" || m.Severity == 0 {
			t.Errorf("rule %q lacks a summary or a severity", m.ID)
		}
		doc := filepath.Join(root, "docs", "rules", m.ID+".md")
		if b, err := os.ReadFile(doc); err != nil {
			t.Errorf("rule %q has no doc page %s", m.ID, doc)
		} else if !bytes.HasPrefix(b, []byte("# "+m.ID+"\n")) {
			t.Errorf("%s must start with the heading %q", doc, "# "+m.ID)
		}
		outs, _ := filepath.Glob(filepath.Join(root, "testdata", "rules", m.ID, "*.out"))
		fired := false
		for _, o := range outs {
			b, _ := os.ReadFile(o)
			if bytes.Contains(b, []byte("["+m.ID+"]")) {
				fired = true
			}
		}
		if !fired {
			t.Errorf("rule %q has no golden test in testdata/rules/%s/ where it fires", m.ID, m.ID)
		}
	}
}

// TestRuleGoldens runs every input of testdata/rules/<id>/ and compares the
// findings with the .out file beside it (go test ./lint -update rewrites
// them).
func TestRuleGoldens(t *testing.T) {
	root := testenv.RepoRoot(t)
	inputs, _ := filepath.Glob(filepath.Join(root, "testdata", "rules", "*", "*", "*.yaml"))
	if len(inputs) == 0 {
		t.Fatal("no golden inputs under testdata/rules")
	}
	for _, in := range inputs {
		rel, _ := filepath.Rel(filepath.Join(root, "testdata", "rules"), in)
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Base(in)
			ds := diag.Sort(CheckSource(name, src, Options{}))
			var got bytes.Buffer
			if err := diag.WriteText(&got, ds, diag.TextOptions{NoSnippet: true}); err != nil {
				t.Fatal(err)
			}
			golden := strings.TrimSuffix(in, ".yaml") + ".out"
			if *update {
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("missing golden file (run go test ./lint -update): %v", err)
			}
			if got.String() != string(want) {
				t.Errorf("findings differ from %s:\n--- got\n%s--- want\n%s", golden, got.String(), want)
			}
		})
	}
}
