package lint

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"hoist/diag"
	"hoist/source"
	"hoist/value"
)

// upgradeTaskKeys are the task lists whose conventions THT checks (U1).
var upgradeTaskKeys = []string{"upgrade_tasks", "fast_forward_upgrade_tasks", "fast_forward_post_upgrade_tasks"}

type upgradeTaskTags struct{}

func (upgradeTaskTags) Meta() Meta {
	return Meta{ID: "tasks/upgrade-tags", Severity: diag.Warning, Presets: recommended,
		Summary: "an upgrade task has a tag the upgrade workflow does not select tasks by (queens, rocky)"}
}

// upgradeTasks returns the tasks written out in the upgrade task lists.
func upgradeTasks(s *Service) []located {
	var out []located
	for _, k := range upgradeTaskKeys {
		v, p := s.Key(k)
		items, _ := listItems(v, p)
		out = append(out, items...)
	}
	return out
}

// CheckService checks the tags against the release's
// (release.RoleData.UpgradeTags: queens and rocky; none from stein, whose
// upgrade commands select tasks by tags of their own).
func (upgradeTaskTags) CheckService(s *Service, r *Reporter) {
	upgradeTags := s.File.Release.RoleData.UpgradeTags
	if len(upgradeTags) == 0 {
		return
	}
	for _, t := range upgradeTasks(s) {
		tags := value.Get(t.V, "tags")
		if tags == nil {
			continue
		}
		var bad []*value.Value
		switch tags.Kind {
		case value.String:
			if !slices.Contains(upgradeTags, tags.Str) {
				bad = append(bad, tags)
			}
		case value.List:
			for _, it := range tags.List {
				if s, ok := value.StringOf(it); !ok || !slices.Contains(upgradeTags, s) {
					bad = append(bad, it)
				}
			}
		default:
			bad = append(bad, tags)
		}
		for _, b := range bad {
			r.ReportAt(b, t.P.Key("tags"), fmt.Sprintf("upgrade task tag %s is not one the upgrade workflow runs by; expected %s", show(b), diag.QuoteList(upgradeTags)))
		}
	}
}

var stepTest = regexp.MustCompile(`step\|int\s`)
var stepEquals = regexp.MustCompile(`step\|int\s*==`)

type upgradeStepFirst struct{}

func (upgradeStepFirst) Meta() Meta {
	return Meta{ID: "tasks/step-condition-first", Severity: diag.Warning, Presets: recommended,
		Summary: "an upgrade task's when list tests the step, but not first"}
}

func (upgradeStepFirst) CheckService(s *Service, r *Reporter) {
	for _, t := range upgradeTasks(s) {
		if value.Get(t.V, "tags") != nil {
			continue
		}
		when := value.Get(t.V, "when")
		if when == nil || when.Kind != value.List || len(when.List) == 0 {
			continue
		}
		mentions := false
		for _, c := range when.List {
			if cs, ok := value.StringOf(c); ok && stepTest.MatchString(cs+" ") {
				mentions = true
			}
		}
		if !mentions {
			continue
		}
		if first, ok := value.StringOf(when.List[0]); ok && stepEquals.MatchString(first) {
			continue
		}
		r.ReportAt(when.List[0], t.P.Key("when").Index(0), fmt.Sprintf("the first condition of this when list is %s, not the step test (\"step|int == N\"); the upgrade playbook runs every task at every step, and Ansible checks the conditions in order, so later ones are evaluated (and may fail on facts set at a later step) before the step skips the task", show(when.List[0])))
	}
}

type whenAndString struct{}

func (whenAndString) Meta() Meta {
	return Meta{ID: "tasks/when-and-string", Severity: diag.Info, Presets: strictOnly,
		Summary: "an upgrade task's when is one string joined with and; a list reads better and is checked by tasks/step-condition-first"}
}

func (whenAndString) CheckService(s *Service, r *Reporter) {
	for _, t := range upgradeTasks(s) {
		w, ok := value.StringOf(value.Get(t.V, "when"))
		if !ok || !strings.Contains(w, " and ") || strings.Contains(w, " or ") {
			continue
		}
		parts := strings.Split(w, " and ")
		r.ReportAt(value.Get(t.V, "when"), t.P.Key("when"), fmt.Sprintf("when %q joins %d conditions with \"and\"; write them as a list, step test first", w, len(parts)))
	}
}

// deprecatedServicesDocker: environments/services-docker is replaced by
// environments/services (check 1).
type deprecatedServicesDocker struct{}

func (deprecatedServicesDocker) Meta() Meta {
	return Meta{ID: "tht/deprecated-environment", Severity: diag.Warning, Presets: recommended,
		Summary: "a file lives in environments/services-docker, which queens deprecates for environments/services"}
}

func (deprecatedServicesDocker) CheckFile(f *File, r *Reporter) {
	p := slashPath(f.Path)
	if !strings.Contains(p, "/environments/services-docker/") {
		return
	}
	alt := strings.Replace(f.Path, "services-docker", "services", 1)
	r.Report(source.Range{File: f.Path, Start: source.Pos{Line: 1, Col: 1}}, nil,
		fmt.Sprintf("environments/services-docker is deprecated since queens made containers the default; use %s instead", alt))
}

// endpointMapDrift: environments that set parameter_defaults.EndpointMap
// must list the same endpoints as network/endpoints/endpoint_map.yaml
// (check 8).
type endpointMapDrift struct{}

func (endpointMapDrift) Meta() Meta {
	return Meta{ID: "tht/endpoint-map-drift", Severity: diag.Warning, Presets: recommended,
		Summary: "an environment's EndpointMap lists other endpoints than network/endpoints/endpoint_map.yaml"}
}

type endpointFacts struct {
	Defaults bool // endpoint_map.yaml's parameter default
	Keys     []string
	Line     int32
	Col      int32
}

func (endpointMapDrift) Collect(f *File) any {
	root := f.Doc.Root
	if strings.HasSuffix(slashPath(f.Path), "/network/endpoints/endpoint_map.yaml") {
		def := value.Get(value.Get(value.Get(root, "parameters"), "EndpointMap"), "default")
		if def == nil || def.Kind != value.Map {
			return nil
		}
		return endpointFacts{Defaults: true, Keys: keysOf(def), Line: def.Range.Start.Line, Col: def.Range.Start.Col}
	}
	em := value.Get(value.Get(root, "parameter_defaults"), "EndpointMap")
	if em == nil || em.Kind != value.Map {
		return nil
	}
	k := keyOf(value.Get(root, "parameter_defaults"), "EndpointMap")
	return endpointFacts{Keys: keysOf(em), Line: k.Range.Start.Line, Col: k.Range.Start.Col}
}

func keysOf(m *value.Value) []string {
	var out []string
	for _, e := range mapEntries(m) {
		out = append(out, keyString(e.Key))
	}
	return out
}

func (endpointMapDrift) CheckTree(facts []Facts, r *Reporter) {
	var ref *endpointFacts
	var refFile string
	all := make([]endpointFacts, len(facts))
	for i, f := range facts {
		if f.Decode(&all[i]) == nil && all[i].Defaults && ref == nil {
			ref, refFile = &all[i], f.File
		}
	}
	if ref == nil {
		return
	}
	want := map[string]bool{}
	for _, k := range ref.Keys {
		want[k] = true
	}
	for i, f := range facts {
		ef := all[i]
		if ef.Defaults {
			continue
		}
		have := map[string]bool{}
		var extra, missing []string
		for _, k := range ef.Keys {
			have[k] = true
			if !want[k] {
				extra = append(extra, k)
			}
		}
		for _, k := range ref.Keys {
			if !have[k] {
				missing = append(missing, k)
			}
		}
		if len(extra)+len(missing) == 0 {
			continue
		}
		var what []string
		if len(missing) > 0 {
			what = append(what, fmt.Sprintf("lacks %s", listSome(missing)))
		}
		if len(extra) > 0 {
			what = append(what, fmt.Sprintf("has %s, which endpoint_map.yaml does not define", listSome(extra)))
		}
		r.Report(source.Range{File: f.File, Start: source.Pos{Line: ef.Line, Col: ef.Col}}, value.Path{}.Key("parameter_defaults").Key("EndpointMap"),
			fmt.Sprintf("this EndpointMap %s; parameter_defaults replace the whole map, so every endpoint must be listed", strings.Join(what, " and ")),
			diag.Related{Range: source.Range{File: refFile, Start: source.Pos{Line: ref.Line, Col: ref.Col}}, Message: "the endpoints are defined here"})
	}
}

// listSome quotes up to five items, joined with "and".
func listSome(items []string) string {
	n := min(len(items), 5)
	q := make([]string, n)
	for i := range q {
		q[i] = fmt.Sprintf("%q", items[i])
	}
	if len(items) > n {
		return strings.Join(q, ", ") + fmt.Sprintf(" and %d more", len(items)-n)
	}
	if n == 1 {
		return q[0]
	}
	return strings.Join(q[:n-1], ", ") + " and " + q[n-1]
}

// roleFileName: roles/X.yaml holds role X (check 26).
type roleFileName struct{}

func (roleFileName) Meta() Meta {
	return Meta{ID: "roles/name-mismatch", Severity: diag.Warning, Presets: recommended,
		Summary: "a roles/<Name>.yaml file defines a role of another name"}
}

func (roleFileName) CheckFile(f *File, r *Reporter) {
	p := slashPath(f.Path)
	if !strings.Contains(p, "/roles/") || f.Doc.Root == nil || f.Doc.Root.Kind != value.List || len(f.Doc.Root.List) == 0 {
		return
	}
	base := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(f.Path), ".yaml"), ".yml")
	name := value.Get(f.Doc.Root.List[0], "name")
	s, ok := value.StringOf(name)
	if !ok || s == base {
		return
	}
	r.ReportAt(name, value.Path{}.Index(0).Key("name"), fmt.Sprintf("role %q is defined in %s; roles_data.yaml is generated by concatenating roles/<Name>.yaml, so the file must be named %s.yaml", s, filepath.Base(f.Path), s))
}

// networkDataVariant: every network_data_*.yaml extends network_data.yaml
// of its folder without changing its networks (check 28), except those
// the release's THT holds another layout in (release.NetworkDataLayouts:
// *routed.yaml from rocky, openshift.yaml in rocky and stein,
// undercloud.yaml from stein), as its own validator exempts them.
type networkDataVariant struct{}

func (networkDataVariant) Meta() Meta {
	return Meta{ID: "network/data-variant-drift", Severity: diag.Warning, Presets: recommended,
		Summary: "a network_data_*.yaml variant lacks or changes a network of network_data.yaml beside it"}
}

type networkFacts struct {
	Base     bool
	Dir      string
	Networks map[string]string // name → canonical JSON
	Order    []string
	Line     int32
	Col      int32
}

func (networkDataVariant) Collect(f *File) any {
	base := filepath.Base(f.Path)
	isBase := base == "network_data.yaml"
	if !isBase && !(strings.HasPrefix(base, "network_data_") && isYAML(base)) {
		return nil
	}
	for _, suffix := range f.Release.NetworkDataLayouts {
		if !isBase && strings.HasSuffix(base, suffix) {
			return nil // another layout, not a variant of the default
		}
	}
	root := f.Doc.Root
	if root == nil || root.Kind != value.List {
		return nil
	}
	nf := networkFacts{Base: isBase, Dir: filepath.Dir(f.Path), Networks: map[string]string{}, Line: root.Range.Start.Line, Col: root.Range.Start.Col}
	for _, n := range root.List {
		name, ok := value.StringOf(value.Get(n, "name"))
		if !ok {
			continue
		}
		nf.Networks[name] = value.Dumps(n)
		nf.Order = append(nf.Order, name)
	}
	return nf
}

func (networkDataVariant) CheckTree(facts []Facts, r *Reporter) {
	all := make([]networkFacts, len(facts))
	bases := map[string]int{}
	for i, f := range facts {
		if f.Decode(&all[i]) == nil && all[i].Base {
			bases[all[i].Dir] = i
		}
	}
	for i, f := range facts {
		v := all[i]
		bi, ok := bases[v.Dir]
		if v.Base || !ok {
			continue
		}
		b := all[bi]
		for _, name := range b.Order {
			got, ok := v.Networks[name]
			msg := ""
			switch {
			case !ok:
				msg = fmt.Sprintf("network %q of network_data.yaml is missing from this variant; a variant adds networks to the default set, it does not drop them", name)
			case got != b.Networks[name]:
				msg = fmt.Sprintf("network %q differs from its definition in network_data.yaml; a variant adds networks to the default set, it does not change them", name)
			default:
				continue
			}
			r.Report(source.Range{File: f.File, Start: source.Pos{Line: v.Line, Col: v.Col}}, nil, msg,
				diag.Related{Range: source.Range{File: facts[bi].File, Start: source.Pos{Line: b.Line, Col: b.Col}}, Message: "the default networks are defined here"})
		}
	}
}
