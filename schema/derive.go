package schema

import "cuelang.org/go/cue"

// Derive returns a schema that validates the kinds in defs against the
// given CUE values (a project's own constraints, compiled elsewhere: see
// package policy) instead of the built-in definitions, with the same
// machinery: the conversion of values (function calls and unknowns stand
// for anything), the walk from each CUE error's path to the offending
// value's range, the messages (@expect and the other attributes work in
// the given values too). Other kinds keep the built-in definitions.
//
// The values may come from another cue.Context: cuelang.org/go v0.17
// values may be combined across contexts and used concurrently.
func (s *Schema) Derive(defs map[Kind]cue.Value) *Schema {
	d := &Schema{
		release:            s.release,
		root:               s.root,
		defs:               s.defs,
		functions:          s.functions,
		conditionFunctions: s.conditionFunctions,
		paunchKeys:         s.paunchKeys,
		templateVersions:   s.templateVersions,
		heatVersions:       s.heatVersions,
		environmentMap:     s.environmentMap,
	}
	for k, v := range defs {
		if k > 0 && k < kindEnd {
			d.defs[k] = v
		}
	}
	// The native check (native.go) is sound only for definitions whose
	// comprehensions it has scanned in their syntax; the given values
	// come without it, so CUE validates every value.
	d.native.once.Do(func() { d.native.ok = false })
	return d
}
