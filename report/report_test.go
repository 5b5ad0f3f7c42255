package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"hoist/diag"
	"hoist/internal/testenv"
	"hoist/lint"
	"hoist/source"
)

func sampleDiagnostics() []*diag.Diagnostic {
	r := func(line, col int32) source.Range {
		return source.Range{File: "docker/services/glance api.yaml", Start: source.Pos{Line: line, Col: col}, End: source.Pos{Line: line, Col: col + 5}}
	}
	return []*diag.Diagnostic{
		{Severity: diag.Warning, Rule: "yaml/duplicate-key", Message: "key \"image\" is duplicated, 100% sure: a,b", Range: r(11, 13),
			Related: []diag.Related{{Range: r(9, 13), Message: "first definition"}}, Path: "outputs.role_data.value.docker_config.step_1.haproxy.image"},
		{Severity: diag.Error, Rule: "schema/required", Message: "container \"x\" has no image", Range: r(20, 11),
			Chain: []diag.Frame{{Range: source.Range{File: "/abs/overcloud.yaml", Start: source.Pos{Line: 3, Col: 5}}, Label: "GlanceApi"}}},
		{Severity: diag.Info, Rule: "yaml/unused-anchor", Message: "anchor &x is defined but never used", Range: r(30, 1)},
		{Severity: diag.Error, Rule: "yaml/syntax", Message: "cannot read file: permission denied", Range: source.Range{File: "unreadable.yaml"}},
	}
}

// TestSARIFValidatesAgainstTheOfficialSchema checks the SARIF output with
// santhosh-tekuri/jsonschema against the SARIF 2.1.0 schema (draft-04)
// from the reference folder, and that tool.driver.rules lists every rule
// that fired with its helpUri.
func TestSARIFValidatesAgainstTheOfficialSchema(t *testing.T) {
	schemaPath := filepath.Join(testenv.Shared(t), "reference", "sarif-schema-2.1.0.json")
	f, err := os.Open(schemaPath)
	if err != nil {
		t.Skipf("the SARIF schema is not available: %v", err)
	}
	doc, err := jsonschema.UnmarshalJSON(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	c.AssertFormat()
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, ds := range [][]*diag.Diagnostic{sampleDiagnostics(), nil} {
		var b bytes.Buffer
		if err := WriteSARIF(&b, ds, Options{ToolVersion: "v0.1.0"}); err != nil {
			t.Fatal(err)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Fatalf("SARIF output does not validate: %v\n%s", err, b.String())
		}
		var log struct {
			Runs []struct {
				Tool struct {
					Driver struct {
						Rules []struct {
							ID      string `json:"id"`
							HelpURI string `json:"helpUri"`
						} `json:"rules"`
					} `json:"driver"`
				} `json:"tool"`
				Results []struct {
					RuleID    string `json:"ruleId"`
					RuleIndex int    `json:"ruleIndex"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(b.Bytes(), &log); err != nil {
			t.Fatal(err)
		}
		if len(log.Runs) != 1 || log.Runs[0].Results == nil {
			t.Fatalf("want one run with a results array (empty when clean):\n%s", b.String())
		}
		run := log.Runs[0]
		fired := map[string]bool{}
		for _, d := range ds {
			fired[d.Rule] = true
		}
		if len(run.Tool.Driver.Rules) != len(fired) {
			t.Errorf("tool.driver.rules has %d rules, %d fired", len(run.Tool.Driver.Rules), len(fired))
		}
		for _, r := range run.Tool.Driver.Rules {
			if !fired[r.ID] || !strings.HasPrefix(r.HelpURI, "https://") || !strings.HasSuffix(r.HelpURI, ".md") {
				t.Errorf("rule %q helpUri %q", r.ID, r.HelpURI)
			}
		}
		for _, res := range run.Results {
			if run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
				t.Errorf("result %q has ruleIndex %d pointing at %q", res.RuleID, res.RuleIndex, run.Tool.Driver.Rules[res.RuleIndex].ID)
			}
		}
	}
}

func TestGitHubFormat(t *testing.T) {
	var b bytes.Buffer
	if err := WriteGitHub(&b, sampleDiagnostics()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	want := []string{
		"::warning file=docker/services/glance api.yaml,line=11,col=13,endLine=11,endColumn=18,title=yaml/duplicate-key::key \"image\" is duplicated, 100%25 sure: a,b [yaml/duplicate-key]%0Adocker/services/glance api.yaml:9:13: note: first definition",
		"::error file=docker/services/glance api.yaml,line=20,col=11,endLine=20,endColumn=16,title=schema/required::container \"x\" has no image [schema/required]",
		"::notice file=docker/services/glance api.yaml,line=30,col=1,endLine=30,endColumn=6,title=yaml/unused-anchor::anchor &x is defined but never used [yaml/unused-anchor]",
		"::error file=unreadable.yaml,title=yaml/syntax::cannot read file: permission denied [yaml/syntax]",
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines:\n%s", len(lines), b.String())
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i, lines[i], want[i])
		}
	}
}

func TestParseOutputs(t *testing.T) {
	outs, err := ParseOutputs([]string{"sarif=report.sarif", "text", "json=-"})
	if err == nil {
		t.Errorf("two outputs to stdout accepted: %v", outs)
	}
	outs, err = ParseOutputs([]string{"sarif=report.sarif", "github"})
	if err != nil || len(outs) != 2 || outs[0] != (Output{"sarif", "report.sarif"}) || outs[1] != (Output{"github", ""}) {
		t.Errorf("%v %v", outs, err)
	}
	if _, err := ParseOutputs([]string{"xml"}); err == nil || !strings.Contains(err.Error(), `unknown format "xml"`) {
		t.Errorf("%v", err)
	}
	if _, err := ParseOutputs([]string{"sarif="}); err == nil {
		t.Error("empty file accepted")
	}
	if outs, _ := ParseOutputs(nil); len(outs) != 1 || outs[0].Format != "text" {
		t.Errorf("default %v", outs)
	}
}

func TestWriteAllWritesFilesAndStdout(t *testing.T) {
	dir := t.TempDir()
	outs := []Output{{"sarif", filepath.Join(dir, "r.sarif")}, {"json", filepath.Join(dir, "r.json")}, {"github", ""}}
	var stdout bytes.Buffer
	if err := WriteAll(&stdout, outs, sampleDiagnostics(), Options{}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"r.sarif", "r.json"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil || !json.Valid(b) {
			t.Errorf("%s: %v valid=%v", f, err, json.Valid(b))
		}
	}
	if !strings.HasPrefix(stdout.String(), "::warning ") {
		t.Errorf("stdout: %s", stdout.String())
	}
	// A file in a missing folder fails without leaving a partial file.
	err := WriteAll(&stdout, []Output{{"json", filepath.Join(dir, "no", "r.json")}}, nil, Options{})
	if err == nil {
		t.Error("writing into a missing folder succeeded")
	}
}

var _ = lint.DocsBaseURL
