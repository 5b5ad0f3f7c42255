package pyre

import "strings"

// Flags are Python's re flags, with Python's values (re.I is 2, re.U 32),
// so a caller that holds Python's integer can convert it.
type Flags uint16

// The flags. TEMPLATE and DEBUG have no effect on matching and are accepted
// inline ((?t)) but not listed here.
const (
	IgnoreCase Flags = 2   // re.I, (?i)
	Locale     Flags = 4   // re.L, (?L): rejected, as Python does for str patterns
	Multiline  Flags = 8   // re.M, (?m)
	DotAll     Flags = 16  // re.S, (?s)
	Unicode    Flags = 32  // re.U, (?u): \d \w \s \b and case folding over Unicode
	Verbose    Flags = 64  // re.X, (?x)
	ASCII      Flags = 256 // re.A, (?a)
)

const (
	flagTemplate Flags = 1   // re.T, (?t)
	flagDebug    Flags = 128 // re.DEBUG
	typeFlags          = Locale | Unicode | ASCII
	allFlags           = IgnoreCase | Locale | Multiline | DotAll | Unicode | Verbose | ASCII | flagTemplate | flagDebug
)

var flagLetters = map[rune]Flags{
	'i': IgnoreCase, 'L': Locale, 'm': Multiline, 's': DotAll,
	'x': Verbose, 'a': ASCII, 't': flagTemplate, 'u': Unicode,
}

// String spells the flags as Python's repr does ("re.IGNORECASE|re.UNICODE").
func (f Flags) String() string {
	names := []struct {
		f Flags
		n string
	}{{flagTemplate, "TEMPLATE"}, {IgnoreCase, "IGNORECASE"}, {Locale, "LOCALE"}, {Multiline, "MULTILINE"},
		{DotAll, "DOTALL"}, {Unicode, "UNICODE"}, {Verbose, "VERBOSE"}, {flagDebug, "DEBUG"}, {ASCII, "ASCII"}}
	var parts []string
	for _, n := range names {
		if f&n.f != 0 {
			parts = append(parts, "re."+n.n)
		}
	}
	if len(parts) == 0 {
		return "0"
	}
	return strings.Join(parts, "|")
}
