package yaql

import (
	"testing"

	"hoist/source"
	"hoist/value"
)

func TestAPIBasics(t *testing.T) {
	m := value.NewMapping(2)
	m.Set(value.NewString("x", source.Range{}), value.NewInt(5, source.Range{Start: source.Pos{Line: 3, Col: 4}}))
	m.Set(value.NewString("n", source.Range{}), value.NewNull(source.Range{}))
	d := value.NewMap(m, source.Range{})
	for _, c := range []struct{ expr, want string }{
		{`$.data.x`, `5`},
		{`str($.data.x)`, `"5"`},
		{`str($.data.n)`, `"null"`},
		{`'a'`, `"a"`},
		{`12`, `12`},
	} {
		got, err := EvalHeat(c.expr, d, TripleOLimits)
		if err != nil {
			t.Errorf("%s: %v", c.expr, err)
			continue
		}
		if s := value.Dumps(got); s != c.want {
			t.Errorf("%s = %s, want %s", c.expr, s, c.want)
		}
	}
	got, _ := EvalHeat(`$.data.x`, d, TripleOLimits)
	if got.Range.Start.Line != 3 {
		t.Errorf("range of data value not kept: %v", got.Range)
	}
	_, err := EvalHeat(`$.data.missing`, d, TripleOLimits)
	if e, ok := err.(*Error); !ok || e.Kind != "key" {
		t.Errorf("missing key: %v", err)
	}
}
