package pyyaml

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"hoist/diag"
	"hoist/source"
)

// checkText refuses input PyYAML's reader refuses: bytes that are not
// UTF-8, and characters outside YAML's printable set (NUL and the other
// control characters, which mostly mean a binary file). It returns the
// position of the first offending character.
func checkText(file string, src []byte) *diag.Diagnostic {
	if bytes.HasPrefix(src, []byte{0xff, 0xfe}) || bytes.HasPrefix(src, []byte{0xfe, 0xff}) {
		return &diag.Diagnostic{Severity: diag.Error, Rule: RuleSyntax, Range: source.Range{File: file, Start: source.Pos{Line: 1, Col: 1}},
			Message: "the file is UTF-16 encoded; hoist reads YAML as UTF-8 only"}
	}
	line, col := int32(1), int32(1)
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '\n':
				line++
				col = 1
				i++
				continue
			case c == '\t' || c == '\r' || (c >= 0x20 && c < 0x7f):
				i++
				col++
				continue
			}
			return textError(file, line, col, fmt.Sprintf("control character U+%04X is not allowed in YAML (is this a binary file?)", c))
		}
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			return textError(file, line, col, fmt.Sprintf("byte 0x%02X is not valid UTF-8 (hoist reads YAML as UTF-8)", c))
		}
		if !printable(r) {
			return textError(file, line, col, fmt.Sprintf("character U+%04X is not allowed in YAML", r))
		}
		i += size
		col++
	}
	return nil
}

// printable is YAML 1.1's printable set as PyYAML's reader checks it,
// beyond ASCII.
func printable(r rune) bool {
	return r == 0x85 || (r >= 0xa0 && r <= 0xd7ff) || (r >= 0xe000 && r <= 0xfffd) || (r >= 0x10000 && r <= 0x10ffff)
}

func textError(file string, line, col int32, msg string) *diag.Diagnostic {
	return &diag.Diagnostic{Severity: diag.Error, Rule: RuleSyntax,
		Range: source.Range{File: file, Start: source.Pos{Line: line, Col: col}}, Message: msg}
}
