package hot

import (
	"slices"
	"sort"

	"hoist/compiler/yaql"
	"hoist/diag"
	"hoist/source"
	"hoist/value"
)

// Static validation: what Heat's function constructors and resolution
// reject about a template whatever its parameters, resources and files
// are. Lint reports it without instantiating anything (the heat/ rules).

// Site is one parsed node of the template, where Heat resolves it.
type Site struct {
	Node *Node
	// Path is where the node is written: resources.<name>.properties...,
	// outputs.<name>.value..., conditions.<name>... It is the walker's
	// own, valid during the call: Clone it to keep it.
	Path value.Path
	// Condition is set in condition contexts (the conditions section, the
	// first argument of if, condition: keys), parsed with the condition
	// table.
	Condition bool
	// Parent is the call whose argument holds the node (directly or as an
	// item of the argument's list or map), nil at a section's top.
	Parent *Node
}

// Walk calls fn for every node of the template that Heat parses with a
// function table, parents before children: the resources' properties,
// metadata, update and deletion policies, external ids and conditions,
// the outputs' values and conditions, and the conditions section. Both
// branches of every if are walked (Heat parses only the branch it takes;
// the other one is a latent error).
func (t *Template) Walk(fn func(s Site)) {
	w := &walker{fn: fn}
	for _, r := range t.Resources {
		w.path = append(w.path[:0], value.PathElem{Key: "resources"}, value.PathElem{Key: r.Name})
		for _, part := range []struct {
			key  string
			n    *Node
			cond bool
		}{{"properties", r.Properties, false}, {"metadata", r.Metadata, false}, {"update_policy", r.UpdatePolicy, false},
			{"deletion_policy", r.DeletionPolicy, false}, {"external_id", r.ExternalID, false}, {"condition", r.Condition, true}} {
			if part.n != nil {
				w.push(value.PathElem{Key: part.key})
				w.walk(part.n, part.cond, nil)
				w.pop()
			}
		}
	}
	for _, o := range t.Outputs {
		w.path = append(w.path[:0], value.PathElem{Key: "outputs"}, value.PathElem{Key: o.Name})
		w.push(value.PathElem{Key: "value"})
		w.walk(o.Value, false, nil)
		w.pop()
		if o.Condition != nil {
			w.push(value.PathElem{Key: "condition"})
			w.walk(o.Condition, true, nil)
			w.pop()
		}
	}
	for _, c := range t.Conditions {
		w.path = append(w.path[:0], value.PathElem{Key: "conditions"}, value.PathElem{Key: c.Name})
		w.walk(c.Def, true, nil)
	}
}

type walker struct {
	fn   func(Site)
	path value.Path
}

func (w *walker) push(e value.PathElem) { w.path = append(w.path, e) }
func (w *walker) pop()                  { w.path = w.path[:len(w.path)-1] }

func (w *walker) walk(n *Node, cond bool, parent *Node) {
	if n == nil {
		return
	}
	w.fn(Site{Node: n, Path: w.path[:len(w.path):len(w.path)], Condition: cond, Parent: parent})
	switch n.Kind {
	case MapNode:
		for i, it := range n.Items {
			w.push(value.PathElem{Key: value.Str(n.Keys[i])})
			w.walk(it, cond, parent)
			w.pop()
		}
	case ListNode:
		for i, it := range n.Items {
			w.push(value.PathElem{Index: i, IsIndex: true})
			w.walk(it, cond, parent)
			w.pop()
		}
	case Call, Error:
		w.push(value.PathElem{Key: n.Name})
		if n.fn == fnIf && n.cond != nil {
			for i, c := range []*Node{n.cond, n.then, n.els} {
				w.push(value.PathElem{Index: i, IsIndex: true})
				w.walk(c, i == 0, n)
				w.pop()
			}
		} else {
			w.walk(n.Arg, cond, n)
		}
		w.pop()
	}
}

// ProblemKind classifies what Check finds.
type ProblemKind uint8

const (
	// ProblemArguments: a function's arguments Heat rejects, when it
	// parses them (the shape: str_replace without params, get_attr of a
	// string) or when it resolves them with values known here (list_join
	// of a string, map_merge of a list item that is not a map).
	ProblemArguments ProblemKind = iota + 1
	// ProblemContext: an ordinary function in a condition context, where
	// only condition functions are valid.
	ProblemContext
	// ProblemRemoved: a function this heat_template_version removed (the
	// CloudFormation functions of 2013-05-23).
	ProblemRemoved
	// ProblemYaql: a yaql expression that does not parse, or fails on the
	// data known here.
	ProblemYaql
)

// Problem is one finding of Check.
type Problem struct {
	Kind ProblemKind
	// Node is the call whose evaluation failed first (the innermost).
	Node *Node
	// Path is where Node is written.
	Path value.Path
	// Diag is Heat's error, at the call or at the argument at fault.
	Diag *diag.Diagnostic
}

// Check validates every call of the template without instantiating it:
// each call is parsed as Heat parses it (the argument checks of its
// constructor) and resolved with every parameter, resource attribute,
// resource id, file and condition it reads standing for any value
// (value.Unknown), so that what fails is what fails whatever those values
// are. The branches of an if are checked whatever the condition. What
// other checks own is left out: parameters, resources and conditions that
// do not exist (they stand for any value here) and yaql functions yaql
// does not have beyond what its evaluation meets. Problems come in the
// order of the template, each once.
func (t *Template) Check() []Problem {
	s := &Scope{T: t, host: staticHost{}, limits: yaql.TripleOLimits, static: true, memo: map[*Node]memoResult{},
		params: make(map[string]*paramState, len(t.Params)),
		conds:  map[string]*condState{}, outs: map[string]*outState{}}
	for _, p := range t.Params {
		s.params[p.Name] = &paramState{p: p, typed: value.NewUnknown("the value of parameter "+p.Name, p.NameRange)}
	}
	type key struct {
		r   source.Range
		msg string
	}
	seen := map[key]bool{}
	var out []Problem
	var sites []Site
	t.Walk(func(st Site) {
		if st.Node.IsCall() {
			st.Path = slices.Clone(st.Path)
			sites = append(sites, st)
		}
	})
	// Innermost calls first: the first evaluation that meets an error is
	// that of the call at fault, which decides the problem's kind.
	for i := len(sites) - 1; i >= 0; i-- {
		st := sites[i]
		_, err := s.Eval(st.Node)
		if err == nil {
			continue
		}
		d, ok := err.(*diag.Diagnostic)
		if !ok {
			continue
		}
		k := key{d.Range, d.Message}
		if seen[k] {
			continue
		}
		seen[k] = true
		var kind ProblemKind
		switch {
		case d.Rule == RuleYaql:
			kind = ProblemYaql
		case d.Rule != RuleFunction:
			// A parameter, resource or condition that does not exist,
			// a condition that is not a boolean: not the arguments'.
			continue
		case st.Node.fn == fnInvalid:
			kind = ProblemContext
		case st.Node.fn == fnRemoved:
			kind = ProblemRemoved
		default:
			kind = ProblemArguments
		}
		out = append(out, Problem{Kind: kind, Node: st.Node, Path: st.Path, Diag: d})
	}
	sort.SliceStable(out, func(i, j int) bool { return rangeLess(out[i].Diag.Range, out[j].Diag.Range) })
	return out
}

func rangeLess(a, b source.Range) bool {
	if a.Start.Line != b.Start.Line {
		return a.Start.Line < b.Start.Line
	}
	return a.Start.Col < b.Start.Col
}

// staticHost stands for the resources, files and parent resource of a
// template checked on its own: every value is unknown.
type staticHost struct{}

func (staticHost) GetAttr(r *Resource, attr *value.Value, path []*value.Value, call source.Range) (*value.Value, error) {
	if r == nil {
		return value.NewUnknown("an attribute of a resource", call), nil
	}
	return value.NewUnknown("an attribute of resource "+r.Name, call), nil
}

func (staticHost) GetResource(r *Resource, call source.Range) (*value.Value, error) {
	if r == nil {
		return value.NewUnknown("the id of a resource", call), nil
	}
	return value.NewUnknown("the id of resource "+r.Name, call), nil
}

func (staticHost) GetFile(p string, literal bool, call source.Range) (*value.Value, error) {
	return value.NewUnknown("the contents of file "+p, call), nil
}

func (staticHost) ResourceFacade(what string, call source.Range) (*value.Value, error) {
	return value.NewUnknown("the "+what+" of the parent resource", call), nil
}

// Function names per version.

// ConditionFunctionNames lists the names the version recognises as
// functions in condition contexts (the condition functions), sorted; nil
// before newton.
func (v *Version) ConditionFunctionNames() []string {
	var out []string
	for k, id := range v.CondFunctions {
		if id != fnRemoved && id != fnInvalid {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// IsFunction reports whether name is a call in the version's ordinary
// (cond false) or condition table, including the names it removed, whose
// calls fail.
func (v *Version) IsFunction(name string, cond bool) bool {
	if cond && v.CondFunctions != nil {
		_, ok := v.CondFunctions[name]
		return ok
	}
	_, ok := v.Functions[name]
	return ok
}

// IsConditionOnly reports whether name is a function of the version's
// condition table only (equals, not, and, or): plain data elsewhere.
func (v *Version) IsConditionOnly(name string) bool {
	if v.CondFunctions == nil {
		return false
	}
	id, ok := v.CondFunctions[name]
	_, normal := v.Functions[name]
	return ok && !normal && id != fnInvalid && id != fnRemoved
}

// Versions lists every heat_template_version Heat of queens to train
// knows, oldest first.
func Versions() []*Version { return append([]*Version(nil), versions...) }

// FunctionSince returns the versions in which name is an ordinary function
// (not removed), oldest first: where a name that is data in one version
// is a call.
func FunctionSince(name string) []*Version {
	var out []*Version
	for _, v := range versions {
		if id, ok := v.Functions[name]; ok && id != fnRemoved {
			out = append(out, v)
		}
	}
	return out
}

// CheckDefault checks the parameter's default against its constraints as
// Heat's schema validation does (custom constraints excepted): it returns
// the message of the first constraint the default violates (the
// constraint's description when it has one), "" when the default is valid
// or absent.
func (p *Param) CheckDefault() string { return p.defaultViolation(p.Default) }
