// Package value is hoist's data model: the values a Heat template is made
// of, each carrying the source range it came from.
//
// A Value is one of null, bool, int, float, string, list, map (which keeps
// key order) or unknown: a value that only a live cloud knows (a server's IP,
// a random password), which carries the reason. Values are immutable once
// built: functions that transform them return new values and may share
// unchanged subtrees.
//
// The Python helpers of this package (Str, Repr, Equal, HashKey, Truthy,
// Dumps) reproduce what Heat computed with the same data under Python, since
// THT output depends on it: str(True) is "True", 1 == 1.0 == True, and
// json.dumps sorts keys and writes ", " and ": ".
package value

import (
	"math/big"

	"hoist/source"
)

// Kind tells which of the variants a Value holds.
type Kind uint8

// The kinds of value.
const (
	Null Kind = iota
	Bool
	Int
	Float
	String
	List
	Map
	Unknown
)

var kindNames = [...]string{"null", "bool", "int", "float", "string", "list", "map", "unknown"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "invalid"
}

// Value is one datum with its source range. The zero Value is a null with no
// position. Only the fields of its Kind are meaningful.
type Value struct {
	Kind Kind
	// Bool holds a Bool.
	Bool bool
	// Int holds an Int that fits in 64 bits; Big holds one that does not.
	Int int64
	Big *big.Int
	// Float holds a Float.
	Float float64
	// Str holds a String, or the reason of an Unknown.
	Str string
	// List holds the items of a List.
	List []*Value
	// Map holds the entries of a Map.
	Map *Mapping
	// Range is where the value was written.
	Range source.Range
	// Via is set when the value reached its place through a YAML alias: it
	// lists the alias sites, innermost first.
	Via *Via
	// Origin, when the compile recorded provenance, is the last step by
	// which the value came to its place (see Origin); nil otherwise.
	Origin *Origin
}

// Via records a YAML alias site through which a value was copied.
type Via struct {
	Alias source.Range
	Next  *Via
}

// Sites returns the alias sites, innermost first.
func (v *Via) Sites() []source.Range {
	var out []source.Range
	for ; v != nil; v = v.Next {
		out = append(out, v.Alias)
	}
	return out
}

// NewNull returns a null at r.
func NewNull(r source.Range) *Value { return &Value{Kind: Null, Range: r} }

// NewBool returns a bool at r.
func NewBool(b bool, r source.Range) *Value { return &Value{Kind: Bool, Bool: b, Range: r} }

// NewInt returns an int at r.
func NewInt(i int64, r source.Range) *Value { return &Value{Kind: Int, Int: i, Range: r} }

// NewBigInt returns an int at r, stored in 64 bits when it fits.
func NewBigInt(b *big.Int, r source.Range) *Value {
	if b.IsInt64() {
		return NewInt(b.Int64(), r)
	}
	return &Value{Kind: Int, Big: new(big.Int).Set(b), Range: r}
}

// NewFloat returns a float at r.
func NewFloat(f float64, r source.Range) *Value { return &Value{Kind: Float, Float: f, Range: r} }

// NewString returns a string at r.
func NewString(s string, r source.Range) *Value { return &Value{Kind: String, Str: s, Range: r} }

// NewList returns a list at r.
func NewList(items []*Value, r source.Range) *Value { return &Value{Kind: List, List: items, Range: r} }

// NewMap returns a map at r.
func NewMap(m *Mapping, r source.Range) *Value {
	if m == nil {
		m = &Mapping{}
	}
	return &Value{Kind: Map, Map: m, Range: r}
}

// NewUnknown returns a value only a live cloud knows, with the reason.
func NewUnknown(reason string, r source.Range) *Value {
	return &Value{Kind: Unknown, Str: reason, Range: r}
}

// IsNull reports whether v is nil or a null.
func (v *Value) IsNull() bool { return v == nil || v.Kind == Null }

// KindOf returns the kind of v, Null for nil.
func KindOf(v *Value) Kind {
	if v == nil {
		return Null
	}
	return v.Kind
}

// At returns a shallow copy of v placed at r; the copy shares v's items.
func (v *Value) At(r source.Range) *Value {
	c := *v
	c.Range = r
	c.Via = nil
	return &c
}

// IsInteger reports whether v is an Int (not a Bool).
func (v *Value) IsInteger() bool { return v != nil && v.Kind == Int }

// IsNumber reports whether v is an Int or a Float.
func (v *Value) IsNumber() bool { return v != nil && (v.Kind == Int || v.Kind == Float) }

// ContainsUnknown reports whether v or anything inside it is unknown.
func (v *Value) ContainsUnknown() bool {
	if v == nil {
		return false
	}
	switch v.Kind {
	case Unknown:
		return true
	case List:
		for _, it := range v.List {
			if it.ContainsUnknown() {
				return true
			}
		}
	case Map:
		for _, e := range v.Map.entries {
			if e.Val.ContainsUnknown() {
				return true
			}
		}
	}
	return false
}

// FirstUnknown returns the first unknown value inside v, depth first, or nil.
func (v *Value) FirstUnknown() *Value {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case Unknown:
		return v
	case List:
		for _, it := range v.List {
			if u := it.FirstUnknown(); u != nil {
				return u
			}
		}
	case Map:
		for _, e := range v.Map.entries {
			if u := e.Val.FirstUnknown(); u != nil {
				return u
			}
		}
	}
	return nil
}

// Get returns v[k] when v is a map holding k, else nil; v may be nil.
func Get(v *Value, k string) *Value {
	if v == nil || v.Kind != Map {
		return nil
	}
	x, _ := v.Map.Get(k)
	return x
}

// ItemsOf returns v's items when v is a list, else nil; v may be nil.
func ItemsOf(v *Value) []*Value {
	if v == nil || v.Kind != List {
		return nil
	}
	return v.List
}

// StringItems returns the strings of v when v is a list (its other items
// left out), else nil; v may be nil.
func StringItems(v *Value) []string {
	var out []string
	for _, it := range ItemsOf(v) {
		if it.Kind == String {
			out = append(out, it.Str)
		}
	}
	return out
}

// StringOf returns v's string and whether v is a string; v may be nil.
func StringOf(v *Value) (string, bool) {
	if v == nil || v.Kind != String {
		return "", false
	}
	return v.Str, true
}
