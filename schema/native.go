package schema

import (
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strings"
	"sync"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/cuecontext"

	"hoist/value"
)

// The native check proves that a value is valid without CUE.
//
// CUE's unification costs about 5 µs per value, and nearly every file a
// linter sees is valid. So Validate first walks the value against a Go
// form of the same definitions (nodes compiled from the cue.Values of the
// compiled schema, once per schema location, on first use): keys allowed
// or required, kinds, regular expressions, bounds, enumerations,
// disjunctions. When every constraint holds, the value is valid and CUE is
// not asked; otherwise (or where a constraint has a form the native check
// does not know) CUE validates the value as before and gives the findings.
// CUE stays the one source of the structure, and of every message: the
// native check only answers "clean" or "ask CUE". It answers "clean" only
// when CUE would report nothing (TestNativeAgreesWithCUE holds it to that
// on the corpus, the fixtures and mutations of them).
//
// A definition whose constraints depend on the data (`if action == "exec"
// {command!: ...}`) is specialised: the native check unifies it with the
// value's own discriminating fields (action, preserve_properties: the
// fields the definitions' comprehensions test) and compiles that variant.

// nkind is what a node checks.
type nkind uint8

const (
	nkUnsupported nkind = iota // a form the native check does not know: ask CUE
	nkAny                      // anything
	nkKinds                    // a value of one of the kinds
	nkLiteral                  // a concrete scalar
	nkRegex                    // a string matching (or not matching) a pattern
	nkBound                    // a number or string bound: >=, >, <=, <, !=
	nkAnd                      // every part
	nkOr                       // some part
	nkStruct                   // a map
	nkList                     // a list
	nkBottom                   // nothing (a conflict in the schema itself)
)

// nnode is one compiled schema location.
type nnode struct {
	s    *Schema
	v    cue.Value
	kind nkind

	kinds cue.Kind // nkKinds

	lit cue.Value // nkLiteral

	re  *regexp.Regexp // nkRegex
	neg bool

	op  cue.Op // nkBound
	arg cue.Value

	parts []*nnode // nkAnd, nkOr

	// nkStruct
	once      sync.Once
	st        *nstruct
	nullable  bool // the field that holds it may be null (@nullable)
	variant   bool // already specialised on its discriminators
	variantMu sync.Mutex
	variants  map[string]*nnode

	// nkList
	prefix []*nnode
	elem   *nnode // nil: no item beyond the prefix
}

// nstruct is a map schema, compiled on first use.
type nstruct struct {
	fields   map[string]*nfield
	required []string
	// pattern is the schema of keys without a field of their own, when it
	// is the same for every key; perKey when it depends on the key.
	pattern *nnode
	perKey  bool
	// anyMap: no field, any key, any value (hiera settings).
	anyMap bool
	// discriminators are the fields the definition's comprehensions test.
	discriminators []string
	allows         sync.Map // key → bool
	keyNodes       sync.Map // key → *nnode (perKey)
}

type nfield struct {
	name     string
	v        cue.Value
	required bool
	once     sync.Once
	node     *nnode
}

func (f *nfield) get(s *Schema) *nnode {
	f.once.Do(func() { f.node = s.compileNode(f.v, 0) })
	return f.node
}

// nativeState is the native check's part of a Schema.
type nativeState struct {
	once sync.Once
	// ok is false when the definitions use a form the native check cannot
	// follow (a comprehension it cannot specialise): Validate then always
	// asks CUE.
	ok             bool
	discriminators map[string]bool
	roots          [kindEnd]*nnode
	rootsOnce      [kindEnd]sync.Once
	// refs holds the node of each definition referred to, by path.
	refs sync.Map // string → *nnode
}

// prepareNative scans the definitions' syntax for comprehensions: each must
// be an if over fields of the struct it is written in, which the native
// check specialises on.
func (s *Schema) prepareNative() {
	s.native.once.Do(func() {
		s.native.discriminators = map[string]bool{}
		s.native.ok = true
		for _, f := range s.syntax {
			ast.Walk(f, func(n ast.Node) bool {
				st, ok := n.(*ast.StructLit)
				if !ok {
					return true
				}
				declared := map[string]bool{}
				for _, d := range st.Elts {
					if fd, ok := d.(*ast.Field); ok {
						if name, _, err := ast.LabelName(fd.Label); err == nil {
							declared[name] = true
						}
					}
				}
				for _, d := range st.Elts {
					c, ok := d.(*ast.Comprehension)
					if !ok {
						continue
					}
					for _, cl := range c.Clauses {
						ic, ok := cl.(*ast.IfClause)
						if !ok {
							s.native.ok = false
							continue
						}
						ast.Walk(ic.Condition, func(n ast.Node) bool {
							if id, ok := n.(*ast.Ident); ok {
								if !declared[id.Name] {
									s.native.ok = false
								}
								s.native.discriminators[id.Name] = true
							}
							return true
						}, nil)
					}
				}
				return true
			}, nil)
		}
	})
}

// nativeRoot returns the compiled root of kind k.
func (s *Schema) nativeRoot(k Kind) *nnode {
	s.native.rootsOnce[k].Do(func() { s.native.roots[k] = s.compileNode(s.defs[k], 0) })
	return s.native.roots[k]
}

// compileNode turns a schema value into a node. It never fails: a form it
// does not know becomes nkUnsupported, which the check answers with "ask
// CUE".
func (s *Schema) compileNode(v cue.Value, depth int) *nnode {
	n := &nnode{s: s, v: v}
	if depth > 16 || !v.Exists() {
		return n
	}
	if v.Err() != nil {
		n.kind = nkBottom
		return n
	}
	n.nullable = hasAttr(v, "nullable", 0)
	k := v.IncompleteKind()
	op, args := v.Expr()
	if op == cue.SelectorOp {
		// A reference to a definition: compiled once per definition, so
		// that #Container is one node wherever it is used.
		if root, p := v.ReferencePath(); len(p.Selectors()) > 0 {
			key := p.String()
			r, ok := s.native.refs.Load(key)
			if !ok {
				r, _ = s.native.refs.LoadOrStore(key, s.compileNode(root.LookupPath(p), depth+1))
			}
			shared := r.(*nnode)
			if n.nullable && !shared.nullable {
				// The referring field allows null; the definition does not.
				return &nnode{s: s, v: v, kind: nkAnd, parts: []*nnode{shared}, nullable: true}
			}
			return shared
		}
	}
	switch {
	case op != cue.OrOp && v.IsConcrete() && k&(cue.StringKind|cue.NumberKind|cue.BoolKind|cue.NullKind) != 0 && isBasicType(k):
		// A concrete scalar, whatever it was made of (true & (*false |
		// bool) in a specialised definition).
		n.kind, n.lit = nkLiteral, v
	case k == cue.TopKind && fmt.Sprint(v) == "_":
		n.kind = nkAny
	case k == cue.BottomKind:
		n.kind = nkBottom
	case op == cue.OrOp:
		n.kind = nkOr
		for _, a := range args {
			n.parts = append(n.parts, s.compileNode(a, depth+1))
		}
	case k == cue.StructKind:
		// A map, whatever it is made of (a reference, an embedding, a
		// conjunction): its fields and keys are read from the value as CUE
		// evaluated it.
		n.kind = nkStruct
	case k == cue.ListKind && op != cue.AndOp:
		n.kind = nkList
		for i := 0; ; i++ {
			e := v.LookupPath(cue.MakePath(cue.Index(i)))
			if !e.Exists() {
				break
			}
			n.prefix = append(n.prefix, s.compileNode(e, depth+1))
		}
		if e := v.LookupPath(cue.MakePath(cue.AnyIndex)); e.Exists() {
			n.elem = s.compileNode(e, depth+1)
		}
	case op == cue.AndOp:
		n.kind = nkAnd
		for _, a := range args {
			n.parts = append(n.parts, s.compileNode(a, depth+1))
		}
	case op == cue.RegexMatchOp || op == cue.NotRegexMatchOp:
		if len(args) != 1 {
			break
		}
		pat, err := args[0].String()
		if err != nil {
			break
		}
		re, err := regexp.Compile(pat)
		if err != nil {
			break
		}
		n.kind, n.re, n.neg = nkRegex, re, op == cue.NotRegexMatchOp
	case op == cue.GreaterThanEqualOp || op == cue.GreaterThanOp || op == cue.LessThanEqualOp ||
		op == cue.LessThanOp || op == cue.NotEqualOp:
		if len(args) == 1 && args[0].IsConcrete() {
			n.kind, n.op, n.arg = nkBound, op, args[0]
		}
	case op == cue.NoOp:
		switch {
		case v.IsConcrete() && k&(cue.StringKind|cue.NumberKind|cue.BoolKind|cue.NullKind) != 0:
			n.kind, n.lit = nkLiteral, v
		case !v.IsConcrete() && isBasicType(k) && basicTypeText.MatchString(fmt.Sprint(v)):
			n.kind, n.kinds = nkKinds, k
		}
	}
	return n
}

// basicTypeText is how CUE prints a plain type: a value that prints
// otherwise carries a constraint the kinds do not say.
var basicTypeText = regexp.MustCompile(`^(string|int|bool|number|float|null|bytes)( \| (string|int|bool|number|float|null|bytes))*$`)

// isBasicType reports whether k is a set of scalar kinds (string, int, ...):
// what a type such as `string` or `int | string` stands for.
func isBasicType(k cue.Kind) bool {
	return k != 0 && k&^(cue.StringKind|cue.NumberKind|cue.BoolKind|cue.NullKind|cue.BytesKind) == 0
}

// structOf compiles the map part of a struct node.
func (n *nnode) structInfo() *nstruct {
	n.once.Do(func() {
		st := &nstruct{fields: map[string]*nfield{}}
		it, err := n.v.Fields(cue.Optional(true))
		if err != nil {
			n.kind = nkUnsupported
			n.st = st
			return
		}
		for it.Next() {
			sel := it.Selector()
			name := sel.Unquoted()
			f := &nfield{name: name, v: it.Value(), required: sel.ConstraintType() == cue.RequiredConstraint}
			st.fields[name] = f
			if f.required {
				st.required = append(st.required, name)
			}
			if !n.variant && n.s.native.discriminators[name] {
				st.discriminators = append(st.discriminators, name)
			}
		}
		if p := n.v.LookupPath(cue.MakePath(cue.AnyString)); p.Exists() {
			st.pattern = n.s.compileNode(p, 0)
			st.anyMap = len(st.fields) == 0 && st.pattern.kind == nkAny && n.v.Allows(cue.Str(probeKey))
		} else {
			st.perKey = true
			// An open map ({...}) has no pattern: its other keys take any
			// value.
			st.anyMap = len(st.fields) == 0 && n.v.Allows(cue.Str(probeKey)) &&
				!n.v.LookupPath(cue.MakePath(cue.Str(probeKey).Optional())).Exists()
		}
		n.st = st
	})
	return n.st
}

// allows reports whether the map schema allows key k (closedness, key
// patterns), as CUE decides it; cached per key.
func (st *nstruct) allowsKey(v cue.Value, k string) bool {
	if a, ok := st.allows.Load(k); ok {
		return a.(bool)
	}
	a := v.Allows(cue.Str(k))
	// The key may share memory with a whole document (a YAML buffer):
	// the cache keeps its own copy.
	st.allows.Store(strings.Clone(k), a)
	return a
}

// keyNode returns the schema of key k, which has no field of its own.
func (n *nnode) keyNode(st *nstruct, k string) *nnode {
	if !st.perKey {
		return st.pattern
	}
	if c, ok := st.keyNodes.Load(k); ok {
		return c.(*nnode)
	}
	kv := n.v.LookupPath(cue.MakePath(cue.Str(k).Optional()))
	c := &nnode{s: n.s, kind: nkAny} // an open map's other key
	if kv.Exists() {
		c = n.s.compileNode(kv, 0)
	}
	st.keyNodes.Store(strings.Clone(k), c)
	return c
}

// nativeCheck walks values against nodes. It is the converter's twin: the
// same placeholders, scopes, omissions and key rules.
type nativeCheck struct {
	conv *converter
}

// clean reports whether the value v, in function scope sc at depth, is
// valid against n.
func (c *nativeCheck) clean(v *value.Value, n *nnode, sc scope, depth int) bool {
	if c.conv.placeholder(v, sc) {
		return true // converted to _
	}
	if value.KindOf(v) == value.Null && n.nullable {
		return true // converted to _
	}
	switch n.kind {
	case nkAny:
		return true
	case nkBottom, nkUnsupported:
		return false
	case nkOr:
		for _, p := range n.parts {
			if c.clean(v, p, sc, depth) {
				return true
			}
		}
		return false
	case nkAnd:
		for _, p := range n.parts {
			if !c.clean(v, p, sc, depth) {
				return false
			}
		}
		return true
	case nkKinds:
		return kindIn(v, n.kinds)
	case nkLiteral:
		return literalEqual(v, n.lit)
	case nkRegex:
		if value.KindOf(v) != value.String {
			return false
		}
		return n.re.MatchString(v.Str) != n.neg
	case nkBound:
		return boundHolds(v, n.op, n.arg)
	case nkList:
		if value.KindOf(v) != value.List {
			return false
		}
		for i, it := range v.List {
			e := n.elem
			if i < len(n.prefix) {
				e = n.prefix[i]
			}
			if e == nil || !c.clean(it, e, sc, depth+1) {
				return false
			}
		}
		return len(v.List) >= len(n.prefix)
	case nkStruct:
		if value.KindOf(v) != value.Map {
			return false
		}
		return c.cleanMap(v, n, sc, depth)
	}
	return false
}

func (c *nativeCheck) cleanMap(v *value.Value, n *nnode, sc scope, depth int) bool {
	st := n.structInfo()
	if n.kind != nkStruct {
		return false
	}
	if st.anyMap {
		return true
	}
	if len(st.discriminators) > 0 {
		vn, ok := c.variantOf(v, n, st, sc, depth)
		if !ok {
			return false
		}
		if vn != n {
			return c.cleanMap(v, vn, sc, depth)
		}
	}
	ents := v.Map.Entries()
	var seen map[string]bool
	if len(ents) > 8 {
		seen = make(map[string]bool, len(ents))
	}
	present := 0
	for i, e := range ents {
		k := value.JSONKey(e.Key)
		if seen != nil {
			if seen[k] {
				continue
			}
			seen[k] = true
		} else if dupBefore(ents[:i], k) {
			continue
		}
		csc := c.conv.childScope(sc, depth, k)
		if f, ok := st.fields[k]; ok {
			fn := f.get(c.conv.s)
			if f.required {
				present++
			}
			if c.conv.placeholder(e.Val, csc) || value.KindOf(e.Val) == value.Null && fn.nullable {
				continue // omitted, as the converter omits it
			}
			if !c.clean(e.Val, fn, csc, depth+1) {
				return false
			}
			continue
		}
		if !st.allowsKey(n.v, k) {
			return false
		}
		if !c.clean(e.Val, n.keyNode(st, k), csc, depth+1) {
			return false
		}
	}
	return present == len(st.required)
}

// variantOf returns the node of the definition n specialised on the
// value's discriminating fields (`action: exec`), n itself when the value
// has none, and false when a discriminator's value is not a plain scalar.
func (c *nativeCheck) variantOf(v *value.Value, n *nnode, st *nstruct, sc scope, depth int) (*nnode, bool) {
	var key []byte
	fill := map[string]any{}
	for _, d := range st.discriminators {
		e, ok := findEntry(v.Map, d)
		if !ok {
			continue
		}
		if c.conv.placeholder(e.Val, c.conv.childScope(sc, depth, d)) {
			continue // omitted: the default holds
		}
		var x any
		switch value.KindOf(e.Val) {
		case value.String:
			x = e.Val.Str
		case value.Bool:
			x = e.Val.Bool
		case value.Int:
			if e.Val.Big != nil {
				return nil, false
			}
			x = e.Val.Int
		default:
			return nil, false
		}
		fill[d] = x
		key = fmt.Appendf(key, "%s=%#v\x00", d, x)
	}
	if len(fill) == 0 {
		return n, true
	}
	n.variantMu.Lock()
	defer n.variantMu.Unlock()
	if vn, ok := n.variants[string(key)]; ok {
		return vn, vn.kind == nkStruct
	}
	u := n.v.Unify(cuecontext.New().Encode(fill))
	vn := &nnode{s: n.s, v: u, kind: nkStruct, variant: true, nullable: n.nullable}
	if u.Err() != nil {
		vn.kind = nkBottom
	}
	if n.variants == nil {
		n.variants = map[string]*nnode{}
	}
	n.variants[string(key)] = vn
	return vn, vn.kind == nkStruct
}

// kindIn reports whether the kind of v is among the CUE kinds k, as the
// converter renders v (NaN and infinities are not numbers CUE knows).
func kindIn(v *value.Value, k cue.Kind) bool {
	switch value.KindOf(v) {
	case value.Null:
		return k&cue.NullKind != 0
	case value.Bool:
		return k&cue.BoolKind != 0
	case value.Int:
		return k&cue.IntKind != 0
	case value.Float:
		return k&cue.FloatKind != 0 && !math.IsNaN(v.Float) && !math.IsInf(v.Float, 0)
	case value.String:
		return k&cue.StringKind != 0
	}
	return false
}

// literalEqual reports whether v equals the concrete scalar lit, with
// CUE's kinds: an int never equals a float.
func literalEqual(v *value.Value, lit cue.Value) bool {
	switch lit.Kind() {
	case cue.StringKind:
		s, _ := lit.String()
		return value.KindOf(v) == value.String && v.Str == s
	case cue.BoolKind:
		b, _ := lit.Bool()
		return value.KindOf(v) == value.Bool && v.Bool == b
	case cue.NullKind:
		return value.KindOf(v) == value.Null
	case cue.IntKind:
		if value.KindOf(v) != value.Int {
			return false
		}
		var want big.Int
		if _, err := lit.Int(&want); err != nil {
			return false
		}
		return intOf(v).Cmp(&want) == 0
	}
	return false
}

func intOf(v *value.Value) *big.Int {
	if v.Big != nil {
		return v.Big
	}
	return big.NewInt(v.Int)
}

// boundHolds evaluates a bound on v: numbers against a number, strings
// against a string (CUE compares strings bytewise), != against any
// scalar of the argument's kind.
func boundHolds(v *value.Value, op cue.Op, arg cue.Value) bool {
	switch arg.Kind() {
	case cue.StringKind:
		a, _ := arg.String()
		if value.KindOf(v) != value.String {
			return false
		}
		return compareHolds(op, cmpStrings(v.Str, a))
	case cue.IntKind, cue.FloatKind:
		var x *big.Float
		switch value.KindOf(v) {
		case value.Int:
			x = new(big.Float).SetInt(intOf(v))
		case value.Float:
			if math.IsNaN(v.Float) || math.IsInf(v.Float, 0) {
				return false
			}
			x = big.NewFloat(v.Float)
		default:
			return false
		}
		a, ok := numberOf(arg)
		if !ok {
			return false
		}
		return compareHolds(op, x.Cmp(a))
	}
	return false
}

func numberOf(v cue.Value) (*big.Float, bool) {
	if v.Kind() == cue.IntKind {
		var i big.Int
		if _, err := v.Int(&i); err != nil {
			return nil, false
		}
		return new(big.Float).SetInt(&i), true
	}
	f, err := v.Float64()
	if err != nil {
		return nil, false
	}
	return big.NewFloat(f), true
}

func cmpStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func compareHolds(op cue.Op, c int) bool {
	switch op {
	case cue.GreaterThanEqualOp:
		return c >= 0
	case cue.GreaterThanOp:
		return c > 0
	case cue.LessThanEqualOp:
		return c <= 0
	case cue.LessThanOp:
		return c < 0
	case cue.NotEqualOp:
		return c != 0
	}
	return false
}

// nativeClean reports whether v is valid against kind k without asking
// CUE: true only when CUE would report nothing.
func (s *Schema) nativeClean(k Kind, v *value.Value, o Options, template bool) bool {
	s.prepareNative()
	if !s.native.ok {
		return false
	}
	conv := &converter{s: s, raw: o.Raw, template: template}
	vd := &validation{s: s, kind: k, root: v, o: o, template: template}
	return (&nativeCheck{conv: conv}).clean(v, s.nativeRoot(k), vd.rootScope(), 0)
}

// part is a faulty part of a value that CUE can validate alone: a map
// reached as an entry of a map keyed by names (a container, a kolla
// config, a parameter) or as a list item (a config_files entry), whose
// schema is a map definition of its own.
type part struct {
	path []string // data path elements in the whole value
	key  *value.Value
	v    *value.Value
	n    *nnode
	sc   scope
}

// nativeLocate checks v like nativeClean and, when it is not clean, says
// where: the innermost parts that hold every fault, or nil when a fault is
// outside any part (then CUE validates the whole value).
func (s *Schema) nativeLocate(k Kind, v *value.Value, o Options, template bool) (clean bool, parts []part) {
	s.prepareNative()
	if !s.native.ok {
		return false, nil
	}
	conv := &converter{s: s, raw: o.Raw, template: template}
	vd := &validation{s: s, kind: k, root: v, o: o, template: template}
	c := &nativeCheck{conv: conv}
	root := s.nativeRoot(k)
	sc := vd.rootScope()
	if c.clean(v, root, sc, 0) {
		return true, nil
	}
	l := &locator{c: c}
	l.walk(v, root, sc, 0, nil, nil)
	if l.whole {
		return false, nil
	}
	return false, l.parts
}

// locator finds the parts that hold the faults.
type locator struct {
	c     *nativeCheck
	parts []part
	whole bool
	cur   *part // the innermost part being walked, nil at the top
}

func (l *locator) fault() {
	if l.cur == nil {
		l.whole = true
		return
	}
	for _, p := range l.parts {
		if len(p.path) == len(l.cur.path) && slicesEqual(p.path, l.cur.path) {
			return
		}
	}
	l.parts = append(l.parts, *l.cur)
}

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// unwrap returns the node a single-part conjunction wraps (a nullable
// reference).
func unwrap(n *nnode) *nnode {
	for n.kind == nkAnd && len(n.parts) == 1 {
		n = n.parts[0]
	}
	return n
}

// walk records the faults of v against n. A map that is an entry of a
// pattern-keyed map or a list item, with a map schema, starts a part.
func (l *locator) walk(v *value.Value, n *nnode, sc scope, depth int, path []string, key *value.Value) {
	c := l.c
	if c.clean(v, n, sc, depth) {
		return
	}
	u := unwrap(n)
	switch {
	case u.kind == nkStruct && value.KindOf(v) == value.Map && !c.conv.placeholder(v, sc):
		l.walkMap(v, n, u, sc, depth, path)
	case u.kind == nkList && value.KindOf(v) == value.List && len(v.List) >= len(u.prefix):
		for i, it := range v.List {
			e := u.elem
			if i < len(u.prefix) {
				e = u.prefix[i]
			}
			if e == nil {
				l.fault()
				continue
			}
			ip := append(append([]string(nil), path...), indexElem(i))
			if ue := unwrap(e); ue.kind == nkStruct && value.KindOf(it) == value.Map {
				l.inPart(it, e, sc, depth+1, ip, nil)
			} else {
				l.walk(it, e, sc, depth+1, ip, nil)
			}
		}
	default:
		l.fault()
	}
}

// inPart walks v as a part of its own.
func (l *locator) inPart(v *value.Value, n *nnode, sc scope, depth int, path []string, key *value.Value) {
	saved := l.cur
	l.cur = &part{path: path, key: key, v: v, n: n, sc: sc}
	l.walk(v, n, sc, depth, path, key)
	l.cur = saved
}

func (l *locator) walkMap(v *value.Value, n, u *nnode, sc scope, depth int, path []string) {
	c := l.c
	st := u.structInfo()
	if u.kind != nkStruct {
		l.fault()
		return
	}
	if len(st.discriminators) > 0 {
		vn, ok := c.variantOf(v, u, st, sc, depth)
		if !ok {
			l.fault()
			return
		}
		if vn != u {
			u, st = vn, vn.structInfo()
		}
	}
	ents := v.Map.Entries()
	present := 0
	seen := map[string]bool{}
	for _, e := range ents {
		k := value.JSONKey(e.Key)
		if seen[k] {
			continue
		}
		seen[k] = true
		csc := c.conv.childScope(sc, depth, k)
		kp := append(append([]string(nil), path...), keyElem(k))
		if f, ok := st.fields[k]; ok {
			fn := f.get(c.conv.s)
			if f.required {
				present++
			}
			if c.conv.placeholder(e.Val, csc) || value.KindOf(e.Val) == value.Null && fn.nullable {
				continue
			}
			l.walk(e.Val, fn, csc, depth+1, kp, e.Key)
			continue
		}
		if !st.allowsKey(u.v, k) {
			l.fault()
			continue
		}
		kn := u.keyNode(st, k)
		if ukn := unwrap(kn); ukn.kind == nkStruct && value.KindOf(e.Val) == value.Map && !c.conv.placeholder(e.Val, csc) {
			l.inPart(e.Val, kn, csc, depth+1, kp, e.Key)
		} else {
			l.walk(e.Val, kn, csc, depth+1, kp, e.Key)
		}
	}
	if present != len(st.required) {
		l.fault()
	}
}
