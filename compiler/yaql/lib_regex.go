package yaql

import (
	"strconv"

	"hoist/pyre"
	"hoist/value"
)

// yaql's regex module: Python's re through hoist/pyre. regex() compiles
// with re.UNICODE; a pattern given as a string (matches(), =~, !~) is
// compiled without it, which under Python 2 makes \w, \d and \s ASCII.

func regexLib() map[string][]*overload {
	matchOp := func(negate bool) []*overload {
		return []*overload{
			function(func(c *callCtx, a []obj) (obj, error) { return c.ev.reMatches(a[1].regex(), a[0].v.Str, negate, c.off) }, req("string", tyString), req("regexp", tyRegex)),
			function(func(c *callCtx, a []obj) (obj, error) { return c.ev.reSearch(a[1].v.Str, a[0].v.Str, negate, c.off) }, req("string", tyString), req("pattern", tyString)),
		}
	}
	return map[string][]*overload{
		"regex": {function(func(c *callCtx, a []obj) (obj, error) {
			flags := pyre.Unicode
			for i, f := range []pyre.Flags{pyre.IgnoreCase, pyre.Multiline, pyre.DotAll} {
				if x := a[i+1]; x.k != kNoValue && !x.isNull() && x.v.Bool {
					flags |= f
				}
			}
			r, err := compileRegex(a[0].v.Str, flags, c.off)
			if err != nil {
				return obj{}, err
			}
			return obj{k: kRegex, x: r}, nil
		}, req("pattern", tyString), opt("ignoreCase", tyBoolN), opt("multiLine", tyBoolN), opt("dotAll", tyBoolN))},
		"matches": {
			method(func(c *callCtx, a []obj) (obj, error) { return c.ev.reMatches(a[0].regex(), a[1].v.Str, false, c.off) }, req("regexp", tyRegex), req("string", tyString)),
			method(func(c *callCtx, a []obj) (obj, error) { return c.ev.reSearch(a[1].v.Str, a[0].v.Str, false, c.off) }, req("string", tyString), req("regexp", tyString)),
		},
		"#operator_=~": matchOp(false),
		"#operator_!~": matchOp(true),
		"search":       {method(fnSearch, req("regexp", tyRegex), req("string", tyString), param{name: "selector", lazy: true, opt: true, ctx: true})},
		"searchAll":    {method(fnSearchAll, req("regexp", tyRegex), req("string", tyString), param{name: "selector", lazy: true, opt: true, ctx: true})},
		"split": {
			method(func(c *callCtx, a []obj) (obj, error) { return c.ev.reSplit(a[1].regex(), a[0].v.Str, a[2], c.off) }, req("string", tyString), req("regexp", tyRegex), opt("maxSplit", tyInt)),
			method(func(c *callCtx, a []obj) (obj, error) { return c.ev.reSplit(a[0].regex(), a[1].v.Str, a[2], c.off) }, req("regexp", tyRegex), req("string", tyString), opt("maxSplit", tyInt)),
		},
		"replace": {
			method(func(c *callCtx, a []obj) (obj, error) {
				return c.ev.reSub(a[0].regex(), a[1].v.Str, a[2].v.Str, a[3], c.off)
			}, req("regexp", tyRegex), req("string", tyString), req("repl", tyString), opt("count", tyInt)),
			method(func(c *callCtx, a []obj) (obj, error) {
				return c.ev.reSub(a[1].regex(), a[0].v.Str, a[2].v.Str, a[3], c.off)
			}, req("string", tyString), req("regexp", tyRegex), req("repl", tyString), opt("count", tyInt)),
		},
		"replaceBy": {
			method(func(c *callCtx, a []obj) (obj, error) {
				return fnReplaceBy(c, a[0].regex(), a[1].v.Str, a[2].lam, a[3])
			}, req("regexp", tyRegex), req("string", tyString), param{name: "repl", lazy: true, ctx: true}, opt("count", tyInt)),
			method(func(c *callCtx, a []obj) (obj, error) {
				return fnReplaceBy(c, a[1].regex(), a[0].v.Str, a[2].lam, a[3])
			}, req("string", tyString), req("regexp", tyRegex), param{name: "repl", lazy: true, ctx: true}, opt("count", tyInt)),
		},
		"escapeRegex": {function(func(c *callCtx, a []obj) (obj, error) {
			return str(pyre.Escape(a[0].v.Str)), nil
		}, req("string", tyString))},
		"isRegex": {function(func(c *callCtx, a []obj) (obj, error) { return boolean(a[0].k == kRegex), nil }, req("value", nil))},
	}
}

// reMatches is regexp.search(s) is not None (or is None).
func (ev *evaluator) reMatches(r *regexObj, s string, negate bool, off int) (obj, error) {
	m, err := r.search(s, off)
	if err != nil {
		return obj{}, err
	}
	return boolean((m != nil) != negate), nil
}

// reSearch is re.search(pattern, string) with a pattern given as a string
// (compiled without re.UNICODE, as Python 2 did).
func (ev *evaluator) reSearch(pattern, s string, negate bool, off int) (obj, error) {
	r, err := compileRegex(pattern, 0, off)
	if err != nil {
		return obj{}, err
	}
	return ev.reMatches(r, s, negate, off)
}

func intArgOr(o obj, def int64) int64 {
	if o.k == kNoValue {
		return def
	}
	return clampIndex(o.v)
}

func (ev *evaluator) reSplit(r *regexObj, s string, max obj, off int) (obj, error) {
	parts, err := r.split(s, intArgOr(max, 0), off)
	if err != nil {
		return obj{}, err
	}
	return data(ev.markMutable(value.NewList(parts, zr))), nil
}

// countArgOf is re.sub's count as an int: 0 replaces every match, a
// negative count none.
func countArgOf(o obj) int {
	n := intArgOr(o, 0)
	switch {
	case n > 1<<30:
		return 1 << 30
	case n < 0:
		return -1
	}
	return int(n)
}

func (ev *evaluator) reSub(r *regexObj, s, repl string, count obj, off int) (obj, error) {
	out, err := r.re.Sub(s, repl, countArgOf(count))
	if err != nil {
		return obj{}, regexError(err, off)
	}
	return str(out), nil
}

// publishMatch is yaql's _publish_match: $1 is the whole match as
// {value, start, end}, $2... the groups. For a named group yaql unpacks
// the group's text as a (key, name) pair, so a named group that matched
// two characters publishes $key with the span of the group called by the
// second one, and any other named group is an error, as in yaql.
func (ev *evaluator) publishMatch(sc *scope, m *pyre.Match, off int) error {
	rec := func(g pyre.Group) obj {
		mp := value.NewMapping(3)
		if g.Matched {
			mp.Set(value.NewString("value", zr), value.NewString(g.Text, zr))
		} else {
			mp.Set(value.NewString("value", zr), value.NewNull(zr))
		}
		mp.Set(value.NewString("start", zr), value.NewInt(int64(g.Start), zr))
		mp.Set(value.NewString("end", zr), value.NewInt(int64(g.End), zr))
		return data(ev.markMutable(value.NewMap(mp, zr)))
	}
	for g := 0; g <= m.NumGroups(); g++ {
		sc.set(strconv.Itoa(g+1), rec(m.Group(g)))
	}
	for g := 1; g <= m.NumGroups(); g++ {
		if m.GroupName(g) == "" {
			continue
		}
		grp := m.Group(g)
		if !grp.Matched {
			return errorf(off, "type", "TypeError: cannot unpack non-iterable NoneType object (yaql publishes a named group as a pair)")
		}
		r := []rune(grp.Text)
		if len(r) != 2 {
			return errorf(off, "value", "ValueError: cannot unpack "+strconv.Quote(grp.Text)+" into a (key, value) pair (yaql publishes a named group as a pair)")
		}
		named, ok := m.Named(string(r[1]))
		if !ok {
			return errorf(off, "index", "IndexError: no such group")
		}
		mp := value.NewMapping(3)
		mp.Set(value.NewString("value", zr), value.NewString(string(r[1]), zr))
		mp.Set(value.NewString("start", zr), value.NewInt(int64(named.Start), zr))
		mp.Set(value.NewString("end", zr), value.NewInt(int64(named.End), zr))
		sc.set(string(r[0]), data(ev.markMutable(value.NewMap(mp, zr))))
	}
	return nil
}

// fnSearch is regexp.search(string): the first match's text, or the
// selector evaluated with the match published; null without a match.
func fnSearch(c *callCtx, a []obj) (obj, error) {
	m, err := a[0].regex().search(a[1].v.Str, c.off)
	if err != nil || m == nil {
		return null(), err
	}
	if a[2].k == kNoValue {
		return str(m.String()), nil
	}
	sc := c.sc.child()
	if err := c.ev.publishMatch(sc, m, c.off); err != nil {
		return obj{}, err
	}
	return a[2].lam.callIn(sc)
}

// fnSearchAll yields every match's text (or the selector's value), as
// regexp.finditer finds them.
func fnSearchAll(c *callCtx, a []obj) (obj, error) {
	var ms []*pyre.Match
	loaded := false
	i := 0
	return newIter(func() (obj, bool, error) {
		if !loaded {
			var err error
			if ms, err = a[0].regex().re.FindIter(a[1].v.Str, 0); err != nil {
				return obj{}, false, regexError(err, c.off)
			}
			loaded = true
		}
		if i >= len(ms) {
			return obj{}, false, nil
		}
		m := ms[i]
		i++
		if a[2].k == kNoValue {
			return str(m.String()), true, nil
		}
		sc := c.sc.child()
		if err := c.ev.publishMatch(sc, m, c.off); err != nil {
			return obj{}, false, err
		}
		r, err := a[2].lam.callIn(sc)
		return r, err == nil, err
	}), nil
}

// fnReplaceBy is regexp.sub(function, string, count): each match replaced
// by what repl gives with the match published, which must be a string (a
// null replaces by nothing, as in Python).
func fnReplaceBy(c *callCtx, r *regexObj, s string, repl *lambda, count obj) (obj, error) {
	out, err := r.re.SubFunc(s, countArgOf(count), func(m *pyre.Match) (string, error) {
		sc := c.sc.child()
		if err := c.ev.publishMatch(sc, m, c.off); err != nil {
			return "", err
		}
		v, err := repl.callIn(sc)
		if err != nil {
			return "", err
		}
		switch {
		case v.isNull():
			return "", nil
		case isString(v):
			return v.v.Str, nil
		case v.k == kData && value.KindOf(v.v) == value.Unknown:
			return "", unknownOf(v.v)
		}
		return "", errorf(c.off, "type", "TypeError: sequence item: expected string or Unicode, "+c.ev.typeName(v)+" found")
	})
	if err != nil {
		if _, ok := err.(*Error); ok {
			return obj{}, err
		}
		if _, ok := err.(*unknownErr); ok {
			return obj{}, err
		}
		return obj{}, regexError(err, c.off)
	}
	return str(out), nil
}
