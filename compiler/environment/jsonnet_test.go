package environment

import (
	"errors"
	"strings"
	"testing"

	"hoist/diag"
)

// An environment may be a Jsonnet file (compiler/jsonnet): its document is
// what the program yields, and then it is an environment like any other.
func TestJsonnetEnvironment(t *testing.T) {
	fs := files{
		"/d/env/images.jsonnet": `local registry = 'registry.example:8787/tripleo/';
local image(name) = registry + 'centos-binary-' + name + ':queens';
{
  resource_registry: {
    'OS::TripleO::Services::GlanceApi': '../services/glance-api.jsonnet',
  },
  parameter_defaults: {
    DockerGlanceApiImage: image('glance-api'),
    ServiceNetMap: { GlanceApiNetwork: 'internal_api' },
  },
}
`,
		"/d/env/site.yaml": "parameter_defaults:\n  ServiceNetMap: {KeystoneAdminApiNetwork: ctlplane}\n",
	}
	e := load(t, fs, "/d/env/images.jsonnet", "/d/env/site.yaml")
	pd := js(e.Root)
	for _, want := range []string{
		`"DockerGlanceApiImage": "registry.example:8787/tripleo/centos-binary-glance-api:queens"`,
		`"ServiceNetMap": {"GlanceApiNetwork": "internal_api", "KeystoneAdminApiNetwork": "ctlplane"}`,
	} {
		if !strings.Contains(pd, want) {
			t.Errorf("merged %s\nlacks %s", pd, want)
		}
	}
	res, err := e.Registry().Resolve("OS::TripleO::Services::GlanceApi", "GlanceApi")
	if err != nil {
		t.Fatal(err)
	}
	if res.Template != "/d/services/glance-api.jsonnet" {
		t.Errorf("registry entry resolved to %q, want the .jsonnet template made absolute", res.Template)
	}
	img, _ := e.ParameterDefaults().Get("DockerGlanceApiImage")
	if img.Range.String() != "/d/env/images.jsonnet:2:21" {
		t.Errorf("image parameter at %s, want where the string is built", img.Range)
	}
	if !IsTemplatePath("x/y.jsonnet") || IsTemplatePath("OS::Heat::None") {
		t.Error("IsTemplatePath")
	}
}

func TestJsonnetEnvironmentErrors(t *testing.T) {
	fs := files{
		"/d/bad.jsonnet":   "{\n  parameter_defaults: { A: error 'no value for A' },\n}\n",
		"/d/list.jsonnet":  "[1, 2]\n",
		"/d/wrong.jsonnet": "{ parameter_default: {} }\n",
	}
	for name, want := range map[string]string{
		"/d/bad.jsonnet":   "/d/bad.jsonnet:2:28: error: no value for A [jsonnet/runtime]",
		"/d/list.jsonnet":  "/d/list.jsonnet:1:1: error: an environment must be a mapping",
		"/d/wrong.jsonnet": `/d/wrong.jsonnet:1:3: error: environment has wrong section "parameter_default"`,
	} {
		_, err := LoadFileFS(name, fs.read)
		var d *diag.Diagnostic
		if !errors.As(err, &d) || !strings.HasPrefix(d.Line(), want) {
			t.Errorf("%s: got %v, want %s", name, err, want)
		}
	}
}
