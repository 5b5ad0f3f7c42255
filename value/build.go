package value

import "hoist/source"

// Values hoist makes itself (plan.json, the manifest, the hieradata) have
// no source range; these build them.

// Text is a string hoist made.
func Text(s string) *Value { return NewString(s, source.Range{}) }

// Number is an integer hoist made.
func Number(i int64) *Value { return NewInt(i, source.Range{}) }

// Sequence is a list hoist made of items.
func Sequence(items []*Value) *Value { return NewList(items, source.Range{}) }

// Texts is a list of strings hoist made.
func Texts(ss []string) *Value {
	items := make([]*Value, len(ss))
	for i, s := range ss {
		items[i] = Text(s)
	}
	return Sequence(items)
}

// Object builds a mapping hoist makes, key by key, in order.
type Object struct{ m *Mapping }

// NewObject starts an empty mapping.
func NewObject() Object { return Object{NewMapping(8)} }

// Set sets key k to v (in place when k is already set).
func (o Object) Set(k string, v *Value) { o.m.SetString(k, v) }

// Mapping is the mapping built so far.
func (o Object) Mapping() *Mapping { return o.m }

// Value is the mapping as a value.
func (o Object) Value() *Value { return NewMap(o.m, source.Range{}) }
