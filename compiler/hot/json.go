package hot

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"hoist/source"
	"hoist/value"
)

// ParseJSON parses s as Python's json.loads does: objects keep key order
// and a repeated key keeps the last value, integers are exact (arbitrary
// size), numbers with a fraction or exponent are floats, NaN and Infinity
// are accepted, control characters inside strings are not. Every value is
// placed at r.
func ParseJSON(s string, r source.Range) (*value.Value, error) {
	p := &jsonParser{s: s, r: r}
	p.ws()
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.ws()
	if p.i != len(p.s) {
		return nil, p.errorf("extra data")
	}
	return v, nil
}

type jsonParser struct {
	s string
	i int
	r source.Range
}

const maxJSONDepth = 500

func (p *jsonParser) errorf(format string, args ...any) error {
	line, col := 1, 1
	for _, c := range p.s[:min(p.i, len(p.s))] {
		if c == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return fmt.Errorf("%s: line %d column %d (char %d)", fmt.Sprintf(format, args...), line, col, len([]rune(p.s[:min(p.i, len(p.s))])))
}

func (p *jsonParser) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (*value.Value, error) {
	if depth > maxJSONDepth {
		return nil, p.errorf("nesting deeper than %d levels", maxJSONDepth)
	}
	if p.i >= len(p.s) {
		return nil, p.errorf("expecting value")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		p.i++
		m := value.NewMapping(4)
		p.ws()
		if p.i < len(p.s) && p.s[p.i] == '}' {
			p.i++
			return value.NewMap(m, p.r), nil
		}
		for {
			p.ws()
			if p.i >= len(p.s) || p.s[p.i] != '"' {
				return nil, p.errorf("expecting property name enclosed in double quotes")
			}
			k, err := p.str()
			if err != nil {
				return nil, err
			}
			p.ws()
			if p.i >= len(p.s) || p.s[p.i] != ':' {
				return nil, p.errorf("expecting ':' delimiter")
			}
			p.i++
			p.ws()
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			m.Set(value.NewString(k, p.r), v)
			p.ws()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.s) && p.s[p.i] == '}' {
				p.i++
				return value.NewMap(m, p.r), nil
			}
			return nil, p.errorf("expecting ',' delimiter")
		}
	case c == '[':
		p.i++
		var items []*value.Value
		p.ws()
		if p.i < len(p.s) && p.s[p.i] == ']' {
			p.i++
			return value.NewList(items, p.r), nil
		}
		for {
			p.ws()
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			items = append(items, v)
			p.ws()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.s) && p.s[p.i] == ']' {
				p.i++
				return value.NewList(items, p.r), nil
			}
			return nil, p.errorf("expecting ',' delimiter")
		}
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return value.NewString(s, p.r), nil
	case strings.HasPrefix(p.s[p.i:], "null"):
		p.i += 4
		return value.NewNull(p.r), nil
	case strings.HasPrefix(p.s[p.i:], "true"):
		p.i += 4
		return value.NewBool(true, p.r), nil
	case strings.HasPrefix(p.s[p.i:], "false"):
		p.i += 5
		return value.NewBool(false, p.r), nil
	case strings.HasPrefix(p.s[p.i:], "NaN"):
		p.i += 3
		return value.NewFloat(math.NaN(), p.r), nil
	case strings.HasPrefix(p.s[p.i:], "Infinity"):
		p.i += 8
		return value.NewFloat(math.Inf(1), p.r), nil
	case strings.HasPrefix(p.s[p.i:], "-Infinity"):
		p.i += 9
		return value.NewFloat(math.Inf(-1), p.r), nil
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	return nil, p.errorf("expecting value")
}

func (p *jsonParser) number() (*value.Value, error) {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	digits := func() int {
		n := 0
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.i < len(p.s) && p.s[p.i] == '0' {
		p.i++
	} else if digits() == 0 {
		p.i = start
		return nil, p.errorf("expecting value")
	}
	isFloat := false
	if p.i+1 < len(p.s) && p.s[p.i] == '.' && p.s[p.i+1] >= '0' && p.s[p.i+1] <= '9' {
		p.i++
		digits()
		isFloat = true
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		save := p.i
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			p.i = save
		} else {
			isFloat = true
		}
	}
	lit := p.s[start:p.i]
	if !isFloat {
		v, ok := value.FromJSONNumber(lit)
		if !ok {
			return nil, p.errorf("bad number %q", lit)
		}
		v.Range = p.r
		return v, nil
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil && !isRangeErr(err) {
		return nil, p.errorf("bad number %q", lit)
	}
	return value.NewFloat(f, p.r), nil
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

func (p *jsonParser) str() (string, error) {
	p.i++ // opening quote
	var b strings.Builder
	for {
		if p.i >= len(p.s) {
			return "", p.errorf("unterminated string")
		}
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return b.String(), nil
		case c < 0x20:
			return "", p.errorf("invalid control character")
		case c == '\\':
			if p.i+1 >= len(p.s) {
				return "", p.errorf("unterminated string")
			}
			e := p.s[p.i+1]
			p.i += 2
			switch e {
			case '"', '\\', '/':
				b.WriteByte(e)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				r, ok := p.hex4()
				if !ok {
					return "", p.errorf("invalid \\uXXXX escape")
				}
				if utf16.IsSurrogate(r) && strings.HasPrefix(p.s[p.i:], `\u`) {
					save := p.i
					p.i += 2
					if r2, ok := p.hex4(); ok {
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							b.WriteRune(d)
							continue
						}
					}
					p.i = save
				}
				b.WriteRune(r)
			default:
				return "", p.errorf("invalid \\escape")
			}
		default:
			r, size := utf8.DecodeRuneInString(p.s[p.i:])
			b.WriteRune(r)
			p.i += size
		}
	}
}

func (p *jsonParser) hex4() (rune, bool) {
	if p.i+4 > len(p.s) {
		return 0, false
	}
	n, err := strconv.ParseUint(p.s[p.i:p.i+4], 16, 32)
	if err != nil {
		return 0, false
	}
	p.i += 4
	return rune(n), true
}
