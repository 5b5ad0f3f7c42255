package pyre

import (
	"strconv"
	"strings"
	"unicode"
)

// The parser reads Python's pattern syntax into a tree, with Python 3.11's
// checks, error messages and positions (code points), and Python 2.7's
// acceptance of global flags anywhere in the pattern.

// maxRepeat is _sre.MAXREPEAT: repeat counts must be below it, and it
// stands for "no upper bound".
const maxRepeat = 1<<32 - 1

type nodeKind uint8

const (
	nSet    nodeKind = iota // one code point of set
	nAt                     // an anchor
	nGroup                  // a capture group
	nPlain                  // (?:...) and scoped flags
	nAtomic                 // (?>...)
	nAssert                 // lookahead, lookbehind
	nRef                    // a backreference
	nCond                   // (?(group)yes|no)
	nRepeat                 // a repeat of sub
	nAlt                    // alternatives
)

type atKind uint8

const (
	atBeginning       atKind = iota // ^
	atBeginningString               // \A
	atEnd                           // $
	atEndString                     // \Z
	atBoundary                      // \b
	atNonBoundary                   // \B
)

type repeatMode uint8

const (
	greedy repeatMode = iota
	lazy
	possessive
)

type node struct {
	kind      nodeKind
	set       *charSet
	at        atKind
	flags     Flags // in effect at an anchor, a backreference
	group     int
	sub       []*node
	alts      [][]*node
	no        []*node
	hasNo     bool
	behind    bool
	neg       bool
	min, max  int64
	mode      repeatMode
	width     [2]int64
	widthDone bool
}

type parser struct {
	pattern string
	src     []rune
	// the tokenizer: next is the lookahead token (one code point, or a
	// backslash and the code point after it), index the offset after it.
	index   int
	next    string
	nextLen int
	hasNext bool

	flags       Flags // state.flags: the global flags
	groups      int   // groups opened, plus one
	closed      []bool
	groupWidth  [][2]int64
	groupDict   map[string]int
	lookbehind  int // the first group of the lookbehind being parsed, or -1
	condRefs    []int
	condRefPos  map[int]int
	lateGlobals bool // global flags after the start (Python 2.7 allowed them)
}

type parseResult struct {
	seq       []*node
	flags     Flags
	groups    int // Python's pattern.groups
	groupDict map[string]int
}

// parse parses pattern with the flags given to compile.
func parse(pattern string, flags Flags) (res *parseResult, err error) {
	res, late, err := parseOnce(pattern, flags)
	if err == nil && late && res.flags != flags {
		// Python 2.7 applied global flags found anywhere to the whole
		// pattern (and parsed it again when one was (?x)).
		res, _, err = parseOnce(pattern, res.flags)
	}
	return res, err
}

func parseOnce(pattern string, flags Flags) (res *parseResult, late bool, err error) {
	p := &parser{pattern: pattern, src: []rune(pattern), flags: flags, groups: 1,
		closed: []bool{false}, groupWidth: [][2]int64{{0, 0}}, groupDict: map[string]int{},
		lookbehind: -1, condRefPos: map[int]int{}}
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(*Error)
			if !ok {
				panic(r)
			}
			res, err = nil, e
		}
	}()
	p.advance()
	seq := p.parseSub(flags, 0)
	p.fixFlags()
	if p.hasNext {
		p.fail("unbalanced parenthesis", 0)
	}
	for _, g := range p.condRefs {
		if g >= p.groups {
			panic(&Error{Kind: "error", Msg: "invalid group reference " + itoa(g), Pattern: pattern, Pos: p.condRefPos[g]})
		}
	}
	if e := checkLookbehinds(seq, p); e != nil {
		return nil, false, e
	}
	return &parseResult{seq: seq, flags: p.flags, groups: p.groups - 1, groupDict: p.groupDict}, p.lateGlobals, nil
}

// fixFlags is sre_parse.fix_flags for a str pattern, without Python 3's
// implicit re.UNICODE (Python 2.7 had none; see the package doc).
func (p *parser) fixFlags() {
	if p.flags&Locale != 0 {
		panic(&Error{Kind: "ValueError", Msg: "cannot use LOCALE flag with a str pattern", Pos: -1})
	}
	if p.flags&ASCII != 0 && p.flags&Unicode != 0 {
		panic(&Error{Kind: "ValueError", Msg: "ASCII and UNICODE flags are incompatible", Pos: -1})
	}
}

// ---- the tokenizer ----

func (p *parser) advance() {
	if p.index >= len(p.src) {
		p.hasNext, p.next, p.nextLen = false, "", 0
		return
	}
	c := p.src[p.index]
	if c == '\\' {
		if p.index+1 >= len(p.src) {
			panic(&Error{Kind: "error", Msg: "bad escape (end of pattern)", Pattern: p.pattern, Pos: len(p.src) - 1})
		}
		p.next, p.nextLen = string(p.src[p.index:p.index+2]), 2
		p.index += 2
	} else {
		p.next, p.nextLen = string(c), 1
		p.index++
	}
	p.hasNext = true
}

// get returns the lookahead token and moves on; ok is false at the end.
func (p *parser) get() (string, bool) {
	if !p.hasNext {
		return "", false
	}
	t := p.next
	p.advance()
	return t, true
}

func (p *parser) match(s string) bool {
	if p.hasNext && p.next == s {
		p.advance()
		return true
	}
	return false
}

func (p *parser) tell() int { return p.index - p.nextLen }

func (p *parser) seek(i int) {
	p.index = i
	p.advance()
}

// nextIn reports whether the lookahead is one code point of chars.
func (p *parser) nextIn(chars string) bool {
	return p.hasNext && p.nextLen == 1 && strings.Contains(chars, p.next)
}

func (p *parser) getWhile(n int, chars string) string {
	var b strings.Builder
	for i := 0; i < n && p.nextIn(chars); i++ {
		b.WriteString(p.next)
		p.advance()
	}
	return b.String()
}

func (p *parser) getUntil(term, name string) string {
	var b strings.Builder
	n := 0
	for {
		c, ok := p.next, p.hasNext
		p.advance()
		if !ok {
			if n == 0 {
				p.fail("missing "+name, 0)
			}
			p.fail("missing "+term+", unterminated name", n)
		}
		if c == term {
			if n == 0 {
				p.fail("missing "+name, 1)
			}
			break
		}
		b.WriteString(c)
		n += len([]rune(c))
	}
	return b.String()
}

// fail raises re.error at tell() - offset.
func (p *parser) fail(msg string, offset int) {
	panic(&Error{Kind: "error", Msg: msg, Pattern: p.pattern, Pos: p.tell() - offset})
}

const (
	digits    = "0123456789"
	octDigits = "01234567"
	hexDigits = "0123456789abcdefABCDEF"
)

func rlen(s string) int { return len([]rune(s)) }

// isIdentifier is str.isidentifier.
func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range []rune(s) {
		start := c == '_' || unicode.IsLetter(c) || unicode.Is(unicode.Nl, c) || unicode.Is(unicode.Other_ID_Start, c)
		if i == 0 && !start {
			return false
		}
		if !start && !unicode.In(c, unicode.Mn, unicode.Mc, unicode.Nd, unicode.Pc, unicode.Other_ID_Continue) {
			return false
		}
	}
	return true
}

// ---- the grammar ----

func (p *parser) parseSub(cur Flags, nested int) []*node {
	var items [][]*node
	for {
		f := cur
		if nested == 0 {
			f = p.flags
		}
		items = append(items, p.parseSeq(f, nested+1, nested == 0 && len(items) == 0))
		if !p.match("|") {
			break
		}
	}
	if len(items) == 1 {
		return items[0]
	}
	return []*node{{kind: nAlt, alts: items}}
}

func isRepeatable(n *node) bool { return n.kind != nAt }

func (p *parser) parseSeq(cur Flags, nested int, first bool) []*node {
	var seq []*node
	for {
		if !p.hasNext || p.next == "|" || p.next == ")" {
			break
		}
		this, _ := p.get()
		if cur&Verbose != 0 {
			if this == " " || this == "\t" || this == "\n" || this == "\r" || this == "\v" || this == "\f" {
				continue
			}
			if this == "#" {
				for {
					t, ok := p.get()
					if !ok || t == "\n" {
						break
					}
				}
				continue
			}
		}
		c := []rune(this)[0]
		switch {
		case this[0] == '\\':
			seq = append(seq, p.escape(this, cur))
		case c == '[':
			seq = append(seq, p.parseClass(cur))
		case c == '.':
			s := &charSet{}
			if cur&DotAll != 0 {
				s.add(0, maxRune)
			} else {
				s.add(0, '\n'-1)
				s.add('\n'+1, maxRune)
			}
			seq = append(seq, &node{kind: nSet, set: s})
		case c == '^':
			seq = append(seq, &node{kind: nAt, at: atBeginning, flags: cur})
		case c == '$':
			seq = append(seq, &node{kind: nAt, at: atEnd, flags: cur})
		case c == '*' || c == '+' || c == '?' || c == '{':
			here := p.tell()
			var lo, hi int64
			switch c {
			case '?':
				lo, hi = 0, 1
			case '*':
				lo, hi = 0, maxRepeat
			case '+':
				lo, hi = 1, maxRepeat
			case '{':
				if p.hasNext && p.next == "}" {
					seq = append(seq, p.literal(c, cur))
					continue
				}
				lo, hi = 0, maxRepeat
				los := p.getWhile(1<<30, digits)
				his := ""
				if p.match(",") {
					his = p.getWhile(1<<30, digits)
				} else {
					his = los
				}
				if !p.match("}") {
					seq = append(seq, p.literal(c, cur))
					p.seek(here)
					continue
				}
				if los != "" {
					lo = p.count(los)
				}
				if his != "" {
					hi = p.count(his)
					if hi < lo {
						p.fail("min repeat greater than max repeat", p.tell()-here)
					}
				}
			}
			if len(seq) == 0 || !isRepeatable(seq[len(seq)-1]) {
				p.fail("nothing to repeat", p.tell()-here+1)
			}
			item := seq[len(seq)-1]
			if item.kind == nRepeat {
				p.fail("multiple repeat", p.tell()-here+1)
			}
			r := &node{kind: nRepeat, min: lo, max: hi, sub: []*node{item}}
			if p.match("?") {
				r.mode = lazy
			} else if p.match("+") {
				r.mode = possessive
			}
			seq[len(seq)-1] = r
		case c == '(':
			if n, global := p.parseGroup(cur, nested, first && len(seq) == 0); n != nil {
				seq = append(seq, n)
			} else if global && nested == 1 {
				// Global flags at the top level change what follows.
				cur = p.flags | cur
			}
		default:
			seq = append(seq, p.literal(c, cur))
		}
	}
	return seq
}

func (p *parser) count(s string) int64 {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v >= maxRepeat {
		panic(&Error{Kind: "OverflowError", Msg: "the repetition number is too large", Pos: -1})
	}
	return v
}

func unicodeMode(f Flags) bool { return f&Unicode != 0 && f&ASCII == 0 }

// literal is one code point, folded under IGNORECASE.
func (p *parser) literal(c rune, f Flags) *node {
	s := &charSet{r: []runeRange{{c, c}}}
	if f&IgnoreCase != 0 {
		s = foldClosure(s, unicodeMode(f))
	}
	return &node{kind: nSet, set: s}
}

func (p *parser) category(cat category, f Flags) *node {
	return &node{kind: nSet, set: categorySet(cat, unicodeMode(f))}
}

// escape is an escape outside a class.
func (p *parser) escape(esc string, f Flags) *node {
	c := []rune(esc)[1]
	switch c {
	case 'A':
		return &node{kind: nAt, at: atBeginningString, flags: f}
	case 'Z':
		return &node{kind: nAt, at: atEndString, flags: f}
	case 'b':
		return &node{kind: nAt, at: atBoundary, flags: f}
	case 'B':
		return &node{kind: nAt, at: atNonBoundary, flags: f}
	}
	if cat, ok := categoryOf[c]; ok {
		return p.category(cat, f)
	}
	if v, ok := p.commonEscape(esc, c); ok {
		return p.literal(v, f)
	}
	switch {
	case c == '0':
		esc += p.getWhile(2, octDigits)
		v, _ := strconv.ParseInt(esc[1:], 8, 32)
		return p.literal(rune(v), f)
	case c >= '1' && c <= '9':
		if p.nextIn(digits) {
			esc += p.next
			p.advance()
			if strings.ContainsRune(octDigits, c) && strings.ContainsRune(octDigits, rune(esc[2])) && p.nextIn(octDigits) {
				esc += p.next
				p.advance()
				v, _ := strconv.ParseInt(esc[1:], 8, 32)
				if v > 0o377 {
					p.fail("octal escape value "+esc+" outside of range 0-0o377", rlen(esc))
				}
				return p.literal(rune(v), f)
			}
		}
		g, _ := strconv.Atoi(esc[1:])
		if g < p.groups {
			if !p.closed[g] {
				p.fail("cannot refer to an open group", rlen(esc))
			}
			p.checkLookbehindGroup(g)
			return &node{kind: nRef, group: g, flags: f}
		}
		p.fail("invalid group reference "+itoa(g), rlen(esc)-1)
	}
	// Any other escape is the character itself: for an ASCII letter as in
	// Python 2.7 (Python 3.7 made it an error; see the package doc).
	return p.literal(c, f)
}

// commonEscape reads the escapes classes and the rest share: the control
// escapes and \x \u \U \N.
func (p *parser) commonEscape(esc string, c rune) (rune, bool) {
	switch c {
	case 'a':
		return 7, true
	case 'f':
		return '\f', true
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	case 'v':
		return '\v', true
	case '\\':
		return '\\', true
	case 'x', 'u', 'U':
		n := map[rune]int{'x': 2, 'u': 4, 'U': 8}[c]
		esc += p.getWhile(n, hexDigits)
		if len(esc) != n+2 {
			p.fail("incomplete escape "+esc, rlen(esc))
		}
		v, _ := strconv.ParseUint(esc[2:], 16, 32)
		if v > maxRune {
			p.fail("bad escape "+esc, rlen(esc))
		}
		return rune(v), true
	case 'N':
		if !p.match("{") {
			p.fail("missing {", 0)
		}
		name := p.getUntil("}", "character name")
		r, ok := lookupRuneName(name)
		if !ok {
			p.fail("undefined character name "+repr(name), rlen(name)+len(`\N{}`))
		}
		return r, true
	}
	return 0, false
}

// classEscape is an escape inside a class: a code point, or a category
// (set non-nil).
func (p *parser) classEscape(esc string, f Flags) (rune, *charSet) {
	c := []rune(esc)[1]
	if c == 'b' {
		return '\b', nil
	}
	if cat, ok := categoryOf[c]; ok {
		return 0, categorySet(cat, unicodeMode(f))
	}
	if v, ok := p.commonEscape(esc, c); ok {
		return v, nil
	}
	switch {
	case c >= '0' && c <= '7':
		esc += p.getWhile(2, octDigits)
		v, _ := strconv.ParseInt(esc[1:], 8, 32)
		if v > 0o377 {
			p.fail("octal escape value "+esc+" outside of range 0-0o377", rlen(esc))
		}
		return rune(v), nil
	case c == '8' || c == '9':
		p.fail("bad escape "+esc, rlen(esc))
	case c == 'A' || c == 'Z' || c == 'B':
		p.fail("bad escape "+esc, rlen(esc))
	}
	// An unknown escape of a letter: the letter, as in Python 2.7.
	return c, nil
}

func (p *parser) parseClass(f Flags) *node {
	here := p.tell() - 1
	lits := &charSet{}
	var cats []*charSet
	items := 0
	negate := p.match("^")
	for {
		this, ok := p.get()
		if !ok {
			p.fail("unterminated character set", p.tell()-here)
		}
		if this == "]" && items > 0 {
			break
		}
		var lo rune
		var cat *charSet
		if this[0] == '\\' {
			lo, cat = p.classEscape(this, f)
		} else {
			lo = []rune(this)[0]
		}
		if p.match("-") {
			that, ok := p.get()
			if !ok {
				p.fail("unterminated character set", p.tell()-here)
			}
			if that == "]" {
				if cat != nil {
					cats = append(cats, cat)
				} else {
					lits.add(lo, lo)
				}
				lits.add('-', '-')
				break
			}
			var hi rune
			var cat2 *charSet
			if that[0] == '\\' {
				hi, cat2 = p.classEscape(that, f)
			} else {
				hi = []rune(that)[0]
			}
			if cat != nil || cat2 != nil || hi < lo {
				p.fail("bad character range "+this+"-"+that, rlen(this)+1+rlen(that))
			}
			lits.add(lo, hi)
		} else if cat != nil {
			cats = append(cats, cat)
		} else {
			lits.add(lo, lo)
		}
		items++
	}
	return &node{kind: nSet, set: classSet(lits, cats, negate, f)}
}

// classSet is the set of a class: its literals and ranges (folded under
// IGNORECASE) and its categories (which folding leaves as they are, as
// Python does; the Unicode ones are closed under it anyway). A class with
// Unicode \w or \d is written with regexp2's \p classes, which come from
// the same Go tables, rather than as hundreds of ranges (\D, the complement
// of Nd, is spelled out: some seventy ranges).
func classSet(lits *charSet, cats []*charSet, negate bool, f Flags) *charSet {
	var body strings.Builder
	symOK := true
	for _, c := range cats {
		switch c.sym {
		case `\p{Nd}`:
			body.WriteString(c.sym)
		case `[\p{L}\p{N}_]`:
			body.WriteString(`\p{L}\p{N}_`)
		case `[^\p{L}\p{N}_]`:
			symOK = false
		default:
			lits.addSet(c)
		}
	}
	lits.norm()
	if f&IgnoreCase != 0 {
		lits = foldClosure(lits, unicodeMode(f))
	}
	if symOK && body.Len() > 0 {
		var b strings.Builder
		b.WriteString("[")
		if negate {
			b.WriteString("^")
		}
		b.WriteString(body.String())
		writeRanges(&b, lits.r)
		b.WriteString("]")
		return &charSet{sym: b.String()}
	}
	set := lits
	for _, c := range cats {
		if c.sym != "" {
			set.addSet(c)
		}
	}
	set.norm()
	if negate {
		set = set.negated()
	}
	return set
}

func (p *parser) openGroup(name string, hasName bool) int {
	g := p.groups
	p.groups++
	p.closed = append(p.closed, false)
	p.groupWidth = append(p.groupWidth, [2]int64{0, 0})
	if hasName {
		if og, ok := p.groupDict[name]; ok {
			p.fail("redefinition of group name "+repr(name)+" as group "+itoa(g)+"; was group "+itoa(og), rlen(name)+1)
		}
		p.groupDict[name] = g
	}
	return g
}

func (p *parser) checkLookbehindGroup(g int) {
	if p.lookbehind >= 0 {
		if !p.closed[g] {
			p.fail("cannot refer to an open group", 0)
		}
		if g >= p.lookbehind {
			p.fail("cannot refer to group defined in the same lookbehind subpattern", 0)
		}
	}
}

func (p *parser) checkGroupName(name string, offset int) {
	if !isIdentifier(name) {
		p.fail("bad character in group name "+repr(name), rlen(name)+offset)
	}
}

// parseGroup parses what follows "(": a node, or nil for a comment and
// for global flags (global true).
func (p *parser) parseGroup(cur Flags, nested int, first bool) (*node, bool) {
	start := p.tell() - 1
	capture := true
	atomic := false
	name, hasName := "", false
	sub := cur
	if p.match("?") {
		char, ok := p.get()
		if !ok {
			p.fail("unexpected end of pattern", 0)
		}
		switch {
		case char == "P":
			if p.match("<") {
				name, hasName = p.getUntil(">", "group name"), true
				p.checkGroupName(name, 1)
			} else if p.match("=") {
				name := p.getUntil(")", "group name")
				p.checkGroupName(name, 1)
				g, ok := p.groupDict[name]
				if !ok {
					p.fail("unknown group name "+repr(name), rlen(name)+1)
				}
				if !p.closed[g] {
					p.fail("cannot refer to an open group", rlen(name)+1)
				}
				p.checkLookbehindGroup(g)
				return &node{kind: nRef, group: g, flags: cur}, false
			} else {
				c, ok := p.get()
				if !ok {
					p.fail("unexpected end of pattern", 0)
				}
				p.fail("unknown extension ?P"+c, rlen(c)+2)
			}
		case char == ":":
			capture = false
		case char == "#":
			for {
				if !p.hasNext {
					p.fail("missing ), unterminated comment", p.tell()-start)
				}
				if t, _ := p.get(); t == ")" {
					break
				}
			}
			return nil, false
		case char == "=" || char == "!" || char == "<":
			behind := false
			if char == "<" {
				c, ok := p.get()
				if !ok {
					p.fail("unexpected end of pattern", 0)
				}
				if c != "=" && c != "!" {
					p.fail("unknown extension ?<"+c, rlen(c)+2)
				}
				char, behind = c, true
			}
			saved := p.lookbehind
			if behind && p.lookbehind < 0 {
				p.lookbehind = p.groups
			}
			body := p.parseSub(cur, nested+1)
			if behind && saved < 0 {
				p.lookbehind = -1
			}
			if !p.match(")") {
				p.fail("missing ), unterminated subpattern", p.tell()-start)
			}
			return &node{kind: nAssert, behind: behind, neg: char == "!", sub: body}, false
		case char == "(":
			condName := p.getUntil(")", "group name")
			var g int
			if isIdentifier(condName) {
				var ok bool
				g, ok = p.groupDict[condName]
				if !ok {
					p.fail("unknown group name "+repr(condName), rlen(condName)+1)
				}
			} else {
				v, ok := pyInt(condName)
				if !ok || v < 0 {
					p.fail("bad character in group name "+repr(condName), rlen(condName)+1)
				}
				if v == 0 {
					p.fail("bad group number", rlen(condName)+1)
				}
				g = v
				if _, seen := p.condRefPos[g]; !seen {
					p.condRefPos[g] = p.tell() - rlen(condName) - 1
					p.condRefs = append(p.condRefs, g)
				}
			}
			if g < p.groups {
				p.checkLookbehindGroup(g)
			} else if p.lookbehind >= 0 {
				p.fail("cannot refer to an open group", 0)
			}
			yes := p.parseSeq(cur, nested+1, false)
			n := &node{kind: nCond, group: g, sub: yes}
			if p.match("|") {
				n.no, n.hasNo = p.parseSeq(cur, nested+1, false), true
				if p.hasNext && p.next == "|" {
					p.fail("conditional backref with more than two branches", 0)
				}
			}
			if !p.match(")") {
				p.fail("missing ), unterminated subpattern", p.tell()-start)
			}
			return n, false
		case char == ">":
			capture, atomic = false, true
		case len([]rune(char)) == 1 && (flagLetters[[]rune(char)[0]] != 0 || char == "-"):
			add, del, global := p.parseFlags([]rune(char)[0])
			if global {
				if !first {
					p.lateGlobals = true
				}
				return nil, true
			}
			capture = false
			sub = combineFlags(cur, add, del)
		default:
			p.fail("unknown extension ?"+char, rlen(char)+1)
		}
	}
	g := 0
	if capture {
		g = p.openGroup(name, hasName)
	}
	body := p.parseSub(sub, nested+1)
	if !p.match(")") {
		p.fail("missing ), unterminated subpattern", p.tell()-start)
	}
	switch {
	case capture:
		p.closed[g] = true
		p.groupWidth[g] = seqWidth(body, p)
		return &node{kind: nGroup, group: g, sub: body}, false
	case atomic:
		return &node{kind: nAtomic, sub: body}, false
	}
	return &node{kind: nPlain, sub: body}, false
}

// combineFlags is sre_compile's _combine_flags: a type flag replaces the
// one in effect.
func combineFlags(f, add, del Flags) Flags {
	if add&typeFlags != 0 {
		f &^= typeFlags
	}
	return (f | add) &^ del
}

// parseFlags reads inline flags after "(?" whose first character is c:
// global (the group ends with ")") or scoped add and del flags.
func (p *parser) parseFlags(c rune) (add, del Flags, global bool) {
	char := string(c)
	if c != '-' {
		for {
			flag := flagLetters[[]rune(char)[0]]
			if flag == Locale {
				p.fail("bad inline flags: cannot use 'L' flag with a str pattern", 0)
			}
			add |= flag
			if flag&typeFlags != 0 && add&typeFlags != flag {
				p.fail("bad inline flags: flags 'a', 'u' and 'L' are incompatible", 0)
			}
			var ok bool
			char, ok = p.get()
			if !ok {
				p.fail("missing -, : or )", 0)
			}
			if char == ")" || char == "-" || char == ":" {
				break
			}
			if rlen(char) != 1 || flagLetters[[]rune(char)[0]] == 0 {
				if rlen(char) == 1 && unicode.IsLetter([]rune(char)[0]) {
					p.fail("unknown flag", rlen(char))
				}
				p.fail("missing -, : or )", rlen(char))
			}
		}
	}
	if char == ")" {
		p.flags |= add
		return 0, 0, true
	}
	if add&(flagDebug|flagTemplate) != 0 {
		p.fail("bad inline flags: cannot turn on global flag", 1)
	}
	if char == "-" {
		var ok bool
		char, ok = p.get()
		if !ok {
			p.fail("missing flag", 0)
		}
		if rlen(char) != 1 || flagLetters[[]rune(char)[0]] == 0 {
			if rlen(char) == 1 && unicode.IsLetter([]rune(char)[0]) {
				p.fail("unknown flag", rlen(char))
			}
			p.fail("missing flag", rlen(char))
		}
		for {
			flag := flagLetters[[]rune(char)[0]]
			if flag&typeFlags != 0 {
				p.fail("bad inline flags: cannot turn off flags 'a', 'u' and 'L'", 0)
			}
			del |= flag
			char, ok = p.get()
			if !ok {
				p.fail("missing :", 0)
			}
			if char == ":" {
				break
			}
			if rlen(char) != 1 || flagLetters[[]rune(char)[0]] == 0 {
				if rlen(char) == 1 && unicode.IsLetter([]rune(char)[0]) {
					p.fail("unknown flag", rlen(char))
				}
				p.fail("missing :", rlen(char))
			}
		}
	}
	if del&(flagDebug|flagTemplate) != 0 {
		p.fail("bad inline flags: cannot turn off global flag", 1)
	}
	if add&del != 0 {
		p.fail("bad inline flags: flag turned on and off", 1)
	}
	return add, del, false
}

// ---- widths (sre_parse's getwidth) and the lookbehind check ----

func satAdd(a, b int64) int64 {
	if a+b > maxRepeat {
		return maxRepeat
	}
	return a + b
}

func satMul(a, b int64) int64 {
	if a != 0 && b > maxRepeat/a {
		return maxRepeat
	}
	return a * b
}

func seqWidth(seq []*node, p *parser) [2]int64 {
	var lo, hi int64
	for _, n := range seq {
		w := nodeWidth(n, p)
		lo, hi = satAdd(lo, w[0]), satAdd(hi, w[1])
	}
	return [2]int64{min(lo, maxRepeat-1), min(hi, maxRepeat)}
}

func nodeWidth(n *node, p *parser) [2]int64 {
	if n.widthDone {
		return n.width
	}
	var w [2]int64
	switch n.kind {
	case nSet:
		w = [2]int64{1, 1}
	case nGroup, nPlain, nAtomic:
		w = seqWidth(n.sub, p)
	case nAlt:
		w = [2]int64{maxRepeat - 1, 0}
		for _, a := range n.alts {
			aw := seqWidth(a, p)
			w[0], w[1] = min(w[0], aw[0]), max(w[1], aw[1])
		}
	case nRepeat:
		sw := seqWidth(n.sub, p)
		w[0] = satMul(sw[0], n.min)
		if n.max == maxRepeat && sw[1] != 0 {
			w[1] = maxRepeat
		} else {
			w[1] = satMul(sw[1], n.max)
		}
	case nRef:
		if n.group < len(p.groupWidth) {
			w = p.groupWidth[n.group]
		}
	case nCond:
		w = seqWidth(n.sub, p)
		if n.hasNo {
			nw := seqWidth(n.no, p)
			w[0], w[1] = min(w[0], nw[0]), max(w[1], nw[1])
		} else {
			w[0] = 0
		}
	}
	n.width, n.widthDone = [2]int64{min(w[0], maxRepeat-1), min(w[1], maxRepeat)}, true
	return n.width
}

// checkLookbehinds is sre_compile's check that a lookbehind has one width.
func checkLookbehinds(seq []*node, p *parser) error {
	for _, n := range seq {
		if n.kind == nAssert && n.behind {
			w := seqWidth(n.sub, p)
			if w[0] != w[1] {
				return &Error{Kind: "error", Msg: "look-behind requires fixed-width pattern", Pos: -1}
			}
		}
		for _, s := range append([][]*node{n.sub, n.no}, n.alts...) {
			if err := checkLookbehinds(s, p); err != nil {
				return err
			}
		}
	}
	return nil
}

// pyInt is Python's int(s) for a string: surrounding whitespace, a sign,
// decimal digits of any script, underscores between digits.
func pyInt(s string) (int, bool) {
	t := []rune(strings.TrimFunc(s, unicode.IsSpace))
	neg := false
	if len(t) > 0 && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	if len(t) == 0 {
		return 0, false
	}
	v := 0
	for i, c := range t {
		if c == '_' && i > 0 && i < len(t)-1 && t[i-1] != '_' {
			continue
		}
		d := digitValue(c)
		if d < 0 {
			return 0, false
		}
		if v > (1<<62)/10 {
			v = 1 << 62 // far past any group number
			continue
		}
		v = v*10 + d
	}
	if neg {
		v = -v
	}
	return v, true
}

// digitValue is the value of a decimal digit of any script, or -1.
func digitValue(c rune) int {
	if !unicode.Is(unicode.Nd, c) {
		return -1
	}
	// Decimal digits come in whole runs of ten from zero, and a block of
	// adjacent runs starts with a zero.
	z := c
	for z > 0 && unicode.Is(unicode.Nd, z-1) {
		z--
	}
	return int(c-z) % 10
}
