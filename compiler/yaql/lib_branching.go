package yaql

import "hoist/value"

// yaql's branching module: switch and coalesce, with lazy branches.

func branchingLib() map[string][]*overload {
	return map[string][]*overload{
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
	}
}
