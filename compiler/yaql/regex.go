package yaql

import (
	"errors"

	"hoist/pyre"
	"hoist/value"
)

// Python's re for yaql's regex functions, through hoist/pyre: Python's
// syntax (lookaround, back-references, named groups, inline flags), its
// errors, positions in code points, re.split with its groups, and
// replacement templates, all as Python 2.7 computed them.

// regexObj is a compiled pattern, yaql's REGEX_TYPE.
type regexObj struct {
	pattern string
	flags   pyre.Flags
	re      *pyre.Regexp
}

// compileRegex is re.compile(pattern, flags); an invalid pattern is an
// error of kind "regex" (Python's re.error) with Python's message.
func compileRegex(pattern string, flags pyre.Flags, off int) (*regexObj, error) {
	re, err := pyre.Compile(pattern, flags)
	if err != nil {
		return nil, regexError(err, off)
	}
	return &regexObj{pattern: pattern, flags: flags, re: re}, nil
}

// regexError turns an error of pyre into a yaql error: re.error is kind
// "regex", Python's other exceptions theirs, and a search stopped by the
// backtracking bounds kind "limit".
func regexError(err error, off int) error {
	var pe *pyre.Error
	if errors.As(err, &pe) {
		kind := "regex"
		switch pe.Kind {
		case "error":
		case "IndexError":
			kind = "index"
		case "TypeError":
			kind = "type"
		default:
			kind = "value"
		}
		name := pe.Kind
		if name == "error" {
			name = "re.error"
		}
		return errorf(off, kind, name+": "+pe.Error())
	}
	if errors.Is(err, pyre.ErrBacktrack) {
		return errorf(off, "limit", err.Error())
	}
	return errorf(off, "regex", err.Error())
}

// search is pattern.search(s): the first match or nil.
func (r *regexObj) search(s string, off int) (*pyre.Match, error) {
	m, err := r.re.Search(s, 0)
	if err != nil {
		return nil, regexError(err, off)
	}
	return m, nil
}

// split is pattern.split(s, maxsplit): the text between matches with the
// groups in between (null for a group that did not take part).
func (r *regexObj) split(s string, maxsplit int64, off int) ([]*value.Value, error) {
	if maxsplit > 1<<30 {
		maxsplit = 1 << 30
	}
	gs, err := r.re.Split(s, int(maxsplit))
	if err != nil {
		return nil, regexError(err, off)
	}
	out := make([]*value.Value, len(gs))
	for i, g := range gs {
		if g.Matched {
			out[i] = value.NewString(g.Text, zr)
		} else {
			out[i] = value.NewNull(zr)
		}
	}
	return out, nil
}
