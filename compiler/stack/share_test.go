package stack

import (
	"os"
	"path/filepath"
	"testing"

	"hoist/pyyaml"
	"hoist/value"
)

// TestLoaderSharesDocuments: a document offered for a file is what the
// loader builds the template from, unless heatclient's strip would load
// the text differently (a block scalar at the end loses its final line
// break); and a template the loader loaded is shared back.
func TestLoaderSharesDocuments(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	output := func(l *Loader, p string) *value.Value {
		t.Helper()
		st, err := Top(p, Options{Loader: l})
		if err != nil {
			t.Fatal(err)
		}
		v, err := st.Output("a")
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	plain := "heat_template_version: queens\noutputs:\n  a: {value: written}\n"
	p := write("plain.yaml", plain)
	l := NewLoader()
	name := l.Display(p)
	// The loader trusts the offer: the output is the offered document's.
	other, err := pyyaml.Load(name, []byte("heat_template_version: queens\noutputs:\n  a: {value: offered}\n"), pyyaml.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	l.Offer(p, name, []byte(plain), other)
	if got := output(l, p); got.Str != "offered" {
		t.Errorf("offered document not used: %s", value.Str(got))
	}
	// A block scalar ends the text: the strip drops its line break, so
	// the offer is refused and the loader loads the stripped text.
	block := "heat_template_version: queens\noutputs:\n  a:\n    value: |\n      x\n"
	p = write("block.yaml", block)
	l = NewLoader()
	doc, err := pyyaml.Load(l.Display(p), []byte(block), pyyaml.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	l.Offer(p, l.Display(p), []byte(block), doc)
	if got := output(l, p); got.Str != "x" {
		t.Errorf("block scalar at the end: %q, want \"x\" (heatclient's strip)", got.Str)
	}
	if l.Shared(p, l.Display(p), []byte(block)) != nil {
		t.Error("a document the strip changes was shared")
	}
	// A template the loader loaded is shared with the next reader, for
	// the same text and name only.
	p = write("plain2.yaml", plain)
	l = NewLoader()
	output(l, p)
	if l.Shared(p, l.Display(p), []byte(plain)) == nil {
		t.Error("the loaded document was not shared")
	}
	if l.Shared(p, l.Display(p), []byte(plain+"# edited\n")) != nil || l.Shared(p, "elsewhere.yaml", []byte(plain)) != nil {
		t.Error("shared for other text or another name")
	}
}
