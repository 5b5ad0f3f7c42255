package yaql

import (
	"fmt"
	"testing"
)

func TestUndefinedCalls(t *testing.T) {
	for _, c := range []struct{ expr, want string }{
		{"$.data.where($ != '').first()", "[]"},
		{"$.data.rightSplit(':', 1)[0]", "[]"},
		{"$.data.rigthSplit(':', 1)[0]", "[{rigthSplit true 7}]"},
		{"concat($.data.a, lenn($.data))", "[{lenn false 17}]"},
		{"$.data.select($.name).distinctt()", "[{distinctt true 22}]"},
		{"let(x => 1) -> $x", "[]"},
		{"def(f, $ + 1) -> f(2)", "[]"},
		{"regex('a').search($.data)", "[]"},
		{"$.data?.fooBar()", "[{fooBar true 8}]"},
	} {
		e, err := Parse(c.expr)
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		if got := fmt.Sprint(e.Undefined()); got != c.want {
			t.Errorf("%s: undefined %s, want %s", c.expr, got, c.want)
		}
	}
	if !Defined("len", false) || Defined("rigthSplit", true) || !Defined("rightSplit", true) {
		t.Error("Defined")
	}
	for _, n := range Names(true) {
		if n[0] == '#' || n[0] == '*' {
			t.Errorf("Names lists the operator %q", n)
		}
	}
}
