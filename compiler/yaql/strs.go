package yaql

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Python string helpers: str.split/rsplit/strip with Python's notion of
// whitespace, and lower().

// pyIsSpace is Python's str.isspace() for one character: Unicode White_Space
// plus the information separators \x1c-\x1f.
func pyIsSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || '\t' <= r && r <= '\r' || 0x1c <= r && r <= 0x1f
	}
	return unicode.IsSpace(r)
}

// pySplit is str.split(sep, maxsplit); sep "" with hasSep false means
// whitespace.
func pySplit(s, sep string, hasSep bool, maxsplit int64) []string {
	if !hasSep {
		return splitWhitespace(s, maxsplit)
	}
	if maxsplit < 0 {
		return strings.Split(s, sep)
	}
	if maxsplit > int64(len(s)) {
		maxsplit = int64(len(s))
	}
	return strings.SplitN(s, sep, int(maxsplit)+1)
}

func splitWhitespace(s string, maxsplit int64) []string {
	out := []string{}
	i, n := 0, len(s)
	count := maxsplit
	if count < 0 {
		count = 1 << 62
	}
	for ; count > 0; count-- {
		for i < n {
			r, sz := utf8.DecodeRuneInString(s[i:])
			if !pyIsSpace(r) {
				break
			}
			i += sz
		}
		if i == n {
			break
		}
		j := i
		for i < n {
			r, sz := utf8.DecodeRuneInString(s[i:])
			if pyIsSpace(r) {
				break
			}
			i += sz
		}
		out = append(out, s[j:i])
	}
	if i < n {
		for i < n {
			r, sz := utf8.DecodeRuneInString(s[i:])
			if !pyIsSpace(r) {
				break
			}
			i += sz
		}
		if i != n {
			out = append(out, s[i:])
		}
	}
	return out
}

// pyRSplit is str.rsplit(sep, maxsplit).
func pyRSplit(s, sep string, hasSep bool, maxsplit int64) []string {
	if !hasSep {
		return rsplitWhitespace(s, maxsplit)
	}
	if maxsplit < 0 {
		return strings.Split(s, sep)
	}
	var rev []string
	end := len(s)
	for k := int64(0); k < maxsplit; k++ {
		i := strings.LastIndex(s[:end], sep)
		if i < 0 {
			break
		}
		rev = append(rev, s[i+len(sep):end])
		end = i
	}
	out := make([]string, 0, len(rev)+1)
	out = append(out, s[:end])
	for i := len(rev) - 1; i >= 0; i-- {
		out = append(out, rev[i])
	}
	return out
}

func rsplitWhitespace(s string, maxsplit int64) []string {
	var rev []string
	i := len(s) // s[:i] is what is left
	count := maxsplit
	if count < 0 {
		count = 1 << 62
	}
	for ; count > 0; count-- {
		for i > 0 {
			r, sz := utf8.DecodeLastRuneInString(s[:i])
			if !pyIsSpace(r) {
				break
			}
			i -= sz
		}
		if i == 0 {
			break
		}
		j := i
		for i > 0 {
			r, sz := utf8.DecodeLastRuneInString(s[:i])
			if pyIsSpace(r) {
				break
			}
			i -= sz
		}
		rev = append(rev, s[i:j])
	}
	if i > 0 {
		for i > 0 {
			r, sz := utf8.DecodeLastRuneInString(s[:i])
			if !pyIsSpace(r) {
				break
			}
			i -= sz
		}
		if i > 0 {
			rev = append(rev, s[:i])
		}
	}
	out := make([]string, len(rev))
	for k := range rev {
		out[k] = rev[len(rev)-1-k]
	}
	return out
}

// pyStrip is str.strip/lstrip/rstrip(chars); hasChars false means
// whitespace.
func pyStrip(s, chars string, hasChars, left, right bool) string {
	in := func(r rune) bool {
		if !hasChars {
			return pyIsSpace(r)
		}
		return strings.ContainsRune(chars, r)
	}
	if left {
		s = strings.TrimLeftFunc(s, in)
	}
	if right {
		s = strings.TrimRightFunc(s, in)
	}
	return s
}

// pyLower is unicode.lower() as Python 2 computed it: the simple case
// mapping of each character (Python 3 applies the full mapping, so U+0130
// lowers to two characters there).
func pyLower(s string) string { return strings.ToLower(s) }

// pyUpper is Python 2's unicode.upper(), likewise simple.
func pyUpper(s string) string { return strings.ToUpper(s) }
