package schema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hoist/internal/testenv"
	"hoist/pyyaml"
)

// FuzzValidate loads arbitrary YAML and validates it as one kind, raw or
// evaluated: whatever the input, validation returns diagnostics with a rule,
// a message and a position in the input, and never panics or hangs; the
// native check never calls clean what CUE faults, and Validate finds what
// CUE finds on the whole value. Seeded
// with the fixtures of testdata/schema, each as the kind of its folder.
func FuzzValidate(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(testenv.RepoRoot(f), "testdata", "schema", "*", "*"))
	for _, p := range files {
		if strings.HasSuffix(p, ".out") {
			continue
		}
		k, err := ParseKind(filepath.Base(filepath.Dir(p)))
		if err != nil {
			continue
		}
		if b, err := os.ReadFile(p); err == nil {
			f.Add(uint8(k), rawKind(k), b)
		}
	}
	lim := pyyaml.Limits{MaxFileSize: 64 << 10}
	f.Fuzz(func(t *testing.T, kind uint8, raw bool, src []byte) {
		doc, err := pyyaml.Load("f.yaml", src, lim)
		if err != nil {
			return
		}
		k := Kinds()[int(kind)%len(Kinds())]
		s, o := Default(), Options{Raw: raw}
		ds := s.validate(k, doc.Root, o, false)
		for _, d := range ds {
			if d.Rule == "" || d.Message == "" || d.Range.File != "f.yaml" || d.Range.Start.Line == 0 {
				t.Fatalf("kind %s: bad diagnostic %+v", k, d)
			}
		}
		// The native check calls a value clean only when CUE does, and
		// Validate (CUE on the faulty parts only) finds what CUE finds.
		template := k == Template || k == ServiceTemplate || k == RoleTemplate
		if s.nativeClean(k, doc.Root, o, template) && len(ds) > 0 {
			t.Fatalf("kind %s: the native check says clean, CUE reports %s", k, ds[0].Line())
		}
		if got := s.Validate(k, doc.Root, o); lines(got) != lines(ds) {
			t.Fatalf("kind %s: Validate differs from CUE on the whole value:\n%s---\n%s", k, lines(got), lines(ds))
		}
	})
}
