package pyre

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// describe renders a match as Python prints span() and groups().
func describe(m *Match) string {
	if m == nil {
		return "None"
	}
	var gs []string
	for _, g := range m.Groups() {
		if g.Matched {
			gs = append(gs, fmt.Sprintf("%q", g.Text))
		} else {
			gs = append(gs, "None")
		}
	}
	s, e := m.Span(0)
	return fmt.Sprintf("(%d, %d) (%s)", s, e, strings.Join(gs, ", "))
}

func mustCompile(t *testing.T, p string, f Flags) *Regexp {
	t.Helper()
	re, err := Compile(p, f)
	if err != nil {
		t.Fatalf("Compile(%q): %v", p, err)
	}
	return re
}

// The expected values are what Python 3.11 prints for re.search.
func TestSearch(t *testing.T) {
	for _, c := range []struct{ p, s, want string }{
		{`^((?!balance.tcp).)*$`, "roundrobin", `(0, 10) ("n")`},
		{`^((?!balance.tcp).)*$`, "balance-tcp", `None`},
		{`(?P<a>x+)-(?P=a)`, "y xx-xx", `(2, 7) ("xx")`},
		{`a|ab`, "ab", `(0, 1) ()`},
		{`(?<=\$)\d+`, "cost $42", `(6, 8) ()`},
		{`(?<!\$)\b\d+`, "$42 and 17", `(8, 10) ()`},
		{`(a)(b)?`, "ac", `(0, 1) ("a", None)`},
		{`(?i)HeLLo`, "say hello", `(4, 9) ()`},
		{`x*`, "axxb", `(0, 0) ()`},
		{`\Aab\Z`, "ab\n", `None`},
		{`ab$`, "ab\n", `(0, 2) ()`},
		{`(?m)^b$`, "a\nb\nc", `(2, 3) ()`},
		{`[^\W\d]+`, "ab12cd", `(0, 2) ()`},
		{`(\d+)(?(1)px|em)`, "w 12px", `(2, 6) ("12")`},
		{`\x41\101\u0042`, "xAAB", `(1, 4) ()`},
		{`a{,2}`, "aaa", `(0, 2) ()`},
		{`é+(.)`, "ééé€x", `(0, 4) ("€")`},
	} {
		re := mustCompile(t, c.p, 0)
		m, err := re.Search(c.s, 0)
		if err != nil {
			t.Errorf("%q.Search(%q): %v", c.p, c.s, err)
			continue
		}
		if got := describe(m); got != c.want {
			t.Errorf("%q.Search(%q) = %s, want %s (translation %s)", c.p, c.s, got, c.want, re.source)
		}
	}
}

func TestMatchAnchors(t *testing.T) {
	re := mustCompile(t, `a|ab`, 0)
	m, _ := re.Match("ab", 0)
	if describe(m) != "(0, 1) ()" {
		t.Errorf("match: %s", describe(m))
	}
	m, _ = re.FullMatch("ab", 0)
	if describe(m) != "(0, 2) ()" {
		t.Errorf("fullmatch: %s", describe(m))
	}
	m, _ = re.Match("xab", 1)
	if describe(m) != "(1, 2) ()" {
		t.Errorf("match at 1: %s", describe(m))
	}
	if m, _ := mustCompile(t, `^b`, 0).Match("ab", 1); m != nil {
		t.Errorf("^ matched at pos 1: %s", describe(m))
	}
	if m, _ := mustCompile(t, `(?<=a)b`, 0).Match("ab", 1); m == nil {
		t.Errorf("a lookbehind does not see before pos")
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct{ p, want string }{
		{"(abc", "missing ), unterminated subpattern at position 0"},
		{"ab(c", "missing ), unterminated subpattern at position 2"},
		{"a**", "multiple repeat at position 2"},
		{`\8`, "invalid group reference 8 at position 1"},
		{"[a", "unterminated character set at position 0"},
		{`(?<=a+)b`, "look-behind requires fixed-width pattern"},
		{"x{2,1}", "min repeat greater than max repeat at position 2"},
		{"*", "nothing to repeat at position 0"},
		{")", "unbalanced parenthesis at position 0"},
		{`(?P<a>x)(?P<a>y)`, "redefinition of group name 'a' as group 2; was group 1 at position 12"},
		{`(?P=b)`, "unknown group name 'b' at position 4"},
		{"a\n(", "missing ), unterminated subpattern at position 2 (line 2, column 1)"},
		{`\`, "bad escape (end of pattern) at position 0"},
		{`\u12`, "incomplete escape \\u12 at position 0"},
	} {
		_, err := Compile(c.p, 0)
		var pe *Error
		if !errors.As(err, &pe) || err.Error() != c.want {
			t.Errorf("Compile(%q) = %v, want %q", c.p, err, c.want)
		}
	}
}

func TestSplitSub(t *testing.T) {
	re := mustCompile(t, `(?:https?://)?(.*?)/(.*)`, Unicode)
	got, err := re.SplitStrings("http://host:8787/tripleo/image", 0)
	if err != nil {
		t.Fatal(err)
	}
	var strs []string
	for _, s := range got {
		strs = append(strs, *s)
	}
	if want := []string{"", "host:8787", "tripleo/image", ""}; !slices.Equal(strs, want) {
		t.Errorf("split = %q, want %q", strs, want)
	}
	re = mustCompile(t, `([a-z0-9])([A-Z])`, Unicode)
	if s, err := re.Sub("NovaComputeDPDK", `\1_\2`, 0); err != nil || s != "Nova_Compute_DPDK" {
		t.Errorf("sub = %q, %v", s, err)
	}
	// Python 2.7: an empty match never splits.
	sp, _ := mustCompile(t, `x*`, 0).SplitStrings("axbc", 0)
	if len(sp) != 2 || *sp[0] != "a" || *sp[1] != "bc" {
		t.Errorf("split on x* = %v", sp)
	}
	// Python 2.7: no empty match right after a match in sub.
	if s, _ := mustCompile(t, `x*`, 0).Sub("abxd", "-", 0); s != "-a-b-d-" {
		t.Errorf("sub x* = %q, want %q", s, "-a-b-d-")
	}
	if _, err := mustCompile(t, `(a)|b`, 0).Sub("b", `\1`, 0); err == nil || err.Error() != "unmatched group" {
		t.Errorf("sub of an unmatched group: %v", err)
	}
	if _, err := mustCompile(t, `(a)`, 0).Sub("b", `\2`, 0); err == nil || err.Error() != "invalid group reference 2 at position 1" {
		t.Errorf("sub of a missing group: %v", err)
	}
}

func TestFindAll(t *testing.T) {
	got, _ := mustCompile(t, `(\w)=(\d)?`, 0).FindAll("a=1 b= c=3", 0)
	if fmt.Sprint(got) != "[[a 1] [b ] [c 3]]" {
		t.Errorf("findall = %v", got)
	}
	got, _ = mustCompile(t, `\d`, 0).FindAll("a1b22", 0)
	if fmt.Sprint(got) != "[[1] [2] [2]]" {
		t.Errorf("findall = %v", got)
	}
}

// Python 2.7 (and 3.6) resume one code point after an empty match: the
// example of Python 3.7's changelog.
func TestFindAllAfterEmptyMatch(t *testing.T) {
	got, _ := mustCompile(t, `^|\w+`, 0).FindAll("two words", 0)
	if fmt.Sprint(got) != "[[] [wo] [words]]" {
		t.Errorf("findall = %q, want Python 2.7's ['', 'wo', 'words']", got)
	}
}

func TestEscape(t *testing.T) {
	if got := Escape("a_b.c-1 é\x00"); got != `a\_b\.c\-1\ \é\000` {
		t.Errorf("Escape = %q", got)
	}
}

func TestBacktrackLimit(t *testing.T) {
	re := mustCompile(t, `(x+x+)+y`, 0)
	_, err := re.Search(strings.Repeat("x", 40), 0)
	if !errors.Is(err, ErrBacktrack) {
		t.Fatalf("err = %v, want ErrBacktrack", err)
	}
}
