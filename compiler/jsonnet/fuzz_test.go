package jsonnet

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hoist/diag"
)

// FuzzEvaluate: any program yields a value or a diagnostic with a
// position, never a panic or a hang (the time bound is short here).
func FuzzEvaluate(f *testing.F) {
	for _, seed := range []string{
		"{}",
		"{ a: [1, 'two', 3.5], b: { c: null } }",
		"local hoist = import 'hoist/service.libsonnet';\nhoist.service('x', 'X', { docker_config: { step_4: { x: hoist.container(hoist.param('I'), ['/a:/b']) } } })",
		"local f(x) = if x then { a: 1 } else { b: 2 }; f(true) + { a+: 3 }",
		"{ [k]: k for k in ['a', 'b'] }",
		"local o = { a: { b: 1 } }; o { a+: { c: 2 } }",
		"error 'x'",
		"function(x) x",
		"[std.repeat('x', 10) for i in std.range(1, 3)]",
		"{ a: $.b, b: self.a }",
	} {
		f.Add(seed)
	}
	dir := f.TempDir()
	file := filepath.Join(dir, "f.jsonnet")
	f.Fuzz(func(t *testing.T, src string) {
		if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		v, err := Evaluate(file, []byte(src), Options{Timeout: 100 * time.Millisecond, MaxOutput: 1 << 20, Display: filepath.Base})
		if err == nil {
			if v == nil {
				t.Fatal("no value and no error")
			}
			return
		}
		var d *diag.Diagnostic
		if !errors.As(err, &d) {
			t.Fatalf("error %v (%T) is not a diagnostic", err, err)
		}
		if d.Range.File == "" || d.Message == "" || d.Rule == "" {
			t.Fatalf("diagnostic without a place, message or rule: %#v", d)
		}
	})
}
