package value_test

import (
	"testing"

	"hoist/value"
)

func TestBuild(t *testing.T) {
	o := value.NewObject()
	o.Set("b", value.Number(2))
	o.Set("a", value.Texts([]string{"x", "y"}))
	o.Set("b", value.Text("again"))
	o.Set("c", value.Sequence(nil))
	if got, want := value.Dumps(o.Value()), `{"a": ["x", "y"], "b": "again", "c": []}`; got != want {
		t.Errorf("Dumps: %s, want %s", got, want)
	}
	if keys := o.Mapping().Keys(); len(keys) != 3 || keys[0].Str != "b" {
		t.Errorf("an Object keeps the order keys were first set in: %v", keys)
	}
	if !o.Value().Range.IsZero() || !value.Text("x").Range.IsZero() {
		t.Error("values hoist makes have no source range")
	}
}
