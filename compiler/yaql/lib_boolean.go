package yaql

// yaql's boolean module: and, or, not (Python truthiness, short-circuit).

func booleanLib() map[string][]*overload {
	return map[string][]*overload{
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
		"bool": {function(func(c *callCtx, a []obj) (obj, error) {
			t, err := truthy(a[0])
			return boolean(t), err
		}, req("value", nil))},
		"isBoolean": {function(func(c *callCtx, a []obj) (obj, error) { return boolean(tyBool(nil, a[0])), nil }, req("value", nil))},
	}
}
