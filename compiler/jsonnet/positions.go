package jsonnet

import (
	"strings"
	"sync"

	gojsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"

	"hoist/source"
	"hoist/value"
)

// The locator gives each value of the result the range of the Jsonnet
// expression that produced it. Jsonnet's output has no positions, so the
// locator walks the result and the program side by side: a key of the
// result is looked up among the fields of the object literal that built
// the map, through locals, variables, `+` (the right side first, `+:`
// fields over the fields they extend), imports, indexing of literal
// fields, and calls of functions it can see (the standard library's
// helpers), binding their parameters to the arguments. Where it cannot
// follow the program for sure (a conditional, self, a comprehension, a std
// function) it stops, and everything below gets the range of the
// expression it stopped at: always an expression that did compute the
// value, never a guess.
//
// Ranges point into the user's files; a value that comes from the
// embedded library gets the range of the call in the user's file that
// brought it in.

// env binds variables to the expressions they stand for.
type env struct {
	name   ast.Identifier
	val    expr
	parent *env
}

func (e *env) lookup(id ast.Identifier) (expr, bool) {
	for ; e != nil; e = e.parent {
		if e.name == id {
			return e.val, true
		}
	}
	return expr{}, false
}

// expr is an expression with its environment.
type expr struct {
	n ast.Node
	e *env
}

// maxSteps bounds the locator's work per evaluation (a recursive
// function would otherwise be followed for ever).
const maxSteps = 200000

type locator struct {
	abs, name string
	o         Options
	im        *importer
	steps     int
	asts      map[string]ast.Node
}

// userRange returns the range of n when n is in a user's file (not the
// embedded library, not a node desugaring made up).
func (lc *locator) userRange(n ast.Node) (source.Range, bool) {
	if n == nil {
		return source.Range{}, false
	}
	l := n.Loc()
	if l == nil || !l.Begin.IsSet() || l.FileName == "" || strings.HasPrefix(l.FileName, stdlibFile) {
		return source.Range{}, false
	}
	r := locRange(*l, lc.o)
	if l.FileName == lc.abs {
		r.File = lc.name
	}
	if r.End.Line != r.Start.Line && !isLiteral(n) {
		// A value computed by an expression over several lines (a call
		// of a library helper) is said to start there: the whole span
		// would claim the lines of the literals inside it.
		r.End = source.Pos{}
	}
	return r, true
}

func isLiteral(n ast.Node) bool {
	switch n.(type) {
	case *ast.LiteralString, *ast.LiteralNumber, *ast.LiteralBoolean, *ast.LiteralNull:
		return true
	}
	return false
}

func (lc *locator) tick() bool {
	lc.steps++
	return lc.steps < maxSteps
}

// resolve follows x to the expression that builds its value. rng is the
// range of the innermost user-file expression passed on the way.
func (lc *locator) resolve(x expr, rng source.Range) (expr, source.Range) {
	for x.n != nil && lc.tick() {
		if r, ok := lc.userRange(x.n); ok {
			rng = r
		}
		switch n := x.n.(type) {
		case *ast.Parens:
			x = expr{n: n.Inner, e: x.e}
		case *ast.Local:
			e := x.e
			for _, b := range n.Binds {
				e = &env{name: b.Variable, parent: e}
			}
			bindAll(e, n.Binds)
			x = expr{n: n.Body, e: e}
		case *ast.Var:
			v, ok := x.e.lookup(n.Id)
			if !ok {
				return x, rng
			}
			x = v
		case *ast.Import:
			node := lc.importAST(x.n.Loc().FileName, n.File.Value)
			if node == nil {
				return x, rng
			}
			x = expr{n: node}
		case *ast.Apply:
			fn, _ := lc.resolve(expr{n: n.Target, e: x.e}, rng)
			f, ok := fn.n.(*ast.Function)
			if !ok {
				return x, rng
			}
			x = expr{n: f.Body, e: bindArgs(f, fn.e, n.Arguments, x.e)}
		case *ast.Index:
			name, ok := n.Index.(*ast.LiteralString)
			if !ok {
				return x, rng
			}
			target, _ := lc.resolve(expr{n: n.Target, e: x.e}, rng)
			f, st := lc.field(target, name.Value, true)
			if st != found || f.def.PlusSuper {
				return x, rng
			}
			x = f.body
		default:
			return x, rng
		}
	}
	return x, rng
}

// bindAll binds each of the binds (already in e, innermost last) to its
// body, evaluated in e: locals may refer to each other.
func bindAll(e *env, binds ast.LocalBinds) {
	cur := e
	for i := len(binds) - 1; i >= 0; i-- {
		cur.val = expr{n: binds[i].Body, e: e}
		cur = cur.parent
	}
}

// bindArgs binds a function's parameters to the call's arguments (in the
// caller's environment) or to their defaults (in the function's).
func bindArgs(f *ast.Function, closure *env, args ast.Arguments, caller *env) *env {
	e := closure
	for _, p := range f.Parameters {
		e = &env{name: p.Name, parent: e}
	}
	byName := map[ast.Identifier]ast.Node{}
	for _, a := range args.Named {
		byName[a.Name] = a.Arg
	}
	cur := e
	for i := len(f.Parameters) - 1; i >= 0; i-- {
		p := f.Parameters[i]
		switch {
		case i < len(args.Positional):
			cur.val = expr{n: args.Positional[i].Expr, e: caller}
		case byName[p.Name] != nil:
			cur.val = expr{n: byName[p.Name], e: caller}
		case p.DefaultArg != nil:
			cur.val = expr{n: p.DefaultArg, e: e}
		}
		cur = cur.parent
	}
	return e
}

// importAST returns the program of an imported file.
func (lc *locator) importAST(from, file string) ast.Node {
	contents, foundAt, err := lc.im.Import(from, file)
	if err != nil {
		return nil
	}
	if strings.HasPrefix(foundAt, stdlibFile) {
		return stdlibAST(foundAt, contents)
	}
	if lc.asts == nil {
		lc.asts = map[string]ast.Node{}
	}
	if n, ok := lc.asts[foundAt]; ok {
		return n
	}
	n, err := gojsonnet.SnippetToAST(foundAt, contents.String())
	if err != nil {
		n = nil
	}
	lc.asts[foundAt] = n
	return n
}

// stdlibASTs holds the parsed files of the embedded library, which never
// change: the locator reads them and never changes them, so evaluations
// share them.
var stdlibASTs sync.Map // foundAt → *stdlibEntry

type stdlibEntry struct {
	once sync.Once
	n    ast.Node
}

func stdlibAST(foundAt string, contents gojsonnet.Contents) ast.Node {
	e, _ := stdlibASTs.LoadOrStore(foundAt, &stdlibEntry{})
	se := e.(*stdlibEntry)
	se.once.Do(func() {
		n, err := gojsonnet.SnippetToAST(foundAt, contents.String())
		if err == nil {
			se.n = n
		}
	})
	return se.n
}

type fieldState uint8

const (
	unknown fieldState = iota // the object may or may not have the field
	absent                    // it does not
	found
	// maybe: one branch of a conditional has the field and the other
	// does not; if the field is there, it is this one's.
	maybe
)

// fieldRef is a field found in an object literal.
type fieldRef struct {
	// body is the field's value expression.
	body expr
	def  *ast.DesugaredObjectField
	// base is the field a +: field extends, when known.
	base *fieldRef
}

// parts returns the expressions whose merge is the field's value: the
// field's own body first, then the fields it extends.
func (f *fieldRef) parts() []expr {
	var out []expr
	for ; f != nil; f = f.base {
		out = append(out, f.body)
		if !f.def.PlusSuper {
			break
		}
	}
	return out
}

// field finds field k of the object x resolves to. hidden says whether
// hidden fields count (for indexing, not for output).
func (lc *locator) field(x expr, k string, hidden bool) (*fieldRef, fieldState) {
	if !lc.tick() {
		return nil, unknown
	}
	x, _ = lc.resolve(x, source.Range{})
	switch n := x.n.(type) {
	case *ast.DesugaredObject:
		e := x.e
		for _, b := range n.Locals {
			e = &env{name: b.Variable, parent: e}
		}
		bindAll(e, n.Locals)
		literal := true
		for i := range n.Fields {
			f := &n.Fields[i]
			name, ok := f.Name.(*ast.LiteralString)
			if !ok {
				literal = false
				continue
			}
			if name.Value != k || f.Hide == ast.ObjectFieldHidden && !hidden {
				continue
			}
			return &fieldRef{body: expr{n: f.Body, e: e}, def: f}, found
		}
		if literal {
			return nil, absent
		}
		return nil, unknown
	case *ast.Conditional:
		t, tst := lc.field(expr{n: n.BranchTrue, e: x.e}, k, hidden)
		f, fst := lc.field(expr{n: n.BranchFalse, e: x.e}, k, hidden)
		switch {
		case tst == absent && fst == absent:
			return nil, absent
		case (tst == found || tst == maybe) && fst == absent:
			return t, maybe
		case (fst == found || fst == maybe) && tst == absent:
			return f, maybe
		}
		return nil, unknown
	case *ast.Binary:
		if n.Op != ast.BopPlus {
			return nil, unknown
		}
		r, st := lc.field(expr{n: n.Right, e: x.e}, k, hidden)
		if st == maybe {
			// The right side has the field only if its condition held:
			// it is the one if the left side cannot have it.
			if _, lst := lc.field(expr{n: n.Left, e: x.e}, k, hidden); lst != absent {
				return nil, unknown
			}
			st = found
		}
		switch st {
		case unknown:
			return nil, unknown
		case found:
			if r.def.PlusSuper && r.base == nil {
				if l, lst := lc.field(expr{n: n.Left, e: x.e}, k, hidden); lst == found {
					r = &fieldRef{body: r.body, def: r.def, base: l}
				}
			}
			return r, found
		}
		return lc.field(expr{n: n.Left, e: x.e}, k, hidden)
	}
	return nil, unknown
}

// elements returns the expressions of the n items of the list that the
// merge of parts (the last one first in the list) resolves to, or nil when
// they cannot be told apart.
func (lc *locator) elements(parts []expr, n int) []expr {
	var out []expr
	for i := len(parts) - 1; i >= 0; i-- {
		items, ok := lc.arrayItems(parts[i])
		if !ok {
			return nil
		}
		out = append(out, items...)
	}
	if len(out) != n {
		return nil
	}
	return out
}

// arrayItems returns the items of the array literal (or + of array
// literals) x resolves to.
func (lc *locator) arrayItems(x expr) ([]expr, bool) {
	if !lc.tick() {
		return nil, false
	}
	x, _ = lc.resolve(x, source.Range{})
	switch a := x.n.(type) {
	case *ast.Conditional:
		// Only a branch that can yield a list counts.
		t := compatible(lc.staticKind(expr{n: a.BranchTrue, e: x.e}), value.List)
		f := compatible(lc.staticKind(expr{n: a.BranchFalse, e: x.e}), value.List)
		switch {
		case t && !f:
			return lc.arrayItems(expr{n: a.BranchTrue, e: x.e})
		case f && !t:
			return lc.arrayItems(expr{n: a.BranchFalse, e: x.e})
		}
		return nil, false
	case *ast.Array:
		out := make([]expr, len(a.Elements))
		for i, el := range a.Elements {
			out[i] = expr{n: el.Expr, e: x.e}
		}
		return out, true
	case *ast.Binary:
		if a.Op != ast.BopPlus {
			return nil, false
		}
		l, ok := lc.arrayItems(expr{n: a.Left, e: x.e})
		if !ok {
			return nil, false
		}
		r, ok := lc.arrayItems(expr{n: a.Right, e: x.e})
		if !ok {
			return nil, false
		}
		return append(l, r...), true
	}
	return nil, false
}

// keyRange is where a field's name is written.
func (lc *locator) keyRange(f *ast.DesugaredObjectField, k string) (source.Range, bool) {
	if r, ok := lc.userRange(f.Name); ok {
		return r, true
	}
	l := f.LocRange
	if !l.Begin.IsSet() || l.FileName == "" || strings.HasPrefix(l.FileName, stdlibFile) {
		return source.Range{}, false
	}
	r := locRange(l, lc.o)
	if l.FileName == lc.abs {
		r.File = lc.name
	}
	r.End = source.Pos{Line: r.Start.Line, Col: r.Start.Col + int32(len([]rune(k)))}
	return r, true
}

// annotate sets the ranges of v, the merge of parts (right first); rng is
// the range of the enclosing expression, for what cannot be traced
// further.
func (lc *locator) annotate(v *value.Value, parts []expr, rng source.Range, depth int) {
	if v == nil {
		return
	}
	if len(parts) == 1 {
		var x expr
		x, rng = lc.resolve(parts[0], rng)
		// A conditional whose one branch cannot yield a value of this
		// kind took the other one.
		for {
			c, ok := x.n.(*ast.Conditional)
			if !ok || !lc.tick() {
				break
			}
			t := lc.staticKind(expr{n: c.BranchTrue, e: x.e})
			f := lc.staticKind(expr{n: c.BranchFalse, e: x.e})
			var branch ast.Node
			switch {
			case compatible(t, v.Kind) && !compatible(f, v.Kind):
				branch = c.BranchTrue
			case compatible(f, v.Kind) && !compatible(t, v.Kind):
				branch = c.BranchFalse
			default:
				branch = nil
			}
			if branch == nil {
				break
			}
			x, rng = lc.resolve(expr{n: branch, e: x.e}, rng)
		}
		parts = []expr{x}
	}
	v.Range = rng
	if depth > 400 {
		return
	}
	switch v.Kind {
	case value.Map:
		for _, ent := range v.Map.Entries() {
			k := value.Str(ent.Key)
			var ref *fieldRef
			for i, p := range parts {
				if p.n == nil {
					break
				}
				f, st := lc.field(p, k, false)
				if st == absent {
					continue
				}
				if st == found || st == maybe && i == len(parts)-1 {
					ref = f
					// A +: field without a base in its own object extends
					// the same field of the parts merged under it.
					for _, q := range parts[i+1:] {
						if !ref.def.PlusSuper || ref.base != nil {
							break
						}
						if b, bst := lc.field(q, k, false); bst == found {
							ref = &fieldRef{body: ref.body, def: ref.def, base: b}
						}
					}
				}
				break
			}
			if ref == nil {
				ent.Key.Range = rng
				lc.annotate(ent.Val, nil, rng, depth+1)
				continue
			}
			keyRng := rng
			if r, ok := lc.keyRange(ref.def, k); ok {
				keyRng = r
			}
			ent.Key.Range = keyRng
			lc.annotate(ent.Val, ref.parts(), keyRng, depth+1)
		}
	case value.List:
		var items []expr
		if len(parts) > 0 && parts[0].n != nil {
			items = lc.elements(parts, len(v.List))
		}
		for i, it := range v.List {
			if items != nil {
				lc.annotate(it, []expr{items[i]}, rng, depth+1)
			} else {
				lc.annotate(it, nil, rng, depth+1)
			}
		}
	}
}

// kindUnknown is a static kind the locator cannot tell.
const kindUnknown value.Kind = 255

// staticKind is the kind of value x yields, when its syntax says so.
func (lc *locator) staticKind(x expr) value.Kind {
	if !lc.tick() {
		return kindUnknown
	}
	x, _ = lc.resolve(x, source.Range{})
	switch n := x.n.(type) {
	case *ast.DesugaredObject, *ast.ObjectComp:
		return value.Map
	case *ast.Array, *ast.ArrayComp:
		return value.List
	case *ast.LiteralString:
		return value.String
	case *ast.LiteralBoolean:
		return value.Bool
	case *ast.LiteralNull:
		return value.Null
	case *ast.LiteralNumber:
		return value.Float
	case *ast.Binary:
		if n.Op == ast.BopPlus {
			if k := lc.staticKind(expr{n: n.Left, e: x.e}); k == value.Map || k == value.List {
				return k
			}
		}
	}
	return kindUnknown
}

// compatible reports whether a value of static kind k can be a value of
// kind v (numbers are ints or floats once written as JSON).
func compatible(k, v value.Kind) bool {
	switch {
	case k == kindUnknown:
		return true
	case k == value.Float:
		return v == value.Int || v == value.Float
	}
	return k == v
}
