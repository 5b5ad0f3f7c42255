package yaql

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	"hoist/value"
)

// Parameter types (yaql's yaqltypes as the standard library declares them).

func tyIterable(_ *evaluator, o obj) bool { return isIterable(o) }
func tySequence(_ *evaluator, o obj) bool { return isSequence(o) }
func tyMapping(_ *evaluator, o obj) bool  { return isMap(o) }
func tyString(_ *evaluator, o obj) bool   { return isString(o) }
func tyStringN(_ *evaluator, o obj) bool  { return isString(o) || o.isNull() }
func tyInt(_ *evaluator, o obj) bool      { return isInt(o) }
func tyNumber(_ *evaluator, o obj) bool   { return isNumber(o) }
func tyBool(_ *evaluator, o obj) bool {
	return o.k == kData && value.KindOf(o.v) == value.Bool
}
func tyRegex(_ *evaluator, o obj) bool    { return o.k == kRegex }
func tySet(_ *evaluator, o obj) bool      { return o.k == kSet }
func tyIterator(_ *evaluator, o obj) bool { return isIterator(o) }
func tyOrdering(_ *evaluator, o obj) bool { return o.k == kIter && o.it.ordered != nil }
func tyContext(_ *evaluator, o obj) bool  { return o.k == kContext }
func tyNull(_ *evaluator, o obj) bool     { return o.isNull() }
func tyNonNull(_ *evaluator, o obj) bool  { return !o.isNull() }
func tyRule(_ *evaluator, o obj) bool     { return o.k == kRule }

// Parameter constructors.
func req(name string, t ptype) param { return param{name: name, typ: t} }
func opt(name string, t ptype) param { return param{name: name, typ: t, opt: true} }
func it(name string) param           { return param{name: name, typ: tyIterable, iter: true} }
func lam(name string) param          { return param{name: name, lazy: true} }
func optLam(name string) param       { return param{name: name, lazy: true, opt: true} }
func rest(name string, t ptype) param {
	return param{name: name, typ: t, rest: true, iter: isIterableType(t)}
}
func isIterableType(t ptype) bool {
	return t != nil && t(nil, obj{k: kSet, v: value.NewList(nil, zr)}) && !t(nil, null())
}

func method(impl func(*callCtx, []obj) (obj, error), ps ...param) *overload {
	return &overload{method: true, params: ps, impl: impl}
}
func function(impl func(*callCtx, []obj) (obj, error), ps ...param) *overload {
	return &overload{function: true, params: ps, impl: impl}
}
func extension(impl func(*callCtx, []obj) (obj, error), ps ...param) *overload {
	return &overload{method: true, function: true, params: ps, impl: impl}
}
func noKw(o *overload) *overload    { o.noKwargs = true; return o }
func keepUnk(o *overload) *overload { o.keepUnknown = true; return o }

// builtins is the yaql function table hoist implements, by yaql's name
// (operators under their internal names). Where a name has several
// overloads, the more specific come first, as yaql would pick them.
var builtins map[string][]*overload

// methodTable and functionTable are the overloads of each name callable
// as a method and as a function.
var methodTable, functionTable map[string][]*overload

func init() { // in init: the table refers to call(), which refers to it
	builtins = makeBuiltins()
	methodTable, functionTable = map[string][]*overload{}, map[string][]*overload{}
	for name, os := range builtins {
		for _, o := range os {
			if o.method {
				methodTable[name] = append(methodTable[name], o)
			}
			if o.function {
				functionTable[name] = append(functionTable[name], o)
			}
		}
	}
}

func makeBuiltins() map[string][]*overload {
	cmp := func(op string) []*overload {
		return []*overload{
			function(func(c *callCtx, a []obj) (obj, error) { return boolean(compareNumbers(op, a[0].v, a[1].v)), nil }, req("left", tyNumber), req("right", tyNumber)),
			function(func(c *callCtx, a []obj) (obj, error) {
				return boolean(cmpOp(op, strings.Compare(a[0].v.Str, a[1].v.Str))), nil
			}, req("left", tyString), req("right", tyString)),
			function(func(c *callCtx, a []obj) (obj, error) { return c.ev.setCompare(op, a[0], a[1], c.off) }, req("left", tySet), req("right", tySet)),
			function(func(c *callCtx, a []obj) (obj, error) { return boolean(op == ">" || op == ">="), nil }, req("left", tyNonNull), req("right", tyNull)),
			function(func(c *callCtx, a []obj) (obj, error) { return boolean(op == "<" || op == "<="), nil }, req("left", tyNull), req("right", tyNonNull)),
			function(func(c *callCtx, a []obj) (obj, error) { return boolean(op == "<=" || op == ">="), nil }, req("left", tyNull), req("right", tyNull)),
		}
	}
	arithOp := func(op string) *overload {
		return function(func(c *callCtx, a []obj) (obj, error) { return arith(op, a[0].v, a[1].v, c.off) }, req("left", tyNumber), req("right", tyNumber))
	}
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
		// System.
		"let": {keepUnk(function(fnLet, param{name: "args", rest: true}, param{name: "kwargs", kwrest: true}))},
		"with": {keepUnk(function(func(c *callCtx, a []obj) (obj, error) {
			sc := c.sc.child()
			for i, x := range a {
				sc.set(strconv.Itoa(i+1), x)
			}
			return obj{k: kContext, ctx: sc}, nil
		}, param{name: "args", rest: true}))},
		"#operator_->": {keepUnk(function(func(c *callCtx, a []obj) (obj, error) {
			return a[1].lam.callIn(a[0].ctx)
		}, req("left", tyContext), param{name: "right", lazy: true, ctx: true}))},
		// Lists and dicts.
		"#list": {keepUnk(function(func(c *callCtx, a []obj) (obj, error) { return c.ev.tuple(a, c.off) }, param{name: "args", rest: true}))},
		"#map":  {keepUnk(noKw(function(fnDictRules, rest("args", tyRule))))},
		"dict": {
			keepUnk(noKw(function(fnDictRules, rest("args", tyRule)))),
			noKw(function(fnDictItems, it("items"))),
		},
		"list":    {keepUnk(function(func(c *callCtx, a []obj) (obj, error) { return c.ev.listOf(a, c.off, false) }, param{name: "args", rest: true}))},
		"set":     {keepUnk(function(func(c *callCtx, a []obj) (obj, error) { return c.ev.listOf(a, c.off, true) }, param{name: "args", rest: true}))},
		"toList":  {method(func(c *callCtx, a []obj) (obj, error) { return c.ev.toTuple(a[0], c.off) }, it("collection"))},
		"toSet":   {method(func(c *callCtx, a []obj) (obj, error) { return c.ev.toSet(a[0], c.off) }, it("collection"))},
		"flatten": {method(fnFlatten, it("collection"))},
		"toDict":  {method(fnToDict, it("collection"), lam("keySelector"), optLam("valueSelector"))},
		"#indexer": {
			function(fnListIndex, req("list", tySequence), req("index", tyInt)),
			function(fnDictIndex, req("dict", tyMapping), req("key", nil)),
			function(fnDictIndex, req("dict", tyMapping), req("key", nil), req("default", nil)),
		},
		"get": {method(fnDictIndex, req("dict", tyMapping), req("key", nil), opt("default", nil))},
		"keys": {method(func(c *callCtx, a []obj) (obj, error) {
			return valuesIter(a[0].v.Map.Keys()), nil
		}, req("dict", tyMapping))},
		"values": {method(func(c *callCtx, a []obj) (obj, error) {
			es := a[0].v.Map.Entries()
			vals := make([]*value.Value, len(es))
			for i, e := range es {
				vals[i] = e.Val
			}
			return valuesIter(vals), nil
		}, req("dict", tyMapping))},
		"items": {method(func(c *callCtx, a []obj) (obj, error) {
			es := a[0].v.Map.Entries()
			pairs := make([]*value.Value, len(es))
			for i, e := range es {
				pairs[i] = value.NewList([]*value.Value{e.Key, e.Val}, zr)
			}
			return valuesIter(pairs), nil
		}, req("dict", tyMapping))},
		"#operator_in": {
			function(func(c *callCtx, a []obj) (obj, error) {
				return boolean(strings.Contains(a[1].v.Str, a[0].v.Str)), nil
			}, req("left", tyString), req("right", tyString)),
			function(func(c *callCtx, a []obj) (obj, error) { return c.ev.contains(a[1], a[0], c.off) }, req("value", nil), it("collection")),
		},
		"contains": {method(func(c *callCtx, a []obj) (obj, error) { return c.ev.contains(a[0], a[1], c.off) }, it("collection"), req("value", nil))},
		"containsKey": {method(func(c *callCtx, a []obj) (obj, error) {
			if _, err := c.ev.hashKey(a[1], c.off); err != nil {
				return obj{}, err
			}
			_, ok := lookup(a[0].v, a[1])
			return boolean(ok), nil
		}, req("dict", tyMapping), req("key", nil))},
		"containsValue": {method(func(c *callCtx, a []obj) (obj, error) {
			for _, e := range a[0].v.Map.Entries() {
				eq, err := c.ev.equal(data(e.Val), a[1])
				if err != nil || eq {
					return boolean(eq), err
				}
			}
			return boolean(false), nil
		}, req("dict", tyMapping), req("value", nil))},
		"deleteAll": {method(fnDeleteAll, req("dict", tyMapping), it("keys"))},
		"delete": {method(func(c *callCtx, a []obj) (obj, error) {
			return fnDeleteAll(c, []obj{a[0], sliceIter(a[1:])})
		}, req("dict", tyMapping), param{name: "keys", rest: true})},
		"isDict":   {function(func(c *callCtx, a []obj) (obj, error) { return boolean(isMap(a[0])), nil }, req("arg", nil))},
		"isList":   {function(func(c *callCtx, a []obj) (obj, error) { return boolean(isSequence(a[0])), nil }, req("arg", nil))},
		"isSet":    {function(func(c *callCtx, a []obj) (obj, error) { return boolean(a[0].k == kSet), nil }, req("arg", nil))},
		"isString": {function(func(c *callCtx, a []obj) (obj, error) { return boolean(isString(a[0])), nil }, req("arg", nil))},
		"isInteger": {function(func(c *callCtx, a []obj) (obj, error) {
			return boolean(a[0].k == kData && value.KindOf(a[0].v) == value.Int), nil
		}, req("value", nil))},
		"isNumber":   {function(func(c *callCtx, a []obj) (obj, error) { return boolean(isNumber(a[0])), nil }, req("value", nil))},
		"isBoolean":  {function(func(c *callCtx, a []obj) (obj, error) { return boolean(tyBool(nil, a[0])), nil }, req("value", nil))},
		"isRegex":    {function(func(c *callCtx, a []obj) (obj, error) { return boolean(a[0].k == kRegex), nil }, req("value", nil))},
		"isIterable": {function(func(c *callCtx, a []obj) (obj, error) { return boolean(isIterable(a[0])), nil }, req("value", nil))},
		"len": {
			extension(func(c *callCtx, a []obj) (obj, error) { return integer(int64(a[0].v.Map.Len())), nil }, req("dict", tyMapping)),
			extension(func(c *callCtx, a []obj) (obj, error) { return integer(int64(len(a[0].v.List))), nil }, req("sequence", tySequence)),
			extension(func(c *callCtx, a []obj) (obj, error) { return integer(int64(len(a[0].v.List))), nil }, req("set", tySet)),
			extension(fnCount, req("collection", tyIterator)), // utils.IteratorType: not limited
			extension(func(c *callCtx, a []obj) (obj, error) { return integer(int64(utf8.RuneCountInString(a[0].v.Str))), nil }, req("string", tyString)),
		},
		"count": {method(fnCount, it("collection"))},
		// Queries.
		"where":      {method(fnWhere, it("collection"), lam("predicate"))},
		"filter":     {method(fnWhere, it("collection"), lam("predicate"))},
		"select":     {method(fnSelect, it("collection"), lam("selector"))},
		"map":        {method(fnSelect, it("collection"), lam("selector"))},
		"selectMany": {method(fnSelectMany, it("collection"), lam("selector"))},
		"distinct":   {extension(fnDistinct, it("collection"), optLam("keySelector"))},
		"any":        {extension(fnAny, it("collection"), optLam("predicate"))},
		"all":        {extension(fnAll, it("collection"), optLam("predicate"))},
		"first":      {method(fnFirst, it("collection"), opt("default", nil))},
		"last":       {method(fnLast, it("collection"), opt("default", nil))},
		"skip": {method(func(c *callCtx, a []obj) (obj, error) {
			return c.ev.islice(a[0], a[1].v, nil, c.off)
		}, it("collection"), req("count", tyInt))},
		"limit": {method(func(c *callCtx, a []obj) (obj, error) {
			return c.ev.islice(a[0], nil, a[1].v, c.off)
		}, it("collection"), req("count", tyInt))},
		"take": {method(func(c *callCtx, a []obj) (obj, error) {
			return c.ev.islice(a[0], nil, a[1].v, c.off)
		}, it("collection"), req("count", tyInt))},
		"concat": {
			function(func(c *callCtx, a []obj) (obj, error) {
				var b strings.Builder
				for _, x := range a {
					b.WriteString(x.v.Str)
				}
				return str(b.String()), nil
			}, rest("args", tyString)),
			extension(fnChain, rest("collections", tyIterable)),
		},
		"append": {extension(func(c *callCtx, a []obj) (obj, error) {
			return fnChain(c, []obj{a[0], sliceIter(a[1:])})
		}, it("collection"), param{name: "args", rest: true})},
		"range": {
			function(func(c *callCtx, a []obj) (obj, error) { return c.ev.pyRange(integer(0).v, a[0].v, integer(1).v, c.off) }, req("stop", tyInt)),
			function(func(c *callCtx, a []obj) (obj, error) {
				step := integer(1).v
				if a[2].k != kNoValue {
					step = a[2].v
				}
				return c.ev.pyRange(a[0].v, a[1].v, step, c.off)
			}, req("start", tyInt), req("stop", tyInt), opt("step", tyInt)),
		},
		"orderBy":           {method(fnOrderBy(true), it("collection"), lam("selector"))},
		"orderByDescending": {method(fnOrderBy(false), it("collection"), lam("selector"))},
		"thenBy":            {method(fnThenBy(true), req("collection", tyOrdering), lam("selector"))},
		"thenByDescending":  {method(fnThenBy(false), req("collection", tyOrdering), lam("selector"))},
		"groupBy":           {method(fnGroupBy, it("collection"), lam("keySelector"), optLam("valueSelector"), optLam("aggregator"))},
		"zip":               {method(fnZip, rest("collections", tyIterable))},
		"reduce":            {method(fnReduce, it("collection"), lam("selector"), opt("seed", nil))},
		"aggregate":         {method(fnReduce, it("collection"), lam("selector"), opt("seed", nil))},
		"mergeWith": {method(fnMergeWith, req("dict", tyMapping), req("another", tyMapping),
			optLam("listMerger"), optLam("itemMerger"), opt("maxLevels", tyInt))},
		// Operators.
		"*equal": {function(func(c *callCtx, a []obj) (obj, error) {
			eq, err := c.ev.equal(a[0], a[1])
			return boolean(eq), err
		}, req("left", nil), req("right", nil))},
		"*not_equal": {function(func(c *callCtx, a []obj) (obj, error) {
			eq, err := c.ev.equal(a[0], a[1])
			return boolean(!eq), err
		}, req("left", nil), req("right", nil))},
		"#operator_<":  cmp("<"),
		"#operator_<=": cmp("<="),
		"#operator_>":  cmp(">"),
		"#operator_>=": cmp(">="),
		"#operator_+": {
			arithOp("+"),
			function(func(c *callCtx, a []obj) (obj, error) { return str(a[0].v.Str + a[1].v.Str), nil }, req("left", tyString), req("right", tyString)),
			function(fnCombineDicts, req("left", tyMapping), req("right", tyMapping)),
			function(fnCombineLists, it("left"), it("right")),
		},
		"#operator_-": {
			arithOp("-"),
			function(func(c *callCtx, a []obj) (obj, error) { return c.ev.setDifference(a[0], a[1], c.off) }, req("left", tySet), req("right", tySet)),
		},
		"#operator_*": {
			arithOp("*"),
			function(func(c *callCtx, a []obj) (obj, error) { return c.ev.repeatSeq(a[0], a[1].v, c.off) }, req("left", tySequence), req("right", tyInt)),
			function(func(c *callCtx, a []obj) (obj, error) { return c.ev.repeatSeq(a[1], a[0].v, c.off) }, req("left", tyInt), req("right", tySequence)),
			function(func(c *callCtx, a []obj) (obj, error) { return c.ev.repeatStr(a[0].v.Str, a[1].v, c.off) }, req("left", tyString), req("right", tyInt)),
			function(func(c *callCtx, a []obj) (obj, error) { return c.ev.repeatStr(a[1].v.Str, a[0].v, c.off) }, req("left", tyInt), req("right", tyString)),
		},
		"#operator_/":   {arithOp("/")},
		"#operator_mod": {arithOp("mod")},
		"#unary_operator_-": {function(func(c *callCtx, a []obj) (obj, error) {
			return negate(a[0].v), nil
		}, req("op", tyNumber))},
		"#unary_operator_+": {function(func(c *callCtx, a []obj) (obj, error) { return a[0], nil }, req("op", tyNumber))},
		"#unary_operator_not": {function(func(c *callCtx, a []obj) (obj, error) {
			t, err := truthy(a[0])
			return boolean(!t), err
		}, req("arg", nil))},
		"#operator_and": {function(func(c *callCtx, a []obj) (obj, error) {
			l, err := a[0].lam.call()
			if err != nil {
				return obj{}, err
			}
			if t, err := truthy(l); err != nil || !t {
				return l, err
			}
			return a[1].lam.call()
		}, lam("left"), lam("right"))},
		"#operator_or": {function(func(c *callCtx, a []obj) (obj, error) {
			l, err := a[0].lam.call()
			if err != nil {
				return obj{}, err
			}
			if t, err := truthy(l); err != nil || t {
				return l, err
			}
			return a[1].lam.call()
		}, lam("left"), lam("right"))},
		"#operator_=~": {
			function(func(c *callCtx, a []obj) (obj, error) { return boolean(a[1].re.search(a[0].v.Str) != nil), nil }, req("string", tyString), req("regexp", tyRegex)),
			function(func(c *callCtx, a []obj) (obj, error) { return c.ev.reSearch(a[1].v.Str, a[0].v.Str, false, c.off) }, req("string", tyString), req("pattern", tyString)),
		},
		"#operator_!~": {
			function(func(c *callCtx, a []obj) (obj, error) { return boolean(a[1].re.search(a[0].v.Str) == nil), nil }, req("string", tyString), req("regexp", tyRegex)),
			function(func(c *callCtx, a []obj) (obj, error) { return c.ev.reSearch(a[1].v.Str, a[0].v.Str, true, c.off) }, req("string", tyString), req("pattern", tyString)),
		},
		// Branching and booleans.
		"switch": {noKw(function(func(c *callCtx, a []obj) (obj, error) {
			for _, r := range a {
				cond, err := r.rule.key.lam.call()
				if err != nil {
					return obj{}, err
				}
				if t, err := truthy(cond); err != nil || t {
					if err != nil {
						return obj{}, err
					}
					return r.rule.val.lam.call()
				}
			}
			return null(), nil
		}, param{name: "args", rest: true, rule: true, lazy: true}))},
		"coalesce": {function(func(c *callCtx, a []obj) (obj, error) {
			for _, f := range a {
				r, err := f.lam.call()
				if err != nil {
					return obj{}, err
				}
				if r.k == kData && value.KindOf(r.v) == value.Unknown {
					return obj{}, unknownOf(r.v)
				}
				if !r.isNull() {
					return r, nil
				}
			}
			return null(), nil
		}, param{name: "args", rest: true, lazy: true})},
		"bool": {function(func(c *callCtx, a []obj) (obj, error) {
			t, err := truthy(a[0])
			return boolean(t), err
		}, req("value", nil))},
		// Numbers.
		"int":   {function(fnInt, req("value", nil))},
		"float": {function(fnFloat, req("value", nil))},
		"abs": {function(func(c *callCtx, a []obj) (obj, error) {
			if c, _ := value.Compare(a[0].v, integer(0).v); c < 0 {
				return negate(a[0].v), nil
			}
			return a[0], nil
		}, req("op", tyNumber))},
		// Strings.
		"str": {function(func(c *callCtx, a []obj) (obj, error) {
			s, err := c.ev.pyStr(a[0], c.off)
			return str(s), err
		}, req("value", nil))},
		"toLower": {method(func(c *callCtx, a []obj) (obj, error) { return str(pyLower(a[0].v.Str)), nil }, req("string", tyString))},
		"toUpper": {method(func(c *callCtx, a []obj) (obj, error) { return str(pyUpper(a[0].v.Str)), nil }, req("string", tyString))},
		"split": {
			splitFn(false),
			method(func(c *callCtx, a []obj) (obj, error) { return c.ev.reSplit(a[1].re, a[0].v.Str, a[2], c.off) }, req("string", tyString), req("regexp", tyRegex), opt("maxSplit", tyInt)),
			method(func(c *callCtx, a []obj) (obj, error) { return c.ev.reSplit(a[0].re, a[1].v.Str, a[2], c.off) }, req("regexp", tyRegex), req("string", tyString), opt("maxSplit", tyInt)),
		},
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
			method(func(c *callCtx, a []obj) (obj, error) {
				return c.ev.reSub(a[0].re, a[1].v.Str, a[2].v.Str, a[3], c.off)
			}, req("regexp", tyRegex), req("string", tyString), req("repl", tyString), opt("count", tyInt)),
			method(func(c *callCtx, a []obj) (obj, error) {
				return c.ev.reSub(a[1].re, a[0].v.Str, a[2].v.Str, a[3], c.off)
			}, req("string", tyString), req("regexp", tyRegex), req("repl", tyString), opt("count", tyInt)),
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
		// Regexes.
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
		"search": {method(fnSearch, req("regexp", tyRegex), req("string", tyString), param{name: "selector", lazy: true, opt: true, ctx: true})},
		"escapeRegex": {function(func(c *callCtx, a []obj) (obj, error) {
			return str(pyReEscape(a[0].v.Str)), nil
		}, req("string", tyString))},
	}
	return m
}

func tyBoolN(_ *evaluator, o obj) bool { return o.isNull() || tyBool(nil, o) }

func strOr(o obj) string {
	if o.k == kData && value.KindOf(o.v) == value.String {
		return o.v.Str
	}
	return ""
}
func hasStr(o obj) bool { return o.k == kData && value.KindOf(o.v) == value.String }

// lookup finds a key in a map value, as a Python dict lookup.
func lookup(m *value.Value, k obj) (*value.Value, bool) {
	if k.k != kData {
		return nil, false
	}
	return m.Map.Lookup(k.v)
}

func fnLet(c *callCtx, a []obj) (obj, error) {
	sc := c.sc.child()
	for i, x := range a {
		sc.set(strconv.Itoa(i+1), x)
	}
	for _, kw := range c.kw {
		sc.set(kw.name, kw.val)
	}
	return obj{k: kContext, ctx: sc}, nil
}

// tuple builds a tuple from values, which must be data.
func (ev *evaluator) tuple(items []obj, off int) (obj, error) {
	if err := ev.quota(off, items...); err != nil {
		return obj{}, err
	}
	out := make([]*value.Value, len(items))
	for i, x := range items {
		v, err := ev.asData(x, off)
		if err != nil {
			return obj{}, err
		}
		out[i] = v
	}
	return data(value.NewList(out, zr)), nil
}

// asData converts an object to a value that can sit in a list or map:
// data as it is, a set or iterator materialised (hoist stores them as
// lists; Python would keep the object).
func (ev *evaluator) asData(o obj, off int) (*value.Value, error) {
	switch o.k {
	case kData:
		return o.v, nil
	case kSet:
		return o.v, nil
	case kIter:
		return ev.finalize(o, off)
	}
	return nil, errorf(off, "type", "hoist cannot store a "+o.typeName()+" inside a list or dict")
}

func fnDictRules(c *callCtx, a []obj) (obj, error) {
	m := value.NewMapping(len(a))
	for _, r := range a {
		if err := c.ev.quota(c.off, obj{k: kRule}); err != nil {
			return obj{}, err
		}
		if err := c.ev.setKey(m, r.rule.key, r.rule.val, c.off); err != nil {
			return obj{}, err
		}
	}
	return data(value.NewMap(m, zr)), nil
}

func (ev *evaluator) setKey(m *value.Mapping, k, v obj, off int) error {
	if _, err := ev.hashKey(k, off); err != nil {
		return err
	}
	kv, err := ev.asData(k, off)
	if err != nil {
		return err
	}
	vv, err := ev.asData(v, off)
	if err != nil {
		return err
	}
	m.Set(kv, vv)
	return nil
}

func fnDictItems(c *callCtx, a []obj) (obj, error) {
	m := value.NewMapping(0)
	cur := c.ev.cursor(a[0], c.off)
	for {
		t, ok, err := cur()
		if err != nil {
			return obj{}, err
		}
		if !ok {
			break
		}
		inner, err := c.ev.pyIter(t, c.off)
		if err != nil {
			return obj{}, err
		}
		k, ok, err := inner()
		if err == nil && !ok {
			err = errorf(c.off, "stop-iteration", "StopIteration: a dict() item has no key")
		}
		if err != nil {
			return obj{}, err
		}
		v, ok, err := inner()
		if err == nil && !ok {
			err = errorf(c.off, "stop-iteration", "StopIteration: a dict() item has no value")
		}
		if err != nil {
			return obj{}, err
		}
		if err := c.ev.setKey(m, k, v, c.off); err != nil {
			return obj{}, err
		}
		if err := c.ev.quota(c.off, data(c.ev.markMutable(value.NewMap(m, zr)))); err != nil {
			return obj{}, err
		}
	}
	return data(value.NewMap(m, zr)), nil
}

// pyIter is Python's iter(x): the items of a list, set or iterator, the
// characters of a string, the keys of a dict.
func (ev *evaluator) pyIter(o obj, off int) (func() (obj, bool, error), error) {
	if o.k == kData {
		switch value.KindOf(o.v) {
		case value.String:
			var chars []obj
			for _, r := range o.v.Str {
				chars = append(chars, str(string(r)))
			}
			return ev.cursor(sliceIter(chars), off), nil
		case value.Map:
			return ev.cursor(valuesIter(o.v.Map.Keys()), off), nil
		case value.Unknown:
			return nil, unknownOf(o.v)
		case value.List:
		default:
			return nil, errorf(off, "type", "TypeError: '"+o.typeName()+"' object is not iterable")
		}
	}
	if !isIterable(o) {
		return nil, errorf(off, "type", "TypeError: '"+o.typeName()+"' object is not iterable")
	}
	return ev.cursor(o, off), nil
}

// listOf is list(args...) and set(args...): arguments that are iterators
// are unpacked (recursively), anything else is one item.
func (ev *evaluator) listOf(args []obj, off int, asSet bool) (obj, error) {
	var items []obj
	var add func(o obj) error
	add = func(o obj) error {
		if !isIterator(o) {
			if ev.lim.MaxItems > 0 && len(items) >= ev.lim.MaxItems {
				return ev.tooLarge(off)
			}
			items = append(items, o)
			return nil
		}
		cur := ev.cursor(o, off)
		for {
			x, ok, err := cur()
			if err != nil {
				return err
			}
			if !ok {
				return nil
			}
			if err := add(x); err != nil {
				return err
			}
		}
	}
	for _, a := range args {
		if err := add(a); err != nil {
			return obj{}, err
		}
	}
	if asSet {
		return ev.toSet(sliceIter(items), off)
	}
	return ev.tuple(items, off)
}

func (ev *evaluator) toTuple(o obj, off int) (obj, error) {
	if isSequence(o) && !ev.isMutable(o.v) {
		return o, nil
	}
	items, err := ev.collect(o, off)
	if err != nil {
		return obj{}, err
	}
	return ev.tuple(items, off)
}

// toSet is frozenset(collection): first occurrences, by Python equality.
func (ev *evaluator) toSet(o obj, off int) (obj, error) {
	seen := map[string]bool{}
	var out []*value.Value
	cur := ev.cursor(o, off)
	for {
		x, ok, err := cur()
		if err != nil {
			return obj{}, err
		}
		if !ok {
			break
		}
		k, err := ev.hashKey(x, off)
		if err != nil {
			return obj{}, err
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		v, err := ev.asData(x, off)
		if err != nil {
			return obj{}, err
		}
		out = append(out, v)
	}
	return obj{k: kSet, v: value.NewList(out, zr)}, nil
}

func (ev *evaluator) setHas(set *value.Value, x *value.Value) (bool, error) {
	for _, it := range set.List {
		eq, err := ev.equalData(it, x)
		if err != nil || eq {
			return eq, err
		}
	}
	return false, nil
}

func (ev *evaluator) setCompare(op string, a, b obj, off int) (obj, error) {
	sub := func(x, y obj) (bool, error) {
		for _, it := range x.v.List {
			in, err := ev.setHas(y.v, it)
			if err != nil || !in {
				return false, err
			}
		}
		return true, nil
	}
	ab, err := sub(a, b)
	if err != nil {
		return obj{}, err
	}
	ba, err := sub(b, a)
	if err != nil {
		return obj{}, err
	}
	switch op {
	case "<":
		return boolean(ab && !ba), nil
	case "<=":
		return boolean(ab), nil
	case ">":
		return boolean(ba && !ab), nil
	}
	return boolean(ba), nil
}

func (ev *evaluator) setDifference(a, b obj, off int) (obj, error) {
	var out []*value.Value
	for _, it := range a.v.List {
		in, err := ev.setHas(b.v, it)
		if err != nil {
			return obj{}, err
		}
		if !in {
			out = append(out, it)
		}
	}
	return obj{k: kSet, v: value.NewList(out, zr)}, nil
}

func fnFlatten(c *callCtx, a []obj) (obj, error) {
	ev := c.ev
	stack := []func() (obj, bool, error){ev.cursor(a[0], c.off)}
	return newIter(func() (obj, bool, error) {
		for len(stack) > 0 {
			x, ok, err := stack[len(stack)-1]()
			if err != nil {
				return obj{}, false, err
			}
			if !ok {
				stack = stack[:len(stack)-1]
				continue
			}
			if err := ev.step(c.off); err != nil {
				return obj{}, false, err
			}
			if isIterable(x) {
				if len(stack) > maxEvalDepth {
					return obj{}, false, errorf(c.off, "limit", "maximum recursion depth exceeded")
				}
				stack = append(stack, ev.cursor(x, c.off))
				continue
			}
			return x, true, nil
		}
		return obj{}, false, nil
	}), nil
}

func fnToDict(c *callCtx, a []obj) (obj, error) {
	m := value.NewMapping(0)
	res := c.ev.markMutable(value.NewMap(m, zr))
	cur := c.ev.cursor(a[0], c.off)
	for {
		t, ok, err := cur()
		if err != nil {
			return obj{}, err
		}
		if !ok {
			break
		}
		k, err := a[1].lam.call(t)
		if err != nil {
			return obj{}, err
		}
		v := t
		if a[2].k != kNoValue {
			if v, err = a[2].lam.call(t); err != nil {
				return obj{}, err
			}
		}
		if err := c.ev.setKey(m, k, v, c.off); err != nil {
			return obj{}, err
		}
		if err := c.ev.quota(c.off, data(res)); err != nil {
			return obj{}, err
		}
	}
	return data(res), nil
}

func fnListIndex(c *callCtx, a []obj) (obj, error) {
	l := a[0].v.List
	kind := "tuple"
	if c.ev.isMutable(a[0].v) {
		kind = "list"
	}
	i, ok := int64Of(a[1].v)
	if !ok {
		return obj{}, errorf(c.off, "index", "IndexError: cannot fit 'long' into an index-sized integer")
	}
	if i < 0 {
		i += int64(len(l))
	}
	if i < 0 || i >= int64(len(l)) {
		return obj{}, errorf(c.off, "index", "IndexError: "+kind+" index out of range")
	}
	return data(l[i]), nil
}

func fnDictIndex(c *callCtx, a []obj) (obj, error) {
	if _, err := c.ev.hashKey(a[1], c.off); err != nil {
		return obj{}, err
	}
	if v, ok := lookup(a[0].v, a[1]); ok {
		return data(v), nil
	}
	if len(a) > 2 {
		if a[2].k == kNoValue {
			return null(), nil
		}
		return a[2], nil
	}
	r, _ := c.ev.repr(a[1], c.off)
	return obj{}, errorf(c.off, "key", "KeyError: "+r)
}

// contains is Python's `value in collection`.
func (ev *evaluator) contains(coll, x obj, off int) (obj, error) {
	if coll.k == kSet {
		if _, err := ev.hashKey(x, off); err != nil {
			return obj{}, err
		}
	}
	cur := ev.cursor(coll, off)
	for {
		y, ok, err := cur()
		if err != nil || !ok {
			return boolean(false), err
		}
		eq, err := ev.equal(y, x)
		if err != nil {
			return obj{}, err
		}
		if eq {
			return boolean(true), nil
		}
	}
}

func fnDeleteAll(c *callCtx, a []obj) (obj, error) {
	m := a[0].v.Map.Clone()
	cur := c.ev.cursor(a[1], c.off)
	for {
		k, ok, err := cur()
		if err != nil {
			return obj{}, err
		}
		if !ok {
			break
		}
		if _, err := c.ev.hashKey(k, c.off); err != nil {
			return obj{}, err
		}
		if k.k == kData {
			m = deleteKey(m, k.v)
		}
	}
	return data(c.ev.markMutable(value.NewMap(m, zr))), nil
}

func deleteKey(m *value.Mapping, k *value.Value) *value.Mapping {
	if _, ok := m.Lookup(k); !ok {
		return m
	}
	out := value.NewMapping(m.Len())
	for _, e := range m.Entries() {
		if !value.Equal(e.Key, k) {
			out.Set(e.Key, e.Val)
		}
	}
	return out
}

func fnCount(c *callCtx, a []obj) (obj, error) {
	n := int64(0)
	cur := c.ev.cursor(a[0], c.off)
	for {
		_, ok, err := cur()
		if err != nil {
			return obj{}, err
		}
		if !ok {
			return integer(n), nil
		}
		n++
	}
}

func fnWhere(c *callCtx, a []obj) (obj, error) {
	cur, pred := c.ev.cursor(a[0], c.off), a[1].lam
	return newIter(func() (obj, bool, error) {
		for {
			x, ok, err := cur()
			if !ok || err != nil {
				return x, ok, err
			}
			r, err := pred.call(x)
			if err != nil {
				return obj{}, false, err
			}
			t, err := truthy(r)
			if err != nil {
				return obj{}, false, err
			}
			if t {
				return x, true, nil
			}
		}
	}), nil
}

func fnSelect(c *callCtx, a []obj) (obj, error) {
	cur, sel := c.ev.cursor(a[0], c.off), a[1].lam
	return newIter(func() (obj, bool, error) {
		x, ok, err := cur()
		if !ok || err != nil {
			return x, ok, err
		}
		r, err := sel.call(x)
		return r, err == nil, err
	}), nil
}

func fnSelectMany(c *callCtx, a []obj) (obj, error) {
	ev := c.ev
	cur, sel := ev.cursor(a[0], c.off), a[1].lam
	var inner func() (obj, bool, error)
	return newIter(func() (obj, bool, error) {
		for {
			if inner != nil {
				x, ok, err := inner()
				if err != nil {
					return obj{}, false, err
				}
				if ok {
					return x, true, nil
				}
				inner = nil
			}
			x, ok, err := cur()
			if !ok || err != nil {
				return x, ok, err
			}
			r, err := sel.call(x)
			if err != nil {
				return obj{}, false, err
			}
			if isIterable(r) {
				inner = ev.cursor(r, c.off)
				continue
			}
			return r, true, nil
		}
	}), nil
}

func fnDistinct(c *callCtx, a []obj) (obj, error) {
	ev := c.ev
	cur := ev.cursor(a[0], c.off)
	seen := map[string]bool{}
	return newIter(func() (obj, bool, error) {
		for {
			x, ok, err := cur()
			if !ok || err != nil {
				return x, ok, err
			}
			key := x
			if a[1].k != kNoValue {
				if key, err = a[1].lam.call(x); err != nil {
					return obj{}, false, err
				}
			}
			k, err := ev.hashKey(key, c.off)
			if err != nil {
				return obj{}, false, err
			}
			if seen[k] {
				continue
			}
			seen[k] = true
			if err := ev.quotaWeighted(c.off, weighted{1, setSize(len(seen))}); err != nil {
				return obj{}, false, err
			}
			return x, true, nil
		}
	}), nil
}

func fnAny(c *callCtx, a []obj) (obj, error) {
	cur := c.ev.cursor(a[0], c.off)
	for {
		x, ok, err := cur()
		if err != nil || !ok {
			return boolean(false), err
		}
		if a[1].k == kNoValue {
			return boolean(true), nil
		}
		r, err := a[1].lam.call(x)
		if err != nil {
			return obj{}, err
		}
		if t, err := truthy(r); err != nil || t {
			return boolean(t), err
		}
	}
}

func fnAll(c *callCtx, a []obj) (obj, error) {
	cur := c.ev.cursor(a[0], c.off)
	for {
		x, ok, err := cur()
		if err != nil || !ok {
			return boolean(err == nil), err
		}
		r := x
		if a[1].k != kNoValue {
			if r, err = a[1].lam.call(x); err != nil {
				return obj{}, err
			}
		}
		if t, err := truthy(r); err != nil || !t {
			return boolean(false), err
		}
	}
}

func fnFirst(c *callCtx, a []obj) (obj, error) {
	x, ok, err := c.ev.cursor(a[0], c.off)()
	if err != nil {
		return obj{}, err
	}
	if ok {
		return x, nil
	}
	if a[1].k != kNoValue {
		return a[1], nil
	}
	return obj{}, errorf(c.off, "stop-iteration", "StopIteration: first() of an empty collection")
}

func fnLast(c *callCtx, a []obj) (obj, error) {
	last, found := a[1], a[1].k != kNoValue
	cur := c.ev.cursor(a[0], c.off)
	for {
		x, ok, err := cur()
		if err != nil {
			return obj{}, err
		}
		if !ok {
			break
		}
		last, found = x, true
	}
	if !found {
		return obj{}, errorf(c.off, "stop-iteration", "StopIteration: last() of an empty collection")
	}
	return last, nil
}

// islice is itertools.islice(collection, start, stop).
func (ev *evaluator) islice(coll obj, start, stop *value.Value, off int) (obj, error) {
	lo, hi := int64(0), int64(-1)
	if start != nil {
		lo, _ = int64Of(start)
	}
	if stop != nil {
		hi, _ = int64Of(stop)
	}
	if lo < 0 || stop != nil && hi < 0 {
		return obj{}, errorf(off, "value", "ValueError: Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.")
	}
	cur := ev.cursor(coll, off)
	i := int64(0)
	return newIter(func() (obj, bool, error) {
		for {
			if hi >= 0 && i >= hi {
				return obj{}, false, nil
			}
			x, ok, err := cur()
			if !ok || err != nil {
				return x, ok, err
			}
			i++
			if i > lo {
				return x, true, nil
			}
		}
	}), nil
}

// fnChain is itertools.chain.
func fnChain(c *callCtx, a []obj) (obj, error) {
	ev := c.ev
	k := 0
	var cur func() (obj, bool, error)
	return newIter(func() (obj, bool, error) {
		for {
			if cur == nil {
				if k >= len(a) {
					return obj{}, false, nil
				}
				cur = ev.cursor(a[k], c.off)
				k++
			}
			x, ok, err := cur()
			if err != nil {
				return obj{}, false, err
			}
			if ok {
				return x, true, nil
			}
			cur = nil
		}
	}), nil
}

func (ev *evaluator) pyRange(start, stop, step *value.Value, off int) (obj, error) {
	lo, ok1 := int64Of(start)
	hi, ok2 := int64Of(stop)
	st, ok3 := int64Of(step)
	if !ok1 || !ok2 || !ok3 {
		return obj{}, errorf(off, "value", "OverflowError: range() bounds beyond 64 bits are not supported by hoist")
	}
	if st == 0 {
		return obj{}, errorf(off, "value", "ValueError: range() arg 3 must not be zero")
	}
	i := lo
	return newIter(func() (obj, bool, error) {
		if st > 0 && i >= hi || st < 0 && i <= hi {
			return obj{}, false, nil
		}
		x := i
		if (st > 0 && i > math.MaxInt64-st) || (st < 0 && i < math.MinInt64-st) {
			i = hi // the next step would overflow: it is past the end anyway
		} else {
			i += st
		}
		return integer(x), true, nil
	}), nil
}

func fnOrderBy(asc bool) func(*callCtx, []obj) (obj, error) {
	return func(c *callCtx, a []obj) (obj, error) {
		o := &ordering{src: a[0], keys: []orderKey{{sel: *a[1].lam, asc: asc}}}
		return obj{k: kIter, it: &iterator{ordered: o}}, nil
	}
}

func fnThenBy(asc bool) func(*callCtx, []obj) (obj, error) {
	return func(c *callCtx, a []obj) (obj, error) {
		a[0].it.ordered.keys = append(a[0].it.ordered.keys, orderKey{sel: *a[1].lam, asc: asc})
		return a[0], nil
	}
}

// compareOp applies yaql's < or > to two values.
func (ev *evaluator) compareOp(op string, a, b obj, off int) (bool, error) {
	for _, o := range builtins["#operator_"+op] {
		if o.params[0].typ(ev, a) && o.params[1].typ(ev, b) {
			r, err := o.impl(&callCtx{ev: ev, off: off}, []obj{a, b})
			if err != nil {
				return false, err
			}
			return r.v.Bool, nil
		}
	}
	for _, x := range []obj{a, b} {
		if x.k == kData && value.KindOf(x.v) == value.Unknown {
			return false, unknownOf(x.v)
		}
	}
	return false, errorf(off, "no-method", `No function "#operator_`+op+`" matches supplied arguments`)
}

func fnGroupBy(c *callCtx, a []obj) (obj, error) {
	ev := c.ev
	type group struct {
		key  *value.Value
		vals []*value.Value
	}
	var groups []*group
	index := map[string]*group{}
	cur := ev.cursor(a[0], c.off)
	for {
		t, ok, err := cur()
		if err != nil {
			return obj{}, err
		}
		if !ok {
			break
		}
		val := t
		if a[2].k != kNoValue {
			if val, err = a[2].lam.call(t); err != nil {
				return obj{}, err
			}
		}
		key, err := a[1].lam.call(t)
		if err != nil {
			return obj{}, err
		}
		hk, err := ev.hashKey(key, c.off)
		if err != nil {
			return obj{}, err
		}
		vv, err := ev.asData(val, c.off)
		if err != nil {
			return obj{}, err
		}
		g := index[hk]
		if g == nil {
			kv, err := ev.asData(key, c.off)
			if err != nil {
				return obj{}, err
			}
			g = &group{key: kv}
			index[hk] = g
			groups = append(groups, g)
		}
		g.vals = append(g.vals, vv)
		if err := ev.quotaWeighted(c.off, weighted{1, dictSize(len(groups))}); err != nil {
			return obj{}, err
		}
	}
	items := make([]obj, len(groups))
	for i, g := range groups {
		vals := ev.markMutable(value.NewList(g.vals, zr))
		items[i] = data(value.NewList([]*value.Value{g.key, vals}, zr))
	}
	if a[3].k == kNoValue {
		return sliceIter(items), nil
	}
	// yaql 1.1.3: the aggregator maps each group's values: (key, agg(values)).
	agg := a[3].lam
	k := 0
	return newIter(func() (obj, bool, error) {
		if k >= len(items) {
			return obj{}, false, nil
		}
		g := groups[k]
		k++
		r, err := agg.call(data(ev.markMutable(value.NewList(g.vals, zr))))
		if err != nil {
			return obj{}, false, err
		}
		rv, err := ev.asData(r, c.off)
		if err != nil {
			return obj{}, false, err
		}
		return data(value.NewList([]*value.Value{g.key, rv}, zr)), true, nil
	}), nil
}

func fnZip(c *callCtx, a []obj) (obj, error) {
	ev := c.ev
	curs := make([]func() (obj, bool, error), len(a))
	for i := range a {
		curs[i] = ev.cursor(a[i], c.off)
	}
	done := false
	return newIter(func() (obj, bool, error) {
		if done || len(curs) == 0 {
			return obj{}, false, nil
		}
		row := make([]*value.Value, len(curs))
		for i, cur := range curs {
			x, ok, err := cur()
			if err != nil {
				return obj{}, false, err
			}
			if !ok {
				done = true
				return obj{}, false, nil
			}
			if row[i], err = ev.asData(x, c.off); err != nil {
				return obj{}, false, err
			}
		}
		return data(value.NewList(row, zr)), true, nil
	}), nil
}

func fnReduce(c *callCtx, a []obj) (obj, error) {
	cur := c.ev.cursor(a[0], c.off)
	acc := a[2]
	if acc.k == kNoValue {
		x, ok, err := cur()
		if err != nil {
			return obj{}, err
		}
		if !ok {
			return obj{}, errorf(c.off, "type", "TypeError: reduce() of empty sequence with no initial value")
		}
		acc = x
	}
	for {
		x, ok, err := cur()
		if err != nil {
			return obj{}, err
		}
		if !ok {
			return acc, nil
		}
		if acc, err = a[1].lam.call(acc, x); err != nil {
			return obj{}, err
		}
	}
}

// fnMergeWith is yaql's mergeWith: a deep merge into a new dict; lists
// (of either kind) merge as distinct(a + b).
func fnMergeWith(c *callCtx, a []obj) (obj, error) {
	maxLevels := int64(0)
	if a[4].k != kNoValue {
		maxLevels, _ = int64Of(a[4].v)
	}
	r, err := c.ev.mergeDicts(a[0].v, a[1].v, a[2], a[3], maxLevels, c.off)
	if err != nil {
		return obj{}, err
	}
	return data(r), nil
}

func (ev *evaluator) mergeDicts(d1, d2 *value.Value, listMerger, itemMerger obj, maxLevels int64, off int) (*value.Value, error) {
	m := value.NewMapping(d1.Map.Len() + d2.Map.Len())
	for _, e := range d1.Map.Entries() {
		v := e.Val
		if v2, ok := d2.Map.Lookup(e.Key); ok {
			switch {
			case maxLevels != 1 && value.KindOf(v2) == value.Map:
				if value.KindOf(v) == value.Unknown {
					return nil, unknownOf(v)
				}
				if value.KindOf(v) != value.Map {
					return nil, errorf(off, "type", "TypeError: Cannot merge "+ev.py2Type(v)+" with "+ev.py2Type(v2))
				}
				next := int64(0)
				if maxLevels != 0 {
					next = maxLevels - 1
				}
				merged, err := ev.mergeDicts(v, v2, listMerger, itemMerger, next, off)
				if err != nil {
					return nil, err
				}
				v = merged
			case maxLevels != 1 && value.KindOf(v2) == value.List:
				if value.KindOf(v) == value.Unknown {
					return nil, unknownOf(v)
				}
				if value.KindOf(v) != value.List {
					return nil, errorf(off, "type", "TypeError: Cannot merge "+ev.py2Type(v)+" with "+ev.py2Type(v2))
				}
				merged, err := ev.mergeLists(v, v2, listMerger, off)
				if err != nil {
					return nil, err
				}
				v = merged
			case value.KindOf(v2) == value.Unknown:
				v = v2
			default:
				if itemMerger.k == kNoValue {
					v = v2
				} else {
					r, err := itemMerger.lam.call(data(v), data(v2))
					if err != nil {
						return nil, err
					}
					if v, err = ev.asData(r, off); err != nil {
						return nil, err
					}
				}
			}
		}
		m.Set(e.Key, v)
	}
	for _, e := range d2.Map.Entries() {
		if _, ok := m.Lookup(e.Key); !ok {
			m.Set(e.Key, e.Val)
		}
	}
	return ev.markMutable(value.NewMap(m, zr)), nil
}

func (ev *evaluator) mergeLists(l1, l2 *value.Value, listMerger obj, off int) (*value.Value, error) {
	if listMerger.k != kNoValue {
		r, err := listMerger.lam.call(data(l1), data(l2))
		if err != nil {
			return nil, err
		}
		return ev.asData(r, off)
	}
	if ev.isMutable(l1) != ev.isMutable(l2) {
		a, b := "tuple", "list"
		if ev.isMutable(l1) {
			a, b = b, a
		}
		return nil, errorf(off, "type", `TypeError: can only concatenate `+a+` (not "`+b+`") to `+a)
	}
	seen := map[string]bool{}
	out := make([]*value.Value, 0, len(l1.List)+len(l2.List))
	for _, it := range append(append([]*value.Value{}, l1.List...), l2.List...) {
		k, err := ev.hashKey(data(it), off)
		if err != nil {
			return nil, err
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		if err := ev.quotaWeighted(off, weighted{1, setSize(len(seen))}); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return value.NewList(out, zr), nil
}

// py2Type is Python 2's repr of a value's type, as TypeError messages show.
func (ev *evaluator) py2Type(v *value.Value) string {
	switch value.KindOf(v) {
	case value.Map:
		if ev.isMutable(v) {
			return "<type 'dict'>"
		}
		return "<class 'yaql.language.utils.FrozenDict'>"
	case value.List:
		if ev.isMutable(v) {
			return "<type 'list'>"
		}
		return "<type 'tuple'>"
	}
	return "<type '" + data(v).typeName() + "'>"
}

func fnCombineDicts(c *callCtx, a []obj) (obj, error) {
	m := a[0].v.Map.Clone()
	for _, e := range a[1].v.Map.Entries() {
		m.Set(e.Key, e.Val)
	}
	return data(value.NewMap(m, zr)), nil
}

func fnCombineLists(c *callCtx, a []obj) (obj, error) {
	l, r := a[0], a[1]
	if isSequence(l) && isSequence(r) && !c.ev.isMutable(l.v) && !c.ev.isMutable(r.v) {
		items := append(append(make([]*value.Value, 0, len(l.v.List)+len(r.v.List)), l.v.List...), r.v.List...)
		return data(value.NewList(items, zr)), nil
	}
	if l.k == kSet && r.k == kSet {
		return fnChainSet(c, l, r)
	}
	return fnChain(c, a)
}

func fnChainSet(c *callCtx, l, r obj) (obj, error) {
	ch, _ := fnChain(c, []obj{l, r})
	return c.ev.toSet(ch, c.off)
}

// repeatSeq is sequence * n.
func (ev *evaluator) repeatSeq(seq obj, n *value.Value, off int) (obj, error) {
	times, ok := int64Of(n)
	if !ok {
		return obj{}, errorf(off, "value", "OverflowError: cannot fit 'long' into an index-sized integer")
	}
	if err := ev.quotaWeighted(off, weighted{int(1 - times), 56}, weighted{int(times), ev.sizeof(seq)}); err != nil {
		return obj{}, err
	}
	if times < 0 {
		times = 0
	}
	l := seq.v.List
	if int64(len(l))*times > 1<<24 {
		return obj{}, errorf(off, "limit", "Expression consumed too much memory")
	}
	out := make([]*value.Value, 0, int64(len(l))*times)
	for k := int64(0); k < times; k++ {
		out = append(out, l...)
	}
	res := value.NewList(out, zr)
	if ev.isMutable(seq.v) {
		ev.markMutable(res)
	}
	return data(res), nil
}

func (ev *evaluator) repeatStr(s string, n *value.Value, off int) (obj, error) {
	times, ok := int64Of(n)
	if !ok {
		return obj{}, errorf(off, "value", "OverflowError: cannot fit 'long' into an index-sized integer")
	}
	if err := ev.quotaWeighted(off, weighted{int(1 - times), 49}, weighted{int(times), strSize(s)}); err != nil {
		return obj{}, err
	}
	if times <= 0 {
		return str(""), nil
	}
	if int64(len(s))*times > 1<<24 {
		return obj{}, errorf(off, "limit", "Expression consumed too much memory")
	}
	return str(strings.Repeat(s, int(times))), nil
}

func fnInt(c *callCtx, a []obj) (obj, error) {
	x := a[0]
	if x.isNull() {
		return integer(0), nil
	}
	if x.k != kData {
		return obj{}, errorf(c.off, "type", "TypeError: int() argument must be a string or a number, not '"+x.typeName()+"'")
	}
	v := x.v
	switch v.Kind {
	case value.Bool:
		i, _ := int64Of(v)
		return integer(i), nil
	case value.Int:
		return x, nil
	case value.Float:
		if math.IsNaN(v.Float) {
			return obj{}, errorf(c.off, "value", "ValueError: cannot convert float NaN to integer")
		}
		if math.IsInf(v.Float, 0) {
			return obj{}, errorf(c.off, "value", "OverflowError: cannot convert float infinity to integer")
		}
		t := math.Trunc(v.Float)
		if t >= -9.2e18 && t <= 9.2e18 {
			return integer(int64(t)), nil
		}
		b, _ := new(big.Float).SetFloat64(t).Int(nil)
		return bigResult(b), nil
	case value.String:
		if b, ok := parsePyInt(v.Str); ok {
			return bigResult(b), nil
		}
		return obj{}, errorf(c.off, "value", "ValueError: invalid literal for int() with base 10: "+value.Repr(v))
	}
	return obj{}, errorf(c.off, "type", "TypeError: int() argument must be a string or a number, not '"+c.ev.typeName(x)+"'")
}

// parsePyInt is int(s) for a unicode string under Python 2: surrounding
// whitespace, a sign, then decimal digits of any script.
func parsePyInt(s string) (*big.Int, bool) {
	s = pyStrip(s, "", false, true, true)
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" {
		return nil, false
	}
	var digits strings.Builder
	for _, r := range s {
		if !isDigit(r) {
			return nil, false
		}
		digits.WriteByte(byte('0' + digitValue(r)))
	}
	b, ok := new(big.Int).SetString(digits.String(), 10)
	if !ok {
		return nil, false
	}
	if neg {
		b.Neg(b)
	}
	return b, true
}

func fnFloat(c *callCtx, a []obj) (obj, error) {
	x := a[0]
	if x.isNull() {
		return data(value.NewFloat(0, zr)), nil
	}
	if x.k == kData {
		switch x.v.Kind {
		case value.Bool, value.Int:
			f, err := floatOf(x.v, c.off)
			if err != nil {
				return obj{}, err
			}
			return data(value.NewFloat(f, zr)), nil
		case value.Float:
			return x, nil
		case value.String:
			if f, ok := parsePyFloat(x.v.Str); ok {
				return data(value.NewFloat(f, zr)), nil
			}
			return obj{}, errorf(c.off, "value", "ValueError: could not convert string to float: "+value.Repr(x.v))
		}
	}
	return obj{}, errorf(c.off, "type", "TypeError: float() argument must be a string or a number")
}

func parsePyFloat(s string) (float64, bool) {
	s = pyStrip(s, "", false, true, true)
	t := strings.ToLower(strings.TrimLeft(s, "+-"))
	switch t {
	case "inf", "infinity", "nan":
		f, err := strconv.ParseFloat(s, 64)
		return f, err == nil
	}
	if t == "" || strings.ContainsAny(t, "_xp") {
		return 0, false
	}
	for _, r := range t {
		if !(r >= '0' && r <= '9' || r == '.' || r == 'e' || r == '+' || r == '-') {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !isRangeErr(err) {
		return 0, false
	}
	return f, true
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
		k, err := c.ev.pyStr(data(e.Key), c.off)
		if err != nil {
			return obj{}, err
		}
		v, err := c.ev.pyStr(data(e.Val), c.off)
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

// knownYaql names functions of yaql's standard library that hoist does not
// implement, so that an error can say the difference.
var knownYaql = map[string]bool{}

func init() {
	for _, n := range strings.Fields(`accumulate add assert call characters cycle def defaultIfEmpty difference enumerate examine
		format generate generateMany hex indexOf indexWhere insert insertMany intersect isBoolean lastIndexOf
		lastIndexWhere max memorize min norm pow random repeat replaceBy replaceMany reverse round searchAll selectAllCases selectCase
		sequence shiftBitsLeft shiftBitsRight sign single skipWhile slice sliceWhere splitAt splitWhere sum symmetricDifference
		takeWhile toCharArray union unpack zipLongest bitwiseAnd bitwiseOr bitwiseXor bitwiseNot lambda now datetime timespan
		isDatetime isTimespan containsValue switchCase`) {
		knownYaql[n] = true
	}
}
