package lint

import (
	"slices"

	"hoist/diag"
	"hoist/source"
	"hoist/value"
)

// ref is one reference to a parameter, resource or condition by name.
type ref struct {
	Name string
	// At is the value holding the name.
	At   *value.Value
	Path value.Path
}

// refs are the references a template makes, found by walking its
// resources, outputs and conditions the way Heat parses them
// (heat-intrinsics.md §1.3): function calls in the normal table, and in
// condition contexts (conditions entries, if's first argument, condition
// attributes) the condition table, where a bare string names a condition.
// Both branches of every if are walked: Heat parses only the branch it
// takes, so a wrong name in the other one is a latent error.
type refs struct {
	params, resources, conditions []ref
	at                            pathStack
}

// pseudoParameters are the parameters every stack has without declaring
// them.
var pseudoParameters = map[string]bool{
	"OS::stack_name": true, "OS::stack_id": true, "OS::project_id": true,
}

// collectRefs returns the references of t, computed once per file.
func collectRefs(t *Template) *refs {
	if t.File != nil && t.File.refs != nil {
		return t.File.refs
	}
	r := &refs{}
	r.collect(t)
	if t.File != nil {
		t.File.refs = r
	}
	return r
}

// pathStack is the path of the value being walked, grown and shrunk in
// place; path copies it for a reference that keeps it.
type pathStack []value.PathElem

func (s *pathStack) key(k string) { *s = append(*s, value.PathElem{Key: k}) }
func (s *pathStack) index(i int)  { *s = append(*s, value.PathElem{Index: i, IsIndex: true}) }
func (s *pathStack) pop()         { *s = (*s)[:len(*s)-1] }
func (s pathStack) path() value.Path {
	return append(value.Path(nil), s...)
}

func (r *refs) collect(t *Template) {
	p := &r.at
	p.key("resources")
	for _, e := range mapEntries(t.Resources) {
		p.key(keyString(e.Key))
		for _, a := range mapEntries(e.Val) {
			k := keyString(a.Key)
			p.key(k)
			switch k {
			case "condition":
				r.condition(a.Val)
			case "depends_on":
				if a.Val.Kind == value.String {
					r.resources = append(r.resources, ref{a.Val.Str, a.Val, p.path()})
				} else if a.Val.Kind == value.List {
					for i, it := range a.Val.List {
						if it.Kind == value.String {
							p.index(i)
							r.resources = append(r.resources, ref{it.Str, it, p.path()})
							p.pop()
						}
					}
				}
			case "type":
			default:
				r.normal(a.Val)
			}
			p.pop()
		}
		p.pop()
	}
	p.pop()
	p.key("outputs")
	for _, e := range mapEntries(t.Outputs) {
		p.key(keyString(e.Key))
		for _, a := range mapEntries(e.Val) {
			switch k := keyString(a.Key); k {
			case "condition":
				p.key(k)
				r.condition(a.Val)
				p.pop()
			case "value":
				p.key(k)
				r.normal(a.Val)
				p.pop()
			}
		}
		p.pop()
	}
	p.pop()
	p.key("conditions")
	for _, e := range mapEntries(t.Conditions) {
		p.key(keyString(e.Key))
		r.conditionDef(e.Val)
		p.pop()
	}
	p.pop()
}

// normal walks a value outside condition contexts.
func (r *refs) normal(v *value.Value) {
	if v == nil {
		return
	}
	p := &r.at
	if name, args, ok := fnCall(v); ok {
		p.key(name)
		defer p.pop()
		switch name {
		case "get_param":
			r.param(args)
			return
		case "get_resource":
			if args.Kind == value.String {
				r.resources = append(r.resources, ref{args.Str, args, p.path()})
				return
			}
		case "get_attr":
			if args.Kind == value.List && len(args.List) > 0 {
				for i, it := range args.List {
					p.index(i)
					if i == 0 && it.Kind == value.String {
						r.resources = append(r.resources, ref{it.Str, it, p.path()})
					} else {
						r.normal(it)
					}
					p.pop()
				}
				return
			}
		case "if":
			if args.Kind == value.List {
				for i, it := range args.List {
					p.index(i)
					if i == 0 {
						r.condition(it)
					} else {
						r.normal(it)
					}
					p.pop()
				}
				return
			}
		}
		r.normal(args)
		return
	}
	switch v.Kind {
	case value.List:
		for i, it := range v.List {
			p.index(i)
			r.normal(it)
			p.pop()
		}
	case value.Map:
		for _, e := range v.Map.Entries() {
			p.key(keyString(e.Key))
			r.normal(e.Val)
			p.pop()
		}
	}
}

// param records get_param's argument: a name, or a list whose head is the
// name and whose other items may be functions.
func (r *refs) param(args *value.Value) {
	p := &r.at
	switch args.Kind {
	case value.String:
		r.params = append(r.params, ref{args.Str, args, p.path()})
	case value.List:
		for i, it := range args.List {
			p.index(i)
			if i == 0 && it.Kind == value.String {
				r.params = append(r.params, ref{it.Str, it, p.path()})
			} else {
				r.normal(it)
			}
			p.pop()
		}
	default:
		r.normal(args)
	}
}

// condition walks a condition reference: a name, a bool or an expression.
func (r *refs) condition(v *value.Value) {
	if v == nil {
		return
	}
	if v.Kind == value.String {
		r.conditions = append(r.conditions, ref{v.Str, v, r.at.path()})
		return
	}
	r.condExpr(v)
}

// conditionDef walks a conditions entry: a bool or an expression (a bare
// string is not a reference there but an invalid definition).
func (r *refs) conditionDef(v *value.Value) {
	if v == nil || v.Kind == value.String {
		return
	}
	r.condExpr(v)
}

func (r *refs) condExpr(v *value.Value) {
	p := &r.at
	name, args, ok := condCall(v)
	if !ok {
		// Data inside a condition expression (equals' operands) may hold
		// get_param calls only.
		switch v.Kind {
		case value.List:
			for i, it := range v.List {
				p.index(i)
				r.condExpr(it)
				p.pop()
			}
		case value.Map:
			for _, e := range v.Map.Entries() {
				p.key(keyString(e.Key))
				r.condExpr(e.Val)
				p.pop()
			}
		}
		return
	}
	p.key(name)
	defer p.pop()
	switch name {
	case "get_param":
		r.param(args)
	case "not":
		r.condition(args)
	case "and", "or":
		if args.Kind == value.List {
			for i, it := range args.List {
				p.index(i)
				r.condition(it)
				p.pop()
			}
		}
	default: // equals, yaql, contains: operands
		r.condExpr(args)
	}
}

// placed is the references written at one place: a YAML alias copies a
// value, so one literal can be referenced from several paths. A finding is
// reported once per place, with the alias sites as related ranges.
type placed struct {
	ref
	all     []ref
	related []diag.Related
}

// byPlace groups refs by the range of the literal that holds the name, in
// the order of their first occurrence.
func byPlace(rs []ref) []*placed {
	idx := map[source.Range]*placed{}
	var out []*placed
	for _, r := range rs {
		g, ok := idx[r.At.Range]
		if !ok {
			g = &placed{ref: r}
			idx[r.At.Range] = g
			out = append(out, g)
		}
		g.all = append(g.all, r)
		for _, rel := range viaSites(r.At) {
			if !slices.ContainsFunc(g.related, func(x diag.Related) bool { return x.Range == rel.Range }) {
				g.related = append(g.related, rel)
			}
		}
	}
	return out
}
