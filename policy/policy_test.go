package policy

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hoist/diag"
	"hoist/internal/testenv"
	"hoist/pyyaml"
	"hoist/schema"
	"hoist/value"
)

func load(t *testing.T, name, src string) *pyyaml.Document {
	t.Helper()
	doc, err := pyyaml.Load(name, []byte(src), pyyaml.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func roleData(t *testing.T, doc *pyyaml.Document) *value.Value {
	t.Helper()
	v := doc.Root
	for _, k := range []string{"outputs", "role_data", "value"} {
		v, _ = v.Map.Get(k)
	}
	return v
}

func compile(t *testing.T, name, src string) *Policy {
	t.Helper()
	p, err := Compile(name, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

const service = `heat_template_version: queens
outputs:
  role_data:
    value:
      service_name: x
      docker_config:
        step_3:
          x_db_sync:
            image: {get_param: DockerXImage}
            privileged: true
          nova_compute:
            image: docker.io/someone/nova:latest
            privileged: true
        step_4:
          x_api:
            image: {get_param: DockerXImage}
            privileged: false
`

// TestPolicyFiresAtTheLine is the acceptance test: a user policy in CUE
// reports a violation at the line and column of the offending value.
func TestPolicyFiresAtTheLine(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "stdlib/examples/overcloud/policies/privileged.cue"))
	if err != nil {
		t.Fatal(err)
	}
	p := compile(t, "policies/privileged.cue", string(src))
	if p.ID() != "policy/privileged" || !p.Applies(schema.RoleData) || p.Applies(schema.Environment) {
		t.Fatalf("policy %s applies to %v", p.ID(), p.Kinds)
	}
	doc := load(t, "services/x.yaml", service)
	ds := p.Check(schema.RoleData, roleData(t, doc), true, value.Path{}.Key("outputs").Key("role_data").Key("value"))
	if len(ds) != 1 {
		t.Fatalf("got %d findings: %v", len(ds), ds)
	}
	d := ds[0]
	want := "services/x.yaml:10:25: error: outputs.role_data.value.docker_config.step_3.x_db_sync.privileged: invalid value true: expected false; only the hypervisor's containers and log rotation run privileged [policy/privileged]"
	if d.Line() != want {
		t.Errorf("got  %s\nwant %s", d.Line(), want)
	}
}

func TestPolicyOnRawTemplateIgnoresFunctions(t *testing.T) {
	p := compile(t, "trusted-registry.cue", `// Images come from the registry.
service: docker_config?: [string]: [string]: image?: =~"^registry\\.example:8787/"
`)
	ds := p.Check(schema.RoleData, roleData(t, load(t, "x.yaml", service)), true, nil)
	// Only the literal image is checked; {get_param: ...} stands for any
	// value until the template is evaluated.
	if len(ds) != 1 || ds[0].Range.String() != "x.yaml:12:20" || !strings.Contains(ds[0].Message, `"docker.io/someone/nova:latest"`) {
		t.Fatalf("got %v", ds)
	}
	if !strings.HasSuffix(ds[0].Message, "; images come from the registry") {
		t.Errorf("message %q lacks the summary", ds[0].Message)
	}
}

func TestPolicyKinds(t *testing.T) {
	p := compile(t, "roles.cue", `// Every role says how its nodes are named.
roles_data: [...{HostnameFormatDefault!: string}]
environment: parameter_defaults?: NtpServer?: [_, ...]
`)
	doc := load(t, "roles_data.yaml", "- name: Controller\n  HostnameFormatDefault: x\n- name: Compute\n")
	ds := p.Check(schema.RolesData, doc.Root, false, nil)
	if len(ds) != 1 || ds[0].Range.String() != "roles_data.yaml:3:3" || !strings.Contains(ds[0].Message, `missing required key "HostnameFormatDefault"`) {
		t.Fatalf("roles: %v", ds)
	}
	env := load(t, "env.yaml", "parameter_defaults:\n  NtpServer: []\n")
	if ds := p.Check(schema.Environment, env.Root, false, nil); len(ds) != 1 || ds[0].Range.String() != "env.yaml:2:14" {
		t.Fatalf("environment: %v", ds)
	}
	if ds := p.Check(schema.Template, env.Root, true, nil); ds != nil {
		t.Errorf("a kind the policy does not constrain: %v", ds)
	}
}

func TestPolicyErrors(t *testing.T) {
	for _, c := range []struct{ file, src, want string }{
		{"bad_name.cue", "service: {}\n", `policy file name "bad_name.cue" is not a rule name`},
		{"syntax.cue", "service: {\n  a: \n", "syntax.cue:2:7: error: invalid policy: expected operand"},
		{"helper.cue", "// x\nallowed: [1]\nservice: {}\n", `helper.cue:2:1: error: policy field "allowed" is not a kind of data: a policy constrains "environment", "network_data", "roles_data", "service" or "template"; name helpers _allowed or #allowed [policy/invalid]`},
		{"nothing.cue", "_x: 1\n", "policy constrains nothing"},
		{"conflict.cue", "service: a: 1\nservice: a: 2\n", "conflict.cue:1:13: error: invalid policy: service.a: conflicting values"},
	} {
		_, err := Compile(c.file, []byte(c.src))
		var d *diag.Diagnostic
		if !errors.As(err, &d) || !strings.Contains(d.Line(), c.want) {
			t.Errorf("%s: got %v, want %s", c.file, err, c.want)
		}
	}
}

func TestLoadDir(t *testing.T) {
	ps, err := LoadDir(filepath.Join(testenv.RepoRoot(t), "stdlib/examples/overcloud/policies"))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range ps {
		ids = append(ids, p.ID())
	}
	if strings.Join(ids, " ") != "policy/privileged policy/trusted-registry" {
		t.Errorf("policies %v", ids)
	}
	if _, err := LoadDir("/nonexistent/policies"); err == nil {
		t.Error("no error for a missing folder")
	}
}
