package plan

import (
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"hoist/diag"
	"hoist/model"
	"hoist/release"
	"hoist/source"
	"hoist/value"
)

// JSON returns the plan as a value: {stack, steps, roles: [{name, nodes,
// services, before_step_1: [op], steps: [{step, ops: [op]}]}]}. Each op
// has kind, on and, as they apply, text, tasks, volumes, the container's
// name, start_order, action, detach, image and order, and at (the
// file:line:col it comes from).
func JSON(p *Plan) *value.Value {
	m := value.NewObject()
	m.Set("stack", value.Text(p.Stack))
	m.Set("release", value.Text(p.Deployment.Rel().Name))
	m.Set("steps", value.Number(Steps))
	var roles []*value.Value
	for _, rp := range p.Roles {
		r := value.NewObject()
		r.Set("name", value.Text(rp.Role.Name))
		var nodes []*value.Value
		for _, n := range rp.Nodes {
			nm := value.NewObject()
			nm.Set("hostname", value.Text(n.Hostname))
			nm.Set("index", value.Number(int64(n.Index)))
			nm.Set("bootstrap", value.NewBool(n.Bootstrap, source.Range{}))
			nodes = append(nodes, nm.Value())
		}
		r.Set("nodes", vlist(nodes))
		r.Set("services", value.Texts(rp.Services))
		r.Set("before_step_1", opsJSON(p.Deployment, rp.Before))
		var steps []*value.Value
		for _, st := range rp.Steps {
			sm := value.NewObject()
			sm.Set("step", value.Number(int64(st.N)))
			sm.Set("ops", opsJSON(p.Deployment, st.Ops))
			steps = append(steps, sm.Value())
		}
		r.Set("steps", vlist(steps))
		roles = append(roles, r.Value())
	}
	m.Set("roles", vlist(roles))
	return m.Value()
}

func opsJSON(d *model.Deployment, ops []Op) *value.Value {
	var out []*value.Value
	for _, op := range ops {
		m := value.NewObject()
		m.Set("kind", value.Text(string(op.Kind)))
		m.Set("on", value.Text(op.On))
		if op.Text != "" {
			m.Set("text", value.Text(op.Text))
		}
		if op.Kind == OpHostPrep || op.Kind == OpDeploySteps || op.Kind == OpExternal || op.Kind == OpWorkflow {
			var ts []string
			for _, t := range op.Tasks {
				ts = append(ts, t.Name)
			}
			m.Set("tasks", value.Texts(ts))
		}
		if op.Kind == OpConfigGen || op.Kind.IsPuppetTasks() {
			m.Set("volumes", value.Texts(op.Volumes))
		}
		// From rocky on puppet tasks run on their services' bootstrap
		// nodes, which the role's nodes list does not say.
		if op.Kind.IsPuppetTasks() && op.Node != "" && d.Rel().Node.Bootstrap != release.RoleFirstNode {
			m.Set("node", value.Text(op.Node))
		}
		if c := op.Container; c != nil {
			m.Set("name", value.Text(c.Name))
			m.Set("start_order", value.Number(c.StartsAt()))
			m.Set("action", value.Text(c.ActionName()))
			m.Set("detach", value.NewBool(c.Detached(), source.Range{}))
			m.Set("order", value.Number(int64(c.Order)))
			if img := value.Get(c.Raw, "image"); img != nil {
				if img.Kind == value.Unknown {
					img = value.Text(model.UnknownText(img.Str))
				}
				m.Set("image", img)
			}
			var needs []*value.Value
			for _, n := range c.Needs {
				nm := value.NewObject()
				nm.Set("kind", value.Text(n.Kind))
				nm.Set("container", value.Text(n.Target))
				needs = append(needs, nm.Value())
			}
			if len(needs) > 0 {
				m.Set("needs", vlist(needs))
			}
		}
		if at := d.Where(op.Range); at != "" {
			m.Set("at", value.Text(at))
		}
		out = append(out, m.Value())
	}
	return vlist(out)
}

// WriteText writes the plan for a terminal. roles, when not empty, limits
// it to those roles.
func WriteText(w io.Writer, p *Plan, roles ...string) error {
	var b strings.Builder
	nodes := 0
	for _, rp := range p.Roles {
		nodes += len(rp.Nodes)
	}
	fmt.Fprintf(&b, "stack %s: %s, %s, steps 1-%d\n", p.Stack, diag.Counted(len(p.Roles), "role"), diag.Counted(nodes, "node"), Steps)
	for _, rp := range p.Roles {
		if !wanted(rp.Role.Name, roles) {
			continue
		}
		b.WriteString("\n")
		fmt.Fprintf(&b, "role %s: %s, %s\n", rp.Role.Name, nodeList(rp), diag.Counted(len(rp.Services), "service"))
		b.WriteString("  before step 1\n")
		for _, op := range rp.Before {
			writeOp(&b, rp, op)
		}
		for _, st := range rp.Steps {
			fmt.Fprintf(&b, "  step %d\n", st.N)
			for _, op := range st.Ops {
				writeOp(&b, rp, op)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func wanted(name string, roles []string) bool {
	if len(roles) == 0 {
		return true
	}
	for _, r := range roles {
		if r == name {
			return true
		}
	}
	return false
}

func nodeList(rp *RolePlan) string {
	switch len(rp.Nodes) {
	case 0:
		return "no nodes"
	case 1:
		return "1 node (" + rp.Nodes[0].Hostname + ", bootstrap)"
	}
	var hs []string
	for _, n := range rp.Nodes {
		h := n.Hostname
		if n.Bootstrap {
			h += " bootstrap"
		}
		hs = append(hs, h)
	}
	return fmt.Sprintf("%d nodes (%s)", len(rp.Nodes), strings.Join(hs, ", "))
}

func writeOp(b *strings.Builder, rp *RolePlan, op Op) {
	b.WriteString("    ")
	switch op.Kind {
	case OpContainer:
		c := op.Container
		fmt.Fprintf(b, "%-3d %s", c.Order, c.Name)
		var notes []string
		notes = append(notes, "start_order "+strconv.FormatInt(c.StartsAt(), 10))
		if c.IsExec() {
			t := ""
			for _, n := range c.Needs {
				if n.Kind == "exec" {
					t = n.Target
				}
			}
			notes = append(notes, "exec in "+t)
		} else if !c.Detached() {
			notes = append(notes, "one-shot: detach false")
		}
		for _, n := range c.Needs {
			if n.Kind != "exec" {
				notes = append(notes, n.Kind+" "+n.Target)
			}
		}
		fmt.Fprintf(b, "  (%s)\n", strings.Join(notes, ", "))
		return
	case OpHostPrep, OpDeploySteps, OpExternal, OpWorkflow:
		fmt.Fprintf(b, "%s on %s: %s", op.Kind, op.On, diag.Counted(len(op.Tasks), "task"))
		if op.Kind != OpHostPrep && len(op.Tasks) > 0 {
			var ns []string
			for _, t := range op.Tasks {
				ns = append(ns, t.Name)
			}
			fmt.Fprintf(b, ": %s", strings.Join(ns, "; "))
		}
		b.WriteString("\n")
		return
	case OpConfigGen:
		fmt.Fprintf(b, "%s on %s: %s: %s\n", op.Kind, op.On, diag.Counted(len(op.Volumes), "config volume"), strings.Join(op.Volumes, ", "))
		return
	case OpBootstrap, OpContainerPuppetTasks:
		on := op.On
		if op.Node != "" {
			on += " " + op.Node
		}
		fmt.Fprintf(b, "%s on %s: %s\n", op.Kind, on, strings.Join(op.Volumes, ", "))
		return
	}
	fmt.Fprintf(b, "%s on %s: %s\n", op.Kind, op.On, op.Text)
}

// WriteDot writes the plan as a Graphviz digraph: a cluster per role and
// per step, the operations chained in order, dependencies between
// containers as red edges.
func WriteDot(w io.Writer, p *Plan, roles ...string) error {
	var b strings.Builder
	b.WriteString("digraph plan {\n  rankdir=TB;\n  node [shape=box, fontname=\"monospace\", fontsize=10];\n  edge [color=gray50];\n")
	for ri, rp := range p.Roles {
		if !wanted(rp.Role.Name, roles) {
			continue
		}
		fmt.Fprintf(&b, "  subgraph cluster_%d {\n    label=%s;\n", ri, dotQuote("role "+rp.Role.Name+": "+nodeList(rp)))
		prev := ""
		id := func(i, j int) string { return fmt.Sprintf("r%d_s%d_%d", ri, i, j) }
		chain := func(n string) {
			if prev != "" {
				fmt.Fprintf(&b, "    %s -> %s;\n", prev, n)
			}
			prev = n
		}
		fmt.Fprintf(&b, "    subgraph cluster_%d_0 {\n      label=\"before step 1\";\n", ri)
		for j, op := range rp.Before {
			fmt.Fprintf(&b, "      %s [label=%s];\n", id(0, j), dotQuote(opLabel(rp, op)))
		}
		b.WriteString("    }\n")
		for j := range rp.Before {
			chain(id(0, j))
		}
		names := map[string]string{}
		for _, st := range rp.Steps {
			fmt.Fprintf(&b, "    subgraph cluster_%d_%d {\n      label=\"step %d\";\n", ri, st.N, st.N)
			for j, op := range st.Ops {
				attrs := ""
				if op.Kind == OpContainer {
					names[op.Container.Name] = id(st.N, j)
					attrs = ", style=rounded"
					if op.Container.IsExec() {
						attrs = ", style=\"rounded,dashed\""
					}
				}
				fmt.Fprintf(&b, "      %s [label=%s%s];\n", id(st.N, j), dotQuote(opLabel(rp, op)), attrs)
			}
			b.WriteString("    }\n")
			for j := range st.Ops {
				chain(id(st.N, j))
			}
		}
		for _, st := range rp.Steps {
			for j, op := range st.Ops {
				if op.Kind != OpContainer {
					continue
				}
				for _, n := range op.Container.Needs {
					if t, ok := names[n.Target]; ok {
						fmt.Fprintf(&b, "    %s -> %s [color=red, constraint=false, label=%s];\n", id(st.N, j), t, dotQuote(n.Kind))
					}
				}
			}
		}
		b.WriteString("  }\n")
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func opLabel(rp *RolePlan, op Op) string {
	switch op.Kind {
	case OpContainer:
		c := op.Container
		l := c.Name + "\\nstart_order " + strconv.FormatInt(c.StartsAt(), 10)
		if c.IsExec() {
			l += ", exec"
		} else if !c.Detached() {
			l += ", one-shot"
		}
		return l
	case OpHostPrep, OpDeploySteps, OpExternal, OpWorkflow:
		return string(op.Kind) + "\\n" + diag.Counted(len(op.Tasks), "task") + " on " + op.On
	case OpConfigGen:
		return "config generation\\n" + diag.Counted(len(op.Volumes), "config volume")
	case OpBootstrap, OpContainerPuppetTasks:
		return string(op.Kind) + " on " + op.Node + "\\n" + strings.Join(op.Volumes, ", ")
	case OpHostPuppet:
		return "host puppet\\npuppet_step_config.pp"
	case OpWriteFiles:
		return "write the node's files"
	case OpInstallTools, OpInstallContainerPuppet:
		return "write " + path.Base(rp.planRelease().Node.ConfigScriptFile)
	}
	return string(op.Kind)
}

// dotQuote quotes a Graphviz string; "\n" escapes already in s are kept.
func dotQuote(s string) string {
	s = strings.ReplaceAll(s, `"`, `\"`)
	return `"` + s + `"`
}

// value helpers

func vlist(items []*value.Value) *value.Value {
	if items == nil {
		items = []*value.Value{}
	}
	return value.NewList(items, source.Range{})
}
