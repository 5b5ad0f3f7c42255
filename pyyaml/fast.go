package pyyaml

import (
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// fastParse builds the node tree yaml.v3 would give (node.go) for the
// YAML that templates are written in (block mappings and sequences of
// plain, quoted and block scalars, flow collections, anchors and aliases)
// without yaml.v3's scanner, tokens and events: the same kinds, styles,
// values, anchors, aliases, lines and columns, so the converter cannot
// tell them apart. Loading YAML was a third of a lint run; this makes the
// parse six times cheaper.
//
// It returns ok false, having built nothing that is kept, for anything
// outside that subset or that it is not sure of: tags, directives, more
// than one document, complex keys, keys over several lines, tabs and
// carriage returns, flow collections used as keys, and every error.
// yaml.v3 then parses the input, and its nodes and errors are the ones
// used. TestFastParseCorpus and FuzzFastParse hold the two parsers' trees
// equal wherever fastParse answers.
func fastParse(src []byte) (root *node, ok bool) {
	ascii := true
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c == '\t' || c == '\r' {
			return nil, false
		}
		if c >= utf8.RuneSelf {
			ascii = false
			// NEL, LS, PS are line breaks and BOM a marker in YAML.
			if c == 0xc2 && i+1 < len(src) && src[i+1] == 0x85 ||
				c == 0xe2 && i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xa8 || src[i+2] == 0xa9) ||
				c == 0xef && i+2 < len(src) && src[i+1] == 0xbb && src[i+2] == 0xbf {
				return nil, false
			}
		}
	}
	p := &fastParser{src: string(src), line: 1, ascii: ascii, colLine: -1}
	defer func() {
		if r := recover(); r != nil {
			if _, is := r.(fastBail); !is {
				panic(r)
			}
			root, ok = nil, false
		}
	}()
	return p.document(), true
}

// fastBail stops fastParse: yaml.v3 parses the input instead.
type fastBail struct{}

func bail() { panic(fastBail{}) }

// Where a node starts, which decides what it may be: a mapping or a
// sequence may start a line or follow a sequence entry's "- ", not follow
// a key's ": " on the same line.
const (
	atLine = iota
	atEntry
	atValue
)

// maxFastDepth bounds the recursion; deeper input is left to yaml.v3,
// whose own limit is 10,000 levels.
const maxFastDepth = 1000

type fastParser struct {
	src   string
	pos   int // byte offset
	line  int // 1-based line of pos
	ls    int // byte offset where pos's line starts
	ascii bool
	depth int
	// colLine, colPos and colN remember the last column col counted:
	// byte offset colPos of the line starting at colLine is column colN.
	colLine, colPos, colN int
	// started is set once the document's "---", if any, is behind: a
	// document marker after it is left to yaml.v3.
	started bool

	slab    []node
	ptrs    []*node
	kids    []*node // children of the collections being built
	anchors map[string]*node
	pending map[string]int // anchors whose node is being parsed
}

func (p *fastParser) eof() bool { return p.pos >= len(p.src) }

// col returns the 1-based column, in characters, of byte offset i on the
// current line.
func (p *fastParser) col(i int) int {
	if p.ascii {
		return i - p.ls + 1
	}
	// Counted on from the last column asked on this line: the parser
	// moves forward, so a long line is counted once, not once per node.
	from, n := p.ls, 1
	if p.colLine == p.ls && p.colPos <= i {
		from, n = p.colPos, p.colN
	}
	for j := from; j < i; j++ {
		if p.src[j]&0xc0 != 0x80 {
			n++
		}
	}
	p.colLine, p.colPos, p.colN = p.ls, i, n
	return n
}

func (p *fastParser) node(kind yaml.Kind, line, col int) *node {
	if len(p.slab) == 0 {
		// THT averages a node per 19 bytes: the input left, at a node per
		// 16 bytes, mostly fits in one allocation.
		p.slab = make([]node, min((len(p.src)-p.pos)/16+8, 4096))
	}
	n := &p.slab[0]
	p.slab = p.slab[1:]
	n.Kind, n.Line, n.Column = kind, int32(line), int32(col)
	return n
}

// children moves the children collected since start into their own slice.
func (p *fastParser) children(start int) []*node {
	k := p.kids[start:]
	if len(k) == 0 {
		p.kids = p.kids[:start]
		return nil
	}
	if len(p.ptrs) < len(k) {
		p.ptrs = make([]*node, max(256, len(k)))
	}
	out := p.ptrs[:len(k):len(k)]
	p.ptrs = p.ptrs[len(k):]
	copy(out, k)
	p.kids = p.kids[:start]
	return out
}

// nextLine moves to the start of the line after pos's.
func (p *fastParser) nextLine() {
	i := strings.IndexByte(p.src[p.pos:], '\n')
	if i < 0 {
		p.pos = len(p.src)
		p.ls = p.pos
		return
	}
	p.pos += i + 1
	p.line++
	p.ls = p.pos
}

func (p *fastParser) skipSpaces() {
	for p.pos < len(p.src) && p.src[p.pos] == ' ' {
		p.pos++
	}
}

// atLineEnd tells whether only a comment or nothing is left on the line
// from pos, spaces skipped.
func (p *fastParser) atLineEnd() bool {
	if p.eof() || p.src[p.pos] == '\n' {
		return true
	}
	return p.src[p.pos] == '#' && (p.pos == p.ls || p.src[p.pos-1] == ' ')
}

// skipBlankLines moves from the start of a line to the start of the next
// line with content, past lines of spaces and comments, and returns that
// line's indentation (-1 at the end of the input).
func (p *fastParser) skipBlankLines() int {
	for p.pos < len(p.src) {
		i := p.ls
		for i < len(p.src) && p.src[i] == ' ' {
			i++
		}
		if i < len(p.src) && p.src[i] != '\n' && p.src[i] != '#' {
			ind := i - p.ls
			if ind == 0 && p.started && p.docMarker(i) {
				bail()
			}
			return ind
		}
		p.pos = i
		p.nextLine()
	}
	return -1
}

func (p *fastParser) docMarker(i int) bool {
	s := p.src[i:]
	return (strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...")) &&
		(len(s) == 3 || s[3] == ' ' || s[3] == '\n')
}

// endLine checks that nothing but a comment follows on the line, and
// moves to the next line with content.
func (p *fastParser) endLine() {
	p.skipSpaces()
	if !p.atLineEnd() {
		bail()
	}
	p.nextLine()
	p.skipBlankLines()
}

func (p *fastParser) document() *node {
	ind := p.skipBlankLines()
	if ind == 0 && p.docMarker(p.pos) {
		if p.src[p.pos] != '-' {
			bail()
		}
		p.pos += 3
		p.started = true
		p.endLine()
		ind = p.skipBlankLines()
	}
	p.started = true
	if ind < 0 {
		bail() // an empty stream or document
	}
	p.pos = p.ls + ind
	n := p.block(-1, atLine)
	if !p.eof() {
		bail()
	}
	doc := p.node(yaml.DocumentNode, 1, 1)
	doc.Content = []*node{n}
	return doc
}

// block parses the node at pos inside a block collection indented at
// indent (-1 at the top), and returns at the start of the next line with
// content.
func (p *fastParser) block(indent, at int) *node {
	p.depth++
	if p.depth > maxFastDepth {
		bail()
	}
	defer func() { p.depth-- }()
	start := p.pos
	switch c := p.src[start]; c {
	case '&':
		return p.anchored(indent, at)
	case '*':
		n := p.alias()
		p.skipSpaces()
		if !p.eof() && p.src[p.pos] == ':' {
			bail() // an alias as a key
		}
		p.endLine()
		return n
	case '|', '>':
		return p.blockScalar(indent)
	case '[', '{':
		n := p.flow(indent)
		p.skipSpaces()
		if !p.eof() && p.src[p.pos] == ':' {
			bail() // a flow collection as a key
		}
		p.endLine()
		return n
	case '"', '\'':
		line, col := p.line, p.col(start)
		n := p.quoted()
		p.skipSpaces()
		if p.isValueIndicator(p.pos) {
			if at == atValue || p.line != line {
				bail() // a key after a key, or over lines
			}
			p.pos, p.line = start, line
			return p.mapping(col - 1)
		}
		p.endLine()
		return n
	case '-':
		if p.isBlank(start + 1) {
			if at == atValue {
				bail()
			}
			return p.sequence(start - p.ls)
		}
	case '!', '?', ':', '%', '@', '`', ',', ']', '}', '#':
		bail()
	}
	if _, stop := p.scanPlainLine(start); stop == stopColon {
		if at == atValue {
			bail()
		}
		return p.mapping(p.col(start) - 1)
	}
	return p.plain(indent)
}

// isBlank tells whether byte i is a space, a line break or the end.
func (p *fastParser) isBlank(i int) bool {
	return i >= len(p.src) || p.src[i] == ' ' || p.src[i] == '\n'
}

// isValueIndicator tells whether a ':' at i separates a key from its value.
func (p *fastParser) isValueIndicator(i int) bool {
	return i < len(p.src) && p.src[i] == ':' && p.isBlank(i+1)
}

// isEntry tells whether a '-' at i starts a block sequence entry.
func (p *fastParser) isEntry(i int) bool {
	return i < len(p.src) && p.src[i] == '-' && p.isBlank(i+1)
}

// nodeAfter parses the node after a key's ':' or an entry's '-' (pos is
// just after it), in a collection indented at indent: on the same line
// (at says which), else on the lines below, indented more; an
// indentless sequence of a key's value (indentless) may be at indent
// itself. With nothing there the node is an empty scalar just after the
// indicator, at line, col.
func (p *fastParser) nodeAfter(indent, at int, indentless bool, line, col int) *node {
	p.skipSpaces()
	if !p.atLineEnd() {
		return p.block(indent, at)
	}
	p.nextLine()
	switch ind := p.skipBlankLines(); {
	case ind > indent:
		p.pos = p.ls + ind
		return p.block(indent, atLine)
	case ind == indent && indentless && p.isEntry(p.ls+ind):
		p.pos = p.ls + ind
		return p.sequence(indent)
	}
	return p.empty(line, col)
}

func (p *fastParser) mapping(indent int) *node {
	m := p.node(yaml.MappingNode, p.line, p.col(p.pos))
	start := len(p.kids)
	for {
		k := p.key()
		if !p.isValueIndicator(p.pos) {
			bail()
		}
		line, col := p.line, p.col(p.pos)+1
		p.pos++
		p.kids = append(p.kids, k, p.nodeAfter(indent, atValue, true, line, col))
		// pos is at the start of a line (-1 at the end of the input).
		ind := p.skipBlankLines()
		if ind < indent {
			break
		}
		if ind > indent || p.isEntry(p.ls+ind) {
			bail()
		}
		p.pos = p.ls + ind
	}
	m.Content = p.children(start)
	return m
}

func (p *fastParser) empty(line, col int) *node {
	return p.node(yaml.ScalarNode, line, col)
}

// key parses a mapping key: a plain or quoted scalar on one line, no
// longer than the 1,024 characters of a YAML simple key. pos is left at
// the ':'.
func (p *fastParser) key() *node {
	start := p.pos
	var n *node
	switch c := p.src[start]; c {
	case '"', '\'':
		line := p.line
		n = p.quoted()
		if p.line != line {
			bail() // a key is on one line
		}
		p.skipSpaces()
	case '&', '*', '!', '?', ':', '%', '@', '`', ',', '[', ']', '{', '}', '#', '|', '>':
		bail()
	default:
		if p.isEntry(start) {
			bail()
		}
		end, stop := p.scanPlainLine(start)
		if stop != stopColon {
			bail()
		}
		n = p.node(yaml.ScalarNode, p.line, p.col(start))
		n.Value = p.src[start:end]
		p.pos = end
		p.skipSpaces()
	}
	if p.pos-start > 1024 {
		bail()
	}
	return n
}

// Why a plain scalar's text stops on its line.
const (
	stopEOL = iota
	stopComment
	stopColon
)

// scanPlainLine returns where a plain scalar starting at i stops on its
// line in block context (trailing spaces left out), and why.
func (p *fastParser) scanPlainLine(i int) (end, stop int) {
	j := i
	for ; j < len(p.src); j++ {
		switch p.src[j] {
		case '\n':
			return p.trimRight(i, j), stopEOL
		case ':':
			if p.isBlank(j + 1) {
				return p.trimRight(i, j), stopColon
			}
		case '#':
			if j > i && p.src[j-1] == ' ' {
				return p.trimRight(i, j), stopComment
			}
		}
	}
	return p.trimRight(i, j), stopEOL
}

func (p *fastParser) trimRight(i, j int) int {
	for j > i && p.src[j-1] == ' ' {
		j--
	}
	return j
}

// plain parses a plain scalar in block context, with the lines that
// continue it (indented more than the collection it is in) folded in.
func (p *fastParser) plain(indent int) *node {
	start := p.pos
	n := p.node(yaml.ScalarNode, p.line, p.col(start))
	end, stop := p.scanPlainLine(start)
	if stop == stopColon {
		bail()
	}
	var folded []byte
	for stop == stopEOL {
		p.pos = end
		p.nextLine()
		blanks := 0
		for !p.eof() && p.isBlankLine() {
			blanks++
			p.nextLine()
		}
		if p.eof() {
			break
		}
		i := p.ls
		for i < len(p.src) && p.src[i] == ' ' {
			i++
		}
		if i-p.ls <= indent || p.src[i] == '#' {
			break
		}
		if i == p.ls && p.docMarker(i) {
			bail()
		}
		e, st := p.scanPlainLine(i)
		if st == stopColon {
			bail()
		}
		if folded == nil {
			folded = append(make([]byte, 0, 2*(end-start)), p.src[start:end]...)
		}
		if blanks == 0 {
			folded = append(folded, ' ')
		}
		for range blanks {
			folded = append(folded, '\n')
		}
		folded = append(folded, p.src[i:e]...)
		end, stop = e, st
	}
	if folded != nil {
		n.Value = string(folded)
	} else {
		n.Value = p.src[start:end]
	}
	if stop != stopEOL {
		// A comment ends the scalar and its line.
		p.pos = end
		p.nextLine()
	}
	p.skipBlankLines()
	return n
}

// isBlankLine tells whether the line at ls has nothing but spaces.
func (p *fastParser) isBlankLine() bool {
	i := p.ls
	for i < len(p.src) && p.src[i] == ' ' {
		i++
	}
	return i >= len(p.src) || p.src[i] == '\n'
}

func (p *fastParser) sequence(indent int) *node {
	s := p.node(yaml.SequenceNode, p.line, p.col(p.pos))
	start := len(p.kids)
	for {
		// pos is at the '-'.
		line, col := p.line, p.col(p.pos)+1
		p.pos++
		p.kids = append(p.kids, p.nodeAfter(indent, atEntry, false, line, col))
		ind := p.skipBlankLines()
		if ind > indent {
			bail()
		}
		if ind < indent || !p.isEntry(p.ls+ind) {
			break
		}
		p.pos = p.ls + ind
	}
	s.Content = p.children(start)
	return s
}

func (p *fastParser) anchorName() string {
	i := p.pos + 1
	for i < len(p.src) && isAnchorChar(p.src[i]) {
		i++
	}
	if i == p.pos+1 {
		bail()
	}
	name := p.src[p.pos+1 : i]
	p.pos = i
	return name
}

func isAnchorChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

func (p *fastParser) anchored(indent, at int) *node {
	line, col := p.line, p.col(p.pos)
	name := p.anchorName()
	if !p.isBlank(p.pos) {
		bail()
	}
	if p.pending == nil {
		p.pending = map[string]int{}
	}
	p.pending[name]++
	p.skipSpaces()
	var n *node
	if p.atLineEnd() {
		// The node is on the lines below: only a collection is taken.
		p.nextLine()
		ind := p.skipBlankLines()
		switch {
		case ind > indent:
			p.pos = p.ls + ind
			if c := p.src[p.pos]; c == '&' || c == '*' {
				bail() // a second anchor, or an alias, for the same node
			}
			n = p.block(indent, atLine)
			if n.Kind != yaml.MappingNode && n.Kind != yaml.SequenceNode {
				bail()
			}
		case ind == indent && at == atValue && p.isEntry(p.ls+ind):
			// key: &a
			// - item
			p.pos = p.ls + ind
			n = p.sequence(indent)
		default:
			bail()
		}
	} else {
		switch c := p.src[p.pos]; {
		case c == '&' || c == '*' || p.isEntry(p.pos):
			bail()
		case c == '"' || c == '\'' || c == '[' || c == '{' || c == '|' || c == '>':
		default:
			if _, stop := p.scanPlainLine(p.pos); stop == stopColon {
				bail() // the anchor would be the key's
			}
		}
		n = p.block(indent, atValue)
	}
	p.pending[name]--
	n.Anchor, n.Line, n.Column = name, int32(line), int32(col)
	if p.anchors == nil {
		p.anchors = map[string]*node{}
	}
	p.anchors[name] = n
	return n
}

func (p *fastParser) alias() *node {
	line, col := p.line, p.col(p.pos)
	name := p.anchorName()
	target := p.anchors[name]
	if target == nil || p.pending[name] > 0 {
		bail()
	}
	if !p.isBlank(p.pos) && !strings.ContainsRune(",]}", rune(p.src[p.pos])) {
		bail()
	}
	n := p.node(yaml.AliasNode, line, col)
	n.Value, n.Alias = name, target
	return n
}

// quoted parses a single- or double-quoted scalar, leaving pos after the
// closing quote; one that goes on over lines is quotedLines'.
func (p *fastParser) quoted() *node {
	q := p.src[p.pos]
	n := p.node(yaml.ScalarNode, p.line, p.col(p.pos))
	i := p.pos + 1
	simple := true // no escapes: the value is a slice of the source
	var b []byte
	for {
		if i >= len(p.src) {
			bail()
		}
		if p.src[i] == '\n' {
			return p.quotedLines(n)
		}
		c := p.src[i]
		if q == '\'' {
			if c == '\'' {
				if i+1 < len(p.src) && p.src[i+1] == '\'' {
					if simple {
						b, simple = append(b, p.src[p.pos+1:i]...), false
					}
					b = append(b, '\'')
					i += 2
					continue
				}
				break
			}
		} else {
			if c == '"' {
				break
			}
			if c == '\\' {
				if i+1 < len(p.src) && p.src[i+1] == '\n' {
					return p.quotedLines(n)
				}
				if simple {
					b, simple = append(b, p.src[p.pos+1:i]...), false
				}
				b, i = p.escape(b, i+1)
				continue
			}
		}
		if !simple {
			b = append(b, c)
		}
		i++
	}
	if simple {
		n.Value = p.src[p.pos+1 : i]
	} else {
		n.Value = string(b)
	}
	if q == '\'' {
		n.Style = yaml.SingleQuotedStyle
	} else {
		n.Style = yaml.DoubleQuotedStyle
	}
	p.pos = i + 1
	return n
}

// quotedLines parses, from pos, a quoted scalar that goes on over lines,
// as libyaml's scanner does: a line break with text on both sides folds to
// a space, each empty line between to a line break, the spaces around a
// break go, and in double quotes an escaped break joins the lines with
// nothing. n is its node, at the opening quote.
func (p *fastParser) quotedLines(n *node) *node {
	q := p.src[p.pos]
	p.pos++
	var b, spaces []byte
	for {
		if p.pos == p.ls && p.docMarker(p.pos) || p.eof() {
			bail()
		}
		// The text up to a space, a break or the closing quote.
		leadingBlanks := false
		for !p.isBlank(p.pos) {
			c := p.src[p.pos]
			switch {
			case q == '\'' && c == '\'' && p.pos+1 < len(p.src) && p.src[p.pos+1] == '\'':
				b = append(b, '\'')
				p.pos += 2
				continue
			case c == q:
			case q == '"' && c == '\\' && p.pos+1 < len(p.src) && p.src[p.pos+1] == '\n':
				p.pos++
				p.nextLine()
				leadingBlanks = true
			case q == '"' && c == '\\':
				b, p.pos = p.escape(b, p.pos+1)
				continue
			default:
				b = append(b, c)
				p.pos++
				continue
			}
			break
		}
		if !p.eof() && p.src[p.pos] == q {
			break
		}
		// Spaces and breaks, then how they join.
		spaces = spaces[:0]
		leadingBreak, trailing := false, 0
		for !p.eof() && (p.src[p.pos] == ' ' || p.src[p.pos] == '\n') {
			if p.src[p.pos] == ' ' {
				if !leadingBlanks {
					spaces = append(spaces, ' ')
				}
				p.pos++
				continue
			}
			if !leadingBlanks {
				spaces = spaces[:0]
				leadingBreak, leadingBlanks = true, true
			} else {
				trailing++
			}
			p.nextLine()
		}
		switch {
		case !leadingBlanks:
			b = append(b, spaces...)
		case leadingBreak && trailing == 0:
			b = append(b, ' ')
		default:
			for range trailing {
				b = append(b, '\n')
			}
		}
	}
	p.pos++
	n.Value = string(b)
	if q == '\'' {
		n.Style = yaml.SingleQuotedStyle
	} else {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// escapes are the one-character escapes of a double-quoted scalar, as
// yaml.v3 reads them (its escapes of a slash and of a single quote are
// left to it).
var escapes = map[byte]rune{'0': 0, 'a': 7, 'b': 8, 't': 9, 'n': 10, 'v': 11, 'f': 12, 'r': 13, 'e': 27,
	' ': ' ', '"': '"', '\\': '\\', 'N': 0x85, '_': 0xa0, 'L': 0x2028, 'P': 0x2029}

// escape appends what the double-quoted escape at i (after the '\')
// stands for, and returns the offset after it.
func (p *fastParser) escape(b []byte, i int) ([]byte, int) {
	if i >= len(p.src) {
		bail()
	}
	c := p.src[i]
	if r, ok := escapes[c]; ok {
		return utf8.AppendRune(b, r), i + 1
	}
	var w int
	switch c {
	case 'x':
		w = 2
	case 'u':
		w = 4
	case 'U':
		w = 8
	default:
		bail()
	}
	if i+1+w > len(p.src) {
		bail()
	}
	var code uint32
	for _, h := range []byte(p.src[i+1 : i+1+w]) {
		var d byte
		switch {
		case h >= '0' && h <= '9':
			d = h - '0'
		case h >= 'a' && h <= 'f':
			d = h - 'a' + 10
		case h >= 'A' && h <= 'F':
			d = h - 'A' + 10
		default:
			bail()
		}
		code = code<<4 | uint32(d)
	}
	if code >= 0xd800 && code <= 0xdfff || code > 0x10ffff {
		bail()
	}
	return utf8.AppendRune(b, rune(code)), i + 1 + w
}

// blockScalar parses a literal (|) or folded (>) scalar the way libyaml's
// scanner does: the indentation is the first content line's (or a
// preceding blank line's, when deeper), lines are folded where neither
// side starts with a space, and the chomping indicator decides the final
// line breaks. An explicit indentation indicator is left to yaml.v3.
func (p *fastParser) blockScalar(indent int) *node {
	n := p.node(yaml.ScalarNode, p.line, p.col(p.pos))
	literal := p.src[p.pos] == '|'
	if literal {
		n.Style = yaml.LiteralStyle
	} else {
		n.Style = yaml.FoldedStyle
	}
	p.pos++
	chomp, increment := 0, 0
	for range 2 {
		if p.eof() {
			break
		}
		switch c := p.src[p.pos]; {
		case c == '+' && chomp == 0:
			chomp = 1
		case c == '-' && chomp == 0:
			chomp = -1
		case c >= '1' && c <= '9' && increment == 0:
			increment = int(c - '0')
		default:
			continue
		}
		p.pos++
	}
	if !p.isBlank(p.pos) {
		bail()
	}
	p.skipSpaces()
	if !p.atLineEnd() {
		bail()
	}
	p.nextLine()
	var b []byte
	blockInd := 0
	if increment > 0 {
		blockInd = max(indent, 0) + increment
	}
	trailing := 0
	// breaks consumes the indentation of the lines at pos and the blank
	// lines among them, counting their breaks; the first time, it settles
	// the indentation.
	breaks := func() {
		maxInd := 0
		for {
			for p.pos < len(p.src) && p.src[p.pos] == ' ' && (blockInd == 0 || p.pos-p.ls < blockInd) {
				p.pos++
			}
			maxInd = max(maxInd, p.pos-p.ls)
			if p.eof() || p.src[p.pos] != '\n' {
				break
			}
			trailing++
			p.nextLine()
		}
		if blockInd == 0 {
			if !p.eof() && p.pos-p.ls < maxInd {
				bail() // a blank line deeper than the first line of text
			}
			blockInd = max(maxInd, indent+1, 1)
		}
	}
	breaks()
	leadingBreak, leadingBlank := false, false
	for !p.eof() && p.pos-p.ls == blockInd {
		trailingBlank := p.src[p.pos] == ' '
		if !literal && leadingBreak && !leadingBlank && !trailingBlank {
			if trailing == 0 {
				b = append(b, ' ')
			}
		} else if leadingBreak {
			b = append(b, '\n')
		}
		leadingBreak = false
		for range trailing {
			b = append(b, '\n')
		}
		trailing = 0
		leadingBlank = trailingBlank
		e := strings.IndexByte(p.src[p.pos:], '\n')
		if e < 0 {
			b = append(b, p.src[p.pos:]...)
			p.pos = len(p.src)
			break
		}
		b = append(b, p.src[p.pos:p.pos+e]...)
		p.pos += e
		leadingBreak = true
		p.nextLine()
		breaks()
	}
	if chomp != -1 && leadingBreak {
		b = append(b, '\n')
	}
	if chomp == 1 {
		for range trailing {
			b = append(b, '\n')
		}
	}
	n.Value = string(b)
	if !p.eof() {
		p.pos = p.ls
		p.skipBlankLines()
	}
	return n
}

// flow parses a flow sequence or mapping at pos, leaving pos after its
// closing bracket. Its lines after the first must be indented more than
// the block collection it is in.
func (p *fastParser) flow(indent int) *node {
	p.depth++
	if p.depth > maxFastDepth {
		bail()
	}
	defer func() { p.depth-- }()
	open := p.src[p.pos]
	kind, close := yaml.SequenceNode, byte(']')
	if open == '{' {
		kind, close = yaml.MappingNode, '}'
	}
	n := p.node(kind, p.line, p.col(p.pos))
	n.Style = yaml.FlowStyle
	p.pos++
	start := len(p.kids)
	p.flowSpace(indent)
	if p.src[p.pos] == close {
		p.pos++
		return n
	}
	for {
		if kind == yaml.SequenceNode {
			p.kids = append(p.kids, p.flowNode(indent))
		} else {
			c := p.src[p.pos]
			if c == '[' || c == '{' || c == '*' {
				bail()
			}
			line := p.line
			k := p.flowNode(indent)
			if p.line != line {
				bail() // a key is on one line
			}
			// A key is on one line with its ':'.
			p.skipSpaces()
			// After a quoted key, as in JSON, the ':' needs no space.
			if p.eof() || p.src[p.pos] != ':' || !p.isBlank(p.pos+1) && k.Style == 0 {
				bail()
			}
			p.pos++
			p.flowSpace(indent)
			if c := p.src[p.pos]; c == ',' || c == '}' {
				bail() // an empty value
			}
			p.kids = append(p.kids, k, p.flowNode(indent))
		}
		p.flowSpace(indent)
		switch p.src[p.pos] {
		case ',':
			p.pos++
			p.flowSpace(indent)
			switch p.src[p.pos] {
			case ',':
				bail()
			case close: // a trailing comma
				p.pos++
			default:
				continue
			}
		case close:
			p.pos++
		default:
			bail()
		}
		break
	}
	n.Content = p.children(start)
	return n
}

// flowSpace skips spaces, line breaks and comments inside a flow
// collection; it stops at the next character, which must exist.
func (p *fastParser) flowSpace(indent int) {
	for {
		if p.eof() {
			bail()
		}
		switch c := p.src[p.pos]; {
		case c == ' ':
			p.pos++
		case c == '\n':
			p.nextLine()
			i := p.ls
			for i < len(p.src) && p.src[i] == ' ' {
				i++
			}
			if i < len(p.src) && p.src[i] != '\n' && p.src[i] != '#' && (i-p.ls <= indent || i == p.ls && p.docMarker(i)) {
				bail()
			}
		case c == '#':
			if p.pos > p.ls && p.src[p.pos-1] != ' ' {
				bail()
			}
			for p.pos < len(p.src) && p.src[p.pos] != '\n' {
				p.pos++
			}
		default:
			return
		}
	}
}

// flowNode parses a node inside a flow collection.
func (p *fastParser) flowNode(indent int) *node {
	start := p.pos
	switch c := p.src[start]; c {
	case '[', '{':
		return p.flow(indent)
	case '"', '\'':
		return p.quoted()
	case '*':
		return p.alias()
	case '&', '!', '?', ':', '%', '@', '`', ',', ']', '}', '#', '|', '>':
		bail()
	case '-':
		if p.isBlank(start + 1) {
			bail()
		}
	}
	n := p.node(yaml.ScalarNode, p.line, p.col(start))
	i := start
loop:
	for ; i < len(p.src); i++ {
		switch p.src[i] {
		case ',', '[', ']', '{', '}', '\n':
			break loop
		case '?':
			bail() // yaml.v3 ends a plain scalar there inside a flow collection
		case ':':
			if p.isBlank(i + 1) {
				break loop
			}
			bail()
		case '#':
			if p.src[i-1] == ' ' {
				break loop
			}
		}
	}
	end := p.trimRight(start, i)
	n.Value = p.src[start:end]
	p.pos = end
	return n
}
