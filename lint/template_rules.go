package lint

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"hoist/diag"
	"hoist/release"
	"hoist/source"
	"hoist/value"
)

// templateVersion checks heat_template_version against the versions of the
// file's release (yaml-validate.py check 3: a branch's templates say its
// alias), leaving alone the templates the release's THT lets declare
// another version (Release.TemplateVersionExceptions). A version the
// release's Heat does not know at all is schema/value's.
type templateVersion struct {
	opts struct {
		// Allowed lists the accepted versions; default: the release's own
		// ("2018-03-02" and "queens" for queens, "2018-08-31" and "rocky"
		// from rocky to train).
		Allowed []string `hcl:"allowed,optional"`
	}
}

func (*templateVersion) Meta() Meta {
	return Meta{ID: "template/version", Severity: diag.Info, Presets: recommended,
		Summary: "heat_template_version is an older version than the release's own (or not one the configuration allows)"}
}

func (r *templateVersion) Options() any { return &r.opts }

func (r *templateVersion) CheckFile(f *File, rep *Reporter) {
	t := TemplateOf(f)
	if t == nil {
		return
	}
	known, own := f.Schema().TemplateVersions()
	allowed := own
	if len(r.opts.Allowed) > 0 {
		allowed = r.opts.Allowed
	}
	s, ok := value.StringOf(t.Version)
	if !ok || !slices.Contains(known, s) || slices.Contains(allowed, s) {
		// Not a version Heat knows: the schema says so (schema/type,
		// schema/value).
		return
	}
	if v, ok := f.Release.TemplateVersionExceptions[f.TreePath()]; ok && v == s && len(r.opts.Allowed) == 0 {
		// THT's own validator lets this template declare that version
		// (the mixed-version pingtest of ci/).
		return
	}
	p := value.Path{}.Key("heat_template_version")
	why := fmt.Sprintf("%s accepts it, but evaluates the template with that version's functions, where a function added later is plain data (heat-intrinsics.md §1.2)", f.Release.Heat)
	if len(r.opts.Allowed) > 0 {
		why = "the configuration of this rule does not allow it"
	}
	list := diag.QuoteList(allowed)
	if len(r.opts.Allowed) == 0 {
		list += ", the versions of " + f.Release.Name
	}
	rep.ReportAt(t.Version, p, fmt.Sprintf("heat_template_version %q is not one of %s: %s", s, list, why))
}

// standardParameters are the parameters the role's ResourceChain passes
// to every service template (tht.md §2.2, heat-intrinsics.md §6.4): the
// same six in every supported release (release.Params.Service), which the
// tree rules, not knowing one file's release, take from the default one.
var standardParameters = release.Default().Params.Service

// unusedParameter is a real reference analysis in place of
// yaml-validate.py's text search (check 4).
type unusedParameter struct {
	opts struct {
		// Ignore lists parameters never reported; default: the six that
		// every service template must declare.
		Ignore []string `hcl:"ignore,optional"`
	}
}

func (*unusedParameter) Meta() Meta {
	return Meta{ID: "template/unused-parameter", Severity: diag.Warning, Presets: recommended,
		Summary: "a parameter is declared but no get_param in resources, outputs or conditions reads it"}
}

func (r *unusedParameter) Options() any { return &r.opts }

func (r *unusedParameter) CheckFile(f *File, rep *Reporter) {
	t := TemplateOf(f)
	if t == nil || t.Parameters == nil {
		return
	}
	ignore := f.Release.Params.Service
	if r.opts.Ignore != nil {
		ignore = r.opts.Ignore
	}
	used := map[string]bool{}
	for _, p := range collectRefs(t).params {
		used[p.Name] = true
	}
	deprecated := deprecatedParameters(t)
	for _, e := range mapEntries(t.Parameters) {
		name := keyString(e.Key)
		if used[name] || slices.Contains(ignore, name) || deprecated[name] {
			continue
		}
		rep.ReportAt(e.Key, value.Path{}.Key("parameters").Key(name),
			fmt.Sprintf("parameter %q is declared but never used: no get_param in resources, outputs or conditions reads it", name))
	}
}

// deprecatedParameters returns the parameters listed in a parameter group
// labelled "deprecated": TripleO keeps them declared on purpose, so that
// its deprecation check can warn users who still set them.
func deprecatedParameters(t *Template) map[string]bool {
	out := map[string]bool{}
	if t.ParameterGroups == nil || t.ParameterGroups.Kind != value.List {
		return out
	}
	for _, g := range t.ParameterGroups.List {
		if l, _ := value.StringOf(value.Get(g, "label")); strings.EqualFold(l, "deprecated") {
			if ps := value.Get(g, "parameters"); ps != nil && ps.Kind == value.List {
				for _, p := range ps.List {
					if s, ok := value.StringOf(p); ok {
						out[s] = true
					}
				}
			}
		}
	}
	return out
}

// undefinedParameter reports get_param of a parameter the template does
// not declare.
type undefinedParameter struct{}

func (undefinedParameter) Meta() Meta {
	return Meta{ID: "template/undefined-parameter", Severity: diag.Error, Lower: diag.Warning, Presets: recommended,
		Summary: "get_param reads a parameter the template does not declare"}
}

func (undefinedParameter) CheckFile(f *File, rep *Reporter) {
	t := TemplateOf(f)
	if t == nil {
		return
	}
	declared := map[string]bool{}
	var names []string
	for _, e := range mapEntries(t.Parameters) {
		declared[keyString(e.Key)] = true
		names = append(names, keyString(e.Key))
	}
	rs := collectRefs(t)
	var undeclared []ref
	for _, p := range rs.params {
		if !declared[p.Name] && !pseudoParameters[p.Name] {
			undeclared = append(undeclared, p)
		}
	}
	var used map[string]bool
	for _, p := range byPlace(undeclared) {
		msg := fmt.Sprintf("get_param reads parameter %q, which this template does not declare; Heat fails with \"The Parameter (%s) was not provided\" when it evaluates this%s",
			p.Name, p.Name, suggest(p.Name, names))
		// Heat resolves a condition when something uses it: a get_param
		// only in conditions nothing uses is latent (queens
		// ceilometer-base.yaml).
		latent := ""
		for _, r := range p.all {
			cond, ok := inCondition(r.Path)
			if !ok {
				latent = ""
				break
			}
			if used == nil {
				used = rs.usedConditions()
			}
			if used[cond] {
				latent = ""
				break
			}
			if latent == "" {
				latent = cond
			}
		}
		if latent != "" {
			rep.ReportAs(diag.Warning, p.At.Range, p.Path, msg+fmt.Sprintf(", but nothing in this template uses condition %q, so Heat never evaluates it", latent), p.related...)
			continue
		}
		rep.Report(p.At.Range, p.Path, msg, p.related...)
	}
}

// inCondition returns the condition whose definition path p is in.
func inCondition(p value.Path) (string, bool) {
	if len(p) >= 2 && !p[0].IsIndex && p[0].Key == "conditions" && !p[1].IsIndex {
		return p[1].Key, true
	}
	return "", false
}

// usedConditions returns the conditions that resources and outputs use,
// directly or through other conditions.
func (r *refs) usedConditions() map[string]bool {
	used := map[string]bool{}
	var queue []string
	for _, c := range r.conditions {
		if _, in := inCondition(c.Path); !in && !used[c.Name] {
			used[c.Name] = true
			queue = append(queue, c.Name)
		}
	}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		for _, c := range r.conditions {
			if from, in := inCondition(c.Path); in && from == name && !used[c.Name] {
				used[c.Name] = true
				queue = append(queue, c.Name)
			}
		}
	}
	return used
}

// undefinedResource reports get_attr, get_resource and depends_on naming a
// resource the template does not define.
type undefinedResource struct{}

func (undefinedResource) Meta() Meta {
	return Meta{ID: "template/undefined-resource", Severity: diag.Error, Presets: recommended,
		Summary: "get_attr, get_resource or depends_on names a resource the template does not define"}
}

func (undefinedResource) CheckFile(f *File, rep *Reporter) {
	t := TemplateOf(f)
	if t == nil {
		return
	}
	defined := map[string]bool{}
	var names []string
	for _, e := range mapEntries(t.Resources) {
		defined[keyString(e.Key)] = true
		names = append(names, keyString(e.Key))
	}
	var undefined []ref
	for _, p := range collectRefs(t).resources {
		if !defined[p.Name] {
			undefined = append(undefined, p)
		}
	}
	for _, p := range byPlace(undefined) {
		rep.Report(p.At.Range, p.Path, fmt.Sprintf("resource %q is not defined in this template; Heat fails with \"The specified reference %q is incorrect\" when it evaluates this%s",
			p.Name, p.Name, suggest(p.Name, names)), p.related...)
	}
}

// undefinedCondition reports condition names that are not defined, and
// condition definitions Heat refuses.
type undefinedCondition struct{}

func (undefinedCondition) Meta() Meta {
	return Meta{ID: "template/undefined-condition", Severity: diag.Error, Presets: recommended,
		Summary: "an if, not, and, or or condition attribute names a condition the template does not define"}
}

func (undefinedCondition) CheckFile(f *File, rep *Reporter) {
	t := TemplateOf(f)
	if t == nil {
		return
	}
	defined := map[string]bool{}
	var names []string
	for _, e := range mapEntries(t.Conditions) {
		name := keyString(e.Key)
		defined[name] = true
		names = append(names, name)
		if e.Val.Kind == value.String {
			rep.ReportAt(e.Val, value.Path{}.Key("conditions").Key(name),
				fmt.Sprintf("condition %q is defined as the bare string %q; a definition must be a boolean or a condition function (equals, not, and, or, get_param, yaql, contains)", name, e.Val.Str))
		}
	}
	var undefined []ref
	for _, p := range collectRefs(t).conditions {
		if !defined[p.Name] {
			undefined = append(undefined, p)
		}
	}
	for _, p := range byPlace(undefined) {
		rep.Report(p.At.Range, p.Path, fmt.Sprintf("condition %q is not defined in this template's conditions; Heat fails with \"Invalid condition %q\" when it parses this%s",
			p.Name, p.Name, suggest(p.Name, names)), p.related...)
	}
}

func suggest(s string, names []string) string {
	if d := didYouMean(s, names, "; did you mean %q?"); d != "" {
		return d
	}
	return ""
}

// deploymentTypes are the resource types tripleo's config-download names
// deployments by (yaml-validate.py check 5).
var deploymentTypes = map[string]bool{
	"OS::Heat::SoftwareDeployment": true, "OS::Heat::SoftwareDeployments": true, "OS::Heat::SoftwareDeploymentGroup": true,
	"OS::Heat::StructuredDeployment": true, "OS::Heat::StructuredDeployments": true, "OS::Heat::StructuredDeploymentGroup": true,
	"OS::TripleO::SoftwareDeployment": true,
}

type deploymentName struct{}

func (deploymentName) Meta() Meta {
	return Meta{ID: "template/deployment-name", Severity: diag.Warning, Presets: recommended,
		Summary: "a software or structured deployment resource has no name property"}
}

func (deploymentName) CheckFile(f *File, rep *Reporter) {
	t := TemplateOf(f)
	if t == nil {
		return
	}
	for _, e := range mapEntries(t.Resources) {
		typ, _ := value.StringOf(value.Get(e.Val, "type"))
		if !deploymentTypes[typ] {
			continue
		}
		if value.Get(value.Get(e.Val, "properties"), "name") != nil {
			continue
		}
		name := keyString(e.Key)
		rep.ReportAt(e.Key, value.Path{}.Key("resources").Key(name),
			fmt.Sprintf("deployment resource %q (%s) has no name property; config-download names the deployment's tasks and files after it", name, typ))
	}
}

type oldNicConfig struct{}

func (oldNicConfig) Meta() Meta {
	return Meta{ID: "template/old-nic-config", Severity: diag.Error, Presets: recommended,
		Summary: "a NIC configuration uses the old os-apply-config StructuredConfig format"}
}

func (oldNicConfig) CheckFile(f *File, rep *Reporter) {
	t := TemplateOf(f)
	if t == nil {
		return
	}
	for _, e := range mapEntries(t.Resources) {
		if typ, _ := value.StringOf(value.Get(e.Val, "type")); typ != "OS::Heat::StructuredConfig" {
			continue
		}
		props := value.Get(e.Val, "properties")
		if g, _ := value.StringOf(value.Get(props, "group")); g != "os-apply-config" {
			continue
		}
		if value.Get(value.Get(props, "config"), "os_net_config") == nil {
			continue
		}
		name := keyString(e.Key)
		rep.ReportAt(value.Get(props, "group"), value.Path{}.Key("resources").Key(name).Key("properties").Key("group"),
			fmt.Sprintf("resource %q configures os-net-config through an os-apply-config StructuredConfig, the old NIC config format; use an OS::Heat::SoftwareConfig with group script running run-os-net-config.sh", name))
	}
}

// parameterMismatch is yaml-validate.py's check 7: a parameter defined in
// several files must be defined alike, since parameter_defaults give every
// template declaring the name the same value.
type parameterMismatch struct {
	opts struct {
		// Ignore lists parameters whose definitions may differ; default:
		// the six every role passes to its services explicitly, whose
		// defaults never apply.
		Ignore []string `hcl:"ignore,optional"`
	}
}

func (*parameterMismatch) Meta() Meta {
	return Meta{ID: "template/parameter-mismatch", Severity: diag.Warning, Presets: recommended,
		Summary: "a parameter name is declared with a different type or default in another template"}
}

func (r *parameterMismatch) Options() any { return &r.opts }

type paramDef struct {
	Name    string
	Type    string
	Default string // Python json.dumps of the default, "" when none
	Line    int32
	Col     int32
	// Origin is, in a Jinja2 template's output, the template line that
	// wrote the declaration ("network/network.j2:8"), "" elsewhere.
	Origin string `json:",omitempty"`
}

func (*parameterMismatch) Collect(f *File) any {
	t := TemplateOf(f)
	if t == nil || t.Parameters == nil {
		return nil
	}
	var out []paramDef
	for _, e := range mapEntries(t.Parameters) {
		d := paramDef{Name: keyString(e.Key), Line: e.Key.Range.Start.Line, Col: e.Key.Range.Start.Col}
		d.Origin = f.origin(d.Line, d.Col)
		d.Type, _ = value.StringOf(value.Get(e.Val, "type"))
		if def := value.Get(e.Val, "default"); def != nil {
			d.Default = value.Dumps(def)
		}
		out = append(out, d)
	}
	return out
}

func (r *parameterMismatch) CheckTree(facts []Facts, rep *Reporter) {
	type site struct {
		file string
		def  paramDef
	}
	by := map[string][]site{}
	var order []string
	for _, f := range facts {
		var defs []paramDef
		if err := f.Decode(&defs); err != nil {
			continue
		}
		for _, d := range defs {
			ignore := r.opts.Ignore
			if ignore == nil {
				ignore = standardParameters
			}
			if slices.Contains(ignore, d.Name) {
				continue
			}
			if _, ok := by[d.Name]; !ok {
				order = append(order, d.Name)
			}
			by[d.Name] = append(by[d.Name], site{f.File, d})
		}
	}
	for _, name := range order {
		sites := by[name]
		if len(sites) < 2 {
			continue
		}
		// The most common (type, default) is the reference; ties go to
		// the first seen.
		count := map[[2]string]int{}
		var forms [][2]string
		for _, s := range sites {
			k := [2]string{s.def.Type, s.def.Default}
			if count[k] == 0 {
				forms = append(forms, k)
			}
			count[k]++
		}
		if len(forms) < 2 {
			continue
		}
		ref := forms[0]
		for _, k := range forms {
			if count[k] > count[ref] {
				ref = k
			}
		}
		var refSite site
		for _, s := range sites {
			if [2]string{s.def.Type, s.def.Default} == ref {
				refSite = s
				break
			}
		}
		refOrigins := map[string]bool{}
		for _, s := range sites {
			if s.def.Origin != "" && [2]string{s.def.Type, s.def.Default} == ref {
				refOrigins[s.def.Origin] = true
			}
		}
		for _, s := range sites {
			k := [2]string{s.def.Type, s.def.Default}
			if k == ref || refOrigins[s.def.Origin] {
				// A template line that writes both definitions, in two
				// of its renders, is made to (network.j2 declares
				// ExternalNetCidr with an IPv4 default in
				// network/external.yaml and an IPv6 one in
				// network/external_v6.yaml): no slip to report.
				continue
			}
			var what []string
			if k[0] != ref[0] {
				what = append(what, fmt.Sprintf("type %q instead of %q", k[0], ref[0]))
			}
			if k[1] != ref[1] {
				what = append(what, fmt.Sprintf("default %s instead of %s", showDefault(k[1]), showDefault(ref[1])))
			}
			rep.Report(source.Range{File: s.file, Start: source.Pos{Line: s.def.Line, Col: s.def.Col}}, value.Path{}.Key("parameters").Key(name),
				fmt.Sprintf("parameter %q is declared with %s, unlike %d of the %d templates that declare it; parameter_defaults give them all one value", name, strings.Join(what, " and "), count[ref], len(sites)),
				diag.Related{Range: source.Range{File: refSite.file, Start: source.Pos{Line: refSite.def.Line, Col: refSite.def.Col}}, Message: fmt.Sprintf("%q is declared with type %q and default %s here", name, ref[0], showDefault(ref[1]))})
		}
	}
}

func showDefault(d string) string {
	if d == "" {
		return "none"
	}
	if len(d) > 60 {
		d = d[:57] + "..."
	}
	return d
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// functionKey reports a key that names an intrinsic function, with a value
// shaped like that function's arguments, in a map with other keys, where Heat evaluates functions (resources, outputs,
// conditions). Heat calls a function only for a map with exactly that one
// key (heat-intrinsics.md §1.3); with others beside it, the map is data and
// the key is a key like any other, so whoever reads the map gets a key
// named "map_merge" and the arguments unmerged (THT stein's and train's
// cinder-api service_config_settings: the aggregation reads only keys that
// name a service, so the fluentd settings under it never reach a node).
// A key whose value cannot be the function's arguments is data on
// purpose (the filter option of Ansible's setup module, train's
// swift-storage), and is left alone. The schema leaves such entries to
// this rule.
type functionKey struct{}

func (functionKey) Meta() Meta {
	return Meta{ID: "template/function-key", Severity: diag.Warning, Presets: recommended,
		Summary: "a key names an intrinsic function in a map with other keys, so Heat reads it as data, not as a call"}
}

func (functionKey) CheckFile(f *File, rep *Reporter) {
	t := TemplateOf(f)
	if t == nil {
		return
	}
	s := f.Schema()
	var p pathStack
	var visit func(v *value.Value, cond bool)
	visit = func(v *value.Value, cond bool) {
		if v == nil {
			return
		}
		isFn := s.IsFunction
		if cond {
			isFn = s.IsConditionFunction
		}
		switch v.Kind {
		case value.List:
			for i, it := range v.List {
				p.index(i)
				visit(it, cond)
				p.pop()
			}
		case value.Map:
			ents := v.Map.Entries()
			if len(ents) == 1 && ents[0].Key.Kind == value.String && isFn(ents[0].Key.Str) {
				name, args := ents[0].Key.Str, ents[0].Val
				p.key(name)
				defer p.pop()
				if name == "if" && args.Kind == value.List && len(args.List) > 0 {
					for i, it := range args.List {
						p.index(i)
						visit(it, i == 0)
						p.pop()
					}
					return
				}
				visit(args, cond)
				return
			}
			for _, e := range ents {
				k := keyString(e.Key)
				p.key(k)
				if len(ents) > 1 && e.Key.Kind == value.String && isFn(k) && argumentShaped(k, e.Val) {
					rep.ReportAt(e.Key, p.path(), fmt.Sprintf("%q is one of %d keys of this map, so Heat does not call it: a function call is a map with that one key; Heat passes the map on as data, with a key named %q whose value is the would-be arguments (functions inside them are still evaluated)", k, len(ents), k))
				}
				visit(e.Val, cond)
				p.pop()
			}
		}
	}
	for _, sec := range []struct {
		name string
		v    *value.Value
	}{{"resources", t.Resources}, {"outputs", t.Outputs}} {
		p.key(sec.name)
		for _, e := range mapEntries(sec.v) {
			p.key(keyString(e.Key))
			for _, a := range mapEntries(e.Val) {
				k := keyString(a.Key)
				p.key(k)
				visit(a.Val, k == "condition")
				p.pop()
			}
			p.pop()
		}
		p.pop()
	}
	p.key("conditions")
	for _, e := range mapEntries(t.Conditions) {
		p.key(keyString(e.Key))
		visit(e.Val, true)
		p.pop()
	}
}

// argumentShaped reports whether v has the shape of the arguments of the
// function name (heat-intrinsics.md §2): what its author meant as a call.
func argumentShaped(name string, v *value.Value) bool {
	n := -1
	if v != nil && v.Kind == value.List {
		n = len(v.List)
	}
	has := func(keys ...string) bool {
		if v == nil || v.Kind != value.Map {
			return false
		}
		for _, k := range keys {
			if !v.Map.Has(k) {
				return false
			}
		}
		return true
	}
	switch name {
	case "get_attr", "list_join":
		return n >= 2
	case "digest", "filter", "contains", "equals", "map_replace":
		return n == 2
	case "str_split":
		return n == 2 || n == 3
	case "if":
		return n == 3
	case "map_merge", "list_concat", "list_concat_unique", "and", "or":
		return n >= 0
	case "str_replace", "str_replace_strict", "str_replace_vstrict":
		return has("template", "params")
	case "repeat":
		return has("for_each", "template")
	case "yaql":
		return has("expression")
	case "make_url":
		return v != nil && v.Kind == value.Map
	case "get_param":
		return v != nil && (v.Kind == value.String || n >= 1)
	case "get_file", "get_resource", "resource_facade":
		return v != nil && v.Kind == value.String
	}
	return true // not: any value
}
