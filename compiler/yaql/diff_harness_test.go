package yaql

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"hoist/internal/testenv"
	"hoist/value"
)

// The differential tests run expressions through hoist and through real
// yaql (testdata/yaql/run.py, Debian's python3-yaql) and compare results
// in run.py's canonical encoding.

type pyResult struct {
	OK    json.RawMessage `json:"ok"`
	Error string          `json:"error"`
	Type  string          `json:"type"`
	Msg   string          `json:"msg"`
}

type pyCase struct {
	Expr string          `json:"expr"`
	Data json.RawMessage `json:"data"`
}

// runPython evaluates the cases with real yaql, in one process.
func runPython(t testing.TB, cases []pyCase) []pyResult {
	t.Helper()
	testenv.PythonModules(t, "yaql")
	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	for _, c := range cases {
		if err := enc.Encode(c); err != nil {
			t.Fatal(err)
		}
	}
	script := filepath.Join(testenv.RepoRoot(t), "testdata", "yaql", "run.py")
	cmd := exec.Command(testenv.Python, script)
	cmd.Stdin = &in
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("run.py: %v\n%s", err, stderr.String())
	}
	var res []pyResult
	sc := bufio.NewScanner(&out)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var r pyResult
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("run.py output %q: %v", sc.Text(), err)
		}
		res = append(res, r)
	}
	if len(res) != len(cases) {
		t.Fatalf("run.py answered %d of %d cases", len(res), len(cases))
	}
	return res
}

// canon renders a value in run.py's encoding, as normalised JSON.
func canon(v *value.Value) string {
	b, _ := json.Marshal(canonTree(v))
	return string(b)
}

func canonTree(v *value.Value) any {
	switch value.KindOf(v) {
	case value.Null:
		return nil
	case value.Bool:
		return v.Bool
	case value.Int:
		if v.Big != nil {
			return json.Number(v.Big.String())
		}
		return json.Number(intString(v))
	case value.Float:
		return map[string]any{"$float": value.PyFloatRepr(v.Float)}
	case value.String:
		return v.Str
	case value.List:
		out := make([]any, len(v.List))
		for i, it := range v.List {
			out[i] = canonTree(it)
		}
		return out
	case value.Map:
		out := make([]any, 0, v.Map.Len())
		for _, e := range v.Map.Entries() {
			out = append(out, []any{canonTree(e.Key), canonTree(e.Val)})
		}
		return map[string]any{"$map": out}
	case value.Unknown:
		return map[string]any{"$unknown": v.Str}
	}
	return nil
}

// normJSON re-encodes JSON so that both sides compare byte for byte.
func normJSON(raw []byte) string {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var x any
	if err := d.Decode(&x); err != nil {
		return "<bad json: " + string(raw) + ">"
	}
	b, _ := json.Marshal(x)
	return string(b)
}

// asSet turns a hoist list into run.py's set encoding, for results Python
// returns as a set (hoist has no set value; it returns a list).
func asSet(v *value.Value) string {
	if value.KindOf(v) != value.List {
		return canon(v)
	}
	items := make([]string, len(v.List))
	for i, it := range v.List {
		items[i] = canon(it)
	}
	sort.Strings(items)
	return `{"$set":[` + strings.Join(items, ",") + `]}`
}

// hoistResult evaluates a case with hoist in the same encoding: "ok:JSON"
// or "error:KIND".
func hoistResult(c pyCase, isSet bool) (string, *Error) {
	var data *value.Value
	if len(c.Data) > 0 {
		data = jsonValue(c.Data)
	}
	v, err := EvalHeat(c.Expr, data, TripleOLimits)
	if err != nil {
		e, ok := err.(*Error)
		if !ok {
			return "error:not-an-*Error " + err.Error(), nil
		}
		return "error:" + e.Kind, e
	}
	if isSet {
		return "ok:" + normJSON([]byte(asSet(v))), nil
	}
	return "ok:" + normJSON([]byte(canon(v))), nil
}

func pyOutcome(r pyResult) string {
	if r.Error != "" {
		return "error:" + r.Error
	}
	return "ok:" + normJSON(r.OK)
}

func isSetResult(r pyResult) bool { return bytes.HasPrefix(r.OK, []byte(`{"$set"`)) }

// jsonValue converts JSON to a value as Heat's data arrives: ints stay
// ints, floats floats, maps keep key order.
func jsonValue(raw []byte) *value.Value {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	v, err := decodeJSONValue(d)
	if err != nil {
		panic("bad test JSON " + string(raw) + ": " + err.Error())
	}
	return v
}
