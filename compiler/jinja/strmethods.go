package jinja

import (
	"strings"
	"unicode"

	"github.com/nikolalohinski/gonja/v2/builtins"
	"github.com/nikolalohinski/gonja/v2/exec"
	"golang.org/x/text/cases"
)

// pyTuple is a Python tuple (str.partition's result); it prints as
// Python's repr does: ('a', 'b'), ('a',).
type pyTuple []any

func (t pyTuple) String() string { return pyRepr(t) }

// Python's str methods, with Python 3's semantics: positions count code
// points, start and end are slice bounds (negative from the end, clamped),
// startswith and endswith take a tuple of affixes, split without a
// separator splits on runs of whitespace, strip without characters strips
// whitespace, and errors are Python's (empty separator, substring not
// found, wrong argument types). gonja's own methods differ in these (its
// startswith takes one string, its split and strip always take a
// separator, its count counts runes); THT's templates call them as Python
// allows (train's role.role.j2.yaml: endswith(('SchedulerHints',
// 'ExtraConfig'))). encode, format and format_map stay gonja's.

type strMethod = exec.Method[string]

// gonjaStrMethods are kept from gonja (TestStrMethodsAgainstPythonJinja2
// holds them against Python's).
var gonjaStrMethods = []string{"encode", "format", "format_map"}

func strMethods() *exec.MethodSet[string] {
	m := map[string]strMethod{}
	for _, name := range gonjaStrMethods {
		if f, ok := builtins.Methods.Str.Get(name); ok {
			m[name] = f
		}
	}
	affix := func(name string, at func(s, a []rune) bool) strMethod {
		return func(self string, _ *exec.Value, args *exec.VarArgs) (any, error) {
			if err := wantArgs(name, args, 1, 3); err != nil {
				return nil, err
			}
			var affixes []string
			switch a := arg(args, 0).(type) {
			case string:
				affixes = []string{a}
			default:
				items, ok := sequence(a)
				if !ok {
					return nil, errCall("%s first arg must be str or a tuple of str, not %s", name, pyTypeName(a))
				}
				for _, it := range items {
					s, ok := it.(string)
					if !ok {
						return nil, errCall("tuple for %s must only contain str, not %s", name, pyTypeName(it))
					}
					affixes = append(affixes, s)
				}
			}
			rs := []rune(self)
			lo, hi, err := sliceBounds(name, len(rs), args, 1)
			if err != nil {
				return nil, err
			}
			if lo > len(rs) || lo > hi {
				return false, nil
			}
			for _, a := range affixes {
				if at(rs[lo:hi], []rune(a)) {
					return true, nil
				}
			}
			return false, nil
		}
	}
	m["startswith"] = affix("startswith", func(s, a []rune) bool { return len(a) <= len(s) && string(s[:len(a)]) == string(a) })
	m["endswith"] = affix("endswith", func(s, a []rune) bool { return len(a) <= len(s) && string(s[len(s)-len(a):]) == string(a) })

	search := func(name string, fromRight, raise bool) strMethod {
		return func(self string, _ *exec.Value, args *exec.VarArgs) (any, error) {
			if err := wantArgs(name, args, 1, 3); err != nil {
				return nil, err
			}
			sub, ok := arg(args, 0).(string)
			if !ok {
				return nil, errCall("must be str, not %s", pyTypeName(arg(args, 0)))
			}
			rs := []rune(self)
			lo, hi, err := sliceBounds(name, len(rs), args, 1)
			if err != nil {
				return nil, err
			}
			i := -1
			if lo <= len(rs) && lo <= hi {
				hay := string(rs[lo:hi])
				var b int
				if fromRight {
					b = strings.LastIndex(hay, sub)
				} else {
					b = strings.Index(hay, sub)
				}
				if b >= 0 {
					i = lo + len([]rune(hay[:b]))
				}
			}
			if i < 0 && raise {
				return nil, errCall("ValueError: substring not found")
			}
			return i, nil
		}
	}
	m["find"] = search("find", false, false)
	m["rfind"] = search("rfind", true, false)
	m["index"] = search("index", false, true)
	m["rindex"] = search("rindex", true, true)
	m["count"] = func(self string, _ *exec.Value, args *exec.VarArgs) (any, error) {
		if err := wantArgs("count", args, 1, 3); err != nil {
			return nil, err
		}
		sub, ok := arg(args, 0).(string)
		if !ok {
			return nil, errCall("must be str, not %s", pyTypeName(arg(args, 0)))
		}
		rs := []rune(self)
		lo, hi, err := sliceBounds("count", len(rs), args, 1)
		if err != nil {
			return nil, err
		}
		if lo > len(rs) || lo > hi {
			return 0, nil
		}
		hay := string(rs[lo:hi])
		if sub == "" {
			return len([]rune(hay)) + 1, nil
		}
		return strings.Count(hay, sub), nil
	}

	split := func(name string, fromRight bool) strMethod {
		return func(self string, _ *exec.Value, args *exec.VarArgs) (any, error) {
			sep, maxsplit, err := splitArgs(name, args)
			if err != nil {
				return nil, err
			}
			var parts []string
			switch {
			case sep == nil:
				parts = splitWhitespace(self, maxsplit, fromRight)
			case *sep == "":
				return nil, errCall("ValueError: empty separator")
			case fromRight:
				parts = rsplitSep(self, *sep, maxsplit)
			default:
				parts = strings.SplitN(self, *sep, nOf(maxsplit))
			}
			return strList(parts), nil
		}
	}
	m["split"] = split("split", false)
	m["rsplit"] = split("rsplit", true)
	m["splitlines"] = func(self string, _ *exec.Value, args *exec.VarArgs) (any, error) {
		keep := false
		if len(args.KwArgs) > 0 {
			if v, ok := args.KwArgs["keepends"]; ok && len(args.KwArgs) == 1 && len(args.Args) == 0 {
				keep = truthy(plain(v))
			} else {
				return nil, errCall("splitlines() got an unexpected keyword argument")
			}
		} else {
			if err := wantArgs("splitlines", args, 0, 1); err != nil {
				return nil, err
			}
			if len(args.Args) == 1 {
				keep = truthy(arg(args, 0))
			}
		}
		return strList(splitLines(self, keep)), nil
	}
	partition := func(name string, fromRight bool) strMethod {
		return func(self string, _ *exec.Value, args *exec.VarArgs) (any, error) {
			if err := wantArgs(name, args, 1, 1); err != nil {
				return nil, err
			}
			sep, ok := arg(args, 0).(string)
			if !ok {
				return nil, errCall("must be str, not %s", pyTypeName(arg(args, 0)))
			}
			if sep == "" {
				return nil, errCall("ValueError: empty separator")
			}
			i := strings.Index(self, sep)
			if fromRight {
				i = strings.LastIndex(self, sep)
			}
			switch {
			case i >= 0:
				return pyTuple{self[:i], sep, self[i+len(sep):]}, nil
			case fromRight:
				return pyTuple{"", "", self}, nil
			}
			return pyTuple{self, "", ""}, nil
		}
	}
	m["partition"] = partition("partition", false)
	m["rpartition"] = partition("rpartition", true)

	strip := func(name string, left, right bool) strMethod {
		return func(self string, _ *exec.Value, args *exec.VarArgs) (any, error) {
			if err := wantArgs(name, args, 0, 1); err != nil {
				return nil, err
			}
			cut := isPySpace
			if len(args.Args) == 1 && arg(args, 0) != nil {
				chars, ok := arg(args, 0).(string)
				if !ok {
					return nil, errCall("%s arg must be None or str", name)
				}
				cut = func(r rune) bool { return strings.ContainsRune(chars, r) }
			}
			if left {
				self = strings.TrimLeftFunc(self, cut)
			}
			if right {
				self = strings.TrimRightFunc(self, cut)
			}
			return self, nil
		}
	}
	m["strip"] = strip("strip", true, true)
	m["lstrip"] = strip("lstrip", true, false)
	m["rstrip"] = strip("rstrip", false, true)

	noArgs := func(name string, f func(string) any) strMethod {
		return func(self string, _ *exec.Value, args *exec.VarArgs) (any, error) {
			if err := wantArgs(name, args, 0, 0); err != nil {
				return nil, err
			}
			return f(self), nil
		}
	}
	m["lower"] = noArgs("lower", func(s string) any { return strings.ToLower(s) })
	m["upper"] = noArgs("upper", func(s string) any { return strings.ToUpper(s) })
	m["casefold"] = noArgs("casefold", func(s string) any { return cases.Fold().String(s) })
	m["swapcase"] = noArgs("swapcase", func(s string) any {
		return strings.Map(func(r rune) rune {
			switch {
			case unicode.IsUpper(r):
				return unicode.ToLower(r)
			case unicode.IsLower(r):
				return unicode.ToUpper(r)
			}
			return r
		}, s)
	})
	m["capitalize"] = noArgs("capitalize", func(s string) any {
		rs := []rune(strings.ToLower(s))
		if len(rs) > 0 {
			rs[0] = unicode.ToTitle(rs[0])
		}
		return string(rs)
	})
	m["title"] = noArgs("title", func(s string) any {
		rs := []rune(s)
		prevCased := false
		for i, r := range rs {
			if prevCased {
				rs[i] = unicode.ToLower(r)
			} else {
				rs[i] = unicode.ToTitle(r)
			}
			prevCased = isCased(r)
		}
		return string(rs)
	})
	pred := func(name string, empty bool, all func(rune) bool) {
		m[name] = noArgs(name, func(s string) any {
			if s == "" {
				return empty
			}
			for _, r := range s {
				if !all(r) {
					return false
				}
			}
			return true
		})
	}
	pred("isalpha", false, unicode.IsLetter)
	pred("isalnum", false, func(r rune) bool { return unicode.IsLetter(r) || isPyNumeric(r) })
	pred("isdecimal", false, unicode.IsDigit)
	pred("isdigit", false, isPyDigit)
	pred("isnumeric", false, isPyNumeric)
	pred("isspace", false, isPySpace)
	pred("isascii", true, func(r rune) bool { return r < 0x80 })
	pred("isprintable", true, func(r rune) bool { return r == ' ' || unicode.IsPrint(r) })
	m["islower"] = noArgs("islower", func(s string) any { return caseOf(s, unicode.IsLower) })
	m["isupper"] = noArgs("isupper", func(s string) any { return caseOf(s, unicode.IsUpper) })
	m["istitle"] = noArgs("istitle", func(s string) any {
		cased, prevCased := false, false
		for _, r := range s {
			switch {
			case unicode.IsUpper(r) || unicode.IsTitle(r):
				if prevCased {
					return false
				}
				prevCased, cased = true, true
			case unicode.IsLower(r):
				if !prevCased {
					return false
				}
				prevCased, cased = true, true
			default:
				prevCased = false
			}
		}
		return cased
	})

	pad := func(name string, place func(s string, n int, fill string) string) strMethod {
		return func(self string, _ *exec.Value, args *exec.VarArgs) (any, error) {
			if err := wantArgs(name, args, 1, 2); err != nil {
				return nil, err
			}
			width, ok := asInt(arg(args, 0))
			if !ok {
				return nil, errCall("'%s' object cannot be interpreted as an integer", pyTypeName(arg(args, 0)))
			}
			fill := " "
			if len(args.Args) == 2 {
				f, ok := arg(args, 1).(string)
				if !ok || len([]rune(f)) != 1 {
					return nil, errCall("The fill character must be exactly one character long")
				}
				fill = f
			}
			n := width - len([]rune(self))
			if n <= 0 {
				return self, nil
			}
			return place(self, n, fill), nil
		}
	}
	m["ljust"] = pad("ljust", func(s string, n int, f string) string { return s + strings.Repeat(f, n) })
	m["rjust"] = pad("rjust", func(s string, n int, f string) string { return strings.Repeat(f, n) + s })
	m["center"] = pad("center", func(s string, n int, f string) string {
		// CPython: the left gets the extra character when both the padding
		// and the width are odd.
		width := n + len([]rune(s))
		left := n/2 + (n & width & 1)
		return strings.Repeat(f, left) + s + strings.Repeat(f, n-left)
	})
	m["zfill"] = func(self string, _ *exec.Value, args *exec.VarArgs) (any, error) {
		if err := wantArgs("zfill", args, 1, 1); err != nil {
			return nil, err
		}
		width, ok := asInt(arg(args, 0))
		if !ok {
			return nil, errCall("'%s' object cannot be interpreted as an integer", pyTypeName(arg(args, 0)))
		}
		n := width - len([]rune(self))
		if n <= 0 {
			return self, nil
		}
		if self != "" && (self[0] == '+' || self[0] == '-') {
			return self[:1] + strings.Repeat("0", n) + self[1:], nil
		}
		return strings.Repeat("0", n) + self, nil
	}
	m["expandtabs"] = func(self string, _ *exec.Value, args *exec.VarArgs) (any, error) {
		if err := wantArgs("expandtabs", args, 0, 1); err != nil {
			return nil, err
		}
		size := 8
		if len(args.Args) == 1 {
			n, ok := asInt(arg(args, 0))
			if !ok {
				return nil, errCall("'%s' object cannot be interpreted as an integer", pyTypeName(arg(args, 0)))
			}
			size = n
		}
		var b strings.Builder
		col := 0
		for _, r := range self {
			switch r {
			case '\t':
				if size > 0 {
					k := size - col%size
					b.WriteString(strings.Repeat(" ", k))
					col += k
				}
			case '\n', '\r':
				b.WriteRune(r)
				col = 0
			default:
				b.WriteRune(r)
				col++
			}
		}
		return b.String(), nil
	}
	m["join"] = func(self string, _ *exec.Value, args *exec.VarArgs) (any, error) {
		if err := wantArgs("join", args, 1, 1); err != nil {
			return nil, err
		}
		var items []any
		switch a := arg(args, 0).(type) {
		case string:
			for _, r := range a {
				items = append(items, string(r))
			}
		default:
			var ok bool
			if items, ok = sequence(a); !ok {
				if d := dictOf(exec.AsValue(a)); d != nil {
					for _, p := range d.Pairs {
						items = append(items, plain(p.Key))
					}
				} else {
					return nil, errCall("can only join an iterable")
				}
			}
		}
		parts := make([]string, len(items))
		for i, it := range items {
			s, ok := it.(string)
			if !ok {
				return nil, errCall("sequence item %d: expected str instance, %s found", i, pyTypeName(it))
			}
			parts[i] = s
		}
		return strings.Join(parts, self), nil
	}
	affixCut := func(name string, cut func(s, a string) string) strMethod {
		return func(self string, _ *exec.Value, args *exec.VarArgs) (any, error) {
			if err := wantArgs(name, args, 1, 1); err != nil {
				return nil, err
			}
			a, ok := arg(args, 0).(string)
			if !ok {
				return nil, errCall("%s() argument must be str, not %s", name, pyTypeName(arg(args, 0)))
			}
			return cut(self, a), nil
		}
	}
	m["removeprefix"] = affixCut("removeprefix", strings.TrimPrefix)
	m["removesuffix"] = affixCut("removesuffix", strings.TrimSuffix)
	m["replace"] = func(self string, _ *exec.Value, args *exec.VarArgs) (any, error) {
		if err := wantArgs("replace", args, 2, 3); err != nil {
			return nil, err
		}
		old, ok1 := arg(args, 0).(string)
		repl, ok2 := arg(args, 1).(string)
		if !ok1 || !ok2 {
			return nil, errCall("replace() arguments must be strings")
		}
		n := -1
		if len(args.Args) == 3 {
			c, ok := asInt(arg(args, 2))
			if !ok {
				return nil, errCall("replace() count must be an integer, not %s", pyRepr(arg(args, 2)))
			}
			if c >= 0 {
				n = c
			}
		}
		return strings.Replace(self, old, repl, n), nil
	}
	return exec.NewMethodSet(m)
}

// sliceBounds reads the optional start and end arguments at args[from:]
// (None means absent) and returns them as Python's slice would: negative
// from the end, clamped to [0, n]. A start beyond n is returned as is, so
// that callers can tell that the slice starts past the end.
func sliceBounds(name string, n int, args *exec.VarArgs, from int) (int, int, error) {
	lo, hi := 0, n
	for i, dst := range []*int{&lo, &hi} {
		if len(args.Args) <= from+i || arg(args, from+i) == nil {
			continue
		}
		v, ok := asInt(arg(args, from+i))
		if !ok {
			return 0, 0, errCall("slice indices must be integers or None or have an __index__ method")
		}
		if v < 0 {
			v = max(0, v+n)
		}
		if dst == &hi {
			v = min(v, n)
		}
		*dst = v
	}
	_ = name
	return lo, hi, nil
}

// splitArgs reads split's sep and maxsplit, positional or by keyword.
func splitArgs(name string, args *exec.VarArgs) (*string, int, error) {
	var sepV, maxV any = nil, -1
	if len(args.Args) > 2 {
		return nil, 0, errCall("%s() takes at most 2 arguments (%d given)", name, len(args.Args))
	}
	if len(args.Args) > 0 {
		sepV = arg(args, 0)
	}
	if len(args.Args) > 1 {
		maxV = arg(args, 1)
	}
	for k, v := range args.KwArgs {
		switch k {
		case "sep":
			sepV = plain(v)
		case "maxsplit":
			maxV = plain(v)
		default:
			return nil, 0, errCall("%s() got an unexpected keyword argument '%s'", name, k)
		}
	}
	maxsplit, ok := asInt(maxV)
	if !ok {
		return nil, 0, errCall("'%s' object cannot be interpreted as an integer", pyTypeName(maxV))
	}
	if sepV == nil {
		return nil, maxsplit, nil
	}
	sep, ok := sepV.(string)
	if !ok {
		return nil, 0, errCall("must be str or None, not %s", pyTypeName(sepV))
	}
	return &sep, maxsplit, nil
}

// nOf converts Python's maxsplit to strings.SplitN's n.
func nOf(maxsplit int) int {
	if maxsplit < 0 {
		return -1
	}
	return maxsplit + 1
}

// splitWhitespace is str.split() and str.rsplit() without a separator:
// runs of whitespace separate, leading and trailing whitespace is dropped
// (on the side the splits start from, the rest is kept whole).
func splitWhitespace(s string, maxsplit int, fromRight bool) []string {
	rs := []rune(s)
	var out []string
	if !fromRight {
		i := 0
		for {
			for i < len(rs) && isPySpace(rs[i]) {
				i++
			}
			if i == len(rs) {
				return out
			}
			if maxsplit >= 0 && len(out) == maxsplit {
				end := len(rs)
				for end > i && isPySpace(rs[end-1]) {
					end--
				}
				return append(out, string(rs[i:end]))
			}
			j := i
			for j < len(rs) && !isPySpace(rs[j]) {
				j++
			}
			out = append(out, string(rs[i:j]))
			i = j
		}
	}
	j := len(rs)
	for {
		for j > 0 && isPySpace(rs[j-1]) {
			j--
		}
		if j == 0 {
			break
		}
		if maxsplit >= 0 && len(out) == maxsplit {
			start := 0
			for start < j && isPySpace(rs[start]) {
				start++
			}
			out = append(out, string(rs[start:j]))
			break
		}
		i := j
		for i > 0 && !isPySpace(rs[i-1]) {
			i--
		}
		out = append(out, string(rs[i:j]))
		j = i
	}
	for a, b := 0, len(out)-1; a < b; a, b = a+1, b-1 {
		out[a], out[b] = out[b], out[a]
	}
	return out
}

// rsplitSep is str.rsplit(sep, maxsplit).
func rsplitSep(s, sep string, maxsplit int) []string {
	var out []string
	for maxsplit < 0 || len(out) < maxsplit {
		i := strings.LastIndex(s, sep)
		if i < 0 {
			break
		}
		out = append(out, s[i+len(sep):])
		s = s[:i]
	}
	out = append(out, s)
	for a, b := 0, len(out)-1; a < b; a, b = a+1, b-1 {
		out[a], out[b] = out[b], out[a]
	}
	return out
}

// splitLines is str.splitlines: Python's line boundaries, \r\n as one.
func splitLines(s string, keep bool) []string {
	rs := []rune(s)
	var out []string
	start := 0
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if !isLineBoundary(r) {
			continue
		}
		end := i + 1
		if r == '\r' && i+1 < len(rs) && rs[i+1] == '\n' {
			end = i + 2
		}
		if keep {
			out = append(out, string(rs[start:end]))
		} else {
			out = append(out, string(rs[start:i]))
		}
		start = end
		i = end - 1
	}
	if start < len(rs) {
		out = append(out, string(rs[start:]))
	}
	return out
}

func isLineBoundary(r rune) bool {
	switch r {
	case '\n', '\r', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
		return true
	}
	return false
}

// isPySpace is Python's str.isspace for one character.
func isPySpace(r rune) bool {
	switch r {
	case 0x1c, 0x1d, 0x1e, 0x1f:
		return true
	}
	return unicode.IsSpace(r) || unicode.Is(unicode.Zs, r)
}

func isCased(r rune) bool { return unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r) }

// caseOf is islower/isupper: a cased character, and every cased one in
// that case.
func caseOf(s string, in func(rune) bool) bool {
	cased := false
	for _, r := range s {
		if isCased(r) {
			if !in(r) {
				return false
			}
			cased = true
		}
	}
	return cased
}

// isPyDigit is str.isdigit: decimal digits and the other digits Unicode
// gives a digit value (superscripts, subscripts, circled digits).
func isPyDigit(r rune) bool {
	if unicode.IsDigit(r) {
		return true
	}
	for _, rg := range [][2]rune{{0xB2, 0xB3}, {0xB9, 0xB9}, {0x2070, 0x2070}, {0x2074, 0x2079}, {0x2080, 0x2089},
		{0x2460, 0x2468}, {0x2474, 0x247C}, {0x2488, 0x2490}, {0x24F5, 0x24FD}, {0x2776, 0x277E}, {0x2780, 0x2788}, {0x278A, 0x2792}} {
		if r >= rg[0] && r <= rg[1] {
			return true
		}
	}
	return false
}

// isPyNumeric is str.isnumeric: any Unicode number.
func isPyNumeric(r rune) bool {
	return unicode.IsNumber(r) || unicode.Is(unicode.Ideographic, r) && strings.ContainsRune("〇一二三四五六七八九十百千万億兆零", r)
}

// sequence returns the items of a list or tuple template value.
func sequence(x any) ([]any, bool) {
	switch v := plain(asList(x)).(type) {
	case *pyList:
		return *v, true
	case pyTuple:
		return v, true
	}
	return nil, false
}

func strList(parts []string) *pyList {
	l := make(pyList, len(parts))
	for i, p := range parts {
		l[i] = p
	}
	return &l
}

// truthy is Python's truth value of a plain template value.
func truthy(x any) bool {
	switch v := x.(type) {
	case nil:
		return false
	case bool:
		return v
	case int:
		return v != 0
	case float64:
		return v != 0
	case string:
		return v != ""
	}
	if items, ok := sequence(x); ok {
		return len(items) > 0
	}
	return true
}

// pyTypeName is Python's type name of a template value, for messages.
func pyTypeName(x any) string {
	switch plain(x).(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case int, int64:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case *pyList, pyList, exec.ValuesList, []any:
		return "list"
	case pyTuple:
		return "tuple"
	case *exec.Dict, exec.Dict:
		return "dict"
	}
	return "object"
}
