package provenance

import (
	"fmt"
	"io"
	"strings"

	"hoist/source"
	"hoist/value"
)

// WriteText writes the steps for people: each step's place
// (file:line:col), kind and note, then the source line it points at; a
// parameter's declaration and where its value was set below it;
// contributors indented under the step they contributed to.
func (t *Trace) WriteText(w io.Writer, src *source.Cache) error {
	var b strings.Builder
	for _, s := range t.Steps {
		ind := strings.Repeat("  ", s.Depth+1)
		where := ""
		if !s.At.IsZero() {
			where = s.At.String() + ": "
		}
		note := s.Note
		if s.Key != "" && s.Kind == "part" {
			note = fmt.Sprintf("[%q] %s", s.Key, note)
		}
		fmt.Fprintf(&b, "%s%s%s: %s\n", ind, where, s.Kind, note)
		writeLine(&b, ind+"    ", s.At, src)
		for _, r := range []struct {
			what string
			at   source.Range
		}{{"declared at", s.Decl}, {"set at", s.Set}} {
			if r.at.IsZero() || r.at == s.At {
				continue
			}
			fmt.Fprintf(&b, "%s  %s %s\n", ind, r.what, r.at)
			writeLine(&b, ind+"    ", r.at, src)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeLine(b *strings.Builder, ind string, r source.Range, src *source.Cache) {
	if src == nil || r.File == "" || r.Start.Line == 0 {
		return
	}
	if line, ok := src.Line(r.File, int(r.Start.Line)); ok {
		fmt.Fprintf(b, "%s%s\n", ind, strings.TrimRight(string(line), " \t\r"))
	}
}

// JSON renders the trace for tools: the path, the value, and each step
// with its kind, note, place (file, line, column and "at" as
// file:line:col), the source line, the declaration and the setting
// place, the merge key and the depth.
func (t *Trace) JSON(src *source.Cache) *value.Value {
	r := source.Range{}
	str := func(s string) *value.Value { return value.NewString(s, r) }
	place := func(m *value.Mapping, prefix string, at source.Range) {
		if at.IsZero() {
			return
		}
		pm := value.NewMapping(5)
		pm.SetString("at", str(at.String()))
		pm.SetString("file", str(at.File))
		pm.SetString("line", value.NewInt(int64(at.Start.Line), r))
		pm.SetString("column", value.NewInt(int64(at.Start.Col), r))
		if src != nil && at.Start.Line > 0 {
			if line, ok := src.Line(at.File, int(at.Start.Line)); ok {
				pm.SetString("source", str(strings.TrimRight(string(line), " \t\r")))
			}
		}
		m.SetString(prefix, value.NewMap(pm, r))
	}
	steps := make([]*value.Value, 0, len(t.Steps))
	for _, s := range t.Steps {
		m := value.NewMapping(7)
		m.SetString("kind", str(s.Kind))
		m.SetString("note", str(s.Note))
		place(m, "place", s.At)
		place(m, "declared", s.Decl)
		place(m, "set", s.Set)
		if s.Key != "" {
			m.SetString("key", str(s.Key))
		}
		m.SetString("depth", value.NewInt(int64(s.Depth), r))
		steps = append(steps, value.NewMap(m, r))
	}
	out := value.NewMapping(3)
	out.SetString("path", str(t.Path.String()))
	out.SetString("value", t.Value)
	out.SetString("steps", value.NewList(steps, r))
	return value.NewMap(out, r)
}
