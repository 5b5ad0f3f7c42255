package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hoist/diag"
)

// writeTree writes files under a new folder and returns it.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func lines(ds []*diag.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.Line())
		b.WriteByte('\n')
	}
	return b.String()
}

// runIn lints dir (as ".") from inside it with the given rules.
func runIn(t *testing.T, dir string, o Options) *Result {
	t.Helper()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	res, err := Run([]string{"."}, o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func rulesByID(ids ...string) []Rule {
	var out []Rule
	for _, r := range Rules() {
		for _, id := range ids {
			if r.Meta().ID == id || alwaysOn(r.Meta().ID) {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

const jsonnetService = `local hoist = import 'hoist/service.libsonnet';
local common = import 'lib/common.libsonnet';
hoist.service(
  name='x_api',
  description='X',
  parameters=hoist.imageParameters('XApi'),
  roleData={
    config_settings: {},
    puppet_config: hoist.puppetConfig('x_api', 'x_config', 'include x', hoist.param('DockerXApiConfigImage')),
    docker_config: {
      step_4: {
        x_api: hoist.container(hoist.param('DockerXApiImage'), common.volumes) + common.extra + {
          restrat: 'always',
        },
      },
    },
  },
)
`

// Jsonnet files are linted like YAML ones, at their own lines.
func TestLintJsonnetFiles(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"services/x-api.jsonnet":           jsonnetService,
		"services/lib/common.libsonnet":    "{ volumes: ['/var/lib/x:/var/lib/x'], extra: {} }\n",
		"services/lib/not-a-doc.libsonnet": "{ this is not checked",
	})
	o := Options{Rules: rulesByID("schema/unknown-key"), Jobs: 1}
	res := runIn(t, dir, o)
	got := lines(res.Diagnostics)
	want := `services/x-api.jsonnet:13:11: `
	if !strings.HasPrefix(got, want) || !strings.Contains(got, `unknown key "restrat" in outputs.role_data.value.docker_config.step_4.x_api: did you mean "restart"?`) {
		t.Errorf("findings:\n%s\nwant a line starting %s", got, want)
	}
	if strings.Count(got, "\n") != 1 {
		t.Errorf("want one finding (libraries are not documents), got:\n%s", got)
	}
	if len(res.Files) != 1 || res.Files[0] != filepath.Join(".", "services/x-api.jsonnet") && res.Files[0] != "services/x-api.jsonnet" {
		t.Errorf("files %v", res.Files)
	}
}

// A hoist:ignore comment in a Jsonnet file (# starts a Jsonnet comment
// too) suppresses the finding on the next line.
func TestLintJsonnetSuppression(t *testing.T) {
	src := strings.Replace(jsonnetService, "          restrat: 'always',", "          # hoist:ignore=schema/unknown-key -- testing suppressions\n          restrat: 'always',", 1)
	dir := writeTree(t, map[string]string{
		"x-api.jsonnet":        src,
		"lib/common.libsonnet": "{ volumes: [], extra: {} }\n",
	})
	res := runIn(t, dir, Options{Rules: rulesByID("schema/unknown-key", "lint/unused-suppression", "lint/invalid-suppression"), Jobs: 1})
	if len(res.Diagnostics) != 0 {
		t.Errorf("suppressed finding still reported:\n%s", lines(res.Diagnostics))
	}
}

// The cache knows a Jsonnet file's imports: changing a library the file
// imports checks the file again.
func TestLintJsonnetCacheFollowsImports(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"x-api.jsonnet":        strings.Replace(jsonnetService, "          restrat: 'always',\n", "", 1),
		"lib/common.libsonnet": "{ volumes: [], extra: {} }\n",
	})
	o := Options{Rules: rulesByID("schema/unknown-key"), Jobs: 1, Cache: OpenCache(t.TempDir(), "test")}
	if res := runIn(t, dir, o); len(res.Diagnostics) != 0 {
		t.Fatalf("clean file: %s", lines(res.Diagnostics))
	}
	if err := os.WriteFile(filepath.Join(dir, "lib/common.libsonnet"), []byte("{ volumes: [], extra: { restrat: 'always' } }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := runIn(t, dir, o)
	if got := lines(res.Diagnostics); !strings.Contains(got, `unknown key "restrat"`) {
		t.Errorf("after the import changed, got:\n%s", got)
	}
}

// Jsonnet errors are the loader's findings, with their rule ids.
func TestLintJsonnetErrors(t *testing.T) {
	dir := writeTree(t, map[string]string{"bad.jsonnet": "{\n  a: error 'no',\n}\n"})
	res := runIn(t, dir, Options{Rules: rulesByID(), Jobs: 1})
	if got := lines(res.Diagnostics); got != "bad.jsonnet:2:6: error: no [jsonnet/runtime]\n" {
		t.Errorf("got %q", got)
	}
}
