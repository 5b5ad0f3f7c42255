package yaql

import (
	"strconv"
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
			return obj{k: kContext, ctx: sc}, nil
		}, param{name: "args", rest: true}))},
		"#operator_->": {keepUnk(function(func(c *callCtx, a []obj) (obj, error) {
			return a[1].lam.callIn(a[0].ctx)
		}, req("left", tyContext), param{name: "right", lazy: true, ctx: true}))},
	}
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
