package lint

import (
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
}

// pseudoParameters are the parameters every stack has without declaring
// them.
var pseudoParameters = map[string]bool{
	"OS::stack_name": true, "OS::stack_id": true, "OS::project_id": true,
}

func collectRefs(t *Template) *refs {
	r := &refs{}
	root := value.Path{}
	for _, e := range mapEntries(t.Resources) {
		name := keyString(e.Key)
		p := root.Key("resources").Key(name)
		for _, a := range mapEntries(e.Val) {
			k := keyString(a.Key)
			ap := p.Key(k)
			switch k {
			case "condition":
				r.condition(a.Val, ap)
			case "depends_on":
				if a.Val.Kind == value.String {
					r.resources = append(r.resources, ref{a.Val.Str, a.Val, ap})
				} else if a.Val.Kind == value.List {
					for i, it := range a.Val.List {
						if it.Kind == value.String {
							r.resources = append(r.resources, ref{it.Str, it, ap.Index(i)})
						}
					}
				}
			case "type":
			default:
				r.normal(a.Val, ap)
			}
		}
	}
	for _, e := range mapEntries(t.Outputs) {
		p := root.Key("outputs").Key(keyString(e.Key))
		for _, a := range mapEntries(e.Val) {
			switch k := keyString(a.Key); k {
			case "condition":
				r.condition(a.Val, p.Key(k))
			case "value":
				r.normal(a.Val, p.Key(k))
			}
		}
	}
	for _, e := range mapEntries(t.Conditions) {
		r.conditionDef(e.Val, root.Key("conditions").Key(keyString(e.Key)))
	}
	return r
}

// normal walks a value outside condition contexts.
func (r *refs) normal(v *value.Value, p value.Path) {
	if v == nil {
		return
	}
	if name, args, ok := fnCall(v); ok {
		fp := p.Key(name)
		switch name {
		case "get_param":
			r.param(args, fp)
			return
		case "get_resource":
			if args.Kind == value.String {
				r.resources = append(r.resources, ref{args.Str, args, fp})
				return
			}
		case "get_attr":
			if args.Kind == value.List && len(args.List) > 0 {
				if s := args.List[0]; s.Kind == value.String {
					r.resources = append(r.resources, ref{s.Str, s, fp.Index(0)})
				} else {
					r.normal(s, fp.Index(0))
				}
				for i, it := range args.List[1:] {
					r.normal(it, fp.Index(i+1))
				}
				return
			}
		case "if":
			if args.Kind == value.List {
				for i, it := range args.List {
					if i == 0 {
						r.condition(it, fp.Index(0))
					} else {
						r.normal(it, fp.Index(i))
					}
				}
				return
			}
		}
		r.normal(args, fp)
		return
	}
	switch v.Kind {
	case value.List:
		for i, it := range v.List {
			r.normal(it, p.Index(i))
		}
	case value.Map:
		for _, e := range v.Map.Entries() {
			r.normal(e.Val, p.Key(keyString(e.Key)))
		}
	}
}

// param records get_param's argument: a name, or a list whose head is the
// name and whose other items may be functions.
func (r *refs) param(args *value.Value, p value.Path) {
	switch args.Kind {
	case value.String:
		r.params = append(r.params, ref{args.Str, args, p})
	case value.List:
		for i, it := range args.List {
			if i == 0 && it.Kind == value.String {
				r.params = append(r.params, ref{it.Str, it, p.Index(0)})
				continue
			}
			r.normal(it, p.Index(i))
		}
	default:
		r.normal(args, p)
	}
}

// condition walks a condition reference: a name, a bool or an expression.
func (r *refs) condition(v *value.Value, p value.Path) {
	if v == nil {
		return
	}
	if v.Kind == value.String {
		r.conditions = append(r.conditions, ref{v.Str, v, p})
		return
	}
	r.condExpr(v, p)
}

// conditionDef walks a conditions entry: a bool or an expression (a bare
// string is not a reference there but an invalid definition).
func (r *refs) conditionDef(v *value.Value, p value.Path) {
	if v == nil || v.Kind == value.String {
		return
	}
	r.condExpr(v, p)
}

func (r *refs) condExpr(v *value.Value, p value.Path) {
	name, args, ok := condCall(v)
	if !ok {
		// Data inside a condition expression (equals' operands) may hold
		// get_param calls only.
		switch v.Kind {
		case value.List:
			for i, it := range v.List {
				r.condExpr(it, p.Index(i))
			}
		case value.Map:
			for _, e := range v.Map.Entries() {
				r.condExpr(e.Val, p.Key(keyString(e.Key)))
			}
		}
		return
	}
	fp := p.Key(name)
	switch name {
	case "get_param":
		r.param(args, fp)
	case "not":
		r.condition(args, fp)
	case "and", "or":
		if args.Kind == value.List {
			for i, it := range args.List {
				r.condition(it, fp.Index(i))
			}
		}
	default: // equals, yaql, contains: operands
		r.condExpr(args, fp)
	}
}
