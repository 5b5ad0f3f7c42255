package emit_test

import (
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"hoist/emit"
	"hoist/model"
	"hoist/plan"
)

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkBuildQueens is hoist build -o on the queens overcloud (default
// roles, 3 controllers, 2 computes, docker.yaml and docker-ha.yaml,
// --allow-missing): the compile, the plan, the artifact tree and its
// atomic write, per op.
func BenchmarkBuildQueens(b *testing.B) {
	compiledQueens(b) // skip early without the corpus; warm the OS caches
	benchBuildAndWrite(b, compiledQueens)
}

// benchBuildAndWrite builds the tree of the deployment d gives and writes
// it, per op, reporting the CPU time and the files.
func benchBuildAndWrite(b *testing.B, d func(testing.TB) *model.Deployment) {
	out := filepath.Join(b.TempDir(), "out")
	files := 0
	start := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tree, ds := emit.Build(plan.Build(d(b)), emit.Options{})
		if tree == nil {
			b.Fatal(ds)
		}
		if err := emit.Write(tree, out); err != nil {
			b.Fatal(err)
		}
		files = len(tree.Files)
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
	b.ReportMetric(float64(files), "files")
}

// BenchmarkEmitQueens is the emit part alone: plan, tree and write, from a
// compiled deployment.
func BenchmarkEmitQueens(b *testing.B) {
	d := compiledQueens(b)
	out := filepath.Join(b.TempDir(), "out")
	start := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tree, ds := emit.Build(plan.Build(d), emit.Options{})
		if tree == nil {
			b.Fatal(ds)
		}
		if err := emit.Write(tree, out); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
}

// BenchmarkTreeQueens is the tree in memory, without the write.
func BenchmarkTreeQueens(b *testing.B) { benchTree(b, compiledQueens(b)) }

// benchTree builds the plan and the tree of d in memory, per op,
// reporting the CPU time.
func benchTree(b *testing.B, d *model.Deployment) {
	start := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if tree, ds := emit.Build(plan.Build(d), emit.Options{}); tree == nil {
			b.Fatal(ds)
		}
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
}

// BenchmarkBuildNodes is the plan, the artifact tree and its write (the
// part of hoist build -o after the compile) for 3 controllers, 5 block
// storage nodes and N computes of the queens tree: time, memory and files
// should grow linearly in the nodes (docs/perf.md, "Scale").
func BenchmarkBuildNodes(b *testing.B) {
	for _, computes := range []int{2, 92, 992} {
		d := compiledQueensWith(b, map[string]int{"Controller": 3, "Compute": computes, "BlockStorage": 5})
		b.Run(fmt.Sprintf("nodes=%d", computes+8), func(b *testing.B) {
			benchBuildAndWrite(b, func(testing.TB) *model.Deployment { return d })
		})
	}
}

// BenchmarkTreeNodes is the plan and the artifact tree, manifest
// included, in memory (no write) at 1,008 nodes: the CPU part of
// BenchmarkBuildNodes, without the file system's share.
func BenchmarkTreeNodes(b *testing.B) {
	benchTree(b, compiledQueensWith(b, map[string]int{"Controller": 3, "Compute": 1000, "BlockStorage": 5}))
}
