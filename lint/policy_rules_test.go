package lint

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hoist/config"
	"hoist/diag"
)

const privilegedPolicy = `// Only nova_compute runs privileged.
package policy

import "list"

service: docker_config?: [string]: [Name=string]: {
	if !list.Contains(["nova_compute"], Name) {
		privileged?: false @expect("false")
	}
}
`

const privilegedService = `heat_template_version: queens
outputs:
  role_data:
    value:
      service_name: x
      docker_config:
        step_4:
          x_api:
            image: {get_param: DockerXApiImage}
            privileged: true
          nova_compute:
            image: {get_param: DockerNovaComputeImage}
            privileged: true
`

// configIn writes hoist.hcl (with the policies folder) into dir and
// configures the rules from it.
func configIn(t *testing.T, dir, hcl string) (*config.File, *Settings, error) {
	t.Helper()
	p := filepath.Join(dir, config.FileName)
	if err := os.WriteFile(p, []byte(hcl), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(p, "dev")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Configure(cfg, Overrides{})
	return cfg, s, err
}

// TestPolicyRules: a project's policy is the rule policy/<name>, on by
// default, reported at the line of the offending value, configurable and
// suppressible like any rule.
func TestPolicyRules(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"policies/privileged.cue": privilegedPolicy,
		"services/x.yaml":         privilegedService,
	})
	_, s, err := configIn(t, dir, "lint {\n  policies = \"policies\"\n}\n")
	if err != nil {
		t.Fatal(err)
	}
	if !s.Enabled("policy/privileged") {
		t.Fatal("the policy is not an enabled rule")
	}
	res := runIn(t, dir, Options{Rules: s.Rules, Jobs: 1})
	var got []string
	for _, d := range res.Diagnostics {
		if d.Rule == "policy/privileged" {
			got = append(got, d.Line())
		}
	}
	want := `services/x.yaml:10:25: error: outputs.role_data.value.docker_config.step_4.x_api.privileged: invalid value true: expected false; only nova_compute runs privileged [policy/privileged]`
	if len(got) != 1 || got[0] != want {
		t.Errorf("got %q\nwant %s", got, want)
	}

	// A rule block sets its severity; a comment suppresses it.
	_, s, err = configIn(t, dir, "lint {\n  policies = \"policies\"\n}\nrule \"policy/privileged\" {\n  severity = \"warning\"\n}\n")
	if err != nil {
		t.Fatal(err)
	}
	res = runIn(t, dir, Options{Rules: s.Rules, Severities: s.Severities, Jobs: 1})
	if ds := byRule(res.Diagnostics, "policy/privileged"); len(ds) != 1 || ds[0].Severity != diag.Warning {
		t.Errorf("configured severity: %v", ds)
	}
	src := strings.Replace(privilegedService, "            privileged: true\n          nova_compute:", "            privileged: true  # hoist:ignore=policy/privileged -- reviewed\n          nova_compute:", 1)
	if err := os.WriteFile(filepath.Join(dir, "services/x.yaml"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res = runIn(t, dir, Options{Rules: s.Rules, Jobs: 1})
	for _, id := range []string{"policy/privileged", "lint/invalid-suppression", "lint/unused-suppression"} {
		if ds := byRule(res.Diagnostics, id); len(ds) != 0 {
			t.Errorf("after the suppression: %s", lines(ds))
		}
	}
}

func byRule(ds []*diag.Diagnostic, id string) []*diag.Diagnostic {
	var out []*diag.Diagnostic
	for _, d := range ds {
		if d.Rule == id {
			out = append(out, d)
		}
	}
	return out
}

// The cache key follows the policies' contents.
func TestPolicyFingerprint(t *testing.T) {
	dir := writeTree(t, map[string]string{"policies/privileged.cue": privilegedPolicy})
	_, s1, err := configIn(t, dir, "lint {\n  policies = \"policies\"\n}\n")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "policies/privileged.cue"), []byte(strings.Replace(privilegedPolicy, `"nova_compute"]`, `"nova_compute", "nova_libvirt"]`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, s2, err := configIn(t, dir, "lint {\n  policies = \"policies\"\n}\n")
	if err != nil {
		t.Fatal(err)
	}
	if s1.Fingerprint() == s2.Fingerprint() {
		t.Error("the settings' fingerprint did not change with the policy")
	}
}

func TestPolicyConfigErrors(t *testing.T) {
	dir := writeTree(t, map[string]string{"policies/bad.cue": "service: {\n"})
	_, _, err := configIn(t, dir, "lint {\n  policies = \"policies\"\n}\n")
	var d *diag.Diagnostic
	if !errors.As(err, &d) || d.Rule != "policy/invalid" || !strings.HasSuffix(d.Range.File, "policies/bad.cue") {
		t.Errorf("got %v", err)
	}
	_, _, err = configIn(t, dir, "lint {\n  policies = \"nowhere\"\n}\n")
	if err == nil || !strings.Contains(err.Error(), "cannot read the policies folder") {
		t.Errorf("missing folder: %v", err)
	}
}
