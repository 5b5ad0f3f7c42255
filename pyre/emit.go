package pyre

import (
	"fmt"
	"strings"
)

// The emitter writes the tree in regexp2's (.NET) syntax, with nothing left
// to its defaults: no options, every class spelled as code point ranges (or
// a Unicode category that regexp2 takes from the same Go tables), anchors
// and word boundaries written out, groups unnamed (the names stay here).

type emitter struct {
	b strings.Builder
	// barriers numbers the named groups that wrap atomic groups and
	// possessive repeats. regexp2 (v2.13.0) merges a greedy repeat with an
	// atomic repeat inside it, so (?>a+)? behaved as (?>a*) and could not
	// fall back to zero repetitions; a group between them stops that. The
	// groups are named, so regexp2 numbers them after Python's groups,
	// which keep their numbers.
	barriers int
}

func emit(seq []*node) string {
	e := &emitter{}
	e.seq(seq)
	return e.b.String()
}

func (e *emitter) seq(seq []*node) {
	for _, n := range seq {
		e.node(n)
	}
}

// group writes seq as one atom.
func (e *emitter) group(seq []*node) {
	e.b.WriteString("(?:")
	e.seq(seq)
	e.b.WriteString(")")
}

func (e *emitter) node(n *node) {
	switch n.kind {
	case nSet:
		e.set(n.set)
	case nAt:
		e.anchor(n)
	case nGroup:
		e.b.WriteString("(")
		e.seq(n.sub)
		e.b.WriteString(")")
	case nPlain:
		e.group(n.sub)
	case nAtomic:
		e.barrier()
		e.b.WriteString("(?>")
		e.seq(n.sub)
		e.b.WriteString("))")
	case nAssert:
		e.b.WriteString("(?")
		if n.behind {
			e.b.WriteString("<")
		}
		if n.neg {
			e.b.WriteString("!")
		} else {
			e.b.WriteString("=")
		}
		e.seq(n.sub)
		e.b.WriteString(")")
	case nRef:
		if n.flags&IgnoreCase != 0 {
			fmt.Fprintf(&e.b, `(?i:\k<%d>)`, n.group)
		} else {
			fmt.Fprintf(&e.b, `\k<%d>`, n.group)
		}
	case nCond:
		fmt.Fprintf(&e.b, "(?(%d)", n.group)
		e.group(n.sub)
		if n.hasNo {
			e.b.WriteString("|")
			e.group(n.no)
		}
		e.b.WriteString(")")
	case nRepeat:
		if n.mode == possessive {
			e.barrier()
			e.b.WriteString("(?>")
		}
		e.group(n.sub)
		lo, hi := clampCount(n.min), clampCount(n.max)
		switch {
		case n.max == maxRepeat:
			fmt.Fprintf(&e.b, "{%d,}", lo)
		case lo == hi:
			fmt.Fprintf(&e.b, "{%d}", lo)
		default:
			fmt.Fprintf(&e.b, "{%d,%d}", lo, hi)
		}
		if n.mode == lazy {
			e.b.WriteString("?")
		}
		if n.mode == possessive {
			e.b.WriteString("))")
		}
	case nAlt:
		e.b.WriteString("(?:")
		for i, a := range n.alts {
			if i > 0 {
				e.b.WriteString("|")
			}
			e.seq(a)
		}
		e.b.WriteString(")")
	}
}

func (e *emitter) barrier() {
	e.barriers++
	fmt.Fprintf(&e.b, "(?<pyre%d>", e.barriers)
}

// clampCount keeps a Python repeat count (below 2**32-1) within regexp2's
// int32; a count that large cannot be reached by any string hoist sees.
func clampCount(n int64) int64 { return min(n, 1<<31-1) }

func (e *emitter) anchor(n *node) {
	multi := n.flags&Multiline != 0
	switch n.at {
	case atBeginning:
		if multi {
			e.b.WriteString("(?m:^)")
		} else {
			e.b.WriteString(`\A`)
		}
	case atBeginningString:
		e.b.WriteString(`\A`)
	case atEnd:
		if multi {
			e.b.WriteString("(?m:$)")
		} else {
			e.b.WriteString(`\Z`) // .NET's \Z is Python's $: the end, or before a final newline
		}
	case atEndString:
		e.b.WriteString(`\z`)
	case atBoundary, atNonBoundary:
		w := categorySet(catWord, unicodeMode(n.flags))
		var ws strings.Builder
		(&emitter{}).setTo(&ws, w)
		word := ws.String()
		if n.at == atBoundary {
			// Python: never at all in an empty string (and so no
			// boundary there either).
			fmt.Fprintf(&e.b, "(?:(?<=%[1]s)(?!%[1]s)|(?<!%[1]s)(?=%[1]s))", word)
		} else {
			// Python: no \B in an empty string.
			fmt.Fprintf(&e.b, `(?!\A\z)(?:(?<=%[1]s)(?=%[1]s)|(?<!%[1]s)(?!%[1]s))`, word)
		}
	}
}

func (e *emitter) set(s *charSet) {
	e.setTo(&e.b, s)
}

func (e *emitter) setTo(b *strings.Builder, s *charSet) {
	if s.sym != "" {
		b.WriteString(s.sym)
		return
	}
	if c, ok := s.single(); ok {
		writeRune(b, c, false)
		return
	}
	if len(s.r) == 0 {
		b.WriteString("(?!)")
		return
	}
	ranges, neg := s.r, false
	if len(s.r) > 1 && s.r[0].lo == 0 && s.r[len(s.r)-1].hi == maxRune {
		ranges, neg = s.negated().r, true
	}
	b.WriteString("[")
	if neg {
		b.WriteString("^")
	}
	writeRanges(b, ranges)
	b.WriteString("]")
}

func writeRanges(b *strings.Builder, ranges []runeRange) {
	for _, r := range ranges {
		writeRune(b, r.lo, true)
		if r.hi != r.lo {
			if r.hi > r.lo+1 {
				b.WriteString("-")
			}
			writeRune(b, r.hi, true)
		}
	}
}

// writeRune writes c as a literal: letters and digits as themselves, ASCII
// punctuation escaped, anything else as \uXXXX (or itself above the BMP,
// which \u cannot spell).
func writeRune(b *strings.Builder, c rune, inClass bool) {
	switch {
	case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_':
		b.WriteRune(c)
	case c > ' ' && c < 0x7f:
		b.WriteByte('\\')
		b.WriteRune(c)
	case c > 0xffff:
		b.WriteRune(c)
	default:
		fmt.Fprintf(b, `\u%04X`, c)
	}
}
