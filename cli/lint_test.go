package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"hoist/internal/testenv"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite the rule index of docs/rules/README.md")

// runIn runs hoist in-process in dir, with a cache folder of its own.
func runIn(t *testing.T, dir, cache, stdin string, args ...string) result {
	t.Helper()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	var out, errb bytes.Buffer
	getenv := func(k string) string {
		if k == "HOIST_CACHE_DIR" {
			return cache
		}
		return ""
	}
	code := Run(&Env{Stdio: Stdio{In: strings.NewReader(stdin), Out: &out, Err: &errb}, Getenv: getenv}, args)
	return result{code, out.String(), errb.String()}
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// A template with a warning (a duplicate key), an error (an undefined
// parameter) and an info (an unused anchor).
const tmpl = `heat_template_version: queens
parameters:
  EndpointMap: {default: {}, type: json}
  ServiceNetMap: {default: {}, type: json}
  DefaultPasswords: {default: {}, type: json}
  RoleName: {default: '', type: string}
  RoleParameters: {default: {}, type: json}
  ServiceData: {default: {}, type: json}
outputs:
  role_data:
    value:
      service_name: glance_api
      config_settings: {}
      upgrade_tasks: []
      upgrade_tasks: []
      host_prep_tasks: &prep []
      update_tasks: {get_param: GlanceUpdateTasks}`

func TestLintExitCodesAndFailLevel(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	writeFiles(t, dir, map[string]string{"svc.yaml": tmpl, "clean.yaml": "heat_template_version: queens\n"})
	cases := []struct {
		args []string
		code int
		in   string
	}{
		{[]string{"lint", "clean.yaml"}, ExitOK, "0 errors, 0 warnings, 0 infos"},
		{[]string{"lint", "svc.yaml"}, ExitFindings, "1 error, 1 warning, 1 info"},
		{[]string{"lint", "--preset", "all", "svc.yaml"}, ExitFindings, "[yaml/unused-anchor]"},
		{[]string{"lint", "--disable", "template/undefined-parameter", "svc.yaml"}, ExitOK, "0 errors, 1 warning"},
		{[]string{"lint", "--disable", "template/undefined-parameter", "--fail-level", "warning", "svc.yaml"}, ExitFindings, "1 warning"},
		{[]string{"lint", "--only", "yaml/unused-anchor", "--fail-level", "info", "svc.yaml"}, ExitFindings, "1 info"},
		{[]string{"lint", "--disable", "no/such-rule", "svc.yaml"}, ExitUsage, `unknown rule "no/such-rule"`},
		{[]string{"lint", "--preset", "lenient", "svc.yaml"}, ExitUsage, `unknown preset "lenient"`},
		{[]string{"lint", "--format", "json", "--format", "text", "svc.yaml"}, ExitUsage, "2 formats write to standard output"},
		{[]string{"lint", "-", "svc.yaml"}, ExitUsage, "cannot be combined"},
		{[]string{"lint", "--baseline", "missing.json", "svc.yaml"}, ExitUsage, "baseline missing.json: no such file or directory"},
	}
	for _, c := range cases {
		r := runIn(t, dir, cache, "", c.args...)
		if r.code != c.code || !strings.Contains(r.stdout+r.err, c.in) {
			t.Errorf("%v: exit %d (want %d), output lacks %q?\nstdout: %s\nstderr: %s", c.args, r.code, c.code, c.in, r.stdout, r.err)
		}
	}
}

func TestLintConfigFile(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	writeFiles(t, dir, map[string]string{
		".git/HEAD": "ref: refs/heads/main\n",
		"hoist.hcl": `lint {
  preset     = "all"
  fail_level = "info"
}
rule "template/undefined-parameter" {
  enabled = false
}
rule "yaml/duplicate-key" {
  severity = "error"
}
`,
		"templates/svc.yaml": tmpl,
	})
	// Found from a subfolder, up to the repository root.
	r := runIn(t, filepath.Join(dir, "templates"), cache, "", "lint", "--format", "json", "svc.yaml")
	var out struct {
		Diagnostics []struct{ Rule, Severity string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("%v\n%s\n%s", err, r.stdout, r.err)
	}
	got := map[string]string{}
	for _, d := range out.Diagnostics {
		got[d.Rule] = d.Severity
	}
	if got["yaml/duplicate-key"] != "error" || got["yaml/unused-anchor"] != "info" || got["template/undefined-parameter"] != "" {
		t.Errorf("findings with hoist.hcl: %v", got)
	}
	if r.code != ExitFindings {
		t.Errorf("exit %d", r.code)
	}
	// An unknown rule name is a configuration error, with HCL's position.
	writeFiles(t, dir, map[string]string{"bad.hcl": "rule \"yaml/duplcate-key\" {\n  enabled = false\n}\n"})
	r = runIn(t, dir, cache, "", "lint", "--config", "bad.hcl", "templates")
	if r.code != ExitUsage || !strings.Contains(r.err, "Unknown rule") || !strings.Contains(r.err, "on bad.hcl line 1") || !strings.Contains(r.err, `Did you mean "yaml/duplicate-key"?`) {
		t.Errorf("exit %d\n%s", r.code, r.err)
	}
	// An option the rule does not have.
	writeFiles(t, dir, map[string]string{"opt.hcl": "rule \"template/unused-parameter\" {\n  ignroe = [\"X\"]\n}\n"})
	r = runIn(t, dir, cache, "", "config", "verify", "opt.hcl")
	if r.code != ExitUsage || !strings.Contains(r.err, "Unsupported argument") || !strings.Contains(r.err, "line 2") {
		t.Errorf("exit %d\n%s", r.code, r.err)
	}
	r = runIn(t, dir, cache, "", "config", "verify")
	if r.code != ExitOK || !strings.Contains(r.stdout, "valid: preset all") {
		t.Errorf("config verify: exit %d\n%s%s", r.code, r.stdout, r.err)
	}
	// Options reach the rule.
	writeFiles(t, dir, map[string]string{"ver.hcl": "rule \"template/version\" {\n  allowed = [\"2018-03-02\"]\n  severity = \"error\"\n}\n"})
	r = runIn(t, dir, cache, "", "lint", "--config", "ver.hcl", "--only", "template/version", "templates")
	if r.code != ExitFindings || !strings.Contains(r.stdout, `error: heat_template_version "queens" is not one of "2018-03-02": the configuration of this rule does not allow it`) {
		t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.err)
	}
	// A retired rule says which rule reports its findings now.
	writeFiles(t, dir, map[string]string{"old.hcl": "rule \"container/bool-string\" {\n  enabled = false\n}\n"})
	r = runIn(t, dir, cache, "", "lint", "--config", "old.hcl", "templates")
	if r.code != ExitUsage || !strings.Contains(r.err, "Retired rule") || !strings.Contains(r.err, `Rule "container/bool-string" was retired: schema/type`) {
		t.Errorf("retired rule: exit %d\n%s", r.code, r.err)
	}
	r = runIn(t, dir, cache, "", "lint", "--disable", "kolla/perm", "templates")
	if r.code != ExitUsage || !strings.Contains(r.err, `rule "kolla/perm" was retired: schema/type and schema/value`) {
		t.Errorf("retired rule on the command line: exit %d\n%s", r.code, r.err)
	}
}

func TestLintSuppressions(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	writeFiles(t, dir, map[string]string{"svc.yaml": `# hoist:ignore-file=yaml/unused-anchor -- anchors mark the shared lists
heat_template_version: queens
outputs:
  role_data:
    value:
      service_name: glance_api
      # hoist:ignore=yaml/duplicate-key -- the first list documents the queens tasks
      upgrade_tasks:
        - name: a
          when: step|int == 1
          when: step|int == 2
      host_prep_tasks: &prep []
      update_tasks: []  # hoist:ignore=schema/type -- nothing to suppress here
      fast_forward_upgrade_tasks: {}  # hoist:ignore=schema/type
      post_update_tasks: []  # hoist:ignore=service/tasks-empty-dict -- retired
`})
	only := []string{"lint", "--no-snippet"}
	for _, id := range []string{"yaml/duplicate-key", "yaml/unused-anchor", "schema/type", "lint/unused-suppression", "lint/invalid-suppression"} {
		only = append(only, "--only", id)
	}
	r := runIn(t, dir, cache, "", append(only, "svc.yaml")...)
	// Sorted as hoist sorts: by position.
	want := "svc.yaml:13:25: warning: the suppression of \"schema/type\" matches no finding on line 13; remove it [lint/unused-suppression]\n" +
		"svc.yaml:14:35: error: outputs.role_data.value.fast_forward_upgrade_tasks: expected a list of Ansible tasks (maps, or lists of maps), or null, got map {} [schema/type]\n" +
		"svc.yaml:14:39: warning: the suppression gives no reason: write it after \" -- \" [lint/invalid-suppression]\n" +
		"svc.yaml:15:30: warning: rule \"service/tasks-empty-dict\" was retired: schema/type (a task list written {}) reports its findings now; name that rule in the suppression [lint/invalid-suppression]\n"
	if r.stdout != want {
		t.Errorf("got\n%s\nwant\n%s\nstderr %s", r.stdout, want, r.err)
	}
}

func TestLintBaseline(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	writeFiles(t, dir, map[string]string{"t/svc.yaml": tmpl})
	r := runIn(t, dir, cache, "", "lint", "--write-baseline", "hoist-baseline.json", "t")
	if r.code != ExitOK || !strings.Contains(r.err, "wrote 3 findings (3 keys) to the baseline") {
		t.Fatalf("exit %d\n%s", r.code, r.err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "hoist-baseline.json"))
	if !bytes.Contains(b, []byte(`"file": "t/svc.yaml"`)) || !bytes.Contains(b, []byte(`"path": "outputs.role_data.value.update_tasks.get_param"`)) {
		t.Errorf("baseline:\n%s", b)
	}
	r = runIn(t, dir, cache, "", "lint", "--baseline", "hoist-baseline.json", "t")
	if r.code != ExitOK || r.stdout != "" || !strings.Contains(r.err, "the baseline accepted 3 findings") {
		t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.err)
	}
	// Edits that move lines keep the baseline matching; a new finding
	// is reported, and a fixed one is counted as stale.
	moved := strings.Replace(tmpl, "outputs:\n", "# a comment\n\n\noutputs:\n", 1)
	moved = strings.Replace(moved, "      upgrade_tasks: []\n      upgrade_tasks: []\n", "      upgrade_tasks: []\n", 1)
	moved += "\n      post_update_tasks: {get_param: Other}\n"
	writeFiles(t, dir, map[string]string{"t/svc.yaml": moved})
	r = runIn(t, dir, cache, "", "lint", "--baseline", "hoist-baseline.json", "--no-snippet", "t")
	if r.code != ExitFindings || strings.Count(r.stdout, "\n") != 1 || !strings.Contains(r.stdout, `parameter "Other"`) {
		t.Errorf("exit %d\n%s", r.code, r.stdout)
	}
	if !strings.Contains(r.err, "the baseline accepted 2 findings; 1 recorded finding no longer occur") {
		t.Errorf("summary: %s", r.err)
	}
	// Run from another folder: names are relative to the baseline file.
	r = runIn(t, filepath.Join(dir, "t"), cache, "", "lint", "--baseline", "../hoist-baseline.json", "--no-snippet", ".")
	if strings.Count(r.stdout, "\n") != 1 {
		t.Errorf("from a subfolder:\n%s", r.stdout)
	}
}

func TestLintSeveralOutputsInOneRun(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	writeFiles(t, dir, map[string]string{"svc.yaml": tmpl})
	r := runIn(t, dir, cache, "", "lint", "--format", "sarif=out/report.sarif", "--format", "json=report.json", "--format", "github", "svc.yaml")
	if r.code != ExitUsage || !strings.Contains(r.err, "out/report.sarif: no such folder") || r.stdout != "" {
		t.Errorf("a missing folder: exit %d %s", r.code, r.err)
	}
	if _, err := os.Stat(filepath.Join(dir, "report.json")); err == nil {
		// Files are written before standard output, each whole: the
		// JSON report may exist, but no partial SARIF.
	}
	os.Mkdir(filepath.Join(dir, "out"), 0o755)
	r = runIn(t, dir, cache, "", "lint", "--format", "sarif=out/report.sarif", "--format", "json=report.json", "--format", "github", "svc.yaml")
	if r.code != ExitFindings {
		t.Fatalf("exit %d %s", r.code, r.err)
	}
	if !strings.Contains(r.stdout, "::warning file=svc.yaml,line=15,col=7") || !strings.Contains(r.stdout, "::error file=svc.yaml,line=17,col=33") {
		t.Errorf("github output:\n%s", r.stdout)
	}
	var sarif struct {
		Runs []struct{ Results []struct{ RuleID string } }
	}
	b, _ := os.ReadFile(filepath.Join(dir, "out", "report.sarif"))
	if err := json.Unmarshal(b, &sarif); err != nil || len(sarif.Runs) != 1 || len(sarif.Runs[0].Results) != 3 {
		t.Errorf("sarif: %v\n%s", err, b)
	}
	var js struct{ Diagnostics []struct{ Rule string } }
	b, _ = os.ReadFile(filepath.Join(dir, "report.json"))
	if err := json.Unmarshal(b, &js); err != nil || len(js.Diagnostics) != 3 {
		t.Errorf("json: %v\n%s", err, b)
	}
}

func TestLintStdin(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	r := runIn(t, dir, cache, tmpl, "lint", "--no-snippet", "--stdin-filename", "docker/services/glance-api.yaml", "-")
	if r.code != ExitFindings || !strings.HasPrefix(r.stdout, "docker/services/glance-api.yaml:15:7: warning: key \"upgrade_tasks\" is duplicated") {
		t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.err)
	}
	r = runIn(t, dir, cache, "a: [1\n", "lint", "-")
	if r.code != ExitFindings || !strings.Contains(r.stdout, "<stdin>:2:1: error: did not find expected ',' or ']' [yaml/syntax]") {
		t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.err)
	}
}

// TestLintCacheGivesTheSameResults: a warm run reads the results of
// unchanged files from the cache and reports exactly what a cold run does;
// a changed file is checked again.
func TestLintCacheGivesTheSameResults(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	writeFiles(t, dir, map[string]string{"a/svc.yaml": tmpl, "b/svc.yaml": tmpl, "b/clean.yaml": "heat_template_version: queens\n"})
	cold := runIn(t, dir, cache, "", "lint", ".")
	// One pack, whatever its shards (lint-<key>-<shard>.pack).
	shards, _ := filepath.Glob(filepath.Join(cache, "lint", "lint-*-*.pack"))
	keys := map[string]bool{}
	for _, p := range shards {
		name := filepath.Base(p)
		keys[name[:strings.LastIndex(name, "-")]] = true
	}
	if len(keys) != 1 {
		t.Fatalf("cache packs: %v", shards)
	}
	warm := runIn(t, dir, cache, "", "lint", ".")
	if warm.stdout != cold.stdout || warm.code != cold.code {
		t.Errorf("warm run differs:\n%s\n---\n%s", cold.stdout, warm.stdout)
	}
	writeFiles(t, dir, map[string]string{"b/clean.yaml": "heat_template_version: 2021-04-16\n"})
	changed := runIn(t, dir, cache, "", "lint", "--no-snippet", ".")
	if !strings.Contains(changed.stdout, `b/clean.yaml:1:24: error: heat_template_version: invalid value "2021-04-16"`) {
		t.Errorf("a changed file was not checked again:\n%s", changed.stdout)
	}
	nocache := runIn(t, dir, t.TempDir(), "", "lint", "--no-cache", "--no-snippet", ".")
	if nocache.stdout != changed.stdout {
		t.Errorf("--no-cache differs:\n%s\n---\n%s", changed.stdout, nocache.stdout)
	}
}

func TestRulesCommand(t *testing.T) {
	r := run(t, "", "rules")
	if r.code != ExitOK || !strings.Contains(r.stdout, "container/config-hash-skipped") {
		t.Errorf("exit %d\n%s", r.code, r.stdout)
	}
	r = run(t, "", "rules", "--format", "json")
	var out struct {
		Rules []struct{ ID, HelpURI string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || len(out.Rules) < 50 {
		t.Errorf("%v: %d rules", err, len(out.Rules))
	}
	if r := run(t, "", "rules", "--format", "yaml"); r.code != ExitUsage {
		t.Errorf("bad format: exit %d", r.code)
	}
}

// TestRuleIndexIsUpToDate: docs/rules/README.md holds the output of
// 'hoist rules --format markdown' between its markers.
func TestRuleIndexIsUpToDate(t *testing.T) {
	p := filepath.Join(testenv.RepoRoot(t), "docs", "rules", "README.md")
	replaceBetween(t, p, "<!-- BEGIN RULE INDEX (hoist rules --format markdown) -->\n", "<!-- END RULE INDEX -->", RulesMarkdown())
}

// TestCorpusCounts: the count per rule on the queens tree recorded in
// docs/rules/README.md is what hoist finds.
func TestCorpusCounts(t *testing.T) {
	root := testenv.Corpus(t)
	r := run(t, "", "lint", "--preset", "all", "--format", "json", "--no-cache", root)
	var out struct {
		Diagnostics []struct{ Rule, Severity string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, d := range out.Diagnostics {
		count[d.Rule]++
	}
	var b strings.Builder
	b.WriteString("| rule | findings |\n|---|---:|\n")
	total := 0
	for _, id := range sortedRuleIDs(count) {
		fmt.Fprintf(&b, "| `%s` | %d |\n", id, count[id])
		total += count[id]
	}
	fmt.Fprintf(&b, "| total | %d |\n", total)
	p := filepath.Join(testenv.RepoRoot(t), "docs", "rules", "README.md")
	replaceBetween(t, p, "<!-- BEGIN CORPUS COUNTS -->\n", "<!-- END CORPUS COUNTS -->", b.String())
}

func sortedRuleIDs(m map[string]int) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// replaceBetween checks (or with -update-docs rewrites) the text of file p
// between two markers.
func replaceBetween(t *testing.T, p, begin, end, want string) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	i, j := bytes.Index(b, []byte(begin)), bytes.Index(b, []byte(end))
	if i < 0 || j < i {
		t.Fatalf("%s lacks the markers %q", p, begin)
	}
	if got := string(b[i+len(begin) : j]); got == want {
		return
	}
	if !*updateDocs {
		t.Errorf("%s is out of date between %q and %q (rerun the test with -update-docs):\nwant\n%s", p, begin, end, want)
		return
	}
	nb := append(append(append([]byte{}, b[:i+len(begin)]...), want...), b[j:]...)
	if err := os.WriteFile(p, nb, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestLintEvaluate: with --evaluate (or lint { evaluate = true }) the
// service rules see evaluated role_data: a volume list built by an if that
// the environment turns on is checked, which the template as written hides.
func TestLintEvaluate(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	writeFiles(t, dir, map[string]string{
		"svc.yaml": `heat_template_version: queens
parameters:
  EndpointMap: {default: {}, type: json}
  ServiceNetMap: {default: {}, type: json}
  DefaultPasswords: {default: {}, type: json}
  RoleName: {default: '', type: string}
  RoleParameters: {default: {}, type: json}
  ServiceData: {default: {}, type: json}
  DockerGlanceApiImage: {type: string}
  EnableInternalTLS: {default: false, type: boolean}
conditions:
  tls: {equals: [{get_param: EnableInternalTLS}, true]}
outputs:
  role_data:
    value:
      service_name: glance_api
      config_settings: {}
      puppet_config: {config_volume: '', step_config: '', config_image: ''}
      docker_config:
        step_4:
          glance_api:
            image: {get_param: DockerGlanceApiImage}
            volumes:
              if:
                - tls
                - [/etc/pki/tls:/etc/pki/tls:ro, /var/lib/config-data/puppet-generated/glance_api:/var/lib/kolla/config_files/src:ro]
                - []
`,
		"tls.yaml":  "parameter_defaults:\n  EnableInternalTLS: true\n",
		"hoist.hcl": "lint {\n  evaluate = true\n  environments = [\"tls.yaml\"]\n}\n",
	})
	only := []string{"lint", "--no-snippet", "--only", "container/config-hash-skipped"}
	r := runIn(t, dir, cache, "", append(only, "--config", "/dev/null", "--no-evaluate", "-e", "tls.yaml", "svc.yaml")...)
	if r.code != ExitOK || r.stdout != "" {
		t.Errorf("as written: exit %d\n%s%s", r.code, r.stdout, r.err)
	}
	// Evaluated by default: without the environment the branch is not
	// taken.
	r = runIn(t, dir, cache, "", append(only, "--config", "/dev/null", "svc.yaml")...)
	if r.code != ExitOK || r.stdout != "" {
		t.Errorf("evaluated without the environment: exit %d\n%s%s", r.code, r.stdout, r.err)
	}
	r = runIn(t, dir, cache, "", append(only, "svc.yaml")...)
	if !strings.Contains(r.stdout, "svc.yaml:26:50: warning: volume \"/var/lib/config-data/puppet-generated/glance_api:/var/lib/kolla/config_files/src:ro\"") {
		t.Errorf("evaluated (hoist.hcl): exit %d\n%s%s", r.code, r.stdout, r.err)
	}
	r = runIn(t, dir, cache, "", append(only, "--config", "/dev/null", "--evaluate", "-e", "tls.yaml", "svc.yaml")...)
	if !strings.Contains(r.stdout, "[container/config-hash-skipped]") {
		t.Errorf("evaluated (flags): exit %d\n%s%s", r.code, r.stdout, r.err)
	}
	// Editing the environment changes the cache key.
	writeFiles(t, dir, map[string]string{"tls.yaml": "parameter_defaults:\n  EnableInternalTLS: false\n"})
	r = runIn(t, dir, cache, "", append(only, "svc.yaml")...)
	if r.stdout != "" {
		t.Errorf("after the environment changed:\n%s", r.stdout)
	}
	writeFiles(t, dir, map[string]string{"tls.yaml": "parameter_defaults:\n  EnableInternalTLS: true\n"})
	r = runIn(t, dir, cache, "", append(only, "-e", "tls.yaml", "--config", "/dev/null", "svc.yaml")...)
	if !strings.Contains(r.stdout, "[container/config-hash-skipped]") {
		t.Errorf("evaluated by default with -e: exit %d\n%s%s", r.code, r.stdout, r.err)
	}
	r = runIn(t, dir, cache, "", "lint", "--evaluate", "--no-evaluate", "--config", "/dev/null", "svc.yaml")
	if r.code != ExitUsage || !strings.Contains(r.err, "--evaluate and --no-evaluate contradict each other") {
		t.Errorf("--evaluate --no-evaluate: exit %d %s", r.code, r.err)
	}
}
