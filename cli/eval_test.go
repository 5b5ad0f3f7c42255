package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeEvalFiles(t *testing.T, files map[string]string) string {
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

func runEval(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string { return env[k] }
	code := Run(&Env{Stdio: Stdio{Out: &out, Err: &errb}, Getenv: getenv}, append([]string{"eval"}, args...))
	return code, out.String(), errb.String()
}

const evalTestTemplate = `heat_template_version: queens
parameters:
  Name: {type: string}
  Port: {type: number, default: 80}
  Ports: {type: comma_delimited_list, default: []}
resources:
  key: {type: OS::Nova::KeyPair}
  svc: {type: OS::My::Service}
outputs:
  greeting:
    value: {str_replace: {template: "hello NAME:PORT", params: {NAME: {get_param: Name}, PORT: {get_param: Port}}}}
  ports: {value: {get_param: Ports}}
  key: {value: {get_attr: [key, public_key]}}
  service: {value: {get_attr: [svc, role_data]}}
`

func evalFixture(t *testing.T) string {
	return writeEvalFiles(t, map[string]string{
		"t.yaml":            evalTestTemplate,
		"svc/service.yaml":  "heat_template_version: queens\nparameters: {Flag: {type: boolean, default: false}}\noutputs: {role_data: {value: {flag: {get_param: Flag}, yes_word: yes}}}\n",
		"env/registry.yaml": "resource_registry: {OS::My::Service: ../svc/service.yaml}\nparameter_defaults: {Flag: 'on', Port: 8080}\n",
		"params.yaml":       "Ports: '1,2'\n",
	})
}

func TestEvalJSON(t *testing.T) {
	dir := evalFixture(t)
	code, out, errs := runEval(t, nil, filepath.Join(dir, "t.yaml"), "-e", filepath.Join(dir, "env/registry.yaml"),
		"-p", "Name=world", "--param-file", filepath.Join(dir, "params.yaml"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	want := `{
  "greeting": "hello world:8080",
  "key": {
    "<unknown>": "attribute public_key of resource key (OS::Nova::KeyPair), known when deployed"
  },
  "ports": [
    "1",
    "2"
  ],
  "service": {
    "flag": true,
    "yes_word": true
  }
}
`
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

func TestEvalOneOutputYAMLAndOracleUnknowns(t *testing.T) {
	dir := evalFixture(t)
	code, out, errs := runEval(t, map[string]string{"HOIST_EVAL_UNKNOWNS": "oracle"}, filepath.Join(dir, "t.yaml"), "-e", filepath.Join(dir, "env/registry.yaml"),
		"-p", "Name=x", "--output", "key")
	if code != 0 || out != "\"STUB:OS::Nova::KeyPair:key:public_key\"\n" {
		t.Errorf("exit %d, out %q, err %s", code, out, errs)
	}
	code, out, errs = runEval(t, nil, filepath.Join(dir, "t.yaml"), "-e", filepath.Join(dir, "env/registry.yaml"),
		"-p", "Name=yes", "--format", "yaml")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, line := range []string{`greeting: hello yes:8080`, `  "<unknown>": attribute public_key of resource key (OS::Nova::KeyPair), known when deployed`, "ports: []", "  flag: true"} {
		if !strings.Contains(out, line+"\n") {
			t.Errorf("YAML output lacks %q:\n%s", line, out)
		}
	}
}

func TestEvalErrors(t *testing.T) {
	dir := evalFixture(t)
	tmpl := filepath.Join(dir, "t.yaml")
	reg := filepath.Join(dir, "env/registry.yaml")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"missing parameter", []string{tmpl, "-e", reg}, `property "Name" not assigned`},
		{"undeclared property", []string{tmpl, "-e", reg, "-p", "Name=x", "-p", "Nope=1"}, `unknown property "Nope"`},
		{"bad number", []string{tmpl, "-e", reg, "-p", "Name=x", "-p", "Port=eighty"}, `property "Port": could not convert string to float: u'eighty'`},
		{"unknown output", []string{tmpl, "-e", reg, "-p", "Name=x", "--output", "nope"}, `has no output "nope"`},
		{"missing template", []string{filepath.Join(dir, "nope.yaml")}, "no such file"},
		{"missing environment", []string{tmpl, "-e", filepath.Join(dir, "nope.yaml")}, "cannot read environment file"},
		{"unresolved type", []string{tmpl, "-p", "Name=x"}, `the resource type "OS::My::Service" could not be found`},
		{"bad -p", []string{tmpl, "-p", "Name"}, "expected NAME=VALUE"},
		{"bad format", []string{tmpl, "--format", "xml"}, `unknown format "xml"`},
		{"bad unknowns", []string{tmpl, "--unknowns", "x"}, `unknown --unknowns "x"`},
		{"no template", nil, "expected one TEMPLATE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runEval(t, nil, tc.args...)
			if code != ExitUsage {
				t.Errorf("exit %d, want 2", code)
			}
			if out != "" {
				t.Errorf("stdout must be empty on error, got %q", out)
			}
			if !strings.Contains(errs, tc.want) {
				t.Errorf("stderr %q does not contain %q", errs, tc.want)
			}
		})
	}
}

func TestEvalErrorHasSnippetAndChain(t *testing.T) {
	dir := writeEvalFiles(t, map[string]string{
		"docker.yaml": "heat_template_version: queens\nresources:\n  Base:\n    type: puppet.yaml\noutputs:\n  role_data: {value: {get_attr: [Base, role_data]}}\n",
		"puppet.yaml": "heat_template_version: queens\noutputs:\n  role_data:\n    value: {list_join: [',', [a, 1]]}\n",
	})
	code, _, errs := runEval(t, nil, filepath.Join(dir, "docker.yaml"))
	if code != ExitUsage {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{
		"puppet.yaml:4:12: error: list_join: items to join must be strings, maps or lists, not 1",
		"4 |     value: {list_join: [',', [a, 1]]}",
		"  in " + filepath.Join(dir, "puppet.yaml") + ":4:12 ← " + filepath.Join(dir, "docker.yaml") + ":4:5 (Base)",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
}
