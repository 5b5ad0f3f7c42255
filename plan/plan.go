package plan

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"hoist/model"
	"hoist/release"
	"hoist/source"
	"hoist/value"
)

// Steps is the number of deploy steps every release runs: 1 to 5
// (deploy_steps_max = 6, range(1, 6)).
const Steps = release.DeploySteps

// Plan is the ordered operations of a deployment, per role.
type Plan struct {
	// Stack is the stack name.
	Stack string
	// Roles are in the deployment's order.
	Roles []*RolePlan
	// Deployment is the input the plan was made from.
	Deployment *model.Deployment
	// Release is the deployment's release.
	Release *release.Release
	// serviceBootstrap is each service's bootstrap node, from rocky on:
	// the node that runs the service's puppet tasks.
	serviceBootstrap map[string]string
}

// RolePlan is one role's nodes and operations.
type RolePlan struct {
	Role *model.Role
	// Nodes are the role's nodes; the first is the bootstrap node.
	Nodes []model.Node
	// Services are the role's service names.
	Services []string
	// Before holds what runs before step 1.
	Before []Op
	// Steps are steps 1 to 5.
	Steps []Step
	// Containers are every container of the role's docker_config, by
	// step key and, within a step, in paunch's order.
	Containers []*model.Container
	// byName indexes Containers by name.
	byName map[string][]*model.Container
	rel    *release.Release
}

func (rp *RolePlan) planRelease() *release.Release {
	if rp.rel == nil {
		return release.Default()
	}
	return rp.rel
}

// Step is one deploy step.
type Step struct {
	N   int
	Ops []Op
}

// OpKind names an operation.
type OpKind string

// The operations, in the order tht.md §6.4 gives them.
const (
	// Before step 1.
	OpHostPrep     OpKind = "host_prep_tasks"
	OpInstallTools OpKind = "install_docker_puppet"
	// OpInstallContainerPuppet is OpInstallTools from stein on.
	OpInstallContainerPuppet OpKind = "install_container_puppet"
	// In every step.
	OpWorkflow    OpKind = "workflow_tasks"
	OpExternal    OpKind = "external_deploy_tasks"
	OpDeploySteps OpKind = "deploy_steps_tasks"
	OpWriteFiles  OpKind = "write_files"
	OpHostPuppet  OpKind = "host_puppet"
	OpConfigGen   OpKind = "config_generation"
	OpContainer   OpKind = "container"
	OpBootstrap   OpKind = "docker_puppet_tasks"
	// OpContainerPuppetTasks is OpBootstrap from stein on.
	OpContainerPuppetTasks OpKind = "container_puppet_tasks"
)

// IsPuppetTasks tells whether k runs a step's one-shot puppet tasks
// (docker_puppet_tasks, container_puppet_tasks).
func (k OpKind) IsPuppetTasks() bool { return k == OpBootstrap || k == OpContainerPuppetTasks }

// IsInstall tells whether k writes config generation's script.
func (k OpKind) IsInstall() bool { return k == OpInstallTools || k == OpInstallContainerPuppet }

// Where an operation runs.
const (
	OnUndercloud = "undercloud"
	OnEveryNode  = "every node"
	OnBootstrap  = "bootstrap node"
)

// Op is one operation of a step.
type Op struct {
	Kind OpKind
	// On says where it runs: OnUndercloud, OnEveryNode or OnBootstrap.
	On string
	// Tasks are the Ansible tasks of a task list operation.
	Tasks []model.Task
	// Volumes are the config volumes of config generation and of the
	// bootstrap tasks.
	Volumes []string
	// Container is the container of an OpContainer.
	Container *model.Container
	// Text describes the operation in a few words.
	Text string
	// Range is where the operation comes from, when it is one value.
	Range source.Range
	// Node is the node that runs a puppet tasks operation: the role's
	// bootstrap node in queens, the services' bootstrap node from rocky
	// on ("" for a role without nodes).
	Node string
}

// Build makes the plan of a deployment.
func Build(d *model.Deployment) *Plan {
	p := &Plan{Stack: d.Name, Deployment: d, Release: d.Rel()}
	for _, r := range d.Roles {
		p.Roles = append(p.Roles, newRole(d, r))
	}
	p.serviceBootstrap = serviceBootstrap(p.Release.Node.Bootstrap, p.Roles)
	for _, rp := range p.Roles {
		p.buildSteps(rp)
	}
	return p
}

// serviceBootstrap is each service's bootstrap node under a release's
// rule (model.ServiceBootstraps); nil for queens, whose puppet tasks run
// on each role's first node.
func serviceBootstrap(rule release.Bootstrap, roles []*RolePlan) map[string]string {
	if rule == release.RoleFirstNode {
		return nil
	}
	_, out := model.ServiceBootstraps(roleNodes(roles, func(s []string) []string { return s }), rule == release.ServiceSortedFirst)
	return out
}

// roleNodes lists the roles' services (through services) and hostnames.
func roleNodes(roles []*RolePlan, services func([]string) []string) []model.RoleNodes {
	out := make([]model.RoleNodes, len(roles))
	for i, rp := range roles {
		out[i].Services = services(rp.Services)
		for _, n := range rp.Nodes {
			out[i].Hostnames = append(out[i].Hostnames, n.Hostname)
		}
	}
	return out
}

// ServiceBootstraps returns each service's bootstrap node as all_nodes
// hieradata says it (model.ServiceBootstraps), in every release, services
// in order of first appearance; services lists a role's services as the
// hieradata counts them.
func (p *Plan) ServiceBootstraps(services func([]string) []string) ([]string, map[string]string) {
	return model.ServiceBootstraps(roleNodes(p.Roles, services), p.Release.Node.Bootstrap == release.ServiceSortedFirst)
}

// ServiceBootstrap returns the bootstrap node of a service under the
// release's rule ("" in queens, or for a service no node runs).
func (p *Plan) ServiceBootstrap(service string) string { return p.serviceBootstrap[service] }

// PuppetTask is one entry of a role's one-shot puppet tasks and the node
// that runs it.
type PuppetTask struct {
	// StepKey is its step key (step_3); Step its number (0 when the key is
	// not step_N).
	StepKey string
	Step    int
	// Entry is the entry as the role data has it.
	Entry *value.Value
	// Service is its service_name ("" when it has none).
	Service string
	// Volume is its config_volume.
	Volume string
	// Node is the hostname of the node that runs it, "" when none does.
	Node string
}

// PuppetTasks lists the role's puppet tasks, step keys in order and each
// step's entries in the role data's order, with the node that runs each:
// in queens the role's first node (bootstrap_nodeid) runs them all; from
// rocky on each entry runs on its service's bootstrap node, so only the
// entries whose service's bootstrap node is one of the role's nodes get
// a node here (the deploy steps wrote each node's tasks file filtered to
// them). An entry without a service_name, or whose service no node runs,
// falls back to the role's first node.
func (p *Plan) PuppetTasks(rp *RolePlan) []PuppetTask {
	dpt, _ := rp.Role.PuppetTasks(p.Release)
	steps := model.StepEntries(dpt)
	mine := map[string]bool{}
	for _, n := range rp.Nodes {
		mine[n.Hostname] = true
	}
	var out []PuppetTask
	for _, st := range steps {
		items := value.ItemsOf(st.Val)
		if st.Val != nil && st.Val.Kind == value.Map {
			items = []*value.Value{st.Val}
		}
		for _, it := range items {
			t := PuppetTask{StepKey: st.Key, Step: st.N, Entry: it, Node: rp.Bootstrap()}
			t.Service, _ = value.StringOf(value.Get(it, "service_name"))
			t.Volume, _ = value.StringOf(value.Get(it, "config_volume"))
			if p.serviceBootstrap != nil && t.Service != "" {
				if b, ok := p.serviceBootstrap[t.Service]; ok {
					t.Node = ""
					if mine[b] {
						t.Node = b
					}
				}
			}
			out = append(out, t)
		}
	}
	return out
}

// Role returns the plan of the named role, or nil.
func (p *Plan) Role(name string) *RolePlan {
	for _, r := range p.Roles {
		if r.Role.Name == name {
			return r
		}
	}
	return nil
}

// Bootstrap returns the role's bootstrap node's hostname ("" for a role
// without nodes).
func (rp *RolePlan) Bootstrap() string {
	if len(rp.Nodes) == 0 {
		return ""
	}
	return rp.Nodes[0].Hostname
}

// Named returns the containers called name, in step order.
func (rp *RolePlan) Named(name string) []*model.Container { return rp.byName[name] }

// Started reports whether c's target of need is started before c: by a
// container of that name that runs (not an exec) in an earlier step, or
// in c's step with a lower start_order. tie is the container of that
// name in c's step with c's start_order, when there is one and nothing
// earlier.
func (rp *RolePlan) Started(c *model.Container, target string) (earlier, tie *model.Container) {
	for _, t := range rp.byName[target] {
		if t.IsExec() || t == c {
			continue
		}
		switch {
		case t.Step < c.Step || t.Step == c.Step && t.StartsAt() < c.StartsAt():
			if earlier == nil {
				earlier = t
			}
		case t.Step == c.Step && t.StartsAt() == c.StartsAt():
			tie = t
		}
	}
	if earlier != nil {
		tie = nil
	}
	return earlier, tie
}

func newRole(d *model.Deployment, r *model.Role) *RolePlan {
	rp := &RolePlan{Role: r, byName: map[string][]*model.Container{}, rel: d.Rel()}
	for i := 0; i < r.Count; i++ {
		h := model.Hostname(d.Name, r.HostnameFormat, r.Name, i, nil)
		if len(r.Hostnames) == r.Count {
			h = r.Hostnames[i]
		}
		rp.Nodes = append(rp.Nodes, model.Node{Hostname: h, Index: i, Bootstrap: i == 0})
	}
	if sn := r.Key("service_names"); sn != nil && sn.Kind == value.List {
		for _, it := range sn.List {
			if s, ok := value.StringOf(it); ok {
				rp.Services = append(rp.Services, s)
			}
		}
	}
	rp.Containers = containers(r.Key("docker_config"))
	for _, c := range rp.Containers {
		rp.byName[c.Name] = append(rp.byName[c.Name], c)
	}
	return rp
}

// buildSteps lays out the role's operations as the release's deploy steps
// ran them (tht.md §6.4; rocky on: release-research §1.2-1.4).
func (p *Plan) buildSteps(rp *RolePlan) {
	rel, r := p.Release, rp.Role
	ln := rel.Node
	script := path.Base(ln.ConfigScriptFile)
	install := Op{Kind: OpInstallTools, On: OnEveryNode,
		Text: fmt.Sprintf("create /%s and write %s", path.Dir(ln.ConfigScriptFile), script)}
	if ln.ConfigGen == "container-puppet" {
		install.Kind = OpInstallContainerPuppet
	}
	hp := r.Key("host_prep_tasks")
	hostPrep := Op{Kind: OpHostPrep, On: OnEveryNode, Tasks: model.Tasks(hp, -1), Text: "host_prep_tasks", Range: rangeOf(hp)}
	if rel.AtLeast("rocky") {
		// config-download's step 0 play (rocky deploy-steps.j2:424-442):
		// the folder and the script, then deploy_steps_tasks with step 0;
		// the hieradata, then host_prep_tasks.
		install.Text = "step 0: " + install.Text
		rp.Before = append(rp.Before, install)
		if ts := model.Tasks(r.Key("deploy_steps_tasks"), 0); len(ts) > 0 {
			rp.Before = append(rp.Before, Op{Kind: OpDeploySteps, On: OnEveryNode, Tasks: ts, Text: "deploy_steps_tasks with step 0 (config-download)", Range: rangeOf(r.Key("deploy_steps_tasks"))})
		}
		rp.Before = append(rp.Before, hostPrep)
	} else {
		// Before step 1 (tht.md §6.4): host_prep_tasks, then the folder and
		// docker-puppet.py that config generation runs.
		rp.Before = append(rp.Before, hostPrep, install)
	}

	startup := "the startup configs"
	if ln.ContainerConfig != "" {
		startup = "the startup configs (one file per container)"
	}
	writeText := fmt.Sprintf("write %s, kolla configs, %s, config scripts and puppet_step_config.pp", startup, path.Base(ln.PuppetConfig))
	if ln.Bootstrap == release.RoleFirstNode {
		writeText += fmt.Sprintf("; %s on the bootstrap node", strings.Replace(path.Base(ln.PuppetTasks), "%d", "N", 1))
	}
	hashInto := "every step's startup config"
	if ln.ContainerConfig != "" {
		hashInto = "every container's startup config"
	}
	tasksKind := OpBootstrap
	if rel.RoleData.PuppetTasks == "container_puppet_tasks" {
		tasksKind = OpContainerPuppetTasks
	}

	volumes := configVolumes(r.Key("puppet_config"))
	byStep := map[int][]*model.Container{}
	for _, c := range rp.Containers {
		byStep[c.Step] = append(byStep[c.Step], c)
	}
	taskOps := map[int][]Op{}
	if all := p.PuppetTasks(rp); len(all) > 0 {
		dpt, _ := r.PuppetTasks(rel)
		for _, t := range all {
			if t.Step < 1 || t.Node == "" && ln.Bootstrap != release.RoleFirstNode {
				continue
			}
			ops := taskOps[t.Step]
			i := slices.IndexFunc(ops, func(o Op) bool { return o.Node == t.Node })
			if i < 0 {
				file := fmt.Sprintf(path.Base(ln.PuppetTasks), t.Step)
				ops = append(ops, Op{Kind: tasksKind, On: OnBootstrap, Node: t.Node, Volumes: []string{},
					Text:  fmt.Sprintf("%s with %s (STEP=%d, NO_ARCHIVE=true)", script, file, t.Step),
					Range: rangeOf(value.Get(dpt, t.StepKey))})
				i = len(ops) - 1
			}
			if t.Volume != "" {
				ops[i].Volumes = append(ops[i].Volumes, t.Volume)
			}
			taskOps[t.Step] = ops
		}
	}
	for n := 1; n <= Steps; n++ {
		st := Step{N: n}
		if wt := value.Get(r.Key("workflow_tasks"), "step"+strconv.Itoa(n)); wt != nil && !emptyList(wt) {
			st.Ops = append(st.Ops, Op{Kind: OpWorkflow, On: OnUndercloud, Tasks: model.Tasks(wt, -1), Text: "Mistral workflow_tasks", Range: wt.Range})
		}
		if ts := model.Tasks(r.Key("external_deploy_tasks"), n); len(ts) > 0 {
			st.Ops = append(st.Ops, Op{Kind: OpExternal, On: OnUndercloud, Tasks: ts, Text: "external_deploy_tasks (config-download)", Range: rangeOf(r.Key("external_deploy_tasks"))})
		}
		if ts := model.Tasks(r.Key("deploy_steps_tasks"), n); len(ts) > 0 {
			st.Ops = append(st.Ops, Op{Kind: OpDeploySteps, On: OnEveryNode, Tasks: ts, Text: "deploy_steps_tasks (config-download)", Range: rangeOf(r.Key("deploy_steps_tasks"))})
		}
		if n == 1 {
			st.Ops = append(st.Ops, Op{Kind: OpWriteFiles, On: OnEveryNode, Text: writeText})
		}
		sc := r.Key("step_config")
		st.Ops = append(st.Ops, Op{Kind: OpHostPuppet, On: OnEveryNode, Text: fmt.Sprintf("write config_step.json {\"step\": %d}; puppet apply puppet_step_config.pp", n), Range: rangeOf(sc)})
		if n == 1 && len(volumes) > 0 {
			st.Ops = append(st.Ops, Op{Kind: OpConfigGen, On: OnEveryNode, Volumes: volumes, Text: fmt.Sprintf("%s: one config container per config_volume (STEP=6), then TRIPLEO_CONFIG_HASH into %s", script, hashInto), Range: rangeOf(r.Key("puppet_config"))})
		}
		for _, c := range byStep[n] {
			st.Ops = append(st.Ops, Op{Kind: OpContainer, On: OnEveryNode, Container: c, Range: c.NameAt()})
		}
		st.Ops = append(st.Ops, taskOps[n]...)
		rp.Steps = append(rp.Steps, st)
	}
}

// containers lists docker_config's containers: steps in key order
// (step_1 ... step_6, then any other key), each in paunch's order.
func containers(dc *value.Value) []*model.Container {
	var out []*model.Container
	for _, s := range model.Steps(dc, value.Path{}.Key("docker_config")) {
		out = append(out, s.Containers...)
	}
	return out
}

// configVolumes lists the config volumes docker-puppet.py generates from
// a role's puppet_config: entries with a config_volume that generate
// (model.PuppetEntry.Generates), in order of first appearance.
func configVolumes(pc *value.Value) []string {
	var out []string
	for _, e := range model.PuppetEntries(pc) {
		if vol := e.ConfigVolume.V; vol != "" && e.Generates() && !slices.Contains(out, vol) {
			out = append(out, vol)
		}
	}
	return out
}

// GeneratedVolumes returns the set of config volumes the role's
// puppet_config names (whether or not docker-puppet.py generates them).
func (rp *RolePlan) GeneratedVolumes() map[string]bool {
	out := map[string]bool{}
	for _, e := range model.PuppetEntries(rp.Role.Key("puppet_config")) {
		if vol := e.ConfigVolume.V; vol != "" {
			out[vol] = true
		}
	}
	return out
}

func emptyList(v *value.Value) bool { return v.Kind == value.List && len(v.List) == 0 }

func rangeOf(v *value.Value) source.Range {
	if v == nil {
		return source.Range{}
	}
	return v.Range
}
