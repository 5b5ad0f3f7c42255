package hot

import (
	"fmt"
	"strconv"
	"strings"

	"hoist/diag"
	"hoist/source"
	"hoist/value"
)

// maxEvalDepth bounds the nesting of function calls evaluated at once, so
// that a hostile template ends in an error rather than a stack overflow.
const maxEvalDepth = 2000

// Limits on what one function call may produce. Heat has none (it would
// exhaust memory); they are far above anything TripleO produces (its
// longest strings are a few kilobytes, its longest lists a few hundred
// items) and stop templates that grow exponentially (nested str_replace,
// repeat over products).
const (
	MaxStringLen = 16 << 20
	MaxListLen   = 1 << 20
	// maxRepeatNodes bounds the values a repeat produces in all.
	maxRepeatNodes = 4 << 20
)

func (s *Scope) checkString(n *Node, l int) error {
	if l > MaxStringLen {
		return s.callError(n, "produces a string of %d bytes, more than the %d hoist allows", l, MaxStringLen)
	}
	return nil
}

func (s *Scope) checkList(n *Node, l int) error {
	if l > MaxListLen {
		return s.callError(n, "produces a list of %d items, more than the %d hoist allows", l, MaxListLen)
	}
	return nil
}

// nodeCount counts the values of v, stopping once past limit.
func nodeCount(v *value.Value, limit int) int {
	n := 1
	switch v.Kind {
	case value.List:
		for _, it := range v.List {
			if n > limit {
				return n
			}
			n += nodeCount(it, limit-n)
		}
	case value.Map:
		for _, e := range v.Map.Entries() {
			if n > limit {
				return n
			}
			n += 1 + nodeCount(e.Val, limit-n)
		}
	}
	return n
}

// Eval resolves a parsed node in this stack: data is rebuilt with its
// values resolved (keys are never evaluated), calls are evaluated. A node
// without calls is returned as written, shared.
func (s *Scope) Eval(n *Node) (*value.Value, error) {
	if n.Static {
		return n.Val, nil
	}
	s.depth++
	defer func() { s.depth-- }()
	if s.depth > maxEvalDepth {
		return nil, s.errorf(n.Range(), RuleFunction, "functions nested more than %d levels deep", maxEvalDepth)
	}
	switch n.Kind {
	case Error:
		return nil, s.nodeError(n)
	case MapNode:
		m := value.NewMapping(len(n.Items))
		for i, it := range n.Items {
			v, err := s.Eval(it)
			if err != nil {
				return nil, err
			}
			m.Set(n.Keys[i], v)
		}
		return &value.Value{Kind: value.Map, Map: m, Range: n.Val.Range, Via: n.Val.Via}, nil
	case ListNode:
		items := make([]*value.Value, len(n.Items))
		for i, it := range n.Items {
			v, err := s.Eval(it)
			if err != nil {
				return nil, err
			}
			items[i] = v
		}
		return &value.Value{Kind: value.List, List: items, Range: n.Val.Range, Via: n.Val.Via}, nil
	case Call:
		if s.memo != nil {
			if r, ok := s.memo[n]; ok {
				return r.v, r.err
			}
			v, err := s.call(n)
			s.memo[n] = memoResult{v, err}
			return v, err
		}
		return s.call(n)
	}
	return n.Val, nil
}

// callError is an error of a function call, at the call.
func (s *Scope) callError(n *Node, format string, args ...any) error {
	return s.errorf(n.Range(), RuleFunction, n.Name+": "+format, args...)
}

// unknownAt returns an unknown placed at the call, carrying u's reason.
func unknownAt(u *value.Value, n *Node) *value.Value {
	return value.NewUnknown(u.Str, n.Range())
}

func (s *Scope) call(n *Node) (*value.Value, error) {
	switch n.fn {
	case fnGetParam:
		return s.getParam(n)
	case fnGetAttThenSelect, fnGetAtt, fnGetAttAll:
		return s.getAttr(n)
	case fnGetResource:
		return s.getResource(n)
	case fnGetFile:
		return s.getFile(n)
	case fnJoin, fnCfnJoin:
		return s.join(n)
	case fnJoinMultiple:
		return s.joinMultiple(n)
	case fnReplace, fnReplaceJSON, fnReplaceStrict, fnReplaceVStrict, fnCfnReplace:
		return s.strReplace(n)
	case fnRepeat, fnRepeatWithMap, fnRepeatNestedLoop:
		return s.repeat(n)
	case fnDigest:
		return s.digest(n)
	case fnStrSplit:
		return s.strSplit(n)
	case fnMapMerge:
		return s.mapMerge(n)
	case fnMapReplace:
		return s.mapReplace(n)
	case fnYaql:
		return s.yaql(n)
	case fnIf:
		return s.ifCall(n)
	case fnEquals:
		return s.equals(n)
	case fnNot:
		return s.not(n)
	case fnAnd, fnOr:
		return s.andOr(n)
	case fnFilter:
		return s.filter(n)
	case fnMakeURL:
		return s.makeURL(n)
	case fnListConcat, fnListConcatUnique:
		return s.listConcat(n)
	case fnContains:
		return s.contains(n)
	case fnResourceFacade, fnCfnResourceFacade:
		return s.resourceFacade(n)
	case fnRemoved:
		return nil, s.callError(n, "the function is not supported in heat_template_version %s", s.T.Version)
	case fnSelect:
		return s.selectFn(n)
	case fnCfnSplit:
		return s.cfnSplit(n)
	case fnBase64:
		return s.base64(n)
	case fnMemberListToMap:
		return s.memberListToMap(n)
	case fnGetAZs:
		return value.NewUnknown("the availability zones of the cloud", n.Range()), nil
	case fnRef:
		return s.ref(n)
	}
	return nil, s.callError(n, "not implemented")
}

// ---- get_param ----------------------------------------------------------

func (s *Scope) getParam(n *Node) (*value.Value, error) {
	args, err := s.Eval(n.Arg)
	if err != nil {
		return nil, err
	}
	if args.Kind == value.Unknown {
		return unknownAt(args, n), nil
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
	case name.Str == "OS::stack_name" && s.stackName != "":
		v = value.NewString(s.stackName, n.Range())
	case contains(pseudoParams, name.Str):
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

// ---- get_attr, get_resource ---------------------------------------------

// resource finds an enabled resource by name for get_attr and get_resource.
func (s *Scope) resource(n *Node, name *value.Value) (*Resource, error) {
	if name.Kind != value.String {
		return nil, s.callError(n, "the resource name must be a string, not %s", describe(name))
	}
	r, ok := s.T.resources[name.Str]
	if !ok && s.static {
		return nil, nil
	}
	if !ok {
		var names []string
		for _, r := range s.T.Resources {
			names = append(names, r.Name)
		}
		return nil, s.errorf(name.Range, RuleResource, "%s: the specified reference %q is incorrect: no such resource; resources: %s", n.Name, name.Str, nameList(names))
	}
	en, err := s.Enabled(r.Condition)
	if err != nil {
		return nil, err
	}
	if en.Kind == value.Bool && !en.Bool {
		return nil, s.errorf(name.Range, RuleResource, "%s: the specified reference %q is incorrect: the resource is disabled by its condition (guard the reference with if)", n.Name, name.Str)
	}
	return r, nil
}

func (s *Scope) getAttr(n *Node) (*value.Value, error) {
	a := n.Arg
	var resNode, attrNode *Node
	var pathNodes []*Node
	if a.isString() {
		// get_attr: "R", a one-character resource name (a Python string is
		// a sequence).
		resNode = a
	} else {
		resNode = a.Items[0]
		if len(a.Items) > 1 {
			attrNode, pathNodes = a.Items[1], a.Items[2:]
		}
	}
	path := make([]*value.Value, len(pathNodes))
	for i, pn := range pathNodes {
		v, err := s.Eval(pn)
		if err != nil {
			return nil, err
		}
		path[i] = v
	}
	var attr *value.Value
	if attrNode != nil {
		v, err := s.Eval(attrNode)
		if err != nil {
			return nil, err
		}
		attr = v
	}
	name, err := s.Eval(resNode)
	if err != nil {
		return nil, err
	}
	if name.Kind == value.Unknown {
		return unknownAt(name, n), nil
	}
	r, err := s.resource(n, name)
	if err != nil {
		return nil, err
	}
	if attr != nil && attr.Kind == value.Unknown {
		return unknownAt(attr, n), nil
	}
	return s.host.GetAttr(r, attr, path, n.Range())
}

func (s *Scope) getResource(n *Node) (*value.Value, error) {
	name, err := s.Eval(n.Arg)
	if err != nil {
		return nil, err
	}
	if name.Kind == value.Unknown {
		return unknownAt(name, n), nil
	}
	r, err := s.resource(n, name)
	if err != nil {
		return nil, err
	}
	return s.host.GetResource(r, n.Range())
}

func (s *Scope) ref(n *Node) (*value.Value, error) {
	name, err := s.Eval(n.Arg)
	if err != nil {
		return nil, err
	}
	if name.Kind == value.String {
		if _, ok := s.T.resources[name.Str]; ok {
			return s.getResource(n)
		}
		if st, ok := s.params[name.Str]; ok {
			return st.typed, nil
		}
	}
	return nil, s.callError(n, "%s is neither a resource nor a parameter of the template", describe(name))
}

func (s *Scope) resourceFacade(n *Node) (*value.Value, error) {
	what, err := s.Eval(n.Arg)
	if err != nil {
		return nil, err
	}
	w := value.Str(what)
	switch n.fn {
	case fnCfnResourceFacade:
		m := map[string]string{"Metadata": "metadata", "DeletionPolicy": "deletion_policy", "UpdatePolicy": "update_policy"}
		if x, ok := m[w]; ok {
			w = x
		} else {
			return nil, s.callError(n, `argument must be one of "Metadata", "DeletionPolicy" or "UpdatePolicy", not %s`, describe(what))
		}
	}
	return s.host.ResourceFacade(w, n.Range())
}

// ---- get_file -----------------------------------------------------------

func (s *Scope) getFile(n *Node) (*value.Value, error) {
	p, err := s.Eval(n.Arg)
	if err != nil {
		return nil, err
	}
	if p.Kind == value.Unknown {
		return unknownAt(p, n), nil
	}
	if p.Kind != value.String {
		return nil, s.callError(n, "argument must be a string (a path relative to the template), not %s", describe(p))
	}
	return s.host.GetFile(p.Str, n.Arg.Static, n.Range())
}

// ---- list_join ----------------------------------------------------------

func (s *Scope) join(n *Node) (*value.Value, error) {
	var delimNode, listNode *Node
	if n.fn == fnCfnJoin {
		if !n.Arg.isList() || len(n.Arg.Items) != 2 {
			return nil, s.callError(n, `arguments must be [delimiter, [string, ...]]`)
		}
	}
	delimNode, listNode = n.Arg.Items[0], n.Arg.Items[1]
	list, err := s.Eval(listNode)
	if err != nil {
		return nil, err
	}
	if list.Kind == value.Unknown {
		return unknownAt(list, n), nil
	}
	if list.Kind == value.Null {
		list = value.NewList(nil, list.Range)
	}
	if list.Kind != value.List {
		return nil, s.callError(n, "must operate on a list, not %s", describe(list))
	}
	delim, err := s.Eval(delimNode)
	if err != nil {
		return nil, err
	}
	if delim.Kind == value.Unknown {
		return unknownAt(delim, n), nil
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
	return value.NewString(strings.Join(parts, delim.Str), n.Range()), nil
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
	delim, err := s.Eval(n.Arg.Items[0])
	if err != nil {
		return nil, err
	}
	if delim.Kind == value.Unknown {
		return unknownAt(delim, n), nil
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
	return value.NewString(b.String(), n.Range()), nil
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
	return value.NewString(out, n.Range()), nil
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
	fe, err := s.Eval(feNode)
	if err != nil {
		return nil, err
	}
	if fe.Kind == value.Unknown {
		return unknownAt(fe, n), nil
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

// ---- str_split ----------------------------------------------------------

func (s *Scope) strSplit(n *Node) (*value.Value, error) {
	args, err := s.Eval(n.Arg)
	if err != nil {
		return nil, err
	}
	if args.Kind == value.Unknown {
		return unknownAt(args, n), nil
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
	for i, it := range items {
		switch it.Kind {
		case value.Null:
		case value.Map:
			for _, e := range it.Map.Entries() {
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
	return value.NewMap(m, n.Range()), nil
}

func (s *Scope) mapReplace(n *Node) (*value.Value, error) {
	args, err := s.Eval(n.Arg)
	if err != nil {
		return nil, err
	}
	if args.Kind == value.Unknown {
		return unknownAt(args, n), nil
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

// ---- conditions ---------------------------------------------------------

func (s *Scope) ifCall(n *Node) (*value.Value, error) {
	c, err := s.Eval(n.cond)
	if err != nil {
		return nil, err
	}
	b, err := s.condValue(c, n.cond.Range())
	if err != nil {
		return nil, err
	}
	if b.Kind == value.Unknown {
		return value.NewUnknown("if: the condition is only known at deploy time: "+b.Str, n.Range()), nil
	}
	if b.Bool {
		return s.Eval(n.then)
	}
	return s.Eval(n.els)
}

func (s *Scope) equals(n *Node) (*value.Value, error) {
	a, err := s.Eval(n.Arg.Items[0])
	if err != nil {
		return nil, err
	}
	b, err := s.Eval(n.Arg.Items[1])
	if err != nil {
		return nil, err
	}
	if u := a.FirstUnknown(); u != nil {
		return unknownAt(u, n), nil
	}
	if u := b.FirstUnknown(); u != nil {
		return unknownAt(u, n), nil
	}
	return value.NewBool(value.Equal(a, b), n.Range()), nil
}

func (s *Scope) not(n *Node) (*value.Value, error) {
	v, err := s.Eval(n.Arg)
	if err != nil {
		return nil, err
	}
	b, err := s.condValue(v, n.Arg.Range())
	if err != nil {
		return nil, err
	}
	if b.Kind == value.Unknown {
		return unknownAt(b, n), nil
	}
	return value.NewBool(!b.Bool, n.Range()), nil
}

func (s *Scope) andOr(n *Node) (*value.Value, error) {
	args, err := s.Eval(n.Arg)
	if err != nil {
		return nil, err
	}
	isAnd := n.fn == fnAnd
	var unknown *value.Value
	for i, it := range args.List {
		b, err := s.condValue(it, n.Arg.Items[i].Range())
		if err != nil {
			return nil, err
		}
		if b.Kind == value.Unknown {
			unknown = b
			continue
		}
		if b.Bool != isAnd {
			return value.NewBool(!isAnd, n.Range()), nil
		}
	}
	if unknown != nil {
		return unknownAt(unknown, n), nil
	}
	return value.NewBool(isAnd, n.Range()), nil
}

// ---- filter, contains, list_concat --------------------------------------

func (s *Scope) filter(n *Node) (*value.Value, error) {
	seq, err := s.Eval(n.Arg.Items[1])
	if err != nil {
		return nil, err
	}
	if seq.Kind == value.Unknown {
		return unknownAt(seq, n), nil
	}
	if !value.Truthy(seq) {
		return seq, nil
	}
	if seq.Kind != value.List {
		return nil, s.callError(n, "only works with lists, not %s", describe(seq))
	}
	vals, err := s.Eval(n.Arg.Items[0])
	if err != nil {
		return nil, err
	}
	if vals.Kind == value.Unknown {
		return unknownAt(vals, n), nil
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
	v, err := s.Eval(n.Arg.Items[0])
	if err != nil {
		return nil, err
	}
	seq, err := s.Eval(n.Arg.Items[1])
	if err != nil {
		return nil, err
	}
	if u := v.FirstUnknown(); u != nil {
		return unknownAt(u, n), nil
	}
	if u := seq.FirstUnknown(); u != nil {
		return unknownAt(u, n), nil
	}
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
	args, err := s.Eval(n.Arg)
	if err != nil {
		return nil, err
	}
	if args.Kind == value.Unknown {
		return unknownAt(args, n), nil
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
	str, err := s.Eval(n.Arg.Items[1])
	if err != nil {
		return nil, err
	}
	if str.Kind == value.Unknown {
		return unknownAt(str, n), nil
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
	v, err := s.Eval(n.Arg)
	if err != nil {
		return nil, err
	}
	if v.Kind == value.Unknown {
		return unknownAt(v, n), nil
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
	list, err := s.Eval(n.Arg.Items[2])
	if err != nil {
		return nil, err
	}
	if list.Kind == value.Unknown {
		return unknownAt(list, n), nil
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
