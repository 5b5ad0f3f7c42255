package emit_test

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hoist/emit"
	"hoist/model"
	"hoist/pipeline"
	"hoist/plan"
	"hoist/plan/plantest"
	"hoist/pyyaml"
	"hoist/value"
)

// snapshot reads every file under dir.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if !d.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			out[rel] = string(b)
		}
		return nil
	})
	return out
}

func roleData(t *testing.T, src string) *model.Deployment {
	t.Helper()
	doc, err := pyyaml.Load("deployment.yaml", []byte(src), pyyaml.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	d, ok := model.FromRoleData(doc.Root)
	if !ok {
		t.Fatal("not a role-data document")
	}
	if err := pipeline.MergeHiera(d); err != nil {
		t.Fatal(err)
	}
	return d
}

const small = `roles:
  Controller:
    service_names: [keystone]
    kolla_config:
      /var/lib/kolla/config_files/keystone.json: {command: /usr/sbin/httpd}
    docker_config:
      step_3:
        keystone: {image: keystone, volumes: [/var/lib/kolla/config_files/keystone.json:/var/lib/kolla/config_files/config.json:ro]}
`

func TestFailedBuildLeavesOutUntouched(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if err := emit.Write(build(t, plantest.Queens(t, queens), emit.Options{}), out); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, out)

	// A build that fails: a kolla_config key that climbs out of the node.
	bad := roleData(t, strings.Replace(small, "/var/lib/kolla/config_files/keystone.json: {", "/var/lib/kolla/../../../../etc/cron.d/x: {", 1))
	tree, ds := emit.Build(plan.Build(bad), emit.Options{})
	if tree != nil || len(ds) != 1 || ds[0].Rule != emit.RulePath || !strings.Contains(ds[0].Error(), `deployment.yaml:5:7: error: role Controller: kolla_config key "/var/lib/kolla/../../../../etc/cron.d/x" cannot be written on the node: it climbs out with '..'`) {
		t.Fatalf("a kolla_config key outside the node folder: %v", ds)
	}
	// A write that fails half-way (a file where a folder must go).
	broken := &emit.Tree{Files: []*emit.File{
		{Path: "manifest.json", Data: []byte("{}\n"), Mode: 0o644},
		{Path: "nodes/a", Data: []byte("x"), Mode: 0o644},
		{Path: "nodes/a/b", Data: []byte("y"), Mode: 0o644},
	}}
	if err := emit.Write(broken, out); err == nil {
		t.Fatal("a write with a file under a file succeeded")
	}
	if after := snapshot(t, out); !maps.Equal(before, after) {
		t.Error("a failed write changed OUT")
	}
	ents, _ := os.ReadDir(filepath.Dir(out))
	if len(ents) != 1 {
		t.Errorf("a failed write left %d entries beside OUT", len(ents))
	}

	// A successful build replaces OUT whole: files of the old tree go.
	if err := emit.Write(build(t, roleData(t, small), emit.Options{}), out); err != nil {
		t.Fatal(err)
	}
	after := snapshot(t, out)
	if _, ok := after["nodes/overcloud-controller-0/var/lib/kolla/config_files/keystone.json"]; !ok || len(after) >= len(before) {
		t.Errorf("the new tree did not replace the old one (%d files, then %d)", len(before), len(after))
	}
	if _, ok := after["nodes/overcloud-novacompute-0/var/lib/docker-puppet/docker-puppet.json"]; ok {
		t.Error("a file of the old tree is still there")
	}
}

func TestWriteRefusesForeignFolders(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := emit.Write(build(t, roleData(t, small), emit.Options{}), dir)
	if err == nil || !strings.Contains(err.Error(), "holds no manifest.json: hoist replaces only a folder it wrote") {
		t.Fatalf("wrote over a folder hoist did not write: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "notes.txt")); string(b) != "mine" {
		t.Error("the folder was changed")
	}
	file := filepath.Join(dir, "notes.txt")
	if err := emit.Write(build(t, roleData(t, small), emit.Options{}), file); err == nil {
		t.Error("wrote over a file")
	}
	// An empty folder is fine.
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	if err := emit.Write(build(t, roleData(t, small), emit.Options{}), empty); err != nil {
		t.Error(err)
	}
}

func TestPathsFromTemplates(t *testing.T) {
	for _, c := range []struct{ from, to, want string }{
		{"/var/lib/kolla/config_files/keystone.json: {", "var/lib/kolla/config_files/keystone.json: {", "it is not an absolute path"},
		{"/var/lib/kolla/config_files/keystone.json: {", "/var/lib/kolla//config_files/keystone.json: {", "it is not a clean path"},
		{"/var/lib/kolla/config_files/keystone.json: {", "/: {", "it is the node's root folder"},
		{"/var/lib/kolla/config_files/keystone.json: {", "/etc/puppet/hieradata/service_configs.json: {", "two files would be written to /etc/puppet/hieradata/service_configs.json"},
		{"    docker_config:", "    docker_config_scripts:\n      ../../evil.sh: {mode: '0700', content: 'x'}\n    docker_config:", `docker_config_scripts name "../../evil.sh" cannot be written`},
		{"    docker_config:", "    docker_config_scripts:\n      x.sh: {mode: 'rwx', content: 'x'}\n    docker_config:", `has mode "rwx": expected an octal file mode`},
		{"    docker_config:", "    docker_config_scripts:\n      x.sh: {mode: 0o700, content: 'x'}\n    docker_config:", `has mode "0o700": expected an octal file mode`},
		{"    docker_config:", "    docker_puppet_tasks:\n      step_3/../x: []\n    docker_config:", `docker_puppet_tasks key "step_3/../x" cannot name a file`},
	} {
		d := roleData(t, strings.Replace(small, c.from, c.to, 1))
		tree, ds := emit.Build(plan.Build(d), emit.Options{})
		if tree != nil || len(ds) == 0 || !strings.Contains(ds[0].Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.to, ds, c.want)
		}
	}
	// A hostname format that makes a path.
	d := roleData(t, small)
	d.Roles[0].HostnameFormat = "../%stackname%-%index%"
	if tree, ds := emit.Build(plan.Build(d), emit.Options{}); tree != nil || len(ds) == 0 || !strings.Contains(ds[0].Error(), "is not a valid folder name") {
		t.Errorf("hostname with a slash: %v", ds)
	}
}

// TestStrict: a deployment whose values are all known builds with
// --strict; one unknown value fails it, once per value.
func TestStrict(t *testing.T) {
	d := roleData(t, small)
	d.Roles[0].Count = 2
	doc, err := pyyaml.Load("ips.yaml", []byte("ControllerIPs: {ctlplane: [192.168.24.10, 192.168.24.11]}\nControlFixedIPs: [{ip_address: 192.168.24.5}]\nRedisVirtualFixedIPs: [{ip_address: 192.168.24.6}]\n"), pyyaml.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	d.Parameters = map[string]*value.Value{}
	for _, e := range doc.Root.Map.Entries() {
		d.Parameters[e.Key.Str] = e.Val
	}
	tree, ds := emit.Build(plan.Build(d), emit.Options{Strict: true})
	if tree == nil {
		t.Fatalf("--strict refused a deployment without unknowns: %v", ds)
	}
	for _, f := range tree.Files {
		if len(f.Unknowns) > 0 || strings.Contains(string(f.Data), "<unknown") {
			t.Errorf("%s holds an unknown: %v", f.Path, f.Unknowns)
		}
	}
	delete(d.Parameters, "ControllerIPs")
	tree, ds = emit.Build(plan.Build(d), emit.Options{Strict: true})
	if tree != nil || len(ds) == 0 {
		t.Fatal("--strict accepted unknown addresses")
	}
	for _, x := range ds {
		if x.Rule != emit.RuleUnknown || !strings.Contains(x.Message, "ControllerIPs.ctlplane fixes it") {
			t.Errorf("%v", x)
		}
	}
}

func TestScriptModes(t *testing.T) {
	d := roleData(t, strings.Replace(small, "    docker_config:", "    docker_config_scripts:\n      a.sh: {mode: 0755, content: 'echo a'}\n      b.sh: {mode: '0700', content: 'echo b'}\n      c.sh: {content: 'echo c'}\n    docker_config:", 1))
	tree := build(t, d, emit.Options{})
	for name, want := range map[string]os.FileMode{"a.sh": 0o755, "b.sh": 0o700, "c.sh": 0o600} {
		f := file(t, tree, "nodes/overcloud-controller-0/var/lib/docker-config-scripts/"+name)
		if f.Mode != want || !strings.HasPrefix(string(f.Data), "echo ") {
			t.Errorf("%s: mode %04o, want %04o", name, f.Mode, want)
		}
	}
}
