package schema

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"

	"hoist/internal/editdistance"
	"hoist/value"
)

// The schema files carry five attributes of hoist's own:
//
//	@expect("...")    on a field or definition: what a valid value is, in
//	                  words ("a list of \"KEY=value\" strings")
//	@required("...")  on a key required only in some cases: why it is
//	@keys("...")      on a map with pattern keys: what its keys may be
//	@known(Name)      on a map whose pattern accepts the keys of #Name
//	@nullable()       on a map or list field that may also be null
//
// Messages use the first three; where a field has no @expect, the
// expectation is derived from its kinds and allowed values.

// lookupIn finds sel in v, trying the field, then it as an optional or a
// required field, then the pattern constraints, and looking into each
// alternative of a disjunction (a map or null).
func lookupIn(v cue.Value, el string, depth int) (cue.Value, bool) {
	var tries []cue.Selector
	if el[0] == 'i' {
		n, _ := strconv.Atoi(el[1:])
		tries = []cue.Selector{cue.Index(n), cue.AnyIndex}
	} else {
		s := cue.Str(el[1:])
		tries = []cue.Selector{s, s.Optional(), s.Required(), cue.AnyString}
	}
	for _, sel := range tries {
		if n := v.LookupPath(cue.MakePath(sel)); n.Exists() {
			return n, true
		}
	}
	if depth > 6 {
		return cue.Value{}, false
	}
	for _, a := range alternatives(v) {
		if n, ok := lookupIn(a, el, depth+1); ok {
			return n, true
		}
	}
	return cue.Value{}, false
}

// alternatives returns what v is made of when it is a reference (the
// referenced value), a disjunction or a conjunction (their operands).
func alternatives(v cue.Value) []cue.Value {
	if root, p := v.ReferencePath(); len(p.Selectors()) > 0 {
		return []cue.Value{root.LookupPath(p)}
	}
	if op, args := v.Expr(); op == cue.OrOp || op == cue.AndOp {
		return args
	}
	return nil
}

// schemaAt returns the schema of the value at data path p.
func (vd *validation) schemaAt(p []string) (cue.Value, bool) {
	v := vd.def
	for _, el := range p {
		n, ok := lookupIn(v, el, 0)
		if !ok {
			return n, false
		}
		v = n
	}
	return v, true
}

// attrOf returns the text of attribute name on v, following references to
// definitions and the alternatives of disjunctions.
func attrOf(v cue.Value, name string, depth int) string {
	// A key declared twice (in a definition and in one of its conditional
	// parts) has the attributes of both: the later one is the more
	// specific.
	found := ""
	for _, a := range v.Attributes(cue.FieldAttr | cue.DeclAttr) {
		if a.Name() == name {
			if s, err := a.String(0); err == nil {
				found = s
			}
		}
	}
	if found != "" {
		return found
	}
	if depth > 6 {
		return ""
	}
	for _, a := range alternatives(v) {
		if s := attrOf(a, name, depth+1); s != "" {
			return s
		}
	}
	return ""
}

// hasAttr reports whether v, or what it refers to, has attribute name.
func hasAttr(v cue.Value, name string, depth int) bool {
	if a := v.Attribute(name); a.Err() == nil {
		return true
	}
	if depth > 6 {
		return false
	}
	for _, a := range alternatives(v) {
		if hasAttr(a, name, depth+1) {
			return true
		}
	}
	return false
}

// structOf returns the map alternative of v (v itself, or the map of a
// "map or null" disjunction).
func structOf(v cue.Value, depth int) (cue.Value, bool) {
	if v.IncompleteKind() == cue.StructKind {
		return v, true
	}
	if depth > 6 {
		return cue.Value{}, false
	}
	for _, a := range alternatives(v) {
		if s, ok := structOf(a, depth+1); ok {
			return s, true
		}
	}
	return cue.Value{}, false
}

// knownKeys lists the keys the map at p may have, and the description of
// its pattern keys, if any.
func (vd *validation) knownKeys(p []string) (known []string, keysDoc string) {
	sv, ok := vd.schemaAt(p)
	if !ok {
		return nil, ""
	}
	keysDoc = attrOf(sv, "keys", 0)
	st, ok := structOf(sv, 0)
	if !ok {
		return nil, keysDoc
	}
	it, err := st.Fields(cue.Optional(true))
	if err != nil {
		return nil, keysDoc
	}
	for it.Next() {
		known = append(known, it.Selector().Unquoted())
	}
	known = append(known, vd.s.patternKeys(sv)...)
	slices.Sort(known)
	return slices.Compact(known), keysDoc
}

// patternKeys returns the keys a map schema accepts through a pattern
// whose keys are those of another definition: @known(Name) on the map
// names the definition #Name.
func (s *Schema) patternKeys(v cue.Value) []string {
	name := attrOf(v, "known", 0)
	if name == "" {
		return nil
	}
	def := s.root.LookupPath(cue.MakePath(cue.Def("#" + name)))
	it, err := def.Fields(cue.Optional(true))
	if err != nil {
		return nil
	}
	var keys []string
	for it.Next() {
		keys = append(keys, it.Selector().Unquoted())
	}
	return keys
}

// fieldSchema returns the schema of the value at p given the data around
// it: the schema of an ancestor (up to the container or kolla entry the
// value belongs to) unified with the ancestor's data less the value at p,
// so that constraints that depend on siblings (a command for action: exec,
// owner and perm without preserve_properties) are found.
func (vd *validation) fieldSchema(p []string) (cue.Value, bool) {
	if len(p) == 0 {
		return vd.def, true
	}
	up := min(len(p), 3)
	for ; up > 0; up-- {
		anc := p[:len(p)-up]
		as, ok := vd.schemaAt(anc)
		if !ok {
			continue
		}
		steps, placeholder := vd.walk(anc)
		if placeholder || len(steps)-1 != len(anc) || value.KindOf(steps[len(steps)-1].v) != value.Map {
			continue
		}
		conv := &converter{s: vd.s, raw: vd.o.Raw, template: vd.template,
			patches: map[string]patch{}, path: append([]string(nil), anc...)}
		if p[len(p)-1][0] == 'i' {
			conv.patches[pathKey(p)] = patchTop
		} else {
			conv.patches[pathKey(p)] = patchDrop
		}
		last := steps[len(steps)-1]
		data := cuecontext.New().BuildExpr(conv.convert(last.v, last.sc, vd.depth0()+len(anc), vd.shapeAt(anc)))
		f := as.Unify(data)
		found := true
		for _, el := range p[len(anc):] {
			if f, found = lookupIn(f, el, 0); !found {
				break
			}
		}
		if found {
			return f, true
		}
	}
	return vd.schemaAt(p)
}

// expectation describes the value expected at p, and the kinds allowed
// there.
func (vd *validation) expectation(p []string) (string, cue.Kind) {
	sv, ok := vd.fieldSchema(p)
	if !ok {
		return "", 0
	}
	kinds := sv.IncompleteKind()
	if t := attrOf(sv, "expect", 0); t != "" {
		return t, kinds
	}
	if vals := enumeration(sv); len(vals) > 0 {
		return "one of " + strings.Join(orList(vals), ""), kinds
	}
	b := bounds(sv)
	if kinds == cue.StringKind && b == ` != ""` {
		return "a non-empty string", kinds
	}
	return kindWords(kinds) + b, kinds
}

// bounds renders the bounds of a conjunction such as int & >=1 & <=4094:
// " >= 1 and <= 4094".
func bounds(v cue.Value) string {
	out := boundList(v, nil, 0)
	if len(out) == 0 {
		return ""
	}
	return " " + strings.Join(out, " and ")
}

func boundList(v cue.Value, out []string, depth int) []string {
	op, args := v.Expr()
	if op != cue.AndOp || depth > 4 {
		return out
	}
	for _, a := range args {
		bop, bargs := a.Expr()
		if bop == cue.AndOp {
			out = boundList(a, out, depth+1)
			continue
		}
		var sym string
		switch bop {
		case cue.GreaterThanEqualOp:
			sym = ">="
		case cue.GreaterThanOp:
			sym = ">"
		case cue.LessThanEqualOp:
			sym = "<="
		case cue.LessThanOp:
			sym = "<"
		case cue.NotEqualOp:
			sym = "!="
		default:
			continue
		}
		if len(bargs) == 1 {
			out = append(out, sym+" "+fmt.Sprint(bargs[0]))
		}
	}
	return out
}

// enumeration returns the concrete alternatives of a disjunction of
// scalars ("always" | "no"), rendered as CUE literals.
func enumeration(v cue.Value) []string {
	op, args := v.Expr()
	if op != cue.OrOp {
		if v.IsConcrete() && v.Kind()&(cue.StringKind|cue.NumberKind|cue.BoolKind|cue.NullKind) != 0 {
			return []string{fmt.Sprint(v)}
		}
		return nil
	}
	var out []string
	for _, a := range args {
		sub := enumeration(a)
		if sub == nil {
			return nil
		}
		out = append(out, sub...)
	}
	return out
}

func orList(items []string) []string {
	switch len(items) {
	case 0:
		return nil
	case 1:
		return items
	}
	return []string{strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]}
}

var kindNames = []struct {
	k    cue.Kind
	name string
}{
	{cue.StringKind, "a string"},
	{cue.NumberKind, "a number"},
	{cue.IntKind, "an integer"},
	{cue.FloatKind, "a float"},
	{cue.BoolKind, "a bool"},
	{cue.ListKind, "a list"},
	{cue.StructKind, "a map"},
	{cue.NullKind, "null"},
}

// kindWords renders a set of kinds: "a string or a list".
func kindWords(k cue.Kind) string {
	if k == cue.TopKind || k == 0 {
		return ""
	}
	var words []string
	rest := k
	for _, kn := range kindNames {
		if rest&kn.k == kn.k {
			words = append(words, kn.name)
			rest &^= kn.k
		}
	}
	return strings.Join(orList(words), "")
}

// kindAllowed reports whether the kind of v is among kinds.
func kindAllowed(v *value.Value, kinds cue.Kind) bool {
	var k cue.Kind
	switch value.KindOf(v) {
	case value.Null:
		k = cue.NullKind
	case value.Bool:
		k = cue.BoolKind
	case value.Int:
		k = cue.IntKind
	case value.Float:
		k = cue.FloatKind
	case value.String:
		k = cue.StringKind
	case value.List:
		k = cue.ListKind
	case value.Map:
		k = cue.StructKind
	default:
		return true
	}
	return kinds&k != 0
}

var valueKindNames = map[value.Kind]string{
	value.Null: "null", value.Bool: "bool", value.Int: "int", value.Float: "float",
	value.String: "string", value.List: "list", value.Map: "map", value.Unknown: "unknown value",
}

// describe names the kind of v and quotes it: string "yes", list ["a"].
func describe(v *value.Value) string {
	if value.KindOf(v) == value.Null {
		return "null"
	}
	return valueKindNames[value.KindOf(v)] + " " + quoteValue(v)
}

// quoteValue renders v as short JSON: "yes", 5, ["a", "b"], {"a": 1}.
func quoteValue(v *value.Value) string {
	const max = 60
	s := value.Dumps(v)
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max]) + "…"
	}
	return s
}

// suggest returns the known key closest to key, when one is clearly the
// closest: the same words in another order or case, or a small edit away
// with no other candidate as close.
func suggest(key string, known []string) string {
	lower := strings.ToLower(key)
	for _, k := range known {
		if strings.ToLower(k) == lower || sameWords(k, key) {
			return k
		}
	}
	best, bestD, ties := "", 1<<30, 0
	for _, k := range known {
		d := editdistance.Levenshtein(lower, strings.ToLower(k))
		switch {
		case d < bestD:
			best, bestD, ties = k, d, 0
		case d == bestD:
			ties++
		}
	}
	limit := max(1, min(3, utf8.RuneCountInString(key)/3))
	if best == "" || bestD > limit || ties > 0 {
		return ""
	}
	return best
}

// sameWords reports whether a and b are the same words joined by "_" in
// another order: ipv6_gateway and gateway_ipv6.
func sameWords(a, b string) bool {
	wa, wb := strings.Split(a, "_"), strings.Split(b, "_")
	if len(wa) < 2 || len(wa) != len(wb) {
		return false
	}
	slices.Sort(wa)
	slices.Sort(wb)
	return slices.Equal(wa, wb)
}
