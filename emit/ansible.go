package emit

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"text/template"

	"hoist/model"
	"hoist/pyyaml"
	"hoist/value"
)

// The Ansible files of the tree (docs/ansible.md), under OUT/ansible/:
// the inventory, every role's task lists as config-download wrote them
// (<Role>/<key>.yaml), and the playbook that runs the deployment step by
// step on every node.
const (
	AnsibleDir       = "ansible"
	InventoryFile    = AnsibleDir + "/inventory.yaml"
	DeployStepsFile  = AnsibleDir + "/deploy_steps_playbook.yaml"
	ansibleSteps     = 5
	inventoryGroup   = "overcloud"
	ctlplaneNetwork  = "ctlplane"
	netIPMapBaseName = "net_ip_map.json"
)

//go:embed ansible/deploy_steps_playbook.yaml.tmpl
var deployStepsTemplate string

var deployStepsPlaybook = template.Must(template.New("deploy_steps_playbook").Delims("[[", "]]").Parse(deployStepsTemplate))

// TaskListKeys are the keys of a role's data that are Ansible task lists
// config-download wrote as <Role>/<key>.yaml: every key ending in _tasks
// whose value is a list, but the one-shot puppet tasks (docker_puppet_tasks,
// container_puppet_tasks), which are docker-puppet.py's input, and
// workflow_tasks (Mistral workflows, a mapping).
func TaskListKeys(r *model.Role, puppetTasks string) []string {
	var keys []string
	if value.KindOf(r.Data) != value.Map {
		return nil
	}
	for _, e := range r.Data.Map.Entries() {
		k := value.Str(e.Key)
		if !strings.HasSuffix(k, "_tasks") || k == puppetTasks || k == "docker_puppet_tasks" || k == "container_puppet_tasks" {
			continue
		}
		if value.KindOf(e.Val) == value.List || value.KindOf(e.Val) == value.Null {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// ansibleFiles renders OUT/ansible/: the task files of every role (with
// or without nodes), the inventory of the nodes and the playbook. nodeFiles
// are the node files already rendered, for each node's ctlplane address.
func (b *builder) ansibleFiles(nodeFiles []*File) []*File {
	var out []*File
	rel := b.d.Rel()
	for _, rp := range b.p.Roles {
		r := rp.Role
		if !safeName(r.Name) {
			b.errorf(r.Range, RulePath, "role name %q is not a valid folder name for %s/<role>/: a role name is letters, digits, '-', '_' and '.'", r.Name, AnsibleDir)
			continue
		}
		for _, k := range TaskListKeys(r, rel.RoleData.PuppetTasks) {
			v, _ := r.Data.Map.Get(k)
			if value.KindOf(v) == value.Null {
				v = value.NewList(nil, v.Range)
			}
			if f := b.yaml(v, 0o644); f != nil {
				f.Path = AnsibleDir + "/" + r.Name + "/" + k + ".yaml"
				out = append(out, f)
			}
		}
	}
	out = append(out, b.inventory(nodeFiles))
	var pb bytes.Buffer
	steps := make([]int, ansibleSteps)
	for i := range steps {
		steps[i] = i + 1
	}
	if err := deployStepsPlaybook.Execute(&pb, struct{ Steps []int }{steps}); err != nil {
		panic(err) // the template is embedded and its data fixed
	}
	out = append(out, &File{Path: DeployStepsFile, Data: pb.Bytes(), Mode: 0o644})
	return out
}

// yaml renders v as a YAML file (sorted keys, as config-download's
// yaml.safe_dump wrote them), unknown values as their text.
func (b *builder) yaml(v *value.Value, mode fs.FileMode) *File {
	f := &File{Mode: mode}
	v = b.resolve(v, new(value.Path), f)
	var buf bytes.Buffer
	if err := pyyaml.Write(&buf, v); err != nil {
		b.errorf(rangeOf(v), RuleValue, "cannot write a task list as YAML: %v", err)
		return nil
	}
	f.Data = buf.Bytes()
	if f.Secret {
		f.Mode &^= 0o077
	}
	return f
}

// inventory renders OUT/ansible/inventory.yaml: a group per role (every
// role, those without nodes empty), the group overcloud of them all, one
// host per node with the variables the playbook reads.
func (b *builder) inventory(nodeFiles []*File) *File {
	ips := ctlplaneIPs(nodeFiles)
	var s strings.Builder
	s.WriteString("# Written by hoist build (docs/ansible.md): a group per role, the group\n")
	s.WriteString("# overcloud of them all, a host per node. ansible_host is the node's\n")
	s.WriteString("# ctlplane address where the build knows it; give the others in an\n")
	s.WriteString("# inventory of your own (ansible-playbook -i inventory.yaml -i mine.yaml).\n")
	q := func(x string) string { b, _ := json.Marshal(x); return string(b) }
	for _, rp := range b.p.Roles {
		if !safeName(rp.Role.Name) {
			continue
		}
		fmt.Fprintf(&s, "%s:\n", q(rp.Role.Name))
		if len(rp.Nodes) == 0 {
			s.WriteString("  hosts: {}\n")
		} else {
			s.WriteString("  hosts:\n")
		}
		for _, n := range rp.Nodes {
			fmt.Fprintf(&s, "    %s:\n", q(n.Hostname))
			if ip := ips[n.Hostname]; ip != "" {
				fmt.Fprintf(&s, "      ansible_host: %s\n", q(ip))
			}
			fmt.Fprintf(&s, "      hoist_node: %s\n", q(n.Hostname))
			fmt.Fprintf(&s, "      hoist_role: %s\n", q(rp.Role.Name))
			fmt.Fprintf(&s, "      hoist_bootstrap: %t\n", n.Bootstrap)
		}
		fmt.Fprintf(&s, "  vars:\n    tripleo_role_name: %s\n", q(rp.Role.Name))
	}
	fmt.Fprintf(&s, "%s:\n  children:\n", inventoryGroup)
	n := 0
	for _, rp := range b.p.Roles {
		if safeName(rp.Role.Name) {
			fmt.Fprintf(&s, "    %s: {}\n", q(rp.Role.Name))
			n++
		}
	}
	if n == 0 {
		s.Reset()
		fmt.Fprintf(&s, "%s:\n  hosts: {}\n", inventoryGroup)
	}
	fmt.Fprintf(&s, "  vars:\n    hoist_release: %s\n    hoist_stack: %s\n", q(b.d.Rel().Name), q(b.p.Stack))
	return &File{Path: InventoryFile, Data: []byte(s.String()), Mode: 0o644}
}

// ctlplaneIPs reads each node's ctlplane address from the value its
// net_ip_map.json was rendered from; an unknown address is left out.
func ctlplaneIPs(files []*File) map[string]string {
	ips := map[string]string{}
	for _, f := range files {
		host, rel, ok := NodeOf(f.Path)
		if !ok || rel != HieradataDir+"/"+netIPMapBaseName {
			continue
		}
		if ip := value.Get(f.Value, ctlplaneNetwork); value.KindOf(ip) == value.String && ip.Str != "" {
			ips[host] = ip.Str
		}
	}
	return ips
}
