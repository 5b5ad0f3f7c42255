package yaql

import (
	"errors"
	"strconv"

	"hoist/source"
	"hoist/value"
)

// objKind classifies a runtime value. Most are data (a *value.Value); the
// others are Python objects yaql passes around: lazy iterators, sets,
// compiled regexes, contexts (what let() returns), name => value pairs
// and lambdas (unevaluated arguments).
type objKind uint8

const (
	kData objKind = iota
	kIter
	kSet
	kRegex
	kContext
	kRule
	kLambda
	kNoValue  // an omitted argument
	kDatetime // a datetime.datetime (date_time module)
	kTimespan // a datetime.timedelta
)

// obj is one runtime value.
type obj struct {
	k   objKind
	v   *value.Value // kData; kSet holds its items as a list
	it  *iterator    // kIter
	lam *lambda      // kLambda
	// x holds the object of the other kinds: a *regexObj (kRegex), a
	// *scope (kContext), a *rule (kRule), a *timeVal (kDatetime,
	// kTimespan). One field keeps obj small: it is copied everywhere.
	x any
}

func (o obj) regex() *regexObj { r, _ := o.x.(*regexObj); return r }
func (o obj) context() *scope  { s, _ := o.x.(*scope); return s }
func (o obj) rul() *rule       { r, _ := o.x.(*rule); return r }
func (o obj) tv() *timeVal     { t, _ := o.x.(*timeVal); return t }

// rule is a name => value pair; for lazy parameters (switch) its parts
// are lambdas.
type rule struct{ key, val obj }

var zr source.Range

func data(v *value.Value) obj { return obj{k: kData, v: v} }

// unbox returns the object an item of a list or map stands for: the
// datetime, timespan, regex or context a placeholder value was made for
// (see box), else the value itself.
func (ev *evaluator) unbox(v *value.Value) obj {
	if ev.boxes != nil {
		if o, ok := ev.boxes[v]; ok {
			return o
		}
	}
	return data(v)
}

// box returns the value that stands for an object inside a list or map:
// its Python str() for a datetime or timespan (what Heat's output shows),
// an unknown for a regex or context (Python prints their memory
// address). unbox gives the object back.
func (ev *evaluator) box(o obj) *value.Value {
	var v *value.Value
	switch o.k {
	case kDatetime:
		v = value.NewString(pyDatetimeStr(o.tv()), zr)
	case kTimespan:
		v = value.NewString(pySpanStr(o.tv()), zr)
	case kRegex:
		v = value.NewUnknown("the text of a compiled regular expression shows its memory address under Python 2", zr)
	default:
		v = value.NewUnknown("the text of a yaql "+o.typeName()+" object shows its memory address", zr)
	}
	if ev.boxes == nil {
		ev.boxes = map[*value.Value]obj{}
	}
	ev.boxes[v] = o
	return v
}
func str(s string) obj    { return data(value.NewString(s, zr)) }
func boolean(b bool) obj  { return data(value.NewBool(b, zr)) }
func integer(i int64) obj { return data(value.NewInt(i, zr)) }
func null() obj           { return data(value.NewNull(zr)) }

var noValue = obj{k: kNoValue}

func (o obj) isNull() bool { return o.k == kData && value.KindOf(o.v) == value.Null }

// scope is a yaql context: variables by name ("1" is also `$`), with a
// parent. Most scopes hold one or two variables (a lambda's $1 and $2),
// kept inline.
type scope struct {
	parent *scope
	n      int
	inl    [2]scopeVar
	more   []scopeVar
	funcs  []scopeFunc // what def() defined here
}

// scopeFunc is a function def() defined: its body, called with the
// arguments as $1, $2... and $name.
type scopeFunc struct {
	name string
	body *lambda
}

type scopeVar struct {
	name string
	val  obj
}

func (s *scope) child() *scope { return &scope{parent: s} }

// normName is yaql's context-name normalisation: `$` is `$1`.
func normName(n string) string {
	if n == "" {
		return "1"
	}
	return n
}

func (s *scope) vars() []scopeVar {
	if s.n <= len(s.inl) {
		return s.inl[:s.n]
	}
	return s.more
}

func (s *scope) set(name string, v obj) {
	name = normName(name)
	vs := s.vars()
	for i := range vs {
		if vs[i].name == name {
			vs[i].val = v
			return
		}
	}
	switch {
	case s.n < len(s.inl):
		s.inl[s.n] = scopeVar{name, v}
	case s.n == len(s.inl):
		s.more = append(append(make([]scopeVar, 0, 8), s.inl[:]...), scopeVar{name, v})
	default:
		s.more = append(s.more, scopeVar{name, v})
	}
	s.n++
}

func (s *scope) get(name string) (obj, bool) {
	name = normName(name)
	for c := s; c != nil; c = c.parent {
		vs := c.vars()
		for i := len(vs) - 1; i >= 0; i-- {
			if vs[i].name == name {
				return vs[i].val, true
			}
		}
	}
	return obj{}, false
}

// define records a function def() defines in this scope.
func (s *scope) define(name string, body *lambda) {
	s.funcs = append(s.funcs, scopeFunc{name, body})
}

// function finds the innermost function def() defined under name.
func (s *scope) function(name string) *lambda {
	for c := s; c != nil; c = c.parent {
		for i := len(c.funcs) - 1; i >= 0; i-- {
			if c.funcs[i].name == name {
				return c.funcs[i].body
			}
		}
	}
	return nil
}

// lambda is an argument yaql passes unevaluated: evaluating it binds its
// arguments to $1, $2... (so `$` is the first) in a child of the scope of
// the call. A lambda made from a value (a delegate or call() passing a
// value where yaql expects a lambda) returns that value.
type lambda struct {
	ev  *evaluator
	n   *node
	sc  *scope
	val *obj // a constant lambda
}

func constLambda(ev *evaluator, v obj) obj {
	return obj{k: kLambda, lam: &lambda{ev: ev, val: &v}}
}

var argNames = [...]string{"1", "2", "3", "4"}

func (l *lambda) call(args ...obj) (obj, error) {
	if l.val != nil {
		return *l.val, nil
	}
	sc := l.sc.child()
	for i, a := range args {
		if i < len(argNames) {
			sc.set(argNames[i], a)
		} else {
			sc.set(strconv.Itoa(i+1), a)
		}
	}
	return l.ev.eval(l.n, sc)
}

// callKw is call with keyword arguments too, bound as $name.
func (l *lambda) callKw(args []obj, kw []kwArg) (obj, error) {
	if l.val != nil {
		return *l.val, nil
	}
	sc := l.sc.child()
	for i, a := range args {
		sc.set(strconv.Itoa(i+1), a)
	}
	for _, k := range kw {
		sc.set(k.name, k.val)
	}
	return l.ev.eval(l.n, sc)
}

// callIn evaluates the lambda in the given context (yaql's
// Lambda(with_context=True), as `->` uses).
func (l *lambda) callIn(sc *scope) (obj, error) {
	if l.val != nil {
		return *l.val, nil
	}
	return l.ev.eval(l.n, sc)
}

// unknownErr carries an unknown value up to Eval, which returns it: an
// operation that needs the value of an unknown cannot be computed offline.
type unknownErr struct{ v *value.Value }

func (u *unknownErr) Error() string { return "unknown value: " + u.v.Str }

// evaluator holds the state of one evaluation.
type evaluator struct {
	lim   Limits
	steps int
	// mutable records lists and maps that are Python lists and dicts (not
	// hashable, and a list is never equal to a tuple), as opposed to the
	// tuples and FrozenDicts yaql makes of its input and of most results.
	mutable map[*value.Value]struct{}
	depth   int
	// defs counts the functions def() defined, so that calls look for
	// them only when there are some.
	defs int
	// boxes maps the placeholder values of objects stored in lists and
	// maps back to the objects (box, unbox).
	boxes map[*value.Value]obj
}

// maxSteps bounds the work of one evaluation (expression nodes evaluated
// plus collection items visited), so that no expression can hang the
// caller: about two seconds of work. yaql itself has no such bound; the
// THT expressions take at most a few thousand steps.
var maxSteps = 20_000_000

// maxEvalDepth bounds nested evaluation (lambdas within lambdas,
// iterator chains), as Python's recursion limit bounds yaql's.
const maxEvalDepth = 2000

func newEvaluator(lim Limits) *evaluator { return &evaluator{lim: lim} }

func (ev *evaluator) run(n *node, root *value.Value) (*value.Value, error) {
	sc := &scope{}
	if root == nil {
		root = value.NewNull(zr)
	}
	sc.set("", data(root))
	res, err := ev.eval(n, sc)
	if err == nil {
		var out *value.Value
		out, err = ev.finalize(res, n.off)
		if err == nil {
			return out, nil
		}
	}
	var u *unknownErr
	if errors.As(err, &u) {
		return u.v, nil
	}
	return nil, err
}

func (ev *evaluator) step(off int) error {
	ev.steps++
	if ev.steps > maxSteps {
		return errorf(off, "limit", "expression needs more than "+strconv.Itoa(maxSteps)+" evaluation steps")
	}
	return nil
}

func errorf(off int, kind, msg string) *Error { return &Error{Offset: off, Kind: kind, Msg: msg} }

// eval evaluates n in scope sc.
func (ev *evaluator) eval(n *node, sc *scope) (obj, error) {
	if err := ev.step(n.off); err != nil {
		return obj{}, err
	}
	ev.depth++
	defer func() { ev.depth-- }()
	if ev.depth > maxEvalDepth {
		return obj{}, errorf(n.off, "limit", "maximum recursion depth exceeded")
	}
	var res obj
	var err error
	switch n.kind {
	case nConst:
		return data(n.val), nil
	case nKeyword:
		return str(n.name), nil
	case nWrap:
		return ev.eval(n.args[0], sc)
	case nVar:
		v, ok := sc.get(n.name)
		if !ok {
			v = null()
		}
		res = v
	case nBinary:
		res, err = ev.binary(n, sc)
	case nUnary:
		res, err = ev.callOp(n, "#unary_operator_"+n.name, n.args, sc)
	case nCall:
		res, err = ev.call(n, n.name, nil, false, n.args, sc)
	case nIndex:
		res, err = ev.callOp(n, "#indexer", n.args, sc)
	case nList:
		res, err = ev.callOp(n, "#list", n.args, sc)
	case nMap:
		res, err = ev.callOp(n, "#map", n.args, sc)
	case nNamed:
		return obj{}, errorf(n.off, "no-method", "a name => value pair is only valid as an argument")
	case nOmitted:
		return noValue, nil
	default:
		return obj{}, errorf(n.off, "syntax", "unexpected expression")
	}
	if err != nil {
		return obj{}, err
	}
	if err := ev.quota(n.off, res); err != nil {
		return obj{}, err
	}
	return res, nil
}

func (ev *evaluator) binary(n *node, sc *scope) (obj, error) {
	switch n.name {
	case ".", "?.":
		recv, err := ev.eval(n.args[0], sc)
		if err != nil {
			return obj{}, err
		}
		if n.name == "?." && recv.isNull() {
			return null(), nil
		}
		return ev.dot(n, recv, n.args[1], sc)
	case "=":
		return ev.callOp(n, "*equal", n.args, sc)
	case "!=":
		return ev.callOp(n, "*not_equal", n.args, sc)
	}
	return ev.callOp(n, "#operator_"+n.name, n.args, sc)
}

// dot evaluates recv.right: a method call, or a member access.
func (ev *evaluator) dot(n *node, recv obj, right *node, sc *scope) (obj, error) {
	switch right.kind {
	case nCall:
		return ev.call(right, right.name, &recv, true, right.args, sc)
	case nKeyword:
		return ev.member(recv, right.name, right.off)
	}
	return obj{}, errorf(n.off, "no-method", `No function "#operator_." matches supplied arguments`)
}

// member is `recv.name`: a dict key (missing is a KeyError), the key of
// every dict of a collection (lazily), else no property.
func (ev *evaluator) member(recv obj, name string, off int) (obj, error) {
	if recv.k == kData && value.KindOf(recv.v) == value.Unknown {
		return obj{}, unknownOf(recv.v)
	}
	if isMap(recv) {
		v, ok := recv.v.Map.Get(name)
		if !ok {
			return obj{}, errorf(off, "key", "KeyError: "+value.Repr(value.NewString(name, zr)))
		}
		return ev.unbox(v), nil
	}
	if isIterable(recv) {
		src, err := ev.limited(recv, off)
		if err != nil {
			return obj{}, err
		}
		cur := ev.cursor(src, off)
		return newIter(func() (obj, bool, error) {
			x, ok, err := cur()
			if !ok || err != nil {
				return x, ok, err
			}
			r, err := ev.member(x, name, off)
			if err != nil {
				return obj{}, false, err
			}
			if err := ev.quota(off, r); err != nil {
				return obj{}, false, err
			}
			return r, true, nil
		}), nil
	}
	if _, ok := stdlib().functions["#property#"+name]; ok {
		return ev.invoke(off, "#property#"+name, nil, []obj{recv}, nil, nil)
	}
	return obj{}, errorf(off, "no-method", `Unknown function "#property#`+name+`"`)
}

// finalize converts the result to data, as yaql's output conversion does:
// iterators become lists, sets lists (hoist has no set value), and every
// collection is held to the item limit.
func (ev *evaluator) finalize(o obj, off int) (*value.Value, error) {
	switch o.k {
	case kData:
		return ev.finalizeData(o.v, off)
	case kSet:
		if _, err := ev.limited(o, off); err != nil {
			return nil, err
		}
		// Output conversion turns tuples into lists and dicts into dicts
		// before putting them in a Python set: they are unhashable there.
		for _, it := range o.v.List {
			if err := unhashableOutput(it, off); err != nil {
				return nil, err
			}
		}
		return ev.finalizeData(value.NewList(o.v.List, zr), off)
	case kIter:
		src, err := ev.limited(o, off)
		if err != nil {
			return nil, err
		}
		items, err := ev.collect(src, off)
		if err != nil {
			return nil, err
		}
		out := make([]*value.Value, len(items))
		for i, it := range items {
			if out[i], err = ev.finalize(it, off); err != nil {
				return nil, err
			}
		}
		return value.NewList(out, zr), nil
	case kDatetime, kTimespan, kRegex, kContext:
		return ev.box(o), nil
	}
	return nil, errorf(off, "type", "the expression's result is a "+o.typeName()+", not data")
}

// finalizeData checks the limits on every collection of a data result.
// Values are returned as they are (keeping their ranges).
func (ev *evaluator) finalizeData(v *value.Value, off int) (*value.Value, error) {
	switch value.KindOf(v) {
	case value.List:
		if err := ev.checkLen(len(v.List), off); err != nil {
			return nil, err
		}
		if err := ev.quota(off, data(v)); err != nil {
			return nil, err
		}
		for _, it := range v.List {
			if _, err := ev.finalizeData(it, off); err != nil {
				return nil, err
			}
		}
	case value.Map:
		if err := ev.checkLen(v.Map.Len(), off); err != nil {
			return nil, err
		}
		for _, e := range v.Map.Entries() {
			if err := unhashableOutput(e.Key, off); err != nil {
				return nil, err
			}
			if ev.boxes != nil {
				if k := ev.unbox(e.Key); k.k != kData {
					return nil, errorf(off, "type", "TypeError: a "+k.typeName()+" key cannot be written as JSON (keys must be strings)")
				}
			}
			if _, err := ev.finalizeData(e.Val, off); err != nil {
				return nil, err
			}
		}
	}
	return v, nil
}

// unhashableOutput fails for a set item or dict key that output
// conversion makes a list or dict.
func unhashableOutput(v *value.Value, off int) error {
	switch value.KindOf(v) {
	case value.List:
		return errorf(off, "type", "TypeError: unhashable type: 'list'")
	case value.Map:
		return errorf(off, "type", "TypeError: unhashable type: 'dict'")
	}
	return nil
}

func (ev *evaluator) checkLen(n, off int) error {
	if ev.lim.MaxItems > 0 && n > ev.lim.MaxItems {
		return ev.tooLarge(off)
	}
	return nil
}
