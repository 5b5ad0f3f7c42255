package hot

import (
	"strconv"
	"strings"

	"hoist/value"
)

// ---- CloudFormation-style functions (2013-05-23) ------------------------

func (s *Scope) selectFn(n *Node) (*value.Value, error) {
	if !n.Arg.isList() || len(n.Arg.Items) != 2 {
		return nil, s.callError(n, "arguments must be of the form [index, collection]")
	}
	idx, err := s.Eval(n.Arg.Items[0])
	if err != nil {
		return nil, err
	}
	coll, err := s.Eval(n.Arg.Items[1])
	if err != nil {
		return nil, err
	}
	if u := firstUnknownReason(idx, coll); u != "" {
		return value.NewUnknown(u, n.Range()), nil
	}
	if coll.Kind == value.String {
		if coll.Str == "" {
			return value.NewString("", n.Range()), nil
		}
		c, err := ParseJSON(coll.Str, coll.Range)
		if err != nil {
			return nil, s.callError(n, "%v", err)
		}
		coll = c
	}
	empty := value.NewString("", n.Range())
	switch coll.Kind {
	case value.Map:
		if idx.Kind != value.String {
			return nil, s.callError(n, "index must be a string, not %s", describe(idx))
		}
		if v, ok := coll.Map.Get(idx.Str); ok {
			return v, nil
		}
		return empty, nil
	case value.List:
		i, ok := pyIntOf(idx)
		if !ok {
			return nil, s.callError(n, "index must be an integer, not %s", describe(idx))
		}
		if v, ok := seqIndex(coll, i); ok {
			return v, nil
		}
		return empty, nil
	case value.Null:
		return empty, nil
	}
	return nil, s.callError(n, "arguments not fully resolved: %s", describe(coll))
}

func (s *Scope) cfnSplit(n *Node) (*value.Value, error) {
	if !n.Arg.isList() || len(n.Arg.Items) != 2 {
		return nil, s.callError(n, `arguments must be [",", "str1,str2"]`)
	}
	delim := n.Arg.Items[0]
	if !delim.isString() {
		return nil, s.callError(n, "the delimiter must be a string")
	}
	str, done, err := s.known(n, n.Arg.Items[1])
	if done != nil || err != nil {
		return done, err
	}
	if str.Kind != value.String {
		return nil, s.callError(n, "the value to split must be a string, not %s", describe(str))
	}
	if delim.Val.Str == "" {
		return nil, s.callError(n, "empty delimiter")
	}
	parts := strings.Split(str.Str, delim.Val.Str)
	items := make([]*value.Value, len(parts))
	for i, p := range parts {
		items[i] = value.NewString(p, n.Range())
	}
	return value.NewList(items, n.Range()), nil
}

func (s *Scope) base64(n *Node) (*value.Value, error) {
	v, done, err := s.known(n, n.Arg)
	if done != nil || err != nil {
		return done, err
	}
	if v.Kind != value.String {
		return nil, s.callError(n, "argument must be a string, not %s", describe(v))
	}
	return v, nil
}

func (s *Scope) memberListToMap(n *Node) (*value.Value, error) {
	if !n.Arg.isList() || len(n.Arg.Items) != 3 || !n.Arg.Items[0].isString() || !n.Arg.Items[1].isString() {
		return nil, s.callError(n, "arguments must be [key_name, value_name, ['.member.0.key_name=k', '.member.0.value_name=v', ...]]")
	}
	keyName, valName := n.Arg.Items[0].Val.Str, n.Arg.Items[1].Val.Str
	list, done, err := s.known(n, n.Arg.Items[2])
	if done != nil || err != nil {
		return done, err
	}
	if list.Kind != value.List {
		return nil, s.callError(n, "the member list must be a list, not %s", describe(list))
	}
	partials := value.NewMapping(len(list.List))
	for _, it := range list.List {
		if it.Kind != value.String {
			return nil, s.callError(n, "member list items must be strings, not %s", describe(it))
		}
		k, v, ok := strings.Cut(it.Str, "=")
		if !ok {
			return nil, s.callError(n, "member list item %q has no '='", it.Str)
		}
		partials.Set(value.NewString(k, it.Range), value.NewString(v, it.Range))
	}
	members := map[int]map[string]*value.Value{}
	var order []int
	for _, e := range partials.Entries() {
		rest, ok := strings.CutPrefix(e.Key.Str, ".member.")
		if !ok {
			continue
		}
		num, key, ok := strings.Cut(rest, ".")
		i, err := strconv.Atoi(num)
		if !ok || err != nil || num == "" || strings.TrimLeft(num, "0123456789") != "" {
			continue
		}
		if members[i] == nil {
			members[i] = map[string]*value.Value{}
			order = append(order, i)
		}
		members[i][key] = e.Val
	}
	sortInts(order)
	out := value.NewMapping(len(order))
	for _, i := range order {
		k, ok1 := members[i][keyName]
		v, ok2 := members[i][valName]
		if ok1 && ok2 {
			out.Set(k, v)
		}
	}
	return value.NewMap(out, n.Range()), nil
}
