package yaql

import (
	"maps"
	"slices"
	"sync"

	"hoist/value"
)

// This file assembles yaql's standard library: each module of yaql's
// standard_library package has its own file (lib_<module>.go) with a
// function returning the overloads it registers, and modules() lists them
// in the order yaql.create_context() registers them. The parameter types
// and constructors the module files share are here too.

// A module is one module of yaql's standard library: the overloads it
// registers, by yaql's name (operators under their internal names:
// "#operator_+", "#unary_operator_-", "*equal", "#indexer", "#list").
type module struct {
	name  string
	funcs map[string][]*overload
}

// modules lists the standard library as yaql.create_context() builds it
// for Heat (system, common, boolean, strings, math, collections, queries,
// regex, branching, date_time; yaqlization adds nothing for JSON data).
func modules() []module {
	return []module{
		{"system", systemLib()},
		{"common", commonLib()},
		{"boolean", booleanLib()},
		{"strings", stringsLib()},
		{"math", mathLib()},
		{"collections", collectionsLib()},
		{"queries", queriesLib()},
		{"regex", regexLib()},
		{"branching", branchingLib()},
		{"datetime", datetimeLib()},
	}
}

// library is the assembled function table.
type library struct {
	// methods and functions are the overloads of each name callable as
	// recv.name(...) and as name(...).
	methods, functions map[string][]*overload
	// all holds every overload of a name.
	all map[string][]*overload
	// moduleOf names the modules that register each name.
	moduleOf map[string][]string
}

var (
	libOnce sync.Once
	lib     *library
)

// stdlib returns the function table, built on first use (it cannot be a
// package-level initializer: the implementations call back into the
// evaluator, which reads the table).
func stdlib() *library {
	libOnce.Do(func() { lib = buildLibrary(modules()) })
	return lib
}

func buildLibrary(mods []module) *library {
	l := &library{
		methods:   map[string][]*overload{},
		functions: map[string][]*overload{},
		all:       map[string][]*overload{},
		moduleOf:  map[string][]string{},
	}
	for _, m := range mods {
		for name, os := range m.funcs {
			l.moduleOf[name] = append(l.moduleOf[name], m.name)
			l.all[name] = append(l.all[name], os...)
			for _, o := range os {
				o.countParams()
				if o.method {
					l.methods[name] = append(l.methods[name], o)
				}
				if o.function {
					l.functions[name] = append(l.functions[name], o)
				}
			}
		}
	}
	return l
}

// names returns the names of the library, sorted.
func (l *library) names() []string {
	return slices.Sorted(maps.Keys(l.all))
}

// Parameter types (yaql's yaqltypes as the standard library declares them).

func tyIterable(_ *evaluator, o obj) bool { return isIterable(o) }
func tySequence(_ *evaluator, o obj) bool { return isSequence(o) }
func tyMapping(_ *evaluator, o obj) bool  { return isMap(o) }
func tyString(_ *evaluator, o obj) bool   { return isString(o) }
func tyStringN(_ *evaluator, o obj) bool  { return isString(o) || o.isNull() }
func tyInt(_ *evaluator, o obj) bool      { return isInt(o) }
func tyNumber(_ *evaluator, o obj) bool   { return isNumber(o) }
func tyBool(_ *evaluator, o obj) bool {
	return o.k == kData && value.KindOf(o.v) == value.Bool
}
func tyBoolN(_ *evaluator, o obj) bool    { return o.isNull() || tyBool(nil, o) }
func tyRegex(_ *evaluator, o obj) bool    { return o.k == kRegex }
func tySet(_ *evaluator, o obj) bool      { return o.k == kSet }
func tyIterator(_ *evaluator, o obj) bool { return isIterator(o) }
func tyOrdering(_ *evaluator, o obj) bool { return o.k == kIter && o.it.ordered != nil }
func tyContext(_ *evaluator, o obj) bool  { return o.k == kContext }
func tyNull(_ *evaluator, o obj) bool     { return o.isNull() }
func tyNonNull(_ *evaluator, o obj) bool  { return !o.isNull() }
func tyRule(_ *evaluator, o obj) bool     { return o.k == kRule }

// Parameter constructors.
func req(name string, t ptype) param { return param{name: name, typ: t} }
func opt(name string, t ptype) param { return param{name: name, typ: t, opt: true} }
func it(name string) param           { return param{name: name, typ: tyIterable, iter: true} }
func lam(name string) param          { return param{name: name, lazy: true} }
func optLam(name string) param       { return param{name: name, lazy: true, opt: true} }
func rest(name string, t ptype) param {
	return param{name: name, typ: t, rest: true, iter: isIterableType(t)}
}
func isIterableType(t ptype) bool {
	return t != nil && t(nil, obj{k: kSet, v: value.NewList(nil, zr)}) && !t(nil, null())
}

// Overload constructors: callable as a method, as a function, or both
// (yaql's extension methods).
func method(impl func(*callCtx, []obj) (obj, error), ps ...param) *overload {
	return &overload{method: true, params: ps, impl: impl}
}
func function(impl func(*callCtx, []obj) (obj, error), ps ...param) *overload {
	return &overload{function: true, params: ps, impl: impl}
}
func extension(impl func(*callCtx, []obj) (obj, error), ps ...param) *overload {
	return &overload{method: true, function: true, params: ps, impl: impl}
}
func noKw(o *overload) *overload    { o.noKwargs = true; return o }
func keepUnk(o *overload) *overload { o.keepUnknown = true; return o }

func strOr(o obj) string {
	if o.k == kData && value.KindOf(o.v) == value.String {
		return o.v.Str
	}
	return ""
}
func hasStr(o obj) bool { return o.k == kData && value.KindOf(o.v) == value.String }
