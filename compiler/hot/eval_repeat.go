package hot

import (
	"strings"

	"hoist/value"
)

// ---- repeat -------------------------------------------------------------

func (s *Scope) repeat(n *Node) (*value.Value, error) {
	feNode, _ := n.Arg.get("for_each")
	tmplNode, _ := n.Arg.get("template")
	nested := true
	if n.fn == fnRepeatNestedLoop {
		if p, ok := n.Arg.get("permutations"); ok {
			nested = p.Val.Bool
		}
	}
	fe, done, err := s.known(n, feNode)
	if done != nil || err != nil {
		return done, err
	}
	if fe.Kind != value.Map {
		return nil, s.callError(n, "the for_each argument must be a map of placeholders to lists, not %s", describe(fe))
	}
	if fe.Map.Len() == 0 {
		return nil, s.callError(n, "the for_each argument is an empty map")
	}
	var keys []*value.Value
	var lists [][]*value.Value
	var lens []int
	for _, e := range fe.Map.Entries() {
		keys = append(keys, e.Key)
		v := e.Val
		switch {
		case v.Kind == value.Null:
			lists = append(lists, nil)
			continue
		case v.Kind == value.Unknown:
			return unknownAt(v, n), nil
		case v.Kind == value.List:
			lists = append(lists, v.List)
		case v.Kind == value.Map && (n.fn == fnRepeatWithMap || n.fn == fnRepeatNestedLoop && nested):
			lists = append(lists, v.Map.Keys())
		default:
			what := "lists"
			if n.fn == fnRepeatWithMap || n.fn == fnRepeatNestedLoop && nested {
				what = "lists or maps"
			}
			return nil, s.callError(n, "the values of the for_each argument must be %s; %s is %s", what, value.Repr(e.Key), describe(v))
		}
		lens = append(lens, len(lists[len(lists)-1]))
	}
	if !nested {
		for _, l := range lens {
			if l != lens[0] {
				return nil, s.callError(n, "the length of for_each values should be equal if no nested loop (permutations: false); got lengths %v", lens)
			}
		}
	}
	tmpl, err := s.Eval(tmplNode)
	if err != nil {
		return nil, err
	}
	var combos [][]*value.Value
	if nested {
		combos = [][]*value.Value{nil}
		for _, l := range lists {
			var next [][]*value.Value
			for _, c := range combos {
				for _, it := range l {
					next = append(next, append(append([]*value.Value(nil), c...), it))
				}
			}
			combos = next
			if err := s.checkList(n, len(combos)); err != nil {
				return nil, err
			}
		}
	} else {
		m := -1
		for _, l := range lists {
			if m < 0 || len(l) < m {
				m = len(l)
			}
		}
		for i := 0; i < m; i++ {
			c := make([]*value.Value, len(lists))
			for j, l := range lists {
				c[j] = l[i]
			}
			combos = append(combos, c)
		}
	}
	if size := nodeCount(tmpl, maxRepeatNodes); size*len(combos) > maxRepeatNodes {
		return nil, s.callError(n, "produces %d copies of a template of %d values, more than the %d values hoist allows", len(combos), size, maxRepeatNodes)
	}
	out := make([]*value.Value, 0, len(combos))
	for _, c := range combos {
		v, err := s.repeatReplace(n, keys, c, tmpl)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return value.NewList(out, n.Range()), nil
}

// repeatReplace substitutes each placeholder in turn into every string of
// the (already resolved) template, dict keys included.
func (s *Scope) repeatReplace(n *Node, keys, vals []*value.Value, t *value.Value) (*value.Value, error) {
	switch t.Kind {
	case value.String:
		str := t.Str
		for i, k := range keys {
			v := vals[i]
			if v.Kind == value.Unknown {
				return unknownAt(v, n), nil
			}
			if k.Kind != value.String || v.Kind != value.String {
				return nil, s.callError(n, "cannot substitute %s for placeholder %s: both must be strings", describe(v), value.Repr(k))
			}
			if d := len(v.Str) - len(k.Str); d > 0 && k.Str != "" {
				if err := s.checkString(n, len(str)+d*strings.Count(str, k.Str)); err != nil {
					return nil, err
				}
			}
			str = strings.ReplaceAll(str, k.Str, v.Str)
		}
		return value.NewString(str, t.Range), nil
	case value.List:
		items := make([]*value.Value, len(t.List))
		for i, it := range t.List {
			v, err := s.repeatReplace(n, keys, vals, it)
			if err != nil {
				return nil, err
			}
			items[i] = v
		}
		return value.NewList(items, t.Range), nil
	case value.Map:
		m := value.NewMapping(t.Map.Len())
		for _, e := range t.Map.Entries() {
			k, err := s.repeatReplace(n, keys, vals, e.Key)
			if err != nil {
				return nil, err
			}
			v, err := s.repeatReplace(n, keys, vals, e.Val)
			if err != nil {
				return nil, err
			}
			if k.Kind == value.Unknown {
				return k, nil
			}
			m.Set(k, v)
		}
		return value.NewMap(m, t.Range), nil
	}
	return t, nil
}
