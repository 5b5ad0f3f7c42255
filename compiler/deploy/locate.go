package deploy

import (
	"errors"
	"fmt"
	"path/filepath"

	"hoist/compiler/jinja"
	"hoist/diag"
	"hoist/source"
)

// locator points diagnostics about the rendered outputs of Jinja2
// templates (a line of common/services/controller-role.yaml, which the
// author's checkout does not hold) at the *.j2.yaml line that wrote the
// text, naming the role or network it was rendered for.
type locator struct {
	root    string
	display func(abs string) string
	byName  map[string]*jinja.File // display name of an output → it
	sources *source.Cache
}

func newLocator(f *files, display func(string) string, sources *source.Cache) *locator {
	l := &locator{root: f.root, display: display, byName: map[string]*jinja.File{}, sources: sources}
	for rel, out := range f.renderedFiles() {
		l.byName[display(filepath.Join(f.root, filepath.FromSlash(rel)))] = out
	}
	return l
}

// err locates every diagnostic an error holds.
func (l *locator) err(err error) error {
	var ds diag.List
	var d *diag.Diagnostic
	switch {
	case errors.As(err, &ds):
		for _, x := range ds {
			l.diag(x)
		}
	case errors.As(err, &d):
		l.diag(d)
	}
	return err
}

// diag locates a diagnostic: its range, its related places and its chain.
// The rendered place is kept as a note, so that the text Heat saw can be
// found too.
func (l *locator) diag(d *diag.Diagnostic) {
	if d == nil || len(l.byName) == 0 {
		return
	}
	for i := range d.Related {
		if at, _, ok := l.locate(d.Related[i].Range); ok {
			d.Related[i].Range = at.r
		}
	}
	for i := range d.Chain {
		if at, _, ok := l.locate(d.Chain[i].Range); ok {
			d.Chain[i].Range = at.r
		}
	}
	if at, out, ok := l.locate(d.Range); ok {
		note := fmt.Sprintf("rendered into %s:%d:%d", d.Range.File, d.Range.Start.Line, d.Range.Start.Col)
		if ctx := renderedFor(out, at.context); ctx != "" {
			note += " " + ctx
		}
		d.Related = append(d.Related, diag.Related{Range: d.Range, Message: note})
		d.Range = at.r
	}
}

type located struct {
	r       source.Range
	context string
}

func (l *locator) locate(r source.Range) (located, *jinja.File, bool) {
	out, ok := l.byName[r.File]
	if !ok || r.Start.Line < 1 || out.Map == nil {
		return located{}, nil, false
	}
	p, ok := out.Map.Position(r.Start.Line, max(r.Start.Col, 1))
	if !ok {
		return located{}, nil, false
	}
	name := l.display(filepath.Join(l.root, filepath.FromSlash(p.File)))
	at := source.Range{File: name, Start: source.Pos{Line: int32(p.Line), Col: int32(p.Col)}}
	at.End = at.Start
	if r.End.Line == r.Start.Line && r.End.Col > r.Start.Col {
		at.End.Col += r.End.Col - r.Start.Col
	}
	if l.sources != nil {
		l.sources.Content(name) // the template's lines, for the snippet
	}
	return located{r: at, context: p.Context}, out, true
}

// renderedFor says for which role or network an output (a per-role or
// per-network template) or a loop body was rendered.
func renderedFor(out *jinja.File, loop string) string {
	var what string
	switch {
	case out.Role != "":
		what = "role " + out.Role
	case out.Network != "":
		what = "network " + out.Network
	}
	switch {
	case what != "" && loop != "":
		return "for " + what + ", in the loop for " + loop
	case what != "":
		return "for " + what
	case loop != "":
		return "in the loop for " + loop
	}
	return ""
}
