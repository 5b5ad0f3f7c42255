package jinja_test

import (
	"errors"
	"os"
	"testing"

	"hoist/compiler/jinja"
	"hoist/diag"
	"hoist/internal/testenv"
)

// onlyMissingIncludes fails unless err is nil or consists of missing
// include diagnostics (the corpus lacks THT's *.j2 fragments).
func onlyMissingIncludes(b *testing.B, err error) {
	b.Helper()
	var ds []*diag.Diagnostic
	var one *diag.Diagnostic
	var many jinja.Errors
	switch {
	case err == nil:
		return
	case errors.As(err, &many):
		ds = many
	case errors.As(err, &one):
		ds = []*diag.Diagnostic{one}
	default:
		b.Fatal(err)
	}
	for _, d := range ds {
		if d.Rule != jinja.RuleMissingInclude {
			b.Fatal(d)
		}
	}
}

// BenchmarkRenderCorpus renders the whole THT queens tree (find the
// templates, plan 128 outputs, render them on all cores) with its default
// roles and networks, as the compiler does before loading templates.
func BenchmarkRenderCorpus(b *testing.B) {
	corpus := testenv.Corpus(b)
	roles, networks := loadInputs(b, corpus)
	root := os.DirFS(corpus)
	b.ReportAllocs()
	for b.Loop() {
		_, err := jinja.Render(root, roles, networks, jinja.Options{})
		onlyMissingIncludes(b, err)
	}
}

// BenchmarkRenderCorpusOneCore renders, one after the other on one
// goroutine, the outputs of the corpus that it can render.
func BenchmarkRenderCorpusOneCore(b *testing.B) {
	corpus := testenv.Corpus(b)
	roles, networks := loadInputs(b, corpus)
	root := os.DirFS(corpus)
	r, err := jinja.New(root, roles, networks, jinja.Options{})
	if err != nil {
		b.Fatal(err)
	}
	var paths []string
	for _, j := range r.Jobs() {
		if _, err := r.Render(j.Path); err == nil {
			paths = append(paths, j.Path)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, p := range paths {
			if _, err := r.Render(p); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(paths)), "files/op")
}
