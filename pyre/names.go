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

// lookupRuneName is unicodedata.lookup for single code points: the name is
// matched without regard to case.
func lookupRuneName(name string) (rune, bool) {
	up := strings.ToUpper(name)
	if h, ok := strings.CutPrefix(up, "CJK UNIFIED IDEOGRAPH-"); ok && (len(h) == 4 || len(h) == 5) {
		v, err := strconv.ParseUint(h, 16, 32)
		if err == nil && unicode.Is(unicode.Unified_Ideograph, rune(v)) && strings.ToUpper(strconv.FormatUint(v, 16)) == h {
			return rune(v), true
		}
		return 0, false
	}
	if syl, ok := strings.CutPrefix(up, "HANGUL SYLLABLE "); ok {
		return hangul(syl)
	}
	r, ok := runeNames()[up]
	return r, ok
}

var (
	jamoL = []string{"G", "GG", "N", "D", "DD", "R", "M", "B", "BB", "S", "SS", "", "J", "JJ", "C", "K", "T", "P", "H"}
	jamoV = []string{"A", "AE", "YA", "YAE", "EO", "E", "YEO", "YE", "O", "WA", "WAE", "OE", "YO", "U", "WEO", "WE", "WI", "YU", "EU", "YI", "I"}
	jamoT = []string{"", "G", "GG", "GS", "N", "NJ", "NH", "D", "L", "LG", "LM", "LB", "LS", "LT", "LP", "LH", "M", "B", "BS", "S", "SS", "NG", "J", "C", "K", "T", "P", "H"}
)

// hangul is the code point of a Hangul syllable named by its jamo.
func hangul(syl string) (rune, bool) {
	for l, ls := range jamoL {
		rest, ok := strings.CutPrefix(syl, ls)
		if !ok {
			continue
		}
		for v, vs := range jamoV {
			rest2, ok := strings.CutPrefix(rest, vs)
			if !ok {
				continue
			}
			for t, ts := range jamoT {
				if rest2 == ts {
					return rune(0xAC00 + (l*21+v)*28 + t), true
				}
			}
		}
	}
	return 0, false
}
