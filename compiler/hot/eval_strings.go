package hot

import (
	"fmt"
	"strings"

	"hoist/value"
)

// ---- list_join ----------------------------------------------------------

func (s *Scope) join(n *Node) (*value.Value, error) {
	var delimNode, listNode *Node
	if n.fn == fnCfnJoin {
		if !n.Arg.isList() || len(n.Arg.Items) != 2 {
			return nil, s.callError(n, `arguments must be [delimiter, [string, ...]]`)
		}
	}
	delimNode, listNode = n.Arg.Items[0], n.Arg.Items[1]
	list, done, err := s.known(n, listNode)
	if done != nil || err != nil {
		return done, err
	}
	if list.Kind == value.Null {
		list = value.NewList(nil, list.Range)
	}
	if list.Kind != value.List {
		return nil, s.callError(n, "must operate on a list, not %s", describe(list))
	}
	delim, done, err := s.known(n, delimNode)
	if done != nil || err != nil {
		return done, err
	}
	if delim.Kind != value.String {
		return nil, s.callError(n, "the delimiter must be a string, not %s", describe(delim))
	}
	parts := make([]string, len(list.List))
	for i, it := range list.List {
		switch it.Kind {
		case value.Null:
		case value.String:
			parts[i] = it.Str
		case value.Unknown:
			return unknownAt(it, n), nil
		default:
			return nil, s.callError(n, "items to join must be strings, not %s", value.Repr(it))
		}
	}
	total := len(delim.Str) * len(parts)
	for _, p := range parts {
		total += len(p)
	}
	if err := s.checkString(n, total); err != nil {
		return nil, err
	}
	out := value.NewString(strings.Join(parts, delim.Str), n.Range())
	if s.prov != nil {
		out.Origin = &value.Origin{Kind: n.Name, At: n.Range(), Note: fmt.Sprintf("%s of %d items with %q", n.Name, len(list.List), delim.Str), Parts: itemParts(list.List)}
	}
	return out, nil
}

// itemParts are the contributors of a function's result: its items, each
// with its range and its own origin.
func itemParts(items []*value.Value) []value.Part {
	parts := make([]value.Part, len(items))
	for i, it := range items {
		parts[i] = value.Part{At: it.Range, Note: fmt.Sprintf("item %d: %s", i, value.Dumps(clipValue(it))), Val: it}
	}
	return parts
}

func (s *Scope) joinMultiple(n *Node) (*value.Value, error) {
	var items []*value.Value
	// An unknown list makes the result unknown, but a list known to be
	// wrong fails whatever the unknown ones are.
	var unknown *value.Value
	for _, ln := range n.Arg.Items[1:] {
		jl, err := s.Eval(ln)
		if err != nil {
			return nil, err
		}
		if jl.Kind == value.Unknown {
			if unknown == nil {
				unknown = jl
			}
			continue
		}
		if !value.Truthy(jl) {
			continue
		}
		if jl.Kind != value.List {
			return nil, s.callError(n, "must operate on lists; got %s", describe(jl))
		}
		items = append(items, jl.List...)
	}
	if unknown != nil {
		for _, it := range items {
			switch it.Kind {
			case value.Null, value.String, value.List, value.Map, value.Unknown:
			default:
				return nil, s.callError(n, "items to join must be strings, maps or lists, not %s (convert numbers with yaql str())", value.Str(it))
			}
		}
		return unknownAt(unknown, n), nil
	}
	delim, done, err := s.known(n, n.Arg.Items[0])
	if done != nil || err != nil {
		return done, err
	}
	if delim.Kind != value.String {
		return nil, s.callError(n, "the delimiter must be a string, not %s", describe(delim))
	}
	var b strings.Builder
	for i, it := range items {
		if i > 0 {
			b.WriteString(delim.Str)
		}
		switch it.Kind {
		case value.Null:
		case value.String:
			b.WriteString(it.Str)
		case value.List, value.Map:
			if u := it.FirstUnknown(); u != nil {
				return unknownAt(u, n), nil
			}
			b.WriteString(value.Dumps(it))
		case value.Unknown:
			return unknownAt(it, n), nil
		default:
			return nil, s.callError(n, "items to join must be strings, maps or lists, not %s (convert numbers with yaql str())", value.Str(it))
		}
		if err := s.checkString(n, b.Len()); err != nil {
			return nil, err
		}
	}
	out := value.NewString(b.String(), n.Range())
	if s.prov != nil {
		out.Origin = &value.Origin{Kind: n.Name, At: n.Range(), Note: fmt.Sprintf("%s of %d items with %q", n.Name, len(items), delim.Str), Parts: itemParts(items)}
	}
	return out, nil
}

// ---- str_replace --------------------------------------------------------

func (s *Scope) strReplace(n *Node) (*value.Value, error) {
	var tmplNode, paramsNode *Node
	if n.fn == fnCfnReplace {
		if !n.Arg.isList() || len(n.Arg.Items) != 2 {
			return nil, s.callError(n, `arguments must be [{"$var": "value"}, "template"]`)
		}
		paramsNode, tmplNode = n.Arg.Items[0], n.Arg.Items[1]
		if !(paramsNode.isMap() || paramsNode.IsCall()) {
			return nil, s.callError(n, "parameters must be a mapping, not %s", describe(paramsNode.Val))
		}
	} else {
		tmplNode, _ = n.Arg.get("template")
		paramsNode, _ = n.Arg.get("params")
	}
	tmpl, err := s.Eval(tmplNode)
	if err != nil {
		return nil, err
	}
	params, err := s.Eval(paramsNode)
	if err != nil {
		return nil, err
	}
	if tmpl.Kind == value.Unknown {
		return unknownAt(tmpl, n), nil
	}
	if tmpl.Kind != value.String {
		return nil, s.callError(n, "template must be a string, not %s", describe(tmpl))
	}
	if params.Kind == value.Unknown {
		return unknownAt(params, n), nil
	}
	if params.Kind != value.Map {
		return nil, s.callError(n, "params must be a map, not %s", describe(params))
	}
	ents := params.Map.Entries()
	keys := make([]string, 0, len(ents))
	vals := make(map[string]string, len(ents))
	for _, e := range ents {
		if e.Key.Kind != value.String {
			return nil, s.callError(n, "param placeholders must be strings, not %s", describe(e.Key))
		}
		if e.Key.Str == "" {
			return nil, s.callError(n, "a param placeholder is the empty string")
		}
		v, msg := s.replacement(n, e.Val, e.Key.Str)
		if msg != "" {
			return nil, s.errorf(e.Val.Range, RuleFunction, "%s: %s", n.Name, msg)
		}
		if v == nil {
			return unknownAt(e.Val.FirstUnknown(), n), nil
		}
		keys = append(keys, e.Key.Str)
		vals[e.Key.Str] = *v
	}
	sortPlaceholders(keys)
	found := map[string]bool{}
	grow := 0
	for _, k := range keys {
		if d := len(vals[k]) - len(k); d > 0 {
			grow += d * strings.Count(tmpl.Str, k)
		}
	}
	if err := s.checkString(n, len(tmpl.Str)+grow); err != nil {
		return nil, err
	}
	out := replaceSplit(tmpl.Str, keys, vals, found)
	if n.fn == fnReplaceStrict || n.fn == fnReplaceVStrict {
		var missing []string
		for _, k := range keys {
			if !found[k] {
				missing = append(missing, k)
			}
		}
		if len(missing) > 0 {
			return nil, s.callError(n, "the following params were not found in the template: %s", strings.Join(missing, ","))
		}
	}
	res := value.NewString(out, n.Range())
	if s.prov != nil {
		parts := []value.Part{{Key: "template", At: tmpl.Range, Note: "the template: " + value.Dumps(clipValue(tmpl)), Val: tmpl}}
		for _, e := range params.Map.Entries() {
			parts = append(parts, value.Part{Key: value.Str(e.Key), At: e.Val.Range, Note: "replaces " + value.Str(e.Key) + ": " + value.Dumps(clipValue(e.Val)), Val: e.Val})
		}
		res.Origin = &value.Origin{Kind: n.Name, At: n.Range(), Note: n.Name, Parts: parts}
	}
	return res, nil
}

// replacement coerces a str_replace parameter value; a nil result means
// the value is unknown.
func (s *Scope) replacement(n *Node, v *value.Value, key string) (*string, string) {
	vstrict := n.fn == fnReplaceVStrict
	empty := fmt.Sprintf("%s has an undefined or empty value for param %s, must be a defined non-empty value", n.Name, key)
	var out string
	switch v.Kind {
	case value.Unknown:
		return nil, ""
	case value.Null:
		if vstrict {
			return nil, empty
		}
	case value.String, value.Int, value.Float, value.Bool:
		out = value.Str(v)
	case value.List, value.Map:
		if n.fn == fnReplace || n.fn == fnCfnReplace {
			return nil, fmt.Sprintf("params must be strings or numbers, param %s is not valid", key)
		}
		if vstrict && (len(v.List) == 0 && v.Kind == value.List || v.Kind == value.Map && v.Map.Len() == 0) {
			return nil, empty
		}
		if v.ContainsUnknown() {
			return nil, ""
		}
		out = value.Dumps(v)
	}
	if vstrict && out == "" {
		return nil, empty
	}
	return &out, ""
}

// sortPlaceholders orders keys as Heat does: lexicographically, then
// (stably) longest first.
func sortPlaceholders(keys []string) {
	sortStrings(keys)
	stableSortByLenDesc(keys)
}

// replaceSplit is Heat's str_replace algorithm: split on the first
// placeholder, apply the remaining ones to each piece, join with the first
// one's value. Substituted text is never scanned again.
func replaceSplit(s string, keys []string, vals map[string]string, found map[string]bool) string {
	if len(keys) == 0 {
		return s
	}
	k := keys[0]
	parts := strings.Split(s, k)
	if len(parts) > 1 {
		found[k] = true
	}
	for i, p := range parts {
		parts[i] = replaceSplit(p, keys[1:], vals, found)
	}
	return strings.Join(parts, vals[k])
}

// ---- str_split ----------------------------------------------------------

func (s *Scope) strSplit(n *Node) (*value.Value, error) {
	args, done, err := s.known(n, n.Arg)
	if done != nil || err != nil {
		return done, err
	}
	if args.Kind != value.List || len(args.List) < 2 {
		return nil, s.callError(n, `arguments must be [delimiter, string, (index)], not %s`, describe(args))
	}
	delim, str := args.List[0], args.List[1]
	if str.Kind == value.Null {
		return value.NewNull(n.Range()), nil
	}
	if str.Kind == value.Unknown || delim.Kind == value.Unknown {
		return unknownAt(value.NewUnknown(firstUnknownReason(str, delim), n.Range()), n), nil
	}
	if str.Kind != value.String {
		return nil, s.callError(n, "the value to split must be a string, not %s", describe(str))
	}
	var parts []string
	switch delim.Kind {
	case value.String:
		if delim.Str == "" {
			return nil, s.callError(n, "empty delimiter")
		}
		parts = strings.Split(str.Str, delim.Str)
	case value.Null:
		parts = strings.Fields(str.Str)
	default:
		return nil, s.callError(n, "the delimiter must be a string, not %s", describe(delim))
	}
	items := make([]*value.Value, len(parts))
	for i, p := range parts {
		items[i] = value.NewString(p, n.Range())
	}
	if len(args.List) > 2 {
		idx := args.List[2]
		i, ok := pyIntOf(idx)
		if !ok {
			return nil, s.callError(n, "incorrect index %s; it must be an integer", describe(idx))
		}
		if i < 0 {
			i += len(items)
		}
		if i < 0 || i >= len(items) {
			return nil, s.callError(n, "incorrect index %s: should be between 0 and %d", value.Str(idx), len(items)-1)
		}
		return items[i], nil
	}
	return value.NewList(items, n.Range()), nil
}

func firstUnknownReason(vs ...*value.Value) string {
	for _, v := range vs {
		if u := v.FirstUnknown(); u != nil {
			return u.Str
		}
	}
	return ""
}

// pyIntOf is Python's int(x) for an index: ints, bools, floats (truncated)
// and integer strings.
func pyIntOf(v *value.Value) (int, bool) {
	switch v.Kind {
	case value.Int, value.Bool:
		return intIndex(v)
	case value.Float:
		if v.Float != v.Float || v.Float > 1e15 || v.Float < -1e15 {
			return 0, false
		}
		return int(v.Float), true
	case value.String:
		n, ok := pyInt(v.Str)
		if !ok || n.Big != nil {
			return 0, false
		}
		return int(n.Int), true
	}
	return 0, false
}
