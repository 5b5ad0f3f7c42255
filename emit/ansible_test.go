package emit_test

import (
	"bytes"
	"strings"
	"testing"

	"hoist/emit"
	"hoist/plan/plantest"
	"hoist/value"
)

// TestAnsibleTaskFiles: every role, with nodes or not, has a file per
// task list of its role data, the role data's list read back; a file that
// holds a secret is 0600, the others 0644.
func TestAnsibleTaskFiles(t *testing.T) {
	d := plantest.Queens(t, queens)
	tree := build(t, d, emit.Options{})
	n := 0
	for _, r := range d.Roles {
		keys := emit.TaskListKeys(r, d.Rel().RoleData.PuppetTasks)
		if len(keys) == 0 {
			t.Errorf("%s: no task lists", r.Name)
		}
		for _, k := range keys {
			f := file(t, tree, emit.AnsibleDir+"/"+r.Name+"/"+k+".yaml")
			want, _ := r.Data.Map.Get(k)
			got := load(t, f)
			if len(value.ItemsOf(got)) != len(value.ItemsOf(want)) {
				t.Errorf("%s: %d tasks, the role data has %d", f.Path, len(value.ItemsOf(got)), len(value.ItemsOf(want)))
			}
			if (f.Mode == 0o600) != f.Secret || (!f.Secret && f.Mode != 0o644) {
				t.Errorf("%s: mode %04o, secret %t", f.Path, f.Mode, f.Secret)
			}
			n++
		}
		for _, k := range []string{"docker_puppet_tasks", "workflow_tasks"} {
			if has(tree, emit.AnsibleDir+"/"+r.Name+"/"+k+".yaml") {
				t.Errorf("%s: %s is written as a task file", r.Name, k)
			}
		}
	}
	if n < 5*10 {
		t.Errorf("%d task files", n)
	}
	pb := file(t, tree, emit.DeployStepsFile)
	for i := 1; i <= 5; i++ {
		if !bytes.Contains(pb.Data, []byte("- name: Step "+string(rune('0'+i))+"\n")) {
			t.Errorf("the playbook has no play for step %d", i)
		}
	}
	if bytes.Contains(pb.Data, []byte("[[")) {
		t.Error("the playbook holds a template delimiter")
	}
}

// TestAnsibleInventory: a group per role (empty for roles without
// nodes), overcloud over them, each node with its folder, role and
// bootstrap flag; ansible_host where its ctlplane address is known (the
// predictable IP environments fix the first controller's and compute's),
// absent where it is not.
func TestAnsibleInventory(t *testing.T) {
	d := compiledQueensWith(t, map[string]int{"Controller": 2, "Compute": 1}, "ips-from-pool-all.yaml", "ips-from-pool-ctlplane.yaml")
	tree := build(t, d, emit.Options{})
	inv := load(t, file(t, tree, emit.InventoryFile))
	get := func(v *value.Value, path ...string) *value.Value {
		for _, k := range path {
			if value.KindOf(v) != value.Map {
				return nil
			}
			v, _ = v.Map.Get(k)
		}
		return v
	}
	str := func(v *value.Value) string { s, _ := value.StringOf(v); return s }
	c0 := get(inv, "Controller", "hosts", "overcloud-controller-0")
	if str(get(c0, "ansible_host")) != "192.168.24.251" || str(get(c0, "hoist_node")) != "overcloud-controller-0" ||
		str(get(c0, "hoist_role")) != "Controller" || value.KindOf(get(c0, "hoist_bootstrap")) != value.Bool || !get(c0, "hoist_bootstrap").Bool {
		t.Errorf("overcloud-controller-0: %s", value.MarshalIndent(c0))
	}
	c1 := get(inv, "Controller", "hosts", "overcloud-controller-1")
	if c1 == nil || get(c1, "ansible_host") != nil || get(c1, "hoist_bootstrap").Bool {
		t.Errorf("overcloud-controller-1 (no known address, not the bootstrap node): %s", value.MarshalIndent(c1))
	}
	if str(get(inv, "Compute", "hosts", "overcloud-novacompute-0", "ansible_host")) != "192.168.24.252" {
		t.Errorf("overcloud-novacompute-0: %s", value.MarshalIndent(get(inv, "Compute")))
	}
	children := get(inv, "overcloud", "children")
	for _, r := range d.Roles {
		if get(children, r.Name) == nil {
			t.Errorf("overcloud has no child %s", r.Name)
		}
		if get(inv, r.Name) == nil {
			t.Errorf("no group %s", r.Name)
		}
	}
	if str(get(inv, "overcloud", "vars", "hoist_release")) != "queens" {
		t.Errorf("overcloud's vars: %s", value.MarshalIndent(get(inv, "overcloud", "vars")))
	}
	if strings.Contains(string(file(t, tree, emit.InventoryFile).Data), "<unknown") {
		t.Error("the inventory holds an unknown value")
	}
}
