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
	}
	for _, c := range cases {
		r := run(t, "", c.args...)
		if r.code != c.code || r.stdout != c.out || !strings.Contains(r.err, c.errHas) {
			t.Errorf("hoist %s: exit %d, stdout %q, stderr %q; want exit %d, stdout %q, stderr containing %q",
				strings.Join(c.args, " "), r.code, r.stdout, r.err, c.code, c.out, c.errHas)
		}
	}
}
