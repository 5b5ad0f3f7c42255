// Package source holds positions and ranges in input files.
//
// Every value hoist loads carries a Range, from the YAML loader to the
// diagnostic that points back at it.
package source

import (
	"fmt"
	"strconv"
)

// Pos is a position in a file. Line and Col are 1-based; Col counts
// characters (Unicode code points), as YAML parsers and editors do. The zero
// Pos means "unknown".
type Pos struct {
	Line int32
	Col  int32
}

// IsZero reports whether p is unknown.
func (p Pos) IsZero() bool { return p.Line == 0 }

// Before reports whether p comes strictly before q.
func (p Pos) Before(q Pos) bool {
	if p.Line != q.Line {
		return p.Line < q.Line
	}
	return p.Col < q.Col
}

// Range is a span of a file: from Start to End, End exclusive. End may be
// zero when only the start is known.
type Range struct {
	File  string
	Start Pos
	End   Pos
}

// IsZero reports whether r carries no position at all.
func (r Range) IsZero() bool { return r.File == "" && r.Start.IsZero() }

// String renders the range as file:line:col, the form editors understand.
func (r Range) String() string {
	if r.Start.IsZero() {
		if r.File == "" {
			return "<unknown>"
		}
		return r.File
	}
	return r.File + ":" + strconv.Itoa(int(r.Start.Line)) + ":" + strconv.Itoa(int(r.Start.Col))
}

// LineCol renders only line:col.
func (r Range) LineCol() string {
	return fmt.Sprintf("%d:%d", r.Start.Line, r.Start.Col)
}

// Compare orders ranges by file, then start, then end.
func Compare(a, b Range) int {
	switch {
	case a.File < b.File:
		return -1
	case a.File > b.File:
		return 1
	}
	for _, c := range [...][2]int32{
		{a.Start.Line, b.Start.Line}, {a.Start.Col, b.Start.Col},
		{a.End.Line, b.End.Line}, {a.End.Col, b.End.Col},
	} {
		if c[0] != c[1] {
			if c[0] < c[1] {
				return -1
			}
			return 1
		}
	}
	return 0
}
