package pyre

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"
	"time"

	"github.com/dlclark/regexp2/v2"
)

// MatchTimeout bounds one search of one pattern on one string. Past it the
// match fails with an error that wraps ErrBacktrack.
const MatchTimeout = time.Second

// backtrackStack is regexp2's bound on one match's backtracking stack, in
// integer slots (its default); past it a match fails with ErrBacktrack.
const backtrackStack = 100_000

// Regexp is a compiled Python pattern, safe for concurrent use.
type Regexp struct {
	pattern   string
	flags     Flags // as given and as set inline
	groups    int
	groupDict map[string]int
	names     []string // group number -> name, "" for none
	source    string   // the translation, in regexp2's syntax

	search, anchored, full func() (*regexp2.Regexp, error)
}

type cacheKey struct {
	pattern string
	flags   Flags
}

type cacheEntry struct {
	re  *Regexp
	err error
}

// cacheMax bounds the cache: past it, the cache starts over. Templates
// hold a few hundred patterns at most.
const cacheMax = 4096

var cache struct {
	sync.Mutex
	m map[cacheKey]cacheEntry
}

// Compile compiles a Python pattern with Python's flags (re.compile).
// Compiled patterns are cached. The error of an invalid pattern is an
// *Error with Python's message and position.
func Compile(pattern string, flags Flags) (*Regexp, error) {
	key := cacheKey{pattern, flags}
	cache.Lock()
	e, ok := cache.m[key]
	cache.Unlock()
	if ok {
		return e.re, e.err
	}
	re, err := compile(pattern, flags)
	cache.Lock()
	if cache.m == nil || len(cache.m) >= cacheMax {
		cache.m = map[cacheKey]cacheEntry{}
	}
	cache.m[key] = cacheEntry{re, err}
	cache.Unlock()
	return re, err
}

func compile(pattern string, flags Flags) (*Regexp, error) {
	if flags&^allFlags != 0 {
		return nil, &Error{Kind: "ValueError", Msg: fmt.Sprintf("unknown flags %#x", uint16(flags&^allFlags)), Pos: -1}
	}
	res, err := parse(pattern, flags)
	if err != nil {
		var pe *Error
		if errors.As(err, &pe) && pe.Pattern == "" && pe.Pos >= 0 {
			pe.Pattern = pattern
		}
		return nil, err
	}
	re := &Regexp{pattern: pattern, flags: res.flags, groups: res.groups, groupDict: res.groupDict,
		names: make([]string, res.groups+1), source: emit(res.seq)}
	for n, g := range res.groupDict {
		re.names[g] = n
	}
	re.search = lazyCompile(re.source)
	re.anchored = lazyCompile(`\G(?:` + re.source + `)`)
	re.full = lazyCompile(`\G(?:` + re.source + `)\z`)
	// The three forms compile on first use: allowed_pattern needs only the
	// anchored one, yaql only the search. A translation regexp2 refused
	// would be a bug here, reported by the method that needed it.
	return re, nil
}

func lazyCompile(src string) func() (*regexp2.Regexp, error) {
	return sync.OnceValues(func() (*regexp2.Regexp, error) {
		r, err := regexp2.Compile(src, regexp2.OptionMaxBacktrackingStackSize(backtrackStack))
		if err != nil {
			return nil, fmt.Errorf("pyre: internal error: the translation %q does not compile: %v", src, err)
		}
		r.MatchTimeout = MatchTimeout
		return r, nil
	})
}

// Pattern is the pattern as given.
func (re *Regexp) Pattern() string { return re.pattern }

// Flags are the flags given and those set inline (pattern.flags, without
// the re.UNICODE Python 3 adds by itself).
func (re *Regexp) Flags() Flags { return re.flags }

// NumGroups is the number of capture groups (pattern.groups).
func (re *Regexp) NumGroups() int { return re.groups }

// GroupIndex maps group names to numbers (pattern.groupindex).
func (re *Regexp) GroupIndex() map[string]int { return maps.Clone(re.groupDict) }

// String is the pattern.
func (re *Regexp) String() string { return re.pattern }

// Match is one match: the spans of its groups in code points.
type Match struct {
	re    *Regexp
	input []rune
	str   string
	// spans holds start and end of each group, -1 for a group that did
	// not take part.
	spans []int
	// Pos is where the search started (match.pos).
	Pos int
}

// Group is one group of a match, or a piece of Split's result: its text
// and span in code points; Matched is false (Python's None) when the group
// did not take part in the match.
type Group struct {
	Matched    bool
	Text       string
	Start, End int
}

func (re *Regexp) matchErr(err error) error {
	if errors.Is(err, regexp2.ErrBacktrackingStackLimit) || isTimeout(err) {
		return re.backtrackErr()
	}
	return err
}

func (re *Regexp) backtrackErr() error {
	p := re.pattern
	if r := []rune(p); len(r) > 100 {
		p = string(r[:100]) + "..."
	}
	return fmt.Errorf("pattern %q: %w (more than %v or %d stack slots; the pattern backtracks catastrophically on this string)", p, ErrBacktrack, MatchTimeout, backtrackStack)
}

// isTimeout recognizes regexp2's timeout, which has no type of its own.
func isTimeout(err error) bool {
	return strings.HasPrefix(err.Error(), "match timeout")
}

func clampPos(pos, n int) int {
	return max(0, min(pos, n))
}

// find runs prog on input from pos and returns the match, or nil.
func (re *Regexp) find(prog func() (*regexp2.Regexp, error), input []rune, s string, pos int) (*Match, error) {
	r, err := prog()
	if err != nil {
		return nil, err
	}
	var m *Match
	start := time.Now()
	for try := 0; ; try++ {
		err = r.FindRunesMatches(input, pos, re.view(&m, input, s, pos))
		// regexp2 measures time with a clock goroutine that ticks every
		// 100ms; on a loaded machine it can lag, and a search then times
		// out at once. A timeout well before MatchTimeout is that: search
		// again, the clock has caught up.
		if err == nil || !isTimeout(err) || try == 2 || time.Since(start) > MatchTimeout/2 {
			break
		}
	}
	if err != nil {
		return nil, re.matchErr(err)
	}
	return m, nil
}

// view copies the spans of the first match into *m.
func (re *Regexp) view(m **Match, input []rune, s string, pos int) func(regexp2.MatchView) bool {
	return func(v regexp2.MatchView) bool {
		mm := &Match{re: re, input: input, str: s, spans: make([]int, 2*(re.groups+1)), Pos: pos}
		for g := 0; g <= re.groups; g++ {
			i, l, ok := v.GroupRange(g)
			if !ok {
				mm.spans[2*g], mm.spans[2*g+1] = -1, -1
				continue
			}
			mm.spans[2*g], mm.spans[2*g+1] = i, i+l
		}
		*m = mm
		return false
	}
}

// Search is pattern.search(s, pos): the first match at or after pos (a
// code point offset, clamped to the string as Python does), or nil.
func (re *Regexp) Search(s string, pos int) (*Match, error) {
	in := []rune(s)
	return re.find(re.search, in, s, clampPos(pos, len(in)))
}

// Match is pattern.match(s, pos): a match that starts at pos, or nil.
func (re *Regexp) Match(s string, pos int) (*Match, error) {
	in := []rune(s)
	return re.find(re.anchored, in, s, clampPos(pos, len(in)))
}

// FullMatch is pattern.fullmatch(s, pos): a match from pos to the end of
// s, or nil.
func (re *Regexp) FullMatch(s string, pos int) (*Match, error) {
	in := []rune(s)
	return re.find(re.full, in, s, clampPos(pos, len(in)))
}

// MatchString reports whether the pattern matches somewhere in s
// (re.search(...) is not None: yaql's matches and =~).
func (re *Regexp) MatchString(s string) (bool, error) {
	m, err := re.Search(s, 0)
	return m != nil, err
}

// ---- Match ----

// NumGroups is the pattern's number of groups.
func (m *Match) NumGroups() int { return m.re.groups }

// Span is match.span(g) in code points: (-1, -1) for a group that did not
// take part or that does not exist.
func (m *Match) Span(g int) (start, end int) {
	if g < 0 || g > m.re.groups {
		return -1, -1
	}
	return m.spans[2*g], m.spans[2*g+1]
}

// Start is match.start(g).
func (m *Match) Start(g int) int { s, _ := m.Span(g); return s }

// End is match.end(g).
func (m *Match) End(g int) int { _, e := m.Span(g); return e }

// Group returns group g (0 is the whole match); Matched is false for a
// group that did not take part or does not exist.
func (m *Match) Group(g int) Group {
	s, e := m.Span(g)
	if s < 0 {
		return Group{Start: -1, End: -1}
	}
	return Group{Matched: true, Text: string(m.input[s:e]), Start: s, End: e}
}

// Named returns the group called name; ok is false when there is none.
func (m *Match) Named(name string) (Group, bool) {
	g, ok := m.re.groupDict[name]
	if !ok {
		return Group{Start: -1, End: -1}, false
	}
	return m.Group(g), true
}

// String is the text of the whole match (match.group()).
func (m *Match) String() string { return m.Group(0).Text }

// Groups is match.groups(): groups 1 to NumGroups.
func (m *Match) Groups() []Group {
	out := make([]Group, m.re.groups)
	for g := range out {
		out[g] = m.Group(g + 1)
	}
	return out
}

// GroupDict is match.groupdict(): the named groups.
func (m *Match) GroupDict() map[string]Group {
	out := make(map[string]Group, len(m.re.groupDict))
	for n, g := range m.re.groupDict {
		out[n] = m.Group(g)
	}
	return out
}

// GroupName is the name of group g, "" when it has none.
func (m *Match) GroupName(g int) string {
	if g < 0 || g > m.re.groups {
		return ""
	}
	return m.re.names[g]
}

// Subject is the string searched.
func (m *Match) Subject() string { return m.str }

// Regexp is the pattern that matched.
func (m *Match) Regexp() *Regexp { return m.re }
