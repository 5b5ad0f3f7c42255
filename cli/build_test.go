package cli

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"hoist/internal/testenv"
	"hoist/pyyaml"
	"hoist/value"
)

// queensArgs are the flags of the acceptance deployment: the unrendered
// queens tree, docker.yaml and docker-ha.yaml.
func queensArgs(t *testing.T) []string {
	root := testenv.Corpus(t)
	return []string{"--templates", root,
		"-e", filepath.Join(root, "environments", "docker.yaml"),
		"-e", filepath.Join(root, "environments", "docker-ha.yaml")}
}

func TestBuildDumpRoleData(t *testing.T) {
	args := append([]string{"build"}, queensArgs(t)...)
	r := run(t, "", append(args, "--allow-missing", "--dump", "role-data")...)
	if r.code != ExitOK {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	var dump struct {
		Roles map[string]map[string]json.RawMessage `json:"roles"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &dump); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	for _, role := range []string{"Controller", "Compute", "BlockStorage", "ObjectStorage", "CephStorage"} {
		rd, ok := dump.Roles[role]
		if !ok {
			t.Errorf("no role %s", role)
			continue
		}
		for _, k := range []string{"service_names", "config_settings", "docker_config", "kolla_config", "puppet_config", "docker_puppet_tasks", "step_config", "host_prep_tasks", "upgrade_tasks"} {
			if _, ok := rd[k]; !ok {
				t.Errorf("%s has no %s", role, k)
			}
		}
	}
	// Sorted keys, two-space indent, unknowns as {"<unknown>": reason}.
	if !strings.HasPrefix(r.stdout, "{\n  \"roles\": {\n    \"BlockStorage\": {") {
		t.Errorf("dump starts %q", r.stdout[:60])
	}
	if !strings.Contains(r.stdout, `"image": {
              "<unknown>": "parameter DockerKeystoneImage has no value"
            },`) {
		t.Error("the keystone image should be an unknown value")
	}
	if !strings.Contains(r.err, "hoist build: compiled 5 roles of overcloud") || !strings.Contains(r.err, "parameters without a value compiled as unknown") {
		t.Errorf("stderr: %s", r.err)
	}
}

func TestBuildErrors(t *testing.T) {
	root := testenv.Corpus(t)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	badHCL := write("bad.hcl", "deployment \"overcloud\" {\n  templates = \n}\n")
	unknownRole := write("roles.hcl", "deployment \"overcloud\" {\n  templates = \""+root+"\"\n  role \"Networker\" { count = 1 }\n}\n")
	two := write("two.hcl", "deployment \"a\" {\n  templates = \""+root+"\"\n}\ndeployment \"b\" {\n  templates = \""+root+"\"\n}\n")
	cases := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"invalid HCL", []string{"build", "-c", badHCL}, ExitUsage, []string{"Error: Invalid expression", "on " + badHCL + " line 2"}},
		{"role not in roles_data", []string{"build", "-c", unknownRole}, ExitUsage, []string{unknownRole + ":3:8: error: role \"Networker\" is not in the roles file", "[deploy/role]"}},
		{"several deployments", []string{"build", "-c", two}, ExitUsage, []string{"has 2 deployments (a, b): choose one with --deployment"}},
		{"no such deployment", []string{"build", "-c", two, "--deployment", "c"}, ExitUsage, []string{`has no deployment "c"; it has "a" or "b"`}},
		{"no templates", []string{"build", "-c", write("empty.hcl", "")}, ExitUsage, []string{"no templates"}},
		{"bad count", []string{"build", "--templates", root, "--count", "Controller"}, ExitUsage, []string{`--count "Controller": expected Role=N`}},
		{"bad dump", []string{"build", "--templates", root, "--dump", "nodes"}, ExitUsage, []string{`unknown --dump "nodes"`}},
		{"missing environment", []string{"build", "--templates", root, "-e", filepath.Join(dir, "nope.yaml")}, ExitUsage, []string{"<command line>: error: environment file", "nope.yaml does not exist"}},
		{"missing parameters", []string{"build", "--templates", root}, ExitUsage, []string{"parameters have no value", "[deploy/missing-parameter]", "note: DockerKeystoneImage (string) is declared here without a default"}},
		{"missing count role", []string{"build", "--templates", root, "--count", "Nope=1"}, ExitUsage, []string{`role "Nope" is not in the roles file`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := run(t, "", c.args...)
			if r.code != c.code {
				t.Errorf("exit %d, want %d\nstderr: %s", r.code, c.code, r.err)
			}
			if r.stdout != "" {
				t.Errorf("no output expected on stdout, got %q", r.stdout)
			}
			for _, w := range c.want {
				if !strings.Contains(r.err, w) {
					t.Errorf("stderr does not contain %q:\n%s", w, r.err)
				}
			}
		})
	}
}

func TestBuildFromConfig(t *testing.T) {
	root := testenv.Corpus(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "hoist.hcl")
	if err := os.WriteFile(cfg, []byte(`deployment "mycloud" {
  templates    = "`+root+`"
  environments = ["environments/docker.yaml", "environments/docker-ha.yaml"]
  role "Controller" { count = 3 }
  role "Compute"    { count = 2 }
}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, "", "build", "-c", cfg, "--count", "Compute=5", "--allow-missing")
	if r.code != ExitOK {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	for _, w := range []string{"Controller       count 3", "Compute          count 5", "compiled 5 roles of mycloud"} {
		if !strings.Contains(r.err, w) {
			t.Errorf("summary does not say %q:\n%s", w, r.err)
		}
	}
}

func TestParamsMissing(t *testing.T) {
	args := queensArgs(t)
	r := run(t, "", append([]string{"params", "missing"}, args...)...)
	if r.code != ExitOK {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	doc, err := pyyaml.Load("skeleton.yaml", []byte(r.stdout), pyyaml.DefaultLimits)
	if err != nil {
		t.Fatalf("the skeleton is not YAML: %v\n%s", err, r.stdout)
	}
	pd, ok := doc.Root.Map.Get("parameter_defaults")
	if !ok || pd.Kind != value.Map || pd.Map.Len() < 50 {
		t.Fatalf("parameter_defaults: %s", r.stdout)
	}
	for _, name := range []string{"DockerKeystoneImage", "AdminPassword", "RabbitPassword"} {
		v, ok := pd.Map.Get(name)
		if !ok || v.Kind != value.Null {
			t.Errorf("%s: %v", name, v)
		}
	}
	if !strings.Contains(r.stdout, "  # string, declared at ") {
		t.Errorf("entries should say their type and declaration:\n%s", r.stdout[:400])
	}
	dir := t.TempDir()
	skeleton := filepath.Join(dir, "skeleton.yaml")
	if err := os.WriteFile(skeleton, []byte(r.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	// Passed as it is, it changes nothing: every parameter is still missing.
	again := run(t, "", append([]string{"params", "missing"}, append(args, "-e", skeleton)...)...)
	if again.stdout != r.stdout {
		t.Error("an unfilled skeleton should leave the same parameters missing")
	}
	// Filled in, the deployment compiles without --allow-missing.
	var filled strings.Builder
	filled.WriteString("parameter_defaults:\n")
	for _, e := range pd.Map.Entries() {
		filled.WriteString("  " + e.Key.Str + ": ")
		switch {
		case strings.HasPrefix(e.Key.Str, "Docker"):
			filled.WriteString("registry.example:8787/tripleo/" + e.Key.Str + ":latest\n")
		case e.Key.Str == "KeystoneFernetKeys":
			filled.WriteString("{}\n")
		case e.Key.Str == "CephClientKey":
			filled.WriteString("AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n")
		default:
			filled.WriteString("secret-" + e.Key.Str + "\n")
		}
	}
	full := filepath.Join(dir, "filled.yaml")
	if err := os.WriteFile(full, []byte(filled.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ok2 := run(t, "", append([]string{"build"}, append(args, "-e", full)...)...)
	if ok2.code != ExitOK || strings.Contains(ok2.err, "without a value") {
		t.Errorf("with the skeleton filled in: exit %d\n%s", ok2.code, ok2.err)
	}
}

// TestBuildEqualsRealHeat runs the Heat oracle's compare_roles.py, which
// runs `hoist build --dump role-data` with the inputs real Heat was given
// for the per-role goldens and compares every role with what Heat
// computed.
func TestBuildEqualsRealHeat(t *testing.T) {
	oracle := testenv.Oracle(t)
	rendered := testenv.CorpusRendered(t)
	bin := buildHoist(t)
	cmd := exec.Command(testenv.Python, filepath.Join(oracle, "compare_roles.py"), bin, rendered)
	out, err := cmd.CombinedOutput()
	if last := lastLine(string(out)); last != "5/5 roles equal to real Heat" || err != nil {
		t.Errorf("compare_roles.py: %v\n%s", err, out)
	}
}

// steinCellEndpoints are the role_data paths where a whole stein overcloud
// differs from the stein role goldens whatever its inputs: stein's
// overcloud.yaml EndpointMapData always adds MysqlCellInternal and
// NovaVNCProxyCellPublic to the EndpointMap the roles get (from the
// computed endpoint map, in both branches of its conditions
// set_default_mysql_cell_internal and set_default_nova_vnc_proxy_cell_public),
// while the oracle gave each role chain the EndpointMap without them, so
// that Heat found no such key and resolved these settings to "" (and the
// database URL to "//nova:NovaPassword@/nova?..."). docs/releases.md.
var steinCellEndpoints = map[string][]string{
	"Compute": {
		"/config_settings/nova::database_connection",
		"/config_settings/nova::vncproxy::common::vncproxy_host",
		"/config_settings/nova::vncproxy::common::vncproxy_port",
		"/config_settings/nova::vncproxy::common::vncproxy_protocol",
	},
	"Controller": {
		"/config_settings/nova::database_connection",
		"/config_settings/nova::vncproxy::common::vncproxy_host",
		"/config_settings/nova::vncproxy::common::vncproxy_port",
		"/config_settings/nova::vncproxy::common::vncproxy_protocol",
		"/service_config_settings/mysql/nova::db::mysql::host",
	},
}

// TestBuildEqualsRealHeatStein holds the whole stein compile against the
// real-Heat role goldens of stein with compare_roles.py's own inputs
// (--keep-env), everywhere but the paths a whole overcloud cannot give as
// the goldens have them:
//   - with the network isolation that the goldens' ServiceData assumes
//     (net_cidr_map: each network's ip_subnet), only steinCellEndpoints
//     differ;
//   - with compare_roles.py's environments alone (no network isolation),
//     the isolated networks are OS::Heat::None and net_cidr_map falls back
//     to the ctlplane CIDR, as stein's network/networks.yaml says, so the
//     Controller's settings keyed by the internal_api CIDR differ too.
//
// Every role without those settings (BlockStorage, CephStorage,
// ObjectStorage) is equal, as compare_roles.py prints.
func TestBuildEqualsRealHeatStein(t *testing.T) {
	oracle := testenv.Oracle(t)
	rendered := testenv.Tree(t, "stein-rendered")
	bin := buildHoist(t)
	goldens := filepath.Join(oracle, "golden", "stein-roles")
	envDir := t.TempDir()
	cmd := exec.Command(testenv.Python, filepath.Join(oracle, "compare_roles.py"), bin, rendered, goldens, "--keep-env", envDir)
	out, _ := cmd.CombinedOutput()
	for _, role := range []string{"BlockStorage", "CephStorage", "ObjectStorage"} {
		if strings.Contains(string(out), role+": ") {
			t.Errorf("compare_roles.py finds %s different:\n%s", role, out)
		}
	}
	t.Logf("compare_roles.py:\n%s", out)
	build := func(extra ...string) map[string]any {
		args := []string{"build", "--templates", rendered,
			"-r", filepath.Join(rendered, "roles_data.yaml"), "-n", filepath.Join(rendered, "network_data.yaml"),
			"-e", filepath.Join(rendered, "environments", "docker-ha.yaml")}
		args = append(args, extra...)
		args = append(args, "-e", filepath.Join(envDir, "hoist-roles-env.yaml"), "--allow-missing", "--dump", "role-data")
		c := exec.Command(bin, args...)
		b, err := c.Output()
		if err != nil {
			t.Fatalf("hoist %s: %v", strings.Join(args, " "), err)
		}
		var dump struct{ Roles map[string]any }
		if err := json.Unmarshal(b, &dump); err != nil {
			t.Fatal(err)
		}
		return dump.Roles
	}
	check := func(name string, roles map[string]any, want map[string][]string) {
		for _, role := range []string{"BlockStorage", "CephStorage", "Compute", "Controller", "ObjectStorage"} {
			b, err := os.ReadFile(filepath.Join(goldens, role+".json"))
			if err != nil {
				t.Fatal(err)
			}
			var g struct {
				RoleData any `json:"role_data"`
			}
			if err := json.Unmarshal(b, &g); err != nil {
				t.Fatal(err)
			}
			got := strings.Join(diffPaths(roles[role], g.RoleData, ""), "\n")
			if exp := strings.Join(want[role], "\n"); got != exp {
				t.Errorf("%s, %s differs from the golden at:\n%s\nwant exactly:\n%s", name, role, got, exp)
			}
		}
	}
	// Real Heat on stein's conditions: whatever NovaAdditionalCell is, an
	// EndpointMapOverride without MysqlCellInternal makes overcloud.yaml add
	// it.
	var cases strings.Builder
	for _, cell := range []string{"false", "true"} {
		fmt.Fprintf(&cases, `{"version": "rocky", "params": {"NovaAdditionalCell": %s, "EndpointMapOverride": {"KeystoneInternal": {}}}, "conditions": {"set_default_mysql_cell_internal": {"or": [{"equals": [{"get_param": "NovaAdditionalCell"}, true]}, {"and": [{"equals": [{"get_param": "NovaAdditionalCell"}, false]}, {"equals": [{"get_param": ["EndpointMapOverride", "MysqlCellInternal"]}, ""]}]}]}}, "expr": {"if": ["set_default_mysql_cell_internal", "added", "not added"]}}`+"\n", cell)
	}
	fn := exec.Command(testenv.Python, filepath.Join(oracle, "oracle_fn.py"))
	fn.Stdin = strings.NewReader(cases.String())
	if res, err := fn.Output(); err != nil || strings.Count(string(res), `{"ok": true, "value": "added"}`) != 2 {
		t.Errorf("real Heat on stein's set_default_mysql_cell_internal: %v\n%s", err, res)
	}
	check("with network isolation", build("-e", filepath.Join(rendered, "environments", "network-isolation.yaml")), steinCellEndpoints)
	plain := map[string][]string{"Compute": steinCellEndpoints["Compute"]}
	plain["Controller"] = []string{
		"/config_settings/apache::mod::remoteip::proxy_ips",
		"/config_settings/nova::database_connection",
		"/config_settings/nova::vncproxy::common::vncproxy_host",
		"/config_settings/nova::vncproxy::common::vncproxy_port",
		"/config_settings/nova::vncproxy::common::vncproxy_protocol",
		"/config_settings/tripleo::memcached::firewall_rules/121 memcached 172.16.2.0/24",
		"/config_settings/tripleo::memcached::firewall_rules/121 memcached 192.168.24.0/24",
		"/service_config_settings/mysql/nova::db::mysql::host",
	}
	check("with compare_roles.py's environments", build(), plain)
}

// diffPaths lists the paths where two JSON values differ (maps by key,
// lists of the same length by index), sorted.
func diffPaths(a, b any, path string) []string {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		keys := map[string]bool{}
		for k := range am {
			keys[k] = true
		}
		for k := range bm {
			keys[k] = true
		}
		var out []string
		for _, k := range slices.Sorted(maps.Keys(keys)) {
			out = append(out, diffPaths(am[k], bm[k], path+"/"+k)...)
		}
		return out
	}
	al, aok := a.([]any)
	bl, bok := b.([]any)
	if aok && bok && len(al) == len(bl) {
		var out []string
		for i := range al {
			out = append(out, diffPaths(al[i], bl[i], fmt.Sprintf("%s[%d]", path, i))...)
		}
		if len(out) > 0 {
			return []string{path}
		}
		return nil
	}
	if reflect.DeepEqual(a, b) {
		return nil
	}
	return []string{path}
}

// TestBuildUnsupportedRelease: a tree of pike or of master (wallaby) is
// exit 2 with the one message naming the release detected and the
// supported ones, from build, plan and params alike; --release reads it as
// a supported release instead.
func TestBuildUnsupportedRelease(t *testing.T) {
	for _, tc := range []struct{ tree, name string }{{"pike", "pike"}, {"master", "wallaby"}} {
		root := filepath.Join(testenv.RepoRoot(t), "testdata", "releases", tc.tree)
		for _, cmd := range [][]string{{"build"}, {"plan"}, {"params", "missing"}} {
			r := run(t, "", append(cmd, "--templates", root, "--allow-missing")...)
			if r.code != ExitUsage {
				t.Errorf("%s %s: exit %d, want %d\n%s", cmd[0], tc.tree, r.code, ExitUsage, r.err)
			}
			for _, want := range []string{"tree of " + tc.name, "hoist supports the releases queens to train", "[deploy/release]"} {
				if !strings.Contains(r.err, want) {
					t.Errorf("%s %s: stderr does not say %q:\n%s", cmd[0], tc.tree, want, r.err)
				}
			}
			if strings.Contains(r.err, "panic") || strings.Count(strings.TrimSpace(r.err), "\n") > 3 {
				t.Errorf("%s %s: expected one clear message:\n%s", cmd[0], tc.tree, r.err)
			}
		}
	}
	// The fixture is no whole tree: read as queens, the compile goes on to
	// its (missing) network_data.yaml.
	r := run(t, "", "build", "--templates", filepath.Join(testenv.RepoRoot(t), "testdata", "releases", "pike"), "--release", "queens", "--allow-missing")
	if strings.Contains(r.err, "[deploy/release]") || !strings.Contains(r.err, "cannot read the networks file") {
		t.Errorf("--release queens on pike:\n%s", r.err)
	}
	r = run(t, "", "build", "--templates", ".", "--release", "kilo")
	if r.code != ExitUsage || !strings.Contains(r.err, `unknown --release "kilo": expected "queens", "rocky", "stein" or "train"`) {
		t.Errorf("--release kilo: exit %d\n%s", r.code, r.err)
	}
}
