package yaql

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"hoist/internal/testenv"
	"hoist/value"
)

// TestStdlibHeat holds every function and operator of yaql's standard
// library against real Heat: the cases of testdata/stdlib.txt go through
// Heat's yaql function by the Heat oracle (heat-oracle/oracle_fn.py, Heat
// 19 with yaql 2.0 on Python 3) and through hoist, and must agree: values
// as JSON values (maps compared as maps), errors by kind. It also checks
// coverage: every name of hoist's table has at least two cases, and the
// table holds every name yaql.create_context() registers.
func TestStdlibHeat(t *testing.T) {
	oracle := testenv.Oracle(t)
	cases := loadStdlibCases(t)
	checkStdlibCoverage(t, cases)
	checkYaqlNames(t)
	res := runOracle(t, oracle, cases)

	equal, listed, unknown, errs := 0, 0, 0, 0
	withError := map[string]bool{}
	for i, c := range cases {
		want := oracleOutcome(res[i])
		got, gerr := hoistOutcome(c)
		if strings.HasPrefix(want, "error:") {
			errs++
			for _, n := range c.names {
				withError[n] = true
			}
		}
		where := fmt.Sprintf("stdlib.txt:%d: %s", c.line, c.expr)
		if vd, ok := stdlibVersionDiffs[c.expr]; ok {
			listed++
			if got != vd.Queens {
				t.Errorf("%s: hoist gives %s, want the queens result %s (%s)", where, got, vd.Queens, vd.Why)
			}
			if want == vd.Queens {
				t.Errorf("%s: listed as a version difference, but Heat 19 now gives the queens result %s; remove it from stdlibVersionDiffs", where, want)
			}
			continue
		}
		if c.flags["unknown"] {
			unknown++
			if !strings.HasPrefix(got, "unknown:") {
				t.Errorf("%s: hoist gives %s, want an unknown value (the result depends on the clock, chance or the server)", where, got)
			}
			if !strings.HasPrefix(want, "ok:") {
				t.Errorf("%s: Heat fails (%s %s) where hoist says the value is unknown", where, want, res[i].Error)
			}
			continue
		}
		if c.flags["set"] {
			got, want = sortedItems(got), sortedItems(want)
		}
		if got != want {
			msg := ""
			if gerr != nil {
				msg = " (" + gerr.Msg + ")"
			}
			t.Errorf("%s (data %s)\n  hoist: %s%s\n  Heat:  %s %s", where, short(c.data), got, msg, want, res[i].Error)
			continue
		}
		equal++
	}
	var noError []string
	for n := range knownNames() {
		if !withError[n] {
			noError = append(noError, n)
		}
	}
	sort.Strings(noError)
	if len(noError) > 0 {
		t.Logf("names without an error case: %s", strings.Join(noError, " "))
	}
	t.Logf("%d cases (%d errors in Heat, naming %d of the names): %d equal to Heat, %d listed version differences equal to queens, %d unknown by design",
		len(cases), errs, len(withError), equal, listed, unknown)
}

// stdlibVersionDiffs lists the cases where yaql 1.1.3 on Python 2 (queens
// to train Heat, which hoist implements) and yaql 2.0 on Python 3 (the
// oracle) differ: hoist must give the queens outcome, and the oracle must
// still differ from it.
var stdlibVersionDiffs = map[string]struct{ Queens, Why string }{
	// Python 2's round() returns a float and rounds halfway cases away
	// from zero; Python 3's rounds them to even, and keeps an int an int.
	`round(2.5)`:                   {`ok:3.0`, "Python 2 round() rounds halves away from zero; Python 3 to even"},
	`round(-0.5)`:                  {`ok:-1.0`, "Python 2 round() rounds halves away from zero; Python 3 to even"},
	`round(0.125, 2)`:              {`ok:0.13`, "Python 2 round() rounds halves away from zero; Python 3 to even"},
	`round(1234, -2)`:              {`ok:1200.0`, "Python 2 round() of an int is a float; Python 3 keeps the int"},
	`pow(-8, 1.0 / 3)`:             {`error:value`, "Python 2 refuses a fractional power of a negative number; Python 3 returns a complex"},
	`'ß'.toUpper()`:                {`ok:"ß"`, "Python 2 unicode.upper() maps one character to one; Python 3 applies the full mapping (SS)"},
	`hex(12345678901234567890123)`: {`ok:"0x29d42b64e76714244cbL"`, "Python 2's hex() of a long ends with L"},
	// format() is Python 2's unicode.format.
	`'{0!r} {0!s}'.format('x')`:              {`ok:"u'x' x"`, "Python 2 repr writes unicode strings as u'...'"},
	`'{0}'.format(0.1 + 0.2)`:                {`ok:"0.3"`, "Python 2 formats a float without a spec as str(), with 12 significant digits"},
	`'{0:>16}'.format(1.0 / 3)`:              {`ok:"  0.333333333333"`, "Python 2 formats a float without a type with 12 significant digits"},
	`'{0:>6}'.format(null)`:                  {`ok:"  None"`, "Python 2's object.__format__ formats str(self); Python 3.4+ refuses a non-empty spec"},
	`'{0:>6}'.format([1])`:                   {`ok:"  (1,)"`, "Python 2's object.__format__ formats str(self); Python 3.4+ refuses a non-empty spec"},
	`'{0:05}'.format('ab')`:                  {`error:value`, "Python 2 applies the 0 flag's = alignment to strings too, which it refuses; 3.10 left-aligns"},
	`'{0:#g}'.format(1.0)`:                   {`error:value`, "Python 2 allows the alternate form (#) only for integers"},
	`'{0}'.format({a => 1})`:                 {`ok:"{u'a': 1}"`, "Python 2 repr writes unicode strings as u'...'"},
	`'{0}'.format(set(1))`:                   {`ok:"frozenset([1])"`, "Python 2 writes a frozenset as frozenset([...])"},
	`'{0:>12}'.format(timespan(hours => 1))`: {`ok:"     1:00:00"`, "Python 2's object.__format__ formats str(self); Python 3.4+ refuses a non-empty spec"},
	`'{0}'.format([timespan(hours => 1)])`:   {`ok:"(datetime.timedelta(0, 3600),)"`, "Python 2's repr of a timedelta lists days, seconds, microseconds; 3.7 names them"},
	`characters(letters => true).len()`:      {`ok:52`, "string.letters exists only in Python 2 (ASCII letters in the C locale)"},
	`characters(lowercase => true).len()`:    {`ok:26`, "string.lowercase exists only in Python 2"},
	// keys(), values() and items() were iterators in yaql 1.1.3 (six);
	// yaql 2.0 returns dict views, which list() does not unpack and output
	// conversion makes sets of.
	`list($.data.m.keys())`: {`ok:["a","b"]`, "1.1.3 keys() is an iterator list() unpacks; 2.0 returns a view, kept as one item"},
	`$.data.m.items()`:      {`ok:[["a",1],["b",[1,2]]]`, "1.1.3 items() is an iterator of pairs; 2.0 returns an ItemsView, output as a set of unhashable lists"},
	// yaql's filter_parameters_dict deletes keys while iterating the
	// dict's keys(): a list in Python 2, a live view in Python 3.
	`call(max, [1, 2], {'a-b' => 1, '__x' => 2})`: {`error:no-method`, "Python 3 raises RuntimeError deleting from a dict during iteration; Python 2 drops __x and max() rejects a-b"},
	// re.escape: Python 2.7 escapes everything but ASCII letters and
	// digits; 3.3 stopped escaping _, 3.7 escapes only specials.
	`escapeRegex('abc_123')`: {`ok:"abc\\_123"`, "Python 2.7's re.escape backslashes _; Python 3.3+ does not"},
	// re.split and re.sub: Python 2.7 never splits on an empty match, and
	// a template group that did not take part is an error.
	`regex('x*').split('axxb')`:            {`ok:["a","b"]`, "Python 2.7's re.split ignores empty matches; 3.7+ splits on them"},
	`regex('(a)|b').replace('b', '[\\1]')`: {`error:regex`, "Python 2.7's re.sub fails on an unmatched group in the template; 3.5+ substitutes ''"},
	// date_time's timespan / int is integer division in Python 2.
	`timespan(microseconds => 7) / 2`: {`ok:"0:00:00.000003"`, "Python 2 divides the microseconds by an int with floor division; Python 3 rounds the true quotient"},
}

// evaluatorNames are the names of yaql's standard library that hoist's
// evaluator implements itself rather than in the function table.
var evaluatorNames = map[string]string{
	"#operator_.":       "member access and method calls (evaluator.dot, evaluator.member)",
	"#operator_?.":      "null-safe member access (evaluator.binary)",
	"#get_context_data": "$name variables (scope.get)",
	"#finalize":         "output conversion (evaluator.finalize)",
	"#iter":             "the item limit on the result (evaluator.finalize)",
}

type stdCase struct {
	line    int
	names   []string
	expr    string
	data    json.RawMessage
	version string
	flags   map[string]bool
}

// loadStdlibCases reads testdata/stdlib.txt:
//
//	== NAME...      the names the following cases call
//	@data NAME JSON a data set; @use NAME evaluates the following with it
//	@version V      the heat_template_version of the following (queens)
//	EXPR            a case; a trailing "#=set" compares lists as sets,
//	                "#=unknown" wants an unknown value from hoist
func loadStdlibCases(t *testing.T) []stdCase {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "stdlib.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	datasets := map[string]json.RawMessage{}
	data := json.RawMessage(`{}`)
	version := "queens"
	var names []string
	var out []stdCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "== "):
			names = strings.Fields(strings.TrimPrefix(line, "== "))
		case strings.HasPrefix(line, "@data "):
			name, js, _ := strings.Cut(strings.TrimPrefix(line, "@data "), " ")
			if !json.Valid([]byte(js)) {
				t.Fatalf("stdlib.txt:%d: data %s is not JSON", n, name)
			}
			datasets[name] = json.RawMessage(js)
		case strings.HasPrefix(line, "@use "):
			d, ok := datasets[strings.TrimPrefix(line, "@use ")]
			if !ok {
				t.Fatalf("stdlib.txt:%d: no data set %q", n, strings.TrimPrefix(line, "@use "))
			}
			data = d
		case strings.HasPrefix(line, "@version "):
			version = strings.TrimPrefix(line, "@version ")
		default:
			if len(names) == 0 {
				t.Fatalf("stdlib.txt:%d: a case before any == line naming its functions", n)
			}
			c := stdCase{line: n, names: names, expr: line, data: data, version: version, flags: map[string]bool{}}
			for {
				i := strings.LastIndex(c.expr, " #=")
				if i < 0 {
					break
				}
				c.flags[c.expr[i+3:]] = true
				c.expr = strings.TrimRight(c.expr[:i], " ")
			}
			out = append(out, c)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// knownNames are the names of hoist's table and those of the evaluator.
func knownNames() map[string]bool {
	known := map[string]bool{}
	for _, n := range stdlib().names() {
		known[n] = true
	}
	for n := range evaluatorNames {
		known[n] = true
	}
	return known
}

// checkStdlibCoverage fails for a name of the library with fewer than two
// cases and for a case naming something that is not in the library.
func checkStdlibCoverage(t *testing.T, cases []stdCase) {
	t.Helper()
	known := knownNames()
	count := map[string]int{}
	for _, c := range cases {
		for _, n := range c.names {
			if !known[n] {
				t.Errorf("stdlib.txt:%d: %q is not a name of the standard library", c.line, n)
			}
			count[n]++
		}
	}
	var few []string
	for n := range known {
		if count[n] < 2 {
			few = append(few, fmt.Sprintf("%s (%d)", n, count[n]))
		}
	}
	sort.Strings(few)
	if len(few) > 0 {
		t.Errorf("names with fewer than two cases in stdlib.txt: %s", strings.Join(few, ", "))
	}
	t.Logf("%d names of the standard library, each with at least two cases", len(known))
}

// checkYaqlNames fails when hoist's names differ from those
// yaql.create_context() registers.
func checkYaqlNames(t *testing.T) {
	t.Helper()
	known := knownNames()
	out, err := exec.Command(testenv.Python, filepath.Join("testdata", "stdlib_names.py")).Output()
	if err != nil {
		t.Fatalf("stdlib_names.py: %v", err)
	}
	var pyNames []string
	if err := json.Unmarshal(out, &pyNames); err != nil {
		t.Fatal(err)
	}
	var missing, extra []string
	for _, n := range pyNames {
		if !known[n] {
			missing = append(missing, n)
		}
	}
	for n := range known {
		if !slices.Contains(pyNames, n) {
			extra = append(extra, n)
		}
	}
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("names yaql.create_context() registers that hoist lacks: %s", strings.Join(missing, ", "))
	}
	if len(extra) > 0 {
		t.Errorf("names hoist has that yaql.create_context() does not register: %s", strings.Join(extra, ", "))
	}
	t.Logf("hoist has the %d names yaql 2.0's create_context() registers", len(pyNames))
}

type oracleResult struct {
	OK        bool            `json:"ok"`
	Value     json.RawMessage `json:"value"`
	Error     string          `json:"error"`
	ErrorType string          `json:"error_type"`
}

// runOracle evaluates the cases with Heat's yaql function, in one process.
func runOracle(t *testing.T, dir string, cases []stdCase) []oracleResult {
	t.Helper()
	var in bytes.Buffer
	for i, c := range cases {
		line, err := json.Marshal(map[string]any{
			"id":      i,
			"version": c.version,
			"expr":    map[string]any{"yaql": map[string]any{"expression": c.expr, "data": c.data}},
		})
		if err != nil {
			t.Fatal(err)
		}
		in.Write(line)
		in.WriteByte('\n')
	}
	cmd := exec.Command(testenv.Python, filepath.Join(dir, "oracle_fn.py"))
	cmd.Stdin = &in
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("oracle_fn.py: %v\n%s", err, stderr.String())
	}
	var res []oracleResult
	sc := bufio.NewScanner(&out)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var r oracleResult
		if err := json.Unmarshal(pythonJSON(sc.Bytes()), &r); err != nil {
			t.Fatalf("oracle output %q: %v", sc.Text(), err)
		}
		res = append(res, r)
	}
	if len(res) != len(cases) {
		t.Fatalf("the oracle answered %d of %d cases\n%s", len(res), len(cases), stderr.String())
	}
	return res
}

// pythonJSON quotes the NaN, Infinity and -Infinity Python's json module
// writes outside strings, so that Go can read them.
func pythonJSON(b []byte) []byte {
	var out bytes.Buffer
	inStr := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inStr {
			out.WriteByte(c)
			if c == '\\' && i+1 < len(b) {
				i++
				out.WriteByte(b[i])
			} else if c == '"' {
				inStr = false
			}
			continue
		}
		switch {
		case c == '"':
			inStr = true
			out.WriteByte(c)
		case bytes.HasPrefix(b[i:], []byte("NaN")):
			out.WriteString(`"$NaN"`)
			i += 2
		case bytes.HasPrefix(b[i:], []byte("-Infinity")):
			out.WriteString(`"$-Infinity"`)
			i += 8
		case bytes.HasPrefix(b[i:], []byte("Infinity")):
			out.WriteString(`"$Infinity"`)
			i += 7
		default:
			out.WriteByte(c)
		}
	}
	return out.Bytes()
}

// oracleOutcome is "ok:JSON" or "error:KIND".
func oracleOutcome(r oracleResult) string {
	if !r.OK {
		return "error:" + heatErrorKind(r)
	}
	d := json.NewDecoder(bytes.NewReader(r.Value))
	d.UseNumber()
	var x any
	if err := d.Decode(&x); err != nil {
		return "bad-json:" + string(r.Value)
	}
	b, _ := json.Marshal(x)
	return "ok:" + string(b)
}

// heatErrorKind maps the Python exception Heat raised to hoist's error
// kinds.
func heatErrorKind(r oracleResult) string {
	switch r.ErrorType {
	case "NoMatchingFunctionException", "NoMatchingMethodException", "NoFunctionRegisteredException",
		"NoMethodRegisteredException", "AmbiguousFunctionException", "AmbiguousMethodException",
		"MappingTranslationException", "ArgumentException":
		return "no-method"
	case "StackValidationFailed":
		if strings.Contains(r.Error, "Bad expression") {
			return "syntax"
		}
	case "CollectionTooLargeException", "MemoryQuotaExceededException", "RecursionError", "MemoryError":
		return "limit"
	case "StopIteration", "WrappedException":
		return "stop-iteration"
	case "KeyError":
		return "key"
	case "IndexError":
		return "index"
	case "ZeroDivisionError":
		return "zero-division"
	case "error":
		return "regex"
	case "TypeError", "AttributeError":
		return "type"
	case "ValueError", "OverflowError", "ParserError":
		return "value"
	case "AssertionError":
		return "assertion"
	}
	return "other(" + r.ErrorType + ")"
}

// hoistOutcome evaluates a case with hoist: "ok:JSON" as Heat's output
// shows the value, "unknown:REASON", or "error:KIND".
func hoistOutcome(c stdCase) (string, *Error) {
	v, err := EvalHeat(c.expr, jsonValue(c.data), TripleOLimits)
	if err != nil {
		e, ok := err.(*Error)
		if !ok {
			return "error:not-an-*Error " + err.Error(), nil
		}
		return "error:" + e.Kind, e
	}
	if u := v.FirstUnknown(); u != nil {
		return "unknown:" + u.Str, nil
	}
	b, _ := json.Marshal(heatJSON(v))
	return "ok:" + string(b), nil
}

// heatJSON is a value as Python's json module writes it.
func heatJSON(v *value.Value) any {
	switch value.KindOf(v) {
	case value.Null:
		return nil
	case value.Bool:
		return v.Bool
	case value.Int:
		return json.Number(intString(v))
	case value.Float:
		switch s := value.PyFloatRepr(v.Float); s {
		case "nan":
			return "$NaN"
		case "inf":
			return "$Infinity"
		case "-inf":
			return "$-Infinity"
		default:
			return json.Number(s)
		}
	case value.String:
		return v.Str
	case value.List:
		out := make([]any, len(v.List))
		for i, it := range v.List {
			out[i] = heatJSON(it)
		}
		return out
	case value.Map:
		out := map[string]any{}
		for _, e := range v.Map.Entries() {
			out[value.JSONKey(e.Key)] = heatJSON(e.Val)
		}
		return out
	}
	return "<" + v.Kind.String() + ">"
}

// TestStdlibCasesParse checks the case file without the oracle: every name
// has two cases, and every case parses and evaluates without a panic.
func TestStdlibCasesParse(t *testing.T) {
	cases := loadStdlibCases(t)
	checkStdlibCoverage(t, cases)
	for _, c := range cases {
		if _, err := Parse(c.expr); err != nil {
			if e, ok := err.(*Error); !ok || e.Kind != "syntax" && e.Kind != "limit" {
				t.Errorf("stdlib.txt:%d: %v", c.line, err)
			}
		}
		_, _ = hoistOutcome(c)
	}
	if len(cases) < 400 {
		t.Errorf("only %d cases in stdlib.txt", len(cases))
	}
}

// TestDocsListEveryName checks that docs/yaql.md has a line for every
// name of the standard library.
func TestDocsListEveryName(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "docs", "yaql.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	names := stdlib().names()
	for n := range evaluatorNames {
		names = append(names, n)
	}
	for _, n := range names {
		if !strings.Contains(doc, "| `"+n+"`") && !strings.Contains(doc, " `"+n+"` ") && !strings.Contains(doc, " `"+n+"` |") {
			t.Errorf("docs/yaql.md has no line for %s", n)
		}
	}
}
