package pyre

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Error is an invalid pattern or replacement template, as Python reports it:
// Kind is the Python exception ("error" for re.error, "OverflowError",
// "ValueError", "IndexError"), Msg its message, Pos the position in code
// points (-1 when Python gives none).
type Error struct {
	Kind    string
	Msg     string
	Pattern string
	Pos     int
}

// Error is Python's str(exc): "missing ), unterminated subpattern at
// position 0", with the line and column when the pattern has several lines.
func (e *Error) Error() string {
	if e.Pos < 0 {
		return e.Msg
	}
	msg := fmt.Sprintf("%s at position %d", e.Msg, e.Pos)
	if strings.Contains(e.Pattern, "\n") {
		rs := []rune(e.Pattern)
		pos := min(e.Pos, len(rs))
		line, nl := 1, -1
		for i, c := range rs[:pos] {
			if c == '\n' {
				line, nl = line+1, i
			}
		}
		col := pos - nl
		msg = fmt.Sprintf("%s (line %d, column %d)", msg, line, col)
	}
	return msg
}

// ErrBacktrack is wrapped by the error a match returns when it ran into
// the backtracking limits (time or stack) that keep hostile patterns from
// hanging hoist.
var ErrBacktrack = errors.New("the match needs too much backtracking")

// repr is Python 3's repr of a str.
func repr(s string) string {
	q := byte('\'')
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, c := range s {
		switch {
		case c == rune(q) || c == '\\':
			b.WriteByte('\\')
			b.WriteRune(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		case c < 0x7f || (unicode.IsPrint(c) && c != 0xad):
			b.WriteRune(c)
		case c < 0x100:
			fmt.Fprintf(&b, `\x%02x`, c)
		case c < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			fmt.Fprintf(&b, `\U%08x`, c)
		}
	}
	b.WriteByte(q)
	return b.String()
}

func itoa(i int) string { return strconv.Itoa(i) }
