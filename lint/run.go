package lint

import (
	"cmp"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"hoist/compiler/deploy"
	"hoist/compiler/jinja"
	"hoist/compiler/stack"
	"hoist/diag"
	"hoist/pyyaml"
	"hoist/release"
	"hoist/source"
)

// Options configure a lint run.
type Options struct {
	Limits pyyaml.Limits
	// Jobs is how many files are checked at once; 0 means one per CPU.
	Jobs int
	// Rules are the enabled rules; nil means the recommended preset.
	Rules []Rule
	// Severities overrides the default severity of rules by id.
	Severities map[string]diag.Severity
	// Cache, when set, supplies and stores the results of unchanged files.
	Cache *Cache
	// Baseline, when set, accepts the findings it records.
	Baseline *Baseline
	// Evaluate, when set, runs the service rules on evaluated role_data.
	Evaluate *Evaluation
	// Release, when set, is the release every file is read as (--release,
	// release = "..." in hoist.hcl), and ReleaseWhy says who set it ("set
	// by --release"). Unset, each file is read as the release of the
	// tripleo-heat-templates tree that holds it (release.go).
	Release    *release.Release
	ReleaseWhy string
	// Environments are the environment files (absolute, in order) merged
	// after each tree's registry and default environments when a rule
	// needs the tree as it is deployed (deployTree): -e, hoist.hcl's
	// lint environments or deployment block.
	Environments []string
	// Base is the folder diagnostics about files a tree's deployment view
	// reads (its rendered outputs) are named relative to; "" is the
	// working folder.
	Base string
	// Deployments are hoist.hcl's deployment blocks: a tree that one of
	// them names (templates) is rendered with its roles_file and
	// network_file rather than the tree's roles_data.yaml and
	// network_data.yaml.
	Deployments []deploy.Inputs

	// hashes memoizes the run's dependency hashes (set by run).
	hashes *fileHashes
	// wd is the working folder when the run began (set by run): the
	// files named relative to it are made absolute without os.Getwd,
	// which stats two paths each time.
	wd string
	// walks holds the run's walks of its folders (set by Run): absolute
	// folder → its YAML files and Jinja2 templates (absolute), as the
	// tree views list a tree (treeViews.walked).
	walks map[string][2][]string
}

// abs is filepath.Abs of p against the run's working folder.
func (o Options) abs(p string) string { return absFrom(o.wd, p) }

// absFrom is filepath.Abs with the working directory wd already known
// (os.Getwd stats two paths each time): a run names its files relative
// to it. With wd "" it is stack.Abs.
func absFrom(wd, p string) string {
	switch {
	case filepath.IsAbs(p):
		return filepath.Clean(p)
	case wd == "":
		return stack.Abs(p)
	}
	return filepath.Join(wd, p)
}

// inFolder returns o with the working folder read, once for the run.
func (o Options) inFolder() Options {
	if o.wd == "" {
		o.wd, _ = os.Getwd()
	}
	return o
}

// Result is the outcome of a run.
type Result struct {
	// Diagnostics are sorted and free of duplicates.
	Diagnostics []*diag.Diagnostic
	// Files lists the files checked.
	Files []string
	// Templates lists the Jinja2 templates (*.j2.yaml) checked through
	// their renders (jinja.go), and Rendered the outputs they rendered to
	// (as the run names them).
	Templates, Rendered []string
	// Unrendered lists the Jinja2 templates outside any
	// tripleo-heat-templates tree, or in a tree without roles_data.yaml
	// and network_data.yaml: they cannot be rendered, and are not
	// checked.
	Unrendered []string
	// Baselined counts the findings the baseline accepted; Stale lists
	// its entries that no longer match (fixed findings).
	Baselined int
	Stale     []BaselineEntry
	// Sources gives the contents of the files checked, for snippets:
	// standard input as it was read, files from disk on demand.
	Sources *source.Cache
	// Releases lists the releases the files were read as, and why: one
	// per tree, and per release for files outside a tree.
	Releases []ReleaseChoice
	// Phases are the parts of the run in order, with the time each took
	// (hoist lint --verbose prints them).
	Phases []Phase
	// TreeRules lists the tree rules the run had, and TreeKept those whose
	// findings it took from the cache (their facts and reads unchanged,
	// treememo.go).
	TreeRules, TreeKept []string
}

// Phase is one part of a run and the time it took.
type Phase struct {
	Name string
	Took time.Duration
}

// phases records the parts of a run as they end.
type phases struct {
	res  *Result
	last time.Time
}

// startPhases starts recording res's phases; the first began at start.
func startPhases(res *Result, start time.Time) *phases { return &phases{res: res, last: start} }

// done ends the part called name.
func (p *phases) done(name string) {
	now := time.Now()
	p.res.Phases = append(p.res.Phases, Phase{Name: name, Took: now.Sub(p.last)})
	p.last = now
}

// IsJinja reports whether name is a Jinja2 template that THT renders into
// YAML before Heat sees it.
func IsJinja(name string) bool {
	return strings.HasSuffix(name, ".j2.yaml") || strings.HasSuffix(name, ".j2.yml")
}

func isYAML(name string) bool {
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

// Collect expands the command-line paths into the YAML files to check and
// the Jinja2 templates to render and check. Directories are walked
// recursively, leaving out hidden ones (.git, .tox); a file named
// explicitly is checked whatever its extension.
func Collect(paths []string) (files, templates []string, err error) {
	files, templates, _, err = collect(paths, "")
	return files, templates, err
}

// collect is Collect, also giving the walk of each folder of paths (by
// its absolute path, made with the working folder wd; none when wd is
// ""), as the tree views walk a tree: YAML files and Jinja2 templates,
// absolute.
func collect(paths []string, wd string) (files, templates []string, walks map[string][2][]string, err error) {
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("%s: %w", p, unwrapPathError(err))
		}
		if !st.IsDir() {
			if IsJinja(p) {
				templates = append(templates, p)
			} else {
				files = append(files, p)
			}
			continue
		}
		more, ts, err := walkSources(p, true, false)
		if err != nil {
			return nil, nil, nil, err
		}
		files, templates = append(files, more...), append(templates, ts...)
		if wd != "" {
			if walks == nil {
				walks = map[string][2][]string{}
			}
			abs := absFrom(wd, p)
			var w [2][]string
			for i, list := range [][]string{more, ts} {
				for _, f := range list {
					if i == 0 && !isYAML(filepath.Base(f)) {
						continue // Jsonnet: the views list YAML only
					}
					rel, err := filepath.Rel(p, f)
					if err != nil {
						return nil, nil, nil, err
					}
					w[i] = append(w[i], filepath.Join(abs, rel))
				}
			}
			walks[abs] = w
		}
	}
	return files, templates, walks, nil
}

// walkSources lists the YAML files (and the Jsonnet ones when jsonnet is
// set) and the Jinja2 templates under dir, leaving out hidden folders
// (.git, .tox). An entry that cannot be read stops the walk with its
// error, or is passed over when tolerant.
func walkSources(dir string, jsonnet, tolerant bool) (files, templates []string, err error) {
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if tolerant {
				return nil
			}
			return err
		}
		if d.IsDir() {
			if path != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case IsJinja(d.Name()):
			templates = append(templates, path)
		case isYAML(d.Name()) || jsonnet && isJsonnetFile(d.Name()):
			files = append(files, path)
		}
		return nil
	})
	return files, templates, err
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

// fileResult is what checking one file yields; it is what the cache keeps.
type fileResult struct {
	// Diags are the findings of the file rules, before suppressions.
	Diags []*diag.Diagnostic
	// Directives are the file's suppression comments.
	Directives []Directive
	// Facts holds what each tree rule collected, by rule id; FactSums
	// their content hashes, when known (results from the cache: the tree
	// memo need not hash every file's facts again, treememo.go).
	Facts    map[string]json.RawMessage
	FactSums map[string][32]byte
	// Deps are the other files the result depends on (the templates an
	// evaluation read), by absolute path, with their hashes.
	Deps map[string][32]byte
	// Release is the release the file was read as, and ReleaseWhy why
	// ("" for a file that did not load).
	Release, ReleaseWhy string
	// RoleDataReads are the role_data keys this template reads of the
	// templates it nests (get_attr [Res, role_data, key]), by absolute
	// path of the nested template: a helper's key that its user reads is
	// not unknown (nestedReads).
	RoleDataReads []RoleDataRead
	// Rendered holds, for a Jinja2 template, what the tree rules need of
	// each output it rendered to (jinja.go).
	Rendered []renderedResult
	// noCache marks a result that depends on more than the cache knows
	// (a template that does not render, a tree that does not open).
	noCache bool
}

// RoleDataRead is one role_data key a template reads of another.
type RoleDataRead struct {
	File, Key string
}

// input is one file to check.
type input struct {
	name string
	src  []byte
	err  error
	// tree is the tripleo-heat-templates tree that holds the file, and
	// root its absolute root; nil and "" outside any tree.
	tree *tree
	root string
	// treePath is the file's slash path relative to root.
	treePath string
	// jinja is set for a Jinja2 template, checked through its renders;
	// rendered is the map back to its template of an output it renders
	// to (File.rendered).
	jinja    bool
	rendered *jinja.SourceMap
	// stamp is the file's metadata when the run began (runSignature, or
	// dispatchOrder when the run has no signature).
	stamp fileStamp
}

// cacheTag is what besides the contents a file's cached result depends
// on: the release it is read as and the tree it lies in.
func (in *input) cacheTag() string {
	if in.tree == nil {
		return ""
	}
	if in.jinja {
		return in.tree.rel.Name + "@" + in.root + " rendered"
	}
	return in.tree.rel.Name + "@" + in.root
}

// Run checks the files under paths.
func Run(paths []string, o Options) (*Result, error) {
	start := time.Now()
	o = o.inFolder()
	files, templates, walks, err := collect(paths, o.wd)
	if err != nil {
		return nil, err
	}
	o.walks = walks
	res := &Result{Files: files, Sources: source.NewCache()}
	ph := startPhases(res, start)
	ph.done("walk")
	inputs := make([]input, len(files), len(files)+len(templates))
	for i, f := range files {
		inputs[i].name = f
	}
	for _, t := range templates {
		inputs = append(inputs, input{name: t, jinja: true})
	}
	// A tree nobody changed since the last run: its result (memo.go).
	var sig [32]byte
	memo := false
	rels := newReleases(o)
	if o.Cache != nil && o.Baseline == nil {
		sig, memo = runSignature(inputs, o, rels, time.Now())
		ph.done("signature")
		if memo {
			if r, ok := o.Cache.loadMemo(sig); ok {
				r.Sources = source.NewCache()
				addSources(r, inputs, o.Limits)
				o.Cache.Memoized = true
				r.Phases, ph.res = res.Phases, r
				ph.done("memo")
				return r, nil
			}
		}
	}
	if err := rels.resolve(inputs); err != nil {
		return nil, err
	}
	ph.done("releases")
	if o.Cache != nil {
		prepare(inputs, o)
	}
	// A template outside a tree, or in a tree without roles_data.yaml and
	// network_data.yaml, has nothing to render with.
	kept := inputs[:0]
	for _, in := range inputs {
		switch {
		case in.jinja && (in.tree == nil || !in.tree.hasRoles(o)):
			res.Unrendered = append(res.Unrendered, in.name)
		case in.jinja:
			res.Templates = append(res.Templates, in.name)
			kept = append(kept, in)
		default:
			kept = append(kept, in)
		}
	}
	run(kept, o, rels, res, true)
	if memo {
		// Best effort: without it the next run takes the ordinary way.
		_ = o.Cache.saveMemo(sig, res)
	}
	return res, nil
}

// prepare starts, in the background, what checking a changed file of a
// warm run waits for: the deployment view of each tree (its evaluation
// opens it; the tree memo's reads repeat the view's answers) and the
// schema of each release. A warm run that the run memo did not answer
// checks one or a few files, on one core: the others build these
// meanwhile. Both are built once per run, by whoever comes first.
func prepare(inputs []input, o Options) {
	trees := map[*tree]bool{}
	for i := range inputs {
		t := inputs[i].tree
		if t == nil || trees[t] {
			continue
		}
		trees[t] = true
		go func() {
			if o.Evaluate != nil && t.hasRoles(o) {
				t.deployTree(o)
			}
			schemaOf(t.rel)
		}()
	}
}

// RunSource checks one file's contents (standard input), named name: as
// the release of the tree that holds a file of that name, if any, else as
// the release its own heat_template_version names. Only a tree of a
// release hoist does not support is an error.
func RunSource(name string, src []byte, o Options) (*Result, error) {
	if IsJinja(name) {
		// A template is checked through its renders, which read the
		// tree on disk: standard input cannot be rendered.
		return &Result{Unrendered: []string{name}, Sources: source.NewCache()}, nil
	}
	res := &Result{Files: []string{name}, Sources: source.NewCache()}
	o = o.inFolder()
	o.Cache = nil
	inputs := []input{{name: name, src: src}}
	rels := newReleases(o)
	if err := rels.resolve(inputs); err != nil {
		return nil, err
	}
	run(inputs, o, rels, res, false)
	return res, nil
}

// CheckSource checks one file's contents, named name in diagnostics, with
// the whole pipeline (tree rules over this one file, suppressions). It
// returns the diagnostics, and the error of a tree whose release hoist
// does not support (RunSource).
func CheckSource(name string, src []byte, o Options) ([]*diag.Diagnostic, error) {
	res, err := RunSource(name, src, o)
	if err != nil {
		return nil, err
	}
	return res.Diagnostics, nil
}

func run(inputs []input, o Options, rels *releases, res *Result, read bool) {
	ph := startPhases(res, time.Now())
	rules := o.enabled()
	if o.hashes == nil {
		o.hashes = &fileHashes{off: o.Cache == nil}
	}
	results := make([]fileResult, len(inputs))
	jobs := o.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	now := time.Now()
	wd := o.wd
	order := dispatchOrder(inputs, read)
	if read {
		o.Cache.seedHashes(inputs, wd, o.hashes)
	}
	// The reads the tree rules' kept findings depend on are checked
	// again while the files are (on a warm run, one or two changed files
	// leave the other cores idle): tree phase waits for the answer.
	views := newTreeViews(inputs, o)
	readsValid := o.Cache.checkTreeReads(views)
	ph.done("cache")
	var wg sync.WaitGroup
	next := make(chan int)
	var mu sync.Mutex
	for w := 0; w < min(jobs, len(inputs)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				in := &inputs[i]
				if read {
					// An unchanged file's result, found by its stamp
					// without reading the file.
					if r, ok := o.Cache.getByStamp(in.name, in.stamp, in.cacheTag(), o.hashes); ok {
						results[i] = r
						continue
					}
					in.src, in.err = readFile(in.name, o.Limits)
				}
				if in.err != nil {
					results[i] = fileResult{Diags: []*diag.Diagnostic{asDiagnostic(in.name, in.err)}}
					continue
				}
				if !read {
					// Standard input: the only copy of its contents.
					// Files on disk are read again for the snippets of
					// the few that have findings (source.Cache), rather
					// than every file held for the whole run.
					mu.Lock()
					res.Sources.Add(in.name, in.src)
					mu.Unlock()
				}
				h := sha256.Sum256(in.src)
				if read {
					o.hashes.seed(wd, in.name, h)
				}
				tag := in.cacheTag()
				if r, ok := o.Cache.get(in.name, h, tag, in.stamp.settled(now), o.hashes); ok {
					results[i] = r
				} else {
					if in.jinja {
						results[i] = checkTemplate(in, rules, o, rels)
					} else {
						results[i] = checkFile(in, rules, o, rels)
					}
					if !results[i].noCache {
						o.Cache.put(in.name, h, tag, in.stamp.settled(now), results[i])
					}
				}
				if read {
					in.src = nil
				}
			}
		}()
	}
	for _, i := range order {
		next <- i
	}
	close(next)
	wg.Wait()
	ph.done("files")

	var ds []*diag.Diagnostic
	dirs := map[string][]Directive{}
	for i, r := range results {
		ds = append(ds, r.Diags...)
		if len(r.Directives) > 0 {
			dirs[inputs[i].name] = r.Directives
		}
	}
	// Tree rules, on the facts of every file in file order (a template's
	// outputs in the place of the template).
	outs := renderedOutputs{}
	for i, fr := range results {
		for _, ro := range fr.Rendered {
			outs[ro.Name] = renderedOutput{tree: inputs[i].tree, path: ro.Path, template: ro.Template}
			res.Rendered = append(res.Rendered, ro.Name)
		}
	}
	var runS [32]byte
	if o.Cache != nil {
		runS = runSum(inputs, o)
	}
	// The reads are repeated on the views the rules are about to use
	// (and record their reads on): wait for them first.
	valid := readsValid()
	for _, r := range rules {
		tc, ok := r.(TreeChecker)
		if !ok {
			continue
		}
		id := r.Meta().ID
		res.TreeRules = append(res.TreeRules, id)
		var facts []Facts
		var sums [][32]byte
		for i, fr := range results {
			if data, ok := fr.Facts[id]; ok {
				facts = append(facts, Facts{File: inputs[i].name, Data: data})
				sums = append(sums, factSum(fr.FactSums, id, data))
			}
			for _, ro := range fr.Rendered {
				if data, ok := ro.Facts[id]; ok {
					facts = append(facts, Facts{File: ro.Name, Data: data})
					sums = append(sums, factSum(ro.FactSums, id, data))
				}
			}
		}
		// The rule's findings as kept, when its facts and what it read
		// are the same (treememo.go).
		var sum [32]byte
		if o.Cache != nil {
			sum = factsSum(runS, id, facts, sums)
			if kept, ok := o.Cache.treeFindings(id, sum, valid); ok {
				res.TreeKept = append(res.TreeKept, id)
				ds = append(ds, kept...)
				continue
			}
		}
		rep := o.reporter(r)
		rec := &viewReads{}
		if vc, ok := r.(treeViewChecker); ok {
			views.rec = rec
			vc.checkTrees(facts, views, rep)
			views.rec = nil
		} else {
			tc.CheckTree(facts, rep)
		}
		found := rep.Diagnostics()
		if o.Cache != nil && !rec.opaque {
			o.Cache.putTree(id, sum, rec.list(), found)
		}
		ds = append(ds, found...)
	}
	ph.done("tree rules")
	ds = mergeAcross(locateRendered(ds, outs, o, res))
	ds = dropReadKeys(ds, results, o.wd)
	ds = dropEvaluationEchoes(ds)
	// Suppressions.
	on := map[string]bool{}
	for _, r := range rules {
		on[r.Meta().ID] = true
	}
	ds = suppress(ds, dirs, func(id string) bool { return on[id] }, o.Severities)
	// Baseline.
	if o.Baseline != nil {
		ds, res.Baselined, res.Stale = o.Baseline.Apply(ds)
	}
	res.Diagnostics = diag.Sort(ds)
	res.Releases = rels.choices(inputs, results)
	ph.done("findings")
	if read {
		addSources(res, inputs, o.Limits)
		ph.done("sources")
	}
}

// addSources reads again the files that have findings, for their
// snippets: a run does not hold every file's contents while it works.
func addSources(res *Result, inputs []input, lim pyyaml.Limits) {
	checked := make(map[string]bool, len(inputs))
	for _, in := range inputs {
		checked[in.name] = true
	}
	want := map[string]bool{}
	for _, d := range res.Diagnostics {
		want[d.Range.File] = true
		for _, r := range d.Related {
			want[r.Range.File] = true
		}
	}
	var names []string
	for name := range want {
		if checked[name] {
			names = append(names, name)
		}
	}
	srcs := make([][]byte, len(names))
	parallel(len(names), func(i int) {
		if src, err := readFile(names[i], lim); err == nil {
			srcs[i] = src
		}
	})
	for i, name := range names {
		if srcs[i] != nil {
			res.Sources.Add(name, srcs[i])
		}
	}
}

// dispatchOrder returns the order in which the workers take the files:
// the largest first. The few large files (queens' endpoint_map.yaml is
// 300 KB, a tenth of the tree) then load while little else is in memory,
// which keeps the peak low, and the workers end together. Results keep
// the files' order whatever the order of work.
func dispatchOrder(inputs []input, read bool) []int {
	order := make([]int, len(inputs))
	size := make([]int64, len(inputs))
	for i := range inputs {
		order[i] = i
		if read {
			if s := inputs[i].stamp; s != (fileStamp{}) {
				// Read with the run's signature (runSignature).
				size[i] = s.Size
			} else if st, err := os.Stat(inputs[i].name); err == nil {
				size[i] = st.Size()
				inputs[i].stamp = stampOf(st)
			}
		} else {
			size[i] = int64(len(inputs[i].src))
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(size[b], size[a]) })
	return order
}

// reporter returns a reporter for r with the configured severity.
func (o Options) reporter(r Rule) *Reporter {
	m := r.Meta()
	rep := NewReporter(m)
	if s, ok := o.Severities[m.ID]; ok {
		rep.rule.Severity = s
		rep.configured = true
	}
	return rep
}

func readFile(path string, lim pyyaml.Limits) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return pyyaml.ReadLimited(path, f, lim)
}

// checkFile loads one file and runs the file, service and tree-collect
// parts of the rules on it.
func checkFile(in *input, rules []Rule, o Options, rels *releases) fileResult {
	name, src := in.name, in.src
	doc, err := loadDocument(name, src, o.Limits)
	if err != nil {
		return fileResult{Diags: []*diag.Diagnostic{asDiagnostic(name, err)}, Deps: withJsonnetDeps(nil, name, src, o.hashes)}
	}
	f := &File{Path: name, Src: src, Doc: doc, Root: in.root, treePath: in.treePath, rendered: in.rendered}
	var out fileResult
	if in.tree != nil {
		f.Release = in.tree.rel
		out.Release, out.ReleaseWhy = in.tree.rel.Name, in.tree.why
	} else {
		f.Release, out.ReleaseWhy = rels.looseRelease(name, doc.Root)
		out.Release = f.Release.Name
	}
	on := map[string]bool{}
	for _, r := range rules {
		on[r.Meta().ID] = true
	}
	svc := ServiceOf(f)
	if svc != nil && o.Evaluate != nil && containerized(svc) {
		ev := o.evaluate(in, svc)
		out.Deps = o.hashes.hashDeps(ev.deps)
		if ev.treeErr != nil {
			// Once per tree in the end (diag.Sort drops the copies),
			// and not cached: it lies in other files.
			for _, d := range errorDiagnostics(name, ev.treeErr) {
				in.tree.renameIn(d, o)
				out.Diags = append(out.Diags, d)
			}
			out.noCache = true
		} else if ev.err != nil {
			if on[RuleEvaluation] {
				out.Diags = append(out.Diags, evaluationDiagnostic(name, ev.err, o.reporter(evaluationError{}).rule.Severity))
			}
		} else {
			svc = ev.svc
			f.evaluated = ev.svc
			if on["container/image-parameter-unused"] {
				rep := o.reporter(imageParameterUnused{})
				imageParameterUnused{}.checkImages(ev, rep)
				out.Diags = append(out.Diags, rep.Diagnostics()...)
			}
		}
	}
	for _, r := range rules {
		if fc, ok := r.(FileChecker); ok {
			rep := o.reporter(r)
			fc.CheckFile(f, rep)
			out.Diags = append(out.Diags, rep.Diagnostics()...)
		}
		if sc, ok := r.(ServiceChecker); ok && svc != nil {
			rep := o.reporter(r)
			sc.CheckService(svc, rep)
			out.Diags = append(out.Diags, rep.Diagnostics()...)
		}
		if tc, ok := r.(TreeChecker); ok {
			if facts := tc.Collect(f); facts != nil {
				b, err := json.Marshal(facts)
				if err == nil {
					if out.Facts == nil {
						out.Facts = map[string]json.RawMessage{}
					}
					out.Facts[r.Meta().ID] = b
				}
			}
		}
	}
	out.Diags = append(out.Diags, checkRoleData(f, rules, o)...)
	out.RoleDataReads = roleDataReads(f)
	out.Deps = withJsonnetDeps(out.Deps, name, src, o.hashes)
	renameFile(out.Diags, name, o.wd)
	out.Directives = parseDirectives(name, src, doc)
	checkDirectiveIDs(out.Directives, func(id string) bool { return ruleIDs()[id] || on[id] })
	return out
}

func (o Options) enabled() []Rule {
	if o.Rules != nil {
		return o.Rules
	}
	var out []Rule
	for _, r := range Rules() {
		if r.Meta().InPreset(PresetRecommended) {
			out = append(out, r)
		}
	}
	return out
}

func asDiagnostic(name string, err error) *diag.Diagnostic {
	if d, ok := err.(*diag.Diagnostic); ok {
		return d
	}
	return &diag.Diagnostic{Severity: diag.Error, Rule: pyyaml.RuleSyntax, Range: source.Range{File: name},
		Message: "cannot read file: " + unwrapPathError(err).Error()}
}
