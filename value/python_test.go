package value

import (
	"math"
	"math/big"
	"testing"
)

func s(x string) *Value  { return NewString(x, noRange) }
func i(x int64) *Value   { return NewInt(x, noRange) }
func f(x float64) *Value { return NewFloat(x, noRange) }
func b(x bool) *Value    { return NewBool(x, noRange) }
func null() *Value       { return NewNull(noRange) }
func l(items ...*Value) *Value {
	return NewList(items, noRange)
}
func m(kv ...any) *Value {
	mp := NewMapping(len(kv) / 2)
	for j := 0; j < len(kv); j += 2 {
		k := kv[j]
		var key *Value
		switch k := k.(type) {
		case string:
			key = s(k)
		case *Value:
			key = k
		}
		mp.Set(key, kv[j+1].(*Value))
	}
	return NewMap(mp, noRange)
}

func TestStrIsPython2Unicode(t *testing.T) {
	big1, _ := new(big.Int).SetString("123456789012345678901234567890", 10)
	cases := []struct {
		v    *Value
		want string
	}{
		{b(true), "True"},
		{b(false), "False"},
		{null(), "None"},
		{i(5), "5"},
		{i(-443), "-443"},
		{NewBigInt(big1, noRange), "123456789012345678901234567890"},
		{f(1.5), "1.5"},
		{f(1.0), "1.0"},
		{f(100), "100.0"},
		{f(0.1 + 0.2), "0.3"}, // 12 significant digits
		{f(1e12), "1e+12"},
		{f(1e11), "100000000000.0"},
		{f(1e-5), "1e-05"},
		{f(0.0001), "0.0001"},
		{f(123456789012.5), "123456789012.0"},
		{f(math.Inf(1)), "inf"},
		{f(math.NaN()), "nan"},
		{s("x"), "x"},
		{l(s("a"), i(1)), "[u'a', 1]"},
		{m("a", i(1)), "{u'a': 1}"},
	}
	for _, c := range cases {
		if got := Str(c.v); got != c.want {
			t.Errorf("Str(%s) = %q, want %q", Repr(c.v), got, c.want)
		}
	}
}

func TestPyFloatRepr(t *testing.T) {
	cases := map[float64]string{
		0:                      "0.0",
		1:                      "1.0",
		1.5:                    "1.5",
		0.1:                    "0.1",
		tenth + 2*tenth:        "0.30000000000000004",
		1e16:                   "1e+16",
		1e15:                   "1000000000000000.0",
		1234567890123456:       "1234567890123456.0",
		0.0001:                 "0.0001",
		0.00001:                "1e-05",
		1.7976931348623157e308: "1.7976931348623157e+308",
		-2.5e-7:                "-2.5e-07",
		123456789.123456789:    "123456789.12345679",
	}
	for in, want := range cases {
		if got := PyFloatRepr(in); got != want {
			t.Errorf("PyFloatRepr(%v) = %q, want %q", in, got, want)
		}
	}
	if got := PyFloatRepr(math.Copysign(0, -1)); got != "-0.0" {
		t.Errorf("PyFloatRepr(-0.0) = %q", got)
	}
}

func TestEqualFollowsPython(t *testing.T) {
	huge, _ := new(big.Int).SetString("9007199254740993", 10) // 2^53+1
	eq := [][2]*Value{
		{i(1), f(1.0)},
		{i(1), b(true)},
		{f(1.0), b(true)},
		{i(0), b(false)},
		{null(), null()},
		{s("a"), s("a")},
		{l(i(1), s("x")), l(f(1), s("x"))},
		{m("a", i(1), "b", l()), m("b", l(), "a", b(true))},
		{m(i(1), s("x")), m(b(true), s("x"))},
	}
	for _, p := range eq {
		if !Equal(p[0], p[1]) {
			t.Errorf("Equal(%s, %s) = false, want true", Repr(p[0]), Repr(p[1]))
		}
		if HashKey(p[0]) != HashKey(p[1]) {
			t.Errorf("HashKey(%s) != HashKey(%s)", Repr(p[0]), Repr(p[1]))
		}
	}
	ne := [][2]*Value{
		{s("1"), i(1)},
		{s("true"), b(true)},
		{s("True"), b(true)},
		{null(), s("")},
		{null(), i(0)},
		{l(i(1)), l(i(1), i(2))},
		{m("a", i(1)), m("a", i(2))},
		{f(math.NaN()), f(math.NaN())},
		{NewBigInt(huge, noRange), f(9007199254740992)}, // exact int/float comparison
		{l(), m()},
	}
	for _, p := range ne {
		if Equal(p[0], p[1]) {
			t.Errorf("Equal(%s, %s) = true, want false", Repr(p[0]), Repr(p[1]))
		}
	}
	u := NewUnknown("server IP", noRange)
	if Equal(u, NewUnknown("server IP", noRange)) || !Equal(u, u) {
		t.Error("an unknown value must equal only itself")
	}
}

func TestTruthy(t *testing.T) {
	falsy := []*Value{nil, null(), b(false), i(0), f(0), s(""), l(), m()}
	for _, v := range falsy {
		if Truthy(v) {
			t.Errorf("Truthy(%s) = true", Repr(v))
		}
	}
	truthy := []*Value{b(true), i(-1), f(0.5), s("false"), s("0"), l(null()), m("a", null())}
	for _, v := range truthy {
		if !Truthy(v) {
			t.Errorf("Truthy(%s) = false", Repr(v))
		}
	}
}

func TestDumpsIsHeatJSON(t *testing.T) {
	cases := []struct {
		v    *Value
		want string
	}{
		{m("b", l(i(1), i(2)), "a", i(1)), `{"a": 1, "b": [1, 2]}`},
		{l(s("x"), null(), b(true), f(1.0)), `["x", null, true, 1.0]`},
		{s("caf\u00e9 \U0001F600 \"q\" \\ \n\t\x01\x7f"), `"caf\u00e9 \ud83d\ude00 \"q\" \\ \n\t\u0001\u007f"`},
		{m(i(1), s("int key"), b(true), s("bool key")), `{"1": "bool key"}`},
		{m(null(), i(1), f(2.5), i(2)), `{"2.5": 2, "null": 1}`},
		{m(), `{}`},
		{l(), `[]`},
		{f(math.Inf(-1)), `-Infinity`},
		{NewUnknown("a server's IP", noRange), `{"<unknown>": "a server's IP"}`},
	}
	for _, c := range cases {
		if got := Dumps(c.v); got != c.want {
			t.Errorf("Dumps(%s) = %s, want %s", Repr(c.v), got, c.want)
		}
	}
}

func TestIndentedJSON(t *testing.T) {
	v := m("z", l(i(1), m()), "a", s("é"))
	want := "{\n  \"a\": \"é\",\n  \"z\": [\n    1,\n    {}\n  ]\n}"
	if got := string(MarshalIndent(v)); got != want {
		t.Errorf("MarshalIndent = %q, want %q", got, want)
	}
}

func TestMappingKeepsFirstPlaceAndLastValue(t *testing.T) {
	mp := NewMapping(0)
	for j := 0; j < 20; j++ { // beyond the indexing threshold
		mp.Set(i(int64(j)), s("first"))
	}
	mp.Set(s("k"), i(1))
	if old, replaced := mp.Set(f(3.0), s("last")); !replaced || old.Val.Str != "first" {
		t.Fatalf("Set(3.0) replaced=%v old=%v", replaced, old.Val)
	}
	if mp.Len() != 21 {
		t.Fatalf("Len = %d", mp.Len())
	}
	if v, _ := mp.Lookup(b(true)); v.Str != "first" {
		t.Errorf("true should find key 1: %v", v)
	}
	if e := mp.Entries()[3]; e.Key.Kind != Int || e.Val.Str != "last" {
		t.Errorf("entry 3 = %s: %s, want 3: last in place", Repr(e.Key), Repr(e.Val))
	}
	if _, ok := mp.Get("3"); ok {
		t.Error(`string key "3" must not match int key 3`)
	}
	if !mp.Delete("k") || mp.Has("k") || mp.Len() != 20 {
		t.Error("Delete failed")
	}
	c := mp.Clone()
	c.Set(s("new"), i(1))
	if mp.Has("new") || !c.Has("new") {
		t.Error("Clone shares storage")
	}
}

func TestPathString(t *testing.T) {
	p := Path{}.Key("outputs").Key("role_data").Key("config_settings").Key("tripleo::x").Index(2).Key("a.b")
	want := `outputs.role_data.config_settings["tripleo::x"][2]["a.b"]`
	if got := p.String(); got != want {
		t.Errorf("Path = %s, want %s", got, want)
	}
}

var noRange = sourceRange()

// tenth is a variable so that tenth+2*tenth is computed in float64 at run
// time, as Python computes 0.1 + 0.2, not folded exactly by the compiler.
var tenth = 0.1

func TestHashKeyByReason(t *testing.T) {
	a, b := NewUnknown("an address", noRange), NewUnknown("an address", noRange)
	if HashKey(l(a)) == HashKey(l(b)) {
		t.Error("HashKey: two unknowns are two values")
	}
	if HashKeyByReason(l(a, i(1))) != HashKeyByReason(l(b, f(1))) {
		t.Error("HashKeyByReason: unknowns with one reason are one value")
	}
	if HashKeyByReason(a) == HashKeyByReason(NewUnknown("another", noRange)) {
		t.Error("HashKeyByReason: different reasons must differ")
	}
}
