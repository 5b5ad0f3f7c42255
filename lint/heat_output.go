package lint

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"hoist/compiler/environment"
	"hoist/compiler/hot"
	"hoist/diag"
	"hoist/pyyaml"
	"hoist/schema"
	"hoist/value"
)

// ---- heat/undefined-output ----------------------------------------------

// undefinedOutput reports get_attr [Res, name, ...] where Res is a
// template resource whose template does not define the output name (a
// template resource's attributes are its template's outputs, and show), or
// an OS::Heat::Value, whose attributes are value and show. Res's type is a
// template path (relative to the template) or a type the tree's
// resource_registry maps (its deployment view: the rendered registry and
// the plan's default environments); Heat fails with "The Referenced
// Attribute (Res name) is incorrect".
type undefinedOutput struct{}

func (undefinedOutput) Meta() Meta {
	return Meta{ID: "heat/undefined-output", Severity: diag.Error, Presets: recommended,
		Summary: "get_attr names an output that the resource's nested template does not define"}
}

type outputFacts struct {
	heatFacts
	// Outputs are the template's outputs, for the templates that nest it.
	Outputs []string `json:"outputs"`
	// Reads are its get_attr calls with a literal resource and attribute.
	Reads []attrRead `json:"reads,omitempty"`
	// Registry is an environment's resource_registry: type → template
	// (absolute), type, or "" for null.
	Registry map[string]string `json:"registry,omitempty"`
}

func (o outputFacts) place() heatFacts { return o.heatFacts }

type attrRead struct {
	// Resource, its Type as written, and the Attribute read.
	Resource, Type, Attribute, Path string
	heatPos
}

func (undefinedOutput) Collect(f *File) any {
	t, _ := heatTemplate(f)
	if t == nil {
		if k, ok := schema.Detect(f.Path, f.Doc.Root); ok && k == schema.Environment {
			facts := outputFacts{heatFacts: placeOf(f), Registry: map[string]string{}}
			rr := value.Get(f.Doc.Root, "resource_registry")
			base := filepath.Dir(facts.Abs)
			if b, ok := value.StringOf(value.Get(rr, "base_url")); ok && !isURL(b) {
				base = joinPath(base, b)
			}
			for _, e := range mapEntries(rr) {
				k := keyString(e.Key)
				if k == "resources" || k == "base_url" {
					continue
				}
				switch s, ok := value.StringOf(e.Val); {
				case e.Val.Kind == value.Null:
					facts.Registry[k] = ""
				case ok && environment.IsTemplatePath(s) && !strings.Contains(s, "::"):
					facts.Registry[k] = refTarget(f.Root, base, s)
				case ok:
					facts.Registry[k] = s
				}
			}
			return facts
		}
		if f.Root == "" {
			return nil
		}
		// Every file of a tree has facts, so that the rule knows which
		// files the run checked.
		return outputFacts{heatFacts: placeOf(f)}
	}
	facts := outputFacts{heatFacts: placeOf(f), Outputs: t.OutputNames()}
	t.Walk(func(s hot.Site) {
		n := s.Node
		if n.Kind != hot.Call || n.Name != "get_attr" || n.Arg.Kind != hot.ListNode || len(n.Arg.Items) < 2 {
			return
		}
		res, attr := n.Arg.Items[0].Val, n.Arg.Items[1].Val
		rn, ok1 := value.StringOf(res)
		an, ok2 := value.StringOf(attr)
		if !ok1 || !ok2 || n.Arg.Items[0].Kind != hot.Scalar || n.Arg.Items[1].Kind != hot.Scalar {
			return
		}
		r, ok := t.Resource(rn)
		if !ok {
			return // template/undefined-resource's
		}
		facts.Reads = append(facts.Reads, attrRead{Resource: rn, Type: r.Type, Attribute: an,
			Path: append(s.Path, value.PathElem{Key: "get_attr"}, value.PathElem{Index: 1, IsIndex: true}).String(), heatPos: posOf(attr)})
	})
	return facts
}

func (u undefinedOutput) CheckTree(facts []Facts, r *Reporter) { u.checkTrees(facts, nil, r) }

func (u undefinedOutput) checkTrees(facts []Facts, v *treeViews, r *Reporter) {
	groups, names, covered := byRoot[outputFacts](facts)
	outputs := map[string][]string{}
	for _, fs := range groups {
		for _, f := range fs {
			if f.Outputs != nil {
				outputs[f.Abs] = f.Outputs
			}
		}
	}
	for _, root := range sortedKeys(groups) {
		var regs []map[string]string
		// The rendered registry and the plan's default environments: the
		// run's facts when it checked the tree's Jinja2 templates, else
		// the tree's deployment view.
		if !v.jinjaChecked(root) {
			if dt := v.deploy(root); dt != nil {
				m := map[string]string{}
				for _, e := range dt.Env().Registry().Entries() {
					if len(e.Path) == 1 {
						m[e.Key] = e.Value
					}
				}
				regs = append(regs, m)
			}
		}

		var types []string
		for _, f := range groups[root] {
			if f.Registry != nil {
				regs = append(regs, f.Registry)
			}
			for _, rd := range f.Reads {
				if !environment.IsTemplatePath(rd.Type) && !slices.Contains(types, rd.Type) {
					types = append(types, rd.Type)
				}
			}
		}
		if len(types) > 0 && root != "" {
			for _, f := range decodeAs[outputFacts](v.others(u, root, covered[root], types)) {
				if f.Registry != nil {
					regs = append(regs, f.Registry)
				}
			}
		}
		for _, f := range groups[root] {
			file := v.display(f.Abs, names[root])
			for _, rd := range f.Reads {
				if rd.Type == "OS::Heat::Value" {
					if rd.Attribute != "value" && rd.Attribute != "show" {
						reportPath(r, 0, rd.heatPos, file, rd.Path, fmt.Sprintf("get_attr reads attribute %q of resource %q, an OS::Heat::Value, which has only \"value\" (and \"show\"); Heat fails with \"The Referenced Attribute (%s %s) is incorrect\"", rd.Attribute, rd.Resource, rd.Resource, rd.Attribute))
					}
					continue
				}
				var targets []string
				via := ""
				if environment.IsTemplatePath(rd.Type) {
					targets = []string{joinPath(filepath.Dir(f.Abs), rd.Type)}
				} else {
					var ok bool
					targets, ok = registryTemplates(rd.Type, regs, 0)
					if !ok || len(targets) == 0 {
						// Some mapping makes it a built-in type (whose
						// attributes only a cloud knows) or no mapping
						// is known.
						continue
					}
					via = fmt.Sprintf(" (every resource_registry of the tree maps %s to a template without it)", rd.Type)
				}
				var lacking []string
				var outs []string
				for _, target := range targets {
					o, ok := outputs[target]
					if !ok {
						o, ok = v.outputsOf(root, target)
						if !ok {
							break // heat/missing-file's, or not a template
						}
						outputs[target] = o
					}
					if rd.Attribute == "show" || slices.Contains(o, rd.Attribute) {
						break
					}
					lacking = append(lacking, target)
					outs = o
				}
				if len(lacking) != len(targets) {
					continue
				}
				if len(targets) == 1 && targets[0] == f.Abs && via != "" {
					reportPath(r, 0, rd.heatPos, file, rd.Path,
						fmt.Sprintf("get_attr reads output %q of resource %q, whose type %s the resource_registry maps to this very template: Heat drops that mapping in the nested stack (its recursion guard), so the type could not be found there, and this template does not define %q either", rd.Attribute, rd.Resource, rd.Type, rd.Attribute))
					continue
				}
				reportPath(r, 0, rd.heatPos, file, rd.Path,
					fmt.Sprintf("get_attr reads output %q of resource %q, but %s does not define it%s; Heat fails with \"The Referenced Attribute (%s %s) is incorrect\"; its outputs are %s%s",
						rd.Attribute, rd.Resource, v.display(lacking[0], names[root]), via, rd.Resource, rd.Attribute, diag.QuoteList(outs), didYouMean(rd.Attribute, outs, "; did you mean %q?")))
			}
		}
	}
}

// registryTemplates returns the templates the registries of a tree map typ
// to (through aliases); false when one of them maps it to a built-in type
// (OS::Heat::None, the plugin itself, null) or none maps it.
func registryTemplates(typ string, regs []map[string]string, depth int) ([]string, bool) {
	if depth > 8 {
		return nil, false
	}
	var out []string
	found := false
	for _, reg := range regs {
		val, ok := reg[typ]
		if !ok {
			continue
		}
		found = true
		switch {
		case val == "" || val == typ:
			return nil, false
		case environment.IsTemplatePath(val) && !strings.Contains(val, "::"):
			if !slices.Contains(out, val) {
				out = append(out, val)
			}
		default:
			ts, ok := registryTemplates(val, regs, depth+1)
			if !ok {
				return nil, false
			}
			for _, t := range ts {
				if !slices.Contains(out, t) {
					out = append(out, t)
				}
			}
		}
	}
	return out, found
}

// outputsOf returns the outputs of the template at abs, read from disk or
// rendered; false when it is no template that loads.
func (v *treeViews) outputsOf(root, abs string) ([]string, bool) {
	if v == nil {
		src, err := readFile(abs, pyyaml.DefaultLimits)
		if err != nil {
			return nil, false
		}
		doc, err := loadDocument(abs, src, pyyaml.DefaultLimits)
		if err != nil {
			return nil, false
		}
		return outputNames(&File{Path: abs, Doc: doc})
	}
	outs, ok := v.templateOutputs(root, abs)
	v.note(readOutputs, root+"\x00"+abs, outputsSum(outs, ok))
	return outs, ok
}

// templateOutputs is outputsOf through the views: the file as the tree
// has it, else as its deployment view renders it.
func (v *treeViews) templateOutputs(root, abs string) ([]string, bool) {
	if f := v.file(root, abs); f != nil {
		return outputNames(f)
	}
	if t := v.trees[root]; t != nil {
		if dt, err := t.deployTree(v.o); err == nil && dt.IsRendered(abs) {
			if t, err := dt.Loader().Template(abs); err == nil {
				return t.OutputNames(), true
			}
		}
	}
	return nil, false
}

func outputNames(f *File) ([]string, bool) {
	t, _ := heatTemplate(f)
	if t == nil {
		return nil, false
	}
	return t.OutputNames(), true
}
