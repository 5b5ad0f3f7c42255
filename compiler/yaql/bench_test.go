package yaql

import (
	"strings"
	"testing"

	"hoist/value"
)

// thtCases are the differential cases of the THT sections of cases.txt:
// the corpus expressions with realistic data.
func thtCases(b *testing.B) []pyCase {
	all := loadCases(b)
	var out []pyCase
	for _, c := range all {
		if strings.Contains(c.Expr, "$.data") && !strings.Contains(string(c.Data), `"big"`) {
			out = append(out, c)
		}
	}
	return out
}

// BenchmarkCorpusParse parses every distinct yaql expression of the
// rendered queens tree, bypassing the cache.
func BenchmarkCorpusParse(b *testing.B) {
	seen := map[string]bool{}
	var exprs []string
	for _, e := range corpusExprs(b) {
		if !seen[e.expr] {
			seen[e.expr] = true
			exprs = append(exprs, e.expr)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, e := range exprs {
			if _, err := parse(e); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(exprs)), "ns/expr")
}

// BenchmarkCorpusEval evaluates the THT expressions of cases.txt (the
// service and aggregator expressions with realistic data) the way Heat
// calls yaql: EvalHeat, parse cached.
func BenchmarkCorpusEval(b *testing.B) {
	cases := thtCases(b)
	data := make([]*pyCase, len(cases))
	vals := make([]any, len(cases))
	for i := range cases {
		data[i] = &cases[i]
		vals[i] = jsonValue(cases[i].Data)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k, c := range data {
			_, _ = EvalHeat(c.Expr, vals[k].(*value.Value), TripleOLimits)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(cases)), "ns/expr")
	b.ReportMetric(float64(len(cases)), "exprs")
}

// BenchmarkPortString is the most used THT expression, str($.data.port).
func BenchmarkPortString(b *testing.B) {
	d := mapOf("port", jsonValue([]byte("8080")))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := EvalHeat(`str($.data.port)`, d, TripleOLimits); err != nil {
			b.Fatal(err)
		}
	}
}
