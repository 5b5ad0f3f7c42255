package environment

import (
	"os"
	"strings"
	"testing"

	"hoist/value"
)

type files map[string]string

func (f files) read(name string) ([]byte, error) {
	if s, ok := f[name]; ok {
		return []byte(s), nil
	}
	return nil, os.ErrNotExist
}

func load(t *testing.T, fs files, names ...string) *Env {
	t.Helper()
	m, err := LoadFilesFS(fs.read, names...)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func js(v *value.Value) string {
	var b strings.Builder
	_ = value.WriteJSON(&b, v, value.JSONOptions{SortKeys: true})
	return b.String()
}

func TestDeepUpdate(t *testing.T) {
	fs := files{
		"/e/1.yaml": "parameter_defaults: {M: {a: {x: 1}, l: [1, 2]}, S: one, K: {k: 1}}\nparameters: {P: 1}",
		"/e/2.yaml": "parameter_defaults: {M: {a: {y: 2}, l: [3]}, S: null, K: null}\nparameters: {Q: 2}",
	}
	e := load(t, fs, "/e/1.yaml", "/e/2.yaml")
	if got, want := js(value.NewMap(e.ParameterDefaults(), e.Root.Range)), `{"K": {"k": 1}, "M": {"a": {"x": 1, "y": 2}, "l": [3]}, "S": null}`; got != want {
		t.Errorf("parameter_defaults %s, want %s", got, want)
	}
	if got, want := js(value.NewMap(e.Parameters(), e.Root.Range)), `{"P": 1, "Q": 2}`; got != want {
		t.Errorf("parameters %s, want %s", got, want)
	}
	if len(e.Files) != 2 {
		t.Errorf("files %v", e.Files)
	}
}

func TestDeepUpdateMapOverScalarFails(t *testing.T) {
	fs := files{"/e/1.yaml": "parameter_defaults: {M: 1}", "/e/2.yaml": "parameter_defaults: {M: {a: 1}}"}
	a, _ := LoadFileFS("/e/1.yaml", fs.read)
	b, _ := LoadFileFS("/e/2.yaml", fs.read)
	if _, err := Merge(a, b); err == nil || !strings.Contains(err.Error(), "cannot merge a map") {
		t.Errorf("want a merge error, got %v", err)
	}
}

func TestRegistryPathsRelativeToEachFile(t *testing.T) {
	fs := files{
		"/tht/environments/docker.yaml": "resource_registry:\n  OS::A: ../docker/a.yaml\n  OS::B: OS::Heat::None\n  resources: {r1: {OS::C: sub/c.yaml, hooks: pre-create}}",
		"/tht/other/x.yaml":             "resource_registry:\n  base_url: /base\n  OS::D: d.yaml",
	}
	e := load(t, fs, "/tht/environments/docker.yaml", "/tht/other/x.yaml")
	reg := e.Registry()
	for _, tc := range []struct{ typ, res, want string }{
		{"OS::A", "", "/tht/docker/a.yaml"},
		{"OS::B", "", "builtin OS::Heat::None"},
		{"OS::C", "r1", "/tht/environments/sub/c.yaml"},
		{"OS::D", "", "/base/d.yaml"},
	} {
		r, err := reg.Resolve(tc.typ, tc.res)
		if err != nil {
			t.Errorf("%s: %v", tc.typ, err)
			continue
		}
		got := r.Template
		if got == "" {
			got = "builtin " + r.Builtin
		}
		if got != tc.want {
			t.Errorf("%s → %s, want %s", tc.typ, got, tc.want)
		}
	}
}

func TestRegistryResolve(t *testing.T) {
	fs := files{"/e.yaml": `resource_registry:
  OS::Svc::A: /t/a.yaml
  OS::Svc::Alias: OS::Svc::A
  OS::Svc::Off: OS::Heat::None
  OS::Glob::*: OS::Svc::*
  OS::Many::*: OS::Heat::None
  OS::Heat::RandomString: /t/random.yaml
  OS::Deleted: /t/x.yaml
  resources:
    special: {OS::Svc::A: /t/special.yaml}
`, "/e2.yaml": "resource_registry: {OS::Deleted: null}"}
	reg := load(t, fs, "/e.yaml", "/e2.yaml").Registry()
	for _, tc := range []struct{ typ, res, want string }{
		{"OS::Svc::A", "r", "/t/a.yaml"},
		{"OS::Svc::A", "special", "/t/special.yaml"},
		{"OS::Svc::Alias", "r", "/t/a.yaml"},
		{"OS::Svc::Alias", "special", "/t/special.yaml"},
		{"OS::Svc::Off", "r", "builtin OS::Heat::None"},
		{"OS::Glob::A", "r", "/t/a.yaml"},
		{"OS::Many::Whatever", "r", "builtin OS::Heat::None"},
		{"OS::Heat::RandomString", "r", "/t/random.yaml"},
		{"OS::Heat::Value", "r", "builtin OS::Heat::Value"},
		{"/t/direct.yaml", "r", "/t/direct.yaml"},
		{"OS::Deleted", "r", "error"},
		{"OS::Nope", "r", "error"},
	} {
		r, err := reg.Resolve(tc.typ, tc.res)
		got := "error"
		if err == nil {
			got = r.Template
			if got == "" {
				got = "builtin " + r.Builtin
			}
		}
		if got != tc.want {
			t.Errorf("%s (%s) → %s, want %s (%v)", tc.typ, tc.res, got, tc.want, err)
		}
	}
}

func TestRegistryChildRemovesTheEntryUsed(t *testing.T) {
	fs := files{"/e.yaml": "resource_registry:\n  OS::Svc::A: /t/a.yaml\n  OS::Svc::B: /t/b.yaml\n  resources: {outer: {inner: {OS::Svc::B: /t/inner-b.yaml}}, 'out*': {x: {OS::Svc::B: /t/x.yaml}}}"}
	reg := load(t, fs, "/e.yaml").Registry()
	res, err := reg.Resolve("OS::Svc::A", "outer")
	if err != nil {
		t.Fatal(err)
	}
	child := reg.Child(res, "outer")
	if _, err := child.Resolve("OS::Svc::A", "r"); err == nil {
		t.Error("the entry that instantiated the child must be removed from its registry")
	}
	if r, err := child.Resolve("OS::Svc::B", "inner"); err != nil || r.Template != "/t/inner-b.yaml" {
		t.Errorf("resources: overrides for the child's resources: %v %v", r, err)
	}
	if r, err := child.Resolve("OS::Svc::B", "x"); err != nil || r.Template != "/t/x.yaml" {
		t.Errorf("glob resources: overrides: %v %v", r, err)
	}
	if r, err := reg.Resolve("OS::Svc::A", "r"); err != nil || r.Template != "/t/a.yaml" {
		t.Errorf("the parent registry must not change: %v %v", r, err)
	}
}

func TestRegistryLoop(t *testing.T) {
	fs := files{"/e.yaml": "resource_registry: {OS::A: OS::B, OS::B: OS::C, OS::C: OS::A}"}
	reg := load(t, fs, "/e.yaml").Registry()
	if _, err := reg.Resolve("OS::A", ""); err == nil || !strings.Contains(err.Error(), "loop") {
		t.Errorf("want a loop error, got %v", err)
	}
}

func TestBadEnvironments(t *testing.T) {
	for src, want := range map[string]string{
		"- a":                           "must be a mapping",
		"parameters: {}\nresources: {}": `wrong section "resources"`,
		"parameter_defaults: [1]":       "must be a mapping",
		"resource_registry: {OS::A: 'http://x/y.yaml'}": "remote template",
	} {
		_, err := LoadFileFS("/e.yaml", files{"/e.yaml": src}.read)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: want an error with %q, got %v", src, want, err)
		}
	}
	if _, err := LoadFileFS("/missing.yaml", files{}.read); err == nil {
		t.Error("a missing file must be an error")
	}
	e, err := LoadFileFS("/e.yaml", files{"/e.yaml": ""}.read)
	if err != nil || e.Parameters().Len() != 0 {
		t.Errorf("an empty environment: %v", err)
	}
}
