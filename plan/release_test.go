package plan_test

import (
	"strings"
	"testing"

	"hoist/plan"
	"hoist/release"
	"hoist/value"
)

// twoRoles: keystone runs on Controller (2 nodes, first in roles_data) and
// on Aaa (1 node, whose hostname sorts first).
const twoRoles = `roles:
  Controller:
    service_names: [keystone]
    deploy_steps_tasks:
      - {name: at step 0, when: step|int == 0}
      - {name: at step 2, when: step|int == 2}
    KEY:
      step_3:
        - {config_volume: keystone_init_tasks, service_name: keystone, step_config: "include keystone", config_image: ks}
  Aaa:
    service_names: [keystone]
    KEY:
      step_3:
        - {config_volume: keystone_init_tasks, service_name: keystone, step_config: "include keystone", config_image: ks}
`

func TestPlanPerRelease(t *testing.T) {
	for _, tc := range []struct {
		release, install, tasksKind, tasksText string
		before                                 []string
		// nodes are the nodes running step 3's tasks, per role.
		nodes map[string]string
	}{
		{"queens", "create /var/lib/docker-puppet and write docker-puppet.py", "docker_puppet_tasks",
			"docker-puppet.py with docker-puppet-tasks3.json (STEP=3, NO_ARCHIVE=true)",
			[]string{"host_prep_tasks", "install_docker_puppet"},
			map[string]string{"Controller": "overcloud-controller-0", "Aaa": "overcloud-aaa-0"}},
		{"rocky", "step 0: create /var/lib/docker-puppet and write docker-puppet.py", "docker_puppet_tasks",
			"docker-puppet.py with docker-puppet-tasks3.json (STEP=3, NO_ARCHIVE=true)",
			[]string{"install_docker_puppet", "deploy_steps_tasks", "host_prep_tasks"},
			map[string]string{"Controller": "overcloud-controller-0"}},
		{"stein", "step 0: create /var/lib/container-puppet and write container-puppet.py", "container_puppet_tasks",
			"container-puppet.py with container-puppet-tasks3.json (STEP=3, NO_ARCHIVE=true)",
			[]string{"install_container_puppet", "deploy_steps_tasks", "host_prep_tasks"},
			map[string]string{"Controller": "overcloud-controller-0"}},
		{"train", "step 0: create /var/lib/container-puppet and write container-puppet.py", "container_puppet_tasks",
			"container-puppet.py with container-puppet-tasks3.json (STEP=3, NO_ARCHIVE=true)",
			[]string{"install_container_puppet", "deploy_steps_tasks", "host_prep_tasks"},
			map[string]string{"Aaa": "overcloud-aaa-0"}},
	} {
		t.Run(tc.release, func(t *testing.T) {
			rel, _ := release.Lookup(tc.release)
			d := load(t, strings.ReplaceAll(twoRoles, "KEY", rel.RoleData.PuppetTasks))
			d.Roles[0].Count = 2
			d.Release = rel
			p := plan.Build(d)
			for _, rp := range p.Roles {
				var before []string
				for _, op := range rp.Before {
					before = append(before, string(op.Kind))
					if op.Kind.IsInstall() && op.Text != tc.install {
						t.Errorf("%s: install %q, want %q", rp.Role.Name, op.Text, tc.install)
					}
				}
				if rp.Role.Name == "Controller" && strings.Join(before, " ") != strings.Join(tc.before, " ") {
					t.Errorf("before step 1: %q, want %q", before, tc.before)
				}
				var node string
				for _, op := range rp.Steps[2].Ops {
					if op.Kind.IsPuppetTasks() {
						if string(op.Kind) != tc.tasksKind || op.Text != tc.tasksText || strings.Join(op.Volumes, ",") != "keystone_init_tasks" {
							t.Errorf("%s: %+v", rp.Role.Name, op)
						}
						node = op.Node
					}
				}
				if node != tc.nodes[rp.Role.Name] {
					t.Errorf("%s: step 3's tasks run on %q, want %q", rp.Role.Name, node, tc.nodes[rp.Role.Name])
				}
			}
			if got := value.Str(get(plan.JSON(p), "release")); got != tc.release {
				t.Errorf("plan.json's release %q", got)
			}
		})
	}
}

func get(v *value.Value, k string) *value.Value {
	x, _ := v.Map.Get(k)
	return x
}
