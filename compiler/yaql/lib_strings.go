package yaql

import (
	"math"
	"math/big"
	"strings"
	"unicode/utf8"

	"hoist/value"
)

// yaql's strings module: Python's str methods on unicode strings (lengths
// and positions in code points), str(), join() and concat().

func stringsLib() map[string][]*overload {
	splitFn := func(right bool) *overload {
		return method(func(c *callCtx, a []obj) (obj, error) {
			s := a[0].v.Str
			hasSep := a[1].k != kNoValue && !a[1].isNull()
			sep := ""
			if hasSep {
				sep = a[1].v.Str
				if sep == "" {
					return obj{}, errorf(c.off, "value", "ValueError: empty separator")
				}
			}
			max := int64(-1)
			if a[2].k != kNoValue {
				m, ok := int64Of(a[2].v)
				if !ok {
					return obj{}, errorf(c.off, "value", "OverflowError: Python int too large to convert to C long")
				}
				max = m
			}
			var parts []string
			if right {
				parts = pyRSplit(s, sep, hasSep, max)
			} else {
				parts = pySplit(s, sep, hasSep, max)
			}
			out := make([]*value.Value, len(parts))
			for i, p := range parts {
				out[i] = value.NewString(p, zr)
			}
			return data(c.ev.markMutable(value.NewList(out, zr))), nil
		}, req("string", tyString), opt("separator", tyStringN), opt("maxSplits", tyInt))
	}
	m := map[string][]*overload{
		"#operator_in": {function(func(c *callCtx, a []obj) (obj, error) {
			return boolean(strings.Contains(a[1].v.Str, a[0].v.Str)), nil
		}, req("left", tyString), req("right", tyString))},
		"#operator_+": {function(func(c *callCtx, a []obj) (obj, error) { return str(a[0].v.Str + a[1].v.Str), nil }, req("left", tyString), req("right", tyString))},
		"#operator_*": {
			function(func(c *callCtx, a []obj) (obj, error) { return c.ev.repeatStr(a[0].v.Str, a[1].v, c.off) }, req("left", tyString), req("right", tyInt)),
			function(func(c *callCtx, a []obj) (obj, error) { return c.ev.repeatStr(a[1].v.Str, a[0].v, c.off) }, req("left", tyInt), req("right", tyString)),
		},
		"len": {extension(func(c *callCtx, a []obj) (obj, error) { return integer(int64(utf8.RuneCountInString(a[0].v.Str))), nil }, req("string", tyString))},
		"concat": {function(func(c *callCtx, a []obj) (obj, error) {
			var b strings.Builder
			for _, x := range a {
				b.WriteString(x.v.Str)
			}
			return str(b.String()), nil
		}, rest("args", tyString))},
		"isString": {function(func(c *callCtx, a []obj) (obj, error) { return boolean(isString(a[0])), nil }, req("arg", nil))},
		"str": {function(func(c *callCtx, a []obj) (obj, error) {
			s, err := c.ev.pyStr(a[0], c.off)
			return str(s), err
		}, req("value", nil))},
		"toLower":    {method(func(c *callCtx, a []obj) (obj, error) { return str(pyLower(a[0].v.Str)), nil }, req("string", tyString))},
		"toUpper":    {method(func(c *callCtx, a []obj) (obj, error) { return str(pyUpper(a[0].v.Str)), nil }, req("string", tyString))},
		"split":      {splitFn(false)},
		"rightSplit": {splitFn(true)},
		"join": {
			method(func(c *callCtx, a []obj) (obj, error) { return c.ev.join(a[0], a[1].v.Str, c.off) }, it("sequence"), req("separator", tyString)),
			method(func(c *callCtx, a []obj) (obj, error) { return c.ev.join(a[1], a[0].v.Str, c.off) }, req("separator", tyString), it("sequence")),
		},
		"trim":      {method(fnTrim(true, true), req("string", tyString), opt("chars", tyStringN))},
		"trimLeft":  {method(fnTrim(true, false), req("string", tyString), opt("chars", tyStringN))},
		"trimRight": {method(fnTrim(false, true), req("string", tyString), opt("chars", tyStringN))},
		"replace": {
			method(fnReplace, req("string", tyString), req("old", tyString), req("new", tyString), opt("count", tyInt)),
			method(fnReplaceDict, req("string", tyString), req("replacements", tyMapping), opt("count", tyInt)),
		},
		"isEmpty": {extension(func(c *callCtx, a []obj) (obj, error) {
			if a[0].isNull() {
				return boolean(true), nil
			}
			s := a[0].v.Str
			if a[1].k == kNoValue || a[1].v.Bool {
				s = pyStrip(s, strOr(a[2]), hasStr(a[2]), true, true)
			}
			return boolean(s == ""), nil
		}, req("string", tyStringN), opt("trim", tyBool), opt("chars", tyStringN))},
		"endsWith": {method(func(c *callCtx, a []obj) (obj, error) {
			for _, x := range a[1:] {
				if strings.HasSuffix(a[0].v.Str, x.v.Str) {
					return boolean(true), nil
				}
			}
			return boolean(false), nil
		}, req("string", tyString), rest("suffixes", tyString))},
		"startsWith": {method(func(c *callCtx, a []obj) (obj, error) {
			for _, x := range a[1:] {
				if strings.HasPrefix(a[0].v.Str, x.v.Str) {
					return boolean(true), nil
				}
			}
			return boolean(false), nil
		}, req("string", tyString), rest("prefixes", tyString))},
		"substring": {method(fnSubstring, req("string", tyString), req("start", tyInt), opt("length", tyInt))},
	}
	for _, op := range []string{"<", "<=", ">", ">="} {
		m["#operator_"+op] = []*overload{
			function(func(c *callCtx, a []obj) (obj, error) {
				return boolean(cmpOp(op, strings.Compare(a[0].v.Str, a[1].v.Str))), nil
			}, req("left", tyString), req("right", tyString)),
		}
	}
	m["format"] = []*overload{extension(func(c *callCtx, a []obj) (obj, error) {
		s, err := c.ev.pyFormat(a[0].v.Str, a[1:], c.kw, c.off)
		return str(s), err
	}, req("formatString", tyString), param{name: "args", rest: true}, param{name: "kwargs", kwrest: true})}
	m["norm"] = []*overload{extension(func(c *callCtx, a []obj) (obj, error) {
		if a[0].isNull() {
			return null(), nil
		}
		s := pyStrip(a[0].v.Str, strOr(a[1]), hasStr(a[1]), true, true)
		if s == "" {
			return null(), nil
		}
		return str(s), nil
	}, req("string", tyStringN), opt("chars", tyStringN))}
	m["indexOf"] = []*overload{
		method(fnFind(false, false), req("string", tyString), req("sub", tyString), opt("start", tyInt)),
		method(fnFind(false, true), req("string", tyString), req("sub", tyString), req("start", tyInt), req("length", tyInt)),
	}
	m["lastIndexOf"] = []*overload{
		method(fnFind(true, false), req("string", tyString), req("sub", tyString), opt("start", tyInt)),
		method(fnFind(true, true), req("string", tyString), req("sub", tyString), req("start", tyInt), req("length", tyInt)),
	}
	m["toCharArray"] = []*overload{method(func(c *callCtx, a []obj) (obj, error) {
		var out []*value.Value
		for _, r := range a[0].v.Str {
			out = append(out, value.NewString(string(r), zr))
		}
		return tupleOf(out), nil
	}, req("string", tyString))}
	var charParams []param
	for _, n := range charSetNames {
		charParams = append(charParams, opt(n, tyBoolN))
	}
	m["characters"] = []*overload{function(fnCharacters, charParams...)}
	m["hex"] = []*overload{function(func(c *callCtx, a []obj) (obj, error) {
		if a[0].isNull() || a[0].v.Kind == value.Float {
			return obj{}, errorf(c.off, "type", "TypeError: hex() argument can't be converted to hex")
		}
		n := bigOf(a[0].v)
		s := "0x" + new(big.Int).Abs(n).Text(16)
		if n.Sign() < 0 {
			s = "-" + s
		}
		if a[0].v.Big != nil {
			s += "L" // a Python 2 long
		}
		return str(s), nil
	}, req("num", tyNumberN))}
	return m
}

// fnFind is str.find (or rfind) with yaql's (start) and (start, length)
// arguments; positions count code points.
func fnFind(last, withLength bool) func(*callCtx, []obj) (obj, error) {
	return func(c *callCtx, a []obj) (obj, error) {
		s, sub := []rune(a[0].v.Str), []rune(a[1].v.Str)
		n := int64(len(s))
		start := int64(0)
		if a[2].k != kNoValue {
			start = clampIndex(a[2].v)
		}
		end, hasEnd := int64(0), false
		if withLength {
			if start < 0 {
				start += n
			}
			length := clampIndex(a[3].v)
			if length < 0 {
				length = n - start
			}
			end, hasEnd = start+length, true
		}
		return integer(pyFind(s, sub, start, end, hasEnd, last)), nil
	}
}

// clampIndex is an int argument as a 64-bit index (a long beyond it is
// as good as infinite).
func clampIndex(v *value.Value) int64 {
	i, ok := int64Of(v)
	if ok {
		return i
	}
	if v.Big.Sign() < 0 {
		return math.MinInt64 / 4
	}
	return math.MaxInt64 / 4
}

// pyFind is s.find(sub, start[, end]) or s.rfind(...) on code points.
func pyFind(s, sub []rune, start, end int64, hasEnd, last bool) int64 {
	n := int64(len(s))
	if !hasEnd || end > n {
		end = n
	} else if end < 0 {
		end += n
		if end < 0 {
			end = 0
		}
	}
	if start < 0 {
		start += n
		if start < 0 {
			start = 0
		}
	}
	if start > n || end-start < int64(len(sub)) {
		return -1
	}
	m := int64(len(sub))
	match := func(i int64) bool {
		for k := int64(0); k < m; k++ {
			if s[i+k] != sub[k] {
				return false
			}
		}
		return true
	}
	if last {
		for i := end - m; i >= start; i-- {
			if match(i) {
				return i
			}
		}
		return -1
	}
	for i := start; i+m <= end; i++ {
		if match(i) {
			return i
		}
	}
	return -1
}

// charSetNames are characters()' parameters; charSets their contents
// under Python 2 in the C locale (letters, lowercase and uppercase are
// Python 2's locale-dependent constants; Python 3 has none of them).
var charSetNames = []string{"digits", "hexdigits", "asciiLowercase", "asciiUppercase", "asciiLetters",
	"letters", "octdigits", "punctuation", "printable", "lowercase", "uppercase", "whitespace"}

var charSets = map[string]string{
	"digits":         "0123456789",
	"hexdigits":      "0123456789abcdefABCDEF",
	"asciiLowercase": "abcdefghijklmnopqrstuvwxyz",
	"asciiUppercase": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
	"asciiLetters":   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
	"letters":        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
	"octdigits":      "01234567",
	"punctuation":    "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
	"printable":      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ \t\n\r\x0b\x0c",
	"lowercase":      "abcdefghijklmnopqrstuvwxyz",
	"uppercase":      "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
	"whitespace":     " \t\n\r\x0b\x0c",
}

// fnCharacters is tuple(set(the chosen character sets)): each character
// once, in first-seen order (Python's set order differs; see the package
// documentation).
func fnCharacters(c *callCtx, a []obj) (obj, error) {
	var b strings.Builder
	for i, n := range charSetNames {
		if a[i].k != kNoValue && !a[i].isNull() && a[i].v.Bool {
			b.WriteString(charSets[n])
		}
	}
	seen := map[rune]bool{}
	var out []*value.Value
	for _, r := range b.String() {
		if !seen[r] {
			seen[r] = true
			out = append(out, value.NewString(string(r), zr))
		}
	}
	return tupleOf(out), nil
}

func (ev *evaluator) repeatStr(s string, n *value.Value, off int) (obj, error) {
	times, ok := int64Of(n)
	if !ok {
		return obj{}, errorf(off, "value", "OverflowError: cannot fit 'long' into an index-sized integer")
	}
	if err := ev.quotaWeighted(off, weighted{1 - float64(times), 49}, weighted{float64(times), strSize(s)}); err != nil {
		return obj{}, err
	}
	if times <= 0 || s == "" {
		return str(""), nil
	}
	if times > (1<<24)/int64(len(s)) {
		return obj{}, errorf(off, "limit", "Expression consumed too much memory")
	}
	return str(strings.Repeat(s, int(times))), nil
}

func fnTrim(left, right bool) func(*callCtx, []obj) (obj, error) {
	return func(c *callCtx, a []obj) (obj, error) {
		return str(pyStrip(a[0].v.Str, strOr(a[1]), hasStr(a[1]), left, right)), nil
	}
}

func fnReplace(c *callCtx, a []obj) (obj, error) {
	n := int64(-1)
	if a[3].k != kNoValue {
		n, _ = int64Of(a[3].v)
	}
	if n > math.MaxInt32 {
		n = -1
	}
	return str(strings.Replace(a[0].v.Str, a[1].v.Str, a[2].v.Str, int(n))), nil
}

func fnReplaceDict(c *callCtx, a []obj) (obj, error) {
	s := a[0].v.Str
	n := int64(-1)
	if a[2].k != kNoValue {
		n, _ = int64Of(a[2].v)
	}
	if n > math.MaxInt32 {
		n = -1
	}
	for _, e := range a[1].v.Map.Entries() {
		k, err := c.ev.pyStr(c.ev.unbox(e.Key), c.off)
		if err != nil {
			return obj{}, err
		}
		v, err := c.ev.pyStr(c.ev.unbox(e.Val), c.off)
		if err != nil {
			return obj{}, err
		}
		s = strings.Replace(s, k, v, int(n))
	}
	return str(s), nil
}

func fnSubstring(c *callCtx, a []obj) (obj, error) {
	r := []rune(a[0].v.Str)
	start, _ := int64Of(a[1].v)
	length := int64(-1)
	if a[2].k != kNoValue {
		length, _ = int64Of(a[2].v)
	}
	n := int64(len(r))
	if length < 0 {
		length = n
	}
	if start < 0 {
		start += n
	}
	lo, hi := clampSlice(start, n), clampSlice(start+length, n)
	if hi < lo {
		hi = lo
	}
	return str(string(r[lo:hi])), nil
}

func clampSlice(i, n int64) int64 {
	if i < 0 {
		i += n
		if i < 0 {
			i = 0
		}
	}
	if i > n {
		i = n
	}
	return i
}

// join is separator.join(str(x) for x in sequence), with yaql's str().
func (ev *evaluator) join(seq obj, sep string, off int) (obj, error) {
	var b strings.Builder
	cur := ev.cursor(seq, off)
	for i := 0; ; i++ {
		x, ok, err := cur()
		if err != nil {
			return obj{}, err
		}
		if !ok {
			break
		}
		s, err := ev.pyStr(x, off)
		if err != nil {
			return obj{}, err
		}
		if err := ev.quota(off, str(s)); err != nil {
			return obj{}, err
		}
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(s)
		if b.Len() > 1<<24 {
			return obj{}, errorf(off, "limit", "Expression consumed too much memory")
		}
	}
	return str(b.String()), nil
}
