// Package emit writes the per-node artifact tree of a deployment: for
// every node, under OUT/nodes/<hostname>/, the files TripleO queens wrote
// on that node (tht.md §6.3) at their absolute paths: the paunch startup
// configs per step, docker-puppet.json and the bootstrap node's
// docker-puppet-tasksN.json, the kolla config files, the config scripts,
// puppet_step_config.pp and the hieradata; then OUT/plan.json and
// OUT/manifest.json (every file with its sha256, mode and the unknown
// values it holds).
//
// Output is deterministic: JSON with sorted keys, two-space indent and a
// final newline, the same bytes whatever the parallelism. Values only a
// live cloud knows are written as "<unknown: reason>" and listed in the
// manifest. Write replaces OUT atomically.
package emit

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"hoist/diag"
	"hoist/hieradata"
	"hoist/model"
	"hoist/plan"
	"hoist/release"
	"hoist/source"
	"hoist/value"
)

// Rule ids of the emitter's diagnostics.
const (
	// RulePath: a path from a template (a kolla_config key, a config
	// script name, a hostname) would land outside its folder, or two
	// files would land on one path.
	RulePath = "emit/path"
	// RuleUnknown: --strict, and a file would hold an unknown value.
	RuleUnknown = "emit/unknown"
	// RuleHieradata: the hieradata could not be computed.
	RuleHieradata = hieradata.Rule
	// RuleValue: a value cannot be written as its file needs (a script
	// or manifest that is not a string).
	RuleValue = "emit/value"
)

// The node paths (tht.md §6.3), relative to the node folder.
const (
	StartupConfigAll = "var/lib/docker-container-startup-configs.json"
	PuppetConfigFile = "var/lib/docker-puppet/docker-puppet.json"
	StepConfigPuppet = "var/lib/tripleo-config/puppet_step_config.pp"
	ConfigScriptsDir = "var/lib/docker-config-scripts"
	HieradataDir     = "etc/puppet/hieradata"
	HieraConfig      = "etc/puppet/hiera.yaml"
)

// StepConfigFile is the startup config of a step key (step_3).
func StepConfigFile(stepKey string) string {
	return "var/lib/tripleo-config/docker-container-startup-config-" + stepKey + ".json"
}

// PuppetTasksFile is step N's bootstrap tasks.
func PuppetTasksFile(n string) string {
	return "var/lib/docker-puppet/docker-puppet-tasks" + n + ".json"
}

// Options configure a build.
type Options struct {
	// Strict makes any unknown value an error.
	Strict bool
	// Jobs is how many nodes are rendered at once; 0 means one per CPU.
	Jobs int
	// Inputs, when set, is what the deployment was compiled from
	// (deploy.Deployment.Record): the manifest records it as "inputs",
	// so that hoist why can compile the tree's deployment again.
	Inputs *value.Value
}

// File is one file of the tree.
type File struct {
	// Path is slash-separated, relative to OUT.
	Path string
	Data []byte
	Mode fs.FileMode
	// Unknowns are the unknown values the file holds.
	Unknowns []Unknown
	// Secret tells that the file holds a secret (its mode is 0600).
	Secret bool
	// Value is what the file was rendered from, with its ranges (and,
	// when the compile recorded it, its provenance: hoist why); nil for
	// the files hoist writes itself.
	Value *value.Value
	sum   string
}

// SHA256 returns the hex sha256 of the file's data.
func (f *File) SHA256() string {
	if f.sum == "" {
		s := sha256.Sum256(f.Data)
		f.sum = hex.EncodeToString(s[:])
	}
	return f.sum
}

// Unknown is an unknown value written into a file.
type Unknown struct {
	// Path is the value's path in the file's JSON ("" for the whole
	// file).
	Path string
	// Reason is why it is unknown.
	Reason string
	// Range is where the value was made.
	Range source.Range
}

// Tree is the artifact tree of a build.
type Tree struct {
	// Files are sorted by Path; the last is manifest.json.
	Files []*File
	Plan  *plan.Plan
}

// Build renders the tree of a plan. Diagnostics are sorted; when one is an
// error, the tree is nil.
func Build(p *plan.Plan, o Options) (*Tree, []*diag.Diagnostic) {
	files, ds := build(p, o, nil)
	if files == nil {
		return nil, ds
	}
	return &Tree{Files: append(files, manifest(p, files, o.Inputs)), Plan: p}, ds
}

// BuildAndWrite is Build, then Write to out, streaming: each node's files
// are written as soon as they are rendered, and the manifest is rendered
// while the file system works. The tree is nil, and nothing is written,
// when a diagnostic is an error.
func BuildAndWrite(p *plan.Plan, o Options, out string) (*Tree, []*diag.Diagnostic, error) {
	var files []*File
	var ds []*diag.Diagnostic
	var m *File
	built := false
	err := write(out, func(tmp string) error {
		w := newTreeWriter(tmp, nodeCount(p)+2)
		files, ds = build(p, o, w.send)
		built = true
		if files == nil {
			_ = w.close()
			return errNotBuilt
		}
		rendered := make(chan *File, 1)
		go func() { rendered <- manifest(p, files, o.Inputs) }()
		var own []*File
		for _, f := range files {
			if _, _, onNode := NodeOf(f.Path); !onNode {
				own = append(own, f)
			}
		}
		w.send(own)
		m = <-rendered
		w.send([]*File{m})
		return w.close()
	})
	if !built {
		// out was refused before the build: the build's findings are
		// still worth saying.
		files, ds = build(p, o, nil)
		if files == nil {
			return nil, ds, nil
		}
		return &Tree{Files: files, Plan: p}, ds, err
	}
	if files == nil {
		return nil, ds, nil
	}
	return &Tree{Files: append(files, m), Plan: p}, ds, err
}

// errNotBuilt stops a write whose build had an error.
var errNotBuilt = errors.New("not built")

func nodeCount(p *plan.Plan) int {
	n := 0
	for _, rp := range p.Roles {
		n += len(rp.Nodes)
	}
	return n
}

// build renders the files of the tree but the manifest, sorted by path,
// each hashed; nil when a diagnostic is an error. When sink is not nil, it
// is given each node's files as soon as they are rendered (and unless
// they hold an error), from several goroutines.
func build(p *plan.Plan, o Options, sink func([]*File)) ([]*File, []*diag.Diagnostic) {
	b := &builder{p: p, d: p.Deployment, o: o}
	b.secrets = newSecrets(p.Deployment)
	hosts := map[string]string{}
	for _, rp := range p.Roles {
		for _, n := range rp.Nodes {
			if !safeName(n.Hostname) {
				b.errorf(rp.Role.Range, RulePath, "role %s: hostname %q (from the hostname format %q) is not a valid folder name: a hostname is letters, digits, '-' and '.'", rp.Role.Name, n.Hostname, formatOf(rp.Role))
				continue
			}
			if other, ok := hosts[n.Hostname]; ok {
				b.errorf(rp.Role.Range, RulePath, "roles %s and %s both name a node %q: give one of them another hostname format", other, rp.Role.Name, n.Hostname)
			}
			hosts[n.Hostname] = rp.Role.Name
		}
	}
	g, hds := hieradata.New(p)
	b.diags = append(b.diags, hds...)
	roles := make([]*roleFiles, len(p.Roles))
	for i, rp := range p.Roles {
		roles[i] = b.role(rp, g)
	}
	if b.failed() {
		return nil, diag.Sort(b.diags)
	}
	// Nodes, in parallel: each gets its own files and shares its role's.
	type job struct {
		rf *roleFiles
		n  model.Node
	}
	var jobs []job
	for _, rf := range roles {
		for _, n := range rf.rp.Nodes {
			jobs = append(jobs, job{rf, n})
		}
	}
	out := make([][]*File, len(jobs))
	diags := make([][]*diag.Diagnostic, len(jobs))
	workers := o.Jobs
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < min(workers, len(jobs)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				nb := &builder{p: p, d: p.Deployment, o: o, secrets: b.secrets}
				out[i] = nb.node(jobs[i].rf, jobs[i].n, g)
				diags[i] = nb.diags
				if sink != nil && !nb.failed() && distinctPaths(out[i]) {
					sink(out[i])
				}
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	var files []*File
	for i := range jobs {
		files = append(files, out[i]...)
		b.diags = append(b.diags, diags[i]...)
	}
	files = append(files, b.ansibleFiles(files)...)
	files = append(files, b.planFile())
	slices.SortFunc(files, func(a, c *File) int { return strings.Compare(a.Path, c.Path) })
	for i := 1; i < len(files); i++ {
		if files[i].Path == files[i-1].Path {
			b.errorf(source.Range{}, RulePath, "two files would be written to %s", files[i].Path)
		}
	}
	if o.Strict {
		// One finding per unknown value (its reason, where it was made),
		// with the first file that would hold it and how many do.
		type place struct {
			first, at string
			n         int
			r         source.Range
		}
		byValue := map[string]*place{}
		var order []string
		for _, f := range files {
			for _, u := range f.Unknowns {
				k := u.Reason + "\x00" + u.Range.String()
				pl := byValue[k]
				if pl == nil {
					at := u.Path
					if at == "" {
						at = "the whole file"
					}
					pl = &place{first: f.Path, at: at, r: u.Range}
					byValue[k] = pl
					order = append(order, k)
				}
				pl.n++
			}
		}
		for _, k := range order {
			pl := byValue[k]
			reason, _, _ := strings.Cut(k, "\x00")
			b.diags = append(b.diags, diag.Newf(diag.Error, RuleUnknown, pl.r,
				"--strict: an unknown value would be written (%s): %s at %s%s; give it a value, or build without --strict",
				reason, pl.first, pl.at, others(pl.n-1)))
		}
	}
	if b.failed() {
		return nil, diag.Sort(dedupe(b.diags))
	}
	for _, f := range files {
		f.SHA256() // before the manifest and the writers share the files
	}
	return files, diag.Sort(dedupe(b.diags))
}

// distinctPaths reports whether no two of a node's files have one path
// (when two do, build reports it, and the node is not written).
func distinctPaths(files []*File) bool {
	seen := make(map[string]bool, len(files))
	for _, f := range files {
		if seen[f.Path] {
			return false
		}
		seen[f.Path] = true
	}
	return true
}

func others(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return " and 1 other place"
	}
	return fmt.Sprintf(" and %d other places", n)
}

// dedupe drops repeated diagnostics (a role's file checked once per
// node).
func dedupe(ds []*diag.Diagnostic) []*diag.Diagnostic {
	seen := map[string]bool{}
	var out []*diag.Diagnostic
	for _, d := range ds {
		k := d.Line()
		if !seen[k] {
			seen[k] = true
			out = append(out, d)
		}
	}
	return out
}

type builder struct {
	p       *plan.Plan
	d       *model.Deployment
	o       Options
	secrets *secrets
	diags   []*diag.Diagnostic
}

func (b *builder) errorf(r source.Range, rule, format string, args ...any) {
	b.diags = append(b.diags, diag.Newf(diag.Error, rule, r, format, args...))
}

func (b *builder) failed() bool { return diag.Max(b.diags) >= diag.Error }

func formatOf(r *model.Role) string {
	if r.HostnameFormat == "" {
		return model.DefaultHostnameFormat(r.Name)
	}
	return r.HostnameFormat
}

// safeName reports whether s can be one folder or file name.
func safeName(s string) bool {
	if s == "" || s == "." || s == ".." || len(s) > 255 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// nodePath checks an absolute node path from a template (a kolla_config
// key) and returns it relative to the node folder.
func nodePath(p string) (string, string) {
	switch {
	case !strings.HasPrefix(p, "/"):
		return "", "it is not an absolute path"
	case strings.ContainsRune(p, 0):
		return "", "it holds a NUL character"
	}
	for _, el := range strings.Split(p[1:], "/") {
		if el == ".." {
			return "", "it climbs out with '..'"
		}
	}
	c := path.Clean(p)
	if c != p {
		return "", fmt.Sprintf("it is not a clean path (%q)", c)
	}
	if c == "/" {
		return "", "it is the node's root folder"
	}
	return c[1:], ""
}

// roleFiles are the files every node of a role shares, relative to the
// node folder, and what the node files need.
type roleFiles struct {
	rp    *plan.RolePlan
	files []*File
	// tasks are the puppet tasks files of each node that runs some, by
	// hostname.
	tasks map[string][]*File
}

// stepFile is a layout's file name of a step key: the format's step_%d
// with the key (step_3), so that a key which is not step_N still names
// its own file.
func stepFile(format, key string) string { return strings.Replace(format, "step_%d", key, 1) }

// indentOf is the indent of a release's JSON files: the release's own
// where its deploy tasks wrote multi-line JSON, two spaces where they
// wrote one line (queens' to_json), which nobody can review.
func indentOf(indent string) string {
	if indent == "" {
		return "  "
	}
	return indent
}

func (b *builder) role(rp *plan.RolePlan, g *hieradata.Hiera) *roleFiles {
	rf := &roleFiles{rp: rp, tasks: map[string][]*File{}}
	r := rp.Role
	rel := b.d.Rel()
	ln := rel.Node
	startupIndent, puppetIndent := indentOf(ln.JSONIndent), indentOf(ln.PuppetJSONIndent)
	add := func(p string, f *File) {
		if f != nil {
			f.Path = p
			rf.files = append(rf.files, f)
		}
	}
	// Startup configs: docker_config (the key keeps its name in every
	// release), combined (shallowly) into the default {step_1..step_6:
	// {}} where the release writes every step, then one file per step key
	// or, in train, one per container.
	all := value.NewMapping(8)
	if ln.EmptySteps {
		for s := 1; s <= release.MaxStep; s++ {
			all.SetString("step_"+strconv.Itoa(s), value.NewMap(nil, source.Range{}))
		}
	}
	if dc := r.Key("docker_config"); dc != nil && dc.Kind == value.Map {
		for _, e := range dc.Map.Entries() {
			all.Set(e.Key, e.Val)
		}
	}
	if ln.StartupConfigs != "" {
		allV := value.NewMap(all, rangeOf(r.Key("docker_config")))
		add(ln.StartupConfigs, b.json(allV, 0o600, startupIndent))
	}
	for _, e := range all.Entries() {
		k := value.Str(e.Key)
		if !safeName(k) {
			b.errorf(e.Key.Range, RulePath, "role %s: docker_config key %q cannot name a file (%s): expected step_1 ... step_6", r.Name, k, path.Base(stepFile(cmp.Or(ln.StepConfig, ln.ContainerConfig), k)))
			continue
		}
		if ln.StepConfig != "" {
			add(stepFile(ln.StepConfig, k), b.json(e.Val, 0o600, startupIndent))
			continue
		}
		// train: step_N/<container>.json, the container's options.
		if e.Val == nil || e.Val.Kind != value.Map {
			continue
		}
		for _, c := range e.Val.Map.Entries() {
			name := value.Str(c.Key)
			if !safeName(name) || strings.HasPrefix(name, "hashed-") {
				b.errorf(c.Key.Range, RulePath, "role %s: container %q of docker_config.%s cannot name its startup config file (%s): a container name is one file name (letters, digits, '-', '_', '.') that does not start with \"hashed-\"", r.Name, name, k, stepFile(ln.ContainerConfig, k))
				continue
			}
			add(fmt.Sprintf(stepFile(ln.ContainerConfig, k), name), b.json(c.Val, 0o600, startupIndent))
		}
	}
	// The config generation input: the role's puppet_config list.
	pc := r.Key("puppet_config")
	if pc == nil {
		pc = value.NewList(nil, source.Range{})
	}
	add(ln.PuppetConfig, b.json(pc, 0o600, puppetIndent))
	// Puppet tasks, per step, on the nodes that run them.
	b.puppetTasks(rf, puppetIndent)
	// Kolla config files, at their keys.
	kcs, _ := model.KollaConfigs(r.Key("kolla_config"))
	for _, k := range kcs {
		rel, why := nodePath(k.Path)
		if why != "" {
			b.errorf(k.PathAt(), RulePath, "role %s: kolla_config key %q cannot be written on the node: %s; kolla_config keys are absolute paths such as %sservice.json", r.Name, k.Path, why, model.KollaConfigDir)
			continue
		}
		add(rel, b.json(k.Raw, 0o600, startupIndent))
	}
	// The host manifest.
	add(StepConfigPuppet, b.text(r.Key("step_config"), 0o600, "step_config"))
	// Config scripts, with their modes.
	if cs, key := r.ConfigScripts(rel); cs != nil && cs.Kind == value.Map {
		for _, e := range cs.Map.Entries() {
			k := value.Str(e.Key)
			if !safeName(k) {
				b.errorf(e.Key.Range, RulePath, "role %s: %s name %q cannot be written to %s/: a script name is one file name (letters, digits, '-', '_', '.')", r.Name, key, k, "/"+ln.ConfigScriptsDir)
				continue
			}
			mode := fs.FileMode(0o600)
			if m := value.Get(e.Val, "mode"); m != nil {
				var u uint64
				var err error
				if m.Kind == value.Int && m.Big == nil && m.Int >= 0 {
					// YAML 1.1 read an unquoted 0700 as the number 448,
					// which Ansible's copy takes as that mode.
					u = uint64(m.Int)
				} else {
					u, err = strconv.ParseUint(value.Str(m), 8, 32)
				}
				if err != nil || u > 0o7777 {
					b.errorf(m.Range, RuleValue, "role %s: %s %q has mode %s: expected an octal file mode such as \"0700\"", r.Name, key, k, value.Dumps(m))
					continue
				}
				mode = fs.FileMode(u) & fs.ModePerm
			}
			f := b.text(value.Get(e.Val, "content"), mode, key+"."+k+".content")
			add(ln.ConfigScriptsDir+"/"+k, f)
		}
	}
	// The notes the release's deploy tasks left.
	for _, n := range ln.Notes {
		add(n.Path, &File{Data: []byte(n.Text), Mode: fs.FileMode(n.Mode)})
	}
	// Hieradata the role's nodes share.
	for _, h := range g.Role(rp) {
		add(HieradataDir+"/"+h.Name+".json", b.json(h.Data, 0o600, "  "))
	}
	add(HieraConfig, &File{Data: []byte(hieraYAML(ln.Hiera.Hierarchy, r.Name)), Mode: 0o644})

	// Two role files on one path (a kolla key on a fixed file).
	seen := map[string]bool{}
	for _, f := range rf.files {
		if seen[f.Path] {
			b.errorf(r.Range, RulePath, "role %s: two files would be written to /%s (a kolla_config key names a file hoist writes itself)", r.Name, f.Path)
		}
		seen[f.Path] = true
	}
	for _, fs := range rf.tasks {
		for _, f := range fs {
			if seen[f.Path] {
				b.errorf(r.Range, RulePath, "role %s: two files would be written to /%s (a kolla_config key names a file hoist writes itself)", r.Name, f.Path)
			}
			f.SHA256()
		}
	}
	// Hashed once here: every node's copy shares the sum.
	for _, f := range rf.files {
		f.SHA256()
	}
	return rf
}

// puppetTasks writes the role's one-shot puppet tasks files: one per
// step key and node that runs some. In queens the role's first node gets
// each step's list whole; from rocky on every node's deploy steps wrote
// the file filtered to the entries whose service's bootstrap node it is,
// and only when that left something (rocky common/deploy-steps-tasks.yaml:
// 522-563, stein :600-653, train :230-252), so each node folder holds
// exactly the tasks its node runs.
func (b *builder) puppetTasks(rf *roleFiles, indent string) {
	r := rf.rp.Role
	rel := b.d.Rel()
	ln := rel.Node
	dpt, key := r.PuppetTasks(rel)
	if dpt == nil || dpt.Kind != value.Map {
		return
	}
	for _, e := range dpt.Map.Entries() {
		k := value.Str(e.Key)
		n, ok := strings.CutPrefix(k, "step_")
		if !ok || !safeName(n) {
			b.errorf(e.Key.Range, RulePath, "role %s: %s key %q cannot name a file (%s): expected step_1 ... step_5", r.Name, key, k, path.Base(strings.Replace(ln.PuppetTasks, "%d", "N", 1)))
		}
	}
	if b.failed() {
		return
	}
	fileOf := func(k string) string {
		return strings.Replace(ln.PuppetTasks, "%d", strings.TrimPrefix(k, "step_"), 1)
	}
	if ln.Bootstrap == release.RoleFirstNode {
		if len(rf.rp.Nodes) == 0 {
			return
		}
		h := rf.rp.Bootstrap()
		for _, e := range dpt.Map.Entries() {
			if f := b.json(e.Val, 0o600, indent); f != nil {
				f.Path = fileOf(value.Str(e.Key))
				rf.tasks[h] = append(rf.tasks[h], f)
			}
		}
		return
	}
	type fileKey struct{ node, step string }
	var order []fileKey
	entries := map[fileKey][]*value.Value{}
	for _, t := range b.p.PuppetTasks(rf.rp) {
		if t.Node == "" {
			continue
		}
		fk := fileKey{t.Node, t.StepKey}
		if _, ok := entries[fk]; !ok {
			order = append(order, fk)
		}
		entries[fk] = append(entries[fk], t.Entry)
	}
	for _, fk := range order {
		if f := b.json(value.NewList(entries[fk], rangeOf(value.Get(dpt, fk.step))), 0o600, indent); f != nil {
			f.Path = fileOf(fk.step)
			rf.tasks[fk.node] = append(rf.tasks[fk.node], f)
		}
	}
}

// node returns a node's files under nodes/<hostname>/.
func (b *builder) node(rf *roleFiles, n model.Node, g *hieradata.Hiera) []*File {
	prefix := "nodes/" + n.Hostname + "/"
	var out []*File
	share := func(f *File) {
		c := *f // its data, unknowns and sha256 are the role's (hashed once, in role)
		c.Path = prefix + f.Path
		out = append(out, &c)
	}
	for _, f := range rf.files {
		share(f)
	}
	for _, f := range rf.tasks[n.Hostname] {
		share(f)
	}
	for _, h := range g.Node(rf.rp, n) {
		if f := b.json(h.Data, 0o600, "  "); f != nil {
			f.Path = prefix + HieradataDir + "/" + h.Name + ".json"
			f.SHA256() // here, on the node's worker
			out = append(out, f)
		}
	}
	return out
}

func rangeOf(v *value.Value) source.Range {
	if v == nil {
		return source.Range{}
	}
	return v.Range
}

// json renders v as an artifact JSON file: sorted keys, non-ASCII as it
// is, indent (two spaces for hoist's own files) and a final newline.
func (b *builder) json(v *value.Value, mode fs.FileMode, indent string) *File {
	f := &File{Mode: mode, Value: v}
	v = b.resolve(v, new(value.Path), f)
	buf := jsonBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	_ = value.WriteJSON(buf, v, value.JSONOptions{SortKeys: true, Indent: indent, Unicode: true})
	buf.WriteByte('\n')
	f.Data = bytes.Clone(buf.Bytes())
	jsonBuffers.Put(buf)
	if f.Secret {
		f.Mode &^= 0o077
	}
	return f
}

// jsonBuffers are the buffers files are rendered in, then copied out at
// their size (growing one per file was a third of the build's garbage).
var jsonBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// text renders a string value as a file's contents (a null is an empty
// file).
func (b *builder) text(v *value.Value, mode fs.FileMode, what string) *File {
	f := &File{Mode: mode, Value: v}
	switch value.KindOf(v) {
	case value.Null:
	case value.String:
		f.Data = []byte(v.Str)
		f.Secret = b.secrets.inString(v.Str)
	case value.Unknown:
		f.Data = []byte(model.UnknownText(v.Str))
		f.Unknowns = append(f.Unknowns, Unknown{Reason: v.Str, Range: v.Range})
		f.Secret = b.secrets.inReason(v.Str)
	default:
		b.errorf(v.Range, RuleValue, "%s is a %s; a file's contents must be a string", what, v.Kind)
		return nil
	}
	if f.Secret {
		f.Mode &^= 0o077
	}
	return f
}

// resolve replaces unknown values by their text, recording them, and
// notes secrets. p is v's path, a buffer the walk extends and trims (a
// copy per value was most of the walk's allocations).
func (b *builder) resolve(v *value.Value, p *value.Path, f *File) *value.Value {
	switch value.KindOf(v) {
	case value.Unknown:
		f.Unknowns = append(f.Unknowns, Unknown{Path: p.String(), Reason: v.Str, Range: v.Range})
		if b.secrets.inReason(v.Str) {
			f.Secret = true
		}
		return value.NewString(model.UnknownText(v.Str), v.Range)
	case value.String:
		if !f.Secret && b.secrets.inString(v.Str) {
			f.Secret = true
		}
	case value.List:
		var items []*value.Value
		for i, it := range v.List {
			*p = append(*p, value.PathElem{Index: i, IsIndex: true})
			r := b.resolve(it, p, f)
			*p = (*p)[:len(*p)-1]
			if r != it && items == nil {
				items = slices.Clone(v.List)
			}
			if items != nil {
				items[i] = r
			}
		}
		if items != nil {
			return value.NewList(items, v.Range)
		}
	case value.Map:
		var m *value.Mapping
		for i, e := range v.Map.Entries() {
			*p = append(*p, value.PathElem{Key: value.JSONKey(e.Key)})
			r := b.resolve(e.Val, p, f)
			*p = (*p)[:len(*p)-1]
			if r != e.Val && m == nil {
				m = value.NewMapping(v.Map.Len())
				for _, pe := range v.Map.Entries()[:i] {
					m.Set(pe.Key, pe.Val)
				}
			}
			if m != nil {
				m.Set(e.Key, r)
			}
		}
		if m != nil {
			return value.NewMap(m, v.Range)
		}
	}
	return v
}
