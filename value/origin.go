package value

import "hoist/source"

// Origin is one step of the way a value came to its place, recorded only
// when a compile is asked for provenance (hoist why): the get_param that
// read it, the get_attr that brought it out of a nested stack, the merge
// that chose it, the role aggregation that put it in a role's data. A
// value's Range says where its literal was written; its Origin, the steps
// since, the last one first (Prev leads back towards the literal).
// Origins are shared by the values that took the same steps and are never
// changed, so a chain costs one small allocation per step, and nothing when
// provenance is not asked for (Value.Origin stays nil).
type Origin struct {
	// Kind names the step: "get_param", "get_attr", "map_merge",
	// "yaql", "aggregate", "hiera", ...
	Kind string
	// At is where the step happened: the call, or the place of the rule.
	At source.Range
	// Decl is what the step read: the declaration of a parameter, the
	// definition of an output.
	Decl source.Range
	// Set, for a parameter, is where its value was set (a
	// parameter_defaults entry, a property, the default).
	Set source.Range
	// Note says what the step did, for people.
	Note string
	// Parts are the contributors of a merge: for a map, per key, the
	// values that were merged into it, kept or discarded.
	Parts []Part
	// Prev is the step before this one.
	Prev *Origin
}

// Part is one contributor of a merge.
type Part struct {
	// Key is the map key the contributor gave ("" for the whole value).
	Key string
	// At is where the contributed value was written.
	At source.Range
	// Note says what it was (a service, an environment) and what
	// became of it ("kept", "discarded: a later value wins").
	Note string
	// Val, when set, is the contributed value, whose own origin says
	// how it came (an item of a list_join that a get_attr read).
	Val *Value
	// From, when set, is the origin of the map the contributor gave Key
	// in, whose parts say who gave it there (a merge of merges).
	From *Origin
}

// WithOrigin returns a shallow copy of v that took the step o: o.Prev is
// v's own origin. The copy shares v's items.
func (v *Value) WithOrigin(o Origin) *Value {
	if v == nil {
		return nil
	}
	c := *v
	o.Prev = v.Origin
	c.Origin = &o
	return &c
}

// Steps returns v's origin steps, the first step (nearest the literal)
// first.
func (o *Origin) Steps() []*Origin {
	var out []*Origin
	for ; o != nil; o = o.Prev {
		out = append(out, o)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}
