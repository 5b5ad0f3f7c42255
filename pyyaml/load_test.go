package pyyaml

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hoist/diag"
	"hoist/source"
	"hoist/value"
)

func load(t *testing.T, src string) *Document {
	t.Helper()
	doc, err := Load("t.yaml", []byte(src), DefaultLimits)
	if err != nil {
		t.Fatalf("Load(%q): %v", src, err)
	}
	return doc
}

func compact(v *value.Value) string {
	var b strings.Builder
	_ = value.WriteJSON(&b, v, value.JSONOptions{Compact: true})
	return b.String()
}

// TestScalarRules pins each YAML 1.1 scalar rule of PyYAML's resolver, as
// Heat's loader applies it (the values were checked against PyYAML 6).
func TestScalarRules(t *testing.T) {
	cases := []struct{ in, want string }{
		// Booleans in all their spellings; y and n are strings.
		{"yes", "true"}, {"Yes", "true"}, {"YES", "true"}, {"on", "true"}, {"On", "true"}, {"ON", "true"},
		{"true", "true"}, {"True", "true"}, {"TRUE", "true"},
		{"no", "false"}, {"No", "false"}, {"NO", "false"}, {"off", "false"}, {"Off", "false"}, {"OFF", "false"},
		{"false", "false"}, {"False", "false"}, {"FALSE", "false"},
		{"y", `"y"`}, {"n", `"n"`}, {"yEs", `"yEs"`}, {"oN", `"oN"`},
		// Integers: octal with a leading 0, 0x, 0b, underscores, sexagesimal.
		{"0600", "384"}, {"0777", "511"}, {"00", "0"}, {"0_7", "7"}, {"-0", "0"}, {"+1", "1"},
		{"08", `"08"`}, {"0o17", `"0o17"`},
		{"0x1F", "31"}, {"-0x10", "-16"}, {"0b101", "5"}, {"1_000", "1000"}, {"-1_000", "-1000"},
		{"1:30", "90"}, {"-1:30", "-90"}, {"190:20:30", "685230"}, {"1:60", `"1:60"`},
		{"123456789012345678901234567890", "123456789012345678901234567890"},
		// Floats need a dot; an exponent needs a sign.
		{"1e3", `"1e3"`}, {"1.0e3", `"1.0e3"`}, {"1.0e+3", "1000.0"}, {"1.", "1.0"}, {".5", "0.5"},
		{"-.5", `"-.5"`}, {"1_.5", "1.5"}, {"1:30.5", "90.5"}, {"0.0", "0.0"}, {"1.0", "1.0"},
		{".inf", "Infinity"}, {"-.Inf", "-Infinity"}, {"+.INF", "Infinity"}, {".nan", "NaN"}, {"._", `"._"`},
		// Timestamps stay strings under Heat's loader.
		{"2018-03-02", `"2018-03-02"`}, {"2001-12-14t21:59:43.10-05:00", `"2001-12-14t21:59:43.10-05:00"`},
		// Nulls.
		{"~", "null"}, {"null", "null"}, {"Null", "null"}, {"NULL", "null"}, {"nULL", `"nULL"`}, {"", "null"},
		// Quoted scalars are strings whatever they look like.
		{`"yes"`, `"yes"`}, {`'0600'`, `"0600"`}, {`"~"`, `"~"`},
		// Explicit tags.
		{"!!str 123", `"123"`}, {`!!int "0x10"`, "16"}, {`!!float "1"`, "1.0"}, {`!!bool "yes"`, "true"},
		{`!!null "x"`, "null"}, {"!!timestamp 2001-01-01", `"2001-01-01"`},
	}
	for _, c := range cases {
		doc := load(t, "a: "+c.in+"\n")
		v, _ := doc.Root.Map.Get("a")
		if got := compact(v); got != c.want {
			t.Errorf("%q loads as %s, want %s", c.in, got, c.want)
		}
	}
}

func TestMergeKeys(t *testing.T) {
	doc := load(t, `
- &a {x: 1, k: a}
- &b {y: 2, k: b}
- {<<: [*a, *b], z: 3}
- {<<: [*b, *a]}
- {k: own, <<: *a}
`)
	want := `[{"x":1,"k":"a"},{"y":2,"k":"b"},{"y":2,"k":"a","x":1,"z":3},{"x":1,"k":"b","y":2},{"x":1,"k":"own"}]`
	if got := compact(doc.Root); got != want {
		t.Errorf("merge keys:\n got %s\nwant %s", got, want)
	}
	if len(doc.Duplicates) != 0 {
		t.Errorf("merged keys are not duplicates: %+v", doc.Duplicates)
	}
}

// TestAliasesAreIndependentCopiesThatRememberTheirSite checks alias
// expansion: aliases of aliases, positions of the anchor and of every use.
func TestAliasesAreIndependentCopiesThatRememberTheirSite(t *testing.T) {
	doc := load(t, "a: &x [1, 2]\nb: &y [*x, *x]\nc: [*y, *y]\nd: &unused 5\n")
	if got := compact(doc.Root); got != `{"a":[1,2],"b":[[1,2],[1,2]],"c":[[[1,2],[1,2]],[[1,2],[1,2]]],"d":5}` {
		t.Fatalf("aliases: %s", got)
	}
	c, _ := doc.Root.Map.Get("c")
	inner := c.List[1].List[0].List[1] // the 2 of the first *x inside the second *y
	if inner.Range.Start != (source.Pos{Line: 1, Col: 11}) {
		t.Errorf("a copied value keeps the range where it was written: %v", inner.Range)
	}
	sites := inner.Via.Sites()
	if len(sites) != 2 || sites[0].Start != (source.Pos{Line: 2, Col: 8}) || sites[1].Start != (source.Pos{Line: 3, Col: 9}) {
		t.Errorf("alias sites innermost first: got %v", sites)
	}
	if len(doc.Anchors) != 3 {
		t.Fatalf("anchors: %+v", doc.Anchors)
	}
	if x := doc.Anchors[0]; x.Name != "x" || len(x.Uses) != 2 || x.Range.Start.Line != 1 {
		t.Errorf("anchor x: %+v", x)
	}
	if u := doc.Anchors[2]; u.Name != "unused" || len(u.Uses) != 0 {
		t.Errorf("anchor unused: %+v", u)
	}
	c.List[0].List[0].List[0] = value.NewString("changed", source.Range{})
	if a, _ := doc.Root.Map.Get("a"); a.List[0].Kind != value.Int {
		t.Error("alias copies must be independent of the anchored value")
	}
}

// TestAnchorOnDiscardedDuplicateIsStillAliased mirrors pacemaker/haproxy.yaml:
// the first of two duplicate keys carries an anchor that is used later.
func TestAnchorOnDiscardedDuplicateIsStillAliased(t *testing.T) {
	doc := load(t, "m:\n  image: &img first\n  image: second\nuse: *img\n")
	if got := compact(doc.Root); got != `{"m":{"image":"second"},"use":"first"}` {
		t.Errorf("got %s", got)
	}
	if len(doc.Duplicates) != 1 {
		t.Fatalf("duplicates: %+v", doc.Duplicates)
	}
	d := doc.Duplicates[0]
	if d.Key != "image" || d.Path.String() != "m" || d.First.Start != (source.Pos{Line: 2, Col: 3}) || d.Second.Start != (source.Pos{Line: 3, Col: 3}) {
		t.Errorf("duplicate: %+v (path %s)", d, d.Path)
	}
}

func TestDuplicateKeysLastWinsInFirstPlace(t *testing.T) {
	doc := load(t, "a: 1\nb: {c: 1, c: 2, c: 3}\na: 2\n1: x\ntrue: y\n")
	if got := compact(doc.Root); got != `{"a":2,"b":{"c":3},"1":"y"}` {
		t.Errorf("got %s", got)
	}
	var got []string
	for _, d := range doc.Duplicates {
		got = append(got, fmt.Sprintf("%s %s %s>%s", d.Path.Key(d.Key), d.Key, d.First.LineCol(), d.Second.LineCol()))
	}
	want := []string{"b.c c 2:5>2:11", "b.c c 2:11>2:17", "a a 1:1>3:1", "true true 4:1>5:1"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("duplicates:\n got %v\nwant %v", got, want)
	}
}

func TestRanges(t *testing.T) {
	doc := load(t, "key: value\nq: \"quo\\\"ted\" # c\ns: 'it''s'\nlist:\n  - &a x\n  - *a\n")
	check := func(v *value.Value, want string) {
		t.Helper()
		r := v.Range
		if got := fmt.Sprintf("%d:%d-%d:%d", r.Start.Line, r.Start.Col, r.End.Line, r.End.Col); got != want {
			t.Errorf("range %s, want %s", got, want)
		}
	}
	m := doc.Root.Map
	v, _ := m.Get("key")
	check(v, "1:6-1:11")
	v, _ = m.Get("q")
	check(v, "2:4-2:14")
	v, _ = m.Get("s")
	check(v, "3:4-3:11")
	v, _ = m.Get("list")
	check(v.List[0], "5:5-5:9")
	check(v.List[1], "5:5-5:9")
	if site := v.List[1].Via.Alias; site.LineCol() != "6:5" || site.End.Col != 7 {
		t.Errorf("alias site %v", site)
	}
	check(m.Entries()[0].Key, "1:1-1:4")
}

// TestRangesOnOneLine: quoted and tagged scalars that share a line, with
// characters of several bytes before and between them, have their columns
// in characters, whether fastParse or yaml.v3 parsed the line (a tag is
// left to yaml.v3), and whichever order their columns are asked in.
func TestRangesOnOneLine(t *testing.T) {
	for _, src := range []string{
		"é: ['ü', \"ß\", 'x''y', é]\n",
		"é: ['ü', !!str \"ß\", 'x''y', é]\n",
	} {
		doc := load(t, src)
		v, _ := doc.Root.Map.Get("é")
		var got []string
		for _, it := range v.List {
			got = append(got, fmt.Sprintf("%d-%d", it.Range.Start.Col, it.Range.End.Col))
		}
		want := "5-8 10-13 15-21 23-24"
		if strings.Contains(src, "!!str") {
			want = "5-8 10-19 21-27 29-30"
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%q: columns %s, want %s", src, strings.Join(got, " "), want)
		}
	}
}

func errorOf(t *testing.T, src string) *diag.Diagnostic {
	t.Helper()
	_, err := Load("t.yaml", []byte(src), DefaultLimits)
	if err == nil {
		t.Fatalf("Load(%q) succeeded, want an error", src)
	}
	d, ok := err.(*diag.Diagnostic)
	if !ok {
		t.Fatalf("error is %T, want *diag.Diagnostic", err)
	}
	return d
}

// TestSyntaxErrorsPointAtLineAndColumn checks that errors name the line and
// column PyYAML would name, with the enclosing construct as a note.
func TestSyntaxErrorsPointAtLineAndColumn(t *testing.T) {
	cases := []struct{ src, want, related string }{
		{"a: 1\nb: [1, 2\nc: 3\n", "t.yaml:3:2: error: did not find expected ',' or ']' [yaml/syntax]", "t.yaml:2:4: while parsing a flow sequence"},
		{"a:\n  b: 1\n c: 2\n", "t.yaml:3:2: error: did not find expected key [yaml/syntax]", "t.yaml:1:1: while parsing a block mapping"},
		{"key: value: x\n", "t.yaml:1:11: error: mapping values are not allowed in this context [yaml/syntax]", ""},
		{"a: *nope\n", "t.yaml:1:4: error: unknown anchor 'nope' referenced [yaml/syntax]", ""},
		{"\tkey: 1\n", "t.yaml:1:1: error: found character that cannot start any token [yaml/syntax]", ""},
		{"a: 1\n---\nb: 2\n", "t.yaml:2:1: error: expected a single document in the stream, but found another document [yaml/syntax]", ""},
		{"? [a]\n: 1\n", "t.yaml:1:3: error: while constructing a mapping: found unhashable key (a list) [yaml/syntax]", ""},
		{"a: &a [*a]\n", "t.yaml:1:8: error: alias *a refers to a node that contains the alias itself [yaml/syntax]", ""},
		{"a: !Ref x\n", `t.yaml:1:4: error: could not determine a constructor for the tag "!Ref" on a scalar (Heat's safe loader accepts only the standard YAML tags) [yaml/syntax]`, ""},
		{"a: =\n", "t.yaml:1:4: error: could not determine a constructor for the tag 'tag:yaml.org,2002:value' (a plain \"=\"); quote it [yaml/syntax]", ""},
	}
	for _, c := range cases {
		d := errorOf(t, c.src)
		if got := d.Line(); got != c.want {
			t.Errorf("%q:\n got %s\nwant %s", c.src, got, c.want)
		}
		var rel string
		if len(d.Related) > 0 {
			rel = d.Related[0].Range.String() + ": " + d.Related[0].Message
		}
		if rel != c.related {
			t.Errorf("%q: related %q, want %q", c.src, rel, c.related)
		}
	}
}

// The hostile inputs: each must end in an error naming the file and the
// limit, quickly and without exhausting memory.

func TestRefusesAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [", i, i)
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	d := errorOf(t, b.String())
	if d.Rule != RuleLimit || !strings.Contains(d.Message, "100000 nodes (max-alias-nodes)") || d.Range.File != "t.yaml" {
		t.Errorf("alias bomb: %s", d.Line())
	}
}

func TestRefusesDeepNesting(t *testing.T) {
	for _, n := range []int{5000, 20000} {
		flow := strings.Repeat("[", n) + strings.Repeat("]", n) + "\n"
		d := errorOf(t, flow)
		if d.Rule != RuleLimit || !strings.Contains(d.Message, "deeper than") {
			t.Errorf("flow nesting %d: %s", n, d.Line())
		}
	}
	var b strings.Builder
	for i := 0; i < 3000; i++ {
		b.WriteString(strings.Repeat(" ", i))
		b.WriteString("k:\n")
	}
	d := errorOf(t, b.String())
	if d.Rule != RuleLimit || !strings.Contains(d.Message, "deeper than the limit of 500 levels (max-depth)") {
		t.Errorf("block nesting: %s", d.Line())
	}
}

func TestRefusesHugeFileBeforeReadingIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.yaml")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	// A sparse file of 300 MiB: refused from its size, never read.
	if err := f.Truncate(300 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = LoadFile(path, DefaultLimits)
	d, ok := err.(*diag.Diagnostic)
	if !ok || d.Rule != RuleLimit || d.Range.File != path || !strings.Contains(d.Message, "file is 300 MiB, over the limit of 8 MiB") {
		t.Errorf("huge file: %v", err)
	}
	_, err = ReadLimited("<stdin>", strings.NewReader(strings.Repeat("a", 9<<20)), DefaultLimits)
	if d, ok := err.(*diag.Diagnostic); !ok || !strings.Contains(d.Message, "more than 8 MiB") {
		t.Errorf("huge stdin: %v", err)
	}
}

func TestRefusesBinaryAndNonUTF8(t *testing.T) {
	cases := []struct{ src, want string }{
		{"a: 1\nb: \x00\x01\x02", "t.yaml:2:4: error: control character U+0000 is not allowed in YAML (is this a binary file?) [yaml/syntax]"},
		{"a: caf\xe9\n", "t.yaml:1:7: error: byte 0xE9 is not valid UTF-8 (hoist reads YAML as UTF-8) [yaml/syntax]"},
		{"\xff\xfea\x00:\x00", "t.yaml:1:1: error: the file is UTF-16 encoded; hoist reads YAML as UTF-8 only [yaml/syntax]"},
		{"a: \u0085ok\u2028\nb: \x7f\n", "t.yaml:2:4: error: control character U+007F is not allowed in YAML (is this a binary file?) [yaml/syntax]"},
		{"\x7fELF\x02\x01\x01", "t.yaml:1:1: error: control character U+007F is not allowed in YAML (is this a binary file?) [yaml/syntax]"},
	}
	for _, c := range cases {
		if got := errorOf(t, c.src).Line(); got != c.want {
			t.Errorf("%q:\n got %s\nwant %s", c.src, got, c.want)
		}
	}
	if _, err := Load("t.yaml", []byte("\xef\xbb\xbfa: 1\n"), DefaultLimits); err != nil {
		t.Errorf("a UTF-8 byte order mark is accepted: %v", err)
	}
}

func TestEmptyDocumentIsNull(t *testing.T) {
	for _, src := range []string{"", "# only a comment\n", "---\n"} {
		if doc := load(t, src); !doc.Root.IsNull() {
			t.Errorf("%q: root %s", src, compact(doc.Root))
		}
	}
}
