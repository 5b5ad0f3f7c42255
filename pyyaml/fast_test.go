package pyyaml

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"hoist/internal/testenv"
)

// sameNodes compares the trees the converter reads: kinds, styles,
// values, explicit tags, anchors, positions, children and where aliases
// point. It returns "" when they are the same.
func sameNodes(fast, v3 *node) string {
	seen := map[*node]*node{}
	var walk func(f, v *node, path string) string
	walk = func(f, v *node, path string) string {
		if f == nil || v == nil {
			if f != v {
				return fmt.Sprintf("%s: fast %v, yaml.v3 %v", path, f, v)
			}
			return ""
		}
		seen[f] = v
		if f.Kind != v.Kind || f.Style != v.Style || f.Value != v.Value || f.Tag != v.Tag || f.Anchor != v.Anchor ||
			f.Line != v.Line || f.Column != v.Column || len(f.Content) != len(v.Content) {
			return fmt.Sprintf("%s: fast {kind %d style %d value %q tag %q anchor %q at %d:%d, %d children}, yaml.v3 {kind %d style %d value %q tag %q anchor %q at %d:%d, %d children}",
				path, f.Kind, f.Style, f.Value, f.Tag, f.Anchor, f.Line, f.Column, len(f.Content),
				v.Kind, v.Style, v.Value, v.Tag, v.Anchor, v.Line, v.Column, len(v.Content))
		}
		if f.Kind == yaml.AliasNode && seen[f.Alias] != v.Alias {
			return fmt.Sprintf("%s: the alias *%s points at another node", path, f.Value)
		}
		for i := range f.Content {
			if d := walk(f.Content[i], v.Content[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
				return d
			}
		}
		return ""
	}
	return walk(fast, v3, "")
}

// checkFast parses src with both parsers. Where fastParse answers, yaml.v3
// must have parsed the same tree; it tells whether fastParse answered.
func checkFast(t testing.TB, name string, src []byte) bool {
	t.Helper()
	fast, ok := fastParse(src)
	if !ok {
		return false
	}
	v3, err := parseV3(name, src)
	if err != nil {
		t.Errorf("%s: fastParse accepts what yaml.v3 refuses: %v", name, err)
		return true
	}
	if v3 == nil {
		t.Errorf("%s: fastParse found a document, yaml.v3 none", name)
		return true
	}
	if d := sameNodes(fast.Content[0], v3.Content[0]); d != "" {
		t.Errorf("%s: %s", name, d)
	}
	return true
}

// TestFastParseCorpus holds fastParse against yaml.v3 on every YAML file
// of every release's tree and of testdata: the same nodes wherever it
// answers. It must answer for most of each tree's files, or it no longer
// does its job (lint and build spend a third of their time loading YAML).
func TestFastParseCorpus(t *testing.T) {
	for _, tree := range []string{"queens", "queens-rendered", "rocky", "stein", "stein-rendered", "train"} {
		t.Run(tree, func(t *testing.T) {
			root := testenv.Tree(t, tree)
			answered, total := 0, 0
			err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
				if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) || strings.HasSuffix(p, ".j2.yaml") {
					return err
				}
				src, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				total++
				if checkFast(t, p, src) {
					answered++
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: fastParse answered for %d of %d files", tree, answered, total)
			if answered*100 < total*95 {
				t.Errorf("fastParse answered for only %d of %d files (at least 95%% expected)", answered, total)
			}
		})
	}
}

// TestFastParseCases runs both parsers on the loader's trap cases and on
// small inputs at the edges of what fastParse takes.
func TestFastParseCases(t *testing.T) {
	dir := filepath.Join(testenv.RepoRoot(t), "testdata", "pyyaml", "cases")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		src, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		checkFast(t, e.Name(), src)
	}
	for _, tc := range fastCases {
		if !checkFast(t, fmt.Sprintf("%q", tc.src), []byte(tc.src)) && tc.answers {
			t.Errorf("%q: fastParse left it to yaml.v3", tc.src)
		}
	}
}

var fastCases = []struct {
	src     string
	answers bool // fastParse must take it
}{
	{"a: 1\n", true},
	{"a:\n", true},
	{"a:   # c\nb:\n", true},
	{"- \n-\n- a\n", true},
	{"a:\n- x\n-\nb: 2\n", true},
	{"- a: 1\n  b:\n  - c\n- d\n", true},
	{"- - a\n  - b\n- - c\n", true},
	{"a: b\n  c\n\n  d\n", true},
	{"a: b # c\n  d: e\n", false},
	{"a: b\n  # c\n  d\n", false},
	{"a: |\n  x\n\n  y\n", true},
	{"a: |-\n  x\n\n\n", true},
	{"a: |+\n  x\n\n\n", true},
	{"a: >\n  x\n  y\n\n  z\n   w\n  v\n", true},
	{"a: >-\n  x\n\n", true},
	{"a: |\n  x\nb: 1", true},
	{"a: |\n    x\n   \n  y\n", false},
	{"- |\n x\n- >\n y", true},
	{"a: 'it''s'\nb: \"x\\ty\\u00e9\\x41\\\\\"\n", true},
	{"'a b': 1\n\"c\": 2\n", true},
	{"a: [b, c, [d], {e: f}]\nb: {}\nc: []\n", true},
	{"a: [b,\n  c]\n", true},
	{"a: [b,\nc]\n", false},
	{"a: {b: c\n  # x\n  , d: e}\n", true},
	{"a: &x {b: 1}\nc: *x\nd: [*x, *x]\n", true},
	{"a: &x\n  b: 1\nc:\n  <<: *x\n  d: 2\n", true},
	{"a: &x 1\nb: &x 2\nc: *x\n", true},
	{"a: &x [*x]\n", false},
	{"---\na: 1\n", true},
	{"--- # c\na: 1\n", true},
	{"a: 1\n---\nb: 2\n", false},
	{"a: 1\n...\n", false},
	{"%YAML 1.1\n---\na: 1\n", false},
	{"!!str a: 1\n", false},
	{"? a\n: 1\n", false},
	{"a: b: c\n", false},
	{"a: - b\n", false},
	{"a:\n  b: 1\n c: 2\n", false},
	{"a: 1\n\tb: 2\n", false},
	{"a: 1\r\n", false},
	{"", false},
	{"# only a comment\n", false},
	{"plain\n  text\n", true},
	{"a: b:c\n", true},
	{"a: http://x/y#z\n", true},
	{"é: ü\nb: 'ß' # c\n", true},
	{"a: [é, ü]\n", true},
	{"  a: 1\n  b: 2\n", true},
	{"a:\n    b: 1\n    c:\n      - d\n", true},
	{"a: \"x\ny\"\n", true},
	{"a: 'x\n  y'\n", true},
	{"a: 'x  \n\n   \n  y  z'\n", true},
	{"a: \"x\\\n  y\\\n\n  z\\t\"\n", true},
	{"- \"a\n  b\": 1\n", false},
	{"{'a\n b': 1}\n", false},
	{"a: 'x\n---\n'\n", false},
	{"a: 'x\n", false},
	{"{a: 1}\n", true},
	{"[a, b]: c\n", false},
	{"*x\n", false},
	{"a: [b: c]\n", false},
	{"a: [b, ]\n", false},
	{"a: {b}\n", false},
	{"a: [b\n", false},
	{"a: 'x' y\n", false},
	{"a: \"\\q\"\n", false},
	{"- a\n  - b\n", true},
	{"a:\n  - b\n c: 1\n", false},
	{"a: >\n\n  x\n", true},
	{"a: |\n  x\n  # not a comment\n", true},
	{"a: |\n  x\n# a comment\nb: 1\n", true},
	{"k: v\n\n\n", true},
	{"a:\n  - x\n# at column 0\n  - y\n", true},
	{"a :   b   \nc   : d\n", true},
	{"a: b\n\n\n\nc: d", true},
	{"- a\n-\n  b\n- - c\n  - d\n", true},
	{"a: {b: [c, {d: e}], f: g}\n", true},
	{"a: [\n  b,\n  c\n  ]\n", true},
	{"a: |\n  x\n\nb: |+\n  y\n\n", true},
	{"a: >\n  x\n\n   y\n  z\n", true},
	{"a: |2\n   x\n  y\n", true},
	{"- |1\n  x\n", true},
	{"a: -1\nb: --x\nc: .5\nd: 1e3\n", true},
	{"a: x\n\n  y\n", true},
	{"a: 1 # c\n# d\n", true},
}

// FuzzFastParse feeds both parsers the same bytes: where fastParse
// answers, yaml.v3 must parse the same tree.
func FuzzFastParse(f *testing.F) {
	for _, tc := range fastCases {
		f.Add([]byte(tc.src))
	}
	seeds, _ := filepath.Glob(filepath.Join("..", "testdata", "pyyaml", "cases", "*.yaml"))
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if checkText("fuzz.yaml", src) != nil {
			return
		}
		checkFast(t, "fuzz.yaml", src)
	})
}
