package cli

import (
	"strings"
	"testing"
)

func TestDebugYaql(t *testing.T) {
	cases := []struct {
		args   []string
		code   int
		out    string // expected stdout
		errHas string // substring of stderr
	}{
		{[]string{"debug", "yaql", `$.data.passwords.where($ != '').first()`, "--data", `{"passwords": ["", "pw"]}`}, ExitOK, "\"pw\"\n", ""},
		{[]string{"debug", "yaql", `str($.data.port)`, "--data", "port: 8080"}, ExitOK, "\"8080\"\n", ""},
		{[]string{"debug", "yaql", `dict(a => [1, null])`}, ExitOK, "{\n  \"a\": [\n    1,\n    null\n  ]\n}\n", ""},
		{[]string{"debug", "yaql", `concat("c/", $.data.rightSplit("/", 1)[1])`, "--data", `"mariadb"`}, ExitUsage, "",
			"hoist debug yaql: index: IndexError: list index out of range\n  concat(\"c/\", $.data.rightSplit(\"/\", 1)[1])\n                                        ^\n"},
		{[]string{"debug", "yaql", `[1, 2`}, ExitUsage, "", "syntax: Parse error: unexpected end of statement"},
		{[]string{"debug", "yaql", `$`, "--data", `{a: [}`}, ExitUsage, "", "<data>:1:"},
		{[]string{"debug", "yaql"}, ExitUsage, "", `expected "yaml FILE" or "yaql EXPR"`},
		// An expression may start with "-": it is taken as written, or
		// after "--"; flags may come before or after it.
		{[]string{"debug", "yaql", "--", "-7 / 2"}, ExitOK, "-4\n", ""},
		{[]string{"debug", "yaql", "-7 / 2"}, ExitOK, "-4\n", ""},
		{[]string{"debug", "yaql", "-$.data.x", "--data", `{"x": 3}`}, ExitOK, "-3\n", ""},
		{[]string{"debug", "yaql", "--data", `{"x": 3}`, "--", "-$.data.x"}, ExitOK, "-3\n", ""},
		{[]string{"debug", "--data=[1,2]", "yaql", "-$.data.sum()"}, ExitOK, "-3\n", ""},
		{[]string{"debug", "yaql", "--", "--data"}, ExitUsage, "", `no-method: No function "#unary_operator_-" matches`},
		{[]string{"debug", "yaql", "-7 / 2", "--bogus"}, ExitUsage, "", "unknown flag: --bogus"},
		{[]string{"debug", "yaql", "1", "2"}, ExitUsage, "", `expected "yaml FILE" or "yaql EXPR"`},
		{[]string{"debug", "yaql", "-h"}, ExitOK, "Usage: hoist debug yaml FILE | debug yaql [--] EXPR", ""},
		// The rest of the standard library, and values only Heat knows.
		{[]string{"debug", "yaql", "[1, 2, 3].sum() + len([1].repeat(2))"}, ExitOK, "8\n", ""},
		{[]string{"debug", "yaql", "'{0:>4}|{x}'.format(7, x => 'y')"}, ExitOK, "\"   7|y\"\n", ""},
		{[]string{"debug", "yaql", "random()"}, ExitOK, "{\n  \"<unknown>\": \"random() draws a number at random each time Heat evaluates it\"\n}\n", ""},
	}
	for _, c := range cases {
		r := run(t, "", c.args...)
		out := r.stdout
		if c.code == ExitOK && strings.HasPrefix(c.out, "Usage:") && strings.HasPrefix(out, c.out) {
			out = c.out
		}
		if r.code != c.code || out != c.out || !strings.Contains(r.err, c.errHas) {
			t.Errorf("hoist %s: exit %d, stdout %q, stderr %q; want exit %d, stdout %q, stderr containing %q",
				strings.Join(c.args, " "), r.code, r.stdout, r.err, c.code, c.out, c.errHas)
		}
	}
}
