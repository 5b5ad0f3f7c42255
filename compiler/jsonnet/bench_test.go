package jsonnet

import (
	"os"
	"path/filepath"
	"testing"

	"hoist/internal/testenv"
)

// BenchmarkEvaluateService evaluates the example's glance-api.jsonnet
// (importing hoist/service.libsonnet) and locates its values: what a
// Jsonnet service costs the loader, each time (a new VM per evaluation).
func BenchmarkEvaluateService(b *testing.B) {
	file := filepath.Join(testenv.RepoRoot(b), "stdlib/examples/overcloud/services/glance-api.jsonnet")
	src, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Evaluate(file, src, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluateServiceParallel is the same from every CPU at once, as
// hoist lint and the compile evaluate files.
func BenchmarkEvaluateServiceParallel(b *testing.B) {
	file := filepath.Join(testenv.RepoRoot(b), "stdlib/examples/overcloud/services/glance-api.jsonnet")
	src, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := Evaluate(file, src, Options{}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
