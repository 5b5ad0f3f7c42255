package lint

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"hoist/compiler/environment"
	"hoist/diag"
	"hoist/internal/editdistance"
	"hoist/model"
	"hoist/schema"
	"hoist/value"
)

// reportPath adds a finding whose YAML path facts kept as text.
func reportPath(r *Reporter, sev diag.Severity, pos heatPos, file, path, msg string, related ...diag.Related) {
	r.ReportAs(sev, pos.rangeIn(file), nil, msg, related...)
	ds := r.Diagnostics()
	ds[len(ds)-1].Path = path
}

func posOf(v *value.Value) heatPos {
	return heatPos{Line: v.Range.Start.Line, Col: v.Range.Start.Col}
}

// ---- heat/environment-section -------------------------------------------

// environmentSection reports the top-level keys of an environment file
// that are not sections Heat's environment parser accepts, in files the
// schema does not recognise as environments because none of their keys is
// a section (an environment whose only section is misspelt, which the
// schema validates when another section is right). A file is taken for an
// environment when it lies in an environments folder or one of its keys is
// within two edits of a section name; heatclient refuses it with
// "environment has wrong section".
type environmentSection struct{}

func (environmentSection) Meta() Meta {
	return Meta{ID: "heat/environment-section", Severity: diag.Error, Presets: recommended,
		Summary: "an environment file has a top-level key that is not a section of environments (paramter_defaults), so heatclient refuses it"}
}

func (environmentSection) CheckFile(f *File, r *Reporter) {
	root := f.Doc.Root
	if root == nil || root.Kind != value.Map || root.Map.Len() == 0 {
		return
	}
	if _, ok := schema.Detect(f.Path, root); ok || root.Map.Has("heat_template_version") || root.Map.Has("template") || root.Map.Has("environments") {
		return
	}
	near := false
	for _, e := range root.Map.Entries() {
		if k, ok := value.StringOf(e.Key); ok && nearSection(k) != "" {
			near = true
		}
	}
	if !near && !inEnvironmentsFolder(f) {
		return
	}
	for _, e := range root.Map.Entries() {
		k := keyString(e.Key)
		hint := ""
		if s := nearSection(k); s != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", s)
		}
		r.ReportAt(e.Key, value.Path{}.Key(k), fmt.Sprintf("%q is not a section of an environment file%s, so heatclient refuses the file (\"environment has wrong section\"); the sections are %s", k, hint, diag.QuoteList(environment.Sections)))
	}
}

// nearSection returns the environment section k is a misspelling of, or
// "".
func nearSection(k string) string {
	best, bestD := "", 3
	norm := strings.ToLower(strings.NewReplacer("-", "_", " ", "_").Replace(k))
	for _, s := range environment.Sections {
		if d := editdistance.OSA(norm, s); d < bestD && d <= max(1, len(s)/6) {
			best, bestD = s, d
		}
	}
	return best
}

func inEnvironmentsFolder(f *File) bool {
	for _, part := range strings.Split(filepath.ToSlash(filepath.Dir(f.TreePath())), "/") {
		if part == "environments" {
			return true
		}
	}
	return false
}

// ---- heat/undeclared-parameter ------------------------------------------

// undeclaredParameter reports parameter_defaults and parameters entries of
// environment files that no template of the tree declares: Heat ignores a
// parameter_defaults entry no stack declares, so a misspelt name
// (NovaReservedHostMemmory) silently sets nothing.
type undeclaredParameter struct{}

// misspelling is the largest edit distance between an undeclared name and
// a declared one at which the undeclared name is taken for a misspelling
// (NovaReservedHostMemmory, CeilometerQdrPublisMetrics): farther names
// are suggested but may be other parameters (CephMonKey is not
// CephRgwKey).
const misspelling = 2

func (undeclaredParameter) Meta() Meta {
	return Meta{ID: "heat/undeclared-parameter", Severity: diag.Warning, Presets: recommended,
		Summary: "an environment sets a parameter (parameter_defaults, parameters) that no template of the tree declares, so the setting does nothing (an error when it is a misspelling of a declared one)"}
}

type paramFacts struct {
	heatFacts
	// Declared are a template's parameters.
	Declared []string `json:"declared,omitempty"`
	// Sets are an environment's entries.
	Sets []paramSet `json:"sets,omitempty"`
}

func (p paramFacts) place() heatFacts { return p.heatFacts }

type paramSet struct {
	Section, Name string
	heatPos
}

func (undeclaredParameter) Collect(f *File) any {
	facts := paramFacts{heatFacts: placeOf(f)}
	if t := TemplateOf(f); t != nil {
		for _, e := range mapEntries(t.Parameters) {
			facts.Declared = append(facts.Declared, keyString(e.Key))
		}
		return facts
	}
	if k, ok := schema.Detect(f.Path, f.Doc.Root); ok && k == schema.Environment {
		for _, sec := range []string{"parameter_defaults", "parameters"} {
			for _, e := range mapEntries(value.Get(f.Doc.Root, sec)) {
				facts.Sets = append(facts.Sets, paramSet{Section: sec, Name: keyString(e.Key), heatPos: posOf(e.Key)})
			}
		}
	}
	if f.Root == "" && facts.Sets == nil {
		return nil
	}
	return facts
}

func (u undeclaredParameter) CheckTree(facts []Facts, r *Reporter) { u.checkTrees(facts, nil, r) }

func (u undeclaredParameter) checkTrees(facts []Facts, v *treeViews, r *Reporter) {
	groups, names, covered := byRoot[paramFacts](facts)
	for _, root := range sortedKeys(groups) {
		declared := map[string]bool{}
		templates := 0
		add := func(fs []paramFacts) {
			for _, f := range fs {
				if f.Declared != nil || f.Sets == nil {
					templates++
				}
				for _, d := range f.Declared {
					declared[d] = true
				}
			}
		}
		add(groups[root])
		missing := func() []string {
			var out []string
			seen := map[string]bool{}
			for _, f := range groups[root] {
				for _, s := range f.Sets {
					if !declared[s.Name] && !seen[s.Name] {
						seen[s.Name] = true
						out = append(out, s.Name)
					}
				}
			}
			return out
		}
		if root == "" && templates == 0 {
			// Environments outside any tree, without templates to hold
			// them against.
			continue
		}
		if m := missing(); len(m) > 0 && root != "" {
			add(decodeAs[paramFacts](v.others(u, root, covered[root], m)))
		}
		if len(missing()) == 0 {
			continue
		}
		if root != "" {
			// Parameters a Jinja2 template declares per role or network
			// ({{role.name}}Count) are declared for every role and
			// network of the tree, not only those of its roles_data and
			// network_data.
			for _, kind := range []string{"roles", "networks"} {
				rendered, all := v.names(root, kind)
				patterns := map[string]bool{}
				for d := range declared {
					for _, n := range rendered {
						if strings.Contains(d, n) {
							patterns[strings.Replace(d, n, "\x00", 1)] = true
						}
					}
				}
				for _, m := range missing() {
					if slices.Contains(v.deprecated[root], m) {
						declared[m] = true
						continue
					}
					for _, n := range all {
						if strings.Contains(m, n) && patterns[strings.Replace(m, n, "\x00", 1)] {
							declared[m] = true
							break
						}
					}
				}
			}
			// What hoist build reads from the environments whether or
			// not a template declares it (the predictable and virtual
			// IPs of the plan).
			_, allRoles := v.names(root, "roles")
			_, allNetworks := v.names(root, "networks")
			for _, p := range model.EnvironmentParameters(allRoles, allNetworks) {
				declared[p] = true
			}
			// The Jinja2 templates whose text may declare a name left
			// (written out, or with a role's or network's name as the
			// template writes it) are rendered and read; where the run
			// checked them already, or an output does not render or
			// load, what they declare is unknown and the name is taken
			// as declared.
			roles, networks := v.allNames(root)
			maybe := map[string][]string{}
			candidates := map[string]bool{}
			left := missing()
			for _, t := range v.jinjaTemplates(root) {
				src := v.text(t)
				if !bytes.Contains(src, []byte("heat_template_version")) {
					continue
				}
				// One copy of the text per template, searched for every
				// name left.
				text := string(src)
				for _, m := range left {
					if mayDeclare(text, m, roles, networks) {
						maybe[m] = append(maybe[m], t)
						candidates[t] = true
					}
				}
			}
			if len(candidates) > 0 {
				if v.jinjaChecked(root) {
					for m := range maybe {
						declared[m] = true
					}
				} else {
					add(decodeAs[paramFacts](v.rendered(u, root, covered[root], candidates)))
					v.mu.Lock()
					failed := v.failed[root]
					v.mu.Unlock()
					for m, ts := range maybe {
						for _, t := range ts {
							if slices.Contains(failed, t) {
								declared[m] = true
							}
						}
					}
				}
			}
			if len(missing()) == 0 {
				continue
			}
		}
		all := sortedKeys(declared)
		if root != "" && !v.covers(root, covered[root]) {
			// For did-you-mean, the parameters of the tree's templates
			// the run did not check, as their text lists them.
			all = v.parameterNames(root, declared)
		}
		for _, f := range groups[root] {
			file := v.display(f.Abs, names[root])
			for _, s := range f.Sets {
				if declared[s.Name] {
					continue
				}
				// A misspelling of a declared parameter is an error: the
				// setting the author meant does nothing; a name close
				// to none (an old release's parameter) is a warning.
				var sev diag.Severity
				hint := ""
				if best, d := closestName(s.Name, all); best != "" {
					hint = fmt.Sprintf("; did you mean %q?", best)
					if d <= misspelling || strings.EqualFold(best, s.Name) {
						sev = diag.Error
					}
				}
				reportPath(r, sev, s.heatPos, file, s.Section+"."+s.Name,
					fmt.Sprintf("%s sets %q, which no template of the tree declares, so the setting does nothing%s", s.Section, s.Name, hint))
			}
		}
	}
}

func decodeAs[T any](facts []Facts) []T { return DecodeFacts[T](facts) }

// ---- heat/unmapped-service ----------------------------------------------

// unmappedService reports a role of roles_data that lists a service no
// resource_registry of the tree maps (neither the rendered
// overcloud-resource-registry-puppet.yaml nor any environment file): the
// role's ResourceChain fails with "The Resource Type (...) could not be
// found".
type unmappedService struct{}

func (unmappedService) Meta() Meta {
	return Meta{ID: "heat/unmapped-service", Severity: diag.Error, Presets: recommended,
		Summary: "a role in roles_data lists a service that no resource_registry of the tree maps"}
}

type serviceFacts struct {
	heatFacts
	// Services are a roles_data file's services.
	Services []roleService `json:"services,omitempty"`
	// Mapped are an environment's resource_registry keys that map to
	// something.
	Mapped []string `json:"mapped,omitempty"`
}

func (s serviceFacts) place() heatFacts { return s.heatFacts }

type roleService struct {
	Role, Name, Path string
	heatPos
}

func (unmappedService) Collect(f *File) any {
	facts := serviceFacts{heatFacts: placeOf(f)}
	k, ok := schema.Detect(f.Path, f.Doc.Root)
	switch {
	case ok && k == schema.RolesData:
		for i, role := range f.Doc.Root.List {
			name, _ := value.StringOf(value.Get(role, "name"))
			sd := value.Get(role, "ServicesDefault")
			if sd == nil || sd.Kind != value.List {
				continue
			}
			for j, s := range sd.List {
				if n, ok := value.StringOf(s); ok {
					facts.Services = append(facts.Services, roleService{Role: name, Name: n, Path: value.Path{}.Index(i).Key("ServicesDefault").Index(j).String(), heatPos: posOf(s)})
				}
			}
		}
	case ok && k == schema.Environment:
		facts.Mapped = registryKeys(value.Get(f.Doc.Root, "resource_registry"))
	}
	if f.Root == "" && facts.Services == nil && facts.Mapped == nil {
		return nil
	}
	return facts
}

// registryKeys lists the types a resource_registry maps to something.
func registryKeys(rr *value.Value) []string {
	var out []string
	for _, e := range mapEntries(rr) {
		k := keyString(e.Key)
		if k == "resources" || k == "base_url" || e.Val.Kind == value.Null {
			continue
		}
		out = append(out, k)
	}
	return out
}

func (u unmappedService) CheckTree(facts []Facts, r *Reporter) { u.checkTrees(facts, nil, r) }

func (u unmappedService) checkTrees(facts []Facts, v *treeViews, r *Reporter) {
	groups, names, covered := byRoot[serviceFacts](facts)
	for _, root := range sortedKeys(groups) {
		mapped := map[string]bool{}
		envs := 0
		add := func(fs []serviceFacts) {
			for _, f := range fs {
				if f.Mapped != nil {
					envs++
				}
				for _, k := range f.Mapped {
					mapped[k] = true
				}
			}
		}
		if root != "" && v.broken(root) {
			// The tree's registry cannot be rendered (its roles or
			// networks do not load): that error is the finding, and
			// which services are mapped is not known.
			continue
		}
		add(groups[root])
		// The rendered registry and the plan's default environments: the
		// run's facts when it checked the tree's Jinja2 templates (and
		// the environments below), else the tree's deployment view.
		if !v.jinjaChecked(root) {
			if dt := v.deploy(root); dt != nil {
				for _, e := range dt.Env().Registry().Entries() {
					mapped[e.Key] = true
					envs++
				}
			}
		}
		isMapped := func(name string) bool {
			if mapped[name] {
				return true
			}
			for k := range mapped {
				if strings.HasSuffix(k, "*") && strings.HasPrefix(name, k[:len(k)-1]) {
					return true
				}
			}
			return false
		}
		missing := func() []string {
			var out []string
			for _, f := range groups[root] {
				for _, s := range f.Services {
					if !isMapped(s.Name) {
						out = append(out, s.Name)
					}
				}
			}
			return out
		}
		if m := missing(); len(m) > 0 && root != "" {
			add(decodeAs[serviceFacts](v.others(u, root, covered[root], m)))
		}
		if len(missing()) == 0 || envs == 0 {
			continue
		}
		var services []string
		for k := range mapped {
			if strings.HasPrefix(k, "OS::TripleO::Services::") {
				services = append(services, k)
			}
		}
		sort.Strings(services)
		for _, f := range groups[root] {
			file := v.display(f.Abs, names[root])
			for _, s := range f.Services {
				if isMapped(s.Name) {
					continue
				}
				reportPath(r, 0, s.heatPos, file, s.Path,
					fmt.Sprintf("role %q lists service %q, which no resource_registry of the tree maps; the role's ResourceChain fails with \"The Resource Type (%s) could not be found\"%s", s.Role, s.Name, s.Name, didYouMean(s.Name, services, "; did you mean %q?")))
			}
		}
	}
}

// ---- heat/missing-file --------------------------------------------------

// missingFile reports files that heatclient fetches but that do not exist:
// a template's type: ending in .yaml or .template and get_file: paths
// (relative to the template, anywhere in it), an environment's
// resource_registry values that are not types (relative to the
// environment, or its base_url). A path that a Jinja2 template of the tree
// renders to exists.
type missingFile struct{}

func (missingFile) Meta() Meta {
	return Meta{ID: "heat/missing-file", Severity: diag.Error, Presets: recommended,
		Summary: "a type:, get_file: or resource_registry entry names a file that does not exist"}
}

type fileFacts struct {
	heatFacts
	Refs []fileRef `json:"refs,omitempty"`
}

func (f fileFacts) place() heatFacts { return f.heatFacts }

type fileRef struct {
	// Kind is "type", "get_file" or "registry"; Value the path as written;
	// Target the absolute path it names.
	Kind, Value, Target, Path string
	heatPos
}

func (missingFile) Collect(f *File) any {
	facts := fileFacts{heatFacts: placeOf(f)}
	dir := filepath.Dir(facts.Abs)
	if TemplateOf(f) != nil {
		var p pathStack
		var visit func(v *value.Value)
		visit = func(v *value.Value) {
			switch v.Kind {
			case value.Map:
				for _, e := range v.Map.Entries() {
					k := keyString(e.Key)
					p.key(k)
					if s, ok := value.StringOf(e.Val); ok && (k == "type" && environment.IsTemplatePath(s) || k == "get_file") && !isURL(s) {
						facts.Refs = append(facts.Refs, fileRef{Kind: k, Value: s, Target: refTarget(f.Root, dir, s), Path: p.path().String(), heatPos: posOf(e.Val)})
					}
					visit(e.Val)
					p.pop()
				}
			case value.List:
				for i, it := range v.List {
					p.index(i)
					visit(it)
					p.pop()
				}
			}
		}
		visit(f.Doc.Root)
	} else if k, ok := schema.Detect(f.Path, f.Doc.Root); ok && k == schema.Environment {
		rr := value.Get(f.Doc.Root, "resource_registry")
		base := dir
		if b, ok := value.StringOf(value.Get(rr, "base_url")); ok {
			if isURL(b) {
				return facts
			}
			base = joinPath(dir, b)
		}
		add := func(m *value.Value, base string, path value.Path) {
			for _, e := range mapEntries(m) {
				k := keyString(e.Key)
				s, ok := value.StringOf(e.Val)
				if !ok || k == "base_url" || k == "hooks" || k == "restricted_actions" || strings.Contains(s, "::") || isURL(s) {
					continue
				}
				facts.Refs = append(facts.Refs, fileRef{Kind: "registry", Value: s, Target: refTarget(f.Root, base, s), Path: path.Key(k).String(), heatPos: posOf(e.Val)})
			}
		}
		add(rr, base, value.Path{}.Key("resource_registry"))
		for _, e := range mapEntries(value.Get(rr, "resources")) {
			rb := base
			if b, ok := value.StringOf(value.Get(e.Val, "base_url")); ok {
				rb = joinPath(dir, b)
			}
			add(e.Val, rb, value.Path{}.Key("resource_registry").Key("resources").Key(keyString(e.Key)))
		}
	}
	if facts.Refs == nil && f.Root == "" {
		return nil
	}
	return facts
}

func isURL(s string) bool { return strings.Contains(s, "://") }

// installedRoot is where the tripleo-heat-templates package installs a
// tree: environments name templates by their installed path.
const installedRoot = "/usr/share/openstack-tripleo-heat-templates/"

// target is the absolute path a file reference names: relative to dir, or
// for an installed path, in the tree at root.
func refTarget(root, dir, p string) string {
	if root != "" && strings.HasPrefix(p, installedRoot) {
		return joinPath(root, strings.TrimPrefix(p, installedRoot))
	}
	return joinPath(dir, p)
}

func joinPath(dir, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, filepath.FromSlash(p))
}

func (m missingFile) CheckTree(facts []Facts, r *Reporter) { m.checkTrees(facts, nil, r) }

func (m missingFile) checkTrees(facts []Facts, v *treeViews, r *Reporter) {
	groups, names, covered := byRoot[fileFacts](facts)
	for _, root := range sortedKeys(groups) {
		// What a Jinja2 template renders to exists: the run checked it
		// (its facts are the run's) when it checked every template, else
		// the tree's deployment view knows, opened only when a path is
		// not on disk.
		checked := v.jinjaChecked(root)
		onDisk, besides := map[string]bool{}, map[string]bool{}
		rendered := func(p string) bool {
			if checked && covered[root][p] || v.jinjaSource(p) {
				return true
			}
			dir := filepath.Dir(p)
			b, ok := besides[dir]
			if !ok {
				b = v.jinjaBeside(p)
				besides[dir] = b
			}
			if !b {
				return false
			}
			// A template beside it renders per role or network; an
			// output that does not load has no facts.
			return v.isRendered(root, p)
		}
		for _, f := range groups[root] {
			file := v.display(f.Abs, names[root])
			exists := func(p string) bool {
				e, ok := onDisk[p]
				if !ok {
					e = v.exists(p) || rendered(p)
					onDisk[p] = e
				}
				return e
			}
			// A file outside the tree's environments folder whose paths
			// all resolve from there is meant to be used from there
			// (tripleo-ci copies ci/environments/network/*/network-isolation.yaml
			// into environments/).
			copied := false
			if envs := filepath.Join(root, "environments"); root != "" && filepath.Dir(f.Abs) != envs && len(f.Refs) > 0 {
				copied = true
				for _, ref := range f.Refs {
					if ref.Kind != "registry" || filepath.IsAbs(ref.Value) || !exists(joinPath(envs, ref.Value)) {
						copied = false
						break
					}
				}
			}
			for _, ref := range f.Refs {
				if exists(ref.Target) || copied {
					continue
				}
				what := map[string]string{
					"type":     "the template resource type",
					"get_file": "get_file",
					"registry": "the resource_registry entry",
				}[ref.Kind]
				where := "relative to the template's folder:"
				switch {
				case filepath.IsAbs(ref.Value) && strings.HasPrefix(ref.Value, installedRoot):
					where = "the installed tree's path of"
				case filepath.IsAbs(ref.Value):
					where = "an absolute path:"
				case ref.Kind == "registry":
					where = "relative to the environment file's folder:"
				}
				reportPath(r, 0, ref.heatPos, file, ref.Path,
					fmt.Sprintf("%s names %q, which does not exist (%s %s); heatclient fails fetching it%s", what, ref.Value, where, v.display(ref.Target, nil), v.nearFile(ref.Target)))
			}
		}
	}
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// jinjaBeside reports whether a Jinja2 template lies in p's folder.
func jinjaBeside(p string) bool {
	ents, err := os.ReadDir(filepath.Dir(p))
	if err != nil {
		return false
	}
	for _, e := range ents {
		if IsJinja(e.Name()) {
			return true
		}
	}
	return false
}

// nearFile suggests a file of the same folder whose name is close.
func nearFile(p string) string {
	ents, err := os.ReadDir(filepath.Dir(p))
	if err != nil {
		return ""
	}
	var names []string
	for _, e := range ents {
		if !e.IsDir() {
			names = append(names, e.Name())
		}
	}
	return didYouMean(filepath.Base(p), names, "; did you mean %q?")
}

// closestName is didYouMean for long lists (every parameter of a tree): names
// whose length differs by more than the distance allowed are skipped
// before any distance is computed.
func closestName(s string, names []string) (string, int) {
	best, bestD := "", min(4, max(2, len(s)/3+1))
	var rows [2][]int
	for _, n := range names {
		if d := len(n) - len(s); d >= bestD || -d >= bestD {
			continue
		}
		if d := boundedDistance(s, n, bestD, &rows); d < bestD {
			best, bestD = n, d
		}
	}
	if best == "" {
		return "", 0
	}
	return best, bestD
}

// names returns the names of the roles (kind "roles") or networks
// ("networks") the tree's deployment view rendered its Jinja2 templates
// with, and those of every role or network file of the tree (roles/*.yaml
// and roles_data*.yaml, network_data*.yaml), which a deployment may render
// them with instead.
func (v *treeViews) names(root, kind string) (rendered, all []string) {
	key := root + "\x00" + kind
	v.mu.Lock()
	got, ok := v.namesOf[key]
	v.mu.Unlock()
	if !ok {
		// The reads are recorded apart, and noted again for every rule
		// that asks (the tree memo keeps each rule's reads).
		outer := v.rec
		v.rec = &viewReads{}
		got.rendered, got.all = v.readNames(root, kind)
		got.reads, got.opaque = v.rec.list(), v.rec.opaque
		v.rec = outer
		v.mu.Lock()
		v.namesOf[key] = got
		v.mu.Unlock()
	}
	for _, r := range got.reads {
		v.note(r.Kind, r.Arg, r.Sum)
	}
	if got.opaque {
		v.opaque()
	}
	return got.rendered, got.all
}

// namesRead is what names read of a tree, kept for the run.
type namesRead struct {
	rendered, all []string
	reads         []viewRead
	opaque        bool
}

// readNames reads what names returns (once per tree and kind: names
// keeps it).
func (v *treeViews) readNames(root, kind string) (rendered, all []string) {
	add := func(list *[]string, doc *value.Value) {
		if doc == nil || doc.Kind != value.List {
			return
		}
		for _, it := range doc.List {
			for _, k := range []string{"name", "name_lower"} {
				if n, ok := value.StringOf(value.Get(it, k)); ok && n != "" && !slices.Contains(*list, n) {
					*list = append(*list, n)
				}
			}
		}
	}
	// The roles and networks the tree renders with by default (those of
	// its deployment view).
	def := "roles_data.yaml"
	if kind != "roles" {
		def = "network_data.yaml"
	}
	if f := v.file(root, filepath.Join(root, def)); f != nil {
		add(&rendered, f.Doc.Root)
	}
	var globs []string
	if kind == "roles" {
		globs = []string{"roles_data*.yaml", "roles/*.yaml"}
	} else {
		globs = []string{"network_data*.yaml"}
	}
	for _, g := range globs {
		matches := v.glob(filepath.Join(root, g))
		for _, m := range matches {
			if f := v.file(root, m); f != nil {
				add(&all, f.Doc.Root)
			}
		}
	}
	for _, n := range rendered {
		if !slices.Contains(all, n) {
			all = append(all, n)
		}
	}
	if kind == "roles" {
		// The parameter names a role keeps for compatibility
		// (deprecated_param_ips: SwiftStorageIPs), which role templates
		// declare as {{role.deprecated_param_ips}}.
		for _, g := range globs {
			matches := v.glob(filepath.Join(root, g))
			for _, m := range matches {
				if f := v.file(root, m); f != nil && f.Doc.Root != nil && f.Doc.Root.Kind == value.List {
					for _, it := range f.Doc.Root.List {
						for _, e := range mapEntries(it) {
							if k := keyString(e.Key); strings.HasPrefix(k, "deprecated_param_") {
								if n, ok := value.StringOf(e.Val); ok && !slices.Contains(v.deprecated[root], n) {
									v.deprecated[root] = append(v.deprecated[root], n)
								}
							}
						}
					}
				}
			}
		}
	}
	// Longer names first, so that ComputeSriov is tried before Compute.
	sort.SliceStable(all, func(i, j int) bool { return len(all[i]) > len(all[j]) })
	return rendered, all
}

func (v *treeViews) allNames(root string) (roles, networks []string) {
	_, roles = v.names(root, "roles")
	_, networks = v.names(root, "networks")
	return roles, networks
}

// mayDeclare reports whether a Jinja2 template's text may declare the
// parameter name: it holds the name, or the name with a role's or a
// network's name written as the template writes it ({{role.name}},
// {{network.name}}).
func mayDeclare(text, name string, roles, networks []string) bool {
	if strings.Contains(text, name+":") {
		return true
	}
	for _, set := range []struct {
		names []string
		forms []string
	}{{roles, []string{"{{role.name}}", "{{role}}"}}, {networks, []string{"{{network.name}}", "{{network.name_lower}}"}}} {
		for _, n := range set.names {
			if !strings.Contains(name, n) {
				continue
			}
			for _, form := range set.forms {
				if strings.Contains(text, strings.Replace(name, n, form, 1)+":") {
					return true
				}
			}
		}
	}
	return false
}

// boundedDistance is the Levenshtein distance of a and b when it is below
// bound, else bound, reusing rows between calls. Only the cells of the
// table within bound of its diagonal are filled (a path leaving that band
// costs bound or more: a cell outside counts as bound), and it stops as
// soon as a row's minimum reaches bound: for a bound of four, a few dozen
// cells a row instead of the whole row, with every declared parameter
// tried against each name set.
func boundedDistance(a, b string, bound int, rows *[2][]int) int {
	if len(a)-len(b) >= bound || len(b)-len(a) >= bound {
		// The distance is at least the difference of the lengths (and
		// the last cell lies outside the band).
		return bound
	}
	if cap(rows[0]) < len(b)+2 {
		rows[0], rows[1] = make([]int, len(b)+2), make([]int, len(b)+2)
	}
	prev, cur := rows[0][:len(b)+2], rows[1][:len(b)+2]
	for j := range prev {
		prev[j] = min(j, bound)
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := max(1, i-bound), min(len(b), i+bound)
		low := bound
		if lo == 1 {
			cur[0] = min(i, bound)
			low = cur[0]
		} else {
			cur[lo-1] = bound
		}
		for j := lo; j <= hi; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost, bound)
			low = min(low, cur[j])
		}
		cur[hi+1] = bound
		if low >= bound {
			return bound
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], bound)
}

// covers reports whether the run checked every YAML file of the tree.
func (v *treeViews) covers(root string, covered map[string]bool) bool {
	for _, abs := range v.treeFiles(root) {
		if !covered[abs] {
			return false
		}
	}
	return true
}

// parameterNames returns the names of declared, and those the parameters
// section of each template of the tree lists (read from its text: a key
// indented two spaces under a top-level "parameters:"), sorted.
func (v *treeViews) parameterNames(root string, declared map[string]bool) []string {
	names := map[string]bool{}
	for n := range declared {
		names[n] = true
	}
	for _, abs := range v.treeFiles(root) {
		src := v.text(abs)
		if !bytes.Contains(src, []byte("heat_template_version")) {
			continue
		}
		in := false
		for _, line := range strings.Split(string(src), "\n") {
			switch {
			case strings.HasPrefix(line, "parameters:"):
				in = true
			case len(line) > 0 && line[0] != ' ' && line[0] != '#':
				in = false
			case in && len(line) > 2 && line[:2] == "  " && line[2] != ' ' && line[2] != '#':
				if k, _, ok := strings.Cut(strings.TrimSpace(line), ":"); ok {
					names[k] = true
				}
			}
		}
	}
	return sortedKeys(names)
}
