package yaql

import (
	"regexp"
	"strconv"
	"strings"
	"sync"

	"hoist/value"
)

// Python regular expressions on Go's RE2. THT's patterns are plain, and
// RE2 accepts them; what differs is handled here: the classes \d \w \s are
// Unicode under re.UNICODE (yaql's regex()), \Z is \z, re.split includes
// capture groups, and re.sub replacement templates use \1 and \g<name>.
// Back-references and lookaround inside patterns are not supported (an
// error of kind "regex").

const (
	reIgnoreCase = 1 << iota
	reMultiLine
	reDotAll
	reUnicode
)

type regexObj struct {
	pattern string
	flags   int
	re      *regexp.Regexp
}

var regexCache sync.Map // pattern + "\x00" + flags -> *regexObj or error

func compileRegex(pattern string, flags int, off int) (*regexObj, error) {
	key := pattern + "\x00" + strconv.Itoa(flags)
	if c, ok := regexCache.Load(key); ok {
		if r, ok := c.(*regexObj); ok {
			return r, nil
		}
		return nil, errorf(off, "regex", c.(string))
	}
	src, err := translateRegex(pattern, flags&reUnicode != 0)
	var re *regexp.Regexp
	if err == nil {
		prefix := ""
		if flags&reIgnoreCase != 0 {
			prefix += "i"
		}
		if flags&reMultiLine != 0 {
			prefix += "m"
		}
		if flags&reDotAll != 0 {
			prefix += "s"
		}
		if prefix != "" {
			src = "(?" + prefix + ")" + src
		}
		re, err = regexp.Compile(src)
	}
	if err != nil {
		msg := "error: " + strings.TrimPrefix(err.Error(), "error parsing regexp: ") + " (pattern " + strconv.Quote(pattern) + "; hoist uses Go's RE2 for Python regexes)"
		regexCache.Store(key, msg)
		return nil, errorf(off, "regex", msg)
	}
	r := &regexObj{pattern: pattern, flags: flags, re: re}
	regexCache.Store(key, r)
	return r, nil
}

type regexSyntaxError string

func (e regexSyntaxError) Error() string { return string(e) }

// translateRegex rewrites Python syntax RE2 spells differently.
func translateRegex(p string, unicodeClasses bool) (string, error) {
	var b strings.Builder
	inClass := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			d := p[i+1]
			i++
			switch d {
			case 'd', 'w', 's', 'D', 'W', 'S':
				if unicodeClasses {
					b.WriteString(unicodeClass(d, inClass))
				} else {
					b.WriteByte('\\')
					b.WriteByte(d)
				}
			case 'Z':
				b.WriteString(`\z`)
			case 'u', 'U':
				n := 4
				if d == 'U' {
					n = 8
				}
				if i+1+n > len(p) {
					return "", regexSyntaxError("incomplete escape \\" + string(d))
				}
				hex := p[i+1 : i+1+n]
				if _, err := strconv.ParseUint(hex, 16, 32); err != nil {
					return "", regexSyntaxError("incomplete escape \\" + string(d) + hex)
				}
				b.WriteString(`\x{` + hex + `}`)
				i += n
			case '0':
				// Python: \0 and up to two more octal digits.
				j := i + 1
				v := 0
				for j < len(p) && j < i+3 && p[j] >= '0' && p[j] <= '7' {
					v = v*8 + int(p[j]-'0')
					j++
				}
				b.WriteString(`\x{` + strconv.FormatInt(int64(v), 16) + `}`)
				i = j - 1
			case '1', '2', '3', '4', '5', '6', '7', '8', '9':
				if inClass {
					return "", regexSyntaxError("octal escapes in classes are not supported")
				}
				return "", regexSyntaxError("back-references (\\" + string(d) + ") are not supported")
			default:
				b.WriteByte('\\')
				b.WriteByte(d)
			}
		case c == '[' && !inClass:
			inClass = true
			b.WriteByte(c)
			// A leading ] (after an optional ^) is literal in Python.
			if i+1 < len(p) && p[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
			if i+1 < len(p) && p[i+1] == ']' {
				b.WriteString(`\]`)
				i++
			}
		case c == ']' && inClass:
			inClass = false
			b.WriteByte(c)
		case c == '(' && !inClass && strings.HasPrefix(p[i:], "(?P="):
			return "", regexSyntaxError("named back-references are not supported")
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

func unicodeClass(d byte, inClass bool) string {
	pos := map[byte]string{'d': `\p{Nd}`, 'w': `\p{L}\p{N}_`, 's': `\s\x{1c}-\x{1f}\x{85}\p{Z}`}
	switch d {
	case 'd', 'w', 's':
		if inClass {
			return pos[d]
		}
		return "[" + pos[d] + "]"
	}
	lower := d + ('a' - 'A')
	if inClass { // a negated class inside a class: RE2 has no such thing
		return `\` + string(d)
	}
	return "[^" + pos[lower] + "]"
}

// search is re.search: the first match, as [start, end] pairs per group.
func (r *regexObj) search(s string) []int { return r.re.FindStringSubmatchIndex(s) }

// all returns the matches re.split and re.sub act on under Python 2.7:
// leftmost-first and non-overlapping, with no empty match right after a
// match (split then drops empty matches: Python 2 never split on one).
func (r *regexObj) all(s string) [][]int { return r.re.FindAllStringSubmatchIndex(s, -1) }

// split is re.split(string, maxsplit) as Python 2.7 computed it: the text
// between non-empty matches, with every capture group in between (null
// for a group that did not take part).
func (r *regexObj) split(s string, maxsplit int64) []*value.Value {
	var out []*value.Value
	last := 0
	n := int64(0)
	for _, m := range r.all(s) {
		if maxsplit > 0 && n >= maxsplit {
			break
		}
		if m[0] == m[1] {
			continue
		}
		out = append(out, value.NewString(s[last:m[0]], zr))
		for g := 1; g < len(m)/2; g++ {
			if m[2*g] < 0 {
				out = append(out, value.NewNull(zr))
			} else {
				out = append(out, value.NewString(s[m[2*g]:m[2*g+1]], zr))
			}
		}
		last = m[1]
		n++
	}
	return append(out, value.NewString(s[last:], zr))
}

// sub is re.sub(repl, string, count) with a Python replacement template.
func (r *regexObj) sub(s, repl string, count int64, off int) (string, error) {
	tmpl, err := parseTemplate(repl, r.re, off)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	last := 0
	n := int64(0)
	for _, m := range r.all(s) {
		if count > 0 && n >= count {
			break
		}
		b.WriteString(s[last:m[0]])
		for _, t := range tmpl {
			if t.group < 0 {
				b.WriteString(t.lit)
				continue
			}
			if m[2*t.group] < 0 {
				return "", errorf(off, "regex", "error: unmatched group")
			}
			b.WriteString(s[m[2*t.group]:m[2*t.group+1]])
		}
		last = m[1]
		n++
	}
	b.WriteString(s[last:])
	return b.String(), nil
}

type tmplPart struct {
	lit   string
	group int // -1 for a literal
}

// parseTemplate parses a Python 2 replacement template: \1..\99, \g<n>,
// \g<name>, the escapes \n \t \r \f \v \a \b \\ and octal ones; any other
// backslash stays as written.
func parseTemplate(t string, re *regexp.Regexp, off int) ([]tmplPart, error) {
	var parts []tmplPart
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			parts = append(parts, tmplPart{lit: lit.String(), group: -1})
			lit.Reset()
		}
	}
	group := func(g int) error {
		if g > re.NumSubexp() {
			return errorf(off, "regex", "error: invalid group reference")
		}
		flush()
		parts = append(parts, tmplPart{group: g})
		return nil
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c != '\\' || i+1 >= len(t) {
			lit.WriteByte(c)
			continue
		}
		d := t[i+1]
		switch {
		case d == 'g':
			end := strings.IndexByte(t[i:], '>')
			if i+2 >= len(t) || t[i+2] != '<' || end < 0 {
				return nil, errorf(off, "regex", "error: missing group name")
			}
			name := t[i+3 : i+end]
			g, err := strconv.Atoi(name)
			if err != nil {
				g = re.SubexpIndex(name)
				if g < 0 {
					return nil, errorf(off, "regex", "IndexError: unknown group name")
				}
			}
			if err := group(g); err != nil {
				return nil, err
			}
			i += end
		case d == '0' || (d >= '1' && d <= '7' && isOctal(t, i+1, 3)):
			j, v := i+1, 0
			for j < len(t) && j < i+4 && t[j] >= '0' && t[j] <= '7' {
				v = v*8 + int(t[j]-'0')
				j++
			}
			lit.WriteRune(rune(v))
			i = j - 1
		case d >= '1' && d <= '9':
			g := int(d - '0')
			j := i + 2
			if j < len(t) && t[j] >= '0' && t[j] <= '9' {
				g = g*10 + int(t[j]-'0')
				j++
			}
			if err := group(g); err != nil {
				return nil, err
			}
			i = j - 1
		default:
			esc := map[byte]string{'n': "\n", 't': "\t", 'r': "\r", 'f': "\f", 'v': "\v", 'a': "\a", 'b': "\b", '\\': "\\"}
			if e, ok := esc[d]; ok {
				lit.WriteString(e)
			} else {
				lit.WriteByte('\\')
				lit.WriteByte(d)
			}
			i++
		}
	}
	flush()
	return parts, nil
}

// isOctal reports whether t[i:i+n] are n octal digits (Python reads \123
// as an octal escape only with three digits, else as a group).
func isOctal(t string, i, n int) bool {
	if i+n > len(t) {
		return false
	}
	for k := i; k < i+n; k++ {
		if t[k] < '0' || t[k] > '7' {
			return false
		}
	}
	return true
}
