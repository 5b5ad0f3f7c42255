package pyyaml

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hoist/diag"
	"hoist/value"
)

// FuzzLoad feeds arbitrary bytes to the loader, seeded with the loader's
// own trap cases and the THT corpus: it must never panic, and every error
// must be a diagnostic that names the file and a position.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "pyyaml", "cases", "*.yaml"))
	if dir := corpusDir(); dir != "" {
		_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".yaml") && !strings.HasSuffix(p, ".j2.yaml") {
				seeds = append(seeds, p)
			}
			return nil
		})
	}
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("- {<<: [*x]}\n"))
	lim := Limits{MaxFileSize: 1 << 20, MaxDepth: 100, MaxAliasNodes: 10000}
	f.Fuzz(func(t *testing.T, src []byte) {
		doc, err := Load("fuzz.yaml", src, lim)
		if err != nil {
			d, ok := err.(*diag.Diagnostic)
			if !ok {
				t.Fatalf("error is %T, not a diagnostic: %v", err, err)
			}
			if d.Range.File != "fuzz.yaml" || d.Range.Start.Line < 1 || d.Message == "" {
				t.Fatalf("diagnostic without a position: %s", d.Line())
			}
			return
		}
		if err := value.WriteJSON(io.Discard, doc.Root, value.JSONOptions{SortKeys: true, Indent: "  "}); err != nil {
			t.Fatal(err)
		}
	})
}

// corpusDir returns the THT corpus when it is beside the repository.
func corpusDir() string {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "tht-queens")
	if s := os.Getenv("HOIST_SHARED"); s != "" {
		dir = filepath.Join(s, "corpus", "tht-queens")
	}
	if st, err := os.Stat(dir); err == nil && st.IsDir() {
		return dir
	}
	return ""
}
