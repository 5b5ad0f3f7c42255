package value

import (
	"testing"

	"hoist/source"
)

func TestGetAndStringOf(t *testing.T) {
	m := NewMapping(1)
	m.Set(NewString("k", source.Range{}), NewString("v", source.Range{}))
	doc := NewMap(m, source.Range{})
	if s, ok := StringOf(Get(doc, "k")); !ok || s != "v" {
		t.Errorf("Get(doc, k) = %q, %v", s, ok)
	}
	if Get(doc, "missing") != nil || Get(nil, "k") != nil || Get(NewString("x", source.Range{}), "k") != nil {
		t.Error("Get of a missing key, nil or a non-map is not nil")
	}
	if _, ok := StringOf(nil); ok {
		t.Error("StringOf(nil) is a string")
	}
	if _, ok := StringOf(NewInt(1, source.Range{})); ok {
		t.Error("StringOf(1) is a string")
	}
}
