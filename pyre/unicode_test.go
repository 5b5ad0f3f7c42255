package pyre

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"

	"hoist/internal/testenv"
)

// allCodePoints is every code point but the surrogates, which a Go string
// cannot hold.
func allCodePoints() []rune {
	var rs []rune
	for c := rune(0); c <= maxRune; c++ {
		if c < 0xd800 || c > 0xdfff {
			rs = append(rs, c)
		}
	}
	return rs
}

// TestCategoriesAllCodePoints holds \d \w \s, ASCII and Unicode, against
// Python's re on every code point Python's Unicode tables assign (Go's are
// newer: code points Python has unassigned are left out).
func TestCategoriesAllCodePoints(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping in -short mode")
	}
	if _, err := os.Stat(testenv.Python); err != nil {
		t.Skipf("skipping: %s not found", testenv.Python)
	}
	const script = `
import json, re, sys, unicodedata
s = ''.join(chr(c) for c in range(0x110000) if not 0xd800 <= c <= 0xdfff)
un = []
for c in range(0x110000):
    if unicodedata.category(chr(c)) == "Cn":
        if un and un[-1][1] == c:
            un[-1][1] = c + 1
        else:
            un.append([c, c + 1])
out = {"unassigned": un}
for p in [r"\d+", r"\w+", r"\s+", r"\W+", r"[^\W\d]+", r"[\w\s]+"]:
    for name, f in (("ascii", re.A), ("unicode", re.U)):
        out[p + " " + name] = [[m.start(), m.end()] for m in re.finditer(p, s, f)]
json.dump(out, sys.stdout)
`
	out, err := exec.Command(testenv.Python, "-c", script).Output()
	if err != nil {
		t.Fatalf("python: %v", err)
	}
	var want map[string][][2]int
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(out, &raw); err != nil {
		t.Fatal(err)
	}
	var unassigned [][2]rune
	if err := json.Unmarshal(raw["unassigned"], &unassigned); err != nil {
		t.Fatal(err)
	}
	delete(raw, "unassigned")
	want = map[string][][2]int{}
	for k, v := range raw {
		var spans [][2]int
		if err := json.Unmarshal(v, &spans); err != nil {
			t.Fatal(err)
		}
		want[k] = spans
	}
	cps := allCodePoints()
	subject := string(cps)
	skip := map[rune]bool{}
	for _, r := range unassigned {
		for c := r[0]; c < r[1]; c++ {
			skip[c] = true
		}
	}
	// member turns spans (indexes into cps) into the set of code points.
	member := func(spans [][2]int) []bool {
		m := make([]bool, len(cps))
		for _, s := range spans {
			for i := s[0]; i < s[1]; i++ {
				m[i] = true
			}
		}
		return m
	}
	for key, spans := range want {
		p, mode, _ := strings.Cut(key, " ")
		f := ASCII
		if mode == "unicode" {
			f = Unicode
		}
		re := mustCompile(t, p, f)
		var got [][2]int
		ms, err := re.FindIter(subject, 0)
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		for _, m := range ms {
			s, e := m.Span(0)
			got = append(got, [2]int{s, e})
		}
		w, g := member(spans), member(got)
		var diff []string
		for i, c := range cps {
			if w[i] != g[i] && !skip[c] {
				diff = append(diff, fmt.Sprintf("U+%04X (python %v)", c, w[i]))
			}
		}
		if len(diff) > 0 {
			t.Errorf("%s: %d code points differ: %s", key, len(diff), strings.Join(diff[:min(len(diff), 10)], ", "))
		}
	}
}

// Compile and the matching methods are safe for concurrent use (run with
// -race).
func TestConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 50 {
				re, err := Compile(fmt.Sprintf(`(?P<n>\d+)-%d`, j%5), Unicode)
				if err != nil {
					t.Error(err)
					return
				}
				s := fmt.Sprintf("x %d-%d", i, j%5)
				m, err := re.Search(s, 0)
				if err != nil || m == nil {
					t.Errorf("%q on %q: %v %v", re.Pattern(), s, m, err)
					return
				}
				if _, err := re.Sub(s, `<\g<n>>`, 0); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
}

// TestCaseFolding holds case-insensitive literals under re.UNICODE against
// Python on every character with a case mapping: each must match exactly
// the characters with its lowercase (Python 2.7's rule). Python 3.7 also
// equates a few pairs whose lowercases differ (s and ſ); those are the only
// differences allowed, and the test checks that they are.
func TestCaseFolding(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping in -short mode")
	}
	if _, err := os.Stat(testenv.Python); err != nil {
		t.Skipf("skipping: %s not found", testenv.Python)
	}
	const script = `
import json, re, sys, unicodedata
cased = [chr(c) for c in range(0x110000) if not 0xd800 <= c <= 0xdfff and (chr(c).lower() != chr(c) or chr(c).upper() != chr(c))]
s = "".join(cased)
out = {}
for c in cased:
    out[c] = {"m": "".join(re.findall(re.escape(c), s, re.I | re.U)),
              "lower": [ord(x) for x in c.lower()],
              "cn": unicodedata.category(c) == "Cn"}
json.dump(out, sys.stdout)
`
	out, err := exec.Command(testenv.Python, "-c", script).Output()
	if err != nil {
		t.Fatalf("python: %v", err)
	}
	var want map[string]struct {
		M     string `json:"m"`
		Lower []rune `json:"lower"`
		Cn    bool   `json:"cn"`
	}
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	var subject strings.Builder
	var cased []string
	for c := range want {
		cased = append(cased, c)
	}
	slices.Sort(cased)
	for _, c := range cased {
		subject.WriteString(c)
	}
	py3Only, bad := 0, 0
	for _, c := range cased {
		w := want[c]
		re := mustCompile(t, Escape(c), IgnoreCase|Unicode)
		found, err := re.FindAll(subject.String(), 0)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, f := range found {
			got[f[0]] = true
		}
		pyGot := map[string]bool{}
		for _, x := range w.M {
			pyGot[string(x)] = true
		}
		for x := range pyGot {
			if got[x] {
				continue
			}
			// Python 3 only: the lowercases differ.
			if string(w.Lower) != string(want[x].Lower) {
				py3Only++
				continue
			}
			if !w.Cn && !want[x].Cn {
				bad++
				if bad < 10 {
					t.Errorf("(?iu)%q does not match %q (U+%04X), Python does", c, x, []rune(x)[0])
				}
			}
		}
		for x := range got {
			if !pyGot[x] && !w.Cn && !want[x].Cn {
				bad++
				if bad < 10 {
					t.Errorf("(?iu)%q matches %q (U+%04X), Python does not", c, x, []rune(x)[0])
				}
			}
		}
	}
	t.Logf("%d characters with a case mapping; %d pairs Python 3 equates beyond lowercase (Python 2.7 does not, nor pyre); %d other differences", len(cased), py3Only, bad)
}
