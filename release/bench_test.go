package release

import (
	"testing"

	"hoist/internal/testenv"
)

func BenchmarkDetect(b *testing.B) {
	root := testenv.Tree(b, "stein")
	for b.Loop() {
		if _, err := Detect(root); err != nil {
			b.Fatal(err)
		}
	}
}
