package yaql

import "slices"

// Static checks of an expression, without data: which functions and
// methods it calls, and whether the standard library has them.

// Call is one function call name(...) or method call recv.name(...)
// written in an expression.
type Call struct {
	Name string
	// Method is set for recv.name(...) (and recv?.name(...)).
	Method bool
	// Offset is the byte offset of the name in the expression.
	Offset int
}

// Calls lists the calls written in the expression, in the order of the
// text.
func (e *Expr) Calls() []Call {
	var out []Call
	var walk func(n *node)
	walk = func(n *node) {
		if n == nil {
			return
		}
		if n.kind == nBinary && (n.name == "." || n.name == "?.") && len(n.args) == 2 && n.args[1].kind == nCall {
			walk(n.args[0])
			c := n.args[1]
			out = append(out, Call{Name: c.name, Method: true, Offset: c.off})
			for _, a := range c.args {
				walk(a)
			}
			return
		}
		if n.kind == nCall {
			out = append(out, Call{Name: n.name, Offset: n.off})
		}
		for _, a := range n.args {
			walk(a)
		}
	}
	walk(e.root)
	slices.SortStableFunc(out, func(a, b Call) int { return a.Offset - b.Offset })
	return out
}

// Undefined returns the calls of the expression that the standard library
// does not have in the form written: a name no overload is registered
// under as a function (name(...)) or as a method (recv.name(...)), which
// yaql refuses whatever the data ("Unknown function", "Unknown method").
// Functions the expression defines itself with def() are known.
func (e *Expr) Undefined() []Call {
	calls := e.Calls()
	defined := map[string]bool{}
	var walk func(n *node)
	walk = func(n *node) {
		if n == nil {
			return
		}
		if n.kind == nCall && n.name == "def" && len(n.args) > 0 {
			switch a := n.args[0]; a.kind {
			case nKeyword:
				defined[a.name] = true
			case nConst:
				if a.val != nil && a.val.Str != "" {
					defined[a.val.Str] = true
				}
			}
		}
		for _, a := range n.args {
			walk(a)
		}
	}
	walk(e.root)
	var out []Call
	for _, c := range calls {
		if !c.Method && defined[c.Name] {
			continue
		}
		if !Defined(c.Name, c.Method) {
			out = append(out, c)
		}
	}
	return out
}

// Defined reports whether the standard library registers name as a
// method (method set) or as a function.
func Defined(name string, method bool) bool {
	if method {
		return len(stdlib().methods[name]) > 0
	}
	return len(stdlib().functions[name]) > 0
}

// Names lists the names the standard library registers as methods (method
// set) or as functions, sorted; operators and other internal names (those
// starting with # or *) are left out.
func Names(method bool) []string {
	m := stdlib().functions
	if method {
		m = stdlib().methods
	}
	var out []string
	for k, os := range m {
		if len(os) > 0 && k != "" && k[0] != '#' && k[0] != '*' {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
