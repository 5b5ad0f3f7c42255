package value

import (
	"bufio"
	"bytes"
	"io"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// JSONOptions selects how WriteJSON renders a value. The zero value is
// Python's json.dumps defaults: one line, ", " and ": " separators, keys in
// map order, non-ASCII characters escaped.
type JSONOptions struct {
	// Indent, when not empty, puts each item on its own line, indented by
	// this string per level (Python's indent=, which then separates items
	// with "," at line ends).
	Indent string
	// SortKeys sorts map keys (Python's sort_keys=True).
	SortKeys bool
	// Unicode writes non-ASCII characters as they are
	// (Python's ensure_ascii=False).
	Unicode bool
	// Compact uses "," and ":" without spaces (Python's
	// separators=(",", ":")).
	Compact bool
}

// UnknownKey is the key of the one-entry object an unknown value is written
// as: {"<unknown>": "reason"}.
const UnknownKey = "<unknown>"

// Dumps renders v as Heat rendered lists and maps inside strings:
// json.dumps(v, sort_keys=True) with Python's default separators and ASCII
// escaping, for example {"a": 1, "b": [1, 2]}.
func Dumps(v *Value) string {
	var b strings.Builder
	_ = WriteJSON(&b, v, JSONOptions{SortKeys: true})
	return b.String()
}

// Clip is v as Dumps writes it (ASCII), cut to at most max characters
// with "..." ending a cut: for a message or a provenance note that quotes
// a value of any size.
func Clip(v *Value, max int) string {
	s := Dumps(v)
	if len(s) <= max {
		return s
	}
	return s[:max-3] + "..."
}

// MarshalIndent renders v as sorted, two-space indented JSON, the form
// hoist writes its artifacts in (without the final newline).
func MarshalIndent(v *Value) []byte {
	var b bytes.Buffer
	_ = WriteJSON(&b, v, JSONOptions{SortKeys: true, Indent: "  ", Unicode: true})
	return b.Bytes()
}

// WriteJSON writes v to w as Python's json.dumps would with the options.
func WriteJSON(w io.Writer, v *Value, o JSONOptions) error {
	bw, ok := w.(interface {
		io.Writer
		io.StringWriter
		io.ByteWriter
	})
	var flush func() error
	if !ok {
		b := bufio.NewWriter(w)
		bw, flush = b, b.Flush
	}
	e := jsonEncoder{w: bw, o: o}
	e.value(v, 0)
	if flush != nil {
		if err := flush(); err != nil {
			return err
		}
	}
	return e.err
}

type jsonEncoder struct {
	w interface {
		io.Writer
		io.StringWriter
		io.ByteWriter
	}
	o   JSONOptions
	err error
}

func (e *jsonEncoder) str(s string) {
	if e.err == nil {
		_, e.err = e.w.WriteString(s)
	}
}

func (e *jsonEncoder) byte(c byte) {
	if e.err == nil {
		e.err = e.w.WriteByte(c)
	}
}

func (e *jsonEncoder) newline(depth int) {
	e.byte('\n')
	for i := 0; i < depth; i++ {
		e.str(e.o.Indent)
	}
}

func (e *jsonEncoder) sep() {
	switch {
	case e.o.Indent != "" || e.o.Compact:
		e.byte(',')
	default:
		e.str(", ")
	}
}

func (e *jsonEncoder) colon() {
	if e.o.Compact {
		e.byte(':')
	} else {
		e.str(": ")
	}
}

func (e *jsonEncoder) value(v *Value, depth int) {
	switch KindOf(v) {
	case Null:
		e.str("null")
	case Bool:
		if v.Bool {
			e.str("true")
		} else {
			e.str("false")
		}
	case Int:
		e.str(intString(v))
	case Float:
		e.str(jsonFloat(v.Float))
	case String:
		e.quote(v.Str)
	case List:
		if len(v.List) == 0 {
			e.str("[]")
			return
		}
		e.byte('[')
		for i, it := range v.List {
			if i > 0 {
				e.sep()
			}
			if e.o.Indent != "" {
				e.newline(depth + 1)
			}
			e.value(it, depth+1)
		}
		if e.o.Indent != "" {
			e.newline(depth)
		}
		e.byte(']')
	case Map:
		ents := v.Map.Entries()
		if len(ents) == 0 {
			e.str("{}")
			return
		}
		keys := make([]string, len(ents))
		order := make([]int, len(ents))
		for i, en := range ents {
			keys[i] = JSONKey(en.Key)
			order[i] = i
		}
		if e.o.SortKeys && !slices.IsSorted(keys) {
			slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(keys[a], keys[b]) })
		}
		e.byte('{')
		for n, i := range order {
			if n > 0 {
				e.sep()
			}
			if e.o.Indent != "" {
				e.newline(depth + 1)
			}
			e.quote(keys[i])
			e.colon()
			e.value(ents[i].Val, depth+1)
		}
		if e.o.Indent != "" {
			e.newline(depth)
		}
		e.byte('}')
	case Unknown:
		m := NewMapping(1)
		m.Set(NewString(UnknownKey, v.Range), NewString(v.Str, v.Range))
		e.value(NewMap(m, v.Range), depth)
	}
}

// JSONKey is the object key Python's json module writes for a dict key:
// strings as they are, true/false/null, and numbers in their repr.
func JSONKey(k *Value) string {
	switch KindOf(k) {
	case String:
		return k.Str
	case Null:
		return "null"
	case Bool:
		if k.Bool {
			return "true"
		}
		return "false"
	case Int:
		return intString(k)
	case Float:
		return jsonFloat(k.Float)
	}
	return Str(k)
}

func jsonFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case math.IsNaN(f):
		return "NaN"
	}
	return PyFloatRepr(f)
}

const hexDigits = "0123456789abcdef"

func (e *jsonEncoder) quote(s string) {
	e.byte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
			i++
			continue
		}
		if c >= 0x80 && e.o.Unicode {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
			continue
		}
		e.str(s[start:i])
		switch c {
		case '"':
			e.str(`\"`)
			i++
		case '\\':
			e.str(`\\`)
			i++
		case '\n':
			e.str(`\n`)
			i++
		case '\r':
			e.str(`\r`)
			i++
		case '\t':
			e.str(`\t`)
			i++
		case '\b':
			e.str(`\b`)
			i++
		case '\f':
			e.str(`\f`)
			i++
		default:
			if c < 0x80 {
				if c == 0x7f && e.o.Unicode {
					e.byte(c)
				} else {
					e.u4(rune(c))
				}
				i++
				break
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			i += size
			if r > 0xffff {
				r -= 0x10000
				e.u4(0xd800 + (r>>10)&0x3ff)
				e.u4(0xdc00 + r&0x3ff)
			} else {
				e.u4(r)
			}
		}
		start = i
	}
	e.str(s[start:])
	e.byte('"')
}

func (e *jsonEncoder) u4(r rune) {
	e.str(`\u`)
	e.byte(hexDigits[r>>12&0xf])
	e.byte(hexDigits[r>>8&0xf])
	e.byte(hexDigits[r>>4&0xf])
	e.byte(hexDigits[r&0xf])
}

// FromJSONNumber parses a JSON number literal the way Python's json module
// does: an int when it has no fraction or exponent, else a float.
func FromJSONNumber(s string) (*Value, bool) {
	if !strings.ContainsAny(s, ".eE") {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return &Value{Kind: Int, Int: i}, true
		}
		if b, ok := parseBig(s); ok {
			return &Value{Kind: Int, Big: b}, true
		}
		return nil, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, false
	}
	return &Value{Kind: Float, Float: f}, true
}

func parseBig(s string) (*big.Int, bool) {
	return new(big.Int).SetString(s, 10)
}
