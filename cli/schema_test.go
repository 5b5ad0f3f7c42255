package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"hoist/internal/testenv"
)

func schemaFixture(t *testing.T, rel string) string {
	return filepath.Join(testenv.RepoRoot(t), "testdata", "schema", rel)
}

func TestSchemaCommand(t *testing.T) {
	perm := schemaFixture(t, "kolla-config/perm-decimal.json")
	valid := schemaFixture(t, "kolla-config/valid.json")
	tmpl := schemaFixture(t, "service-template/panko-cron-test.yaml")
	cases := []struct {
		name string
		args []string
		code int
		in   string
	}{
		{"finding", []string{"schema", "--kind", "kolla-config", perm}, ExitFindings,
			`perm-decimal.json:4:95: warning: config_files[0].perm: invalid value "600": expected an octal mode string`},
		{"snippet", []string{"schema", "--kind", "kolla-config", perm}, ExitFindings, `^~~~~`},
		{"valid", []string{"schema", "--kind", "kolla-config", valid}, ExitOK, ""},
		{"detected template, raw", []string{"schema", "--no-snippet", tmpl}, ExitFindings, `unknown key "test" in outputs.role_data.value.docker_config.step_4.panko_api_cron`},
		{"evaluated template: functions are data", []string{"schema", "--mode", "evaluated", "--no-snippet", tmpl}, ExitFindings, `[schema/type]`},
		{"cannot detect", []string{"schema", perm}, ExitUsage, "cannot tell which kind of file this is"},
		{"unknown kind", []string{"schema", "--kind", "kolla", perm}, ExitUsage, `unknown kind "kolla"`},
		{"unknown mode", []string{"schema", "--mode", "lazy", valid}, ExitUsage, `unknown mode "lazy"`},
		{"no file", []string{"schema", "--kind", "container"}, ExitUsage, "expected at least one FILE"},
		{"missing file", []string{"schema", "--kind", "container", "/nonexistent.yaml"}, ExitUsage, "nonexistent.yaml"},
		{"unknown release", []string{"schema", "--release", "kilo", "--kinds"}, ExitUsage, `no schema for release "kilo"`},
		{"kinds", []string{"schema", "--kinds"}, ExitOK, "startup-config       #StartupConfig"},
		{"print", []string{"schema", "--print"}, ExitOK, "// schema/cue/container.cue"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := run(t, "", c.args...)
			if r.code != c.code {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", r.code, c.code, r.stdout, r.err)
			}
			if !strings.Contains(r.stdout+r.err, c.in) {
				t.Errorf("output lacks %q\nstdout: %s\nstderr: %s", c.in, r.stdout, r.err)
			}
		})
	}
}

func TestSchemaCommandStdinJSON(t *testing.T) {
	r := run(t, `{"web": {"image": "x", "restart": "sometimes"}}`, "schema", "--kind", "startup-config", "--format", "json", "-")
	if r.code != ExitFindings {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	var out struct {
		Diagnostics []struct{ Rule, File, Path string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	if len(out.Diagnostics) != 1 || out.Diagnostics[0].Rule != "schema/value" || out.Diagnostics[0].File != "<stdin>" || out.Diagnostics[0].Path != "web.restart" {
		t.Errorf("diagnostics: %+v", out.Diagnostics)
	}
}

// TestSchemaCommandReleases: --print writes each release's definitions;
// a file is validated against the release hoist lint reads it as (named on
// standard error), or --release's.
func TestSchemaCommandReleases(t *testing.T) {
	for _, r := range []string{"queens", "rocky", "stein", "train"} {
		p := run(t, "", "schema", "--print", "--release", r)
		if p.code != ExitOK || !strings.Contains(p.stdout, "// schema/cue/"+r+".cue\n") || !strings.Contains(p.stdout, `name: "`+r+`"`) ||
			strings.Count(p.stdout, "name: \"") != 1 {
			t.Errorf("--print --release %s: exit %d\n%s", r, p.code, p.err)
		}
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"svc.yaml": "heat_template_version: rocky\noutputs:\n  role_data:\n    value:\n      service_name: foo\n      external_upgrade_tasks: []\n",
	})
	r := runIn(t, dir, t.TempDir(), "", "schema", "--no-snippet", "svc.yaml")
	if r.code != ExitOK || !strings.Contains(r.err, "hoist schema: release rocky for svc.yaml (outside a tripleo-heat-templates tree: heat_template_version rocky)") {
		t.Errorf("detected: exit %d\n%s%s", r.code, r.stdout, r.err)
	}
	r = runIn(t, dir, t.TempDir(), "", "schema", "--no-snippet", "--release", "queens", "svc.yaml")
	if r.code != ExitFindings || !strings.Contains(r.stdout, `svc.yaml:1:24: error: heat_template_version: invalid value "rocky"`) || r.err != "" {
		t.Errorf("--release queens: exit %d\n%s%s", r.code, r.stdout, r.err)
	}
	pike := filepath.Join(testenv.RepoRoot(t), "testdata", "releases", "pike", "roles_data.yaml")
	r = run(t, "", "schema", pike)
	if r.code != ExitUsage || !strings.Contains(r.err, "is a tripleo-heat-templates tree of pike") {
		t.Errorf("pike: exit %d\n%s", r.code, r.err)
	}
}
