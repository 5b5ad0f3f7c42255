package yaql

import (
	"strings"
	"testing"
)

// TestHostileInputs feeds long and deep expressions: each must end with a
// value or an *Error (the lexer and parser are linear, nesting is
// guarded), never a panic or a hang (which the test timeout would show).
func TestHostileInputs(t *testing.T) {
	n := 200000
	for name, e := range map[string]string{
		"digits":       strings.Repeat("1", n) + "a",
		"digitsdot":    strings.Repeat("1", n) + "." + strings.Repeat("2", n) + "x",
		"ident":        strings.Repeat("a", n),
		"string":       "'" + strings.Repeat("\\x41", n/4) + "'",
		"unterminated": "'" + strings.Repeat("a", n),
		"plus":         strings.Repeat("1+", n/2) + "1",
		"arrow":        strings.Repeat("$->", n/3) + "1",
		"not":          strings.Repeat("not ", n/4) + "1",
		"commas":       "f(" + strings.Repeat("1,", n/2) + "1)",
		"empties":      "f(" + strings.Repeat(",", n) + "1)",
		"dots":         "$" + strings.Repeat(".a", n/2),
		"idx":          "$" + strings.Repeat("[0]", n/3),
		"unicode":      strings.Repeat("é", n/2),
		"bigint":       strings.Repeat("9", 5000) + "*" + strings.Repeat("9", 5000),
	} {
		v, err := EvalHeat(e, nil, TripleOLimits)
		if err == nil && v == nil {
			t.Errorf("%s: no value and no error", name)
		}
		if _, ok := err.(*Error); err != nil && !ok {
			t.Errorf("%s: error %T, want *Error", name, err)
		}
	}
}
