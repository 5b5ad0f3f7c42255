package lint

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"hoist/compiler/deploy"
	"hoist/compiler/jinja"
	"hoist/pyyaml"
	"hoist/release"
	"hoist/source"
)

// The heat/ rules that look across files see "the tree" a file lies in:
// every file under the root of its tripleo-heat-templates tree, and the
// outputs its Jinja2 templates render to, whether or not the run names
// them. What the run's files hold comes from their facts (collected per
// file, cached); the rest of the tree is read only when a finding depends
// on it, and then only the files that could change the answer (those whose
// text holds the name in question), once per run. Files outside any tree
// see the run's files as their tree.

// treeViewChecker is a TreeChecker that also reads the trees of the run.
type treeViewChecker interface {
	TreeChecker
	checkTrees(facts []Facts, v *treeViews, r *Reporter)
}

// heatFacts is the part of every heat/ tree rule's facts that places the
// file.
type heatFacts struct {
	// Root is the absolute root of the file's tree, "" outside one.
	Root string `json:"root,omitempty"`
	// Abs is the file's absolute path.
	Abs string `json:"abs"`
}

func placeOf(f *File) heatFacts {
	if f.Root != "" && f.treePath != "" {
		return heatFacts{Root: f.Root, Abs: filepath.Join(f.Root, filepath.FromSlash(f.treePath))}
	}
	abs, err := filepath.Abs(f.Path)
	if err != nil {
		abs = f.Path
	}
	return heatFacts{Root: f.Root, Abs: abs}
}

// treeViews gives the tree rules the trees of a run: their deployment
// views, and the files the run does not name.
type treeViews struct {
	o     Options
	trees map[string]*tree // absolute root → tree

	mu    sync.Mutex
	files map[string][]string // root → the tree's YAML files (absolute)
	docs  map[string]*File    // absolute path → loaded file, nil when it does not load
	texts map[string][]byte   // absolute path → contents
	// failed lists, per root, the Jinja2 templates (absolute) with an
	// output that does not render or load: what they declare is unknown.
	failed map[string][]string
	// deprecated lists, per root, the parameter names roles keep for
	// compatibility (deprecated_param_*).
	deprecated map[string][]string
	// namesOf keeps names' answers and reads (by root and kind).
	namesOf map[string]namesRead
	// jinja lists, per root, the tree's Jinja2 templates; jinjaRun holds
	// those the run checked (absolute).
	jinja    map[string][]string
	jinjaRun map[string]bool
	rels     map[string]*release.Release
	// rec, when set, records the reads of the rule being checked (the
	// tree memo, treememo.go).
	rec *viewReads
}

func newTreeViews(inputs []input, o Options) *treeViews {
	v := &treeViews{o: o, trees: map[string]*tree{}, files: map[string][]string{}, docs: map[string]*File{},
		texts: map[string][]byte{}, rels: map[string]*release.Release{},
		failed: map[string][]string{}, deprecated: map[string][]string{}, namesOf: map[string]namesRead{}, jinja: map[string][]string{}, jinjaRun: map[string]bool{}}
	for root, w := range o.walks {
		// A folder the run walked whole: the tree views' walk of it.
		v.files[root], v.jinja[root] = w[0], w[1]
	}
	for _, in := range inputs {
		if in.tree != nil && in.root != "" {
			v.trees[in.root] = in.tree
			if IsJinja(in.name) {
				v.jinjaRun[o.abs(in.name)] = true
			}
		}
	}
	return v
}

// jinjaChecked reports whether the run checked every Jinja2 template of
// the tree at root, and so every output they render to (their facts are
// the run's): then the tree's deployment view is not needed to know what
// they render and declare.
func (v *treeViews) jinjaChecked(root string) bool {
	if v == nil || root == "" {
		return false
	}
	v.treeFiles(root)
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, t := range v.jinja[root] {
		if !v.jinjaRun[t] {
			return false
		}
	}
	return true
}

// jinjaTemplates lists the Jinja2 templates of the tree at root.
func (v *treeViews) jinjaTemplates(root string) []string {
	v.treeFiles(root)
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.jinja[root]
}

// deploy returns the deployment view of the tree at root, nil when there
// is none (no tree, or one that does not open: its roles_data.yaml does
// not load, say; the run reports that elsewhere).
func (v *treeViews) deploy(root string) *deploy.Tree {
	if v == nil {
		return nil
	}
	t := v.trees[root]
	if t == nil {
		return nil
	}
	// What a rule makes of the view (renders, the merged registry) is
	// more than a record can check again.
	v.opaque()
	dt, err := t.deployTree(v.o)
	if err != nil {
		return nil
	}
	return dt
}

// broken reports whether the tree at root is a checkout (it has its roles
// and networks) whose deployment view does not open: a rule that needs
// the rendered registry cannot tell, and the view's error is reported
// where the run renders or evaluates.
func (v *treeViews) broken(root string) bool {
	if v == nil {
		return false
	}
	t := v.trees[root]
	broken := false
	if t != nil && t.hasRoles(v.o) {
		_, err := t.deployTree(v.o)
		broken = err != nil
	}
	v.note(readBroken, root, boolSum(broken))
	return broken
}

// treeFiles lists the YAML files of the tree at root (absolute; Jinja2
// templates and hidden folders left out, as Collect does).
func (v *treeViews) treeFiles(root string) []string {
	fs, jinja := v.walked(root)
	if v.rec != nil {
		v.note(readFiles, root, filesSum(fs, jinja))
	}
	return fs
}

// walked lists the YAML files and the Jinja2 templates of the tree at
// root, walked once per run.
func (v *treeViews) walked(root string) (files, jinja []string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if fs, ok := v.files[root]; ok {
		return fs, v.jinja[root]
	}
	files, jinja, _ = walkSources(root, false, true)
	v.files[root] = files
	v.jinja[root] = jinja
	return files, jinja
}

// text returns a file's contents, nil when it cannot be read.
func (v *treeViews) text(abs string) []byte {
	if v.rec != nil {
		v.note(readText, abs, v.contentSum(abs))
	}
	v.mu.Lock()
	b, ok := v.texts[abs]
	v.mu.Unlock()
	if ok {
		return b
	}
	b, err := readFile(abs, v.o.Limits)
	if err != nil {
		b = nil
	}
	v.mu.Lock()
	v.texts[abs] = b
	v.mu.Unlock()
	return b
}

// file loads a file of a tree as the rules see it; nil when it does not
// load.
func (v *treeViews) file(root, abs string) *File {
	v.mu.Lock()
	f, ok := v.docs[abs]
	v.mu.Unlock()
	if ok {
		return f
	}
	if src := v.text(abs); src != nil {
		if doc, err := pyyaml.Load(abs, src, v.o.Limits); err == nil {
			f = &File{Path: abs, Doc: doc, Root: root, Release: v.release(root)}
			if rel, err := filepath.Rel(root, abs); err == nil && root != "" {
				f.treePath = filepath.ToSlash(rel)
			}
		}
	}
	v.mu.Lock()
	v.docs[abs] = f
	v.mu.Unlock()
	return f
}

func (v *treeViews) release(root string) *release.Release {
	if t := v.trees[root]; t != nil && t.rel != nil {
		return t.rel
	}
	return release.Default()
}

// others returns what rule collects from the files of the tree at root
// that the run did not check (covered holds the absolute paths it did),
// reading only those whose text holds one of the words (all of them when
// words is nil).
func (v *treeViews) others(rule TreeChecker, root string, covered map[string]bool, words []string) []Facts {
	if v == nil || root == "" {
		return nil
	}
	var out []Facts
	for _, abs := range v.treeFiles(root) {
		if covered[abs] {
			continue
		}
		if words != nil {
			src := v.text(abs)
			hit := false
			for _, w := range words {
				if bytes.Contains(src, []byte(w)) {
					hit = true
					break
				}
			}
			if !hit {
				continue
			}
		}
		f := v.file(root, abs)
		if f == nil {
			continue
		}
		if data := collectJSON(rule, f); data != nil {
			out = append(out, Facts{File: abs, Data: data})
		}
	}
	return out
}

// rendered returns what rule collects from the outputs that the given
// Jinja2 templates of the tree at root (absolute paths) render to, in
// parallel, leaving out those the run checked; the templates with an
// output that does not render or load are added to v.failed.
func (v *treeViews) rendered(rule TreeChecker, root string, covered map[string]bool, templates map[string]bool) []Facts {
	if v.jinjaChecked(root) {
		// The run checked every output: their facts are the run's.
		return nil
	}
	dt := v.deploy(root)
	if dt == nil {
		return nil
	}
	var jobs []jinja.Job
	for _, j := range dt.Renderer().Jobs() {
		if templates[dt.Abs(j.Template)] && isYAML(j.Path) && !covered[dt.Abs(j.Path)] {
			jobs = append(jobs, j)
		}
	}
	outs := make([]*File, len(jobs))
	bad := make([]bool, len(jobs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), max(len(jobs), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				abs := dt.Abs(jobs[i].Path)
				src, err := dt.ReadFile(abs)
				if err != nil {
					bad[i] = true
					continue
				}
				doc, err := pyyaml.Load(abs, src, v.o.Limits)
				if err != nil {
					bad[i] = true
					continue
				}
				outs[i] = &File{Path: abs, Doc: doc, Root: root, Release: v.release(root), treePath: jobs[i].Path}
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	var out []Facts
	for i, f := range outs {
		if bad[i] {
			v.mu.Lock()
			if t := dt.Abs(jobs[i].Template); !slices.Contains(v.failed[root], t) {
				v.failed[root] = append(v.failed[root], t)
			}
			v.mu.Unlock()
		}
		if f == nil {
			continue
		}
		if data := collectJSON(rule, f); data != nil {
			out = append(out, Facts{File: f.Path, Data: data})
		}
	}
	return out
}

func collectJSON(rule TreeChecker, f *File) json.RawMessage {
	facts := rule.Collect(f)
	if facts == nil {
		return nil
	}
	b, err := json.Marshal(facts)
	if err != nil {
		return nil
	}
	return b
}

// byRoot groups facts by the tree of their file, decoding each with T
// (whose heatFacts tell the tree); the run's files of each tree are
// covered[root].
func byRoot[T interface{ place() heatFacts }](facts []Facts) (groups map[string][]T, names map[string]map[string]string, covered map[string]map[string]bool) {
	groups = map[string][]T{}
	names = map[string]map[string]string{}
	covered = map[string]map[string]bool{}
	for _, f := range facts {
		var t T
		if err := f.Decode(&t); err != nil {
			continue
		}
		p := t.place()
		groups[p.Root] = append(groups[p.Root], t)
		if covered[p.Root] == nil {
			covered[p.Root] = map[string]bool{}
			names[p.Root] = map[string]string{}
		}
		covered[p.Root][p.Abs] = true
		names[p.Root][p.Abs] = f.File
	}
	return groups, names, covered
}

// display names an absolute path as the run names its files: the name it
// was given when the run checked it, else relative to the working folder
// when below it. With no views (a rule's CheckTree) the folder is read
// here.
func (v *treeViews) display(abs string, names map[string]string) string {
	if n, ok := names[abs]; ok {
		return n
	}
	var wd string
	if v != nil {
		wd = v.o.wd
	} else {
		wd, _ = os.Getwd()
	}
	if wd != "" {
		if rel, err := filepath.Rel(wd, abs); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return abs
}

// heatPos is a position in a file, as facts keep it.
type heatPos struct {
	Line int32 `json:"line"`
	Col  int32 `json:"col"`
}

func (a heatPos) rangeIn(file string) source.Range {
	return source.Range{File: file, Start: source.Pos{Line: a.Line, Col: a.Col}}
}
