package yaql

import (
	"errors"
	"strconv"

	"hoist/source"
	"hoist/value"
)

// objKind classifies a runtime value. Most are data (a *value.Value); the
// others are Python objects yaql passes around: lazy iterators, sets,
// compiled regexes, contexts (what let() returns) and name => value pairs.
type objKind uint8

const (
	kData objKind = iota
	kIter
	kSet
	kRegex
	kContext
	kRule
	kNoValue // an omitted argument
)

// obj is one runtime value.
type obj struct {
	k    objKind
	v    *value.Value // kData; kSet holds its items as a list
	it   *iterator    // kIter
	re   *regexObj    // kRegex
	ctx  *scope       // kContext
	rule *rule        // kRule
}

type rule struct{ key, val obj }

func data(v *value.Value) obj { return obj{k: kData, v: v} }

var zr source.Range

func str(s string) obj      { return data(value.NewString(s, zr)) }
func boolean(b bool) obj    { return data(value.NewBool(b, zr)) }
func integer(i int64) obj   { return data(value.NewInt(i, zr)) }
func null() obj             { return data(value.NewNull(zr)) }
func (o obj) isNull() bool  { return o.k == kData && value.KindOf(o.v) == value.Null }
func (o obj) kind() value.Kind {
	if o.k != kData {
		return value.Unknown + 1 + value.Kind(o.k)
	}
	return value.KindOf(o.v)
}

// scope is a yaql context: variables by name ("1" is also `$`), with a
// parent.
type scope struct {
	parent *scope
	names  []string
	vals   []obj
}

func (s *scope) child() *scope { return &scope{parent: s} }

// normName is yaql's context-name normalisation: `$` is `$1`.
func normName(n string) string {
	if n == "" {
		return "1"
	}
	return n
}

func (s *scope) set(name string, v obj) {
	name = normName(name)
	for i, n := range s.names {
		if n == name {
			s.vals[i] = v
			return
		}
	}
	s.names = append(s.names, name)
	s.vals = append(s.vals, v)
}

func (s *scope) get(name string) (obj, bool) {
	name = normName(name)
	for c := s; c != nil; c = c.parent {
		for i := len(c.names) - 1; i >= 0; i-- {
			if c.names[i] == name {
				return c.vals[i], true
			}
		}
	}
	return obj{}, false
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
	// hashable), as opposed to the tuples and FrozenDicts yaql makes of
	// its input and of most results.
	mutable map[*value.Value]struct{}
}

// maxSteps bounds the work of one evaluation, so that no expression can
// hang the caller; yaql itself has no such bound, but any expression THT
// could use stays far below it.
const maxSteps = 20_000_000

func newEvaluator(lim Limits) *evaluator { return &evaluator{lim: lim} }

func (ev *evaluator) run(n *node, root *value.Value) (*value.Value, error) {
	sc := &scope{}
	if root == nil {
		root = value.NewNull(zr)
	}
	sc.set("", data(root))
	res, err := ev.eval(n, sc, obj{k: kNoValue})
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
		return &Error{Offset: off, Kind: "limit", Msg: "expression needs more than " + strconv.Itoa(maxSteps) + " evaluation steps"}
	}
	return nil
}

func errorf(off int, kind, msg string) *Error { return &Error{Offset: off, Kind: kind, Msg: msg} }

// eval evaluates n in scope sc; recv is the receiver when n is the right
// side of ".", else kNoValue.
func (ev *evaluator) eval(n *node, sc *scope, recv obj) (obj, error) {
	if err := ev.step(n.off); err != nil {
		return obj{}, err
	}
	switch n.kind {
	case nConst:
		return data(n.val), nil
	case nKeyword:
		return str(n.name), nil
	case nVar:
		v, ok := sc.get(n.name)
		if !ok {
			return null(), nil
		}
		return v, nil
	case nWrap:
		return ev.eval(n.args[0], sc, obj{k: kNoValue})
	case nBinary:
		if n.name == "." {
			return ev.dot(n, sc)
		}
	case nCall:
		if n.name == "str" && len(n.args) == 1 {
			a, err := ev.eval(n.args[0], sc, obj{k: kNoValue})
			if err != nil {
				return obj{}, err
			}
			if a.kind() == value.Unknown {
				return obj{}, &unknownErr{a.v}
			}
			return str(pyStr(a.v)), nil
		}
	}
	return obj{}, errorf(n.off, "no-method", "unsupported expression")
}

func (ev *evaluator) dot(n *node, sc *scope) (obj, error) {
	l, err := ev.eval(n.args[0], sc, obj{k: kNoValue})
	if err != nil {
		return obj{}, err
	}
	r := n.args[1]
	if r.kind == nKeyword {
		if l.kind() == value.Unknown {
			return obj{}, &unknownErr{l.v}
		}
		if l.kind() == value.Map {
			v, ok := l.v.Map.Get(r.name)
			if !ok {
				return obj{}, errorf(r.off, "key", "KeyError: "+pyRepr(value.NewString(r.name, zr)))
			}
			return data(v), nil
		}
	}
	return obj{}, errorf(n.off, "no-method", "unsupported expression")
}

// finalize converts the result to data, as yaql's output conversion does.
func (ev *evaluator) finalize(o obj, off int) (*value.Value, error) {
	switch o.k {
	case kData:
		return o.v, nil
	}
	return nil, errorf(off, "type", "the expression's result is not data")
}

// pyStr is yaql's str(): null is "null", booleans "true"/"false".
func pyStr(v *value.Value) string {
	switch value.KindOf(v) {
	case value.Null:
		return "null"
	case value.Bool:
		if v.Bool {
			return "true"
		}
		return "false"
	}
	return value.Str(v)
}

func pyRepr(v *value.Value) string { return value.Repr(v) }

type iterator struct{}
type regexObj struct{}
