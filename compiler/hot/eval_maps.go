package hot

import (
	"fmt"

	"hoist/diag"
	"hoist/value"
)

// ---- map_merge, map_replace ---------------------------------------------

// itemError reports a wrong item of a function's list argument at the
// item as the call writes it (a get_param, a get_attr), with the place
// the value was written as a note when that is elsewhere (a parameter's
// default, a nested template's output).
func (s *Scope) itemError(n *Node, i int, it *value.Value, format string, args ...any) *diag.Diagnostic {
	r := it.Range
	if n.Arg != nil && n.Arg.Kind == ListNode && i < len(n.Arg.Items) {
		r = n.Arg.Items[i].Range()
	}
	d := s.errorf(r, RuleFunction, format, args...)
	if !it.Range.IsZero() && it.Range != r {
		d.Related = append(d.Related, diag.Related{Range: it.Range, Message: "the value comes from here"})
	}
	return d
}

func (s *Scope) mapMerge(n *Node) (*value.Value, error) {
	args, err := s.Eval(n.Arg)
	if err != nil {
		return nil, err
	}
	var items []*value.Value
	switch args.Kind {
	case value.Unknown:
		return unknownAt(args, n), nil
	case value.List:
		items = args.List
	case value.String:
		if args.Str != "" {
			return nil, s.callError(n, "items to merge must be maps, not the characters of %s", describe(args))
		}
	default:
		return nil, s.callError(n, `arguments must be a list of maps [{key1: val1}, {key2: val2}], not %s`, describe(args))
	}
	m := value.NewMapping(8)
	var unknown *value.Value
	var parts []value.Part
	for i, it := range items {
		switch it.Kind {
		case value.Null:
		case value.Map:
			for _, e := range it.Map.Entries() {
				if s.prov != nil {
					parts = mergePart(parts, m, e.Key, e.Val, i)
				}
				m.Set(e.Key, e.Val)
			}
		case value.Unknown:
			// The result is unknown, unless a later item is known to
			// be wrong.
			if unknown == nil {
				unknown = it
			}
		default:
			return nil, s.itemError(n, i, it, "%s: items to merge must be maps, not %s", n.Name, describe(it))
		}
	}
	if unknown != nil {
		return unknownAt(unknown, n), nil
	}
	out := value.NewMap(m, n.Range())
	if s.prov != nil {
		out.Origin = &value.Origin{Kind: "map_merge", At: n.Range(), Note: fmt.Sprintf("%s of %d maps: a later map's key replaces an earlier one's", n.Name, len(items)), Parts: parts}
	}
	return out, nil
}

// mergePart records, for provenance, that item i of a merge gives key k
// the value v, discarding the value an earlier item gave it.
func mergePart(parts []value.Part, m *value.Mapping, k, v *value.Value, i int) []value.Part {
	key := value.JSONKey(k)
	if old, ok := m.Lookup(k); ok {
		parts = append(parts, value.Part{Key: key, At: old.Range, Note: fmt.Sprintf("discarded: item %d of the merge gives %s", i, value.Dumps(clipValue(v)))})
	}
	return append(parts, value.Part{Key: key, At: v.Range, Note: fmt.Sprintf("item %d of the merge", i)})
}

// clipValue is v, or for a long one a string saying its kind and size.
func clipValue(v *value.Value) *value.Value {
	if s := value.Dumps(v); len(s) > 80 {
		return value.NewString(fmt.Sprintf("<%s of %d characters in JSON>", v.Kind, len(s)), v.Range)
	}
	return v
}

func (s *Scope) mapReplace(n *Node) (*value.Value, error) {
	args, done, err := s.known(n, n.Arg)
	if done != nil || err != nil {
		return done, err
	}
	usage := `arguments must be [{key1: val1}, {keys: {key1: key2}, values: {val1: val2}}]`
	if args.Kind != value.List || len(args.List) != 2 {
		return nil, s.callError(n, "%s, not %s", usage, describe(args))
	}
	asMap := func(v *value.Value) (*value.Value, error) {
		switch v.Kind {
		case value.Null:
			return value.NewMap(nil, v.Range), nil
		case value.Map, value.Unknown:
			return v, nil
		}
		return nil, s.callError(n, "%s; got %s", usage, describe(v))
	}
	in, err := asMap(args.List[0])
	if err != nil {
		return nil, err
	}
	repl, err := asMap(args.List[1])
	if err != nil {
		return nil, err
	}
	if in.Kind == value.Unknown || repl.Kind == value.Unknown {
		return value.NewUnknown(firstUnknownReason(in, repl), n.Range()), nil
	}
	for _, e := range repl.Map.Entries() {
		if !(e.Key.Kind == value.String && (e.Key.Str == "keys" || e.Key.Str == "values")) {
			return nil, s.errorf(e.Key.Range, RuleFunction, "%s: unexpected key %s; the second map has only keys and values", n.Name, value.Repr(e.Key))
		}
	}
	getMap := func(k string) (*value.Value, error) {
		v, ok := repl.Map.Get(k)
		if !ok {
			return value.NewMap(nil, repl.Range), nil
		}
		return asMap(v)
	}
	keys, err := getMap("keys")
	if err != nil {
		return nil, err
	}
	vals, err := getMap("values")
	if err != nil {
		return nil, err
	}
	if keys.Kind == value.Unknown || vals.Kind == value.Unknown {
		return value.NewUnknown(firstUnknownReason(keys, vals), n.Range()), nil
	}
	out := value.NewMapping(in.Map.Len())
	for _, e := range in.Map.Entries() {
		k := e.Key
		if nk, ok := keys.Map.Lookup(e.Key); ok && nk.Kind != value.Null {
			if !value.Hashable(nk) {
				return nil, s.errorf(nk.Range, RuleFunction, "%s: key replacement %s is not hashable", n.Name, value.Repr(nk))
			}
			if _, clash := in.Map.Lookup(nk); clash && !value.Equal(nk, e.Key) {
				return nil, s.errorf(nk.Range, RuleFunction, "%s: key replacement %s collides with a key in the input map", n.Name, value.Str(nk))
			}
			if _, clash := out.Lookup(nk); clash {
				return nil, s.errorf(nk.Range, RuleFunction, "%s: key replacement %s collides with a key in the output map", n.Name, value.Str(nk))
			}
			k = nk
		}
		v := e.Val
		if value.Hashable(v) && v.Kind != value.Unknown {
			if nv, ok := vals.Map.Lookup(v); ok {
				v = nv
			}
		}
		out.Set(k, v)
	}
	return value.NewMap(out, n.Range()), nil
}
