package pyre

import (
	"strconv"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/runenames"
)

// runeNames maps upper-case Unicode character names to code points, built
// on the first \N{...}.
var runeNames = sync.OnceValue(func() map[string]rune {
	m := make(map[string]rune, 40000)
	for _, t := range []*unicode.RangeTable{unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.C} {
		for _, r := range t.R16 {
			for c := rune(r.Lo); c <= rune(r.Hi); c += rune(r.Stride) {
				addName(m, c)
			}
		}
		for _, r := range t.R32 {
			for c := rune(r.Lo); c <= rune(r.Hi); c += rune(r.Stride) {
				addName(m, c)
			}
		}
	}
	return m
})

func addName(m map[string]rune, c rune) {
	n := runenames.Name(c)
	if n == "" || strings.HasPrefix(n, "<") {
		return
	}
	if _, ok := m[n]; !ok {
		m[n] = c
	}
}

// lookupRuneName is unicodedata.lookup for single code points.
func lookupRuneName(name string) (rune, bool) {
	// As CPython: other names are matched without regard to case, the
	// algorithmic ones (ideographs, Hangul syllables) only in upper case.
	if strings.HasPrefix(name, "CJK UNIFIED IDEOGRAPH-") {
		h := name[len("CJK UNIFIED IDEOGRAPH-"):]
		if len(h) != 4 && len(h) != 5 || strings.ToUpper(h) != h {
			return 0, false
		}
		v, err := strconv.ParseUint(h, 16, 32)
		if err == nil && unicode.Is(unicode.Unified_Ideograph, rune(v)) {
			return rune(v), true
		}
		return 0, false
	}
	if strings.HasPrefix(name, "HANGUL SYLLABLE ") {
		return hangul(name[len("HANGUL SYLLABLE "):])
	}
	r, ok := runeNames()[strings.ToUpper(name)]
	return r, ok
}

var (
	jamoL = []string{"G", "GG", "N", "D", "DD", "R", "M", "B", "BB", "S", "SS", "", "J", "JJ", "C", "K", "T", "P", "H"}
	jamoV = []string{"A", "AE", "YA", "YAE", "EO", "E", "YEO", "YE", "O", "WA", "WAE", "OE", "YO", "U", "WEO", "WE", "WI", "YU", "EU", "YI", "I"}
	jamoT = []string{"", "G", "GG", "GS", "N", "NJ", "NH", "D", "L", "LG", "LM", "LB", "LS", "LT", "LP", "LH", "M", "B", "BS", "S", "SS", "NG", "J", "C", "K", "T", "P", "H"}
)

// hangul is the code point of a Hangul syllable named by its jamo, read as
// CPython reads them: the longest initial, then the longest vowel, then the
// longest final, which must end the name.
func hangul(syl string) (rune, bool) {
	longest := func(s string, jamo []string) (int, int) {
		best, n := -1, -1
		for i, j := range jamo {
			if len(j) > n && strings.HasPrefix(s, j) {
				best, n = i, len(j)
			}
		}
		return best, max(n, 0)
	}
	l, n := longest(syl, jamoL)
	syl = syl[n:]
	v, n := longest(syl, jamoV)
	syl = syl[n:]
	t, n := longest(syl, jamoT)
	if l < 0 || v < 0 || t < 0 || n != len(syl) {
		return 0, false
	}
	return rune(0xAC00 + (l*21+v)*28 + t), true
}
