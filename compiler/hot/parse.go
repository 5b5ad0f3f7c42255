package hot

import (
	"fmt"

	"hoist/diag"
	"hoist/source"
	"hoist/value"
)

// NodeKind tells what a parsed Node is.
type NodeKind uint8

// The kinds of node.
const (
	// Scalar is a null, bool, number or string written in the template.
	Scalar NodeKind = iota
	// MapNode is a mapping that is data (not a function call); its values
	// are parsed, its keys never are.
	MapNode
	// ListNode is a list whose items are parsed.
	ListNode
	// Call is a function call: a one-key mapping whose key the version's
	// table knows.
	Call
	// Error is a call whose arguments Heat rejects when it parses them
	// (the constructor of the function raised). It fails when evaluated,
	// so that an error inside the branch an if does not take stays
	// invisible, as in Heat.
	Error
)

// Node is a parsed template snippet. Parsing follows Heat's rule: a
// mapping with exactly one key that the version's function table knows is
// a call; every other mapping is data. Nodes are immutable and shared by
// every stack that instantiates the template.
type Node struct {
	Kind NodeKind
	// Static is set when the node contains no call: it evaluates to Val
	// itself, which is then shared, not copied.
	Static bool
	// Val is the value as written (for a call, the one-key mapping).
	Val *value.Value
	// Keys and Items hold a MapNode's entries (Keys[i] → Items[i]) or a
	// ListNode's items.
	Keys  []*value.Value
	Items []*Node

	// Call fields.
	Name string
	fn   fnID
	// Arg is the parsed argument (the one-key mapping's value).
	Arg *Node
	// NameRange is where the function name is written.
	NameRange source.Range
	// cond, then, els are the parts of an if: the condition parsed with
	// the condition table, and the two branches.
	cond, then, els *Node

	// Err is the parse error of an Error node.
	Err *diag.Diagnostic
}

// Range is where the node is written.
func (n *Node) Range() source.Range { return n.Val.Range }

// IsCall reports whether the node is a function call (or a call whose
// arguments failed to parse).
func (n *Node) IsCall() bool { return n.Kind == Call || n.Kind == Error }

// isMap reports whether the node is data shaped as a mapping (Heat's
// isinstance(args, Mapping) on parsed arguments: a call is not a mapping).
func (n *Node) isMap() bool { return n.Kind == MapNode }

// isList reports whether the node is a list (isinstance(args, list)).
func (n *Node) isList() bool { return n.Kind == ListNode }

// isString reports whether the node is a string written in the template.
func (n *Node) isString() bool { return n.Kind == Scalar && n.Val.Kind == value.String }

// get returns the item of a MapNode under a string key.
func (n *Node) get(key string) (*Node, bool) {
	if n.Kind != MapNode {
		return nil, false
	}
	for i, k := range n.Keys {
		if k.Kind == value.String && k.Str == key {
			return n.Items[i], true
		}
	}
	return nil, false
}

// parser turns value trees into nodes for one template.
type parser struct {
	version *Version
	file    string
}

// parse parses v with the ordinary function table.
func (p *parser) parse(v *value.Value) *Node { return p.parseWith(v, p.version.Functions) }

// parseCondition parses v with the condition table.
func (p *parser) parseCondition(v *value.Value) *Node {
	if p.version.CondFunctions == nil {
		return p.parse(v)
	}
	return p.parseWith(v, p.version.CondFunctions)
}

func (p *parser) parseWith(v *value.Value, table map[string]fnID) *Node {
	switch value.KindOf(v) {
	case value.Map:
		ents := v.Map.Entries()
		if len(ents) == 1 && ents[0].Key.Kind == value.String {
			if id, ok := table[ents[0].Key.Str]; ok {
				return p.call(v, ents[0].Key, ents[0].Val, id, table)
			}
		}
		n := &Node{Kind: MapNode, Val: v, Static: true,
			Keys: make([]*value.Value, len(ents)), Items: make([]*Node, len(ents))}
		for i, e := range ents {
			n.Keys[i] = e.Key
			n.Items[i] = p.parseWith(e.Val, table)
			n.Static = n.Static && n.Items[i].Static
		}
		return n
	case value.List:
		n := &Node{Kind: ListNode, Val: v, Static: true, Items: make([]*Node, len(v.List))}
		for i, it := range v.List {
			n.Items[i] = p.parseWith(it, table)
			n.Static = n.Static && n.Items[i].Static
		}
		return n
	}
	if v == nil {
		v = value.NewNull(source.Range{File: p.file})
	}
	return &Node{Kind: Scalar, Val: v, Static: true}
}

// call builds the node of a call, running the argument checks Heat's
// function constructors run at parse time.
func (p *parser) call(v, key, arg *value.Value, id fnID, table map[string]fnID) *Node {
	n := &Node{Kind: Call, Val: v, Name: key.Str, fn: id, NameRange: key.Range}
	if id == fnIf {
		return p.parseIf(n, arg)
	}
	n.Arg = p.parseWith(arg, table)
	if msg := checkArgs(id, key.Str, n.Arg); msg != "" {
		return p.fail(n, "%s", msg)
	}
	return n
}

func (p *parser) fail(n *Node, format string, args ...any) *Node {
	n.Kind = Error
	n.Err = diag.Newf(diag.Error, RuleFunction, n.Val.Range, format, args...)
	return n
}

// parseIf parses [condition, value_if_true, value_if_false]. Heat parses the
// condition and only the chosen branch while parsing; both branches are
// parsed here, and only the chosen one is ever evaluated.
func (p *parser) parseIf(n *Node, arg *value.Value) *Node {
	if value.KindOf(arg) != value.List || len(arg.List) == 0 {
		return p.fail(n, `if: arguments must be a list of the form [condition, value_if_true, value_if_false], not %s`, describe(arg))
	}
	if len(arg.List) != 3 {
		return p.fail(n, `if: arguments must be of the form [condition, value_if_true, value_if_false]; got %d items`, len(arg.List))
	}
	n.cond = p.parseCondition(arg.List[0])
	n.then = p.parse(arg.List[1])
	n.els = p.parse(arg.List[2])
	return n
}

// checkArgs returns the message of the error a function's constructor
// raises for the shape of its (parsed) argument, or "".
func checkArgs(id fnID, name string, a *Node) string {
	switch id {
	case fnInvalid:
		return fmt.Sprintf("the function %q is invalid in a condition; condition functions are get_param, equals, not, and, or (and yaql, contains from pike)", name)
	case fnGetAttThenSelect, fnGetAtt:
		if !a.isList() {
			return fmt.Sprintf("%s: argument must be a list [resource_name, attribute, path...], not %s", name, describe(a.Val))
		}
		if len(a.Items) < 2 {
			return fmt.Sprintf("%s: arguments must be of the form [resource_name, attribute, (path), ...]", name)
		}
	case fnGetAttAll:
		// A string is a Python sequence: a one-character string names a
		// resource, a longer one fails as "not a list".
		if a.isString() && len([]rune(a.Val.Str)) == 1 {
			return ""
		}
		if a.isList() && len(a.Items) == 0 || a.Kind == Scalar && !value.Truthy(a.Val) {
			return fmt.Sprintf("%s: arguments must be [resource_name] or [resource_name, attribute, (path), ...], not %s", name, describe(a.Val))
		}
		if !a.isList() {
			return fmt.Sprintf("%s: argument must be a list [resource_name, attribute, path...], not %s", name, describe(a.Val))
		}
	case fnReplace, fnReplaceJSON, fnReplaceStrict, fnReplaceVStrict:
		if !a.isMap() {
			return fmt.Sprintf("%s: arguments must be a map with template and params, not %s", name, describe(a.Val))
		}
		params, okP := a.get("params")
		_, okT := a.get("template")
		if !okP || !okT {
			return fmt.Sprintf("%s: syntax is {template: <string>, params: {<placeholder>: <value>, ...}}; missing %s", name, missingKeys(a, "template", "params"))
		}
		if !(params.isMap() || params.IsCall()) {
			return fmt.Sprintf("%s: params must be a mapping, not %s", name, describe(params.Val))
		}
	case fnJoin:
		if !a.isList() {
			return fmt.Sprintf(`%s: arguments must be [" ", ["str1", "str2"]], not %s`, name, describe(a.Val))
		}
		if len(a.Items) != 2 {
			return fmt.Sprintf(`%s: arguments must be [" ", ["str1", "str2"]]; got %d items`, name, len(a.Items))
		}
	case fnJoinMultiple:
		if !a.isList() {
			return fmt.Sprintf(`%s: arguments must be [delimiter, list, ...], not %s`, name, describe(a.Val))
		}
		if len(a.Items) < 2 {
			return fmt.Sprintf(`%s: arguments must be [delimiter, list, ...] with at least one list`, name)
		}
	case fnRepeat, fnRepeatWithMap, fnRepeatNestedLoop:
		if !a.isMap() {
			return fmt.Sprintf("%s: arguments must be a map with for_each and template, not %s", name, describe(a.Val))
		}
		fe, okF := a.get("for_each")
		_, okT := a.get("template")
		if !okF || !okT {
			return fmt.Sprintf("%s: syntax is {template: ..., for_each: {<placeholder>: <list>}}; missing %s", name, missingKeys(a, "for_each", "template"))
		}
		if id == fnRepeatNestedLoop {
			if perm, ok := a.get("permutations"); ok && !(perm.Kind == Scalar && perm.Val.Kind == value.Bool) {
				return fmt.Sprintf("%s: permutations must be a boolean, not %s", name, describe(perm.Val))
			}
		}
		if !fe.IsCall() && !fe.isMap() {
			return fmt.Sprintf("%s: for_each must be a map of placeholders to lists, not %s", name, describe(fe.Val))
		}
	case fnYaql:
		if !a.isMap() {
			return fmt.Sprintf("%s: arguments must be a map {expression: <string>, data: <value>}, not %s", name, describe(a.Val))
		}
		if _, ok := a.get("expression"); !ok {
			return fmt.Sprintf("%s: syntax is {expression: <string>, data: <value>}; missing expression", name)
		}
		for _, k := range a.Keys {
			if !(k.Kind == value.String && (k.Str == "expression" || k.Str == "data")) {
				return fmt.Sprintf("%s: unexpected key %s; expected expression and data", name, value.Repr(k))
			}
		}
	case fnEquals:
		if !a.isList() || len(a.Items) != 2 {
			return fmt.Sprintf("%s: arguments must be a list of two values [value_1, value_2], not %s", name, describe(a.Val))
		}
	case fnNot:
		if a.Kind == Scalar && a.Val.Kind == value.Null {
			return fmt.Sprintf("%s: argument must be a condition", name)
		}
	case fnAnd, fnOr:
		if !a.isList() {
			return fmt.Sprintf("%s: arguments must be a list of conditions, not %s", name, describe(a.Val))
		}
		if a.isList() && len(a.Items) < 2 {
			return fmt.Sprintf("%s: needs at least 2 conditions, got %d", name, len(a.Items))
		}
	case fnFilter:
		if !a.isList() {
			return fmt.Sprintf("%s: argument must be a list [values, list], not %s", name, describe(a.Val))
		}
		if a.isList() && len(a.Items) != 2 {
			return fmt.Sprintf("%s: expected 2 arguments of the form [values, list] but got %d", name, len(a.Items))
		}
	case fnContains:
		if !a.isList() || len(a.Items) == 0 {
			return fmt.Sprintf(`%s: arguments must be [value, sequence], not %s`, name, describe(a.Val))
		}
		if len(a.Items) != 2 {
			return fmt.Sprintf(`%s: arguments must be of the form [value, sequence]; got %d items`, name, len(a.Items))
		}
	case fnStrSplit:
		if a.isString() || a.isMap() {
			return fmt.Sprintf(`%s: arguments must be [delimiter, string, (index)], not %s`, name, describe(a.Val))
		}
	case fnResourceFacade:
		if !(a.isString() && (a.Val.Str == "metadata" || a.Val.Str == "deletion_policy" || a.Val.Str == "update_policy")) {
			return fmt.Sprintf(`%s: argument must be one of "metadata", "deletion_policy" or "update_policy", not %s`, name, describe(a.Val))
		}
	case fnMakeURL:
		// make_url checks its argument when validated, before resolving;
		// see checkMakeURL.
		return checkMakeURL(name, a)
	}
	return ""
}

func missingKeys(a *Node, keys ...string) string {
	var miss []string
	for _, k := range keys {
		if _, ok := a.get(k); !ok {
			miss = append(miss, k)
		}
	}
	return diag.QuoteList(miss)
}

// describe names a value's type and shows it briefly, for messages.
func describe(v *value.Value) string {
	switch value.KindOf(v) {
	case value.Null:
		return "null"
	case value.String:
		s := v.Str
		if len(s) > 60 {
			s = s[:57] + "..."
		}
		return fmt.Sprintf("the string %q", s)
	case value.Bool, value.Int, value.Float:
		return fmt.Sprintf("the %s %s", value.KindOf(v), value.Str(v))
	case value.List:
		return fmt.Sprintf("a list of %d items", len(v.List))
	case value.Map:
		return fmt.Sprintf("a map with keys %s", keyList(v))
	case value.Unknown:
		return "a value only known at deploy time (" + v.Str + ")"
	}
	return v.Kind.String()
}

func keyList(v *value.Value) string {
	var ks []string
	for i, e := range v.Map.Entries() {
		if i == 6 {
			ks = append(ks, "...")
			break
		}
		ks = append(ks, value.Str(e.Key))
	}
	if len(ks) == 0 {
		return "(none)"
	}
	return diag.QuoteList(ks)
}
