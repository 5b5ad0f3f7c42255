package emit_test

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"hoist/compiler/deploy"
	"hoist/emit"
	"hoist/internal/testenv"
	"hoist/model"
	"hoist/plan"
	"hoist/schema"
	"hoist/value"
)

// compiledQueens compiles the queens overcloud of the acceptance (default
// roles, 3 controllers, 2 computes, docker.yaml and docker-ha.yaml,
// --allow-missing).
func compiledQueens(t testing.TB) *model.Deployment {
	t.Helper()
	return compiledQueensWith(t, map[string]int{"Controller": 3, "Compute": 2})
}

// compiledQueensWith compiles the queens overcloud with these counts,
// environments/docker.yaml and docker-ha.yaml, then the environments
// given: names in the tree's environments/ folder, or absolute paths.
func compiledQueensWith(t testing.TB, counts map[string]int, environments ...string) *model.Deployment {
	t.Helper()
	tht := testenv.Corpus(t)
	var cs []deploy.Count
	for _, r := range slices.Sorted(maps.Keys(counts)) {
		cs = append(cs, deploy.Count{Role: r, N: counts[r]})
	}
	var envs []deploy.Path
	for _, e := range append([]string{"docker.yaml", "docker-ha.yaml"}, environments...) {
		if !filepath.IsAbs(e) {
			e = filepath.Join(tht, "environments", e)
		}
		envs = append(envs, deploy.Path{Path: e})
	}
	d, err := deploy.Compile(deploy.Inputs{
		Templates:    deploy.Path{Path: tht},
		Environments: envs,
		Counts:       cs,
		AllowMissing: true,
	}, deploy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return d.Model()
}

func TestCompiledQueens(t *testing.T) {
	tree := build(t, compiledQueens(t), emit.Options{})
	s := schema.Default()
	n := 0
	for _, f := range tree.Files {
		_, rel, ok := emit.NodeOf(f.Path)
		if !ok {
			continue
		}
		var k schema.Kind
		switch {
		case strings.HasPrefix(rel, "var/lib/tripleo-config/docker-container-startup-config-step_"):
			k = schema.StartupConfig
		case strings.HasPrefix(rel, "var/lib/kolla/config_files/"):
			k = schema.KollaConfig
		case rel == emit.PuppetConfigFile || strings.HasPrefix(rel, "var/lib/docker-puppet/docker-puppet-tasks"):
			k = schema.DockerPuppetJSON
		default:
			continue
		}
		n++
		for _, d := range s.Validate(k, load(t, f), schema.Options{}) {
			if knownDefect(rel, d.Path, d.Rule) {
				continue
			}
			t.Errorf("%s: %v", f.Path, d)
		}
	}
	if n < 200 {
		t.Errorf("validated %d files", n)
	}
	for i, h := range []string{"overcloud-controller-0", "overcloud-controller-1", "overcloud-controller-2"} {
		v := load(t, file(t, tree, "nodes/"+h+"/var/lib/tripleo-config/docker-container-startup-config-step_3.json"))
		c, ok := v.Map.Get("keystone_db_sync")
		d, _ := c.Map.Get("detach")
		if !ok || d == nil || d.Kind != value.Bool || d.Bool {
			t.Errorf("%s: keystone_db_sync %v", h, c)
		}
		if has(tree, "nodes/"+h+"/var/lib/docker-puppet/docker-puppet-tasks3.json") != (i == 0) {
			t.Errorf("%s: docker-puppet-tasks3.json present %v", h, !(i == 0))
		}
	}
	// --allow-missing: the images are unknown, written as text and listed.
	f := file(t, tree, "nodes/overcloud-controller-0/var/lib/tripleo-config/docker-container-startup-config-step_3.json")
	if !strings.Contains(string(f.Data), `"image": "<unknown: parameter DockerKeystoneImage has no value>"`) {
		t.Error("keystone's unknown image is not written as <unknown: reason>")
	}
	found := false
	for _, u := range f.Unknowns {
		found = found || u.Path == "keystone_db_sync.image" && u.Reason == "parameter DockerKeystoneImage has no value"
	}
	if !found {
		t.Errorf("the manifest does not list keystone_db_sync.image: %v", f.Unknowns)
	}
	// Passwords nobody gave make their files secret.
	if sc := file(t, tree, "nodes/overcloud-controller-0/var/lib/kolla/config_files/keystone.json"); sc.Mode != 0o600 {
		t.Errorf("kolla config mode %04o", sc.Mode)
	}
	// --strict refuses the unknowns.
	if tree, ds := emit.Build(plan.Build(compiledQueens(t)), emit.Options{Strict: true}); tree != nil || len(ds) == 0 || ds[0].Rule != emit.RuleUnknown {
		t.Errorf("--strict built a tree with unknowns: %v", ds)
	}
}

// TestPredictableIPs: with TripleO's predictable IP environments, the
// addresses are known and written.
func TestPredictableIPs(t *testing.T) {
	testenv.Corpus(t) // skip early without the corpus
	// The parameters of environments/fixed-ip-vips.yaml (whose registry
	// entries need network/ports/port.j2, which the data corpus lacks).
	vips := filepath.Join(t.TempDir(), "fixed-ip-vips.yaml")
	if err := os.WriteFile(vips, []byte(`parameter_defaults:
  ControlFixedIPs: [{'ip_address':'192.168.24.240'}]
  PublicVirtualFixedIPs: [{'ip_address':'10.0.0.240'}]
  InternalApiVirtualFixedIPs: [{'ip_address':'172.16.2.240'}]
  StorageVirtualFixedIPs: [{'ip_address':'172.16.1.240'}]
  StorageMgmtVirtualFixedIPs: [{'ip_address':'172.16.3.240'}]
  RedisVirtualFixedIPs: [{'ip_address':'172.16.2.241'}]
`), 0o644); err != nil {
		t.Fatal(err)
	}
	d := compiledQueensWith(t, map[string]int{"Controller": 2, "Compute": 1}, "ips-from-pool-all.yaml", "ips-from-pool-ctlplane.yaml", vips)
	tree := build(t, d, emit.Options{})
	hiera := func(node, name string) *value.Value {
		return load(t, file(t, tree, "nodes/"+node+"/etc/puppet/hieradata/"+name+".json"))
	}
	check := func(v *value.Value, key, want string) {
		t.Helper()
		got, _ := v.Map.Get(key)
		if got == nil || got.Str != want {
			t.Errorf("%s: %v, want %q", key, got, want)
		}
	}
	ipm := hiera("overcloud-controller-0", "net_ip_map")
	check(ipm, "internal_api", "172.16.2.251")
	check(ipm, "internal_api_subnet", "172.16.2.251/24")
	check(ipm, "internal_api_uri", "172.16.2.251")
	check(ipm, "ctlplane", "192.168.24.251")
	check(ipm, "ctlplane_subnet", "192.168.24.251/24")
	// The sample environment has one address per network: the second
	// controller's stay unknown, and say which parameter fixes them.
	check(hiera("overcloud-controller-1", "net_ip_map"), "internal_api", "<unknown: the internal_api IP address of overcloud-controller-1, assigned by Neutron when the node is deployed (ControllerIPs.internal_api fixes it)>")
	// A compute is not on the external network: its ctlplane address.
	check(hiera("overcloud-novacompute-0", "net_ip_map"), "external", "192.168.24.252")
	vd := hiera("overcloud-controller-0", "vip_data")
	check(vd, "internal_api_virtual_ip", "172.16.2.240")
	check(vd, "public_virtual_ip", "10.0.0.240")
	check(vd, "controller_virtual_ip", "192.168.24.240")
	check(vd, "redis_vip", "172.16.2.241")
	check(hiera("overcloud-controller-0", "bootstrap_node"), "bootstrap_nodeid_ip", "192.168.24.251")
	an := hiera("overcloud-novacompute-0", "all_nodes")
	ips, _ := an.Map.Get("nova_libvirt_node_ips")
	if ips == nil || len(ips.List) != 1 || ips.List[0].Str != "172.16.2.252" {
		t.Errorf("nova_libvirt_node_ips %v", ips)
	}
}
