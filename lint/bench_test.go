package lint

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"hoist/internal/testenv"
)

// The lint benchmarks run over the 1,242 YAML files of the THT queens
// corpus, the figures of docs/perf.md ("Linting"). The floor is
// pyyaml's BenchmarkParseCorpusYAMLv3 (only parse into yaml.v3
// nodes), repeated here as BenchmarkLintFloorYAMLv3 so that one run gives
// both on the same machine state.

func recommendedRules(schema bool) []Rule {
	var out []Rule
	for _, r := range Rules() {
		m := r.Meta()
		if !m.InPreset(PresetRecommended) {
			continue
		}
		if !schema && strings.HasPrefix(m.ID, "schema/") {
			continue
		}
		out = append(out, r)
	}
	return out
}

// BenchmarkLintFloorYAMLv3 reads and parses the corpus files into yaml.v3
// nodes on one goroutine.
func BenchmarkLintFloorYAMLv3(b *testing.B) {
	root := testenv.Corpus(b)
	files, _, err := Collect([]string{root})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := cpuTime()
	defer reportCPU(b, start)
	for range b.N {
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			var n yaml.Node
			_ = yaml.Unmarshal(src, &n)
		}
	}
}

// BenchmarkLintCorpusCold lints the corpus without a cache: read, load,
// every rule, suppressions, sort. j1 checks one file at a time (the
// CPU cost, comparable with the floor); parallel uses every CPU, as hoist
// lint does. norules only loads (the loader's share); noschema leaves out
// the CUE schema rules of package schema.
func BenchmarkLintCorpusCold(b *testing.B) {
	root := testenv.Corpus(b)
	for _, c := range []struct {
		name  string
		rules []Rule
		jobs  int
	}{
		{"j1", recommendedRules(true), 1},
		{"parallel", recommendedRules(true), 0},
		{"noschema-j1", recommendedRules(false), 1},
		{"noschema-parallel", recommendedRules(false), 0},
		{"norules-j1", []Rule{yamlSyntax{}}, 1},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			start := cpuTime()
			defer reportCPU(b, start)
			for range b.N {
				res, err := Run([]string{root}, Options{Rules: c.rules, Jobs: c.jobs})
				if err != nil {
					b.Fatal(err)
				}
				if len(res.Files) != 1242 {
					b.Fatalf("%d files", len(res.Files))
				}
			}
		})
	}
}

// BenchmarkLintCorpusWarm lints the unchanged corpus with a filled cache:
// read and hash every file, take its results from the cache, run the tree
// rules on the cached facts, suppress, sort.
func BenchmarkLintCorpusWarm(b *testing.B) {
	root := testenv.Corpus(b)
	dir := b.TempDir()
	rules := recommendedRules(true)
	c := OpenCache(dir, "bench")
	if _, err := Run([]string{root}, Options{Rules: rules, Cache: c}); err != nil {
		b.Fatal(err)
	}
	if err := c.Save(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	b.ReportAllocs()
	start := cpuTime()
	defer reportCPU(b, start)
	for range b.N {
		c := OpenCache(dir, "bench")
		res, err := Run([]string{root}, Options{Rules: rules, Cache: c})
		if err != nil {
			b.Fatal(err)
		}
		if c.Misses != 0 || len(res.Diagnostics) == 0 {
			b.Fatalf("%d misses, %d findings", c.Misses, len(res.Diagnostics))
		}
		if err := c.Save(); err != nil {
			b.Fatal(err)
		}
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds the CPU time per operation to a benchmark's figures: on a
// machine shared with other work, wall time varies with the load while the
// CPU time a run needs does not.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
}

// BenchmarkLintOneChanged is the gate's "one file changed" in process: a
// warm lint of a copy of queens (evaluating, with the cache) after a line
// is appended to a service template, so that the run memo does not
// answer. What a fresh process does once (compiling the schemas, the
// package initializers) is done by the first iteration only.
func BenchmarkLintOneChanged(b *testing.B) {
	defer func(d time.Duration) { settleTime = d }(settleTime)
	settleTime = 0
	dir := copyCorpus(b)
	b.Chdir(dir)
	cache := b.TempDir()
	svc := "docker/services/keystone.yaml"
	lint := func() {
		ev, err := NewEvaluation(nil)
		if err != nil {
			b.Fatal(err)
		}
		c := OpenCache(cache, "bench")
		res, err := Run([]string{"."}, Options{Cache: c, Evaluate: ev})
		if err != nil {
			b.Fatal(err)
		}
		if c.Memoized || len(res.Diagnostics) == 0 {
			b.Fatalf("memoized %v, %d findings", c.Memoized, len(res.Diagnostics))
		}
		if err := c.Save(); err != nil {
			b.Fatal(err)
		}
	}
	f, err := os.OpenFile(svc, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	lint()
	b.ResetTimer()
	b.ReportAllocs()
	start := cpuTime()
	defer reportCPU(b, start)
	for i := range b.N {
		fmt.Fprintf(f, "# %d\n", i)
		lint()
	}
}
