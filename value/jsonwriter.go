package value

import (
	"bytes"
	"strconv"
)

// JSONWriter appends JSON in MarshalIndent's form (two-space indent,
// non-ASCII as it is) as its caller walks a document, for documents too
// large to be built as values first (the manifest of a 1,000-node tree).
// The caller gives object keys in sorted order, as MarshalIndent would
// write them.
type JSONWriter struct {
	buf []byte
	// open are the containers begun and not yet ended, innermost last:
	// their closing byte and whether something was written in them.
	open []openContainer
	// base is the depth the document starts at.
	base int
	// keyed: a key was just written, its value comes on the same line.
	keyed bool
}

type openContainer struct {
	end  byte
	full bool
}

// NewJSONWriter returns a writer that appends to dst a value nested depth
// levels deep (0 for a whole document): its inner lines are indented as
// they would be at that depth.
func NewJSONWriter(dst []byte, depth int) *JSONWriter {
	return &JSONWriter{buf: dst, base: depth}
}

// Bytes returns what was written, dst included.
func (w *JSONWriter) Bytes() []byte { return w.buf }

func (w *JSONWriter) depth() int { return w.base + len(w.open) }

func (w *JSONWriter) newline(depth int) {
	w.buf = append(w.buf, '\n')
	for range depth {
		w.buf = append(w.buf, "  "...)
	}
}

// item starts a value: in a list, on its own line after a comma when it
// is not the first; after a key, where it is.
func (w *JSONWriter) item() {
	if w.keyed {
		w.keyed = false
		return
	}
	if n := len(w.open); n > 0 {
		if w.open[n-1].full {
			w.buf = append(w.buf, ',')
		}
		w.open[n-1].full = true
		w.newline(w.depth())
	}
}

// Key starts an entry of the object being written.
func (w *JSONWriter) Key(k string) {
	w.item()
	w.buf = AppendJSONString(w.buf, k)
	w.buf = append(w.buf, ": "...)
	w.keyed = true
}

// BeginObject and BeginList start a container; End ends the innermost.
func (w *JSONWriter) BeginObject() { w.begin('{', '}') }

// BeginList: see BeginObject.
func (w *JSONWriter) BeginList() { w.begin('[', ']') }

func (w *JSONWriter) begin(start, end byte) {
	w.item()
	w.buf = append(w.buf, start)
	w.open = append(w.open, openContainer{end: end})
}

// End: see BeginObject. An empty container is written {} or [].
func (w *JSONWriter) End() {
	c := w.open[len(w.open)-1]
	w.open = w.open[:len(w.open)-1]
	if c.full {
		w.newline(w.depth())
	}
	w.buf = append(w.buf, c.end)
}

// String writes a string.
func (w *JSONWriter) String(s string) {
	w.item()
	w.buf = AppendJSONString(w.buf, s)
}

// Strings writes a list of strings.
func (w *JSONWriter) Strings(ss []string) {
	w.BeginList()
	for _, s := range ss {
		w.String(s)
	}
	w.End()
}

// Int writes an integer.
func (w *JSONWriter) Int(n int64) {
	w.item()
	w.buf = strconv.AppendInt(w.buf, n, 10)
}

// Bool writes true or false.
func (w *JSONWriter) Bool(b bool) {
	w.item()
	w.buf = strconv.AppendBool(w.buf, b)
}

// Value writes v as MarshalIndent would at this depth.
func (w *JSONWriter) Value(v *Value) {
	w.item()
	b := bytes.NewBuffer(w.buf)
	e := jsonEncoder{w: b, o: JSONOptions{SortKeys: true, Indent: "  ", Unicode: true}}
	e.value(v, w.depth())
	w.buf = b.Bytes()
}

// Raw writes a value rendered before by a JSONWriter made at this depth
// (NewJSONWriter(nil, depth)): a value written many times is rendered
// once.
func (w *JSONWriter) Raw(rendered []byte) {
	w.item()
	w.buf = append(w.buf, rendered...)
}

// AppendJSONString appends s as a JSON string, non-ASCII as it is (the
// quoting of MarshalIndent).
func AppendJSONString(dst []byte, s string) []byte {
	plain := true
	for i := 0; i < len(s) && plain; i++ {
		c := s[i]
		plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\'
	}
	if plain {
		dst = append(dst, '"')
		dst = append(dst, s...)
		return append(dst, '"')
	}
	b := bytes.NewBuffer(dst)
	e := jsonEncoder{w: b, o: JSONOptions{Unicode: true}}
	e.quote(s)
	return b.Bytes()
}
