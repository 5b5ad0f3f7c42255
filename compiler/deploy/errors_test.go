package deploy

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hoist/diag"
	"hoist/internal/testenv"
	"hoist/source"
)

// writeFiles writes name → content under a new temporary folder.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// diagOf returns the one diagnostic err holds.
func diagOf(t *testing.T, err error) *diag.Diagnostic {
	t.Helper()
	if err == nil {
		t.Fatal("the compile succeeded; an error was expected")
	}
	var d *diag.Diagnostic
	if !errors.As(err, &d) {
		var ds Errors
		if errors.As(err, &ds) {
			return ds[0]
		}
		t.Fatalf("not a diagnostic: %T %v", err, err)
	}
	return d
}

func expectAt(t *testing.T, d *diag.Diagnostic, file string, line, col int, msg ...string) {
	t.Helper()
	if d.Range.File != file || int(d.Range.Start.Line) != line || int(d.Range.Start.Col) != col {
		t.Errorf("error at %s, want %s:%d:%d: %s", d.Range, file, line, col, d.Message)
	}
	for _, m := range msg {
		if !strings.Contains(d.Message, m) {
			t.Errorf("message %q does not say %q", d.Message, m)
		}
	}
}

func TestErrorRegistryEntryToMissingTemplate(t *testing.T) {
	root := testenv.Corpus(t)
	dir := writeFiles(t, map[string]string{"site.yaml": `resource_registry:
  OS::TripleO::Services::Keystone: ../no-such/keystone.yaml
`})
	in := Inputs{Templates: Path{Path: root}, Environments: []Path{{Path: filepath.Join(dir, "site.yaml")}}, AllowMissing: true}
	_, err := Compile(in, Options{Base: dir})
	d := diagOf(t, err)
	expectAt(t, d, "site.yaml", 2, 36, "maps OS::TripleO::Services::Keystone to", "no-such/keystone.yaml", "does not exist")
	if len(d.Related) == 0 || !strings.Contains(d.Related[0].Message, "role Controller lists") {
		t.Errorf("related %+v should name the role listing the service", d.Related)
	}
}

func TestErrorUnknownService(t *testing.T) {
	root := testenv.Corpus(t)
	// Listed in an environment's <Role>Services: the error points there.
	dir := writeFiles(t, map[string]string{"site.yaml": `parameter_defaults:
  ComputeServices:
    - OS::TripleO::Services::NovaCompute
    - OS::TripleO::Services::NoSuchService
`})
	in := Inputs{Templates: Path{Path: root}, Environments: []Path{{Path: filepath.Join(dir, "site.yaml")}}, AllowMissing: true}
	_, err := Compile(in, Options{Base: dir})
	d := diagOf(t, err)
	expectAt(t, d, "site.yaml", 4, 7, `role "Compute"`, `service "OS::TripleO::Services::NoSuchService" is not in the resource_registry`)

	// Listed in roles_data's ServicesDefault: the error points at the
	// roles file, not at the registry rendered from it.
	src, err := os.ReadFile(filepath.Join(root, "roles_data.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(src), "    - OS::TripleO::Services::Ptp\n", "    - OS::TripleO::Services::Ptp\n    - OS::TripleO::Services::Typo\n", 1)
	dir = writeFiles(t, map[string]string{"roles_data.yaml": text})
	line := 1 + strings.Count(text[:strings.Index(text, "Services::Typo")], "\n")
	in = Inputs{Templates: Path{Path: root}, RolesFile: Path{Path: filepath.Join(dir, "roles_data.yaml")}, AllowMissing: true}
	_, err = Compile(in, Options{Base: dir})
	d = diagOf(t, err)
	expectAt(t, d, "roles_data.yaml", line, 7, `role "Controller"`, `"OS::TripleO::Services::Typo" is not in the resource_registry`)
}

func TestErrorMissingParameters(t *testing.T) {
	root := testenv.Corpus(t)
	in := queensInputs(t, root)
	in.AllowMissing = false
	_, err := Compile(in, Options{})
	d := diagOf(t, err)
	if d.Rule != RuleMissing {
		t.Fatalf("rule %s: %v", d.Rule, d)
	}
	// One error, each parameter once with the line declaring it.
	if !strings.Contains(d.Message, "DockerKeystoneImage") || !strings.Contains(d.Message, "AdminPassword") {
		t.Errorf("message: %s", d.Message)
	}
	seen := map[string]bool{}
	for _, r := range d.Related {
		name := strings.Fields(r.Message)[0]
		if seen[name] {
			t.Errorf("%s listed twice", name)
		}
		seen[name] = true
		if r.Range.Start.Line == 0 || r.Range.File == "" {
			t.Errorf("%s has no position", name)
		}
	}
	if !seen["DockerKeystoneImage"] {
		t.Error("DockerKeystoneImage not listed")
	}
}

// TestErrorOutputCannotRender: a Jinja2 template the compile needs
// includes a file the tree does not have: the Jinja2 diagnostic comes
// first, then where the output was needed.
func TestErrorOutputCannotRender(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"roles_data.yaml":   "- name: Controller\n  ServicesDefault: []\n",
		"network_data.yaml": "[]\n",
		"overcloud.yaml": `heat_template_version: queens
parameters:
  ControllerCount: {type: number, default: 1}
  ControllerHostnameFormat: {type: string, default: '%stackname%-controller-%index%'}
  ControllerServices: {type: comma_delimited_list, default: []}
resources:
  Networks:
    type: OS::TripleO::Network
  ControllerServiceChain:
    type: OS::TripleO::ControllerServices
    properties:
      Services: {get_param: ControllerServices}
      ServiceData: {get_attr: [Networks, net_cidr_map]}
`,
		"overcloud-resource-registry-puppet.yaml": `resource_registry:
  OS::TripleO::Network: network/networks.yaml
  OS::TripleO::ControllerServices: common/services.yaml
`,
		"network/networks.j2.yaml": `heat_template_version: queens
{% include 'network.j2' %}
`,
		"common/services.yaml": `heat_template_version: queens
parameters:
  Services: {type: comma_delimited_list}
  ServiceData: {type: json}
resources:
  ServiceChain:
    type: OS::Heat::ResourceChain
    properties:
      resources: {get_param: Services}
outputs:
  role_data:
    value: {service_names: []}
`,
	})
	_, err := Compile(Inputs{Templates: Path{Path: dir}, AllowMissing: true}, Options{Base: dir})
	var ds Errors
	if !errors.As(err, &ds) || len(ds) < 2 {
		t.Fatalf("expected the Jinja2 diagnostic and the resource that needed it, got %v", err)
	}
	if ds[0].Rule != "jinja/missing-include" || !strings.Contains(ds[0].Message, `"network.j2" not found`) {
		t.Errorf("first diagnostic: %v", ds[0])
	}
	if !strings.Contains(ds[1].Error(), "network/networks.yaml") {
		t.Errorf("second diagnostic should say where the output was needed: %v", ds[1])
	}
}

func TestErrorRoleChainNotInRegistry(t *testing.T) {
	// A tree whose registry does not map the role's service chain type (a
	// pike-era layout, or a broken registry): an error naming the type, not
	// a crash.
	dir := writeFiles(t, map[string]string{
		"roles_data.yaml":   "- name: Controller\n  ServicesDefault: []\n",
		"network_data.yaml": "[]\n",
		"overcloud.yaml": `heat_template_version: queens
parameters:
  ControllerCount: {type: number, default: 1}
  ControllerHostnameFormat: {type: string, default: '%stackname%-controller-%index%'}
  ControllerServices: {type: comma_delimited_list, default: []}
`,
		"overcloud-resource-registry-puppet.yaml": "resource_registry: {}\n",
	})
	_, err := Compile(Inputs{Templates: Path{Path: dir}, AllowMissing: true}, Options{Base: dir})
	d := diagOf(t, err)
	expectAt(t, d, "overcloud-resource-registry-puppet.yaml", 0, 0, `role "Controller"`, "OS::TripleO::ControllerServices")
}

func TestErrorEnvironmentIsAFolder(t *testing.T) {
	root := testenv.Corpus(t)
	at := source.Range{File: "<command line>"}
	_, err := Compile(Inputs{Templates: Path{Path: root}, AllowMissing: true,
		Environments: []Path{{Path: filepath.Join(root, "environments"), At: at}}}, Options{})
	d := diagOf(t, err)
	if !strings.Contains(d.Message, "is a folder") || strings.Contains(d.Message, "does not exist") {
		t.Errorf("message %q should say the environment is a folder", d.Message)
	}
}
