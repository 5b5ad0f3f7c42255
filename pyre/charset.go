package pyre

import (
	"slices"
	"sort"
	"sync"
	"unicode"
)

const maxRune = unicode.MaxRune

type runeRange struct{ lo, hi rune }

// charSet is a set of code points as sorted, disjoint, non-adjacent ranges.
// sym, when set, is an equivalent regexp2 class body that is shorter than
// the ranges (the Unicode categories); any change to the set clears it.
type charSet struct {
	r   []runeRange
	sym string
}

func (s *charSet) add(lo, hi rune) {
	s.sym = ""
	s.r = append(s.r, runeRange{lo, hi})
}

func (s *charSet) addSet(o *charSet) {
	s.sym = ""
	s.r = append(s.r, o.r...)
}

// norm sorts and merges the ranges.
func (s *charSet) norm() {
	if len(s.r) < 2 {
		return
	}
	sort.Slice(s.r, func(i, j int) bool { return s.r[i].lo < s.r[j].lo })
	out := s.r[:1]
	for _, x := range s.r[1:] {
		last := &out[len(out)-1]
		if x.lo <= last.hi+1 {
			if x.hi > last.hi {
				last.hi = x.hi
			}
			continue
		}
		out = append(out, x)
	}
	s.r = out
}

func (s *charSet) has(c rune) bool {
	i := sort.Search(len(s.r), func(i int) bool { return s.r[i].hi >= c })
	return i < len(s.r) && s.r[i].lo <= c
}

// negated returns the complement over every code point; s is normalized.
func (s *charSet) negated() *charSet {
	out := &charSet{}
	next := rune(0)
	for _, x := range s.r {
		if x.lo > next {
			out.r = append(out.r, runeRange{next, x.lo - 1})
		}
		next = x.hi + 1
	}
	if next <= maxRune {
		out.r = append(out.r, runeRange{next, maxRune})
	}
	return out
}

func (s *charSet) single() (rune, bool) {
	if len(s.r) == 1 && s.r[0].lo == s.r[0].hi {
		return s.r[0].lo, true
	}
	return 0, false
}

func (s *charSet) clone() *charSet {
	return &charSet{r: slices.Clone(s.r), sym: s.sym}
}

// The categories \d \w \s, ASCII and Unicode (Python 3's definitions:
// str.isdecimal, str.isalnum or "_", str.isspace), and their negations.
type category uint8

const (
	catDigit category = iota
	catNotDigit
	catSpace
	catNotSpace
	catWord
	catNotWord
)

var categoryOf = map[rune]category{'d': catDigit, 'D': catNotDigit, 's': catSpace, 'S': catNotSpace, 'w': catWord, 'W': catNotWord}

func fromTable(t ...*unicode.RangeTable) *charSet {
	s := &charSet{}
	for _, tab := range t {
		for _, r := range tab.R16 {
			for c := rune(r.Lo); c <= rune(r.Hi); c += rune(r.Stride) {
				if r.Stride == 1 {
					s.r = append(s.r, runeRange{rune(r.Lo), rune(r.Hi)})
					break
				}
				s.r = append(s.r, runeRange{c, c})
			}
		}
		for _, r := range tab.R32 {
			for c := rune(r.Lo); c <= rune(r.Hi); c += rune(r.Stride) {
				if r.Stride == 1 {
					s.r = append(s.r, runeRange{rune(r.Lo), rune(r.Hi)})
					break
				}
				s.r = append(s.r, runeRange{c, c})
			}
		}
	}
	s.norm()
	return s
}

var categorySets = sync.OnceValue(func() [2][6]*charSet {
	var out [2][6]*charSet
	// ASCII.
	d := &charSet{r: []runeRange{{'0', '9'}}}
	w := &charSet{r: []runeRange{{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}}}
	sp := &charSet{r: []runeRange{{'\t', '\r'}, {' ', ' '}}}
	out[0] = [6]*charSet{d, d.negated(), sp, sp.negated(), w, w.negated()}
	// Unicode.
	ud := fromTable(unicode.Nd)
	ud.sym = `\p{Nd}`
	uw := fromTable(unicode.L, unicode.N)
	uw.add('_', '_')
	uw.norm()
	uw.sym = `[\p{L}\p{N}_]`
	us := &charSet{r: []runeRange{{'\t', '\r'}, {0x1c, ' '}, {0x85, 0x85}, {0xa0, 0xa0}, {0x1680, 0x1680},
		{0x2000, 0x200a}, {0x2028, 0x2029}, {0x202f, 0x202f}, {0x205f, 0x205f}, {0x3000, 0x3000}}}
	nud, nuw := ud.negated(), uw.negated()
	// Not \P{Nd}: regexp2 v2.13.0 misjudges a \P class followed by a class
	// that overlaps it (\P{Nd}*\p{N} does not match "1").
	nud.sym, nuw.sym = `[^\p{Nd}]`, `[^\p{L}\p{N}_]`
	out[1] = [6]*charSet{ud, nud, us, us.negated(), uw, nuw}
	return out
})

func categorySet(c category, unicodeMode bool) *charSet {
	i := 0
	if unicodeMode {
		i = 1
	}
	return categorySets()[i][c]
}

// foldClasses maps every code point that shares its simple lowercase
// mapping with another code point to that class (Python 2.7's
// case-insensitive equality under re.UNICODE: lower(a) == lower(b)).
type foldTable struct {
	cased   []rune          // sorted
	classOf map[rune][]rune // lowercase -> members, sorted
}

var unicodeFolds = sync.OnceValue(func() *foldTable {
	byLower := map[rune][]rune{}
	for _, cr := range unicode.CaseRanges {
		for c := rune(cr.Lo); c <= rune(cr.Hi); c++ {
			if l := unicode.ToLower(c); l != c {
				if len(byLower[l]) == 0 {
					byLower[l] = []rune{l}
				}
				byLower[l] = append(byLower[l], c)
			}
		}
	}
	t := &foldTable{classOf: byLower}
	for _, members := range byLower {
		slices.Sort(members)
		t.cased = append(t.cased, members...)
	}
	slices.Sort(t.cased)
	t.cased = slices.Compact(t.cased)
	return t
})

// foldClosure returns the code points whose lowercase is the lowercase of a
// member of s: what a class matches under IGNORECASE (s is normalized).
func foldClosure(s *charSet, unicodeMode bool) *charSet {
	out := s.clone()
	out.sym = ""
	if !unicodeMode {
		for c := 'a'; c <= 'z'; c++ {
			if s.has(c) || s.has(c-'a'+'A') {
				out.add(c, c)
				out.add(c-'a'+'A', c-'a'+'A')
			}
		}
		out.norm()
		return out
	}
	ft := unicodeFolds()
	for _, c := range ft.cased {
		if s.has(c) {
			for _, m := range ft.classOf[unicode.ToLower(c)] {
				out.add(m, m)
			}
		}
	}
	out.norm()
	return out
}
