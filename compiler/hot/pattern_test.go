package hot

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"hoist/diag"
	"hoist/pyyaml"
	"hoist/source"
	"hoist/value"
)

// allowed_pattern is Python's re.match whose end must be len(value), with
// Python's syntax (lookaround included) and errors.
func TestAllowedPattern(t *testing.T) {
	for _, c := range []struct {
		pattern, val string
		ok           bool
	}{
		{`^((?!balance.tcp).)*$`, "roundrobin", true},
		{`^((?!balance.tcp).)*$`, "balance-tcp", false},
		{`a|ab`, "ab", false}, // the first match ends at 1
		{`a|ab`, "a", true},
		{`[a-z]+`, "abc-1", false},
		{`[a-z]+$`, "abc\n", false}, // $ matches before the newline, the match ends at 3
		{`(\w)\1`, "aa", true},
		{`\w+`, "été", false}, // ASCII \w without re.UNICODE, as Python 2.7
		{`.+`, "été", true},   // code points, not bytes
	} {
		src := "heat_template_version: queens\nparameters: {P: {type: string, constraints: [{allowed_pattern: " + strconv.Quote(c.pattern) + "}]}}"
		doc, err := pyyaml.Load("t.yaml", []byte(src), pyyaml.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		tm, err := Parse("t.yaml", doc.Root)
		if err != nil {
			t.Fatalf("%q: %v", c.pattern, err)
		}
		p, _ := tm.Param("P")
		msg := p.CheckConstraints(value.NewString(c.val, source.Range{}))
		if (msg == "") != c.ok {
			t.Errorf("allowed_pattern %q on %q: message %q, want ok=%v", c.pattern, c.val, msg, c.ok)
		}
	}
}

func TestAllowedPatternInvalid(t *testing.T) {
	src := "heat_template_version: queens\nparameters: {P: {type: string, constraints: [{allowed_pattern: '(abc'}]}}"
	doc, err := pyyaml.Load("t.yaml", []byte(src), pyyaml.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse("t.yaml", doc.Root)
	var d *diag.Diagnostic
	want := `allowed_pattern "(abc" is not a valid regular expression: missing ), unterminated subpattern at position 0`
	if !errors.As(err, &d) || !strings.Contains(d.Message, want) {
		t.Errorf("got %v, want %q", err, want)
	}
}
