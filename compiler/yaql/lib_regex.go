package yaql

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"hoist/value"
)

// yaql's regex module: Python's re (compiled with re.UNICODE by regex()).

func regexLib() map[string][]*overload {
	return map[string][]*overload{
		"regex": {function(func(c *callCtx, a []obj) (obj, error) {
			flags := reUnicode
			for i, f := range []int{reIgnoreCase, reMultiLine, reDotAll} {
				if x := a[i+1]; x.k != kNoValue && !x.isNull() && x.v.Bool {
					flags |= f
				}
			}
			r, err := compileRegex(a[0].v.Str, flags, c.off)
			if err != nil {
				return obj{}, err
			}
			return obj{k: kRegex, re: r}, nil
		}, req("pattern", tyString), opt("ignoreCase", tyBoolN), opt("multiLine", tyBoolN), opt("dotAll", tyBoolN))},
		"matches": {
			method(func(c *callCtx, a []obj) (obj, error) { return boolean(a[0].re.search(a[1].v.Str) != nil), nil }, req("regexp", tyRegex), req("string", tyString)),
			method(func(c *callCtx, a []obj) (obj, error) { return c.ev.reSearch(a[1].v.Str, a[0].v.Str, false, c.off) }, req("string", tyString), req("regexp", tyString)),
		},
		"#operator_=~": {
			function(func(c *callCtx, a []obj) (obj, error) { return boolean(a[1].re.search(a[0].v.Str) != nil), nil }, req("string", tyString), req("regexp", tyRegex)),
			function(func(c *callCtx, a []obj) (obj, error) { return c.ev.reSearch(a[1].v.Str, a[0].v.Str, false, c.off) }, req("string", tyString), req("pattern", tyString)),
		},
		"#operator_!~": {
			function(func(c *callCtx, a []obj) (obj, error) { return boolean(a[1].re.search(a[0].v.Str) == nil), nil }, req("string", tyString), req("regexp", tyRegex)),
			function(func(c *callCtx, a []obj) (obj, error) { return c.ev.reSearch(a[1].v.Str, a[0].v.Str, true, c.off) }, req("string", tyString), req("pattern", tyString)),
		},
		"search": {method(fnSearch, req("regexp", tyRegex), req("string", tyString), param{name: "selector", lazy: true, opt: true, ctx: true})},
		"escapeRegex": {function(func(c *callCtx, a []obj) (obj, error) {
			return str(pyReEscape(a[0].v.Str)), nil
		}, req("string", tyString))},
		"split": {
			method(func(c *callCtx, a []obj) (obj, error) { return c.ev.reSplit(a[1].re, a[0].v.Str, a[2], c.off) }, req("string", tyString), req("regexp", tyRegex), opt("maxSplit", tyInt)),
			method(func(c *callCtx, a []obj) (obj, error) { return c.ev.reSplit(a[0].re, a[1].v.Str, a[2], c.off) }, req("regexp", tyRegex), req("string", tyString), opt("maxSplit", tyInt)),
		},
		"replace": {
			method(func(c *callCtx, a []obj) (obj, error) {
				return c.ev.reSub(a[0].re, a[1].v.Str, a[2].v.Str, a[3], c.off)
			}, req("regexp", tyRegex), req("string", tyString), req("repl", tyString), opt("count", tyInt)),
			method(func(c *callCtx, a []obj) (obj, error) {
				return c.ev.reSub(a[1].re, a[0].v.Str, a[2].v.Str, a[3], c.off)
			}, req("string", tyString), req("regexp", tyRegex), req("repl", tyString), opt("count", tyInt)),
		},
		"isRegex": {function(func(c *callCtx, a []obj) (obj, error) { return boolean(a[0].k == kRegex), nil }, req("value", nil))},
	}
}

// reSearch is re.search(pattern, string) with a pattern given as a string
// (compiled without re.UNICODE, as Python 2 did).
func (ev *evaluator) reSearch(pattern, s string, negate bool, off int) (obj, error) {
	r, err := compileRegex(pattern, 0, off)
	if err != nil {
		return obj{}, err
	}
	return boolean((r.search(s) != nil) != negate), nil
}

func (ev *evaluator) reSplit(r *regexObj, s string, max obj, off int) (obj, error) {
	n := int64(0)
	if max.k != kNoValue {
		n, _ = int64Of(max.v)
	}
	return data(ev.markMutable(value.NewList(r.split(s, n), zr))), nil
}

func (ev *evaluator) reSub(r *regexObj, s, repl string, count obj, off int) (obj, error) {
	n := int64(0)
	if count.k != kNoValue {
		n, _ = int64Of(count.v)
	}
	if n < 0 {
		return str(s), nil
	}
	out, err := r.sub(s, repl, n, off)
	if err != nil {
		return obj{}, err
	}
	return str(out), nil
}

func fnSearch(c *callCtx, a []obj) (obj, error) {
	s := a[1].v.Str
	m := a[0].re.search(s)
	if m == nil {
		return null(), nil
	}
	if a[2].k == kNoValue {
		return str(s[m[0]:m[1]]), nil
	}
	sc := c.sc.child()
	rec := func(g int) obj {
		mp := value.NewMapping(3)
		if m[2*g] < 0 {
			mp.Set(value.NewString("value", zr), value.NewNull(zr))
			mp.Set(value.NewString("start", zr), value.NewInt(-1, zr))
			mp.Set(value.NewString("end", zr), value.NewInt(-1, zr))
		} else {
			mp.Set(value.NewString("value", zr), value.NewString(s[m[2*g]:m[2*g+1]], zr))
			mp.Set(value.NewString("start", zr), value.NewInt(int64(utf8.RuneCountInString(s[:m[2*g]])), zr))
			mp.Set(value.NewString("end", zr), value.NewInt(int64(utf8.RuneCountInString(s[:m[2*g+1]])), zr))
		}
		return data(c.ev.markMutable(value.NewMap(mp, zr)))
	}
	for g := 0; g < len(m)/2; g++ {
		sc.set(strconv.Itoa(g+1), rec(g))
	}
	return a[2].lam.callIn(sc)
}

// pyReEscape is Python 2's re.escape: every character but ASCII letters,
// digits and _ is backslashed (Python 3.7+ escapes only special ones).
func pyReEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			continue
		}
		if r == 0 {
			b.WriteString(`\000`)
			continue
		}
		b.WriteByte('\\')
		b.WriteRune(r)
	}
	return b.String()
}
