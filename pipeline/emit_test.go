package pipeline

import (
	"os"
	"path/filepath"
	"testing"

	"hoist/emit"
)

// TestEmit writes the example's tree: every node, no unknown value, the
// manifest.
func TestEmit(t *testing.T) {
	in := Compiled(compiledExample(t))
	out := filepath.Join(t.TempDir(), "out")
	e, err := Emit(in, out, EmitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if e.Plan != in.Plan() || e.Nodes != 3 || e.Tree == nil || e.Unknowns != 0 {
		t.Errorf("nodes %d, unknowns %d", e.Nodes, e.Unknowns)
	}
	if _, err := os.Stat(filepath.Join(out, emit.ManifestFile)); err != nil {
		t.Error(err)
	}
}
