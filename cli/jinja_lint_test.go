package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"hoist/internal/testenv"
)

// lintFinding is one finding of hoist lint --format json, with its notes.
type lintFinding struct {
	Rule, File, Message, Severity string
	Line, Column                  int
	Related                       []struct {
		File, Message string
		Line          int
	}
}

func (f lintFinding) String() string {
	return fmt.Sprintf("%s:%d:%d %s %s: %s", f.File, f.Line, f.Column, f.Severity, f.Rule, f.Message)
}

func lintJSON(t *testing.T, dir string) (int, []lintFinding, string) {
	t.Helper()
	r := runIn(t, dir, t.TempDir(), "", "lint", "--no-cache", "--format", "json", ".")
	var out struct{ Diagnostics []lintFinding }
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("%v\n%s", err, r.err)
	}
	return r.code, out.Diagnostics, r.err
}

// editFile replaces the text old, which must be on line n of the file,
// by new.
func editFile(t *testing.T, dir, name string, n int, old, new string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	if !strings.Contains(lines[n-1], old) {
		t.Fatalf("%s:%d is %q, without %q", name, n, lines[n-1], old)
	}
	lines[n-1] = strings.Replace(lines[n-1], old, new, 1)
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestLintSlipsInACopyOfQueens: one realistic slip at a time in a copy
// of the queens tree, linted with the default configuration as a
// pre-commit hook lints it (hoist lint .). Each gives exit 1 and a new
// error at the line the author edited, in the file they edited: a
// *.j2.yaml line (naming the roles it breaks) or the alias line of a
// template (naming the anchor).
func TestLintSlipsInACopyOfQueens(t *testing.T) {
	corpus := testenv.Tree(t, "queens")
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(corpus)); err != nil {
		t.Fatal(err)
	}
	_, before, _ := lintJSON(t, dir)
	known := map[string]bool{}
	for _, d := range before {
		known[d.String()] = true
	}
	for _, tc := range []struct {
		name      string
		file      string
		line      int
		old, new  string
		want      string // the new error, as lintFinding.String() starts
		wantNotes []string
	}{
		{
			// A resource name misspelt in a block only the Controller
			// renders ('controller' in role.tags): only its
			// puppet/controller-role.yaml breaks.
			name: "one role's rendered template", file: "puppet/role.role.j2.yaml", line: 596,
			old: "depends_on: NodeTLSCAData", new: "depends_on: NodeTLSCAdata",
			want:      `puppet/role.role.j2.yaml:596:17 error template/undefined-resource: resource "NodeTLSCAdata" is not defined in this template; Heat fails with "The specified reference "NodeTLSCAdata" is incorrect" when it evaluates this; did you mean "NodeTLSCAData"? (for role Controller)`,
			wantNotes: []string{"puppet/controller-role.yaml:611 rendered here"},
		},
		{
			name: "a Jinja2 syntax error", file: "puppet/role.role.j2.yaml", line: 9,
			old: "{%- if role.deprecated_param_flavor", new: "{%- iff role.deprecated_param_flavor",
			want: `puppet/role.role.j2.yaml:9:5 error jinja/syntax: controlStructure 'iff' not found`,
		},
		{
			name: "an undefined variable", file: "overcloud.j2.yaml", line: 176,
			old: "{{role.name}}Count:", new: "{{role.nmae}}Count:",
			want: `overcloud.j2.yaml:176:5 error jinja/undefined: "role.nmae" is undefined: no key "nmae" (did you mean "name"?); Jinja2 prints it as an empty string: give it a value, or write |default(...) where it may be absent (for roles Controller, Compute, BlockStorage, ObjectStorage and CephStorage)`,
		},
		{
			// Seen only through evaluation: the step is an item of a
			// map_merge.
			name: "a docker_config step key misspelt under map_merge", file: "docker/services/zaqar.yaml", line: 138,
			old: "- step_4:", new: "- step4:",
			want: `docker/services/zaqar.yaml:138:13 error schema/unknown-key: unknown key "step4" in outputs.role_data.value.docker_config: did you mean "step_4"?`,
		},
		{
			name: "a container key misspelt under map_merge", file: "docker/services/zaqar.yaml", line: 143,
			old: "restart: always", new: "restrat: always",
			want: `docker/services/zaqar.yaml:143:17 error schema/unknown-key: unknown key "restrat" in outputs.role_data.value.docker_config.step_4.zaqar: did you mean "restart"?`,
		},
		{
			// The anchor &nova_api_image holds {get_param: DockerNovaApiImage}.
			name: "a misspelt key whose value is an alias", file: "docker/services/nova-api.yaml", line: 188,
			old: "image: *nova_api_image", new: "imagee: *nova_api_image",
			want:      `docker/services/nova-api.yaml:188:13 error schema/unknown-key: unknown key "imagee" in outputs.role_data.value.docker_config.step_3.nova_api_map_cell0: did you mean "image"? That key is required there and missing: a container that is run needs an image`,
			wantNotes: []string{"docker/services/nova-api.yaml:174 the value comes from the anchor here"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, filepath.FromSlash(tc.file))
			orig, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			defer os.WriteFile(p, orig, 0o644)
			editFile(t, dir, tc.file, tc.line, tc.old, tc.new)
			code, after, stderr := lintJSON(t, dir)
			if code != ExitFindings {
				t.Errorf("exit %d, want %d\n%s", code, ExitFindings, stderr)
			}
			var hit *lintFinding
			var fresh []string
			for i, d := range after {
				if known[d.String()] || d.Severity != "error" {
					continue
				}
				fresh = append(fresh, d.String())
				if strings.HasPrefix(d.String(), tc.want) {
					hit = &after[i]
				}
			}
			if hit == nil {
				t.Fatalf("no new error %q; the new errors are:\n%s", tc.want, strings.Join(fresh, "\n"))
			}
			var notes []string
			for _, r := range hit.Related {
				notes = append(notes, fmt.Sprintf("%s:%d %s", r.File, r.Line, r.Message))
			}
			for _, n := range tc.wantNotes {
				if !slices.Contains(notes, n) {
					t.Errorf("notes %q lack %q", notes, n)
				}
			}
		})
	}
}

// TestLintJinjaSummary: hoist lint names no skipped template any more; it
// says how many templates it rendered, and --verbose lists the outputs.
func TestLintJinjaSummary(t *testing.T) {
	dir := filepath.Join(rulesDir(t), "jinja", "undefined", "ok")
	r := runIn(t, dir, t.TempDir(), "", "lint", "--no-cache", "--verbose", ".")
	if r.code != ExitOK || strings.Contains(r.err, "skipped") ||
		!strings.Contains(r.err, "hoist lint: rendered 3 Jinja2 outputs of 2 templates:\n  common/services/controller-role.yaml\n  common/services/compute-role.yaml\n  overcloud-resource-registry-puppet.yaml\n") ||
		!strings.Contains(r.err, "checked 2 files and 2 Jinja2 templates (3 outputs)") {
		t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.err)
	}
	// A template outside any tree cannot be rendered: said once, not checked.
	lone := t.TempDir()
	writeFiles(t, lone, map[string]string{"x.j2.yaml": "a: {{ b }}\n"})
	r = runIn(t, lone, t.TempDir(), "", "lint", "--no-cache", ".")
	want := "hoist lint: 1 Jinja2 template not checked: x.j2.yaml (a template is checked through its renders, which need it on disk in a tripleo-heat-templates tree with roles_data.yaml and network_data.yaml)\n"
	if r.code != ExitOK || !strings.Contains(r.err, want) {
		t.Errorf("lone template: exit %d\n%s%s", r.code, r.stdout, r.err)
	}
	// So is standard input named as a template: it is not YAML either.
	r = runIn(t, dir, t.TempDir(), "{%- for r in roles %}\n{{r.name}}: 1\n{%- endfor %}\n", "lint", "--stdin-filename", "x.j2.yaml", "-")
	if r.code != ExitOK || r.stdout != "" || !strings.Contains(r.err, want) {
		t.Errorf("standard input: exit %d\n%s%s", r.code, r.stdout, r.err)
	}
}

// TestEvalReadsRenderedTemplates: hoist eval of a template of a
// tripleo-heat-templates tree reads the templates it nests as Heat got
// them (the outputs of the tree's Jinja2 templates rendered), and an error
// in one of them is at the *.j2.yaml line, with the rendered place as a
// note.
func TestEvalReadsRenderedTemplates(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"roles_data.yaml":                            "- name: Controller\n  ServicesDefault: []\n",
		"network_data.yaml":                          "- name: InternalApi\n  name_lower: internal_api\n",
		"overcloud-resource-registry-puppet.j2.yaml": "resource_registry: {}\n",
		"services/svc.yaml": `heat_template_version: queens
resources:
  Base:
    type: ./base.yaml
outputs:
  role_data:
    value: {get_attr: [Base, role_data]}
`,
		"services/base.j2.yaml": `heat_template_version: queens
parameters:
{%- for network in networks %}
  {{network.name}}Port:
    type: number
    default: 8080
{%- endfor %}
outputs:
  role_data:
    value:
      config_settings:
{%- for network in networks %}
        {{network.name_lower}}_port: {get_param: {{network.name}}Port}
        {{network.name_lower}}_bind: {get_param: {{network.name}}Bind}
{%- endfor %}
`,
	})
	r := runIn(t, dir, t.TempDir(), "", "eval", "--no-snippet", "services/svc.yaml")
	want := "services/base.j2.yaml:14:50: error: "
	if r.code != ExitUsage || !strings.HasPrefix(r.err, want) || !strings.Contains(r.err, "InternalApiBind") ||
		!strings.Contains(r.err, "services/base.yaml:11:40: note: rendered into services/base.yaml:11:40 in the loop for network InternalApi") {
		t.Errorf("exit %d, want %d and %q...\n%s%s", r.code, ExitUsage, want, r.stdout, r.err)
	}
	// Fixed, the rendered template evaluates.
	writeFiles(t, dir, map[string]string{"services/base.j2.yaml": strings.Replace(`heat_template_version: queens
parameters:
{%- for network in networks %}
  {{network.name}}Port:
    type: number
    default: 8080
{%- endfor %}
outputs:
  role_data:
    value:
      config_settings:
{%- for network in networks %}
        {{network.name_lower}}_port: {get_param: {{network.name}}Port}
{%- endfor %}
`, "\t", "", -1)})
	r = runIn(t, dir, t.TempDir(), "", "eval", "services/svc.yaml")
	if r.code != ExitOK || !strings.Contains(r.stdout, `"internal_api_port": 8080`) {
		t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.err)
	}
}

// TestLintJinjaWithDeploymentRoles: a tree that a deployment block of
// hoist.hcl names is rendered with the block's roles_file and
// network_file, as hoist build renders it.
func TestLintJinjaWithDeploymentRoles(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(rulesDir(t), "jinja", "undefined", "ok")
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{
		// A role whose tags a template prints without a default.
		"common/services/role.role.j2.yaml": "heat_template_version: queens\nparameters:\n  {{role.name}}Tags:\n    type: comma_delimited_list\n    default: {{role.tags|join(',')}}\n",
		"site/roles.yaml":                   "- name: Controller\n  tags: [primary]\n- name: Networker\n",
		"hoist.hcl":                         "deployment \"site\" {\n  templates  = \".\"\n  roles_file = \"site/roles.yaml\"\n}\n",
	})
	r := runIn(t, dir, t.TempDir(), "", "lint", "--no-cache", "--no-snippet", "--only", "jinja/undefined", ".")
	want := `common/services/role.role.j2.yaml:5:16: error: "role.tags" is undefined: no key "tags"; Jinja2 passes an undefined value to the filter, which renders it silently: give it a value, or write |default(...) where it may be absent (for role Networker) [jinja/undefined]`
	if r.code != ExitFindings || strings.TrimSpace(r.stdout) != want {
		t.Errorf("exit %d\n%s%s\nwant\n%s", r.code, r.stdout, r.err, want)
	}
}

// TestPlanAndBuildNameTheJinjaTemplate: a plan finding in a service
// template that a Jinja2 template renders is reported by hoist plan and
// hoist build at the *.j2.yaml line, with the rendered place as a note.
func TestPlanAndBuildNameTheJinjaTemplate(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(testenv.RepoRoot(t), "stdlib", "examples", "overcloud"))); err != nil {
		t.Fatal(err)
	}
	yaml := filepath.Join(dir, "services", "logrotate-crond.yaml")
	b, err := os.ReadFile(yaml)
	if err != nil {
		t.Fatal(err)
	}
	// The service becomes a Jinja2 template (rendered to the same path),
	// whose container mounts the volumes of a container nothing starts.
	src := strings.Replace(string(b), "            restart: always\n", "            restart: always\n            volumes_from: [{{ 'nova_' ~ 'nowhere' }}]\n", 1)
	if err := os.WriteFile(filepath.Join(dir, "services", "logrotate-crond.j2.yaml"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(yaml); err != nil {
		t.Fatal(err)
	}
	line := 1 + strings.Count(src[:strings.Index(src, "volumes_from")], "\n")
	want := fmt.Sprintf("services/logrotate-crond.j2.yaml:%d:", line)
	for _, args := range [][]string{{"plan", "--no-snippet"}, {"build", "--no-snippet", "-o", filepath.Join(t.TempDir(), "out")}} {
		r := runIn(t, dir, t.TempDir(), "", args...)
		if r.code != ExitFindings || !strings.Contains(r.err, want) || !strings.Contains(r.err, "[plan/volumes-from-order]") ||
			!strings.Contains(r.err, "note: rendered into services/logrotate-crond.yaml:") {
			t.Errorf("hoist %s: exit %d, want %d and a finding at %s\n%s", args[0], r.code, ExitFindings, want, r.err)
		}
	}
}

// TestLintVerbosePhases: --verbose also says how long each part of the run
// took, in the run's order; a run without a cache has no signature to
// compute, and without --verbose nothing is said.
func TestLintVerbosePhases(t *testing.T) {
	dir := filepath.Join(rulesDir(t), "jinja", "undefined", "ok")
	phases := regexp.MustCompile(`(?m)^hoist lint: phases: (.*)$`)
	names := func(line string) []string {
		var out []string
		for _, p := range strings.Split(line, ", ") {
			m := regexp.MustCompile(`^([a-z ]+) [0-9]+\.[0-9] ms$`).FindStringSubmatch(p)
			if m == nil {
				t.Fatalf("phase %q is not \"name N.N ms\"", p)
			}
			out = append(out, m[1])
		}
		return out
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"lint", "--verbose", "."}, []string{"walk", "signature", "releases", "cache", "files", "tree rules", "findings", "sources"}},
		{[]string{"lint", "--no-cache", "-v", "."}, []string{"walk", "releases", "cache", "files", "tree rules", "findings", "sources"}},
	} {
		r := runIn(t, dir, t.TempDir(), "", tc.args...)
		m := phases.FindStringSubmatch(r.err)
		if r.code != ExitOK || m == nil {
			t.Fatalf("%v: exit %d, no phases\n%s", tc.args, r.code, r.err)
		}
		if got := names(m[1]); !slices.Equal(got, tc.want) {
			t.Errorf("%v: phases %q, want %q", tc.args, got, tc.want)
		}
	}
	if r := runIn(t, dir, t.TempDir(), "", "lint", "--no-cache", "."); phases.MatchString(r.err) {
		t.Errorf("phases without --verbose:\n%s", r.err)
	}
	// After a comment is added to a file, a run with the cache keeps the
	// tree rules' findings, and --verbose says so.
	work, cache := t.TempDir(), t.TempDir()
	if err := os.CopyFS(work, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	if r := runIn(t, work, cache, "", "lint", "."); r.code != ExitOK {
		t.Fatalf("first run: exit %d\n%s", r.code, r.err)
	}
	f, err := os.OpenFile(filepath.Join(work, "roles_data.yaml"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("# a comment\n")
	f.Close()
	r := runIn(t, work, cache, "", "lint", "--verbose", ".")
	if kept := regexp.MustCompile(`(?m)^hoist lint: findings of [1-9][0-9]* of [0-9]+ tree rules kept from the last run`); r.code != ExitOK || !kept.MatchString(r.err) {
		t.Errorf("after a comment: exit %d, no tree rules kept\n%s", r.code, r.err)
	}
}
