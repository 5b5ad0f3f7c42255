package schema

import (
	"strconv"

	"cuelang.org/go/cue"
)

// shape is what the converter needs to know of the schema at one place in
// the data: whether anything below is checked at all, and whether null is
// allowed. Shapes are computed from the compiled definitions on first use
// and cached per schema location (a path in which keys matched by a pattern
// and list items are wildcards), so that validating a large value costs a
// map lookup per node rather than a CUE lookup.
//
// The converter uses shapes to leave out what the schema does not look
// into: hiera settings and Ansible tasks are any data, and converting them
// to CUE would take most of the time. A value under an unchecked shape is
// replaced by an empty map or list of its own kind (or by _ where the
// schema allows anything), so its kind is still checked.
//
// Shapes are the schema alone, not the schema unified with the data: a key
// that the schema constrains only in some cases (the command of an exec
// container) must also be constrained in the base definition, or the
// converter would leave its value out. The definitions follow that rule.
type shape struct {
	v        cue.Value
	found    bool
	class    shapeClass
	nullable bool
	// fields are the keys of the map that have their own schema; other
	// keys are matched by patterns.
	fields map[string]bool
	// tuple is set for lists whose first items have their own schema.
	tuple bool
	loc   string
}

type shapeClass uint8

const (
	shapeChecked      shapeClass = iota // converted in full
	shapeAny                            // anything: replaced by _
	shapeAnyContainer                   // any map or list: replaced by an empty one of its kind
)

// probeKey is a key no schema names.
const probeKey = "\x00hoist probe"

func (s *Schema) rootShape(k Kind) *shape {
	return s.shapeFor(k.Definition(), func() (cue.Value, bool) { return s.defs[k], true })
}

// child returns the shape of the entry el (a data path element) of sh.
func (s *Schema) child(sh *shape, el string) *shape {
	if sh == nil || !sh.found {
		return nil
	}
	if el[0] == 'i' {
		loc := sh.loc + "[*]"
		if sh.tuple {
			loc = sh.loc + "[" + el[1:] + "]"
		}
		return s.shapeFor(loc, func() (cue.Value, bool) { return lookupIn(sh.v, el, 0) })
	}
	k := el[1:]
	if sh.fields[k] {
		return s.shapeFor(sh.loc+"."+strconv.Quote(k), func() (cue.Value, bool) { return lookupIn(sh.v, el, 0) })
	}
	return s.shapeFor(sh.loc+".*", func() (cue.Value, bool) { return lookupPattern(sh.v, 0) })
}

// shapeAt returns the shape at data path p of kind k.
func (s *Schema) shapeAt(k Kind, p []string) *shape {
	sh := s.rootShape(k)
	for _, el := range p {
		sh = s.child(sh, el)
	}
	return sh
}

func (s *Schema) shapeFor(loc string, find func() (cue.Value, bool)) *shape {
	if sh, ok := s.shapes.Load(loc); ok {
		return sh.(*shape)
	}
	v, found := find()
	sh := &shape{v: v, found: found, loc: loc}
	if found {
		sh.nullable = hasAttr(v, "nullable", 0)
		sh.class = classOf(v)
		if st, ok := structOf(v, 0); ok {
			if it, err := st.Fields(cue.Optional(true)); err == nil {
				sh.fields = map[string]bool{}
				for it.Next() {
					sh.fields[it.Selector().Unquoted()] = true
				}
			}
		}
		if l, ok := listOf(v, 0); ok {
			sh.tuple = l.LookupPath(cue.MakePath(cue.Index(0))).Exists()
		}
	}
	actual, _ := s.shapes.LoadOrStore(loc, sh)
	return actual.(*shape)
}

// lookupPattern returns the schema of the keys of v that have no field of
// their own.
func lookupPattern(v cue.Value, depth int) (cue.Value, bool) {
	if n := v.LookupPath(cue.MakePath(cue.AnyString)); n.Exists() {
		return n, true
	}
	if depth > 6 {
		return cue.Value{}, false
	}
	for _, a := range alternatives(v) {
		if n, ok := lookupPattern(a, depth+1); ok {
			return n, true
		}
	}
	return cue.Value{}, false
}

// listOf returns the list alternative of v.
func listOf(v cue.Value, depth int) (cue.Value, bool) {
	if v.IncompleteKind() == cue.ListKind {
		return v, true
	}
	if depth > 6 {
		return cue.Value{}, false
	}
	for _, a := range alternatives(v) {
		if l, ok := listOf(a, depth+1); ok {
			return l, true
		}
	}
	return cue.Value{}, false
}

func isTop(v cue.Value) bool { return v.IncompleteKind() == cue.TopKind }

// classOf tells whether the schema v checks anything below its own kind.
func classOf(v cue.Value) shapeClass {
	k := v.IncompleteKind()
	if k == cue.TopKind {
		return shapeAny
	}
	if k&^(cue.StructKind|cue.ListKind|cue.NullKind) != 0 || k&(cue.StructKind|cue.ListKind) == 0 {
		return shapeChecked
	}
	if k&cue.StructKind != 0 {
		st, ok := structOf(v, 0)
		if !ok || !anyMap(st) {
			return shapeChecked
		}
	}
	if k&cue.ListKind != 0 {
		l, ok := listOf(v, 0)
		if !ok || !anyList(l) {
			return shapeChecked
		}
	}
	return shapeAnyContainer
}

// anyMap reports whether the map schema st accepts any keys with any
// values: {...} or {[string]: _}.
func anyMap(st cue.Value) bool {
	it, err := st.Fields(cue.Optional(true))
	if err != nil || it.Next() || !st.Allows(cue.Str(probeKey)) {
		return false
	}
	p, ok := lookupPattern(st, 0)
	return !ok || isTop(p)
}

// anyList reports whether the list schema l accepts any items: [...].
func anyList(l cue.Value) bool {
	if l.LookupPath(cue.MakePath(cue.Index(0))).Exists() {
		return false
	}
	e := l.LookupPath(cue.MakePath(cue.AnyIndex))
	return e.Exists() && isTop(e)
}
