// Package hot holds Heat Orchestration Templates as Heat's engine saw them:
// template versions and their function tables, the sections of a template,
// the parse of one-key mappings into function calls, parameters (types,
// defaults, constraints, coercions), conditions, outputs, and the
// evaluation of every intrinsic function with the semantics of queens-era
// Heat (heat_template_version up to rocky).
//
// A Template is parsed once and is immutable; a Scope is one instance of a
// template (a stack) with its parameter values, its conditions and access
// to its resources through the Resources interface, which the stack layer
// (package compiler/stack) implements.
package hot

import (
	"fmt"
	"slices"
	"sort"

	"hoist/diag"
	"hoist/source"
	"hoist/value"
)

// Rule ids of the diagnostics this package reports.
const (
	RuleTemplate  = "hot/template"
	RuleFunction  = "hot/function"
	RuleParameter = "hot/parameter"
	RuleCondition = "hot/condition"
	RuleResource  = "hot/resource"
	RuleOutput    = "hot/output"
	RuleYaql      = "hot/yaql"
)

// Template is one parsed HOT template.
type Template struct {
	// File is the name diagnostics show for it.
	File string
	// Root is the loaded document.
	Root *value.Value
	// Version is the heat_template_version.
	Version *Version
	// Description is the description section, when it is a string.
	Description string

	// Params lists the declared parameters in the order written.
	Params []*Param
	params map[string]*Param

	// Conditions lists the conditions section in the order written.
	Conditions []*Condition
	conds      map[string]*Condition
	// condsSection is the conditions section as written (for errors).
	condsSection *value.Value
	condsErr     *diag.Diagnostic

	// Resources lists the resources in the order written.
	Resources []*Resource
	resources map[string]*Resource

	// Outputs lists the outputs in the order written.
	Outputs []*Output
	outputs map[string]*Output
}

// Condition is one entry of the conditions section.
type Condition struct {
	Name      string
	NameRange source.Range
	// Def is the definition parsed with the condition table.
	Def *Node
}

// Resource is one entry of the resources section.
type Resource struct {
	Name      string
	NameRange source.Range
	// Def is the resource definition as written.
	Def *value.Value
	// Type is the type string and TypeValue where it is written.
	Type      string
	TypeValue *value.Value
	// Properties is the parsed properties section, nil when absent.
	Properties *Node
	// Condition is the parsed condition:, nil when absent.
	Condition *Node
	// ExternalID is the parsed external_id:, nil when absent.
	ExternalID *Node
	// Metadata, UpdatePolicy and DeletionPolicy are parsed, nil when absent.
	Metadata, UpdatePolicy, DeletionPolicy *Node
	// DependsOn lists the depends_on names.
	DependsOn []string
}

// Output is one entry of the outputs section.
type Output struct {
	Name      string
	NameRange source.Range
	Def       *value.Value
	// Value is the parsed value:.
	Value *Node
	// Condition is the parsed condition:, nil when absent.
	Condition   *Node
	Description string
}

// Param returns the declared parameter name.
func (t *Template) Param(name string) (*Param, bool) {
	p, ok := t.params[name]
	return p, ok
}

// Resource returns the resource name.
func (t *Template) Resource(name string) (*Resource, bool) {
	r, ok := t.resources[name]
	return r, ok
}

// Output returns the output name.
func (t *Template) Output(name string) (*Output, bool) {
	o, ok := t.outputs[name]
	return o, ok
}

// Condition returns the condition name.
func (t *Template) Condition(name string) (*Condition, bool) {
	c, ok := t.conds[name]
	return c, ok
}

// OutputNames lists the outputs in the order written.
func (t *Template) OutputNames() []string {
	out := make([]string, len(t.Outputs))
	for i, o := range t.Outputs {
		out[i] = o.Name
	}
	return out
}

func (t *Template) errorf(r source.Range, rule, format string, args ...any) *diag.Diagnostic {
	if r.File == "" {
		r.File = t.File
	}
	return diag.Newf(diag.Error, rule, r, format, args...)
}

// Parse builds a Template from a loaded document. It reports the first
// structural error: a missing or unknown version, an unknown section, a
// malformed parameter, resource or output definition. Errors in function
// arguments are kept in the parsed nodes and reported when evaluated.
func Parse(file string, root *value.Value) (*Template, error) {
	t := &Template{File: file, Root: root}
	if value.KindOf(root) != value.Map {
		r := source.Range{File: file}
		if root != nil {
			r = root.Range
		}
		return nil, t.errorf(r, RuleTemplate, "a template must be a mapping with heat_template_version, not %s", describe(root))
	}
	if err := t.parseVersion(root); err != nil {
		return nil, err
	}
	sections := []string{"heat_template_version", "description", "parameter_groups", "parameters", "resources", "outputs"}
	if t.Version.Conditions {
		sections = append(sections, "conditions")
	}
	for _, e := range root.Map.Entries() {
		k := value.Str(e.Key)
		if e.Key.Kind != value.String || !slices.Contains(sections, k) {
			return nil, t.errorf(e.Key.Range, RuleTemplate, "unknown template section %q; %s templates have %s", k, t.Version.Date, diag.QuoteList(sections))
		}
	}
	if d, ok := root.Map.Get("description"); ok && d.Kind == value.String {
		t.Description = d.Str
	}
	p := &parser{version: t.Version, file: file}
	if err := t.parseParams(root); err != nil {
		return nil, err
	}
	if t.Version.Conditions {
		t.parseConditions(p, root)
	}
	if err := t.parseResources(p, root); err != nil {
		return nil, err
	}
	if err := t.parseOutputs(p, root); err != nil {
		return nil, err
	}
	return t, nil
}

func (t *Template) parseVersion(root *value.Value) error {
	e, ok := root.Map.Entry("heat_template_version")
	if !ok {
		for _, k := range []string{"HeatTemplateFormatVersion", "AWSTemplateFormatVersion"} {
			if e, ok := root.Map.Entry(k); ok {
				return t.errorf(e.Key.Range, RuleTemplate, "%s templates (CloudFormation format) are not supported; use heat_template_version", k)
			}
		}
		return t.errorf(root.Range, RuleTemplate, "template version was not provided: heat_template_version is missing; expected one of %s", diag.QuoteList(VersionKeys()))
	}
	if e.Val.Kind != value.String {
		return t.errorf(e.Val.Range, RuleTemplate, "heat_template_version must be a string, not %s; expected one of %s", describe(e.Val), diag.QuoteList(VersionKeys()))
	}
	v, ok := LookupVersion(e.Val.Str)
	if !ok {
		return t.errorf(e.Val.Range, RuleTemplate, "unknown heat_template_version %q; expected one of %s", e.Val.Str, diag.QuoteList(VersionKeys()))
	}
	t.Version = v
	return nil
}

func (t *Template) parseConditions(p *parser, root *value.Value) {
	e, ok := root.Map.Entry("conditions")
	t.conds = map[string]*Condition{}
	if !ok {
		return
	}
	t.condsSection = e.Val
	if e.Val.Kind != value.Map {
		// Heat fails when the conditions are first needed.
		t.condsErr = t.errorf(e.Val.Range, RuleCondition, "the conditions section must be a map of condition names to definitions, not %s", describe(e.Val))
		return
	}
	for _, c := range e.Val.Map.Entries() {
		name := value.Str(c.Key)
		cd := &Condition{Name: name, NameRange: c.Key.Range, Def: p.parseCondition(c.Val)}
		t.Conditions = append(t.Conditions, cd)
		t.conds[name] = cd
	}
}

var resourceKeysOld = []string{"type", "properties", "metadata", "depends_on", "deletion_policy", "update_policy", "description"}
var resourceKeysNewton = append(append([]string{}, resourceKeysOld...), "external_id", "condition")

func (t *Template) parseResources(p *parser, root *value.Value) error {
	t.resources = map[string]*Resource{}
	e, ok := root.Map.Entry("resources")
	if !ok || e.Val.Kind == value.Null {
		return nil
	}
	if e.Val.Kind != value.Map {
		return t.errorf(e.Val.Range, RuleResource, "the resources section must be a map of resource names to definitions, not %s", describe(e.Val))
	}
	allowed := resourceKeysOld
	if t.Version.Conditions {
		allowed = resourceKeysNewton
	}
	for _, re := range e.Val.Map.Entries() {
		name := value.Str(re.Key)
		def := re.Val
		if def.Kind != value.Map || def.Map.Len() == 0 {
			return t.errorf(def.Range, RuleResource, "resource %q must be a map with a type, not %s", name, describe(def))
		}
		for _, k := range def.Map.Entries() {
			if k.Key.Kind != value.String || !slices.Contains(allowed, k.Key.Str) {
				return t.errorf(k.Key.Range, RuleResource, "resource %q has an invalid keyword %q; expected %s", name, value.Str(k.Key), diag.QuoteList(allowed))
			}
		}
		typ, ok := def.Map.Get("type")
		if !ok {
			return t.errorf(re.Key.Range, RuleResource, "resource %q is missing \"type\"", name)
		}
		if typ.Kind != value.String {
			return t.errorf(typ.Range, RuleResource, "the type of resource %q must be a string, not %s", name, describe(typ))
		}
		if typ.Str == "" {
			return t.errorf(typ.Range, RuleResource, "resource %q has an empty type", name)
		}
		r := &Resource{Name: name, NameRange: re.Key.Range, Def: def, Type: typ.Str, TypeValue: typ}
		if v, ok := def.Map.Get("properties"); ok && v.Kind != value.Null {
			r.Properties = p.parse(v)
			if !(r.Properties.isMap() || r.Properties.IsCall()) {
				return t.errorf(v.Range, RuleResource, "the properties of resource %q must be a map, not %s", name, describe(v))
			}
		}
		if v, ok := def.Map.Get("metadata"); ok && v.Kind != value.Null {
			r.Metadata = p.parse(v)
			if !(r.Metadata.isMap() || r.Metadata.IsCall()) {
				return t.errorf(v.Range, RuleResource, "the metadata of resource %q must be a map, not %s", name, describe(v))
			}
		}
		if v, ok := def.Map.Get("update_policy"); ok && v.Kind != value.Null {
			r.UpdatePolicy = p.parse(v)
		}
		if v, ok := def.Map.Get("deletion_policy"); ok && v.Kind != value.Null {
			r.DeletionPolicy = p.parse(v)
		}
		if v, ok := def.Map.Get("depends_on"); ok && v.Kind != value.Null {
			switch v.Kind {
			case value.String:
				r.DependsOn = []string{v.Str}
			case value.List:
				for _, d := range v.List {
					if d.Kind != value.String {
						return t.errorf(d.Range, RuleResource, "depends_on of resource %q must be a list of strings, not contain %s", name, describe(d))
					}
					r.DependsOn = append(r.DependsOn, d.Str)
				}
			default:
				return t.errorf(v.Range, RuleResource, "depends_on of resource %q must be a list or a string, not %s", name, describe(v))
			}
		}
		if t.Version.Conditions {
			if v, ok := def.Map.Get("condition"); ok && v.Kind != value.Null {
				r.Condition = p.parseCondition(v)
				if !(r.Condition.isString() || r.Condition.Kind == Scalar && v.Kind == value.Bool || r.Condition.IsCall()) {
					return t.errorf(v.Range, RuleResource, "the condition of resource %q must be a condition name, a boolean or a condition function, not %s", name, describe(v))
				}
			}
			if v, ok := def.Map.Get("external_id"); ok && v.Kind != value.Null {
				r.ExternalID = p.parse(v)
				if !(r.ExternalID.isString() || r.ExternalID.IsCall()) {
					return t.errorf(v.Range, RuleResource, "external_id of resource %q must be a string, not %s", name, describe(v))
				}
			}
		}
		t.Resources = append(t.Resources, r)
		t.resources[name] = r
	}
	for _, r := range t.Resources {
		for _, d := range r.DependsOn {
			if _, ok := t.resources[d]; !ok {
				return t.errorf(r.Def.Range, RuleResource, "resource %q depends on %q, which is not a resource of this template", r.Name, d)
			}
		}
	}
	return nil
}

func (t *Template) parseOutputs(p *parser, root *value.Value) error {
	t.outputs = map[string]*Output{}
	e, ok := root.Map.Entry("outputs")
	if !ok || e.Val.Kind == value.Null {
		return nil
	}
	if e.Val.Kind != value.Map {
		return t.errorf(e.Val.Range, RuleOutput, "the outputs section must be a map of output names to definitions, not %s", describe(e.Val))
	}
	allowed := []string{"description", "value"}
	if t.Version.Conditions {
		allowed = append(allowed, "condition")
	}
	for _, oe := range e.Val.Map.Entries() {
		name := value.Str(oe.Key)
		def := oe.Val
		if def.Kind != value.Map {
			return t.errorf(def.Range, RuleOutput, "output %q must be a map with a value, not %s", name, describe(def))
		}
		for _, k := range def.Map.Entries() {
			if k.Key.Kind != value.String || !slices.Contains(allowed, k.Key.Str) {
				return t.errorf(k.Key.Range, RuleOutput, "output %q has an invalid keyword %q; expected %s", name, value.Str(k.Key), diag.QuoteList(allowed))
			}
		}
		v, ok := def.Map.Get("value")
		if !ok {
			return t.errorf(oe.Key.Range, RuleOutput, "output %q must contain a value", name)
		}
		o := &Output{Name: name, NameRange: oe.Key.Range, Def: def, Value: p.parse(v)}
		if d, ok := def.Map.Get("description"); ok && d.Kind == value.String {
			o.Description = d.Str
		}
		if c, ok := def.Map.Get("condition"); ok && c.Kind != value.Null {
			o.Condition = p.parseCondition(c)
		}
		t.Outputs = append(t.Outputs, o)
		t.outputs[name] = o
	}
	return nil
}

// ParamNames lists the declared parameters, sorted.
func (t *Template) ParamNames() []string {
	out := make([]string, 0, len(t.Params))
	for _, p := range t.Params {
		out = append(out, p.Name)
	}
	sort.Strings(out)
	return out
}

// nameList renders a list of names for messages, shortened when long.
func nameList(names []string) string {
	if len(names) > 12 {
		return diag.QuoteList(names[:12]) + fmt.Sprintf(" (and %d more)", len(names)-12)
	}
	return diag.QuoteList(names)
}
