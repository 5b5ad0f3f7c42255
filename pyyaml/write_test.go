package pyyaml

import (
	"strings"
	"testing"

	"hoist/value"
)

// TestWriteReadsBack writes values and loads the text back with PyYAML's
// rules: strings that YAML 1.1 would read as booleans, numbers or null
// stay strings, and keys come out sorted.
func TestWriteReadsBack(t *testing.T) {
	src := `{"b": ["yes", "no", "on", "OFF", "y", "~", "null", "", "0600", "1:30", "-1", "+1", ".5", "<<", "=", "plain text"],
"a": {"int": 3, "float": 1.5, "bool": true, "null": null, "nested": [1, [2, {"k": "v"}]]}}`
	in := load(t, src).Root
	var b strings.Builder
	if err := Write(&b, in); err != nil {
		t.Fatal(err)
	}
	out := load(t, b.String()).Root
	sorted := func(v *value.Value) string {
		var b strings.Builder
		_ = value.WriteJSON(&b, v, value.JSONOptions{Compact: true, SortKeys: true})
		return b.String()
	}
	if got, want := sorted(out), sorted(in); got != want {
		t.Errorf("read back as\n%s\nwant\n%s\nfrom\n%s", got, want, b.String())
	}
	if !strings.HasPrefix(b.String(), "a:\n") {
		t.Errorf("keys not sorted:\n%s", b.String())
	}
}
