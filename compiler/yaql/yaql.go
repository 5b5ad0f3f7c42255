// Package yaql parses and evaluates yaql expressions as Heat's yaql
// function does: the whole standard library of yaql.create_context()
// (system, common, boolean, strings, math, collections, queries, regex,
// branching, date_time; docs/yaql.md lists every name), with the semantics
// of yaql 1.1.3 as queens to train Heat ran it on Python 2.7: Python
// equality, truthiness, str(), repr(), round() and str.format, lazy
// iterators, and the engine limits TripleO configured.
//
// It works directly on hoist's value.Value; values only a live cloud
// knows (value.Unknown) propagate through it, and the functions whose value
// depends on the clock, on chance or on the Heat server (now(),
// localtz(), random(), datetime() of free-form text) return unknown values
// that say so.
//
// Each yaql module is one file (lib_<module>.go) returning the overloads it
// registers; modules() in lib.go assembles them.
//
// # Version differences
//
// Queens Heat ran yaql 1.1.3 on CPython 2.7; the differential tests hold
// this package against yaql 2.0 on Python 3 (and Heat 19). Where the two
// differ, this package implements queens and the tests list the case:
//
//   - Dict and set order (heat-intrinsics.md §10). CPython 2.7 iterated
//     dicts and sets in hash order, which is neither insertion nor sorted
//     order. This package, like Python 3 and the Heat oracle, iterates
//     dicts in insertion order, so these results may list the same items
//     in another order than queens did: keys(), values(), items(),
//     toDict(...).values(), the group order of groupBy(), dict() and
//     mergeWith() results, and str() of a dict. Sets keep first-insertion
//     order, where CPython 2.7 used its string hash and Python 3 a
//     randomised one (characters(), union() and the like).
//   - keys(), values() and items() are iterators (1.1.3 used
//     six.iterkeys): list() unpacks them and items() yields pairs. yaql
//     2.0 returns dict views instead.
//   - str() of a float prints 12 significant digits (Python 2's
//     unicode(float)), and so does format() without a type; str(), join()
//     and format() of a collection print Python 2's repr, with u'...'
//     strings and an L after longs; hex() of a long ends with L.
//   - round() returns a float and rounds halfway cases away from zero;
//     pow() of a negative number to a fractional power is a ValueError;
//     timespan / int divides with floor division.
//   - Regular expressions are Python 2.7's re (hoist/pyre): re.split and
//     re.sub treat empty matches as 2.7 did, a template group that did not
//     take part is an error, re.escape escapes _, and a pattern given as a
//     string (matches(), =~) is compiled without re.UNICODE, so \w, \d and
//     \s are ASCII there, while regex() patterns are Unicode. toLower()
//     and toUpper() use the simple case mappings of Python 2's unicode type.
//   - format() is Python 2's unicode.format: # only for integers, 0 with
//     strings refused, object.__format__ accepting any spec.
//   - int() accepts no underscores (PEP 515 came with Python 3.6);
//     characters() knows Python 2's letters, lowercase and uppercase.
//   - call() drops the keyword arguments that are not keywords, where
//     Python 3 fails deleting them while iterating.
//   - Memory quota sizes follow CPython 3's sys.getsizeof: hoist cannot
//     know whether queens held a string as str or unicode.
//
// # Not supported
//
// \N{name} escapes in string literals, and datetime() of free-form text
// other than ISO 8601 (an unknown value). A set or iterator stored inside a
// list or dict is kept as a list. Evaluation stops after a bounded number
// of steps (about two seconds of work), which no THT expression
// approaches.
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
