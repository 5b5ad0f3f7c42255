package yaql

import (
	"math/big"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"hoist/source"
	"hoist/value"
)

// tokKind classifies a token of the yaql lexer (yaql/language/lexer.py).
type tokKind uint8

const (
	tEOF      tokKind = iota
	tDollar           // $, $name, $1
	tNumber           // 12, 1.5
	tFunc             // name( — an identifier immediately followed by "("
	tKeyword          // a bare identifier
	tString           // '...', "...", `...`
	tOp               // an operator symbol or keyword operator
	tLParen           // (
	tRParen           // )
	tLBracket         // [ (indexer or list literal)
	tRBracket         // ]
	tLBrace           // { (map literal)
	tRBrace           // }
	tComma            // ,
	tMapping          // =>
	tTrue             // true
	tFalse            // false
	tNull             // null
)

type token struct {
	kind tokKind
	off  int          // byte offset in the expression
	end  int          // byte offset after the token
	text string       // identifier, operator, variable name (without $), string value
	num  *value.Value // the value of a number
}

// keyword operators: identifiers the lexer turns into operators.
var keywordOps = map[string]bool{"mod": true, "in": true, "not": true, "and": true, "or": true}

// symbolic operators, longest first: Ply tries string rules by decreasing
// regex length, which for this table is maximal munch.
var symbolOps = []string{"?.", "=~", "!~", "->", ">=", "<=", "!=", "=>", ".", "+", "-", "*", "/", ">", "<", "="}

// isWord is Python's \w under re.UNICODE: letters, digits, numerics and _.
func isWord(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

// isDigit is Python's \d under re.UNICODE (decimal digits of any script).
func isDigit(r rune) bool {
	if r < utf8.RuneSelf {
		return '0' <= r && r <= '9'
	}
	return unicode.Is(unicode.Nd, r)
}

// digitValue returns the value of a decimal digit of any script: Unicode
// lays each script's digits out as runs of ten starting at zero.
func digitValue(r rune) int {
	if r < utf8.RuneSelf {
		return int(r - '0')
	}
	for _, rg := range unicode.Nd.R16 {
		if rune(rg.Lo) <= r && r <= rune(rg.Hi) {
			return int(r-rune(rg.Lo)) % 10
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if rune(rg.Lo) <= r && r <= rune(rg.Hi) {
			return int(r-rune(rg.Lo)) % 10
		}
	}
	return 0
}

type lexer struct {
	src  string
	pos  int
	toks []token
}

func runeAt(s string, i int) rune {
	if i >= len(s) {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r
}

// runeBefore returns the rune ending at byte i, or -1 at the start.
func runeBefore(s string, i int) rune {
	if i <= 0 {
		return -1
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return r
}

// wordBoundary is \b at byte i.
func wordBoundary(s string, i int) bool {
	b, a := runeBefore(s, i), runeAt(s, i)
	return (b >= 0 && isWord(b)) != (a >= 0 && isWord(a))
}

// lex splits the expression into tokens the way yaql's Ply lexer does:
// rules are tried in yaql's order (dollar, number, function, keyword,
// strings, then operators longest first, then the literal characters).
func lex(src string) ([]token, error) {
	lx := &lexer{src: src, toks: make([]token, 0, len(src)/2+4)}
	for {
		for lx.pos < len(src) && strings.IndexByte(" \t\r\n", src[lx.pos]) >= 0 {
			lx.pos++
		}
		if lx.pos >= len(src) {
			lx.toks = append(lx.toks, token{kind: tEOF, off: lx.pos, end: lx.pos})
			return lx.toks, nil
		}
		if err := lx.next(); err != nil {
			return nil, err
		}
		lx.toks[len(lx.toks)-1].end = lx.pos
		if len(lx.toks) > maxTokens {
			return nil, &Error{Offset: lx.pos, Kind: "limit", Msg: "expression too long"}
		}
	}
}

const maxTokens = 100000

func (lx *lexer) emit(k tokKind, start int, text string) {
	lx.toks = append(lx.toks, token{kind: k, off: start, text: text})
}

func (lx *lexer) next() error {
	s, start := lx.src, lx.pos
	c := s[start]
	r := runeAt(s, start)
	// DOLLAR: \$\w*
	if c == '$' {
		i := start + 1
		for i < len(s) {
			r := runeAt(s, i)
			if !isWord(r) {
				break
			}
			i += utf8.RuneLen(r)
		}
		lx.emit(tDollar, start, s[start+1:i])
		lx.pos = i
		return nil
	}
	// NUMBER: \b\d+(\.?\d+)?\b
	if isDigit(r) && wordBoundary(s, start) {
		if end, ok := lx.matchNumber(start); ok {
			return lx.number(start, end)
		}
	}
	// FUNC: \b[^\W\d]\w*\( and KEYWORD_STRING: (?!__)\b[^\W\d]\w*\b
	if isWord(r) && !isDigit(r) && wordBoundary(s, start) {
		i := start
		for i < len(s) {
			r := runeAt(s, i)
			if !isWord(r) {
				break
			}
			i += utf8.RuneLen(r)
		}
		name := s[start:i]
		if i < len(s) && s[i] == '(' {
			lx.emit(tFunc, start, name)
			lx.pos = i + 1
			return nil
		}
		if !strings.HasPrefix(name, "__") {
			switch {
			case keywordOps[name]:
				lx.emit(tOp, start, name)
			case name == "true":
				lx.emit(tTrue, start, name)
			case name == "false":
				lx.emit(tFalse, start, name)
			case name == "null":
				lx.emit(tNull, start, name)
			default:
				lx.emit(tKeyword, start, name)
			}
			lx.pos = i
			return nil
		}
	}
	// Strings.
	if c == '\'' || c == '"' || c == '`' {
		if end, ok := matchQuoted(s, start, c); ok {
			body := s[start+1 : end-1]
			if c == '`' {
				body = strings.ReplaceAll(body, "\\`", "`")
			} else {
				var err error
				if body, err = decodeEscapes(body, start+1); err != nil {
					return err
				}
			}
			lx.emit(tString, start, body)
			lx.pos = end
			return nil
		}
	}
	// Keyword operators spelled without a word boundary before them (Ply's
	// string rules have no \b): "mod", "and", "not" then "in", "or".
	for _, op := range [...]string{"mod", "and", "not", "in", "or"} {
		if strings.HasPrefix(s[start:], op) {
			lx.emit(tOp, start, op)
			lx.pos = start + len(op)
			return nil
		}
	}
	for _, op := range symbolOps {
		if strings.HasPrefix(s[start:], op) {
			if op == "=>" {
				lx.emit(tMapping, start, op)
			} else {
				lx.emit(tOp, start, op)
			}
			lx.pos = start + len(op)
			return nil
		}
	}
	switch c {
	case '[':
		lx.emit(tLBracket, start, "[")
	case '{':
		lx.emit(tLBrace, start, "{")
	case '(':
		lx.emit(tLParen, start, "(")
	case ')':
		lx.emit(tRParen, start, ")")
	case ']':
		lx.emit(tRBracket, start, "]")
	case ',':
		lx.emit(tComma, start, ",")
	case '}':
		lx.emit(tRBrace, start, "}")
	default:
		return &Error{Offset: start, Kind: "syntax",
			Msg: "Lexical error: illegal character '" + string(r) + "' at position " + strconv.Itoa(start)}
	}
	lx.pos = start + 1
	return nil
}

// matchNumber matches \d+(\.?\d+)?\b at start as a backtracking regex
// engine would, in linear time: the match ends after the digits that
// follow a '.', or else after the first run of digits, wherever a word
// boundary follows (a boundary inside a run of digits is impossible).
func (lx *lexer) matchNumber(start int) (int, bool) {
	s := lx.src
	digitsEnd := func(i int) int {
		for i < len(s) {
			r := runeAt(s, i)
			if !isDigit(r) {
				break
			}
			i += utf8.RuneLen(r)
		}
		return i
	}
	e1 := digitsEnd(start)
	if e1 < len(s) && s[e1] == '.' {
		if e2 := digitsEnd(e1 + 1); e2 > e1+1 && wordBoundary(s, e2) {
			return e2, true
		}
	}
	if wordBoundary(s, e1) {
		return e1, true
	}
	return 0, false
}

func (lx *lexer) number(start, end int) error {
	text := lx.src[start:end]
	var ascii strings.Builder
	for _, r := range text {
		if r == '.' {
			ascii.WriteByte('.')
		} else {
			ascii.WriteByte(byte('0' + digitValue(r)))
		}
	}
	a := ascii.String()
	t := token{kind: tNumber, off: start, text: text}
	if strings.Contains(a, ".") {
		f, err := strconv.ParseFloat(a, 64)
		if err != nil && !isRangeErr(err) {
			return &Error{Offset: start, Kind: "syntax", Msg: "bad number " + text}
		}
		t.num = value.NewFloat(f, source.Range{})
	} else if i, err := strconv.ParseInt(a, 10, 64); err == nil {
		t.num = value.NewInt(i, source.Range{})
	} else {
		b, _ := new(big.Int).SetString(a, 10)
		t.num = value.NewBigInt(b, source.Range{})
	}
	lx.toks = append(lx.toks, t)
	lx.pos = end
	return nil
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// matchQuoted matches q([^q\\]|\\.)*q at start; "." does not match a
// newline. It returns the end after the closing quote.
func matchQuoted(s string, start int, q byte) (int, bool) {
	i := start + 1
	for i < len(s) {
		switch s[i] {
		case q:
			return i + 1, true
		case '\\':
			if i+1 >= len(s) || s[i+1] == '\n' {
				return 0, false
			}
			_, n := utf8.DecodeRuneInString(s[i+1:])
			i += 1 + n
		default:
			i++
		}
	}
	return 0, false
}

// decodeEscapes processes the escapes yaql's lexer decodes with Python's
// unicode-escape codec (\U........, \u...., \x.., octal, \N{...} and the
// single-character escapes); any other backslash is kept as written, so a
// regex such as '(\.|:)' survives.
func decodeEscapes(s string, off int) (string, error) {
	if strings.IndexByte(s, '\\') < 0 {
		return s, nil
	}
	var b strings.Builder
	bad := func(i int, what string) error {
		return &Error{Offset: off + i, Kind: "syntax", Msg: "(unicode error) 'unicodeescape' codec can't decode bytes: " + what}
	}
	for i := 0; i < len(s); {
		if s[i] != '\\' || i+1 >= len(s) {
			b.WriteByte(s[i])
			i++
			continue
		}
		c := s[i+1]
		switch c {
		case '\\', '\'', '"':
			b.WriteByte(c)
			i += 2
		case 'a':
			b.WriteByte(7)
			i += 2
		case 'b':
			b.WriteByte(8)
			i += 2
		case 'f':
			b.WriteByte(12)
			i += 2
		case 'n':
			b.WriteByte('\n')
			i += 2
		case 'r':
			b.WriteByte('\r')
			i += 2
		case 't':
			b.WriteByte('\t')
			i += 2
		case 'v':
			b.WriteByte(11)
			i += 2
		case 'x', 'u', 'U':
			n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[c]
			// The regex takes any n characters; the codec then needs hex.
			j, cnt := i+2, 0
			for j < len(s) && cnt < n && s[j] != '\n' {
				_, sz := utf8.DecodeRuneInString(s[j:])
				j += sz
				cnt++
			}
			if cnt < n {
				b.WriteByte('\\')
				i++
				continue
			}
			v, err := strconv.ParseUint(s[i+2:j], 16, 32)
			if err != nil || j-(i+2) != n {
				return "", bad(i, "truncated \\"+string(c)+" escape")
			}
			if v > unicode.MaxRune {
				return "", bad(i, "illegal Unicode character")
			}
			b.WriteRune(rune(v))
			i = j
		case '0', '1', '2', '3', '4', '5', '6', '7':
			j := i + 1
			v := 0
			for j < len(s) && j < i+4 && s[j] >= '0' && s[j] <= '7' {
				v = v*8 + int(s[j]-'0')
				j++
			}
			b.WriteRune(rune(v))
			i = j
		case 'N':
			if end := strings.IndexByte(s[i:], '}'); i+2 < len(s) && s[i+2] == '{' && end > 3 {
				return "", bad(i, "\\N{...} escapes are not supported by hoist")
			}
			b.WriteByte('\\')
			i++
		default:
			b.WriteByte('\\')
			i++
		}
	}
	return b.String(), nil
}
