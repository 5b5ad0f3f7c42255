package pyre

import (
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/dlclark/regexp2/v2"
)

// FuzzCompileMatch: any pattern, flags and subject give a result or an
// error, never a panic or a hang (the backtracking limits bound each
// search).
func FuzzCompileMatch(f *testing.F) {
	for _, s := range []struct {
		p, s string
		fl   uint16
	}{
		{`^((?!balance.tcp).)*$`, "roundrobin", 0},
		{`(?P<a>x+)(?P=a)`, "xxxx", 0},
		{`(?<=\$)\d+(?(1)a|b)`, "$12", 0},
		{`(?i)[\w.-]+@\S+`, "A@b", 32},
		{`(x+x+)+y`, "xxxxxxxxxxxxxxxxxxxxxxxxxxxx", 0},
		{`\N{EM DASH}{,3}\b`, "——", 0},
		{`(?x) a # c`, "a", 64},
		{`(a)|b`, "b", 0},
		{`x*`, "axxb", 0},
		{`[^\W\d]{2,}+`, "ab1", 32},
	} {
		f.Add(s.p, s.s, s.fl, `\1-\g<0>`)
	}
	f.Fuzz(func(t *testing.T, pattern, subject string, flags uint16, repl string) {
		if len(pattern) > 200 || len(subject) > 200 {
			return
		}
		re, err := Compile(pattern, Flags(flags)&^Locale)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("Compile(%q): an error that is not Python's: %v", pattern, err)
			}
			return
		}
		for _, prog := range []func() (*regexp2.Regexp, error){re.search, re.anchored, re.full} {
			if _, err := prog(); err != nil {
				t.Fatalf("Compile(%q): the translation does not compile: %v", pattern, err)
			}
		}
		n := utf8.RuneCountInString(subject)
		check := func(m *Match, err error) {
			if err != nil && !errors.Is(err, ErrBacktrack) {
				t.Fatalf("%q on %q: %v", pattern, subject, err)
			}
			if m == nil {
				return
			}
			for g := 0; g <= m.NumGroups(); g++ {
				s, e := m.Span(g)
				if s < -1 || e > n || s > e {
					t.Fatalf("%q on %q: group %d span (%d, %d)", pattern, subject, g, s, e)
				}
			}
		}
		check(re.Search(subject, 0))
		check(re.Match(subject, 1))
		check(re.FullMatch(subject, 0))
		if _, err := re.Split(subject, 0); err != nil && !errors.Is(err, ErrBacktrack) {
			t.Fatal(err)
		}
		if _, err := re.FindAll(subject, 0); err != nil && !errors.Is(err, ErrBacktrack) {
			t.Fatal(err)
		}
		if _, err := re.Sub(subject, repl, 0); err != nil && !errors.Is(err, ErrBacktrack) {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("Sub(%q): %v", repl, err)
			}
		}
	})
}
