package yaql

import "hoist/value"

// yaql's branching module: switch and coalesce, with lazy branches.

func branchingLib() map[string][]*overload {
	return map[string][]*overload{
		"switch": {noKw(function(func(c *callCtx, a []obj) (obj, error) {
			for _, r := range a {
				cond, err := r.rul().key.lam.call()
				if err != nil {
					return obj{}, err
				}
				if t, err := truthy(cond); err != nil || t {
					if err != nil {
						return obj{}, err
					}
					return r.rul().val.lam.call()
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
		"selectCase": {function(func(c *callCtx, a []obj) (obj, error) {
			for i, f := range a {
				t, err := callTruthy(f.lam)
				if err != nil || t {
					return integer(int64(i)), err
				}
			}
			return integer(int64(len(a))), nil
		}, param{name: "args", rest: true, lazy: true})},
		"switchCase": {method(func(c *callCtx, a []obj) (obj, error) {
			cases := a[1:]
			if len(cases) == 0 {
				return null(), nil
			}
			i, ok := int64Of(a[0].v)
			if ok && i >= 0 && i < int64(len(cases)) {
				return cases[i].lam.call()
			}
			return cases[len(cases)-1].lam.call()
		}, req("case", tyInt), param{name: "args", rest: true, lazy: true})},
		"selectAllCases": {function(func(c *callCtx, a []obj) (obj, error) {
			i := 0
			return newIter(func() (obj, bool, error) {
				for i < len(a) {
					i++
					t, err := callTruthy(a[i-1].lam)
					if err != nil {
						return obj{}, false, err
					}
					if t {
						return integer(int64(i - 1)), true, nil
					}
				}
				return obj{}, false, nil
			}), nil
		}, param{name: "args", rest: true, lazy: true})},
		"examine": {function(func(c *callCtx, a []obj) (obj, error) {
			i := 0
			return newIter(func() (obj, bool, error) {
				if i >= len(a) {
					return obj{}, false, nil
				}
				i++
				t, err := callTruthy(a[i-1].lam)
				return boolean(t), err == nil, err
			}), nil
		}, param{name: "args", rest: true, lazy: true})},
	}
}

// callTruthy evaluates a lambda and tells whether its value is true.
func callTruthy(l *lambda) (bool, error) {
	r, err := l.call()
	if err != nil {
		return false, err
	}
	return truthy(r)
}
