package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"hoist/config"
	"hoist/plan"
	"hoist/stdlib"
)

// DefaultExampleOut is where hoist build writes the embedded example when
// it is given no inputs and no -o.
const DefaultExampleOut = "out"

// exampleBuild is a build of the embedded example deployment: hoist build
// with no inputs (no -c, --templates, -r, -n, -e) where no hoist.hcl is
// found from the current folder up.
type exampleBuild struct {
	// dir is the temporary folder the example was written to.
	dir string
}

// embeddedExample reports whether the build has no inputs, and if so
// writes the example to a temporary folder and points the flags at its
// hoist.hcl. The caller removes the folder (cleanup).
func embeddedExample(env *Env, cmd string, f *deployFlagValues) (*exampleBuild, int) {
	if *f.config != "" || *f.templates != "" || *f.roles != "" || *f.networks != "" || len(*f.envs) > 0 || *f.deployment != "" {
		return nil, ExitOK
	}
	found, err := config.Find(".")
	if err != nil || found != "" {
		return nil, ExitOK
	}
	tmp, err := os.MkdirTemp("", "hoist-example-")
	if err != nil {
		fmt.Fprintf(env.Err, "hoist %s: %v\n", cmd, err)
		return nil, ExitInternal
	}
	dir := filepath.Join(tmp, stdlib.ExampleName)
	if _, err := stdlib.WriteExample(stdlib.ExampleName, dir, false); err != nil {
		os.RemoveAll(tmp)
		fmt.Fprintf(env.Err, "hoist %s: %v\n", cmd, err)
		return nil, ExitInternal
	}
	*f.config = filepath.Join(dir, config.FileName)
	fmt.Fprintf(env.Err, "hoist %s: no %s here or above, and no inputs: building hoist's example deployment (hoist init DIR writes a copy of it to start from)\n", cmd, config.FileName)
	return &exampleBuild{dir: dir}, ExitOK
}

// cleanup removes the example's temporary folder.
func (e *exampleBuild) cleanup() {
	if e != nil {
		os.RemoveAll(filepath.Dir(e.dir))
	}
}

// writeExampleSummary prints what the example build made and where to
// look next: the nodes, each role's containers per step in the order
// paunch starts them (the plan's: start_order, then name), the tree's
// layout.
func writeExampleSummary(env *Env, p *plan.Plan, out string) {
	nodes := 0
	for _, rp := range p.Roles {
		nodes += len(rp.Nodes)
	}
	w := env.Err
	fmt.Fprintf(w, "\nThe example deployment %q: %d roles, %d nodes.\n", p.Stack, len(p.Roles), nodes)
	for _, rp := range p.Roles {
		hosts := make([]string, len(rp.Nodes))
		for i, n := range rp.Nodes {
			hosts[i] = n.Hostname
		}
		fmt.Fprintf(w, "  %s: %s\n", rp.Role.Name, strings.Join(hosts, ", "))
		// Containers are by step, each step's in paunch's order.
		for i := 0; i < len(rp.Containers); {
			step := rp.Containers[i].StepKey
			var names []string
			for ; i < len(rp.Containers) && rp.Containers[i].StepKey == step; i++ {
				names = append(names, rp.Containers[i].Name)
			}
			fmt.Fprintf(w, "    %s: %s\n", step, strings.Join(names, ", "))
		}
	}
	fmt.Fprintf(w, "In %s/: nodes/<hostname>/ holds each node's files at their paths on the node (startup configs per step, kolla configs, docker-puppet inputs, hieradata); objects/ each distinct content once (the node files are hard links to it); ansible/ the inventory, each role's task lists and the playbook that runs the steps on every node (docs/ansible.md); plan.json the steps; manifest.json every file with its hash.\n", out)
	fmt.Fprintf(w, "Next: hoist init mycloud && cd mycloud, then hoist plan (what each node runs, step by step), hoist lint (the checks), hoist build -o out; docs/tutorial.md walks through it.\n")
}
