package hot

import (
	"strings"

	"hoist/value"
)

// ---- filter, contains, list_concat --------------------------------------

func (s *Scope) filter(n *Node) (*value.Value, error) {
	seq, done, err := s.known(n, n.Arg.Items[1])
	if done != nil || err != nil {
		return done, err
	}
	if !value.Truthy(seq) {
		return seq, nil
	}
	if seq.Kind != value.List {
		return nil, s.callError(n, "only works with lists, not %s", describe(seq))
	}
	vals, done, err := s.known(n, n.Arg.Items[0])
	if done != nil || err != nil {
		return done, err
	}
	if !value.Truthy(vals) {
		return seq, nil
	}
	if vals.Kind != value.List {
		return nil, s.callError(n, "filters a list of values, not %s", describe(vals))
	}
	var out []*value.Value
	for _, it := range seq.List {
		if !containsValue(vals.List, it) {
			out = append(out, it)
		}
	}
	return value.NewList(out, n.Range()), nil
}

func (s *Scope) contains(n *Node) (*value.Value, error) {
	vs, done, err := s.knownAll(n, n.Arg.Items[0], n.Arg.Items[1])
	if done != nil || err != nil {
		return done, err
	}
	v, seq := vs[0], vs[1]
	switch seq.Kind {
	case value.List:
		return value.NewBool(containsValue(seq.List, v), n.Range()), nil
	case value.String:
		if v.Kind != value.String {
			return nil, s.callError(n, "'in <string>' requires a string as left operand, not %s", describe(v))
		}
		return value.NewBool(strings.Contains(seq.Str, v.Str), n.Range()), nil
	}
	return nil, s.callError(n, "the second argument should be a sequence, not %s", describe(seq))
}

func (s *Scope) listConcat(n *Node) (*value.Value, error) {
	args, done, err := s.known(n, n.Arg)
	if done != nil || err != nil {
		return done, err
	}
	if args.Kind != value.List {
		return nil, s.callError(n, "arguments must be a list of lists [[<value 1>, <value 2>], [<value 3>, <value 4>]], not %s", describe(args))
	}
	var out []*value.Value
	var unknown *value.Value
	for i, it := range args.List {
		switch it.Kind {
		case value.Null:
		case value.List:
			if err := s.checkList(n, len(out)+len(it.List)); err != nil {
				return nil, err
			}
			out = append(out, it.List...)
		case value.Unknown:
			// The result is unknown, unless a later item is known to
			// be wrong.
			if unknown == nil {
				unknown = it
			}
		default:
			return nil, s.itemError(n, i, it, "%s: items to concat must be lists, not %s", n.Name, describe(it))
		}
	}
	if unknown != nil {
		return unknownAt(unknown, n), nil
	}
	if n.fn == fnListConcatUnique {
		for _, it := range out {
			if u := it.FirstUnknown(); u != nil {
				return unknownAt(u, n), nil
			}
		}
		out = queensUnique(out)
	}
	return value.NewList(out, n.Range()), nil
}

// queensUnique reproduces list_concat_unique of queens and rocky Heat,
// which de-duplicated in place while iterating:
//
//	for i in ret_list:
//	    while ret_list.count(i) > 1:
//	        del ret_list[ret_list.index(i)]
//
// so duplicates usually keep their last position and some survive
// ([0,1,0,2,1,2] gives [1,0,1,2]).
func queensUnique(in []*value.Value) []*value.Value {
	l := append([]*value.Value(nil), in...)
	for idx := 0; idx < len(l); idx++ {
		it := l[idx]
		for count(l, it) > 1 {
			j := index(l, it)
			l = append(l[:j], l[j+1:]...)
		}
	}
	return l
}

func count(l []*value.Value, v *value.Value) int {
	c := 0
	for _, x := range l {
		if value.Equal(x, v) {
			c++
		}
	}
	return c
}

func index(l []*value.Value, v *value.Value) int {
	for i, x := range l {
		if value.Equal(x, v) {
			return i
		}
	}
	return -1
}
