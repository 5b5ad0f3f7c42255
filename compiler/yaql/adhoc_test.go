package yaql

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
)

// TestAdhoc compares hoist with yaql on the cases in $YAQL_ADHOC (JSON
// lines {expr, data}); a development aid.
func TestAdhoc(t *testing.T) {
	path := os.Getenv("YAQL_ADHOC")
	if path == "" {
		t.Skip("set YAQL_ADHOC to a JSON-lines file of cases")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []pyCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var c pyCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, c)
	}
	res := runPython(t, cases)
	for i, c := range cases {
		want := pyOutcome(res[i])
		got, e := hoistResult(c, isSetResult(res[i]))
		if got != want {
			msg := ""
			if e != nil {
				msg = e.Msg
			}
			t.Errorf("%s  data=%s\n  hoist: %s %s\n  yaql:  %s %s", c.Expr, c.Data, got, msg, want, res[i].Msg)
		}
	}
}
