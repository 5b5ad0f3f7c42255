package yaql

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hoist/internal/testenv"
	"hoist/source"
	"hoist/value"
)

// fuzzSeeds are the corpus expressions (when the corpus is present) and
// the hand-written differential cases.
func fuzzSeeds(f *testing.F) []string {
	var seeds []string
	if _, err := os.Stat(filepath.Join(testenv.Shared(f), "corpus", "tht-queens-rendered")); err == nil {
		seen := map[string]bool{}
		for _, e := range corpusExprs(f) {
			if !seen[e.expr] {
				seen[e.expr] = true
				seeds = append(seeds, e.expr)
			}
		}
	}
	for _, path := range []string{
		filepath.Join(testenv.RepoRoot(f), "testdata", "yaql", "cases.txt"),
		filepath.Join("testdata", "stdlib.txt"),
	} {
		fh, err := os.Open(path)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 1<<22)
		for sc.Scan() {
			l := sc.Text()
			if l != "" && !strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "@") && !strings.HasPrefix(l, "== ") {
				l, _, _ = strings.Cut(l, " #=")
				seeds = append(seeds, l)
			}
		}
		fh.Close()
	}
	return seeds
}

// fuzzData is the fixed data expressions are evaluated on: a bit of every
// type, shaped like THT's role data.
func fuzzData() *value.Value {
	r := source.Range{}
	return mapOf(
		"port", value.NewInt(8080, r),
		"passwords", listOf(sv(""), sv("pw")),
		"image", sv("192.168.24.1:8787/tripleo/mysql:latest"),
		"role_data", listOf(mapOf("service_name", sv("a"), "upgrade_tasks", listOf(mapOf("name", sv("t")))), value.NewNull(r)),
		"map", mapOf("a", mapOf("x", listOf(value.NewInt(1, r))), "b", value.NewFloat(1.5, r)),
		"n", value.NewNull(r),
		"t", value.NewBool(true, r),
		"pw", value.NewUnknown("random", r),
	)
}

// FuzzParse checks that the parser never panics, and fails only with an
// *Error that points inside the expression.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		_, err := Parse(expr)
		if err == nil {
			return
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("Parse(%q): error %T %v, want *Error", expr, err, err)
		}
		if e.Offset < 0 || e.Offset > len(expr) {
			t.Fatalf("Parse(%q): offset %d outside the expression", expr, e.Offset)
		}
	})
}

// FuzzEval parses and evaluates on fixed data: no panic, no hang (the
// limits and the step bound stop every evaluation), errors are *Error.
func FuzzEval(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	data := fuzzData()
	old := maxSteps
	maxSteps = 200_000 // keep each input fast; the bound itself is what is tested
	f.Cleanup(func() { maxSteps = old })
	f.Fuzz(func(t *testing.T, expr string) {
		v, err := EvalHeat(expr, data, TripleOLimits)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("EvalHeat(%q): error %T %v, want *Error", expr, err, err)
			}
			if e.Offset < 0 || e.Offset > len(expr) {
				t.Fatalf("EvalHeat(%q): offset %d outside the expression", expr, e.Offset)
			}
			return
		}
		if v == nil {
			t.Fatalf("EvalHeat(%q): nil value and nil error", expr)
		}
		_ = canon(v)
	})
}
