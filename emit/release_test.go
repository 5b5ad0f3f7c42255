package emit_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"hoist/emit"
	"hoist/model"
	"hoist/pipeline"
	"hoist/pyyaml"
	"hoist/release"
	"hoist/value"
)

// twoRoles is a deployment whose keystone runs on two roles: Controller
// (2 nodes, first in roles_data) and Aaa (1 node, whose hostname sorts
// first), mysql on Controller only. KEY is the release's puppet tasks key.
const twoRoles = `roles:
  Controller:
    service_names: [keystone, mysql]
    monitoring_subscriptions: [overcloud-keystone]
    docker_config:
      step_3:
        keystone_db_sync: {image: ks, detach: false, environment: {KOLLA_BOOTSTRAP: true}}
        keystone: {image: ks, start_order: 2, volumes: ["/var/lib/config-data/puppet-generated/keystone/:/src:ro"]}
    puppet_config:
      - {config_volume: keystone, puppet_tags: keystone_config, step_config: "include keystone", config_image: ks}
    KEY:
      step_2:
        - {config_volume: mysql_init_tasks, service_name: mysql, step_config: "include mysql", config_image: my}
      step_3:
        - {config_volume: keystone_init_tasks, service_name: keystone, step_config: "include keystone", config_image: ks}
    SCRIPTS:
      wait.sh: {content: "#!/bin/sh\n", mode: "0700"}
  Aaa:
    service_names: [keystone]
    docker_config:
      step_3:
        keystone: {image: ks}
    KEY:
      step_3:
        - {config_volume: keystone_init_tasks, service_name: keystone, step_config: "include keystone", config_image: ks}
`

func releaseDeployment(t *testing.T, rel *release.Release, tasksKey string) *model.Deployment {
	t.Helper()
	src := strings.NewReplacer("KEY", tasksKey, "SCRIPTS", rel.RoleData.ConfigScripts).Replace(twoRoles)
	doc, err := pyyaml.Load("roles.yaml", []byte(src), pyyaml.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	d, ok := model.FromRoleData(doc.Root)
	if !ok {
		t.Fatal("not a role-data document")
	}
	d.Roles[0].Count = 2
	d.Release = rel
	if err := pipeline.MergeHiera(d); err != nil {
		t.Fatal(err)
	}
	return d
}

// nodeFiles lists each node's files (node paths), sorted.
func nodeFiles(tree *emit.Tree) map[string][]string {
	out := map[string][]string{}
	for _, f := range tree.Files {
		if h, rel, ok := emit.NodeOf(f.Path); ok {
			out[h] = append(out[h], rel)
		}
	}
	return out
}

// TestReleaseLayouts: each release's node files at its paths, the puppet
// tasks on the nodes its rule picks, and its JSON indent.
func TestReleaseLayouts(t *testing.T) {
	type want struct {
		has, hasNot []string
		// tasks are the puppet tasks files of each node.
		tasks map[string][]string
	}
	cases := map[string]want{
		"queens": {
			has: []string{"var/lib/docker-container-startup-configs.json", "var/lib/tripleo-config/docker-container-startup-config-step_3.json",
				"var/lib/tripleo-config/docker-container-startup-config-step_6.json", "var/lib/docker-puppet/docker-puppet.json",
				"var/lib/docker-config-scripts/wait.sh", "etc/puppet/hieradata/controller.json", "etc/puppet/hieradata/controller_extraconfig.json"},
			hasNot: []string{"var/lib/docker-puppet/readme.txt"},
			// each role's first node runs its role's tasks
			tasks: map[string][]string{"overcloud-controller-0": {"docker-puppet-tasks2.json", "docker-puppet-tasks3.json"}, "overcloud-aaa-0": {"docker-puppet-tasks3.json"}},
		},
		"rocky": {
			has: []string{"var/lib/docker-container-startup-configs.json", "var/lib/tripleo-config/docker-container-startup-config-step_3.json",
				"var/lib/docker-puppet/docker-puppet.json", "var/lib/docker-config-scripts/wait.sh"},
			// keystone's bootstrap node is the first node of its first role
			tasks: map[string][]string{"overcloud-controller-0": {"docker-puppet-tasks2.json", "docker-puppet-tasks3.json"}},
		},
		"stein": {
			has: []string{"var/lib/tripleo-config/container-startup-config-step_3.json", "var/lib/tripleo-config/container-startup-config-step_1.json",
				"var/lib/container-puppet/container-puppet.json", "var/lib/container-config-scripts/wait.sh", "var/lib/docker-puppet/readme.txt"},
			hasNot: []string{"var/lib/docker-container-startup-configs.json", "var/lib/docker-puppet/docker-puppet.json",
				"var/lib/tripleo-config/docker-container-startup-config-step_3.json"},
			tasks: map[string][]string{"overcloud-controller-0": {"container-puppet-tasks2.json", "container-puppet-tasks3.json"}},
		},
		"train": {
			has: []string{"var/lib/tripleo-config/container-startup-config/step_3/keystone_db_sync.json",
				"var/lib/tripleo-config/container-startup-config/step_3/keystone.json", "var/lib/container-puppet/container-puppet.json",
				"var/lib/tripleo-config/container-startup-config-readme.txt", "etc/puppet/hieradata/role_extraconfig.json",
				"etc/puppet/hieradata/cloud_domain.json", "etc/puppet/hieradata/fqdn.json"},
			hasNot: []string{"var/lib/docker-container-startup-configs.json", "var/lib/tripleo-config/container-startup-config-step_3.json",
				"var/lib/tripleo-config/container-startup-config/step_1", "etc/puppet/hieradata/controller.json", "etc/puppet/hieradata/controller_extraconfig.json"},
			// keystone's bootstrap node is the first of its nodes by name
			tasks: map[string][]string{"overcloud-controller-0": {"container-puppet-tasks2.json"}, "overcloud-aaa-0": {"container-puppet-tasks3.json"}},
		},
	}
	for _, rel := range release.All() {
		t.Run(rel.Name, func(t *testing.T) {
			w := cases[rel.Name]
			tree := build(t, releaseDeployment(t, rel, rel.RoleData.PuppetTasks), emit.Options{})
			files := nodeFiles(tree)
			for _, h := range []string{"overcloud-controller-0", "overcloud-controller-1"} {
				for _, p := range w.has {
					if !slices.Contains(files[h], p) {
						t.Errorf("%s has no %s", h, p)
					}
				}
				for _, p := range w.hasNot {
					for _, f := range files[h] {
						if f == p || strings.HasPrefix(f, p+"/") {
							t.Errorf("%s has %s", h, f)
						}
					}
				}
			}
			for _, h := range []string{"overcloud-controller-0", "overcloud-controller-1", "overcloud-aaa-0"} {
				var got []string
				for _, f := range files[h] {
					if strings.Contains(f, "puppet-tasks") {
						got = append(got, f[strings.LastIndex(f, "/")+1:])
					}
				}
				if !slices.Equal(got, w.tasks[h]) {
					t.Errorf("%s: puppet tasks %q, want %q", h, got, w.tasks[h])
				}
			}
			// Entries keep their service_name; each node's file holds only
			// its own (controller-0's step 2 is mysql's).
			tf := strings.Replace(rel.Node.PuppetTasks, "%d", "2", 1)
			v := load(t, file(t, tree, "nodes/overcloud-controller-0/"+tf))
			if len(v.List) != 1 || value.Str(mustGet(t, v.List[0], "service_name")) != "mysql" {
				t.Errorf("%s: %s", tf, file(t, tree, "nodes/overcloud-controller-0/"+tf).Data)
			}
			// The JSON indent the release's deploy steps wrote.
			indent := map[string]string{"queens": "  ", "rocky": "    ", "stein": "    ", "train": "    "}[rel.Name]
			if data := file(t, tree, "nodes/overcloud-controller-0/"+tf).Data; !bytes.HasPrefix(data, []byte("[\n"+indent+"{")) {
				t.Errorf("%s is not indented by %q:\n%s", tf, indent, data)
			}
			// The manifest and the plan record the release.
			if m := load(t, file(t, tree, emit.ManifestFile)); value.Str(mustGet(t, m, "release")) != rel.Name {
				t.Errorf("manifest.json's release %v", mustGet(t, m, "release"))
			}
			if p := load(t, file(t, tree, emit.PlanFile)); value.Str(mustGet(t, p, "release")) != rel.Name {
				t.Errorf("plan.json's release %v", mustGet(t, p, "release"))
			}
		})
	}
}

// TestReleaseHieradata: what differs in the hieradata by release.
func TestReleaseHieradata(t *testing.T) {
	for _, rel := range release.All() {
		t.Run(rel.Name, func(t *testing.T) {
			tree := build(t, releaseDeployment(t, rel, rel.RoleData.PuppetTasks), emit.Options{})
			hd := "nodes/overcloud-controller-1/etc/puppet/hieradata/"
			bn := load(t, file(t, tree, hd+"bootstrap_node.json"))
			if value.Str(mustGet(t, bn, "bootstrap_nodeid")) != "overcloud-controller-0" || bn.Map.Has("bootstrap_nodeid_ip") != rel.Node.Hiera.BootstrapNodeIP {
				t.Errorf("bootstrap_node.json: %s", file(t, tree, hd+"bootstrap_node.json").Data)
			}
			an := load(t, file(t, tree, hd+"all_nodes.json"))
			wantBoot := map[string]string{"queens": "overcloud-controller-0", "rocky": "overcloud-controller-0", "stein": "overcloud-controller-0", "train": "overcloud-aaa-0"}[rel.Name]
			if got := value.Str(mustGet(t, an, "keystone_short_bootstrap_node_name")); got != wantBoot {
				t.Errorf("keystone_short_bootstrap_node_name %q, want %q", got, wantBoot)
			}
			if cli, ok := an.Map.Get("container_cli"); ok != rel.AtLeast("stein") || ok && cli.Str != "podman" {
				t.Errorf("container_cli %v", cli)
			}
			sn := load(t, file(t, tree, hd+"service_names.json"))
			var names []string
			for _, it := range mustGet(t, sn, "service_names").List {
				names = append(names, value.Str(it))
			}
			if rel.Name == "train" {
				if !slices.Equal(names, []string{"keystone_admin_api", "keystone_public_api", "keystone", "mysql"}) || sn.Map.Has("sensu::subscriptions") {
					t.Errorf("service_names.json: %s", file(t, tree, hd+"service_names.json").Data)
				}
				re := load(t, file(t, tree, hd+"role_extraconfig.json"))
				if !re.Map.Has("tripleo::profile::base::metrics::collectd::sensubility::subscriptions") {
					t.Errorf("role_extraconfig.json: %s", file(t, tree, hd+"role_extraconfig.json").Data)
				}
				return
			}
			if !sn.Map.Has("sensu::subscriptions") {
				t.Error("service_names.json has no sensu::subscriptions")
			}
			role := load(t, file(t, tree, hd+"controller.json"))
			if role.Map.Has("tripleo::packages::enable_upgrade") != (rel.Name == "queens") ||
				role.Map.Has("tripleo::profile::base::logging::fluentd::fluentd_sources") != !rel.AtLeast("stein") ||
				!role.Map.Has("tripleo::clouddomain") || !role.Map.Has("fqdn_canonical") {
				t.Errorf("controller.json: %s", file(t, tree, hd+"controller.json").Data)
			}
			hy := string(file(t, tree, "nodes/overcloud-controller-1/etc/puppet/hiera.yaml").Data)
			if strings.Contains(hy, "  - upgrade\n") != rel.AtLeast("stein") || !strings.Contains(hy, "  - controller_extraconfig\n") {
				t.Errorf("hiera.yaml:\n%s", hy)
			}
		})
	}
}

// TestReleaseDeprecatedTasksKey: stein and train still read
// docker_puppet_tasks.
func TestReleaseDeprecatedTasksKey(t *testing.T) {
	stein, _ := release.Lookup("stein")
	tree := build(t, releaseDeployment(t, stein, "docker_puppet_tasks"), emit.Options{})
	if !has(tree, "nodes/overcloud-controller-0/var/lib/container-puppet/container-puppet-tasks3.json") {
		t.Error("docker_puppet_tasks of a stein role is not written as container-puppet-tasks3.json")
	}
}

// TestReleaseDeterminism: two builds, one node at a time and in parallel,
// give the same bytes for every release.
func TestReleaseDeterminism(t *testing.T) {
	for _, rel := range release.All() {
		d := releaseDeployment(t, rel, rel.RoleData.PuppetTasks)
		a, b := build(t, d, emit.Options{Jobs: 1}), build(t, d, emit.Options{Jobs: 4})
		if len(a.Files) != len(b.Files) {
			t.Fatalf("%s: %d files, then %d", rel.Name, len(a.Files), len(b.Files))
		}
		for i := range a.Files {
			if a.Files[i].Path != b.Files[i].Path || !bytes.Equal(a.Files[i].Data, b.Files[i].Data) || a.Files[i].Mode != b.Files[i].Mode {
				t.Errorf("%s: %s differs between two builds", rel.Name, a.Files[i].Path)
			}
		}
	}
}

func mustGet(t *testing.T, v *value.Value, k string) *value.Value {
	t.Helper()
	if v == nil || v.Kind != value.Map {
		t.Fatalf("not a mapping: %v", v)
	}
	x, ok := v.Map.Get(k)
	if !ok {
		t.Fatalf("no key %s", k)
	}
	return x
}
