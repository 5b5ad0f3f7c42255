package yaql

import (
	"strconv"

	"hoist/source"
	"hoist/value"
)

// nodeKind classifies a node of the parsed expression.
type nodeKind uint8

const (
	nConst   nodeKind = iota // a literal: string, number, true, false, null
	nKeyword                 // a bare identifier (a constant string, or a member name)
	nVar                     // $, $name, $1
	nCall                    // name(args)
	nBinary                  // l op r, including "." and "?."
	nUnary                   // op x
	nIndex                   // x[args]
	nList                    // [args]
	nMap                     // {args}
	nWrap                    // (x)
	nNamed                   // l => r
	nOmitted                 // an empty positional argument slot: f(1,,2)
)

// node is one node of the syntax tree. Nodes are immutable after parsing,
// so an Expr can be evaluated from many goroutines.
type node struct {
	kind nodeKind
	off  int    // byte offset of the token that produced the node
	name string // operator, function name, keyword, variable name
	val  *value.Value
	args []*node // operands, arguments, items
}

// Binding powers, from yaql's operator table (factory.py): lower levels
// bind tighter. bp(level) grows as the level binds tighter.
func bp(level int) int { return (20 - level) * 10 }

var binaryLevel = map[string]int{
	".": 1, "?.": 1,
	"=~": 4, "!~": 4,
	"*": 5, "/": 5, "mod": 5,
	"+": 6, "-": 6,
	">": 7, "<": 7, ">=": 7, "<=": 7, "!=": 7, "=": 7, "in": 7,
	"and": 9,
	"or":  10,
	"->":  11,
}

const (
	indexLevel  = 2
	unaryLevel  = 3
	notLevel    = 8
	maxDepth    = 200
	maxExprSize = 1 << 20
)

type parser struct {
	src   string
	toks  []token
	pos   int
	depth int
}

func parse(src string) (*node, error) {
	if len(src) > maxExprSize {
		return nil, &Error{Offset: 0, Kind: "limit", Msg: "expression longer than " + strconv.Itoa(maxExprSize) + " bytes"}
	}
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks}
	n, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, p.unexpected(t)
	}
	return n, nil
}

func (p *parser) peek() token { return p.toks[p.pos] }

func (p *parser) advance() token {
	t := p.toks[p.pos]
	if t.kind != tEOF {
		p.pos++
	}
	return t
}

func (p *parser) unexpected(t token) error {
	if t.kind == tEOF {
		return &Error{Offset: t.off, Kind: "syntax", Msg: "Parse error: unexpected end of statement"}
	}
	text := p.src[t.off:t.end]
	return &Error{Offset: t.off, Kind: "syntax",
		Msg: "Parse error: unexpected '" + text + "' at position " + strconv.Itoa(t.off) + " of expression '" + p.src + "'"}
}

// expr parses an expression whose operators bind at least as tightly as
// minBP (Pratt parsing with yaql's precedence table).
func (p *parser) expr(minBP int) (*node, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return nil, &Error{Offset: p.peek().off, Kind: "limit", Msg: "expression nested deeper than " + strconv.Itoa(maxDepth) + " levels"}
	}
	left, err := p.prefix()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		switch {
		case t.kind == tLBracket:
			if bp(indexLevel) < minBP {
				return left, nil
			}
			p.advance()
			args, err := p.args(tRBracket)
			if err != nil {
				return nil, err
			}
			left = &node{kind: nIndex, off: t.off, args: append([]*node{left}, args...)}
		case t.kind == tOp && t.text != "not":
			level, ok := binaryLevel[t.text]
			if !ok { // a prefix-only operator in infix position
				return nil, p.unexpected(t)
			}
			lbp := bp(level)
			if lbp < minBP {
				return left, nil
			}
			p.advance()
			rbp := lbp + 1
			if t.text == "->" { // right-associative
				rbp = lbp
			}
			right, err := p.expr(rbp)
			if err != nil {
				return nil, err
			}
			left = &node{kind: nBinary, off: t.off, name: t.text, args: []*node{left, right}}
		default:
			return left, nil
		}
	}
}

func (p *parser) prefix() (*node, error) {
	t := p.advance()
	switch t.kind {
	case tString:
		return &node{kind: nConst, off: t.off, val: value.NewString(t.text, source.Range{})}, nil
	case tNumber:
		v := t.num
		return &node{kind: nConst, off: t.off, val: v}, nil
	case tTrue, tFalse:
		return &node{kind: nConst, off: t.off, val: value.NewBool(t.kind == tTrue, source.Range{})}, nil
	case tNull:
		return &node{kind: nConst, off: t.off, val: value.NewNull(source.Range{})}, nil
	case tKeyword:
		return &node{kind: nKeyword, off: t.off, name: t.text}, nil
	case tDollar:
		return &node{kind: nVar, off: t.off, name: t.text}, nil
	case tLParen:
		x, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		if c := p.advance(); c.kind != tRParen {
			return nil, p.unexpected(c)
		}
		return &node{kind: nWrap, off: t.off, args: []*node{x}}, nil
	case tFunc:
		args, err := p.args(tRParen)
		if err != nil {
			return nil, err
		}
		return &node{kind: nCall, off: t.off, name: t.text, args: args}, nil
	case tLBracket:
		args, err := p.args(tRBracket)
		if err != nil {
			return nil, err
		}
		return &node{kind: nList, off: t.off, args: args}, nil
	case tLBrace:
		args, err := p.args(tRBrace)
		if err != nil {
			return nil, err
		}
		return &node{kind: nMap, off: t.off, args: args}, nil
	case tOp:
		switch t.text {
		case "+", "-":
			x, err := p.expr(bp(unaryLevel))
			if err != nil {
				return nil, err
			}
			return &node{kind: nUnary, off: t.off, name: t.text, args: []*node{x}}, nil
		case "not":
			x, err := p.expr(bp(notLevel))
			if err != nil {
				return nil, err
			}
			return &node{kind: nUnary, off: t.off, name: t.text, args: []*node{x}}, nil
		}
	}
	return nil, p.unexpected(t)
}

// args parses an argument list up to the closing token, with yaql's
// grammar: positional arguments (a slot may be left empty, except the
// last), then named ones (name => value).
func (p *parser) args(closing tokKind) ([]*node, error) {
	var out []*node
	if p.peek().kind == closing {
		p.advance()
		return out, nil
	}
	named := false
	for {
		t := p.peek()
		if t.kind == tComma { // an empty positional slot
			if named {
				return nil, p.unexpected(t)
			}
			p.advance()
			out = append(out, &node{kind: nOmitted, off: t.off})
			continue
		}
		x, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		if m := p.peek(); m.kind == tMapping {
			p.advance()
			y, err := p.expr(0)
			if err != nil {
				return nil, err
			}
			// Named arguments may follow positional ones, with at most one
			// empty slot directly before the first of them.
			if !named && len(out) > 0 && out[len(out)-1].kind == nOmitted &&
				(len(out) < 2 || out[len(out)-2].kind == nOmitted) {
				return nil, p.unexpected(m)
			}
			x = &node{kind: nNamed, off: m.off, args: []*node{x, y}}
			named = true
		} else if named {
			return nil, p.unexpected(p.toks[p.pos-1])
		}
		out = append(out, x)
		switch t := p.advance(); t.kind {
		case tComma:
			if p.peek().kind == closing {
				return nil, p.unexpected(p.peek())
			}
		case closing:
			return out, nil
		default:
			return nil, p.unexpected(t)
		}
	}
}
