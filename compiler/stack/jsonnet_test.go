package stack

import (
	"errors"
	"strings"
	"testing"

	"hoist/diag"
	"hoist/value"
)

// Templates written in Jsonnet (compiler/jsonnet) go through the same
// instantiation as YAML ones: as the top template, as a resource type
// written as a path, and through the registry.

const jsonnetChild = `local hoist = import 'hoist/service.libsonnet';
hoist.service(
  name='child',
  description='A service written in Jsonnet.',
  parameters={ ChildPort: { type: 'number', default: 8080 } },
  roleData={
    config_settings: {
      'child::port': hoist.param('ChildPort'),
      'child::role': hoist.param('RoleName'),
    },
  },
)
`

const yamlParent = `heat_template_version: queens
parameters:
  RoleName: {type: string, default: ''}
resources:
  ByPath:
    type: ./child.jsonnet
    properties:
      RoleName: {get_param: RoleName}
  ByRegistry:
    type: OS::TripleO::Services::Child
    properties:
      RoleName: registry
outputs:
  by_path: {value: {get_attr: [ByPath, role_data]}}
  by_registry: {value: {get_attr: [ByRegistry, role_data, config_settings]}}
`

func TestJsonnetTemplates(t *testing.T) {
	fs := vfs{
		"parent.yaml":   yamlParent,
		"child.jsonnet": jsonnetChild,
		"env.yaml": `resource_registry:
  OS::TripleO::Services::Child: child.jsonnet
parameter_defaults:
  ChildPort: 9090
`,
	}
	out, err := evalVFS(t, fs, "parent.yaml", []string{"env.yaml"}, "RoleName: Controller")
	if err != nil {
		t.Fatal(err)
	}
	got := value.Dumps(out)
	for _, want := range []string{
		`"by_path": {"config_settings": {"child::port": 9090, "child::role": "Controller"}, "service_name": "child"}`,
		`"by_registry": {"child::port": 9090, "child::role": "registry"}`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("outputs %s\nlack %s", got, want)
		}
	}
	// Values keep their place in the .jsonnet file.
	bp, _ := out.Map.Get("by_path")
	name, _ := bp.Map.Get("service_name")
	if name.Range.String() != "child.jsonnet:3:8" {
		t.Errorf("service_name at %s", name.Range)
	}
}

func TestJsonnetTopTemplate(t *testing.T) {
	out, err := evalVFS(t, vfs{"child.jsonnet": jsonnetChild}, "child.jsonnet", nil, "RoleName: Compute")
	if err != nil {
		t.Fatal(err)
	}
	if got := value.Dumps(out); !strings.Contains(got, `"child::port": 8080, "child::role": "Compute"`) {
		t.Errorf("outputs %s", got)
	}
}

func TestJsonnetTemplateError(t *testing.T) {
	fs := vfs{
		"parent.yaml":   yamlParent,
		"child.jsonnet": "local hoist = import 'hoist/service.libsonnet';\n{\n  heat_template_version: 'queens',\n  outputs: { role_data: { value: hoist.nothing } },\n}\n",
		"env.yaml":      "resource_registry:\n  OS::TripleO::Services::Child: child.jsonnet\n",
	}
	_, err := evalVFS(t, fs, "parent.yaml", []string{"env.yaml"}, "")
	var d *diag.Diagnostic
	if !errors.As(err, &d) {
		t.Fatalf("error %v is not a diagnostic", err)
	}
	if d.Rule != "jsonnet/runtime" || d.Range.String() != "child.jsonnet:4:34" || !strings.Contains(d.Message, "nothing") {
		t.Errorf("got %s", d.Line())
	}
}
