package yaql

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"hoist/value"
)

// yaql's system module: contexts (let, with, ->) and the member operator
// (evaluated by the evaluator itself: evaluator.dot and member).

func systemLib() map[string][]*overload {
	return map[string][]*overload{
		"let": {keepUnk(function(fnLet, param{name: "args", rest: true}, param{name: "kwargs", kwrest: true}))},
		"with": {keepUnk(function(func(c *callCtx, a []obj) (obj, error) {
			sc := c.sc.child()
			for i, x := range a {
				sc.set(strconv.Itoa(i+1), x)
			}
			return obj{k: kContext, x: sc}, nil
		}, param{name: "args", rest: true}))},
		"#operator_->": {keepUnk(function(func(c *callCtx, a []obj) (obj, error) {
			return a[1].lam.callIn(a[0].context())
		}, req("left", tyContext), param{name: "right", lazy: true, ctx: true}))},
		"def": {function(func(c *callCtx, a []obj) (obj, error) {
			sc := c.sc.child()
			body := *a[1].lam
			body.sc = sc // the function sees itself: recursion works
			sc.define(a[0].v.Str, &body)
			c.ev.defs++
			return obj{k: kContext, x: sc}, nil
		}, req("name", tyString), lam("func"))},
		"unpack": {method(fnUnpack, it("sequence"), rest("args", tyString))},
		"assert": {method(func(c *callCtx, a []obj) (obj, error) {
			x := c.ev.memorize(a[0], c.off)
			r, err := a[1].lam.call(x)
			if err != nil {
				return obj{}, err
			}
			t, err := truthy(r)
			if err != nil {
				return obj{}, err
			}
			if !t {
				msg := "Assertion failed"
				if a[2].k != kNoValue {
					msg = a[2].v.Str
				}
				return obj{}, errorf(c.off, "assertion", "AssertionError: "+msg)
			}
			return x, nil
		}, req("obj", nil), lam("condition"), opt("message", tyString))},
		"call": {function(fnCall, req("name", tyString), req("args", tySequence), req("kwargs", tyMapping), opt("receiver", nil))},
	}
}

// fnUnpack binds the items of a sequence to the names given ($1, $2...
// without names) in a new context.
func fnUnpack(c *callCtx, a []obj) (obj, error) {
	names := a[1:]
	cur := c.ev.cursor(a[0], c.off)
	var items []obj
	for len(items) < len(names)+1 {
		x, ok, err := cur()
		if err != nil {
			return obj{}, err
		}
		if !ok {
			break
		}
		items = append(items, x)
	}
	if len(names) > 0 && len(names) != len(items) {
		return obj{}, errorf(c.off, "value", "ValueError: Cannot unpack "+strconv.Itoa(len(items))+" elements into "+strconv.Itoa(len(names)))
	}
	sc := c.sc.child()
	if len(names) > 0 {
		for i, n := range names {
			sc.set(strings.TrimPrefix(n.v.Str, "$"), items[i])
		}
		return obj{k: kContext, x: sc}, nil
	}
	// Without names, yaql iterates the sequence again: a list from its
	// start, an iterator from where the first pull left it.
	all := c.ev.cursor(a[0], c.off)
	for i := 1; ; i++ {
		x, ok, err := all()
		if err != nil {
			return obj{}, err
		}
		if !ok {
			break
		}
		sc.set(strconv.Itoa(i), x)
	}
	return obj{k: kContext, x: sc}, nil
}

// fnCall is call(name, args, kwargs[, receiver]): the function (or, with
// a receiver, the method) called with those arguments. Keys of kwargs
// that are not keywords are dropped, as yaql's filter_parameters_dict
// does.
func fnCall(c *callCtx, a []obj) (obj, error) {
	args := make([]obj, len(a[1].v.List))
	for i, v := range a[1].v.List {
		args[i] = c.ev.unbox(v)
	}
	var kw []kwArg
	for _, e := range a[2].v.Map.Entries() {
		if value.KindOf(e.Key) != value.String {
			return obj{}, errorf(c.off, "type", "TypeError: expected string or buffer")
		}
		if isKeyword(e.Key.Str) {
			kw = append(kw, kwArg{e.Key.Str, c.ev.unbox(e.Val)})
		}
	}
	var recv *obj
	if a[3].k != kNoValue {
		recv = &a[3]
	}
	return c.ev.invoke(c.off, a[0].v.Str, recv, args, kw, c.sc)
}

// isKeyword is yaql's utils.is_keyword: re.match of its keyword pattern,
// (?!__)\b[^\W\d]\w*\b, which needs only a letter or _ first (not two
// underscores).
func isKeyword(s string) bool {
	if strings.HasPrefix(s, "__") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	return r == '_' || unicode.IsLetter(r)
}

func fnLet(c *callCtx, a []obj) (obj, error) {
	sc := c.sc.child()
	for i, x := range a {
		sc.set(strconv.Itoa(i+1), x)
	}
	for _, kw := range c.kw {
		sc.set(kw.name, kw.val)
	}
	return obj{k: kContext, x: sc}, nil
}
