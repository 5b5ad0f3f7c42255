package yaql

// yaql's common module: equality, and the order of null against anything.

func commonLib() map[string][]*overload {
	m := map[string][]*overload{
		"*equal": {function(func(c *callCtx, a []obj) (obj, error) {
			eq, err := c.ev.equal(a[0], a[1])
			return boolean(eq), err
		}, req("left", nil), req("right", nil))},
		"*not_equal": {function(func(c *callCtx, a []obj) (obj, error) {
			eq, err := c.ev.equal(a[0], a[1])
			return boolean(!eq), err
		}, req("left", nil), req("right", nil))},
	}
	for _, op := range []string{"<", "<=", ">", ">="} {
		m["#operator_"+op] = []*overload{
			function(func(c *callCtx, a []obj) (obj, error) { return boolean(op == ">" || op == ">="), nil }, req("left", tyNonNull), req("right", tyNull)),
			function(func(c *callCtx, a []obj) (obj, error) { return boolean(op == "<" || op == "<="), nil }, req("left", tyNull), req("right", tyNonNull)),
			function(func(c *callCtx, a []obj) (obj, error) { return boolean(op == "<=" || op == ">="), nil }, req("left", tyNull), req("right", tyNull)),
		}
	}
	return m
}
