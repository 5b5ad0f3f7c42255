package lint

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"hoist/release"
	"hoist/schema"
	"hoist/value"
)

// Which release a file is read as.
//
// A file inside a tripleo-heat-templates tree is read as the tree's
// release: the tree's root is the nearest folder above the file holding
// overcloud-resource-registry-puppet.j2.yaml or overcloud.j2.yaml (or
// their rendered .yaml), or roles_data.yaml beside a service folder, and
// release.Detect tells its release. A file outside any tree (a template
// of one's own, standard input) is read as the release its own
// heat_template_version names (and, within the rocky alias, its place and
// parameters), else as release.Default(). Options.Release overrides all
// of it (--release, release = "..." in hoist.hcl).

// rootMarkers are the files whose folder is a THT tree's root.
var rootMarkers = []string{
	"overcloud-resource-registry-puppet.j2.yaml", "overcloud.j2.yaml",
	"overcloud-resource-registry-puppet.yaml", "overcloud.yaml",
}

// serviceFolderMarkers are the service folders that make a folder with
// roles_data.yaml a tree's root.
var serviceFolderMarkers = []string{"docker/services", "puppet/services", "deployment"}

// isTreeRoot reports whether dir is the root of a THT tree.
func isTreeRoot(dir string) bool {
	for _, m := range rootMarkers {
		if st, err := os.Stat(filepath.Join(dir, m)); err == nil && !st.IsDir() {
			return true
		}
	}
	if st, err := os.Stat(filepath.Join(dir, "roles_data.yaml")); err != nil || st.IsDir() {
		return false
	}
	for _, m := range serviceFolderMarkers {
		if st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(m))); err == nil && st.IsDir() {
			return true
		}
	}
	return false
}

// ReleaseChoice is one release a run read files as, and why.
type ReleaseChoice struct {
	// Root is the tree's root as the run names it; "" for files outside
	// any tree.
	Root    string
	Release *release.Release
	// Why says what decided: "detected: templates declare ...", "set by
	// --release", "outside a tripleo-heat-templates tree: heat_template_version rocky".
	Why string
	// Files counts the files read as it.
	Files int
	// Example is one of the files, for messages about files outside a
	// tree.
	Example string
}

// String renders the choice as "hoist lint" prints it, after "release ".
func (c ReleaseChoice) String() string {
	switch {
	case c.Root != "":
		return fmt.Sprintf("%s for %s (%s)", c.Release.Name, c.Root, c.Why)
	case c.Files == 1:
		return fmt.Sprintf("%s for %s (%s)", c.Release.Name, c.Example, c.Why)
	}
	return fmt.Sprintf("%s for %d files (%s)", c.Release.Name, c.Files, c.Why)
}

// releases resolves the release of each file of a run.
type releases struct {
	override    *release.Release
	overrideWhy string

	// wd is the working folder the inputs are named relative to.
	wd string

	mu    sync.Mutex
	roots map[string]string // folder (absolute) → its tree's root (absolute), "" for none
	trees map[string]*tree  // root (absolute) → the tree

	// What the detection need not find again: the run's walks of its
	// folders (Options.walks), the cache that keeps the files' heads, and
	// the inputs' stamps (absolute path → stamp, from the run's
	// signature; set by resolve).
	walks  map[string][2][]string
	cache  *Cache
	stamps map[string]fileStamp
}

// tree is one THT tree of a run.
type tree struct {
	root    string // as the run names it
	abs     string // its absolute path
	rel     *release.Release
	why     string
	err     error
	notTree bool
	// det is the tree's release as detected (nil when it could not be).
	det *release.Detection
	// open is the tree as the compile opens it (deployTree).
	open treeOpen
	// roles remembers hasRoles: asked once per Jinja2 template.
	roles struct {
		once sync.Once
		has  bool
	}
}

func newReleases(o Options) *releases {
	return &releases{override: o.Release, overrideWhy: o.ReleaseWhy, wd: o.inFolder().wd, roots: map[string]string{}, trees: map[string]*tree{},
		walks: o.walks, cache: o.Cache}
}

// rootOf returns the absolute root of the tree holding the file whose
// absolute path is abs, "" when it lies in none.
func (r *releases) rootOf(abs string) string {
	dir := filepath.Dir(abs)
	r.mu.Lock()
	defer r.mu.Unlock()
	var walked []string
	root := ""
	for d := dir; ; d = filepath.Dir(d) {
		if v, ok := r.roots[d]; ok {
			root = v
			break
		}
		walked = append(walked, d)
		if isTreeRoot(d) {
			root = d
			break
		}
		if p := filepath.Dir(d); p == d {
			break
		}
	}
	for _, d := range walked {
		r.roots[d] = root
	}
	return root
}

// treeOf returns the tree at the absolute root, detecting its release once.
// display is how the run names the root.
func (r *releases) treeOf(root, display string) *tree {
	r.mu.Lock()
	t, ok := r.trees[root]
	if !ok {
		t = &tree{root: display, abs: root}
		r.trees[root] = t
	}
	r.mu.Unlock()
	if ok {
		return t
	}
	det, err := release.DetectFrom(os.DirFS(root), r.source(root))
	if err == nil {
		t.det = det
	}
	switch {
	case r.override != nil:
		t.rel, t.why = r.override, r.overrideWhy
		if err == nil && det.Name != r.override.Name {
			t.why += "; the tree looks like " + det.Name + " (" + det.Why() + ")"
		}
	case errors.Is(err, release.ErrNotATree):
		t.notTree = true
	case err != nil:
		t.err = fmt.Errorf("%s: telling the release of the tree: %w", display, err)
	case !det.Supported():
		t.err = &release.UnsupportedError{Root: display, Detection: det}
	default:
		t.rel, t.why = det.Release, "detected: "+det.Why()
	}
	return t
}

// source tells the release detection of the tree at root what the run
// knows: its files, when the run walked the tree (Options.walks), and the
// heads of those whose stamp is the one the cache recorded with their
// heat_template_version (read again only for the files that changed).
func (r *releases) source(root string) release.Source {
	var src release.Source
	if w, ok := r.walks[root]; ok {
		for _, list := range w {
			for _, abs := range list {
				if rel, err := filepath.Rel(root, abs); err == nil {
					src.Names = append(src.Names, filepath.ToSlash(rel))
				}
			}
		}
		slices.Sort(src.Names)
	}
	if r.cache != nil && r.stamps != nil {
		now := time.Now()
		stampOf := func(name string) fileStamp {
			return r.stamps[filepath.Join(root, filepath.FromSlash(name))].settled(now)
		}
		src.Known = func(name string) (string, bool) {
			return r.cache.head(filepath.Join(root, filepath.FromSlash(name)), stampOf(name))
		}
		src.Read = func(name, version string) {
			r.cache.putHead(filepath.Join(root, filepath.FromSlash(name)), stampOf(name), version)
		}
	}
	return src
}

// displayRoot names the absolute root the way the run names its files:
// relative to the working folder wd when the file was given relatively.
func displayRoot(root, file, wd string) string {
	if filepath.IsAbs(file) || wd == "" {
		return root
	}
	rel, err := filepath.Rel(wd, root)
	if err != nil {
		return root
	}
	return rel
}

// resolve sets the release of each input inside a tree, and returns the
// error of a tree whose release hoist does not support (unless a release
// is set).
func (r *releases) resolve(inputs []input) error {
	var errs []error
	seen := map[*tree]bool{}
	wd := r.wd
	if r.cache != nil && wd != "" {
		r.stamps = make(map[string]fileStamp, len(inputs))
		for _, in := range inputs {
			if in.stamp != (fileStamp{}) {
				r.stamps[absFrom(wd, in.name)] = in.stamp
			}
		}
	}
	for i := range inputs {
		in := &inputs[i]
		abs := in.name
		if !filepath.IsAbs(abs) {
			if wd == "" {
				continue
			}
			abs = filepath.Join(wd, abs)
		}
		root := r.rootOf(abs)
		if root == "" {
			continue
		}
		t := r.treeOf(root, displayRoot(root, in.name, wd))
		if t.err != nil {
			if !seen[t] {
				errs = append(errs, t.err)
				seen[t] = true
			}
			continue
		}
		if t.notTree {
			continue
		}
		in.tree, in.root = t, root
		if rel, err := filepath.Rel(root, abs); err == nil {
			in.treePath = filepath.ToSlash(rel)
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	return nil
}

// looseRelease returns the release of a file outside any tree: the one set,
// else the one its heat_template_version names, else release.Default().
func (r *releases) looseRelease(name string, doc *value.Value) (*release.Release, string) {
	if r.override != nil {
		return r.override, r.overrideWhy
	}
	var v *value.Value
	if value.KindOf(doc) == value.Map {
		v, _ = doc.Map.Get("heat_template_version")
	}
	s, ok := value.StringOf(v)
	if !ok {
		return release.Default(), "outside a tripleo-heat-templates tree, nothing tells the release: the default"
	}
	rel, why := releaseOfVersion(s, name, doc)
	if rel == nil {
		return release.Default(), fmt.Sprintf("outside a tripleo-heat-templates tree, heat_template_version %q names no supported release: the default", s)
	}
	return rel, "outside a tripleo-heat-templates tree: " + why
}

// releaseOfVersion tells the release of a lone template from its
// heat_template_version: the oldest supported release whose own version
// it is, or for the versions before queens' queens; within the rocky alias
// (rocky, stein and train), the release whose parameter naming
// (Params.ImagePrefix) and service folders (ServiceDirs) the template
// follows, else rocky.
func releaseOfVersion(v, name string, doc *value.Value) (*release.Release, string) {
	date := v
	for d, alias := range templateAliases {
		if alias == v {
			date = d
		}
	}
	var candidates []*release.Release
	for _, r := range release.All() {
		if templateDate(r) == date {
			candidates = append(candidates, r)
		}
	}
	if len(candidates) == 0 {
		first := release.Default()
		if len(date) == 10 && date < templateDate(first) && first.AcceptsTemplateVersion(date) {
			return first, fmt.Sprintf("heat_template_version %s, which %s accepts", v, first.Name)
		}
		return nil, ""
	}
	why := "heat_template_version " + v
	if len(candidates) == 1 {
		return candidates[0], why
	}
	// The rocky alias: tell rocky, stein and train apart by what the
	// template itself says, newest first.
	slash := "/" + strings.TrimPrefix(filepath.ToSlash(name), "/")
	params, _ := doc.Map.Get("parameters")
	for i := len(candidates) - 1; i > 0; i-- {
		c := candidates[i]
		if declaresImagePrefix(params, c) && !declaresImagePrefix(params, candidates[i-1]) {
			return c, why + fmt.Sprintf(", %s*Image parameters", c.Params.ImagePrefix)
		}
	}
	for i := len(candidates) - 1; i > 0; i-- {
		c := candidates[i]
		for _, d := range c.ServiceDirs {
			if strings.Contains(slash, "/"+d+"/") && !slices.Contains(candidates[i-1].ServiceDirs, d) {
				return c, why + ", a path under " + d + "/"
			}
		}
	}
	return candidates[0], why
}

// declaresImagePrefix reports whether params declares an image parameter
// of r's naming (<prefix>...Image).
func declaresImagePrefix(params *value.Value, r *release.Release) bool {
	if value.KindOf(params) != value.Map {
		return false
	}
	for _, e := range params.Map.Entries() {
		k := keyString(e.Key)
		if strings.HasPrefix(k, r.Params.ImagePrefix) && strings.HasSuffix(k, "Image") && len(k) > len(r.Params.ImagePrefix)+len("Image") {
			return true
		}
	}
	return false
}

// templateDate is the date of a release's own heat_template_version.
func templateDate(r *release.Release) string {
	for date, alias := range templateAliases {
		if alias == r.TemplateVersion {
			return date
		}
	}
	return r.TemplateVersion
}

// templateAliases maps Heat's dated template versions to their aliases.
var templateAliases = map[string]string{
	"2016-10-14": "newton", "2017-02-24": "ocata", "2017-09-01": "pike",
	"2018-03-02": "queens", "2018-08-31": "rocky",
}

// choices summarises the releases of a run's files for messages.
func (r *releases) choices(inputs []input, results []fileResult) []ReleaseChoice {
	type key struct{ root, rel, why string }
	var order []key
	by := map[key]*ReleaseChoice{}
	for i, in := range inputs {
		var k key
		var c ReleaseChoice
		switch {
		case in.tree != nil:
			k = key{in.tree.root, in.tree.rel.Name, in.tree.why}
			c = ReleaseChoice{Root: in.tree.root, Release: in.tree.rel, Why: in.tree.why}
		case results[i].Release != "":
			rel, ok := release.Lookup(results[i].Release)
			if !ok {
				continue
			}
			why := results[i].ReleaseWhy
			k = key{"", rel.Name, why}
			c = ReleaseChoice{Release: rel, Why: why, Example: in.name}
		default:
			continue // a file that did not load
		}
		if _, ok := by[k]; !ok {
			order = append(order, k)
			by[k] = &c
		}
		by[k].Files++
	}
	out := make([]ReleaseChoice, 0, len(order))
	for _, k := range order {
		out = append(out, *by[k])
	}
	sort.SliceStable(out, func(i, j int) bool {
		if (out[i].Root == "") != (out[j].Root == "") {
			return out[i].Root != ""
		}
		return out[i].Root < out[j].Root
	})
	return out
}

// Schema returns the schema of the file's release.
func (f *File) Schema() *schema.Schema {
	return schemaOf(f.Release)
}

func schemaOf(r *release.Release) *schema.Schema {
	if r == nil {
		return schema.Default()
	}
	s, err := schema.For(schema.Release(r.Name))
	if err != nil {
		// Every release of the table has a schema file: a test holds
		// them together.
		panic(err)
	}
	return s
}

// TreePath returns the file's path relative to its tree's root,
// slash-separated, or its name as given (slash-separated) when it lies in
// no tree.
func (f *File) TreePath() string {
	if f.Root != "" && f.treePath != "" {
		return f.treePath
	}
	return path.Clean(filepath.ToSlash(f.Path))
}

// inServiceDir reports whether the file lies in one of its release's
// service folders (release.ServiceDirs).
func (f *File) inServiceDir() bool { return f.inDir(f.Release.ServiceDirs) }

// inDir reports whether the file lies under one of dirs (slash paths
// relative to a tree's root): relative to its tree's root, or anywhere in
// its path for a file outside a tree.
func (f *File) inDir(dirs []string) bool {
	if f.Root != "" {
		p := f.TreePath()
		for _, d := range dirs {
			if strings.HasPrefix(p, d+"/") {
				return true
			}
		}
		return false
	}
	p := "/" + strings.TrimPrefix(slashPath(f.Path), "/")
	for _, d := range dirs {
		if strings.Contains(p, "/"+d+"/") {
			return true
		}
	}
	return false
}

// Releases tells which release files are read as, as hoist lint does,
// detecting each tree's release once (for commands that take files one by
// one: hoist schema).
type Releases struct{ r *releases }

// NewReleases returns a Releases for o.Release (nil: detect).
func NewReleases(o Options) *Releases { return &Releases{newReleases(o)} }

// Of tells which release a file named name, whose loaded document is root,
// is read as (o.Release when set): its tree's, else the one its
// heat_template_version names, else release.Default(); and why. A tree of
// a release hoist does not support is a *release.UnsupportedError.
func (rs *Releases) Of(name string, root *value.Value) (*release.Release, string, error) {
	in := []input{{name: name}}
	if err := rs.r.resolve(in); err != nil {
		return nil, "", err
	}
	if in[0].tree != nil {
		return in[0].tree.rel, in[0].tree.why, nil
	}
	r, why := rs.r.looseRelease(name, root)
	return r, why, nil
}
