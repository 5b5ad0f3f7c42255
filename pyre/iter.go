package pyre

import (
	"strconv"
	"strings"
	"time"
)

// The functions that walk a string match by match follow Python 2.7's
// sre: after an empty match the next search starts one code point later;
// split never splits on an empty match; sub skips an empty match that
// touches the previous match. See the package doc for Python 3.7's rules.

// each calls fn for the matches of re in input from pos, as sre's scanner
// finds them, until fn returns false.
//
// The searches share one budget, MatchTimeout for every 64K code points
// of the string: each one is bounded by MatchTimeout, and the walk stops
// with ErrBacktrack once they have used the budget up, so that a slow
// pattern cannot take MatchTimeout at every position.
func (re *Regexp) each(input []rune, s string, pos int, fn func(*Match) bool) error {
	pos = clampPos(pos, len(input))
	deadline := time.Now().Add(MatchTimeout * time.Duration(1+len(input)>>16))
	for pos <= len(input) {
		m, err := re.find(re.search, input, s, pos)
		if err != nil {
			return err
		}
		if time.Now().After(deadline) {
			return re.backtrackErr()
		}
		if m == nil || !fn(m) {
			return nil
		}
		b, e := m.Span(0)
		if b == e {
			pos = e + 1
		} else {
			pos = e
		}
	}
	return nil
}

// FindIter is pattern.finditer(s, pos): every match, in order.
func (re *Regexp) FindIter(s string, pos int) ([]*Match, error) {
	var out []*Match
	err := re.each([]rune(s), s, pos, func(m *Match) bool {
		out = append(out, m)
		return true
	})
	return out, err
}

// FindAll is pattern.findall(s, pos), one item per match in Python's
// shape: with no group, the whole match; with one group, that group; with
// several, every group in order. A group that did not take part is "", as
// in Python.
func (re *Regexp) FindAll(s string, pos int) ([][]string, error) {
	var out [][]string
	err := re.each([]rune(s), s, pos, func(m *Match) bool {
		switch re.groups {
		case 0:
			out = append(out, []string{m.Group(0).Text})
		case 1:
			out = append(out, []string{m.Group(1).Text})
		default:
			item := make([]string, re.groups)
			for g := range item {
				item[g] = m.Group(g + 1).Text
			}
			out = append(out, item)
		}
		return true
	})
	return out, err
}

// Split is pattern.split(s, maxsplit) as Python 2.7 computed it: the text
// between matches, with every group of each match in between (Matched
// false, Python's None, for a group that did not take part). An empty
// match never splits. maxsplit 0 splits at every match; a negative one at
// none.
func (re *Regexp) Split(s string, maxsplit int) ([]Group, error) {
	input := []rune(s)
	var out []Group
	last, n := 0, 0
	piece := func(a, b int) Group { return Group{Matched: true, Text: string(input[a:b]), Start: a, End: b} }
	if maxsplit >= 0 {
		err := re.each(input, s, 0, func(m *Match) bool {
			if maxsplit > 0 && n >= maxsplit {
				return false
			}
			b, e := m.Span(0)
			if b == e {
				return true
			}
			out = append(out, piece(last, b))
			out = append(out, m.Groups()...)
			n++
			last = e
			return true
		})
		if err != nil {
			return nil, err
		}
	}
	return append(out, piece(last, len(input))), nil
}

// SplitStrings is Split with Python's None as nil.
func (re *Regexp) SplitStrings(s string, maxsplit int) ([]*string, error) {
	gs, err := re.Split(s, maxsplit)
	if err != nil {
		return nil, err
	}
	out := make([]*string, len(gs))
	for i, g := range gs {
		if g.Matched {
			t := g.Text
			out[i] = &t
		}
	}
	return out, nil
}

// Sub is pattern.sub(repl, s, count): s with the first count matches (all
// when count is 0, none when it is negative) replaced by the expansion of
// the Python template repl (\1, \g<1>, \g<name>, \g<0>, \n and the other
// escapes).
func (re *Regexp) Sub(s, repl string, count int) (string, error) {
	out, _, err := re.SubN(s, repl, count)
	return out, err
}

// SubN is pattern.subn: Sub and the number of replacements.
func (re *Regexp) SubN(s, repl string, count int) (string, int, error) {
	t, err := re.parseTemplate(repl)
	if err != nil {
		return "", 0, err
	}
	return re.subFunc(s, count, t.expand)
}

// SubFunc is pattern.sub with a function: each replaced match is replaced
// by what fn returns; an error from fn stops and is returned.
func (re *Regexp) SubFunc(s string, count int, fn func(*Match) (string, error)) (string, error) {
	out, _, err := re.subFunc(s, count, fn)
	return out, err
}

func (re *Regexp) subFunc(s string, count int, fn func(*Match) (string, error)) (string, int, error) {
	input := []rune(s)
	var b strings.Builder
	last, n := 0, 0
	var ferr error
	if count >= 0 {
		err := re.each(input, s, 0, func(m *Match) bool {
			if count > 0 && n >= count {
				return false
			}
			start, end := m.Span(0)
			if last < start {
				b.WriteString(string(input[last:start]))
			} else if last == start && start == end && n > 0 {
				return true
			}
			r, err := fn(m)
			if err != nil {
				ferr = err
				return false
			}
			b.WriteString(r)
			last = end
			n++
			return true
		})
		if err != nil {
			return "", 0, err
		}
		if ferr != nil {
			return "", 0, ferr
		}
	}
	b.WriteString(string(input[last:]))
	return b.String(), n, nil
}

// Expand is match.expand(template).
func (m *Match) Expand(template string) (string, error) {
	t, err := m.re.parseTemplate(template)
	if err != nil {
		return "", err
	}
	return t.expand(m)
}

// ---- replacement templates ----

type templatePart struct {
	lit   string
	group int // -1 for a literal
}

type template struct {
	parts []templatePart
}

// expand fills the template in; a group that did not take part is an
// error, as in Python 2.7 (Python 3.5 made it "").
func (t *template) expand(m *Match) (string, error) {
	var b strings.Builder
	for _, p := range t.parts {
		if p.group < 0 {
			b.WriteString(p.lit)
			continue
		}
		g := m.Group(p.group)
		if !g.Matched {
			return "", &Error{Kind: "error", Msg: "unmatched group", Pos: -1}
		}
		b.WriteString(g.Text)
	}
	return b.String(), nil
}

// parseTemplate is sre_parse.parse_template with Python 3.11's errors,
// except that an unknown escape stays as written (backslash and all), as
// Python 2.7 kept it.
func (re *Regexp) parseTemplate(repl string) (t *template, err error) {
	t = &template{}
	if !strings.Contains(repl, `\`) {
		t.parts = []templatePart{{lit: repl, group: -1}}
		return t, nil
	}
	p := &parser{pattern: repl, src: []rune(repl)}
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(*Error)
			if !ok {
				panic(r)
			}
			t, err = nil, e
		}
	}()
	p.advance()
	var lit strings.Builder
	addGroup := func(g, offset int) {
		if g > re.groups {
			p.fail("invalid group reference "+itoa(g), offset)
		}
		if lit.Len() > 0 {
			t.parts = append(t.parts, templatePart{lit: lit.String(), group: -1})
			lit.Reset()
		}
		t.parts = append(t.parts, templatePart{group: g})
	}
	for {
		this, ok := p.get()
		if !ok {
			break
		}
		if this[0] != '\\' {
			lit.WriteString(this)
			continue
		}
		c := []rune(this)[1]
		switch {
		case c == 'g':
			if !p.match("<") {
				p.fail("missing <", 0)
			}
			name := p.getUntil(">", "group name")
			var g int
			if isIdentifier(name) {
				var ok bool
				g, ok = re.groupDict[name]
				if !ok {
					panic(&Error{Kind: "IndexError", Msg: "unknown group name " + repr(name), Pos: -1})
				}
			} else {
				v, ok := pyInt(name)
				if !ok || v < 0 {
					p.fail("bad character in group name "+repr(name), rlen(name)+1)
				}
				g = v
			}
			addGroup(g, rlen(name)+1)
		case c == '0':
			if p.nextIn(octDigits) {
				this += p.next
				p.advance()
				if p.nextIn(octDigits) {
					this += p.next
					p.advance()
				}
			}
			v, _ := strconv.ParseInt(this[1:], 8, 32)
			lit.WriteRune(rune(v & 0xff))
		case c >= '1' && c <= '9':
			octal := false
			if p.nextIn(digits) {
				this += p.next
				p.advance()
				if c <= '7' && this[2] <= '7' && p.nextIn(octDigits) {
					this += p.next
					p.advance()
					octal = true
					v, _ := strconv.ParseInt(this[1:], 8, 32)
					if v > 0o377 {
						p.fail("octal escape value "+this+" outside of range 0-0o377", rlen(this))
					}
					lit.WriteRune(rune(v))
				}
			}
			if !octal {
				g, _ := strconv.Atoi(this[1:])
				addGroup(g, rlen(this)-1)
			}
		default:
			if e, ok := templateEscapes[c]; ok {
				lit.WriteRune(e)
			} else {
				lit.WriteString(this)
			}
		}
	}
	if lit.Len() > 0 {
		t.parts = append(t.parts, templatePart{lit: lit.String(), group: -1})
	}
	return t, nil
}

var templateEscapes = map[rune]rune{'a': 7, 'b': 8, 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v', '\\': '\\'}

// Escape is re.escape as Python 2.7 wrote it: a backslash before every
// character but the ASCII letters and digits, and NUL as \000. (Python
// 3.7 escapes only the characters special in patterns.)
func Escape(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
			b.WriteRune(c)
		case c == 0:
			b.WriteString(`\000`)
		default:
			b.WriteByte('\\')
			b.WriteRune(c)
		}
	}
	return b.String()
}
