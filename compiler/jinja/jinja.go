// Package jinja renders the Jinja2 templates (*.j2.yaml) of a
// tripleo-heat-templates tree with the roles and networks of a deployment,
// as THT's tools/process-templates.py and tripleo-common's process-templates
// action did at stable/queens before the templates went to Heat.
//
// Three kinds of template are rendered, each with its own variables:
//
//   - *.role.j2.yaml, once per role of roles_data, with `role` (the role's
//     mapping) and `networks` (network_data). The output is
//     <role name lower>-<base>.yaml beside the template; in a folder whose
//     path contains network/config it is the role's
//     deprecated_nic_config_name, or <role name lower>.yaml. A template that
//     does not contain the text {{role.name}} gets the role's name as
//     `role` (the pre-composable-roles form) and, when the role sets
//     disable_constraints, `disable_constraints`.
//   - *.network.j2.yaml, once per enabled network (enabled is not false),
//     with `network`. The output replaces "port" (in a folder ending in
//     ports) or "network" in the base name with the network's name_lower.
//   - every other *.j2.yaml, once, with `roles` and `networks`; the output
//     drops ".j2".
//
// Every enabled network without a name_lower gets its name in lower case
// as name_lower, which all three kinds see. j2_excludes.yaml at the root
// lists output paths (under "name") that role and network templates do not
// produce. Templates include others by name, looked up in the template's
// folder, then at the root. Hidden files and folders are skipped.
//
// The engine is github.com/nikolalohinski/gonja/v2 with Jinja2's default
// settings; engine.go and methods.go give it the Python behaviour THT's
// templates rely on. What no extension point reaches, and THT does not use
// (python_test.go keeps the list): None prints as "", ** on integers gives
// a float, a printed dict does not escape quotes, an empty dict is true,
// `x in y|f` inside {{ }} (statements are handled), and dict methods on a
// dict with non-string keys. The compat_name that tripleo-common gave the
// InternalApi network when upgrading a stack with the legacy Internal
// network needs a live stack and is not applied.
package jinja

import (
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/nikolalohinski/gonja/v2/exec"

	"hoist/diag"
	"hoist/pyyaml"
	"hoist/source"
	"hoist/value"
)

// Rule ids of the diagnostics this package reports.
const (
	RuleSyntax         = "jinja/syntax"
	RuleRender         = "jinja/render"
	RuleMissingInclude = "jinja/missing-include"
	RuleRolesData      = "jinja/roles-data"
	RuleNetworkData    = "jinja/network-data"
	RuleExcludes       = "jinja/excludes"
	RuleOutputClash    = "jinja/output-clash"
	RuleInternal       = "jinja/internal"
)

// ExcludesFile is the file, at the root of the tree, that lists outputs not
// to render.
const ExcludesFile = "j2_excludes.yaml"

// Kind says how a template is rendered.
type Kind uint8

// The kinds of template.
const (
	// Plain templates (*.j2.yaml) are rendered once with all roles and
	// networks.
	Plain Kind = iota + 1
	// Role templates (*.role.j2.yaml) are rendered once per role.
	Role
	// Network templates (*.network.j2.yaml) are rendered once per enabled
	// network.
	Network
)

func (k Kind) String() string {
	switch k {
	case Plain:
		return "plain"
	case Role:
		return "role"
	case Network:
		return "network"
	}
	return "invalid"
}

// KindOf returns the kind of the template named name (a file name or a
// path), or 0 when it is not a Jinja2 template.
func KindOf(name string) Kind {
	base := path.Base(name)
	switch {
	case strings.HasSuffix(base, ".role.j2.yaml"):
		return Role
	case strings.HasSuffix(base, ".network.j2.yaml"):
		return Network
	case strings.HasSuffix(base, ".j2.yaml"):
		return Plain
	}
	return 0
}

// Options tune rendering. The zero value is ready to use.
type Options struct {
	// Dir is how diagnostics name the root of the tree: a template's
	// diagnostics name the file Dir/<template path>. Empty names files by
	// their path in the tree.
	Dir string
	// Limits bound the loading of j2_excludes.yaml.
	Limits pyyaml.Limits
	// Workers is how many templates render at once; 0 means GOMAXPROCS.
	Workers int
}

// Job is one output file to render: which template, and for which role or
// network.
type Job struct {
	// Path is the output's slash path relative to the root, e.g.
	// "common/services/controller-role.yaml".
	Path string
	// Template is the path of the template it comes from, e.g.
	// "common/services/role.role.j2.yaml".
	Template string
	Kind     Kind
	// Role is the role's name (Role jobs).
	Role string
	// Network is the network's name (Network jobs).
	Network string

	role, network int // indexes into the role and network lists
	legacyRole    bool
}

// File is one rendered output.
type File struct {
	Job
	// Data is the rendered text.
	Data []byte
	// Map tells which template line produced each place of Data.
	Map *SourceMap
	// Undefined are the undefined values the render printed (as Jinja2
	// does, as empty strings), at the template lines that print them
	// (RuleUndefined).
	Undefined []Undefined
}

// Undefined is an undefined value a render printed.
type Undefined struct {
	Diagnostic *diag.Diagnostic
	// Context names the roles and networks of the loops around the
	// statement that printed it, as SourcePos.Context does.
	Context string
}

// Tree is the result of rendering a whole tree.
type Tree struct {
	// Files are the rendered outputs, sorted by path.
	Files []*File
	// Excluded lists the outputs that j2_excludes.yaml suppressed, sorted.
	Excluded []string
}

// Get returns the rendered file at path, or nil.
func (t *Tree) Get(p string) *File {
	i, ok := slices.BinarySearchFunc(t.Files, p, func(f *File, p string) int { return strings.Compare(f.Path, p) })
	if !ok {
		return nil
	}
	return t.Files[i]
}

// Paths returns the paths of the rendered files, sorted.
func (t *Tree) Paths() []string {
	out := make([]string, len(t.Files))
	for i, f := range t.Files {
		out[i] = f.Path
	}
	return out
}

// Renderer renders the templates of one tree for one set of roles and
// networks. It is safe for concurrent use.
type Renderer struct {
	root     fs.FS
	opts     Options
	roles    []*value.Value
	networks []*value.Value
	enabled  []bool
	jobs     []Job
	byPath   map[string]int
	excluded []string
}

// Render renders every Jinja2 template of the tree at root with the roles
// and networks (the documents of roles_data.yaml and network_data.yaml as
// pyyaml loads them; networks may be nil) and returns the outputs.
// Errors are *diag.Diagnostic, or Errors when several templates fail.
func Render(root fs.FS, roles, networks *value.Value, opts Options) (*Tree, error) {
	r, err := New(root, roles, networks, opts)
	if err != nil {
		return nil, err
	}
	return r.RenderAll()
}

// New checks the roles and networks, reads j2_excludes.yaml and finds the
// templates of the tree at root and what each renders to, without
// rendering anything.
func New(root fs.FS, roles, networks *value.Value, opts Options) (*Renderer, error) {
	r := &Renderer{root: root, opts: opts, byPath: map[string]int{}}
	if err := r.readRoles(roles); err != nil {
		return nil, err
	}
	if err := r.readNetworks(networks); err != nil {
		return nil, err
	}
	excludes, err := r.readExcludes()
	if err != nil {
		return nil, err
	}
	if err := r.plan(excludes); err != nil {
		return nil, err
	}
	return r, nil
}

// Jobs returns what the tree renders to, in the order of the templates'
// paths and, for each template, of the roles or networks.
func (r *Renderer) Jobs() []Job { return slices.Clone(r.jobs) }

// Excluded returns the outputs that j2_excludes.yaml suppressed, sorted.
func (r *Renderer) Excluded() []string { return slices.Clone(r.excluded) }

// Render renders the one output at path (e.g.
// "common/services/compute-role.yaml").
func (r *Renderer) Render(p string) (*File, error) {
	i, ok := r.byPath[p]
	if !ok {
		return nil, fmt.Errorf("no template renders to %q", p)
	}
	f, d := r.render(&r.jobs[i])
	if d != nil {
		return nil, d
	}
	return f, nil
}

// RenderAll renders every output, several at once. The result does not
// depend on the number of workers.
func (r *Renderer) RenderAll() (*Tree, error) {
	files := make([]*File, len(r.jobs))
	errs := make([]*diag.Diagnostic, len(r.jobs))
	workers := r.opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, max(len(r.jobs), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f, err := r.render(&r.jobs[i])
				if err != nil {
					errs[i] = err
					continue
				}
				files[i] = f
			}
		}()
	}
	for i := range r.jobs {
		next <- i
	}
	close(next)
	wg.Wait()

	var failed []*diag.Diagnostic
	for _, e := range errs {
		if e != nil {
			failed = append(failed, e)
		}
	}
	if len(failed) > 0 {
		return nil, diag.Err(failed)
	}
	sort.Slice(files, func(a, b int) bool { return files[a].Path < files[b].Path })
	return &Tree{Files: files, Excluded: slices.Clone(r.excluded)}, nil
}

// Errors is several diagnostics returned as one error.
type Errors = diag.List

// file returns the name diagnostics give to the tree's file p.
func (r *Renderer) file(p string) string {
	if r.opts.Dir == "" {
		return p
	}
	return path.Join(r.opts.Dir, p)
}

// data builds the variables of a job's template. They are built afresh for
// each render, so that a template that changes them (list.append) cannot
// affect another.
func (r *Renderer) data(j *Job) map[string]any {
	switch j.Kind {
	case Role:
		if j.legacyRole {
			d := map[string]any{"role": j.Role, "networks": r.jinjaNetworks()}
			if dc, ok := mapGet(r.roles[j.role], "disable_constraints"); ok && value.Truthy(dc) {
				d["disable_constraints"] = true
			}
			return d
		}
		return map[string]any{"role": toJinja(r.roles[j.role]), "networks": r.jinjaNetworks()}
	case Network:
		return map[string]any{"network": r.jinjaNetwork(j.network)}
	}
	roles := make(pyList, len(r.roles))
	for i, role := range r.roles {
		roles[i] = toJinja(role)
	}
	return map[string]any{"roles": &roles, "networks": r.jinjaNetworks()}
}

func (r *Renderer) jinjaNetworks() *pyList {
	out := make(pyList, len(r.networks))
	for i := range r.networks {
		out[i] = r.jinjaNetwork(i)
	}
	return &out
}

// jinjaNetwork converts network i, giving an enabled network without a
// name_lower its name in lower case, as process-templates did.
func (r *Renderer) jinjaNetwork(i int) *exec.Dict {
	d := toJinja(r.networks[i]).(*exec.Dict)
	if r.enabled[i] {
		nl, ok := mapGet(r.networks[i], "name_lower")
		if !ok || !value.Truthy(nl) {
			name, _ := mapGet(r.networks[i], "name")
			dictSet(d, "name_lower", strings.ToLower(name.Str))
		}
	}
	return d
}

func mapGet(m *value.Value, key string) (*value.Value, bool) {
	if m == nil || m.Kind != value.Map {
		return nil, false
	}
	return m.Map.Get(key)
}

// --- inputs ---------------------------------------------------------------

func (r *Renderer) readRoles(roles *value.Value) error {
	if roles == nil || roles.Kind != value.List {
		return diag.Newf(diag.Error, RuleRolesData, rangeOf(roles), "roles data must be a list of roles, not %s", kindName(roles))
	}
	seen := map[string]*value.Value{}
	for i, role := range roles.List {
		if role.Kind != value.Map {
			return diag.Newf(diag.Error, RuleRolesData, role.Range, "role %d must be a mapping, not %s", i+1, kindName(role))
		}
		name, ok := role.Map.Get("name")
		if !ok {
			return diag.Newf(diag.Error, RuleRolesData, role.Range, "role %d has no \"name\"", i+1)
		}
		if name.Kind != value.String || name.Str == "" {
			return diag.Newf(diag.Error, RuleRolesData, name.Range, "role %d: \"name\" must be a non-empty string, not %s", i+1, describeValue(name))
		}
		if prev, dup := seen[name.Str]; dup {
			d := diag.Newf(diag.Error, RuleRolesData, name.Range, "role name %q is used twice: both roles would render to the same files", name.Str)
			d.Related = []diag.Related{{Range: prev.Range, Message: "first used here"}}
			return d
		}
		seen[name.Str] = name
		if nic, ok := role.Map.Get("deprecated_nic_config_name"); ok && value.Truthy(nic) {
			if nic.Kind != value.String || strings.Contains(nic.Str, "/") {
				return diag.Newf(diag.Error, RuleRolesData, nic.Range, "role %q: deprecated_nic_config_name must be a file name, not %s", name.Str, describeValue(nic))
			}
		}
	}
	r.roles = roles.List
	return nil
}

func (r *Renderer) readNetworks(networks *value.Value) error {
	if networks.IsNull() {
		return nil // process-templates treats an empty network_data as no networks
	}
	if networks.Kind != value.List {
		return diag.Newf(diag.Error, RuleNetworkData, networks.Range, "network data must be a list of networks, not %s", kindName(networks))
	}
	seen := map[string]*value.Value{}
	for i, n := range networks.List {
		if n.Kind != value.Map {
			return diag.Newf(diag.Error, RuleNetworkData, n.Range, "network %d must be a mapping, not %s", i+1, kindName(n))
		}
		name, ok := n.Map.Get("name")
		if !ok {
			return diag.Newf(diag.Error, RuleNetworkData, n.Range, "network %d has no \"name\"", i+1)
		}
		if name.Kind != value.String || name.Str == "" {
			return diag.Newf(diag.Error, RuleNetworkData, name.Range, "network %d: \"name\" must be a non-empty string, not %s", i+1, describeValue(name))
		}
		enabled := true
		if e, ok := n.Map.Get("enabled"); ok && e.Kind == value.Bool && !e.Bool {
			enabled = false
		}
		if enabled {
			if prev, dup := seen[name.Str]; dup {
				d := diag.Newf(diag.Error, RuleNetworkData, name.Range, "network name %q is used twice", name.Str)
				d.Related = []diag.Related{{Range: prev.Range, Message: "first used here"}}
				return d
			}
			seen[name.Str] = name
			if nl, ok := n.Map.Get("name_lower"); ok && value.Truthy(nl) && (nl.Kind != value.String || strings.Contains(nl.Str, "/")) {
				return diag.Newf(diag.Error, RuleNetworkData, nl.Range, "network %q: name_lower must be a string usable in a file name, not %s", name.Str, describeValue(nl))
			}
		}
		r.enabled = append(r.enabled, enabled)
	}
	r.networks = networks.List
	return nil
}

func (r *Renderer) readExcludes() (map[string]bool, error) {
	src, err := fs.ReadFile(r.root, ExcludesFile)
	if err != nil {
		return map[string]bool{}, nil // no exclude file: nothing excluded
	}
	doc, err := pyyaml.Load(r.file(ExcludesFile), src, r.opts.Limits)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	if doc.Root.IsNull() {
		return out, nil
	}
	if doc.Root.Kind != value.Map {
		return nil, diag.Newf(diag.Error, RuleExcludes, doc.Root.Range, "%s must be a mapping with a \"name\" list, not %s", ExcludesFile, kindName(doc.Root))
	}
	names, ok := doc.Root.Map.Get("name")
	if !ok || names.IsNull() {
		return out, nil
	}
	if names.Kind != value.List {
		return nil, diag.Newf(diag.Error, RuleExcludes, names.Range, "\"name\" in %s must be a list of paths, not %s", ExcludesFile, kindName(names))
	}
	for _, n := range names.List {
		if n.Kind != value.String {
			return nil, diag.Newf(diag.Error, RuleExcludes, n.Range, "excluded path must be a string, not %s", describeValue(n))
		}
		out[path.Clean(n.Str)] = true
	}
	return out, nil
}

func rangeOf(v *value.Value) source.Range {
	if v == nil {
		return source.Range{}
	}
	return v.Range
}

// describeValue quotes a string and names the kind of anything else.
func describeValue(v *value.Value) string {
	if v != nil && v.Kind == value.String {
		return strconv.Quote(v.Str)
	}
	return kindName(v)
}

func kindName(v *value.Value) string {
	switch value.KindOf(v) {
	case value.Null:
		return "null"
	case value.Bool:
		return "a boolean"
	case value.Int:
		return "an integer"
	case value.Float:
		return "a float"
	case value.String:
		return "a string"
	case value.List:
		return "a list"
	case value.Map:
		return "a mapping"
	}
	return "an unknown value"
}

// --- planning -------------------------------------------------------------

// plan walks the tree and lists the outputs.
func (r *Renderer) plan(excludes map[string]bool) error {
	var templates []string
	err := fs.WalkDir(r.root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() && KindOf(p) != 0 {
			templates = append(templates, p)
		}
		return nil
	})
	if err != nil {
		return diag.Newf(diag.Error, RuleInternal, source.Range{File: r.file(".")}, "cannot list the templates: %v", err)
	}

	var clashes []*diag.Diagnostic
	add := func(j Job) {
		if excludes[j.Path] && j.Kind != Plain {
			r.excluded = append(r.excluded, j.Path)
			return
		}
		if i, dup := r.byPath[j.Path]; dup {
			prev := r.jobs[i]
			d := diag.Newf(diag.Error, RuleOutputClash, source.Range{File: r.file(j.Template), Start: source.Pos{Line: 1, Col: 1}},
				"%s and %s both render to %q", describe(prev), describe(j), j.Path)
			clashes = append(clashes, d)
			return
		}
		r.byPath[j.Path] = len(r.jobs)
		r.jobs = append(r.jobs, j)
	}
	for _, t := range templates {
		dir, base := path.Dir(t), path.Base(t)
		switch KindOf(t) {
		case Role:
			src, err := fs.ReadFile(r.root, t)
			if err != nil {
				return diag.Newf(diag.Error, RuleInternal, source.Range{File: r.file(t)}, "cannot read the template: %v", err)
			}
			legacy := !strings.Contains(string(src), "{{role.name}}")
			for i, role := range r.roles {
				name, _ := role.Map.Get("name")
				add(Job{Path: roleOutput(dir, base, name.Str, role), Template: t, Kind: Role, Role: name.Str, role: i, legacyRole: legacy})
			}
		case Network:
			for i, n := range r.networks {
				if !r.enabled[i] {
					continue
				}
				name, _ := n.Map.Get("name")
				add(Job{Path: networkOutput(dir, base, nameLower(n)), Template: t, Kind: Network, Network: name.Str, network: i})
			}
		case Plain:
			add(Job{Path: path.Join(dir, strings.Replace(base, ".j2.yaml", ".yaml", -1)), Template: t, Kind: Plain})
		}
	}
	if len(clashes) > 0 {
		return diag.Err(clashes)
	}
	sort.Strings(r.excluded)
	return nil
}

func describe(j Job) string {
	switch j.Kind {
	case Role:
		return fmt.Sprintf("%s for role %q", j.Template, j.Role)
	case Network:
		return fmt.Sprintf("%s for network %q", j.Template, j.Network)
	}
	return j.Template
}

// roleOutput is the output path of role template base (in folder dir) for
// a role: <name lower>-<base without .role.j2.yaml>.yaml, except in the NIC
// config folders (a dir containing network/config), where it is the role's
// deprecated_nic_config_name or <name lower>.yaml.
func roleOutput(dir, base, name string, role *value.Value) string {
	lower := strings.ToLower(name)
	if strings.Contains(dir, "network/config") {
		if nic, ok := mapGet(role, "deprecated_nic_config_name"); ok && value.Truthy(nic) {
			return path.Join(dir, nic.Str)
		}
		return path.Join(dir, lower+".yaml")
	}
	return path.Join(dir, lower+"-"+strings.Replace(base, ".role.j2.yaml", ".yaml", -1))
}

// networkOutput is the output path of network template base (in folder
// dir) for a network whose name_lower is lower.
func networkOutput(dir, base, lower string) string {
	out := strings.Replace(base, ".network.j2.yaml", ".yaml", -1)
	if strings.HasSuffix(dir, "ports") {
		out = strings.Replace(out, "port", lower, -1)
	} else {
		out = strings.Replace(out, "network", lower, -1)
	}
	return path.Join(dir, out)
}

// nameLower is an enabled network's name_lower, or its name in lower case.
func nameLower(n *value.Value) string {
	if nl, ok := mapGet(n, "name_lower"); ok && value.Truthy(nl) {
		return nl.Str
	}
	name, _ := mapGet(n, "name")
	return strings.ToLower(name.Str)
}
