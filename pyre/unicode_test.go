package pyre

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
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
out = {"unassigned": [c for c in range(0x110000) if unicodedata.category(chr(c)) == "Cn"]}
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
	var unassigned []rune
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
	for _, c := range unassigned {
		skip[c] = true
	}
	// member turns spans (indexes into cps) into the set of code points.
	member := func(spans [][2]int) map[rune]bool {
		m := map[rune]bool{}
		for _, s := range spans {
			for i := s[0]; i < s[1]; i++ {
				m[cps[i]] = true
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
		for _, c := range cps {
			if w[c] != g[c] && !skip[c] {
				diff = append(diff, fmt.Sprintf("U+%04X (python %v)", c, w[c]))
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
