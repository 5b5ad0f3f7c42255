package value_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"hoist/source"
	"hoist/value"
)

// walk writes v with a JSONWriter the way a caller walks a document:
// strings, ints and containers through the writer's calls, other kinds
// with Value, every third map with Raw at its depth.
func walk(w *value.JSONWriter, v *value.Value, depth int, n *int) {
	*n++
	switch value.KindOf(v) {
	case value.String:
		w.String(v.Str)
	case value.Int:
		w.Int(v.Int)
	case value.Bool:
		w.Bool(v.Bool)
	case value.List:
		w.BeginList()
		for _, it := range v.List {
			walk(w, it, depth+1, n)
		}
		w.End()
	case value.Map:
		if *n%3 == 0 {
			sub := value.NewJSONWriter(nil, depth)
			walk(sub, v, depth, n)
			w.Raw(sub.Bytes())
			return
		}
		w.BeginObject()
		keys := slices.Sorted(func(yield func(string) bool) {
			for _, e := range v.Map.Entries() {
				if !yield(value.JSONKey(e.Key)) {
					return
				}
			}
		})
		for _, k := range keys {
			w.Key(k)
			walk(w, value.Get(v, k), depth+1, n)
		}
		w.End()
	default:
		w.Value(v)
	}
}

func randomValue(r *rand.Rand, depth int) *value.Value {
	strs := []string{"", "plain", `quo"te`, "back\\slash", "new\nline", "tab\there", "ünïcode ✓", "\x01ctl", "emoji 😀", "del\x7f"}
	switch k := r.IntN(7); {
	case depth > 3 || k == 0:
		return value.Text(strs[r.IntN(len(strs))])
	case k == 1:
		return value.Number(r.Int64N(2000) - 1000)
	case k == 2:
		return value.NewBool(r.IntN(2) == 0, source.Range{})
	case k == 3:
		var items []*value.Value
		for range r.IntN(4) {
			items = append(items, randomValue(r, depth+1))
		}
		return value.Sequence(items)
	default:
		o := value.NewObject()
		for range r.IntN(4) {
			o.Set(strs[r.IntN(len(strs))]+strings.Repeat("k", r.IntN(3)), randomValue(r, depth+1))
		}
		return o.Value()
	}
}

// TestJSONWriter holds the writer to MarshalIndent on random documents,
// whole and nested at a depth.
func TestJSONWriter(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		v := randomValue(r, 0)
		want := string(value.MarshalIndent(v))
		w := value.NewJSONWriter([]byte("prefix:"), 0)
		n := 0
		walk(w, v, 0, &n)
		if got := strings.TrimPrefix(string(w.Bytes()), "prefix:"); got != want {
			t.Fatalf("document %d:\ngot  %s\nwant %s", i, got, want)
		}
		// Nested: a list holding v at depth 1.
		want = string(value.MarshalIndent(value.Sequence([]*value.Value{v})))
		w = value.NewJSONWriter(nil, 0)
		w.BeginList()
		inner := value.NewJSONWriter(nil, 1)
		walk(inner, v, 1, &n)
		w.Raw(inner.Bytes())
		w.End()
		if got := string(w.Bytes()); got != want {
			t.Fatalf("document %d nested:\ngot  %s\nwant %s", i, got, want)
		}
	}
}

func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"", "a b", `"`, `\`, "\n\r\t\b\f", "\x00\x1f\x7f", "é✓😀", "\xff"} {
		want := string(value.MarshalIndent(value.Text(s)))
		if got := string(value.AppendJSONString(nil, s)); got != want {
			t.Errorf("AppendJSONString(%q) = %s, want %s", s, got, want)
		}
	}
}
