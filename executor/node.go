package executor

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"hoist/diag"
	"hoist/model"
	"hoist/pyyaml"
	"hoist/release"
	"hoist/source"
	"hoist/value"
)

// The node folder: what `hoist build -o OUT` writes to OUT/nodes/<host>/,
// the node's files at their absolute paths under a folder, in the layout
// of the deployment's release (release.Node). The constants and functions
// below name queens' files; a Node's Release says where its files are.
const (
	// StartupConfigAll holds every step's containers ({step_N: {...}}).
	StartupConfigAll = "var/lib/docker-container-startup-configs.json"
	// PuppetConfigFile is docker-puppet.json: the config volumes.
	PuppetConfigFile = "var/lib/docker-puppet/docker-puppet.json"
	// BootstrapNodeFile is the hieradata that names the role's bootstrap
	// node (bootstrap_nodeid).
	BootstrapNodeFile = "etc/puppet/hieradata/bootstrap_node.json"
	// AllNodesFile is the hieradata of the whole deployment: from rocky on
	// it names each service's bootstrap node
	// (<service>_short_bootstrap_node_name), from stein the runtime
	// (container_cli).
	AllNodesFile = "etc/puppet/hieradata/all_nodes.json"
	// ConfigStepFile is written at the start of every step: {"step": N}.
	ConfigStepFile = "etc/puppet/hieradata/config_step.json"
	// MaxStep is the last step a node folder may have a startup config for.
	MaxStep = release.MaxStep
)

// StepConfigFile is step N's startup config (queens' name).
func StepConfigFile(n int) string { return release.Default().Node.StepConfigFile(n) }

// HashedStepConfigFile is step N's startup config with the config hashes,
// written after config generation (queens' name).
func HashedStepConfigFile(n int) string { return release.Default().Node.HashedStepConfigFile(n) }

// PuppetTasksFile is step N's bootstrap tasks (queens' name).
func PuppetTasksFile(n int) string { return release.Default().Node.PuppetTasksFile(n) }

// ConfigID is the config id of step N's containers.
func ConfigID(n int) string { return fmt.Sprintf("tripleo_step%d", n) }

// Node is a node folder opened for apply.
type Node struct {
	// Dir is the node folder.
	Dir string
	// Hostname is the node's hostname: the folder's name unless given.
	Hostname string
	// Release is the release whose layout the folder has; ReleaseWhy
	// says how hoist knows.
	Release    *release.Release
	ReleaseWhy string
	// BootstrapID is bootstrap_node.json's bootstrap_nodeid ("" when the
	// file is absent).
	BootstrapID string
	// Bootstrap tells whether this node is its role's bootstrap node:
	// bootstrap_nodeid equals the hostname, ignoring case (as TripleO
	// compared it with ansible_hostname). In queens it runs the role's
	// puppet tasks; from rocky on a node runs the tasks of the services
	// it is the bootstrap node of, which hoist build put in its folder.
	Bootstrap bool
	// ContainerCli is all_nodes.json's container_cli: the runtime the
	// deployment chose (stein on; "" when the folder does not say).
	ContainerCli string
	// allNodes is all_nodes.json, when the folder has it.
	allNodes *value.Value
	// Warnings are things worth telling (tasks files on a node that is not
	// the bootstrap node, ...).
	Warnings []*diag.Diagnostic
}

// OpenNode checks a node folder and tells its release from its files.
// hostname "" means the folder's name, which `hoist build` sets to the
// node's hostname.
func OpenNode(dir, hostname string) (*Node, error) { return OpenNodeAs(dir, hostname, nil) }

// OpenNodeAs is OpenNode with the release given (nil: detected).
func OpenNodeAs(dir, hostname string, rel *release.Release) (*Node, error) {
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
	if rel != nil {
		if !hasStartupConfigs(dir, &rel.Node) {
			return nil, notANodeFolder(dir, rel)
		}
		n.Release, n.ReleaseWhy = rel, "--release"
	} else if n.Release, n.ReleaseWhy = detectRelease(dir); n.Release == nil {
		return nil, notANodeFolder(dir, nil)
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
	ap := n.Path(AllNodesFile)
	if _, err := os.Stat(ap); err == nil {
		doc, err := pyyaml.LoadFile(ap, pyyaml.DefaultLimits)
		if err != nil {
			return nil, err
		}
		if value.KindOf(doc.Root) != value.Map {
			return nil, inputErr(doc.Root, ap, "all_nodes.json must be a mapping, not a %s", value.KindOf(doc.Root))
		}
		n.allNodes = doc.Root
		if cli, ok := doc.Root.Map.Get("container_cli"); ok && value.KindOf(cli) == value.String {
			n.ContainerCli = cli.Str
		}
	}
	if !n.Bootstrap && n.Release.Node.Bootstrap == release.RoleFirstNode {
		for s := 1; s <= MaxStep; s++ {
			if _, err := os.Stat(n.Path(n.Release.Node.PuppetTasksFile(s))); err == nil {
				why := fmt.Sprintf("bootstrap_nodeid is %q", n.BootstrapID)
				if n.BootstrapID == "" {
					why = BootstrapNodeFile + " is absent"
				}
				n.Warnings = append(n.Warnings, diag.Newf(diag.Warning, RuleInput, source.Range{File: n.Path(n.Release.Node.PuppetTasksFile(s))},
					"bootstrap tasks are not run: node %q is not its role's bootstrap node (%s)", n.Hostname, why))
			}
		}
	}
	return n, nil
}

// runsTasks tells whether the node runs the puppet tasks of its folder:
// in queens the role's bootstrap node only; from rocky on every node runs
// its own (hoist build wrote each node the entries it runs).
func (n *Node) runsTasks() bool {
	return n.Bootstrap || n.Release.Node.Bootstrap != release.RoleFirstNode
}

// taskRunsHere tells whether a puppet tasks entry runs on this node, as
// the deploy steps filtered them from rocky on: its service's bootstrap
// node (all_nodes' <service>_short_bootstrap_node_name; rocky and stein
// compared it as it is, train lower-cased) is this node. An entry
// without a service_name, or a folder whose all_nodes.json does not name
// the service's bootstrap node, runs (hoist build already filtered it).
func (n *Node) taskRunsHere(entry *value.Value) (bool, string) {
	if n.Release.Node.Bootstrap == release.RoleFirstNode || value.KindOf(entry) != value.Map || n.allNodes == nil {
		return true, ""
	}
	svc, _ := entry.Map.Get("service_name")
	if value.KindOf(svc) != value.String {
		return true, ""
	}
	boot, _ := n.allNodes.Map.Get(svc.Str + "_short_bootstrap_node_name")
	if value.KindOf(boot) != value.String {
		return true, ""
	}
	if boot.Str == n.Hostname || n.Release.Node.Bootstrap == release.ServiceSortedFirst && strings.EqualFold(boot.Str, n.Hostname) {
		return true, ""
	}
	return false, boot.Str
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
// of the node's release did on the node (tht.md §6.4, release.Node):
//
//  1. at step 1, the folder's files are installed under the node root;
//  2. config_step.json gets {"step": N};
//  3. at step 1, config generation runs for every config volume of
//     docker-puppet.json (container-puppet.json from stein), then the
//     hashed startup configs of every step (train: of every container)
//     are written;
//  4. step N's startup config, with its config hashes, is applied under
//     the config id tripleo_stepN;
//  5. step N's puppet tasks run: in queens on the role's bootstrap node,
//     from rocky on each on its service's bootstrap node.
//
// Everything is read and checked before the first step; the first failure
// stops the run, and later steps do not run. It sets x.Release to the
// node's release.
func (x *Executor) ApplyNode(ctx context.Context, n *Node, steps []int) error {
	x.Release = n.Release
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
	if x.DryRun {
		if err := x.lookAhead(ctx, plan); err != nil {
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
		x.logf("step %d: applying %s as %s", s, diag.Counted(len(cfg.Containers), "container"), ConfigID(s))
		if err := x.Apply(ctx, cfg, ConfigID(s)); err != nil {
			return err
		}
		if tasks := plan.tasks[s]; len(tasks) > 0 {
			x.logf("step %d: running %s", s, diag.Counted(len(tasks), "bootstrap task"))
			if err := x.GenerateConfig(ctx, ConfigRun{Step: s, NoArchive: true, Hostname: n.Hostname, Action: ActTask}, tasks); err != nil {
				return err
			}
		}
	}
	return nil
}

// lookAhead asks the runtime, before a dry run, about everything the run
// will ask about: a dry run changes nothing, so the listing and one
// inspect of every container the steps may keep and every image they
// need answer for all its steps (two calls for the whole node).
func (x *Executor) lookAhead(ctx context.Context, p *nodePlan) error {
	snap, err := x.list(ctx)
	if err != nil {
		return err
	}
	x.snap = snap
	defer func() { x.snap = nil }()
	var kept, images []string
	need := func(img string) {
		if img != "" && !slices.Contains(images, img) {
			images = append(images, img)
		}
	}
	for _, v := range p.volumes {
		need(v.Image)
	}
	for _, s := range p.steps {
		cfg, err := ParseConfig(p.files[s], p.configs[s])
		if err != nil {
			return err
		}
		existing, err := x.containerNames(ctx, ConfigID(s))
		if err != nil {
			return err
		}
		kept = append(kept, keptNames(cfg, existing)...)
		for _, c := range cfg.Containers {
			need(c.Image.V)
		}
		for _, v := range p.tasks[s] {
			need(v.Image)
		}
	}
	slices.Sort(images)
	return x.inspectAll(ctx, snap, kept, images)
}

func (x *Executor) planNode(n *Node, steps []int) (*nodePlan, error) {
	p := &nodePlan{steps: steps, configs: map[int]*value.Value{}, files: map[int]string{}, tasks: map[int][]*PuppetVolume{}}
	ln := &n.Release.Node
	var errs []error
	for _, s := range steps {
		root, f, err := loadStep(n.Dir, ln, s)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		cfg, err := ParseConfig(f, root)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if err := x.check(cfg, cfg.Ordered()); err != nil {
			errs = append(errs, err)
			continue
		}
		if err := x.checkConfigBases(cfg); err != nil {
			errs = append(errs, err)
			continue
		}
		p.configs[s], p.files[s] = root, f
		if n.runsTasks() {
			tf := n.Path(ln.PuppetTasksFile(s))
			if _, err := os.Stat(tf); err == nil {
				vols, warns, err := x.loadTasks(n, tf)
				if err != nil {
					errs = append(errs, err)
				}
				x.warnDiags(warns)
				p.tasks[s] = vols
			}
		}
	}
	if slices.Contains(steps, 1) {
		pf := n.Path(ln.PuppetConfig)
		if _, err := os.Stat(pf); err == nil {
			doc, err := pyyaml.LoadFile(pf, pyyaml.DefaultLimits)
			switch {
			case err != nil:
				errs = append(errs, err)
			case value.KindOf(doc.Root) == value.String && model.IsUnknownText(doc.Root.Str):
				// hoist build --allow-missing wrote the whole input as one
				// unknown value: a real run refuses it (checkUnknowns).
				if x.DryRun {
					x.logf("warning: %s is an unknown value (%s): the dry run shows no config generation", filepath.Base(pf), doc.Root.Str)
				}
			default:
				vols, warns, err := ParsePuppetConfig(pf, doc.Root)
				if err != nil {
					errs = append(errs, err)
				}
				x.warnDiags(warns)
				p.volumes = vols
			}
		}
	}
	x.warnDiags(n.Warnings)
	if err := joinErrors(errs); err != nil {
		return nil, err
	}
	return p, nil
}

// loadTasks reads a puppet tasks file, keeping the entries that run on
// the node (Node.taskRunsHere).
func (x *Executor) loadTasks(n *Node, file string) ([]*PuppetVolume, []*diag.Diagnostic, error) {
	doc, err := pyyaml.LoadFile(file, pyyaml.DefaultLimits)
	if err != nil {
		return nil, nil, err
	}
	root := doc.Root
	var warns []*diag.Diagnostic
	if value.KindOf(root) == value.List {
		var keep []*value.Value
		for _, it := range root.List {
			ok, boot := n.taskRunsHere(it)
			if !ok {
				svc, _ := it.Map.Get("service_name")
				warns = append(warns, diag.Newf(diag.Warning, RuleInput, it.Range,
					"this task of service %s is not run: its bootstrap node is %s (%s), not %s", svc.Str, boot, AllNodesFile, n.Hostname))
				continue
			}
			keep = append(keep, it)
		}
		if len(keep) != len(root.List) {
			root = value.NewList(keep, root.Range)
		}
	}
	vols, more, err := ParsePuppetConfig(file, root)
	return vols, append(warns, more...), err
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
		f, missing, err := nodeFilesDiffer(n, x.Root, s)
		switch {
		case err != nil:
			return err
		case missing:
			return fmt.Errorf("step %d: %s is not installed on the node: step 1 installs the node folder and generates the configuration; apply it first (--step 1, or all steps)", s, f)
		case f != "":
			return fmt.Errorf("step %d: the node folder's %s differs from the one step 1 installed: apply from step 1 again so that the configuration is generated from the same build", s, f)
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
	ln := &n.Release.Node
	old, _ := filepath.Glob(x.rootPath(strings.Replace(ln.PuppetTasks, "%d", "*", 1)))
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			return err
		}
	}
	if ln.ContainerConfig != "" {
		// train's container_startup_config module removed the step
		// folders before writing them again: a container the build no
		// longer has goes with them.
		if err := os.RemoveAll(x.rootPath(path.Dir(path.Dir(ln.ContainerConfigFile(1, "x"))))); err != nil {
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

// writeHashed writes the hashed startup configs beside the installed
// ones, as config generation did (mode 0600, two-space indent): one per
// step file up to stein, one per container file in train
// (step_N/hashed-<container>.json).
func (x *Executor) writeHashed(n *Node) error {
	ln := &n.Release.Node
	for s := 1; s <= MaxStep; s++ {
		files := stepFiles(x.Root, ln, s)
		if len(files) == 0 {
			continue
		}
		root, _, err := loadStep(x.Root, ln, s)
		if err != nil {
			return err
		}
		hashed := x.HashConfig(root)
		if ln.StepConfig != "" {
			if err := writeStepJSON(x.rootPath(ln.HashedStepConfigFile(s)), hashed); err != nil {
				return err
			}
			continue
		}
		for _, f := range files {
			name := containerOf(f)
			opts, _ := hashed.Map.Get(name)
			if err := writeStepJSON(x.rootPath(ln.HashedContainerConfigFile(s, name)), opts); err != nil {
				return err
			}
		}
	}
	return nil
}
