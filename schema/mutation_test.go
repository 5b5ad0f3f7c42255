package schema

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hoist/diag"
	"hoist/internal/testenv"
	"hoist/pyyaml"
)

var update = flag.Bool("update", false, "rewrite the golden .out files of testdata/schema")

// rawKinds are validated as written, before evaluation.
func rawKind(k Kind) bool { return k == Template || k == ServiceTemplate || k == RoleTemplate }

// TestMutations validates every fixture of testdata/schema/<kind>/ against
// the definition of its folder's kind and compares the findings with the
// .out file beside it (go test ./schema -update rewrites them). Fixtures
// named valid* must have no finding; every other one is a broken variant
// of a real file and must have at least one, each with a line and column.
func TestMutations(t *testing.T) {
	root := filepath.Join(testenv.RepoRoot(t), "testdata", "schema")
	dirs, _ := filepath.Glob(filepath.Join(root, "*"))
	broken := 0
	for _, dir := range dirs {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			continue
		}
		kind, err := ParseKind(filepath.Base(dir))
		if err != nil {
			t.Errorf("%s: folder is not named after a kind: %v", dir, err)
			continue
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, in := range files {
			if strings.HasSuffix(in, ".out") {
				continue
			}
			rel, _ := filepath.Rel(root, in)
			rel = filepath.ToSlash(rel)
			t.Run(rel, func(t *testing.T) {
				src, err := os.ReadFile(in)
				if err != nil {
					t.Fatal(err)
				}
				doc, err := pyyaml.Load(rel, src, pyyaml.Limits{})
				if err != nil {
					t.Fatal(err)
				}
				ds := Default().Validate(kind, doc.Root, Options{Raw: rawKind(kind)})
				var got bytes.Buffer
				if err := diag.WriteText(&got, ds, diag.TextOptions{NoSnippet: true}); err != nil {
					t.Fatal(err)
				}
				valid := strings.HasPrefix(filepath.Base(in), "valid")
				switch {
				case valid && len(ds) > 0:
					t.Errorf("findings on a valid fixture:\n%s", got.String())
				case !valid && len(ds) == 0:
					t.Errorf("no finding on a broken fixture")
				}
				for _, d := range ds {
					if d.Range.Start.Line == 0 || d.Range.Start.Col == 0 || d.Range.File != rel {
						t.Errorf("finding without a position in the fixture: %s", d.Line())
					}
				}
				golden := strings.TrimSuffix(in, filepath.Ext(in)) + ".out"
				if *update {
					if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("missing golden file (run go test ./schema -update): %v", err)
				}
				if got.String() != string(want) {
					t.Errorf("findings differ from %s:\n--- got\n%s--- want\n%s", golden, got.String(), want)
				}
			})
			if !strings.HasPrefix(filepath.Base(in), "valid") {
				broken++
			}
		}
	}
	if broken < 40 {
		t.Errorf("only %d broken fixtures under testdata/schema; the suite needs at least 40", broken)
	}
}
