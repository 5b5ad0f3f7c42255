package schema

import (
	"math"
	"strconv"
	"strings"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/token"

	"hoist/value"
)

// scope says where Heat evaluates intrinsic functions in a raw value.
type scope uint8

const (
	scopeData      scope = iota // plain data: no functions
	scopeFunctions              // a function call stands for any value
	scopeCondition              // condition functions too
)

// patch is a change the converter applies to the data so that CUE reports
// errors it hid behind an earlier one (see validation.run).
type patch uint8

const (
	// patchTop replaces the node by _ (any value).
	patchTop patch = iota + 1
	// patchDrop leaves the map entry out.
	patchDrop
	// patchAdd adds a missing required key with the value _.
	patchAdd
)

// converter turns a value tree into a CUE expression.
type converter struct {
	s   *Schema
	raw bool
	// rootScope is the scope of the root's entries for templates: functions
	// only under resources, outputs and conditions.
	template bool
	patches  map[string]patch
	// adds lists, per map path, the keys to add.
	adds map[string][]string
	// omitted records the entries left out because their value stands for
	// anything.
	omitted map[string]bool
	path    []string
}

// pathKey is the key of a path in the patch maps.
func pathKey(elems []string) string { return strings.Join(elems, "\x00") }

func keyElem(k string) string { return "k" + k }
func indexElem(i int) string  { return "i" + strconv.Itoa(i) }

// scopeOf returns the function scope of the children of a node at depth
// with the given first path element.
func (c *converter) childScope(parent scope, depth int, key string) scope {
	if !c.raw {
		return scopeData
	}
	if !c.template {
		return scopeFunctions
	}
	if depth == 0 {
		switch key {
		case "resources", "outputs":
			return scopeFunctions
		case "conditions":
			return scopeCondition
		}
		return scopeData
	}
	return parent
}

// isCall reports whether v is an intrinsic function call in scope sc: a
// map with exactly one entry whose key names a function (Heat's rule,
// heat-intrinsics.md §1.3).
func (s *Schema) isCall(v *value.Value, sc scope) bool {
	if sc == scopeData || v == nil || v.Kind != value.Map || v.Map.Len() != 1 {
		return false
	}
	k := v.Map.Entries()[0].Key
	if k.Kind != value.String {
		return false
	}
	if sc == scopeCondition && s.conditionFunctions[k.Str] {
		return true
	}
	return s.functions[k.Str]
}

// functionKey reports whether k, a key of a map with other keys in scope
// sc, names a function there: Heat reads such a map as data (only a map of
// one key is a call), so the key is a mistake that lint's
// template/function-key reports, and validation leaves the entry out
// rather than report its value as the value of a key of that name.
func (s *Schema) functionKey(k string, sc scope) bool {
	switch sc {
	case scopeFunctions:
		return s.functions[k]
	case scopeCondition:
		return s.conditionFunctions[k]
	}
	return false
}

// placeholder reports whether v stands for a value not known yet: an
// unknown, its JSON form {"<unknown>": reason} (as hoist eval writes it), or
// a function call where functions count.
func (c *converter) placeholder(v *value.Value, sc scope) bool {
	return v != nil && v.Kind == value.Unknown || isUnknownJSON(v) || c.s.isCall(v, sc)
}

func isUnknownJSON(v *value.Value) bool {
	if v == nil || v.Kind != value.Map || v.Map.Len() != 1 {
		return false
	}
	k := v.Map.Entries()[0].Key
	return k.Kind == value.String && k.Str == value.UnknownKey
}

func topExpr() ast.Expr { return ast.NewIdent("_") }

// convert returns the CUE expression of v, whose schema is sh (nil where
// the schema is not known: then v is converted in full).
func (c *converter) convert(v *value.Value, sc scope, depth int, sh *shape) ast.Expr {
	if c.placeholder(v, sc) {
		return topExpr()
	}
	if c.patches != nil && c.patches[pathKey(c.path)] == patchTop {
		return topExpr()
	}
	if sh != nil {
		switch sh.class {
		case shapeAny:
			return topExpr()
		case shapeAnyContainer:
			switch value.KindOf(v) {
			case value.Map:
				return &ast.StructLit{}
			case value.List:
				return ast.NewList()
			}
		}
	}
	switch value.KindOf(v) {
	case value.Null:
		if sh != nil && sh.nullable {
			return topExpr()
		}
		return ast.NewNull()
	case value.Bool:
		return ast.NewBool(v.Bool)
	case value.Int:
		if v.Big != nil {
			return ast.NewLit(token.INT, v.Big.String())
		}
		return ast.NewLit(token.INT, strconv.FormatInt(v.Int, 10))
	case value.Float:
		if math.IsNaN(v.Float) || math.IsInf(v.Float, 0) {
			// CUE has no NaN or infinity: keep the kind, not the value.
			return ast.NewIdent("float")
		}
		s := strconv.FormatFloat(v.Float, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eE") {
			s += ".0"
		}
		return ast.NewLit(token.FLOAT, s)
	case value.String:
		return ast.NewString(v.Str)
	case value.List:
		elems := make([]ast.Expr, len(v.List))
		for i, it := range v.List {
			el := indexElem(i)
			c.path = append(c.path, el)
			elems[i] = c.convert(it, sc, depth+1, c.s.child(sh, el))
			c.path = c.path[:len(c.path)-1]
		}
		return ast.NewList(elems...)
	case value.Map:
		ents := v.Map.Entries()
		st := &ast.StructLit{Elts: make([]ast.Decl, 0, len(ents))}
		var seen map[string]bool
		if len(ents) > 8 {
			seen = make(map[string]bool, len(ents))
		}
		for i, e := range ents {
			k := value.JSONKey(e.Key)
			// Keys that differ in Python (1 and "1") are one label in CUE:
			// keep the first.
			if seen != nil {
				if seen[k] {
					continue
				}
				seen[k] = true
			} else if dupBefore(ents[:i], k) {
				continue
			}
			el := keyElem(k)
			c.path = append(c.path, el)
			if c.patches != nil && c.patches[pathKey(c.path)] == patchDrop {
				c.path = c.path[:len(c.path)-1]
				continue
			}
			if len(ents) > 1 && c.raw && c.s.functionKey(k, sc) {
				c.path = c.path[:len(c.path)-1]
				continue
			}
			csc, csh := c.childScope(sc, depth, k), c.s.child(sh, el)
			if sh != nil && sh.fields[k] && (c.placeholder(e.Val, csc) || value.KindOf(e.Val) == value.Null && csh != nil && csh.nullable) {
				// A key the schema knows, whose value is not known yet (or a
				// null it allows): leave it out, rather than make CUE
				// evaluate the whole definition against _; a "required"
				// error for it is then dropped.
				if c.omitted == nil {
					c.omitted = map[string]bool{}
				}
				c.omitted[pathKey(c.path)] = true
				c.path = c.path[:len(c.path)-1]
				continue
			}
			val := c.convert(e.Val, csc, depth+1, csh)
			c.path = c.path[:len(c.path)-1]
			st.Elts = append(st.Elts, &ast.Field{Label: ast.NewString(k), Value: val})
		}
		if c.adds != nil {
			for _, k := range c.adds[pathKey(c.path)] {
				st.Elts = append(st.Elts, &ast.Field{Label: ast.NewString(k), Value: topExpr()})
			}
		}
		return st
	}
	// Unknown is handled by placeholder.
	return topExpr()
}

func dupBefore(ents []value.Entry, k string) bool {
	for _, e := range ents {
		if value.JSONKey(e.Key) == k {
			return true
		}
	}
	return false
}
