package hot

import (
	"slices"

	"hoist/source"
	"hoist/value"
)

// ---- get_param ----------------------------------------------------------

func (s *Scope) getParam(n *Node) (*value.Value, error) {
	args, done, err := s.known(n, n.Arg)
	if done != nil || err != nil {
		return done, err
	}
	if !value.Truthy(args) {
		return nil, s.callError(n, "must have arguments: a parameter name, or a list [name, path...]")
	}
	var name *value.Value
	var path []*value.Value
	switch args.Kind {
	case value.String:
		name = args
	case value.List:
		name, path = args.List[0], args.List[1:]
	default:
		return nil, s.callError(n, "argument must be a parameter name or a list [name, path...], not %s", describe(args))
	}
	if name.Kind == value.Unknown {
		return unknownAt(name, n), nil
	}
	if name.Kind != value.String {
		return nil, s.callError(n, "the parameter name must be a string, not %s", describe(name))
	}
	st, ok := s.params[name.Str]
	var v *value.Value
	switch {
	case ok:
		v = st.typed
		if s.prov != nil {
			v = s.paramOrigin(n, st, v)
		}
	case name.Str == "OS::stack_name" && s.stackName != "":
		v = value.NewString(s.stackName, n.Range())
	case slices.Contains(pseudoParams, name.Str):
		v = value.NewUnknown("pseudo parameter "+name.Str+", known when the stack is created", n.Range())
	case s.static:
		v = value.NewUnknown("parameter "+name.Str, n.Range())
	default:
		return nil, s.errorf(name.Range, RuleParameter, "get_param: parameter %q is not declared in the template; declared parameters: %s", name.Str, nameList(s.T.ParamNames()))
	}
	for _, c := range path {
		if c.Kind == value.Unknown {
			return unknownAt(c, n), nil
		}
		if v.Kind == value.Unknown {
			return unknownAt(v, n), nil
		}
		next, ok := paramPathStep(v, c)
		if !ok {
			// Heat returns '' for any KeyError, IndexError or TypeError.
			return value.NewString("", n.Range()), nil
		}
		v = next
	}
	return v, nil
}

// paramOrigin records that get_param n read the parameter of st.
func (s *Scope) paramOrigin(n *Node, st *paramState, v *value.Value) *value.Value {
	var from string
	switch s.prov.from[st.p.Name] {
	case fromProperty:
		from = "a property of the resource that instantiated " + s.T.File
	case fromDefaults:
		from = "parameter_defaults"
	case fromDefault:
		from = "the parameter's default"
	default:
		from = "nothing: it has no value"
	}
	return v.WithOrigin(value.Origin{Kind: "get_param", At: n.Range(), Decl: st.p.NameRange, Set: st.raw.Range,
		Note: "parameter " + st.p.Name + ", set by " + from})
}

// paramPathStep is one step of get_param's path walk: maps by key, lists
// (and strings) by index, where a string index is converted with int().
func paramPathStep(coll, key *value.Value) (*value.Value, bool) {
	switch coll.Kind {
	case value.Map:
		if !isStrOrInt(key) {
			return nil, false
		}
		return coll.Map.Lookup(key)
	case value.List, value.String:
		if !isStrOrInt(key) {
			return nil, false
		}
		i, ok := int(0), false
		if key.Kind == value.String {
			n, ok2 := pyInt(key.Str)
			if !ok2 || n.Big != nil {
				return nil, false
			}
			i, ok = int(n.Int), true
		} else {
			i, ok = intIndex(key)
		}
		if !ok {
			return nil, false
		}
		return seqIndex(coll, i)
	}
	return nil, false
}

// isStrOrInt is isinstance(key, (str, int)); a bool is an int in Python.
func isStrOrInt(v *value.Value) bool {
	return v.Kind == value.String || v.Kind == value.Int || v.Kind == value.Bool
}

func intIndex(v *value.Value) (int, bool) {
	switch v.Kind {
	case value.Int:
		if v.Big != nil {
			return 0, false
		}
		return int(v.Int), true
	case value.Bool:
		if v.Bool {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// seqIndex is Python's seq[i] for a list or a string (a character).
func seqIndex(coll *value.Value, i int) (*value.Value, bool) {
	if coll.Kind == value.String {
		rs := []rune(coll.Str)
		if i < 0 {
			i += len(rs)
		}
		if i < 0 || i >= len(rs) {
			return nil, false
		}
		return value.NewString(string(rs[i]), coll.Range), true
	}
	if i < 0 {
		i += len(coll.List)
	}
	if i < 0 || i >= len(coll.List) {
		return nil, false
	}
	return coll.List[i], true
}

// SelectPath applies a get_attr path to an attribute value as Heat's
// select_from_attribute does: maps by key, lists and strings by integer
// index (no string-to-int conversion); any failure gives null, placed at.
func SelectPath(v *value.Value, path []*value.Value, at source.Range) *value.Value {
	for _, c := range path {
		if v.Kind == value.Unknown {
			return value.NewUnknown(v.Str, at)
		}
		if c.Kind == value.Unknown {
			return value.NewUnknown(c.Str, at)
		}
		if !isStrOrInt(c) {
			return value.NewNull(at)
		}
		var next *value.Value
		ok := false
		switch v.Kind {
		case value.Map:
			next, ok = v.Map.Lookup(c)
		case value.List, value.String:
			if i, isInt := intIndex(c); isInt {
				next, ok = seqIndex(v, i)
			}
		}
		if !ok {
			return value.NewNull(at)
		}
		v = next
	}
	return v
}
