package pyre

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"hoist/internal/testenv"
	"hoist/pyyaml"
	"hoist/value"
)

// oracleCase is one pattern to hold against Python's re.
type oracleCase struct {
	Pattern  string   `json:"pattern"`
	Flags    int      `json:"flags"`
	Subjects []string `json:"subjects"`
	Repls    []string `json:"repls"`
	// where says where the pattern comes from (a file, or "hand").
	where string
}

// The corpus trees whose patterns the differential test takes: the queens
// and stein ones must be there; rocky's and train's are taken when they are.
var (
	corpusTrees = []string{"tht-queens", "tht-queens-rendered", "tht-stein", "tht-stein-rendered"}
	extraTrees  = []string{"tht-rocky", "tht-train"}
)

// genericSubjects are tried on every pattern.
var genericSubjects = []string{
	"", "a", "abc", "ABC", "a b", "a\nb", "ab\n", "\n", "0123", "4.2", "4", "42x",
	"1G", "2048M", "512K", "4K2M", "é", "ÉCOLE été", "x-y_z", "k\u212a", "ß", "٣٤",
	"balance tcp", "balance-tcp", "roundrobin", "leastconn",
	"http://192.168.24.1:8787/tripleo/centos-binary:latest",
	"192.168.24.1:8787/tripleomaster/centos-binary-nova-api:current-tripleo",
	"docker.io/tripleo/image", "NovaComputeDPDK", "ControllerOpenstack",
	"AQBG0rNaAAAAABAAy5nOWJ2gFxP0FPa4jbqCzQ==", "dGVzdA==", "-%Y%m%d", "-%Y%m%d%H%M%S",
	"1,2-5", "0-3,8-11", "10s", "0s", "eth0", "nic1:eth1", "abc:eth2", "x.y:z",
}

func templateRepls(groups int, names []string) []string {
	r := []string{"", "-", `<\g<0>>`, `\n\t\\`, `\q`, `\1`}
	if groups >= 1 {
		r = append(r, `[\1]`, `\g<1>x`)
	}
	if groups >= 2 {
		r = append(r, `\2_\1`)
	}
	for _, n := range names {
		r = append(r, `{\g<`+n+`>}`)
	}
	return r
}

// paramValues collects, over the corpus, the literal values each
// parameter name is given: schema defaults, parameter_defaults of
// environments, and properties of resources (which feed nested templates'
// parameters of the same name).
type corpusScan struct {
	values   map[string]map[string]bool
	patterns []corpusPattern
}

type corpusPattern struct {
	pattern, file, param string
	flags                int
	data                 []string // literal strings near a yaql pattern
}

func scalarText(v *value.Value) (string, bool) {
	switch v.Kind {
	case value.String, value.Int, value.Float, value.Bool:
		return value.Str(v), true
	}
	return "", false
}

func (c *corpusScan) addValue(name string, v *value.Value) {
	if s, ok := scalarText(v); ok {
		if c.values[name] == nil {
			c.values[name] = map[string]bool{}
		}
		c.values[name][s] = true
	}
}

// yaqlRegex finds the regex literals of a yaql expression: the first
// argument of regex(...) and matches(...), and the right side of =~.
var yaqlRegex = regexp.MustCompile("(regex|matches)\\(\\s*('(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\"|`[^`]*`)|(=~)\\s*('(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\"|`[^`]*`)")

// yaqlString decodes a yaql string literal: backquoted ones are raw; quoted
// ones take Python's unicode_escape, which keeps unknown escapes.
func yaqlString(lit string) string {
	body := lit[1 : len(lit)-1]
	if lit[0] == '`' {
		return body
	}
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		if body[i] != '\\' || i+1 == len(body) {
			b.WriteByte(body[i])
			continue
		}
		i++
		switch body[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case '\\', '\'', '"':
			b.WriteByte(body[i])
		default:
			b.WriteByte('\\')
			b.WriteByte(body[i])
		}
	}
	return b.String()
}

func (c *corpusScan) walk(file string, v *value.Value) {
	switch v.Kind {
	case value.List:
		for _, it := range v.List {
			c.walk(file, it)
		}
	case value.Map:
		for _, e := range v.Map.Entries() {
			k := value.Str(e.Key)
			switch k {
			case "parameters", "parameter_defaults":
				if e.Val.Kind == value.Map {
					for _, pe := range e.Val.Map.Entries() {
						name := value.Str(pe.Key)
						if k == "parameter_defaults" {
							c.addValue(name, pe.Val)
							continue
						}
						if pe.Val.Kind != value.Map {
							continue
						}
						if d, ok := pe.Val.Map.Get("default"); ok {
							c.addValue(name, d)
						}
						if cs, ok := pe.Val.Map.Get("constraints"); ok && cs.Kind == value.List {
							for _, con := range cs.List {
								if con.Kind != value.Map {
									continue
								}
								if ap, ok := con.Map.Get("allowed_pattern"); ok && ap.Kind == value.String {
									c.patterns = append(c.patterns, corpusPattern{pattern: ap.Str, file: file, param: name})
								}
							}
						}
					}
				}
			case "properties":
				if e.Val.Kind == value.Map {
					for _, pe := range e.Val.Map.Entries() {
						c.addValue(value.Str(pe.Key), pe.Val)
					}
				}
			case "yaql":
				if e.Val.Kind == value.Map {
					if ex, ok := e.Val.Map.Get("expression"); ok && ex.Kind == value.String {
						var data []string
						if d, ok := e.Val.Map.Get("data"); ok {
							collectStrings(d, &data)
						}
						for _, m := range yaqlRegex.FindAllStringSubmatch(ex.Str, -1) {
							lit, fl := m[2], int(Unicode) // regex() compiles with re.UNICODE
							if m[1] != "regex" {
								fl = 0 // matches(string, pattern) and =~ call re.search with no flags
							}
							if m[3] != "" {
								lit = m[4]
							}
							c.patterns = append(c.patterns, corpusPattern{pattern: yaqlString(lit), file: file, flags: fl, data: data})
						}
					}
				}
			}
			c.walk(file, e.Val)
		}
	}
}

func collectStrings(v *value.Value, out *[]string) {
	switch v.Kind {
	case value.String:
		*out = append(*out, v.Str)
	case value.List:
		for _, it := range v.List {
			collectStrings(it, out)
		}
	case value.Map:
		for _, e := range v.Map.Entries() {
			if value.Str(e.Key) == "get_param" {
				*out = append(*out, "\x00param:"+value.Str(e.Val))
			}
			collectStrings(e.Val, out)
		}
	}
}

// corpusCases extracts every allowed_pattern and yaql regex of the queens
// and stein trees (and rocky's and train's), with subjects from the corpus.
func corpusCases(t *testing.T) []oracleCase {
	shared := testenv.Shared(t)
	scan := &corpusScan{values: map[string]map[string]bool{}}
	files := 0
	for i, tree := range append(append([]string(nil), corpusTrees...), extraTrees...) {
		root := filepath.Join(shared, "corpus", tree)
		if _, err := os.Stat(root); err != nil {
			if i >= len(corpusTrees) {
				continue
			}
			t.Skipf("skipping: the corpus tree %s is not at %s (set HOIST_SHARED)", tree, root)
		}
		err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
				return nil
			}
			doc, err := pyyaml.LoadFile(path, pyyaml.Limits{})
			if err != nil {
				return nil // not YAML hoist loads; the loader's own tests cover it
			}
			files++
			rel, _ := filepath.Rel(shared, path)
			scan.walk(rel, doc.Root)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// One case per pattern and flags, with the subjects of all its uses.
	type key struct {
		p string
		f int
	}
	byKey := map[key]*oracleCase{}
	var order []key
	for _, cp := range scan.patterns {
		k := key{cp.pattern, cp.flags}
		c := byKey[k]
		if c == nil {
			c = &oracleCase{Pattern: cp.pattern, Flags: cp.flags, where: cp.file}
			byKey[k] = c
			order = append(order, k)
		}
		var extra []string
		if cp.param != "" {
			for v := range scan.values[cp.param] {
				extra = append(extra, v)
			}
		}
		for _, d := range cp.data {
			if name, ok := strings.CutPrefix(d, "\x00param:"); ok {
				for v := range scan.values[name] {
					extra = append(extra, v)
				}
				continue
			}
			extra = append(extra, d)
		}
		sort.Strings(extra)
		for _, v := range extra {
			// The value, and near misses: one more character, a final
			// newline, its first half.
			c.Subjects = append(c.Subjects, v, v+"!", v+"\n", string([]rune(v)[:len([]rune(v))/2]))
		}
	}
	var out []oracleCase
	for _, k := range order {
		c := byKey[k]
		c.Subjects = dedupe(append(c.Subjects, genericSubjects...))
		out = append(out, *c)
	}
	t.Logf("corpus: %d YAML files, %d pattern uses, %d distinct patterns", files, len(scan.patterns), len(out))
	for _, c := range out {
		t.Logf("  %-40q flags %-2d %3d subjects  (first in %s)", c.Pattern, c.Flags, len(c.Subjects), c.where)
	}
	return out
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// ---- pyre's side, in the oracle's JSON shape ----

type jsonErr struct {
	Kind string `json:"kind"`
	Msg  string `json:"msg"`
	Pos  *int   `json:"pos"`
}

func toJSONErr(err error) (jsonErr, bool) {
	var pe *Error
	if !errors.As(err, &pe) {
		return jsonErr{}, false
	}
	j := jsonErr{Kind: pe.Kind, Msg: pe.Msg}
	if pe.Pos >= 0 {
		p := pe.Pos
		j.Pos = &p
	}
	return j, true
}

func spansOf(m *Match) any {
	if m == nil {
		return nil
	}
	out := make([][]int, m.NumGroups()+1)
	for g := range out {
		s, e := m.Span(g)
		out[g] = []int{s, e}
	}
	return out
}

// pyreResult computes what the oracle computes, with pyre.
func pyreResult(c oracleCase) (map[string]any, error) {
	re, err := Compile(c.Pattern, Flags(c.Flags))
	if err != nil {
		je, ok := toJSONErr(err)
		if !ok {
			return nil, err
		}
		return map[string]any{"error": je}, nil
	}
	gi := map[string]int{}
	maps := re.GroupIndex()
	for n, g := range maps {
		gi[n] = g
	}
	var subjects []any
	for _, s := range c.Subjects {
		r := map[string]any{}
		for name, f := range map[string]func(string, int) (*Match, error){"search": re.Search, "match": re.Match, "fullmatch": re.FullMatch} {
			m, err := f(s, 0)
			if err != nil {
				return nil, fmt.Errorf("%s(%q): %w", name, s, err)
			}
			r[name] = spansOf(m)
		}
		fa, err := re.FindAll(s, 0)
		if err != nil {
			return nil, err
		}
		if fa == nil {
			fa = [][]string{}
		}
		r["findall"] = fa
		for name, max := range map[string]int{"split": 0, "split1": 1} {
			sp, err := re.SplitStrings(s, max)
			if err != nil {
				return nil, err
			}
			r[name] = sp
		}
		var subs []any
		for _, repl := range c.Repls {
			out, err := re.Sub(s, repl, 0)
			if err != nil {
				je, ok := toJSONErr(err)
				if !ok {
					return nil, err
				}
				subs = append(subs, map[string]any{"error": je})
				continue
			}
			subs = append(subs, map[string]any{"out": out})
		}
		if subs == nil {
			subs = []any{}
		}
		r["sub"] = subs
		subjects = append(subjects, r)
	}
	if subjects == nil {
		subjects = []any{}
	}
	return map[string]any{"groups": re.NumGroups(), "groupindex": gi, "subjects": subjects}, nil
}

// normalize round-trips v through JSON so that both sides compare as the
// same generic values.
func normalize(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}

func runOracle(t *testing.T, cases []oracleCase) []map[string]any {
	t.Helper()
	if _, err := os.Stat(testenv.Python); err != nil {
		t.Skipf("skipping: %s not found; the differential test needs Python's re", testenv.Python)
	}
	in, err := json.Marshal(map[string]any{"cases": cases})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(testenv.Python, filepath.Join("testdata", "oracle.py"))
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle.py: %v\n%s", err, stderr.String())
	}
	var res []map[string]any
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("oracle.py output: %v", err)
	}
	if len(res) != len(cases) {
		t.Fatalf("oracle.py answered %d cases of %d", len(res), len(cases))
	}
	return res
}

// compare holds each case against the oracle and returns how many are
// equal, how many the oracle ran with a Python 2.7 emulation, and on how
// many Python's re itself backtracked for seconds.
func compare(t *testing.T, cases []oracleCase, want []map[string]any) (equal, py2, timeouts int) {
	t.Helper()
	for i, c := range cases {
		w := want[i]
		if w["timeout"] == true {
			// Python's re backtracked for seconds, or failed with a bug of
			// its own: pyre must answer or stop with ErrBacktrack, never
			// hang; there is nothing to compare.
			if _, err := pyreResult(c); err != nil && !errors.Is(err, ErrBacktrack) {
				t.Errorf("%s: pattern %q: %v", c.where, c.Pattern, err)
			}
			timeouts++
			continue
		}
		notes, _ := w["notes"].([]any)
		if len(notes) > 0 {
			py2++
		}
		delete(w, "notes")
		got, err := pyreResult(c)
		if err != nil {
			t.Errorf("%s: pattern %q flags %d: %v", c.where, c.Pattern, c.Flags, err)
			continue
		}
		g := normalize(got)
		if we, ok := w["error"].(map[string]any); ok && len(notes) > 0 {
			// Positions after the oracle rewrote the pattern are not the
			// pattern's.
			delete(we, "pos")
			if ge, ok := g.(map[string]any)["error"].(map[string]any); ok {
				delete(ge, "pos")
			}
		}
		if !reflect.DeepEqual(g, normalize(w)) {
			t.Errorf("%s: pattern %q flags %d differs from Python's re:\n%s\n  (subjects %q)", c.where, c.Pattern, c.Flags, firstDiff(normalize(w), g, c), c.Subjects)
			continue
		}
		equal++
	}
	return equal, py2, timeouts
}

// firstDiff describes where the two results first differ.
func firstDiff(want, got any, c oracleCase) string {
	wm, _ := want.(map[string]any)
	gm, _ := got.(map[string]any)
	if wm == nil || gm == nil || wm["error"] != nil || gm["error"] != nil {
		return fmt.Sprintf("  python: %v\n  pyre:   %v", short(want), short(got))
	}
	ws, _ := wm["subjects"].([]any)
	gs, _ := gm["subjects"].([]any)
	for i := range ws {
		if i >= len(gs) {
			break
		}
		w, g := ws[i].(map[string]any), gs[i].(map[string]any)
		for k := range w {
			if !reflect.DeepEqual(w[k], g[k]) {
				return fmt.Sprintf("  subject %q, %s:\n  python: %v\n  pyre:   %v", c.Subjects[i], k, short(w[k]), short(g[k]))
			}
		}
	}
	return fmt.Sprintf("  python: %v\n  pyre:   %v", short(want), short(got))
}

func short(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 600 {
		return string(b[:600]) + "..."
	}
	return string(b)
}

// TestDifferentialCorpus holds pyre against Python's re on every
// allowed_pattern and yaql regex of the queens and stein trees, and on the
// hand cases.
func TestDifferentialCorpus(t *testing.T) {
	corpus := corpusCases(t)
	if len(corpus) == 0 {
		t.Fatal("no pattern found in the corpus: the extraction is broken")
	}
	hand := handCases()
	cases := append(append([]oracleCase(nil), corpus...), hand...)
	for i := range cases {
		if cases[i].Repls == nil {
			re, err := Compile(cases[i].Pattern, Flags(cases[i].Flags))
			if err == nil {
				var names []string
				for n := range re.GroupIndex() {
					names = append(names, n)
				}
				sort.Strings(names)
				cases[i].Repls = templateRepls(re.NumGroups(), names)
			} else {
				cases[i].Repls = []string{}
			}
		}
		if cases[i].Subjects == nil {
			cases[i].Subjects = genericSubjects
		}
	}
	want := runOracle(t, cases)
	eqCorpus, py2c, slowc := compare(t, cases[:len(corpus)], want[:len(corpus)])
	eqHand, py2h, slowh := compare(t, cases[len(corpus):], want[len(corpus):])
	if slowc+slowh > 0 {
		t.Errorf("Python's re could not judge %d corpus patterns and %d hand cases (it backtracked for seconds or reported a bug of its own)", slowc, slowh)
	}
	subjects := 0
	for _, c := range cases {
		subjects += len(c.Subjects)
	}
	required := 0
	for _, c := range corpus {
		for _, tree := range corpusTrees {
			if strings.HasPrefix(c.where, filepath.Join("corpus", tree)+string(filepath.Separator)) {
				required++
				break
			}
		}
	}
	t.Logf("%d patterns from the corpus (%d of queens and stein, %d more of rocky and train; %d equal), %d hand cases (%d equal; %d of them read by the oracle as Python 2.7 read them), %d subjects: %s",
		len(corpus), required, len(corpus)-required, eqCorpus, len(hand), eqHand, py2c+py2h, subjects, verdict(eqCorpus+eqHand == len(cases)))
	if eqCorpus != len(corpus) {
		t.Errorf("%d corpus patterns differ from Python's re", len(corpus)-eqCorpus)
	}
}

func verdict(ok bool) string {
	if ok {
		return "all equal to Python re"
	}
	return "SOME DIFFER from Python re"
}
