package jsonnet

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"hoist/diag"
	"hoist/source"
	"hoist/value"
)

// write creates files under a temporary folder and returns it.
func write(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// display names files by their base name, so that expectations do not
// depend on the temporary folder.
var display = Options{Display: filepath.Base}

// at returns the value at a dotted path (list items by number).
func at(t *testing.T, v *value.Value, path string) *value.Value {
	t.Helper()
	for _, el := range strings.Split(path, ".") {
		switch v.Kind {
		case value.Map:
			next, ok := v.Map.Get(el)
			if !ok {
				t.Fatalf("no key %q on the way to %s", el, path)
			}
			v = next
		case value.List:
			var i int
			for _, c := range el {
				i = i*10 + int(c-'0')
			}
			v = v.List[i]
		default:
			t.Fatalf("%s: %q is not a container", path, el)
		}
	}
	return v
}

func keyAt(t *testing.T, v *value.Value, path string) *value.Value {
	t.Helper()
	i := strings.LastIndex(path, ".")
	parent := v
	if i >= 0 {
		parent = at(t, v, path[:i])
	}
	e, ok := parent.Map.Entry(path[i+1:])
	if !ok {
		t.Fatalf("no key %s", path)
	}
	return e.Key
}

func pos(r source.Range) string { return r.String() }

func TestLiteralPositions(t *testing.T) {
	dir := write(t, map[string]string{"svc.jsonnet": `local image = {get_param: 'DockerXImage'};
{
  heat_template_version: 'queens',
  outputs: {
    role_data: {
      value: {
        service_name: 'x',
        'quoted::key': [1, 'two', 3.5],
        docker_config: {
          step_4: { x: { image: image, net: 'hôst', privileged: false } },
        },
      },
    },
  },
}
`})
	v, err := EvaluateFile(filepath.Join(dir, "svc.jsonnet"), display)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path, key, val string
	}{
		{"heat_template_version", "svc.jsonnet:3:3", "svc.jsonnet:3:26"},
		{"outputs.role_data.value.service_name", "svc.jsonnet:7:9", "svc.jsonnet:7:23"},
		{"outputs.role_data.value.quoted::key", "svc.jsonnet:8:9", "svc.jsonnet:8:24"},
		{"outputs.role_data.value.docker_config.step_4.x.image", "svc.jsonnet:10:26", "svc.jsonnet:1:15"},
		{"outputs.role_data.value.docker_config.step_4.x.privileged", "svc.jsonnet:10:53", "svc.jsonnet:10:65"},
	} {
		if got := pos(keyAt(t, v, c.path).Range); got != c.key {
			t.Errorf("key %s at %s, want %s", c.path, got, c.key)
		}
		if got := pos(at(t, v, c.path).Range); got != c.val {
			t.Errorf("value %s at %s, want %s", c.path, got, c.val)
		}
	}
	// Items of a list literal; a column after a non-ASCII character
	// counts characters.
	if got := pos(at(t, v, "outputs.role_data.value.quoted::key.1").Range); got != "svc.jsonnet:8:28" {
		t.Errorf("list item at %s", got)
	}
	net := at(t, v, "outputs.role_data.value.docker_config.step_4.x.net")
	if net.Str != "hôst" {
		t.Errorf("net = %q", net.Str)
	}
	if got := pos(keyAt(t, v, "outputs.role_data.value.docker_config.step_4.x.privileged").Range); got != "svc.jsonnet:10:53" {
		t.Errorf("key after a non-ASCII string at %s", got)
	}
	// Numbers: integers stay integers, as Python's json reads them.
	if n := at(t, v, "outputs.role_data.value.quoted::key.0"); n.Kind != value.Int || n.Int != 1 {
		t.Errorf("1 became %v", value.Repr(n))
	}
	if n := at(t, v, "outputs.role_data.value.quoted::key.2"); n.Kind != value.Float || n.Float != 3.5 {
		t.Errorf("3.5 became %v", value.Repr(n))
	}
}

func TestStdlibHelpersKeepUserPositions(t *testing.T) {
	dir := write(t, map[string]string{"svc.jsonnet": `local hoist = import 'hoist/service.libsonnet';
local image = hoist.param('DockerGlanceApiImage');
hoist.service(
  name='glance_api',
  description='Glance API',
  roleData={
    docker_config: {
      step_4: {
        glance_api: hoist.container(image, volumes=[
          '/var/lib/glance:/var/lib/glance',
        ]) + { start_order: 2 },
      },
    },
  },
)
`})
	v, err := EvaluateFile(filepath.Join(dir, "svc.jsonnet"), display)
	if err != nil {
		t.Fatal(err)
	}
	c := at(t, v, "outputs.role_data.value.docker_config.step_4.glance_api")
	for _, x := range []struct{ path, want string }{
		// Written in the user's file: their own position.
		{"start_order", "svc.jsonnet:11:29"},
		{"image", "svc.jsonnet:2:15"},
		{"volumes.10", "svc.jsonnet:10:11"},
		// Made by the library: the call that brought them in.
		{"net", "svc.jsonnet:9:21"},
		{"volumes.0", "svc.jsonnet:9:21"},
	} {
		if got := pos(at(t, c, x.path).Range); got != x.want {
			t.Errorf("%s at %s, want %s", x.path, got, x.want)
		}
	}
	if got := pos(at(t, v, "outputs.role_data.value.service_name").Range); got != "svc.jsonnet:4:8" {
		t.Errorf("service_name at %s", got)
	}
	if got := at(t, v, "parameters.RoleName.type").Str; got != "string" {
		t.Errorf("standard parameters: RoleName type %q", got)
	}
	if got := at(t, c, "volumes.0").Str; got != "/etc/hosts:/etc/hosts:ro" {
		t.Errorf("common volumes first %q", got)
	}
}

func TestPlusSuperAndConditionals(t *testing.T) {
	dir := write(t, map[string]string{"a.jsonnet": `local base = { a: { x: 1 }, b: 2 };
local extra(on) = if on then { c: 3 } else {};
base + {
  a+: { y: 4 },
} + extra(true)
`})
	v, err := EvaluateFile(filepath.Join(dir, "a.jsonnet"), display)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []struct{ path, want string }{
		{"a.x", "a.jsonnet:1:24"},
		{"a.y", "a.jsonnet:4:12"},
		{"b", "a.jsonnet:1:32"},
		{"c", "a.jsonnet:2:35"},
	} {
		if got := pos(at(t, v, x.path).Range); got != x.want {
			t.Errorf("%s at %s, want %s", x.path, got, x.want)
		}
	}
}

func TestImportsFromOwnFolderAndLibraryPaths(t *testing.T) {
	dir := write(t, map[string]string{
		"svc/a.jsonnet":          `(import 'local.libsonnet') + (import 'shared.libsonnet')`,
		"svc/local.libsonnet":    `{ here: 1 }`,
		"lib/shared.libsonnet":   `{ there: 2 }`,
		"other/shared.libsonnet": `{ wrong: 3 }`,
	})
	v, err := EvaluateFile(filepath.Join(dir, "svc/a.jsonnet"), Options{JPaths: []string{filepath.Join(dir, "lib")}, Display: filepath.Base})
	if err != nil {
		t.Fatal(err)
	}
	if at(t, v, "here").Int != 1 || at(t, v, "there").Int != 2 {
		t.Fatalf("got %s", value.Repr(v))
	}
	// A value from another user file keeps that file's position.
	if got := pos(at(t, v, "there").Range); got != "shared.libsonnet:1:10" {
		t.Errorf("imported value at %s", got)
	}
}

func diagOf(t *testing.T, err error) *diag.Diagnostic {
	t.Helper()
	var d *diag.Diagnostic
	if !errors.As(err, &d) {
		t.Fatalf("error %v (%T) is not a diagnostic", err, err)
	}
	return d
}

func TestErrorsKeepLineAndColumn(t *testing.T) {
	for _, c := range []struct {
		name, src, rule, at, msg string
	}{
		{"syntax", "{\n  a: 1,\n  b: ,\n}\n", RuleSyntax, "x.jsonnet:3:6", "unexpected"},
		{"unknown variable", "{\n  a: nope,\n}\n", RuleSyntax, "x.jsonnet:2:6", "unknown variable: nope"},
		{"error", "local f(x) = error 'bad value ' + x;\n{\n  a: f('q'),\n}\n", RuleRuntime, "x.jsonnet:1:14", "bad value q"},
		{"assert", "{\n  assert self.a > 1 : 'a must exceed 1',\n  a: 1,\n}\n", RuleRuntime, "x.jsonnet:2:3", "a must exceed 1"},
		{"type", "{\n  a: [1] + {},\n}\n", RuleRuntime, "x.jsonnet:2:6", "array"},
		{"missing import", "{\n  a: import 'nowhere.libsonnet',\n}\n", RuleRuntime, "x.jsonnet:2:6", `cannot find import "nowhere.libsonnet"`},
		{"missing stdlib file", "import 'hoist/nothing.libsonnet'\n", RuleRuntime, "x.jsonnet:1:1", `"hoist/service.libsonnet"`},
		{"function", "function(x) x\n", RuleOutput, "x.jsonnet:1:1", "the file is a function"},
		{"recursion", "local f(x) = f(x + 1) + 1;\nf(0)\n", RuleRuntime, "x.jsonnet:1:14", "max stack frames exceeded"},
		{"function with locals", "local a = 1;\nfunction(x) x + a\n", RuleOutput, "x.jsonnet:2:1", "the file is a function"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := write(t, map[string]string{"x.jsonnet": c.src})
			_, err := EvaluateFile(filepath.Join(dir, "x.jsonnet"), display)
			if err == nil {
				t.Fatal("no error")
			}
			d := diagOf(t, err)
			if d.Rule != c.rule || pos(d.Range) != c.at || !strings.Contains(d.Message, c.msg) {
				t.Errorf("got %s, want %s at %s containing %q", d.Line(), c.rule, c.at, c.msg)
			}
			if d.Message != "" && d.Message[0] >= 'A' && d.Message[0] <= 'Z' {
				t.Errorf("message %q is not lower-case", d.Message)
			}
		})
	}
}

func TestErrorInLibraryNamesTheCall(t *testing.T) {
	dir := write(t, map[string]string{"x.jsonnet": "local hoist = import 'hoist/service.libsonnet';\n{\n  v: hoist.kollaVolumes('a'),\n}\n"})
	_, err := EvaluateFile(filepath.Join(dir, "x.jsonnet"), display)
	d := diagOf(t, err)
	var notes []string
	for _, r := range d.Related {
		notes = append(notes, r.Range.String())
	}
	joined := strings.Join(notes, " ")
	if d.Range.String() != "x.jsonnet:3:6" && !strings.Contains(joined, "x.jsonnet:3:6") {
		t.Errorf("error %s (notes %s) does not point at the call at x.jsonnet:3:6", d.Line(), joined)
	}
}

func TestTimeout(t *testing.T) {
	dir := write(t, map[string]string{"slow.jsonnet": "local f(n) = if n == 0 then 0 else f(n - 1) + f(n - 1);\nf(21)\n"})
	start := time.Now()
	_, err := EvaluateFile(filepath.Join(dir, "slow.jsonnet"), Options{Timeout: 20 * time.Millisecond, Display: filepath.Base})
	d := diagOf(t, err)
	if d.Rule != RuleOutput || !strings.Contains(d.Message, "did not finish within 20ms") {
		t.Errorf("got %s", d.Line())
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("the timeout did not stop the wait")
	}
}

func TestMaxOutput(t *testing.T) {
	dir := write(t, map[string]string{"big.jsonnet": "[std.repeat('x', 1000) for i in std.range(1, 100)]\n"})
	_, err := EvaluateFile(filepath.Join(dir, "big.jsonnet"), Options{MaxOutput: 10000, Display: filepath.Base})
	if d := diagOf(t, err); d.Rule != RuleOutput || !strings.Contains(d.Message, "more than the limit of 10000") {
		t.Errorf("got %s", d.Line())
	}
}

func TestReadFileIsUsedForImports(t *testing.T) {
	files := map[string]string{"/virtual/a.jsonnet": "import 'b.libsonnet'", "/virtual/b.libsonnet": "{ b: true }"}
	o := Options{ReadFile: func(name string) ([]byte, error) {
		if s, ok := files[name]; ok {
			return []byte(s), nil
		}
		return nil, os.ErrNotExist
	}}
	v, err := EvaluateFile("/virtual/a.jsonnet", o)
	if err != nil {
		t.Fatal(err)
	}
	if !at(t, v, "b").Bool {
		t.Errorf("got %s", value.Repr(v))
	}
	if _, err := EvaluateFile("/virtual/none.jsonnet", o); err == nil || !strings.Contains(err.Error(), "cannot read jsonnet file") {
		t.Errorf("missing file: %v", err)
	}
}

// TestConcurrentEvaluation evaluates from many goroutines at once (run
// with -race by make test): every evaluation has its own VM.
func TestConcurrentEvaluation(t *testing.T) {
	dir := write(t, map[string]string{"svc.jsonnet": `local hoist = import 'hoist/service.libsonnet';
hoist.service('x', 'X', { kolla_config: { '/var/lib/kolla/config_files/x.json': hoist.kollaConfig('/usr/bin/x') } })
`})
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := EvaluateFile(filepath.Join(dir, "svc.jsonnet"), display)
			if err == nil && at(t, v, "outputs.role_data.value.service_name").Str != "x" {
				err = errors.New("wrong result")
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestStdlibFiles(t *testing.T) {
	files := StdlibFiles()
	found := false
	for _, f := range files {
		if f == "hoist/service.libsonnet" {
			found = true
		}
	}
	if !found {
		t.Errorf("StdlibFiles() = %v", files)
	}
	if !IsJsonnet("a/b.jsonnet") || IsJsonnet("a/b.libsonnet") || IsJsonnet("a.yaml") {
		t.Error("IsJsonnet")
	}
}

func TestImports(t *testing.T) {
	dir := write(t, map[string]string{
		"a.jsonnet":       "local h = import 'hoist/service.libsonnet';\n(import 'lib/b.libsonnet') + { s: importstr 'c.txt' }\n",
		"lib/b.libsonnet": "import 'd.libsonnet'",
		"lib/d.libsonnet": "{}",
		"c.txt":           "text",
	})
	src, _ := os.ReadFile(filepath.Join(dir, "a.jsonnet"))
	got, err := Imports(filepath.Join(dir, "a.jsonnet"), src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "c.txt"), filepath.Join(dir, "lib/b.libsonnet"), filepath.Join(dir, "lib/d.libsonnet")}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Imports = %v, want %v", got, want)
	}
}
