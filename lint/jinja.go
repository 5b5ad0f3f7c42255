package lint

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"hoist/compiler/deploy"
	"hoist/compiler/jinja"
	"hoist/diag"
	"hoist/source"
)

// Jinja2 templates.
//
// A *.j2.yaml of a tripleo-heat-templates tree is not YAML until
// rendered, and what Heat reads is its rendering: once per role for
// *.role.j2.yaml, per enabled network for *.network.j2.yaml, once for the
// others, with the tree's roles_data.yaml and network_data.yaml, as
// process-templates renders them. Lint renders each template of the run
// through the tree's deployment view (deployTree: the renders are shared
// with the evaluation, on demand) and checks every output like any file.
// Each finding is then moved to the template line that wrote the text
// (the output's jinja.SourceMap), naming the role or network it was
// rendered for, with a note naming the rendered place. The same defect in
// several renders of one template line is one finding naming them all.
//
// A template that does not render is a finding at its line (jinja/syntax,
// jinja/render, jinja/missing-include), as is an undefined value it
// prints (jinja/undefined). Suppression comments are written in the
// template: each one's extent is the extent, mapped back, of the node it
// covers in the renders. A template's result is cached by its contents
// and those of the roles and networks files, j2_excludes.yaml and the
// files it includes.

// renderedResult is what a run keeps of one output of a template: its
// facts for the tree rules, under the name the run gives the output.
type renderedResult struct {
	// Name is the output as the run names it: the tree's root (as the run
	// names it) joined with Path, its slash path in the tree.
	Name, Path string
	// Template is the template's slash path in the tree.
	Template      string
	Facts         map[string]json.RawMessage
	FactSums      map[string][32]byte
	RoleDataReads []RoleDataRead
}

// renderFor says for which role or network a job renders: "role
// Controller", "" for a template rendered once.
func renderFor(j jinja.Job) string {
	switch j.Kind {
	case jinja.Role:
		return "role " + j.Role
	case jinja.Network:
		return "network " + j.Network
	}
	return ""
}

// jobsOf returns what the template at the slash path tpl renders to, in
// the renderer's order (roles_data's, network_data's).
func jobsOf(r *jinja.Renderer, tpl string) []jinja.Job {
	var out []jinja.Job
	for _, j := range r.Jobs() {
		if j.Template == tpl {
			out = append(out, j)
		}
	}
	return out
}

// dataFiles returns the roles and network data files the tree is
// rendered with when hoist.hcl's deployment block for the tree names them
// (roles_file, network_file), zero Paths for the tree's own.
func (t *tree) dataFiles(o Options) (roles, networks deploy.Path) {
	for _, d := range o.Deployments {
		if d.Templates.Path == "" {
			continue
		}
		if abs, err := filepath.Abs(d.Templates.Path); err == nil && abs == t.abs {
			return d.RolesFile, d.NetworkFile
		}
	}
	return deploy.Path{}, deploy.Path{}
}

// hasRoles reports whether the tree has the roles and network data its
// templates are rendered with (a tree without them is a fragment: a
// tripleo-heat-templates checkout always has both), or hoist.hcl names
// them for it.
func (t *tree) hasRoles(o Options) bool {
	t.roles.once.Do(func() { t.roles.has = t.findRoles(o) })
	return t.roles.has
}

func (t *tree) findRoles(o Options) bool {
	roles, networks := t.dataFiles(o)
	for i, name := range []string{"roles_data.yaml", "network_data.yaml"} {
		if p := []deploy.Path{roles, networks}[i]; p.Path != "" {
			continue // a missing file is the deployment view's error, at hoist.hcl's line
		}
		if st, err := os.Stat(filepath.Join(t.abs, name)); err != nil || st.IsDir() {
			return false
		}
	}
	return true
}

// displayName names a slash path of the tree as the run names its files.
func (t *tree) displayName(rel string) string {
	return filepath.Join(t.root, filepath.FromSlash(rel))
}

// runName renames a file that a tree's deployment view named (relative to
// Options.Base, or absolute) the way the run names the files of the tree;
// names outside the tree are kept.
func (t *tree) runName(name string, o Options) string {
	if name == "" || strings.HasPrefix(name, "<") {
		return name
	}
	abs := name
	if !filepath.IsAbs(abs) {
		base := o.Base
		if base == "" {
			base = o.wd
		}
		abs = absFrom(base, name)
	}
	rel, err := filepath.Rel(t.abs, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return name
	}
	return t.displayName(filepath.ToSlash(rel))
}

// renameIn renames every range of d (runName).
func (t *tree) renameIn(d *diag.Diagnostic, o Options) {
	d.Range.File = t.runName(d.Range.File, o)
	for i := range d.Related {
		d.Related[i].Range.File = t.runName(d.Related[i].Range.File, o)
	}
	for i := range d.Chain {
		d.Chain[i].Range.File = t.runName(d.Chain[i].Range.File, o)
	}
}

// errorDiagnostics returns the diagnostics an error holds; an error that
// is none becomes one at the file.
func errorDiagnostics(name string, err error) []*diag.Diagnostic {
	var ds diag.List
	var d *diag.Diagnostic
	switch {
	case errors.As(err, &ds):
		return slices.Clone(ds)
	case errors.As(err, &d):
		return []*diag.Diagnostic{d}
	}
	return []*diag.Diagnostic{{Severity: diag.Error, Rule: jinja.RuleInternal, Range: source.Range{File: name},
		Message: "cannot render the template: " + err.Error()}}
}

// renderFinding is a finding moved to a template line, with the render it came
// from.
type renderFinding struct {
	d *diag.Diagnostic
	// job is the render's index among the template's jobs; for is the
	// roles and networks it was rendered for ("role Controller, network
	// InternalApi"), at the rendered place note.
	job  int
	for_ string
	at   string
}

// checkTemplate renders one *.j2.yaml of a tree for every role or network
// it is rendered for, checks each output as checkFile checks a file, and
// returns the findings moved to the template's lines.
func checkTemplate(in *input, rules []Rule, o Options, rels *releases) fileResult {
	t := in.tree
	out := fileResult{Release: t.rel.Name, ReleaseWhy: t.why}
	dt, err := t.deployTree(o)
	if err != nil {
		// The tree cannot be opened (roles_data.yaml does not load, an
		// environment is missing): that is the finding, once per tree
		// (diag.Sort drops the copies), and the result depends on other
		// files than the template: it is not cached.
		for _, d := range errorDiagnostics(in.name, err) {
			t.renameIn(d, o)
			out.Diags = append(out.Diags, d)
		}
		out.noCache = true
		return out
	}
	on := map[string]bool{}
	for _, r := range rules {
		on[r.Meta().ID] = true
	}
	undefinedOn := on[jinja.RuleUndefined]
	undefinedSeverity := o.reporter(jinjaUndefined{}).rule.Severity
	jobs := jobsOf(dt.Renderer(), in.treePath)
	deps := []string{dt.RolesFile(), dt.NetworkFile(), filepath.Join(t.abs, jinja.ExcludesFile)}
	base := parseDirectives(in.name, in.src, nil)
	seen := make([]bool, len(base))
	var found []renderFinding
	for ji, j := range jobs {
		// Rendered here rather than through the tree's overlay (ReadFile):
		// the output is checked and dropped, not held for the whole run.
		f, err := dt.Renderer().Render(j.Path)
		if err != nil {
			// The error may lie in a file the template includes, which
			// the result would not know to depend on: not cached.
			out.noCache = true
			for _, d := range errorDiagnostics(in.name, err) {
				t.renameIn(d, o)
				found = append(found, renderFinding{d: withoutRenderPrefix(d, j), job: ji, for_: renderFor(j)})
			}
			continue
		}
		deps = append(deps, includedFiles(t, f, in.treePath)...)
		name := t.displayName(j.Path)
		sub := input{name: name, src: f.Data, tree: t, root: in.root, treePath: j.Path, rendered: f.Map}
		r := checkFile(&sub, rules, o, rels)
		if undefinedOn {
			for _, u := range f.Undefined {
				d := u.Diagnostic
				d.Severity = undefinedSeverity
				t.renameIn(d, o)
				found = append(found, renderFinding{d: d, job: ji, for_: joinFor(renderFor(j), u.Context)})
			}
		}
		for _, d := range r.Diags {
			p := renderFinding{d: d, job: ji, for_: renderFor(j)}
			if ctx, at, ok := t.locate(d, name, f); ok {
				p.for_, p.at = joinFor(p.for_, ctx), at
			}
			found = append(found, p)
		}
		mapDirectives(base, seen, r.Directives, f, in.treePath)
		out.Rendered = append(out.Rendered, renderedResult{Name: name, Path: j.Path, Template: in.treePath,
			Facts: r.Facts, FactSums: r.FactSums, RoleDataReads: r.RoleDataReads})
		for p, h := range r.Deps {
			if out.Deps == nil {
				out.Deps = map[string][32]byte{}
			}
			out.Deps[p] = h
		}
	}
	for i := range base {
		if !seen[i] && !base[i].FileWide {
			base[i].NotRendered = true
		}
	}
	checkDirectiveIDs(base, func(id string) bool { return ruleIDs()[id] || on[id] })
	out.Directives = base
	out.Diags = append(out.Diags, merge(found, jobs)...)
	if out.Deps == nil {
		out.Deps = map[string][32]byte{}
	}
	for p, h := range o.hashes.hashDeps(deps) {
		out.Deps[p] = h
	}
	return out
}

// withoutRenderPrefix drops the "rendering <template> for role "X": "
// that compiler/jinja starts a render error with: the finding names the
// role its own way (merge).
func withoutRenderPrefix(d *diag.Diagnostic, j jinja.Job) *diag.Diagnostic {
	var what string
	switch j.Kind {
	case jinja.Role:
		what = fmt.Sprintf("%s for role %q", j.Template, j.Role)
	case jinja.Network:
		what = fmt.Sprintf("%s for network %q", j.Template, j.Network)
	default:
		what = j.Template
	}
	if rest, ok := strings.CutPrefix(d.Message, "rendering "+what+": "); ok {
		d.Message = rest
	}
	d.Message = strings.Replace(d.Message, ": "+what+" looks it up in ", ": Jinja2 looks it up in ", 1)
	return d
}

// includedFiles lists the files of the tree other than the template that
// wrote text into an output (its includes), by absolute path.
func includedFiles(t *tree, f *jinja.File, tpl string) []string {
	var out []string
	for _, name := range f.Map.Templates() {
		if name != tpl {
			out = append(out, filepath.Join(t.abs, filepath.FromSlash(name)))
		}
	}
	return out
}

// locate moves every range of d that falls in the output named name to
// the template line that wrote it. It returns the loops around the
// primary place ("network InternalApi") and the note naming the rendered
// place, false when the primary range is not in the output or the map
// knows nothing there.
func (t *tree) locate(d *diag.Diagnostic, name string, f *jinja.File) (ctx, at string, ok bool) {
	move := func(r source.Range) (source.Range, string, bool) {
		if r.File != name || r.Start.Line < 1 || f.Map == nil {
			return r, "", false
		}
		p, ok := f.Map.Position(r.Start.Line, max(r.Start.Col, 1))
		if !ok {
			return r, "", false
		}
		out := source.Range{File: t.displayName(p.File), Start: source.Pos{Line: int32(p.Line), Col: int32(p.Col)}}
		out.End = out.Start
		if r.End.Line == r.Start.Line && r.End.Col > r.Start.Col {
			out.End.Col += r.End.Col - r.Start.Col
		}
		return out, p.Context, true
	}
	for i := range d.Related {
		if r, _, ok := move(d.Related[i].Range); ok {
			d.Related[i].Range = r
		}
	}
	for i := range d.Chain {
		if r, _, ok := move(d.Chain[i].Range); ok {
			d.Chain[i].Range = r
		}
	}
	r, ctx, ok := move(d.Range)
	if !ok {
		return "", "", false
	}
	at = fmt.Sprintf("%s:%d:%d", name, d.Range.Start.Line, d.Range.Start.Col)
	d.Range = r
	d.Message = t.relocateMessage(d.Message, r.File, f)
	return ctx, at, true
}

// linePlace is a place a message names in its own file ("drops the one at
// line 508, col 1").
var linePlace = regexp.MustCompile(`\bline (\d+), col (\d+)\b`)

// relocateMessage rewrites the places of the output a message names into
// template places: "line 265, col 1", with the file when it is not the
// finding's and the loops it was written in.
func (t *tree) relocateMessage(msg, file string, f *jinja.File) string {
	return linePlace.ReplaceAllStringFunc(msg, func(m string) string {
		sub := linePlace.FindStringSubmatch(m)
		line, _ := strconv.Atoi(sub[1])
		col, _ := strconv.Atoi(sub[2])
		p, ok := f.Map.At(line, col)
		if !ok {
			return m
		}
		out := fmt.Sprintf("line %d, col %d", p.Line, p.Col)
		if name := t.displayName(p.File); name != file {
			out += " of " + name
		}
		if p.Context != "" {
			out += ", written for " + p.Context
		}
		return out
	})
}

// joinFor joins what a render was for and the loops around a place.
func joinFor(job, ctx string) string {
	switch {
	case job == "":
		return ctx
	case ctx == "":
		return job
	}
	return job + ", " + ctx
}

// merge makes one finding of the findings that several renders of a
// template (or several turns of a loop) give at one template line for the
// same defect: same rule, severity, place and message once the names of
// the roles and networks are set aside. The finding says for which roles
// or networks it holds.
func merge(found []renderFinding, jobs []jinja.Job) []*diag.Diagnostic {
	type group struct {
		first renderFinding
		fors  []string
		ats   int
	}
	var order []*group
	byKey := map[string]*group{}
	for _, p := range found {
		names := forNames(p.for_)
		// (Not the end of the range: a name that differs by role has a
		// length of its own.)
		key := fmt.Sprintf("%s\x00%d\x00%s\x00%d:%d\x00%s", p.d.Rule, p.d.Severity, p.d.Range.File,
			p.d.Range.Start.Line, p.d.Range.Start.Col, maskNames(p.d.Message, names))
		g := byKey[key]
		if g == nil {
			g = &group{first: p}
			byKey[key] = g
			order = append(order, g)
		}
		if p.for_ != "" && !slices.Contains(g.fors, p.for_) {
			g.fors = append(g.fors, p.for_)
		}
		if p.at != "" {
			g.ats++
		}
	}
	out := make([]*diag.Diagnostic, 0, len(order))
	for _, g := range order {
		d := g.first.d
		if s := forText(g.fors, jobs); s != "" && d.Rule != jinja.RuleSyntax {
			// (A template that does not parse fails alike for every role.)
			d.Message += " (" + s + ")"
		}
		if g.first.at != "" {
			note := renderedNote
			if g.ats > 1 {
				note += fmt.Sprintf(", and at %d more %s", g.ats-1, diag.Plural(g.ats-1, "place", "places"))
			}
			d.Related = append(d.Related, diag.Related{Range: renderedRange(g.first.at), Message: note})
		}
		out = append(out, d)
	}
	return out
}

// renderedNote starts the note that names the rendered place of a
// finding moved to its template.
const renderedNote = "rendered here"

// renderedRange parses back the "name:line:col" of a rendered place.
func renderedRange(at string) source.Range {
	var line, col int32
	i := strings.LastIndexByte(at, ':')
	j := strings.LastIndexByte(at[:max(i, 0)], ':')
	if i < 0 || j < 0 {
		return source.Range{File: at}
	}
	fmt.Sscanf(at[j+1:i], "%d", &line)
	fmt.Sscanf(at[i+1:], "%d", &col)
	return source.Range{File: at[:j], Start: source.Pos{Line: line, Col: col}, End: source.Pos{Line: line, Col: col}}
}

// forNames returns the names in a "role Controller, network InternalApi"
// description.
func forNames(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ", ") {
		if _, name, ok := strings.Cut(item, " "); ok && name != "" {
			out = append(out, name)
		}
	}
	return out
}

// maskNames replaces the names (and their lower-case forms) in a message,
// so that the messages of two renders compare equal when they differ only
// there (parameter ControllerCount, ComputeCount).
func maskNames(msg string, names []string) string {
	if len(names) == 0 {
		return msg
	}
	var all []string
	for _, n := range names {
		all = append(all, n, strings.ToLower(n))
	}
	sort.Slice(all, func(a, b int) bool { return len(all[a]) > len(all[b]) })
	for _, n := range all {
		if n != "" {
			msg = strings.ReplaceAll(msg, n, "\x00")
		}
	}
	return msg
}

// forText says for which renders a finding holds: "for role
// Controller", "for roles Controller and Compute", "for all 5 roles" when
// it holds for every role the template renders for, "for roles Compute and
// CephStorage, network External" when the renders are every pairing of
// those names, else each render.
func forText(fors []string, jobs []jinja.Job) string {
	if len(fors) == 0 {
		return ""
	}
	// Each description is items "key Name", the render's first, then the
	// loops' from the outermost.
	var keys []string
	var names [][]string
	for fi, f := range fors {
		items := strings.Split(f, ", ")
		if fi == 0 {
			keys = make([]string, len(items))
			names = make([][]string, len(items))
		}
		if len(items) != len(keys) {
			return "for " + joinAnd(fors, "; ")
		}
		for i, it := range items {
			k, name, _ := strings.Cut(it, " ")
			if fi == 0 {
				keys[i] = k
			} else if keys[i] != k {
				return "for " + joinAnd(fors, "; ")
			}
			if !slices.Contains(names[i], name) {
				names[i] = append(names[i], name)
			}
		}
	}
	product := 1
	for _, n := range names {
		product *= len(n)
	}
	if product != len(fors) {
		return "for " + joinAnd(fors, "; ")
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		switch {
		case len(names[i]) == 1:
			parts[i] = k + " " + names[i][0]
		case i == 0 && everyJob(k, names[i], jobs):
			parts[i] = fmt.Sprintf("all %d %s", len(names[i]), pluralKey(k))
		default:
			parts[i] = pluralKey(k) + " " + joinAnd(names[i], ", ")
		}
	}
	return "for " + strings.Join(parts, ", ")
}

// everyJob reports whether names are every role (or network) the
// template renders for: then the finding is the template's, whatever the
// roles.
func everyJob(key string, names []string, jobs []jinja.Job) bool {
	if len(jobs) < 3 || len(names) != len(jobs) {
		return false
	}
	for _, j := range jobs {
		k, name, _ := strings.Cut(renderFor(j), " ")
		if k != key || !slices.Contains(names, name) {
			return false
		}
	}
	return true
}

// pluralKey is the plural of a loop variable's name: roles, networks.
func pluralKey(k string) string {
	if strings.HasSuffix(k, "s") {
		return k
	}
	return k + "s"
}

// joinAnd joins items as "a, b and c".
func joinAnd(items []string, sep string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], sep) + " and " + items[len(items)-1]
}

// mapDirectives moves the suppression comments that a render holds (with
// the extents of the nodes they cover there) back to the template's
// comments: each template comment covers the template lines that wrote
// the nodes its renders cover.
func mapDirectives(base []Directive, seen []bool, rendered []Directive, f *jinja.File, tpl string) {
	if len(base) == 0 || f.Map == nil {
		return
	}
	lineAt := func(l int32) (int32, bool) {
		p, ok := f.Map.At(int(l), 1)
		if !ok || p.File != tpl {
			return 0, false
		}
		return int32(p.Line), true
	}
	for _, rd := range rendered {
		if rd.FileWide {
			continue
		}
		line, ok := lineAt(rd.Range.Start.Line)
		if !ok {
			continue
		}
		for i := range base {
			b := &base[i]
			if b.FileWide || b.Range.Start.Line != line {
				continue
			}
			seen[i] = true
			for l := rd.From; l <= rd.To; l++ {
				if tl, ok := lineAt(l); ok && tl > b.Range.Start.Line {
					b.From = min(b.From, tl)
					b.To = max(b.To, tl)
				}
			}
		}
	}
}

// rendered is every output of the run's templates, by the name the run
// gives it, for the findings of the tree rules.
type renderedOutputs map[string]renderedOutput

type renderedOutput struct {
	tree     *tree
	path     string // slash path in the tree
	template string
}

// locateRendered moves the findings that fall in a rendered output (those
// of the tree rules, which see the outputs' facts) to the template lines,
// rendering the output again if this run took it from the cache, and
// merges them as checkTemplate does. A note of any finding that points
// into an output is moved too.
func locateRendered(ds []*diag.Diagnostic, outs renderedOutputs, o Options, res *Result) []*diag.Diagnostic {
	if len(outs) == 0 {
		return ds
	}
	type found struct {
		ro   renderedOutput
		f    *jinja.File
		jobs []jinja.Job
		ji   int
	}
	cache := map[string]*found{}
	lookup := func(name string) *found {
		if fd, ok := cache[name]; ok {
			return fd
		}
		cache[name] = nil
		ro, ok := outs[name]
		if !ok {
			return nil
		}
		dt, err := ro.tree.deployTree(o)
		if err != nil {
			return nil
		}
		f, err := dt.Renderer().Render(ro.path)
		if err != nil {
			return nil
		}
		jobs := jobsOf(dt.Renderer(), ro.template)
		ji := slices.IndexFunc(jobs, func(j jinja.Job) bool { return j.Path == ro.path })
		if ji < 0 {
			return nil
		}
		fd := &found{ro: ro, f: f, jobs: jobs, ji: ji}
		cache[name] = fd
		return fd
	}
	moveNote := func(n *diag.Related) {
		if strings.HasPrefix(n.Message, renderedNote) {
			return // the rendered place, named on purpose
		}
		r := &n.Range
		fd := lookup(r.File)
		if fd == nil || r.Start.Line < 1 {
			return
		}
		if p, ok := fd.f.Map.Position(r.Start.Line, max(r.Start.Col, 1)); ok {
			*r = source.Range{File: fd.ro.tree.displayName(p.File), Start: source.Pos{Line: int32(p.Line), Col: int32(p.Col)},
				End: source.Pos{Line: int32(p.Line), Col: int32(p.Col)}}
		}
	}
	type key struct {
		t   *tree
		tpl string
	}
	byTemplate := map[key][]renderFinding{}
	jobsOfKey := map[key][]jinja.Job{}
	var order []key
	kept := ds[:0]
	for _, d := range ds {
		fd := lookup(d.Range.File)
		if fd == nil {
			for i := range d.Related {
				moveNote(&d.Related[i])
			}
			kept = append(kept, d)
			continue
		}
		name := d.Range.File
		p := renderFinding{d: d, job: fd.ji, for_: renderFor(fd.jobs[fd.ji])}
		ctx, at, ok := fd.ro.tree.locate(d, name, fd.f)
		for i := range d.Related {
			moveNote(&d.Related[i])
		}
		if !ok {
			res.Sources.Add(name, fd.f.Data)
			kept = append(kept, d)
			continue
		}
		p.for_, p.at = joinFor(p.for_, ctx), at
		k := key{fd.ro.tree, fd.ro.template}
		if _, ok := byTemplate[k]; !ok {
			order = append(order, k)
			jobsOfKey[k] = fd.jobs
		}
		byTemplate[k] = append(byTemplate[k], p)
	}
	for _, k := range order {
		kept = append(kept, merge(byTemplate[k], jobsOfKey[k])...)
	}
	return kept
}

// mergeAcross makes one finding of the findings that several templates
// give at one place: the place is in a fragment they all include
// (network/ports/port.j2), and each template merged its own renders.
func mergeAcross(ds []*diag.Diagnostic) []*diag.Diagnostic {
	type key struct {
		rule, file, msg string
		sev             diag.Severity
		line, col       int32
	}
	first := map[key]*diag.Diagnostic{}
	out := ds[:0]
	for _, d := range ds {
		ni := renderedNoteOf(d)
		if ni < 0 {
			out = append(out, d)
			continue
		}
		k := key{d.Rule, d.Range.File, d.Message, d.Severity, d.Range.Start.Line, d.Range.Start.Col}
		f, ok := first[k]
		if !ok {
			first[k] = d
			out = append(out, d)
			continue
		}
		fi := renderedNoteOf(f)
		n := renderedPlaces(f.Related[fi].Message) + renderedPlaces(d.Related[ni].Message)
		f.Related[fi].Message = renderedNote
		if n > 1 {
			f.Related[fi].Message += fmt.Sprintf(", and at %d more %s", n-1, diag.Plural(n-1, "place", "places"))
		}
	}
	return out
}

// renderedNoteOf returns the index of a finding's rendered place note, -1
// for none.
func renderedNoteOf(d *diag.Diagnostic) int {
	for i, r := range d.Related {
		if strings.HasPrefix(r.Message, renderedNote) {
			return i
		}
	}
	return -1
}

// renderedPlaces counts the places a rendered place note stands for.
func renderedPlaces(note string) int {
	var n int
	if _, err := fmt.Sscanf(strings.TrimPrefix(note, renderedNote), ", and at %d more", &n); err == nil {
		return n + 1
	}
	return 1
}
