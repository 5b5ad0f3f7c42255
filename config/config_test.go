package config

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
)

const full = `hoist {
  required_version = ">= 0.1.0, < 2.0"
}

lint {
  preset     = "strict"
  fail_level = "warning"
}

rule "template/unused-parameter" {
  enabled  = true
  severity = "info"
  ignore   = ["ServiceNetMap", "EndpointMap"]
}

rule "container/privileged" {
  enabled = false
}

deployment "overcloud" {
  templates    = "../shared/corpus/tht-queens"
  roles_file   = "roles_data.yaml"        # relative to templates unless absolute
  network_file = "/abs/network_data.yaml"
  environments = ["environments/docker.yaml", "environments/docker-ha.yaml", "site.yaml"]
  role "Controller" { count = 3 }
  role "Compute"    { count = 2 }
}
`

func TestParseFull(t *testing.T) {
	f, err := Parse("/work/site/hoist.hcl", []byte(full), "0.3.0")
	if err != nil {
		t.Fatal(err)
	}
	if f.Lint == nil || *f.Lint.Preset != "strict" || *f.Lint.FailLevel != "warning" {
		t.Errorf("lint block: %+v", f.Lint)
	}
	if len(f.Rules) != 2 || f.Rules[0].Name != "template/unused-parameter" || *f.Rules[0].Severity != "info" || !*f.Rules[0].Enabled || *f.Rules[1].Enabled {
		t.Fatalf("rules: %+v", f.Rules)
	}
	if f.Rules[0].LabelRange.Start.Line != 10 || f.Rules[0].SeverityRange.Start.Line != 12 {
		t.Errorf("ranges: label %v severity %v", f.Rules[0].LabelRange, f.Rules[0].SeverityRange)
	}
	// The options are left for the rule to decode.
	var opts struct {
		Ignore []string `hcl:"ignore,optional"`
	}
	if d := gohcl.DecodeBody(f.Rules[0].Options, nil, &opts); d.HasErrors() || len(opts.Ignore) != 2 {
		t.Errorf("options: %v %v", opts, d)
	}
	d, ok := f.Deployment("overcloud")
	if !ok {
		t.Fatal("no deployment")
	}
	if got := d.TemplatesDir(); got != "/work/shared/corpus/tht-queens" {
		t.Errorf("templates dir %q", got)
	}
	if got := d.Resolve(*d.RolesFile); got != "/work/shared/corpus/tht-queens/roles_data.yaml" {
		t.Errorf("roles file %q", got)
	}
	if got := d.Resolve(*d.NetworkFile); got != "/abs/network_data.yaml" {
		t.Errorf("network file %q", got)
	}
	if len(d.Environments) != 3 || len(d.Roles) != 2 || d.Roles[0].Name != "Controller" || d.Roles[0].Count != 3 || d.Roles[1].Count != 2 {
		t.Errorf("deployment: %+v", d)
	}
}

func errText(t *testing.T, err error) string {
	t.Helper()
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("error %T %v is not a *config.Error", err, err)
	}
	var b bytes.Buffer
	if err := e.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestErrors(t *testing.T) {
	cases := []struct {
		name, src, version string
		want               []string
	}{
		{"version gate comes first", "hoist { required_version = \">= 9.0\" }\nfuture_block { x = 1 }\n", "0.3.0",
			[]string{"Unsupported hoist version", "requires hoist >= 9.0, but this is hoist 0.3.0", "on cfg.hcl line 1"}},
		{"bad constraint", "hoist { required_version = \"around 2\" }\n", "0.3.0",
			[]string{"Invalid version constraint", "line 1"}},
		{"unknown block", "lint { preset = \"all\" }\nlnit { }\n", "0.3.0",
			[]string{"Unsupported block type", "on cfg.hcl line 2"}},
		{"unknown attribute in lint", "lint {\n  prest = \"all\"\n}\n", "dev",
			[]string{"Unsupported argument", "line 2", "prest"}},
		{"bad preset", "lint {\n  preset = \"everything\"\n}\n", "dev",
			[]string{"Unknown preset", `preset "everything" is not one of "recommended", "strict" or "all"`, "line 2"}},
		{"bad severity", "rule \"yaml/duplicate-key\" {\n  severity = \"fatal\"\n}\n", "dev",
			[]string{"Unknown severity", "line 2"}},
		{"duplicate rule", "rule \"a/b\" {}\nrule \"a/b\" {}\n", "dev",
			[]string{"Duplicate rule block", "line 2"}},
		{"syntax", "lint {\n  preset = \n}\n", "dev",
			[]string{"line 2"}},
		{"role count missing", "deployment \"x\" {\n  role \"Controller\" {}\n}\n", "dev",
			[]string{"Missing required argument", "count", "line 2"}},
		{"wrong type", "lint {\n  fail_level = [1]\n}\n", "dev",
			[]string{"Unsuitable value", "string required", "line 2"}},
		{"unsupported release", "lint {}\nrelease = \"pike\"\n", "dev",
			[]string{"Unsupported release", `release "pike" is not one hoist supports: "queens", "rocky", "stein" or "train"`, "line 2"}},
		{"unsupported deployment release", "deployment \"x\" {\n  release = \"master\"\n}\n", "dev",
			[]string{"Unsupported release", `"master"`, "line 2"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("cfg.hcl", []byte(c.src), c.version)
			if err == nil {
				t.Fatal("no error")
			}
			text := errText(t, err)
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("error lacks %q:\n%s", w, text)
				}
			}
		})
	}
}

func TestDevelopmentBuildPassesTheGate(t *testing.T) {
	for _, v := range []string{"dev", "a3cd158-dirty", "v0.2.0 (abc)"} {
		if _, err := Parse("cfg.hcl", []byte("hoist { required_version = \">= 0.2\" }\n"), v); err != nil {
			t.Errorf("version %q: %v", v, err)
		}
	}
	if _, err := Parse("cfg.hcl", []byte("hoist { required_version = \">= 0.2\" }\n"), "v0.1.9"); err == nil {
		t.Error("v0.1.9 passes >= 0.2")
	}
}

func TestJSONSyntax(t *testing.T) {
	src := `{"lint": {"preset": "all"}, "rule": {"yaml/duplicate-key": {"severity": "error"}}}`
	f, err := Parse("hoist.hcl.json", []byte(src), "dev")
	if err != nil {
		t.Fatal(err)
	}
	if *f.Lint.Preset != "all" || len(f.Rules) != 1 || *f.Rules[0].Severity != "error" {
		t.Errorf("%+v %+v", f.Lint, f.Rules)
	}
}

func TestFindStopsAtRepositoryRoot(t *testing.T) {
	top := t.TempDir()
	repo := filepath.Join(top, "repo")
	deep := filepath.Join(repo, "a", "b")
	if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	// A hoist.hcl above the repository root is not found.
	os.WriteFile(filepath.Join(top, FileName), []byte(""), 0o644)
	if p, err := Find(deep); err != nil || p != "" {
		t.Errorf("found %q %v above the repository root", p, err)
	}
	os.WriteFile(filepath.Join(repo, FileName), []byte(""), 0o644)
	if p, err := Find(deep); err != nil || p != filepath.Join(repo, FileName) {
		t.Errorf("Find = %q %v", p, err)
	}
	os.WriteFile(filepath.Join(deep, FileName), []byte(""), 0o644)
	if p, _ := Find(deep); p != filepath.Join(deep, FileName) {
		t.Errorf("nearest not preferred: %q", p)
	}
}

func TestErrorfRendersWithSource(t *testing.T) {
	f, err := Parse("cfg.hcl", []byte("rule \"yaml/duplcate-key\" {}\n"), "dev")
	if err != nil {
		t.Fatal(err)
	}
	e := f.WrapDiagnostics(hcl.Diagnostics{f.Errorf(f.Rules[0].LabelRange, "Unknown rule", `there is no rule "yaml/duplcate-key"`)})
	text := errText(t, e)
	if !strings.Contains(text, "on cfg.hcl line 1") || !strings.Contains(text, `rule "yaml/duplcate-key" {}`) {
		t.Errorf("rendering:\n%s", text)
	}
}
