package executor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"hoist/compiler/pyyaml"
	"hoist/diag"
	"hoist/source"
	"hoist/value"
)

// The node folder: what `hoist build -o OUT` writes to OUT/nodes/<host>/,
// the node's files at their absolute paths (tht.md §6.3) under a folder.
const (
	// StartupConfigAll holds every step's containers ({step_N: {...}}).
	StartupConfigAll = "var/lib/docker-container-startup-configs.json"
	// PuppetConfigFile is docker-puppet.json: the config volumes.
	PuppetConfigFile = "var/lib/docker-puppet/docker-puppet.json"
	// BootstrapNodeFile is the hieradata that names the role's bootstrap
	// node (bootstrap_nodeid).
	BootstrapNodeFile = "etc/puppet/hieradata/bootstrap_node.json"
	// ConfigStepFile is written at the start of every step: {"step": N}.
	ConfigStepFile = "etc/puppet/hieradata/config_step.json"
	// MaxStep is the last step a node folder may have a startup config for.
	MaxStep = 6
)

// StepConfigFile is step N's startup config.
func StepConfigFile(n int) string {
	return fmt.Sprintf("var/lib/tripleo-config/docker-container-startup-config-step_%d.json", n)
}

// HashedStepConfigFile is step N's startup config with the config hashes,
// written after config generation.
func HashedStepConfigFile(n int) string {
	return fmt.Sprintf("var/lib/tripleo-config/hashed-docker-container-startup-config-step_%d.json", n)
}

// PuppetTasksFile is step N's bootstrap tasks (bootstrap node only).
func PuppetTasksFile(n int) string {
	return fmt.Sprintf("var/lib/docker-puppet/docker-puppet-tasks%d.json", n)
}

// ConfigID is the config id of step N's containers.
func ConfigID(n int) string { return fmt.Sprintf("tripleo_step%d", n) }

// Node is a node folder opened for apply.
type Node struct {
	// Dir is the node folder.
	Dir string
	// Hostname is the node's hostname: the folder's name unless given.
	Hostname string
	// BootstrapID is bootstrap_node.json's bootstrap_nodeid ("" when the
	// file is absent).
	BootstrapID string
	// Bootstrap tells whether this node is its role's bootstrap node:
	// bootstrap_nodeid equals the hostname, ignoring case (as TripleO
	// compared it with ansible_hostname).
	Bootstrap bool
	// Warnings are things worth telling (tasks files on a node that is not
	// the bootstrap node, ...).
	Warnings []*diag.Diagnostic
}

// OpenNode checks a node folder. hostname "" means the folder's name,
// which `hoist build` sets to the node's hostname.
func OpenNode(dir, hostname string) (*Node, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, diag.Newf(diag.Error, RuleInput, source.Range{File: dir}, "cannot open the node folder: %v", unwrapPathErr(err))
	}
	if !st.IsDir() {
		return nil, diag.Newf(diag.Error, RuleInput, source.Range{File: dir}, "not a folder: apply takes a node folder (OUT/nodes/<hostname>/ from hoist build) or --file STARTUP_CONFIG")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	n := &Node{Dir: dir, Hostname: hostname}
	if n.Hostname == "" {
		n.Hostname = filepath.Base(abs)
	}
	found := false
	for s := 1; s <= MaxStep; s++ {
		if _, err := os.Stat(n.Path(StepConfigFile(s))); err == nil {
			found = true
		}
	}
	if !found {
		return nil, diag.Newf(diag.Error, RuleInput, source.Range{File: dir},
			"not a node folder: it has no %s (expected the output of hoist build -o OUT: OUT/nodes/<hostname>/)", StepConfigFile(1))
	}
	bp := n.Path(BootstrapNodeFile)
	if _, err := os.Stat(bp); err == nil {
		doc, err := pyyaml.LoadFile(bp, pyyaml.DefaultLimits)
		if err != nil {
			return nil, err
		}
		var id *value.Value
		if value.KindOf(doc.Root) == value.Map {
			id, _ = doc.Root.Map.Get("bootstrap_nodeid")
		}
		if value.KindOf(id) != value.String {
			return nil, inputErr(doc.Root, bp, "bootstrap_node.json must be a mapping with a string bootstrap_nodeid")
		}
		n.BootstrapID = id.Str
		n.Bootstrap = strings.EqualFold(id.Str, n.Hostname)
	}
	if !n.Bootstrap {
		for s := 1; s <= MaxStep; s++ {
			if _, err := os.Stat(n.Path(PuppetTasksFile(s))); err == nil {
				why := fmt.Sprintf("bootstrap_nodeid is %q", n.BootstrapID)
				if n.BootstrapID == "" {
					why = BootstrapNodeFile + " is absent"
				}
				n.Warnings = append(n.Warnings, diag.Newf(diag.Warning, RuleInput, source.Range{File: n.Path(PuppetTasksFile(s))},
					"bootstrap tasks are not run: node %q is not its role's bootstrap node (%s)", n.Hostname, why))
			}
		}
	}
	return n, nil
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Path is a node path inside the node folder.
func (n *Node) Path(p string) string { return filepath.Join(n.Dir, filepath.FromSlash(p)) }

// nodePlan is everything ApplyNode reads, loaded and checked before any
// step runs.
type nodePlan struct {
	steps   []int
	configs map[int]*value.Value // raw step configs
	files   map[int]string
	volumes []*PuppetVolume
	tasks   map[int][]*PuppetVolume
}

// ApplyNode applies a node folder's steps, in order, as the deploy steps
// of TripleO queens did on the node (tht.md §6.4):
//
//  1. at step 1, the folder's files are installed under the node root;
//  2. config_step.json gets {"step": N};
//  3. at step 1, config generation runs for every config volume of
//     docker-puppet.json, then the hashed startup configs of every step
//     are written;
//  4. step N's startup config, with its config hashes, is applied under
//     the config id tripleo_stepN;
//  5. on the bootstrap node, step N's docker_puppet_tasks run.
//
// Everything is read and checked before the first step; the first failure
// stops the run, and later steps do not run.
func (x *Executor) ApplyNode(ctx context.Context, n *Node, steps []int) error {
	x.init()
	plan, err := x.planNode(n, steps)
	if err != nil {
		return err
	}
	if err := x.checkUnknowns(n); err != nil {
		return err
	}
	if !slices.Contains(steps, 1) && !x.DryRun {
		if err := x.checkInstalled(n, steps); err != nil {
			return err
		}
	}
	run := ConfigRun{Step: 6, Hostname: n.Hostname, Action: ActConfig}
	for _, s := range plan.steps {
		x.step = s
		x.logf("step %d", s)
		if s == 1 && !x.DryRun {
			if err := x.install(n); err != nil {
				return err
			}
		}
		if !x.DryRun {
			if err := writeFile(x.rootPath(ConfigStepFile), fmt.Appendf(nil, "{\"step\": %d}\n", s), 0o644); err != nil {
				return err
			}
		}
		if s == 1 {
			if x.DryRun && len(plan.volumes) > 0 {
				x.logf("note: the dry run computes TRIPLEO_CONFIG_HASH from the config-data now on the node, not from what config generation would write")
			}
			if err := x.GenerateConfig(ctx, run, plan.volumes); err != nil {
				return err
			}
			if !x.DryRun {
				if err := x.writeHashed(n); err != nil {
					return err
				}
			}
		}
		doc := x.HashConfig(plan.configs[s])
		cfg, err := ParseConfig(plan.files[s], doc)
		if err != nil {
			return err
		}
		x.logf("step %d: applying %s as %s", s, plural(len(cfg.Containers), "container"), ConfigID(s))
		if err := x.Apply(ctx, cfg, ConfigID(s)); err != nil {
			return err
		}
		if tasks := plan.tasks[s]; len(tasks) > 0 {
			x.logf("step %d: running %s", s, plural(len(tasks), "bootstrap task"))
			if err := x.GenerateConfig(ctx, ConfigRun{Step: s, NoArchive: true, Hostname: n.Hostname, Action: ActTask}, tasks); err != nil {
				return err
			}
		}
	}
	return nil
}

func (x *Executor) planNode(n *Node, steps []int) (*nodePlan, error) {
	p := &nodePlan{steps: steps, configs: map[int]*value.Value{}, files: map[int]string{}, tasks: map[int][]*PuppetVolume{}}
	var errs []error
	for _, s := range steps {
		f := n.Path(StepConfigFile(s))
		doc, err := pyyaml.LoadFile(f, pyyaml.DefaultLimits)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		cfg, err := ParseConfig(f, doc.Root)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if err := x.check(cfg, cfg.Ordered()); err != nil {
			errs = append(errs, err)
			continue
		}
		p.configs[s], p.files[s] = doc.Root, f
		if n.Bootstrap {
			tf := n.Path(PuppetTasksFile(s))
			if _, err := os.Stat(tf); err == nil {
				vols, warns, err := LoadPuppetConfig(tf)
				if err != nil {
					errs = append(errs, err)
				}
				x.warnDiags(warns)
				p.tasks[s] = vols
			}
		}
	}
	if slices.Contains(steps, 1) {
		pf := n.Path(PuppetConfigFile)
		if _, err := os.Stat(pf); err == nil {
			vols, warns, err := LoadPuppetConfig(pf)
			if err != nil {
				errs = append(errs, err)
			}
			x.warnDiags(warns)
			p.volumes = vols
		}
	}
	x.warnDiags(n.Warnings)
	if err := joinErrors(errs); err != nil {
		return nil, err
	}
	return p, nil
}

func (x *Executor) warnDiags(ds []*diag.Diagnostic) {
	for _, d := range ds {
		x.logf("%s", d.Error())
	}
}

// checkInstalled refuses to run later steps alone when the node folder is
// not the one step 1 installed: their containers would run with
// configuration generated from other templates.
func (x *Executor) checkInstalled(n *Node, steps []int) error {
	for _, s := range steps {
		want, err := os.ReadFile(n.Path(StepConfigFile(s)))
		if err != nil {
			return err
		}
		got, err := x.readFile(StepConfigFile(s))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("step %d: %s is not installed on the node: step 1 installs the node folder and generates the configuration; apply it first (--step 1, or all steps)", s, StepConfigFile(s))
		case err != nil:
			return err
		case !bytes.Equal(want, got):
			return fmt.Errorf("step %d: the node folder's %s differs from the one step 1 installed: apply from step 1 again so that the configuration is generated from the same build", s, StepConfigFile(s))
		}
	}
	return nil
}

// install copies the node folder's files to the same paths under the node
// root (keeping their modes), after removing the bootstrap tasks files a
// previous build may have left.
func (x *Executor) install(n *Node) error {
	if same, _ := sameDir(n.Dir, x.Root); same {
		return nil
	}
	old, _ := filepath.Glob(x.rootPath("var/lib/docker-puppet/docker-puppet-tasks*.json"))
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			return err
		}
	}
	count := 0
	err := filepath.WalkDir(n.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(n.Dir, p)
		if err != nil {
			return err
		}
		info, err := os.Stat(p)
		if err != nil || !info.Mode().IsRegular() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		count++
		return writeFile(filepath.Join(x.Root, rel), data, info.Mode().Perm())
	})
	if err != nil {
		return fmt.Errorf("installing the node folder under %s: %w", x.Root, err)
	}
	x.logf("step 1: installed %d files of %s under %s", count, n.Dir, x.Root)
	return nil
}

func sameDir(a, b string) (bool, error) {
	sa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	sb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(sa, sb), nil
}

// writeHashed writes the hashed startup config of every step the node
// folder has, beside the installed one (mode 0600, two-space indent).
func (x *Executor) writeHashed(n *Node) error {
	for s := 1; s <= MaxStep; s++ {
		src := x.rootPath(StepConfigFile(s))
		if _, err := os.Stat(src); err != nil {
			continue
		}
		doc, err := pyyaml.LoadFile(src, pyyaml.DefaultLimits)
		if err != nil {
			return err
		}
		var b bytes.Buffer
		if err := value.WriteJSON(&b, x.HashConfig(doc.Root), value.JSONOptions{Indent: "  "}); err != nil {
			return err
		}
		b.WriteByte('\n')
		if err := writeFile(x.rootPath(HashedStepConfigFile(s)), b.Bytes(), 0o600); err != nil {
			return err
		}
	}
	return nil
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
