package jinja

import (
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"

	"hoist/value"
)

// pyList is a Python list as templates see it. It is always held through a
// pointer, so that l.append(x) and l.pop() inside a loop change the list
// that every holder of it sees, as in Python (THT relies on this to work
// around Jinja's loop scoping). It prints as Python's repr does.
type pyList []any

// String returns the list's Python repr, e.g. ['primary', 'controller'].
func (l pyList) String() string { return pyRepr(l) }

// toJinja turns a loaded YAML value into the Go value the template engine
// sees: maps become ordered dicts (Python 3.7+ dicts keep insertion order,
// which `{% for key in dict %}` shows), lists become *pyList.
func toJinja(v *value.Value) any {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case value.Bool:
		return v.Bool
	case value.Int:
		if v.Big != nil {
			return new(big.Int).Set(v.Big) // prints right; gonja cannot compute with it
		}
		return int(v.Int)
	case value.Float:
		return v.Float
	case value.String:
		return v.Str
	case value.List:
		l := make(pyList, len(v.List))
		for i, x := range v.List {
			l[i] = toJinja(x)
		}
		return &l
	case value.Map:
		d := &exec.Dict{Pairs: make([]*exec.Pair, 0, v.Map.Len())}
		for _, e := range v.Map.Entries() {
			d.Pairs = append(d.Pairs, &exec.Pair{Key: exec.AsValue(toJinja(e.Key)), Value: exec.AsValue(toJinja(e.Val))})
		}
		return d
	}
	return nil // null, and unknowns (which YAML input never holds)
}

// plain unwraps an *exec.Value into the Go value it holds.
func plain(x any) any {
	for {
		v, ok := x.(*exec.Value)
		if !ok {
			return x
		}
		if v == nil || !v.Val.IsValid() {
			return nil
		}
		x = v.Val.Interface()
	}
}

// asList turns a list the engine built (a literal such as [] or [a, b], a
// filter result) into a *pyList holding plain values; other values are
// returned unchanged.
func asList(x any) any {
	switch l := plain(x).(type) {
	case exec.ValuesList:
		out := make(pyList, len(l))
		for i, item := range l {
			out[i] = plain(item)
		}
		return &out
	case []any:
		out := make(pyList, len(l))
		for i, item := range l {
			out[i] = plain(item)
		}
		return &out
	}
	return x
}

// pyRepr returns Python 3's repr() of a template value.
func pyRepr(x any) string {
	var b strings.Builder
	writeRepr(&b, x)
	return b.String()
}

func writeRepr(b *strings.Builder, x any) {
	switch v := plain(x).(type) {
	case nil:
		b.WriteString("None")
	case bool:
		if v {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
	case string:
		b.WriteString(pyStrRepr(v))
	case int:
		b.WriteString(strconv.Itoa(v))
	case int64:
		b.WriteString(strconv.FormatInt(v, 10))
	case *big.Int:
		b.WriteString(v.String())
	case float64:
		b.WriteString(pyFloatRepr(v))
	case pyTuple:
		b.WriteByte('(')
		for i, item := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, item)
		}
		if len(v) == 1 {
			b.WriteByte(',')
		}
		b.WriteByte(')')
	case *pyList:
		writeListRepr(b, *v)
	case pyList:
		writeListRepr(b, v)
	case []any:
		writeListRepr(b, v)
	case exec.ValuesList:
		b.WriteByte('[')
		for i, item := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, item)
		}
		b.WriteByte(']')
	case *exec.Dict:
		writeDictRepr(b, v)
	case exec.Dict:
		writeDictRepr(b, &v)
	default:
		// Anything else comes from the engine's built-ins (a Go map from a
		// filter, say); the engine prints it in its own Python-like way.
		b.WriteString(exec.ToValue(v).String())
	}
}

func writeListRepr(b *strings.Builder, l []any) {
	b.WriteByte('[')
	for i, item := range l {
		if i > 0 {
			b.WriteString(", ")
		}
		writeRepr(b, item)
	}
	b.WriteByte(']')
}

func writeDictRepr(b *strings.Builder, d *exec.Dict) {
	b.WriteByte('{')
	for i, p := range d.Pairs {
		if i > 0 {
			b.WriteString(", ")
		}
		writeRepr(b, p.Key)
		b.WriteString(": ")
		writeRepr(b, p.Value)
	}
	b.WriteByte('}')
}

// pyStrRepr is Python 3's repr() of a str: single quotes unless the text
// holds a single quote and no double quote, backslash escapes for the quote,
// backslash and control characters.
func pyStrRepr(s string) string {
	q := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == rune(q) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\x`)
			b.WriteString(hex2(byte(r)))
		case r >= 0x80 && r < 0xa0:
			b.WriteString(`\x`)
			b.WriteString(hex2(byte(r)))
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}

// pyFloatRepr is Python 3's repr() of a float: the shortest text that
// reads back as the same float, in positional notation for exponents from
// -4 to 15 and in scientific notation (two-digit exponent at least)
// otherwise.
func pyFloatRepr(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±XX
	mant, expText, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expText)
	if exp < -4 || exp >= 16 {
		sign := "+"
		if exp < 0 {
			sign = "-"
			exp = -exp
		}
		e := strconv.Itoa(exp)
		if len(e) < 2 {
			e = "0" + e
		}
		return mant + "e" + sign + e
	}
	out := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsAny(out, ".") {
		out += ".0"
	}
	return out
}
