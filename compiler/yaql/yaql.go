// Package yaql parses and evaluates the subset of yaql that
// tripleo-heat-templates use (about 45 functions), with the semantics of
// yaql 1.1.3 as queens Heat ran it: Python equality, truthiness and str(),
// lazy iterators, and the engine limits TripleO configured.
//
// It is not a general yaql: functions outside the THT subset are unknown
// (a "no-method" error), and so are delegates and date/time support. It
// works directly on hoist's value.Value; values only a live cloud knows
// (value.Unknown) propagate through it.
//
// # Version differences
//
// Queens Heat ran yaql 1.1.3 on CPython 2.7; the differential test holds
// this package against yaql 2.0 on Python 3. Where the two differ, this
// package implements queens and the test lists the case:
//
//   - Dict and set order. CPython 2.7 iterated dicts and sets in hash
//     order (heat-intrinsics.md §10); this package, like Python 3 and the
//     Heat oracle, uses insertion order for dicts. keys(), values(),
//     items(), toDict(...).values(), the group order of groupBy() and the
//     item order of set(...) can therefore differ from queens output; only
//     the order differs, never the content. Sets keep first-insertion order
//     here, where Python 3 uses its randomised string hash: tests compare
//     sets as sets.
//   - str() of a float uses Python 2's 12 significant digits (py2
//     unicode(float)); Python 3 prints the shortest round-trip repr.
//   - Memory quota sizes follow CPython 3's sys.getsizeof (hoist cannot
//     know whether queens held a string as str or unicode).
package yaql

import (
	"strconv"
	"sync"

	"hoist/source"
	"hoist/value"
)

// Limits are yaql's engine options; TripleO set limitIterators=1000,
// memoryQuota=100000. A zero or negative field disables that limit.
type Limits struct{ MaxItems, MaxBytes int }

// TripleOLimits are the limits the TripleO undercloud configured for Heat
// ([yaql] limit_iterators and memory_quota in heat.conf).
var TripleOLimits = Limits{MaxItems: 1000, MaxBytes: 100000}

// HeatDefaultLimits are Heat's own defaults, for comparison.
var HeatDefaultLimits = Limits{MaxItems: 200, MaxBytes: 10000}

// Error is a parse or evaluation error. Offset is the byte offset in the
// expression of the failing token or call; Kind is a short class: "syntax",
// "no-method", "key", "index", "type", "value", "limit",
// "stop-iteration", "regex", "zero-division".
type Error struct {
	Offset int
	Kind   string
	Msg    string
}

func (e *Error) Error() string {
	return e.Msg + " (at offset " + strconv.Itoa(e.Offset) + ")"
}

// Expr is a parsed expression. It is immutable and safe for concurrent
// Eval.
type Expr struct {
	src  string
	root *node
}

// String returns the expression's text.
func (e *Expr) String() string { return e.src }

// cache holds parsed expressions by text: THT evaluates the same few dozen
// expressions thousands of times.
var cache sync.Map // string -> *cacheEntry

type cacheEntry struct {
	expr *Expr
	err  error
}

const maxCached = 10000

var cacheCount struct {
	sync.Mutex
	n int
}

// Parse parses expr. Results are cached by text, so parsing the same text
// again is a map lookup. Errors are *Error.
func Parse(expr string) (*Expr, error) {
	if c, ok := cache.Load(expr); ok {
		ce := c.(*cacheEntry)
		return ce.expr, ce.err
	}
	root, err := parse(expr)
	var ce cacheEntry
	if err != nil {
		ce.err = err
	} else {
		ce.expr = &Expr{src: expr, root: root}
	}
	cacheCount.Lock()
	if cacheCount.n < maxCached {
		if _, loaded := cache.LoadOrStore(expr, &ce); !loaded {
			cacheCount.n++
		}
	}
	cacheCount.Unlock()
	return ce.expr, ce.err
}

// Eval evaluates the expression with root as `$`. The result is a new value
// (or a value of root, where the expression selects one); an unknown value
// the expression needs makes the result that unknown. Errors are *Error.
func (e *Expr) Eval(root *value.Value, lim Limits) (*value.Value, error) {
	ev := newEvaluator(lim)
	return ev.run(e.root, root)
}

// EvalHeat is Heat's yaql function: `$` is the map {data: data}.
func EvalHeat(expr string, data *value.Value, lim Limits) (*value.Value, error) {
	e, err := Parse(expr)
	if err != nil {
		return nil, err
	}
	if data == nil {
		data = value.NewMap(nil, source.Range{})
	}
	m := value.NewMapping(1)
	m.Set(value.NewString("data", source.Range{}), data)
	return e.Eval(value.NewMap(m, source.Range{}), lim)
}
