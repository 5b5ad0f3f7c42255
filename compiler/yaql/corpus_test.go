package yaql

import (
	"encoding/json"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"hoist/internal/testenv"
	"hoist/pyyaml"
	"hoist/value"
)

// corpusExpr is one `yaql:` call found in the THT corpus.
type corpusExpr struct {
	file string // relative to the corpus root
	line int
	expr string
	data *value.Value // nil when absent
	// literal reports that data holds no intrinsic function, so the call
	// can be evaluated as it stands.
	literal bool
	// resolved is data with each get_param replaced by the parameter's
	// default in the same template, when every intrinsic is such a
	// get_param (nil otherwise).
	resolved *value.Value
}

var corpusOnce struct {
	sync.Once
	exprs []corpusExpr
	err   error
}

// corpusExprs extracts every yaql call (with a literal expression) from
// the rendered queens tree.
func corpusExprs(t testing.TB) []corpusExpr {
	t.Helper()
	root := testenv.CorpusRendered(t)
	corpusOnce.Do(func() {
		corpusOnce.err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
				return err
			}
			doc, lerr := pyyaml.LoadFile(path, pyyaml.DefaultLimits)
			if lerr != nil {
				return nil // not this package's concern; the loader has its own tests
			}
			rel, _ := filepath.Rel(root, path)
			var params *value.Value
			if value.KindOf(doc.Root) == value.Map {
				params, _ = doc.Root.Map.Get("parameters")
			}
			walkYaql(doc.Root, func(call *value.Value) {
				e, ok := call.Map.Get("expression")
				if !ok || value.KindOf(e) != value.String {
					return
				}
				ce := corpusExpr{file: rel, line: int(e.Range.Start.Line), expr: e.Str}
				if d, ok := call.Map.Get("data"); ok {
					ce.data = d
					ce.literal = !hasIntrinsic(d)
					if r, ok := resolveDefaults(d, params); ok {
						ce.resolved = r
					}
				} else {
					ce.literal = true
				}
				if ce.literal {
					ce.resolved = ce.data
				}
				corpusOnce.exprs = append(corpusOnce.exprs, ce)
			})
			return nil
		})
	})
	if corpusOnce.err != nil {
		t.Fatal(corpusOnce.err)
	}
	return corpusOnce.exprs
}

func walkYaql(v *value.Value, f func(call *value.Value)) {
	switch value.KindOf(v) {
	case value.List:
		for _, it := range v.List {
			walkYaql(it, f)
		}
	case value.Map:
		if v.Map.Len() == 1 {
			if y, ok := v.Map.Get("yaql"); ok && value.KindOf(y) == value.Map {
				f(y)
			}
		}
		for _, e := range v.Map.Entries() {
			walkYaql(e.Val, f)
		}
	}
}

var hotFunctions = strings.Fields(`get_param get_attr get_resource get_file list_join str_replace str_replace_strict
	str_replace_vstrict map_merge map_replace list_concat list_concat_unique repeat if equals not and or contains
	str_split digest filter make_url yaql resource_facade Fn::Select Fn::Join Fn::Split Ref Fn::GetAtt`)

// hasIntrinsic reports whether v holds a HOT function call (a one-key map
// whose key is a function name).
func hasIntrinsic(v *value.Value) bool {
	switch value.KindOf(v) {
	case value.List:
		for _, it := range v.List {
			if hasIntrinsic(it) {
				return true
			}
		}
	case value.Map:
		if v.Map.Len() == 1 {
			k := v.Map.Entries()[0].Key
			if value.KindOf(k) == value.String {
				for _, f := range hotFunctions {
					if k.Str == f {
						return true
					}
				}
			}
		}
		for _, e := range v.Map.Entries() {
			if hasIntrinsic(e.Val) {
				return true
			}
		}
	}
	return false
}

// resolveDefaults replaces every {get_param: NAME} (or [NAME, path...])
// in v by the default of parameter NAME; it fails on any other intrinsic
// or a parameter without a default.
func resolveDefaults(v, params *value.Value) (*value.Value, bool) {
	switch value.KindOf(v) {
	case value.List:
		out := make([]*value.Value, len(v.List))
		for i, it := range v.List {
			r, ok := resolveDefaults(it, params)
			if !ok {
				return nil, false
			}
			out[i] = r
		}
		return value.NewList(out, v.Range), true
	case value.Map:
		if v.Map.Len() == 1 {
			if gp, ok := v.Map.Get("get_param"); ok {
				return paramDefault(gp, params)
			}
		}
		if hasIntrinsicHere(v) {
			return nil, false
		}
		m := value.NewMapping(v.Map.Len())
		for _, e := range v.Map.Entries() {
			r, ok := resolveDefaults(e.Val, params)
			if !ok {
				return nil, false
			}
			m.Set(e.Key, r)
		}
		return value.NewMap(m, v.Range), true
	}
	return v, true
}

func paramDefault(gp, params *value.Value) (*value.Value, bool) {
	var name *value.Value
	var path []*value.Value
	switch value.KindOf(gp) {
	case value.String:
		name = gp
	case value.List:
		if len(gp.List) == 0 {
			return nil, false
		}
		name, path = gp.List[0], gp.List[1:]
	default:
		return nil, false
	}
	if value.KindOf(name) != value.String || value.KindOf(params) != value.Map {
		return nil, false
	}
	p, ok := params.Map.Get(name.Str)
	if !ok || value.KindOf(p) != value.Map {
		return nil, false
	}
	d, ok := p.Map.Get("default")
	if !ok || hasIntrinsic(d) {
		return nil, false
	}
	for _, k := range path {
		if value.KindOf(d) != value.Map || value.KindOf(k) != value.String {
			return nil, false
		}
		if d, ok = d.Map.Get(k.Str); !ok {
			return nil, false
		}
	}
	return d, true
}

func hasIntrinsicHere(v *value.Value) bool {
	if v.Map.Len() != 1 {
		return false
	}
	k := v.Map.Entries()[0].Key
	for _, f := range hotFunctions {
		if value.KindOf(k) == value.String && k.Str == f {
			return true
		}
	}
	return false
}

// TestCorpusParse parses every yaql expression of the rendered queens
// tree and names each one that fails.
func TestCorpusParse(t *testing.T) {
	exprs := corpusExprs(t)
	if len(exprs) < 100 {
		t.Fatalf("found only %d yaql expressions in the corpus; the extraction is broken", len(exprs))
	}
	distinct := map[string]bool{}
	for _, e := range exprs {
		distinct[e.expr] = true
		if _, err := Parse(e.expr); err != nil {
			t.Errorf("%s:%d: %v\n  expression: %s", e.file, e.line, err, e.expr)
		}
	}
	t.Logf("%d yaql calls, %d distinct expressions, all parsed", len(exprs), len(distinct))
}

// TestCorpusLiteral evaluates, with both hoist and real yaql, the corpus
// expressions whose data is a literal in the template, or becomes one
// when each get_param takes its parameter's default. (The queens tree
// writes no yaql data as a plain literal; the defaults are what a
// deployment that sets nothing would evaluate.)
func TestCorpusLiteral(t *testing.T) {
	exprs := corpusExprs(t)
	var cases []pyCase
	var where []corpusExpr
	seen := map[string]bool{}
	for _, e := range exprs {
		if e.resolved == nil && !e.literal {
			continue
		}
		var raw []byte
		if e.resolved != nil {
			var b strings.Builder
			if err := value.WriteJSON(&b, e.resolved, value.JSONOptions{}); err != nil {
				t.Fatal(err)
			}
			raw = []byte(b.String())
		} else {
			raw = []byte("{}")
		}
		key := e.expr + "\x00" + string(raw)
		if seen[key] {
			continue
		}
		seen[key] = true
		cases = append(cases, pyCase{Expr: e.expr, Data: json.RawMessage(raw)})
		where = append(where, e)
	}
	if len(cases) == 0 {
		t.Fatal("no corpus expression has literal or default-resolvable data; the extraction is broken")
	}
	res := runPython(t, cases)
	var failures []string
	for i, c := range cases {
		want := pyOutcome(res[i])
		got, e := hoistResult(c, isSetResult(res[i]))
		if got != want {
			msg := ""
			if e != nil {
				msg = " (" + e.Msg + ")"
			}
			failures = append(failures, where[i].file+":"+itoa(where[i].line)+": "+c.Expr+"\n  hoist: "+got+msg+"\n  yaql:  "+want+" "+res[i].Msg)
		}
	}
	sort.Strings(failures)
	for _, f := range failures {
		t.Error(f)
	}
	t.Logf("%d corpus expression/data pairs evaluated, %d differ", len(cases), len(failures))
}

func itoa(i int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + jsonInt(i)) }

func jsonInt(i int) string { b, _ := json.Marshal(i); return string(b) }
