package pipeline

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hoist/compiler/deploy"
	"hoist/config"
	"hoist/diag"
	"hoist/internal/testenv"
	"hoist/value"
)

// The compile from a deployment block of hoist.hcl: errors in the inputs
// point at the hoist.hcl line that gave them, and the example deployment's
// Jsonnet inputs keep their places.

// fromHCL decodes a hoist.hcl and returns its deployment's inputs.
func fromHCL(t *testing.T, dir, src string) deploy.Inputs {
	t.Helper()
	p := filepath.Join(dir, "hoist.hcl")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := config.Load(p, "dev")
	if err != nil {
		t.Fatal(err)
	}
	return DeployInputs(f.Deployments[0])
}

func TestErrorRoleNotInRolesData(t *testing.T) {
	root := testenv.Corpus(t)
	dir := t.TempDir()
	in := fromHCL(t, dir, `deployment "overcloud" {
  templates = "`+root+`"
  role "Controller" { count = 3 }
  role "Networker"  { count = 2 }
}
`)
	_, err := deploy.Compile(in, deploy.Options{})
	d := diagOf(t, err)
	expectAt(t, d, filepath.Join(dir, "hoist.hcl"), 4, 8, `role "Networker" is not in the roles file`, `"Controller"`, `"CephStorage"`)
}

func TestErrorMissingEnvironment(t *testing.T) {
	root := testenv.Corpus(t)
	dir := t.TempDir()
	in := fromHCL(t, dir, `deployment "overcloud" {
  templates    = "`+root+`"
  environments = [
    "environments/docker.yaml",
    "environments/no-such-file.yaml",
  ]
}
`)
	_, err := deploy.Compile(in, deploy.Options{})
	d := diagOf(t, err)
	expectAt(t, d, filepath.Join(dir, "hoist.hcl"), 5, 5, "environment file", "no-such-file.yaml", "does not exist")
}

func TestErrorTemplatesMissing(t *testing.T) {
	dir := t.TempDir()
	in := fromHCL(t, dir, `deployment "overcloud" {
  templates = "no-such-tree"
}
`)
	_, err := deploy.Compile(in, deploy.Options{})
	d := diagOf(t, err)
	expectAt(t, d, filepath.Join(dir, "hoist.hcl"), 2, 15, `templates "`, "no such file or directory")
}

// diagOf returns the one diagnostic err holds.
func diagOf(t *testing.T, err error) *diag.Diagnostic {
	t.Helper()
	if err == nil {
		t.Fatal("the compile succeeded; an error was expected")
	}
	var d *diag.Diagnostic
	if !errors.As(err, &d) {
		var ds deploy.Errors
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

// exampleInputs returns the inputs of the embedded example deployment
// (stdlib/examples/overcloud), whose images environment and two services
// are Jsonnet.
func exampleInputs(t *testing.T) deploy.Inputs {
	t.Helper()
	f, err := config.Load(filepath.Join(testenv.RepoRoot(t), "stdlib/examples/overcloud/hoist.hcl"), "dev")
	if err != nil {
		t.Fatal(err)
	}
	return DeployInputs(f.Deployments[0])
}

func roleByName(t *testing.T, d *deploy.Deployment, name string) *deploy.Role {
	t.Helper()
	for _, r := range d.Roles {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no role %s", name)
	return nil
}

func path(t *testing.T, v *value.Value, keys ...string) *value.Value {
	t.Helper()
	for _, k := range keys {
		next, ok := v.Map.Get(k)
		if !ok {
			t.Fatalf("no %q in %s", k, strings.Join(keys, "."))
		}
		v = next
	}
	return v
}

// TestJsonnetInputs compiles a deployment whose environment, services and
// roles file are Jsonnet: values keep their place in the .jsonnet files.
func TestJsonnetInputs(t *testing.T) {
	in := exampleInputs(t)
	d, err := deploy.Compile(in, deploy.Options{Base: in.Templates.Path})
	if err != nil {
		t.Fatal(err)
	}
	ctl := roleByName(t, d, "Controller")
	img := path(t, ctl.Data, "docker_config", "step_4", "glance_api", "image")
	if img.Str != "registry.example:8787/tripleo/centos-binary-glance-api:queens" {
		t.Errorf("glance_api image %q", img.Str)
	}
	if !strings.HasSuffix(img.Range.File, "environments/images.jsonnet") || img.Range.Start.Line == 0 {
		t.Errorf("the image comes from %s, not a line of environments/images.jsonnet", img.Range)
	}
	port := path(t, ctl.Data, "config_settings", "glance::api::bind_port")
	if port.Int != 9292 || port.Range.File != "services/glance-api.jsonnet" || port.Range.Start.Line == 0 {
		t.Errorf("glance::api::bind_port = %s at %s", value.Repr(port), port.Range)
	}

	// The same roles in Jsonnet compile to the same role data.
	yamlDump := value.Dumps(d.Dump())
	rolesJsonnet := filepath.Join(t.TempDir(), "roles_data.jsonnet")
	src := `local role(name, description, services, extra={}) = {
  name: name,
  description: description,
  CountDefault: 1,
  networks: ['InternalApi', 'Storage', 'Tenant'],
  HostnameFormatDefault: '%stackname%-' + std.asciiLower(name) + '-%index%',
  ServicesDefault: ['OS::TripleO::Services::' + s for s in services],
} + extra;
[
  role('Controller', 'Controller role: the API services, MySQL, RabbitMQ and HAProxy.\n',
       ['HAProxy', 'MySQL', 'RabbitMQ', 'Keystone', 'GlanceApi', 'NovaApi', 'LogrotateCrond'],
       { tags: ['primary', 'controller'], networks: ['External'] + super.networks, update_serial: 1 }),
  role('Compute', 'Compute role: the hypervisor (libvirt) and the nova-compute agent.\n',
       ['NovaLibvirt', 'NovaCompute', 'LogrotateCrond'],
       { HostnameFormatDefault: '%stackname%-novacompute-%index%', update_serial: 25,
         RoleParametersDefault: { TunedProfileName: 'virtual-host' } }),
]
`
	if err := os.WriteFile(rolesJsonnet, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	in.RolesFile = deploy.Path{Path: rolesJsonnet}
	dj, err := deploy.Compile(in, deploy.Options{Base: in.Templates.Path})
	if err != nil {
		t.Fatal(err)
	}
	if got := value.Dumps(dj.Dump()); got != yamlDump {
		t.Errorf("roles_data.jsonnet gives other role data than roles_data.yaml:\n%s\n%s", got, yamlDump)
	}
}
