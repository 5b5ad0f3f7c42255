package schema

import (
	"fmt"
	"strings"
	"testing"

	"hoist/diag"
)

// A value that reaches its place through a YAML alias is checked like any
// other, and a finding about it names the alias site and the anchor.
const aliasTemplate = `heat_template_version: queens
outputs:
  role_data:
    value:
      service_name: x
      config_settings: {}
      step_config: ''
      docker_config:
        step_3:
          a:
            image: &img {get_param: DockerXImage}
            volumes: &vols [/a:/a]
            environment: &env {A: b}
            healthcheck: &hc
              testt: /bin/true
          b:
            %s
            volumess: *vols
            environment: *env
            healthcheck: *hc
            net: host
`

func findings(ds []*diag.Diagnostic) []string {
	var out []string
	for _, d := range ds {
		s := fmt.Sprintf("%s %s %s", d.Range, d.Severity, d.Rule)
		for _, r := range d.Related {
			s += fmt.Sprintf(" | %s %s", r.Range, r.Message)
		}
		out = append(out, s)
	}
	return out
}

func TestAliasedValuesAreChecked(t *testing.T) {
	got := findings(validate(t, ServiceTemplate, true, fmt.Sprintf(aliasTemplate, "image: *img")))
	want := []string{
		// The anchor's own map, and its copy at the alias.
		"t.yaml:13:26 error schema/type",
		"t.yaml:13:26 error schema/type | t.yaml:19:26 the value is used here through a YAML alias",
		"t.yaml:15:15 error schema/unknown-key",
		"t.yaml:15:15 error schema/unknown-key | t.yaml:20:26 the value is used here through a YAML alias",
		// A misspelt key whose value is an alias: at the key, with the anchor.
		// (Misspellings of a known key are errors: the setting meant is lost.)
		"t.yaml:18:13 error schema/unknown-key | t.yaml:12:22 the value comes from the anchor here",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// imagee: *img, where the anchor holds a function call: the key is wrong
// whatever the value, and the container lacks the image it misspells: one
// error, at the slipped line, with the anchor.
func TestMisspeltKeyWithAliasedCall(t *testing.T) {
	ds := validate(t, ServiceTemplate, true, fmt.Sprintf(aliasTemplate, "imagee: *img"))
	var hit *diag.Diagnostic
	for _, d := range ds {
		if d.Range.Start.Line == 17 {
			hit = d
		}
		if d.Rule == RuleRequired {
			t.Errorf("the missing image is reported apart: %s", d.Line())
		}
	}
	if hit == nil {
		t.Fatalf("no finding at the slipped line:\n%s", strings.Join(findings(ds), "\n"))
	}
	if hit.Rule != RuleUnknownKey || hit.Severity != diag.Error ||
		!strings.Contains(hit.Message, `unknown key "imagee" in outputs.role_data.value.docker_config.step_3.b: did you mean "image"? That key is required there and missing: a container that is run needs an image`) {
		t.Errorf("got %s", hit.Line())
	}
	if len(hit.Related) != 1 || hit.Related[0].Range.String() != "t.yaml:11:20" {
		t.Errorf("related %v, want the anchor at 11:20", hit.Related)
	}
	// The same with the call written in place.
	ds = validate(t, ServiceTemplate, true, fmt.Sprintf(aliasTemplate, "imagee: {get_param: DockerXImage}"))
	if got := findings(ds); !strings.Contains(strings.Join(got, "\n"), "t.yaml:17:13 error schema/unknown-key") {
		t.Errorf("a misspelt key whose value is a call is not reported:\n%s", strings.Join(got, "\n"))
	}
}
