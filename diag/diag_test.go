package diag

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"hoist/source"
)

func rng(file string, line, col, endCol int32) source.Range {
	r := source.Range{File: file, Start: source.Pos{Line: line, Col: col}}
	if endCol > 0 {
		r.End = source.Pos{Line: line, Col: endCol}
	}
	return r
}

func TestLineForm(t *testing.T) {
	d := &Diagnostic{Severity: Warning, Rule: "yaml/duplicate-key", Message: `key "image" is duplicated`, Range: rng("a.yaml", 3, 5, 0)}
	if got, want := d.Error(), `a.yaml:3:5: warning: key "image" is duplicated [yaml/duplicate-key]`; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	d.Chain = []Frame{{Range: rng("docker/services/keystone.yaml", 61, 5, 0), Label: "KeystoneBase"}}
	d.Range = rng("puppet/services/keystone.yaml", 373, 13, 0)
	if got, want := d.ChainString(), "puppet/services/keystone.yaml:373:13 ← docker/services/keystone.yaml:61:5 (KeystoneBase)"; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

func TestSortOrdersAndRemovesDuplicates(t *testing.T) {
	mk := func(file string, line int32, sev Severity, rule string) *Diagnostic {
		return &Diagnostic{Severity: sev, Rule: rule, Message: "m", Range: rng(file, line, 1, 0)}
	}
	ds := []*Diagnostic{
		mk("b.yaml", 1, Error, "x"),
		mk("a.yaml", 10, Warning, "x"),
		mk("a.yaml", 2, Warning, "y"),
		mk("a.yaml", 2, Error, "z"),
		mk("a.yaml", 10, Warning, "x"),
	}
	var got []string
	for _, d := range Sort(ds) {
		got = append(got, d.Line())
	}
	want := []string{
		"a.yaml:2:1: error: m [z]",
		"a.yaml:2:1: warning: m [y]",
		"a.yaml:10:1: warning: m [x]",
		"b.yaml:1:1: error: m [x]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSnippetLinesUpWithTabsAndUnderlinesTheRange(t *testing.T) {
	src := source.NewCache()
	src.Add("t.yaml", []byte("a: 1\n\tkey: välue here\n"))
	d := &Diagnostic{Severity: Error, Rule: "r", Message: "m", Range: rng("t.yaml", 2, 7, 12)}
	var b bytes.Buffer
	if err := WriteText(&b, []*Diagnostic{d}, TextOptions{Sources: src}); err != nil {
		t.Fatal(err)
	}
	want := "t.yaml:2:7: error: m [r]\n  2 | \tkey: välue here\n    | \t     ^~~~~\n"
	if b.String() != want {
		t.Errorf("got\n%q\nwant\n%q", b.String(), want)
	}
	b.Reset()
	_ = WriteText(&b, []*Diagnostic{d}, TextOptions{Sources: src, NoSnippet: true})
	if b.String() != "t.yaml:2:7: error: m [r]\n" {
		t.Errorf("no snippet: %q", b.String())
	}
}

func TestJSON(t *testing.T) {
	d := &Diagnostic{Severity: Info, Rule: "r", Message: "a <b> & c", Range: rng("t.yaml", 1, 2, 4), Path: "outputs.x",
		Related: []Related{{Range: rng("u.yaml", 5, 6, 0), Message: "here"}}}
	var b bytes.Buffer
	if err := WriteJSON(&b, []*Diagnostic{d}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"message": "a <b> & c"`) {
		t.Errorf("HTML must not be escaped: %s", b.String())
	}
	var out struct{ Diagnostics []map[string]any }
	if err := json.Unmarshal(b.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	got := out.Diagnostics[0]
	if got["severity"] != "info" || got["line"] != 1.0 || got["end_column"] != 4.0 || got["path"] != "outputs.x" {
		t.Errorf("json: %v", got)
	}
	b.Reset()
	_ = WriteJSON(&b, nil)
	if strings.TrimSpace(b.String()) != "{\n  \"diagnostics\": []\n}" {
		t.Errorf("empty: %q", b.String())
	}
}

func TestParseSeverity(t *testing.T) {
	for _, n := range SeverityNames {
		s, err := ParseSeverity(n)
		if err != nil || s.String() != n {
			t.Errorf("%s: %v %v", n, s, err)
		}
	}
	if _, err := ParseSeverity("fatal"); err == nil || err.Error() != `unknown severity "fatal": expected one of "error", "warning" or "info"` {
		t.Errorf("err = %v", err)
	}
	if Error <= Warning || Warning <= Info {
		t.Error("severities must order error > warning > info")
	}
}

func TestErr(t *testing.T) {
	if Err(nil) != nil {
		t.Error("no diagnostics is no error")
	}
	one := &Diagnostic{Severity: Error, Rule: "r", Message: "m", Range: rng("a.yaml", 1, 1, 0)}
	if Err([]*Diagnostic{one}) != one {
		t.Error("one diagnostic is itself")
	}
	two := &Diagnostic{Severity: Error, Rule: "r", Message: "m", Range: rng("a.yaml", 2, 1, 0)}
	err := Err([]*Diagnostic{two, one})
	l, ok := err.(List)
	if !ok || len(l) != 2 || l[0] != one || err.Error() != one.Line()+"\n"+two.Line() {
		t.Errorf("Err of two: %v", err)
	}
}

func TestPluralAndCounted(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{0, "0 containers"}, {1, "1 container"}, {2, "2 containers"}} {
		if got := Counted(c.n, "container"); got != c.want {
			t.Errorf("Counted(%d) = %q, want %q", c.n, got, c.want)
		}
	}
	if Plural(1, "is", "are") != "is" || Plural(3, "is", "are") != "are" {
		t.Error("Plural")
	}
}
