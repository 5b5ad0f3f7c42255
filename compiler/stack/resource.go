package stack

import (
	"fmt"
	"path/filepath"
	"strings"

	"hoist/compiler/environment"
	"hoist/compiler/hot"
	"hoist/diag"
	"hoist/source"
	"hoist/value"
)

type resKind uint8

const (
	kindPending resKind = iota
	kindDisabled
	kindNone
	kindValue
	kindChain
	kindTemplate
	kindPlugin
)

type resState uint8

const (
	stateNew resState = iota
	stateCreating
	stateDone
)

// resource is one resource of a stack (or a member of a ResourceChain).
type resource struct {
	name string
	// def is the definition; nil for chain members and the resource Nested
	// stands for.
	def   *hot.Resource
	stack *Stack
	// typeRange is where the type is written.
	typeRange source.Range
	// frame is the chain frame of the stacks this resource instantiates.
	frame diag.Frame
	// typ is the type to resolve (members: the chain's list item).
	typ string

	state resState
	err   error
	kind  resKind
	// builtin is the plugin type (after the registry) for plugins.
	builtin string
	props   *value.Value
	nested  *Stack
	members []*resource
	// chainStack is the chain's nested stack, holding its members.
	chainStack *Stack
}

func (r *resource) typeName() string {
	if r.builtin != "" {
		return r.builtin
	}
	if r.def != nil {
		return r.def.Type
	}
	return r.typ
}

// create creates a resource (once): resolves its type, its properties and,
// for a template resource or a chain, its nested stacks.
func (s *Stack) create(r *resource) error {
	switch r.state {
	case stateDone:
		return r.err
	case stateCreating:
		return s.errorf(r.typeRange, hot.RuleResource, "circular dependency: resource %q needs its own attributes or reference while it is being created", r.name)
	}
	r.state = stateCreating
	r.err = s.build(r)
	r.state = stateDone
	return r.err
}

func (s *Stack) build(r *resource) error {
	if r.def != nil {
		en, err := s.scope.Enabled(r.def.Condition)
		if err != nil {
			return err
		}
		if en.Kind == value.Bool && !en.Bool {
			r.kind = kindDisabled
			return nil
		}
		r.typ = r.def.Type
		r.frame = diag.Frame{Range: r.def.Def.Range, Label: r.name}
	}
	typ := r.typ
	if environment.IsTemplatePath(typ) {
		typ = s.templatePath(typ)
	}
	res, err := s.registry.Resolve(typ, r.name)
	if err != nil {
		return s.errorf(r.typeRange, hot.RuleResource, "resource %q: %v", r.name, err)
	}
	if res.Template != "" {
		r.kind = kindTemplate
		props, err := s.resolveProps(r)
		if err != nil {
			return err
		}
		nested, err := s.instantiate(r, res.Template, res, props, s.propRanges(r))
		if err != nil {
			return err
		}
		r.nested = nested
		return nil
	}
	r.builtin = res.Builtin
	switch res.Builtin {
	case "OS::Heat::None":
		// Accepts any properties and never resolves them.
		r.kind = kindNone
		return nil
	case "OS::Heat::Value":
		r.kind = kindValue
		props, err := s.resolveProps(r)
		if err != nil {
			return err
		}
		r.props = props
		return s.checkValue(r)
	case "OS::Heat::ResourceChain":
		r.kind = kindChain
		props, err := s.resolveProps(r)
		if err != nil {
			return err
		}
		r.props = props
		return s.buildChain(r)
	}
	r.kind = kindPlugin
	props, err := s.resolveProps(r)
	if err != nil {
		return err
	}
	r.props = props
	return nil
}

// templatePath makes a template path written in this stack's template
// absolute, as heatclient did against the template's own URL.
func (s *Stack) templatePath(p string) string {
	switch {
	case strings.HasPrefix(p, "file://"):
		return filepath.Clean(strings.TrimPrefix(p, "file://"))
	case filepath.IsAbs(p):
		return filepath.Clean(p)
	case s.Path == "":
		return Abs(p)
	}
	return filepath.Join(filepath.Dir(s.Path), p)
}

// resolveProps resolves the properties of a resource; members and the
// Nested wrapper have theirs already.
func (s *Stack) resolveProps(r *resource) (*value.Value, error) {
	if r.def == nil {
		if r.props == nil {
			return value.NewMap(nil, r.typeRange), nil
		}
		return r.props, nil
	}
	if r.def.Properties == nil {
		return value.NewMap(nil, r.def.Def.Range), nil
	}
	v, err := s.scope.Eval(r.def.Properties)
	if err != nil {
		return nil, err
	}
	switch v.Kind {
	case value.Map:
		return v, nil
	case value.Null:
		return value.NewMap(nil, v.Range), nil
	}
	return nil, s.errorf(r.def.Properties.Range(), hot.RuleResource, "the properties of resource %q must be a map, not a %s", r.name, v.Kind)
}

// propRanges returns where each property key is written, when written
// literally.
func (s *Stack) propRanges(r *resource) map[string]source.Range {
	out := map[string]source.Range{}
	if r.def == nil || r.def.Properties == nil || r.def.Properties.Kind != hot.MapNode {
		return out
	}
	for _, k := range r.def.Properties.Keys {
		out[value.Str(k)] = k.Range
	}
	return out
}

func (s *Stack) propRange(r *resource, ranges map[string]source.Range, key string, v *value.Value) source.Range {
	if rg, ok := ranges[key]; ok {
		return rg
	}
	if v != nil && !v.Range.IsZero() {
		return v.Range
	}
	if r.def != nil {
		return r.def.Def.Range
	}
	return r.typeRange
}

// instantiate creates the nested stack of a template resource: the
// template's parameters are the resource's property schema, given
// properties are coerced and validated and become the child's parameters.
func (s *Stack) instantiate(r *resource, abs string, res *environment.Resolved, props *value.Value, ranges map[string]source.Range) (*Stack, error) {
	depth := s.depth + 1
	if depth > s.ctx.maxDepth {
		return nil, s.depthError(r, abs)
	}
	t, err := s.ctx.loader.Template(abs)
	if err != nil {
		return nil, s.templateError(r, abs, err)
	}
	child := value.NewMapping(props.Map.Len())
	for _, e := range props.Map.Entries() {
		name := value.Str(e.Key)
		if _, ok := t.Param(name); !ok {
			return nil, s.errorf(s.propRange(r, ranges, name, e.Key), hot.RuleResource,
				"resource %q: unknown property %q: %s declares the parameters %s", r.name, name, t.File, paramList(t))
		}
	}
	for _, p := range t.Params {
		given, ok := props.Map.Get(p.Name)
		if !ok {
			if s.requiredParam(p) {
				at := s.propRange(r, ranges, "", nil)
				if at.Start.IsZero() && !p.NameRange.Start.IsZero() {
					// A synthetic parent (hoist eval's wrapper) has no
					// line of its own: point at the declaration.
					at = p.NameRange
				}
				d := s.errorf(at, hot.RuleResource,
					"resource %q: property %q not assigned: parameter %s of %s has no default and parameter_defaults does not set it", r.name, p.Name, p.Name, t.File)
				if at != p.NameRange && !p.NameRange.Start.IsZero() {
					d.Related = append(d.Related, diag.Related{Range: p.NameRange, Message: fmt.Sprintf("parameter %s is declared here without a default", p.Name)})
				}
				return nil, d
			}
			continue
		}
		cv, msg := coerceProperty(p, given)
		if msg == "" {
			msg = p.CheckConstraints(cv)
		}
		var pv *value.Value
		if msg == "" {
			pv, msg = childParam(p, cv)
		}
		if msg != "" {
			return nil, s.errorf(s.propRange(r, ranges, p.Name, given), hot.RuleResource,
				"resource %q: property %q: %s", r.name, p.Name, msg)
		}
		child.Set(value.NewString(p.Name, given.Range), pv)
	}
	chain := s.chain
	if r.frame.Range.File != "" || r.frame.Label != "" {
		chain = append([]diag.Frame{r.frame}, s.chain...)
	}
	return newStack(s.ctx, t, abs, child, true, s.registry.Child(res, r.name), depth, chain, r)
}

func paramList(t *hot.Template) string {
	names := t.ParamNames()
	if len(names) > 12 {
		return diag.QuoteList(names[:12]) + fmt.Sprintf(" (and %d more)", len(names)-12)
	}
	return diag.QuoteList(names)
}

// requiredParam reports whether a nested parameter needs a property: it
// has no default once parameter_defaults replaced the schema default.
func (s *Stack) requiredParam(p *hot.Param) bool {
	if s.ctx.missing != nil {
		return false // the nested stack asks Options.Missing for a value
	}
	if v, ok := s.ctx.paramDefaults.Get(p.Name); ok {
		return v.Kind == value.Null
	}
	return p.Default == nil
}

func (s *Stack) depthError(r *resource, abs string) error {
	name := s.ctx.loader.Display(abs)
	msg := fmt.Sprintf("nested stacks deeper than %d levels (max_nested_stack_depth) instantiating %s", s.ctx.maxDepth, name)
	for st := s; st != nil && st.Path != ""; st = parentStack(st) {
		if st.Path == abs {
			msg += fmt.Sprintf("; %s includes itself", name)
			break
		}
	}
	return s.errorf(r.typeRange, hot.RuleResource, "resource %q: %s", r.name, msg)
}

func parentStack(s *Stack) *Stack {
	if s.parent == nil {
		return nil
	}
	return s.parent.stack
}

// templateError reports a nested template that cannot be read or parsed,
// with the frame of the resource that included it.
func (s *Stack) templateError(r *resource, abs string, err error) error {
	d, ok := err.(*diag.Diagnostic)
	if !ok {
		return s.errorf(r.typeRange, hot.RuleResource, "resource %q: %v", r.name, err)
	}
	if d.Range.Start.IsZero() {
		// The file could not be read: point at the type that names it.
		return s.errorf(r.typeRange, hot.RuleResource, "resource %q: %s: %s", r.name, s.ctx.loader.Display(abs), d.Message)
	}
	c := *d
	c.Chain = append([]diag.Frame{r.frame}, s.chain...)
	return &c
}

// ---- attributes ---------------------------------------------------------

// GetAttr implements hot.Host.
func (s *Stack) GetAttr(hr *hot.Resource, attr *value.Value, path []*value.Value, call source.Range) (*value.Value, error) {
	r := s.resources[hr.Name]
	if err := s.create(r); err != nil {
		return nil, err
	}
	return s.attr(r, attr, path, call)
}

// GetResource implements hot.Host.
func (s *Stack) GetResource(hr *hot.Resource, call source.Range) (*value.Value, error) {
	r := s.resources[hr.Name]
	if err := s.create(r); err != nil {
		return nil, err
	}
	return s.ref(r, call)
}

func (s *Stack) ref(r *resource, call source.Range) (*value.Value, error) {
	if r.kind == kindTemplate && r.nested.scope.HasOutput("OS::stack_id") {
		return r.nested.Output("OS::stack_id")
	}
	return value.NewUnknown(fmt.Sprintf("the id of resource %s (%s), known when deployed", r.name, r.typeName()), call), nil
}

func (s *Stack) attr(r *resource, attr *value.Value, path []*value.Value, call source.Range) (*value.Value, error) {
	if attr != nil && attr.Kind != value.String {
		return nil, s.errorf(call, hot.RuleFunction, "get_attr: the attribute name of resource %q must be a string, not %s", r.name, value.Repr(attr))
	}
	switch r.kind {
	case kindNone:
		return value.NewNull(call), nil
	case kindPlugin:
		if attr == nil {
			return value.NewUnknown(fmt.Sprintf("the attributes of resource %s (%s), known when deployed", r.name, r.builtin), call), nil
		}
		if v, ok := s.pluginAttr(r, attr.Str, path, call); ok {
			return v, nil
		}
		return hot.SelectPath(value.NewUnknown(fmt.Sprintf(unknownAttrFormat, attr.Str, r.name, r.builtin), call), path, call), nil
	case kindValue:
		v, _ := r.props.Map.Get("value")
		if v == nil {
			v = value.NewNull(call)
		}
		if attr == nil {
			m := value.NewMapping(1)
			m.Set(value.NewString("value", call), v)
			return value.NewMap(m, call), nil
		}
		switch attr.Str {
		case "value":
			return hot.SelectPath(v, path, call), nil
		case "show":
			return value.NewUnknown("the show attribute of resource "+r.name, call), nil
		}
		return nil, s.errorf(attr.Range, hot.RuleFunction, "get_attr: resource %q (OS::Heat::Value) has no attribute %q; it has \"value\"", r.name, attr.Str)
	case kindTemplate:
		n := r.nested
		if attr == nil {
			return n.Outputs()
		}
		if !n.scope.HasOutput(attr.Str) {
			if attr.Str == "show" {
				return value.NewUnknown("the show attribute of resource "+r.name, call), nil
			}
			return nil, s.errorf(attr.Range, hot.RuleFunction, "get_attr: resource %q has no attribute %q: %s has the outputs %s", r.name, attr.Str, n.Template.File, diag.QuoteList(n.OutputNames()))
		}
		v, err := n.Output(attr.Str)
		if err != nil {
			return nil, err
		}
		v = hot.SelectPath(v, path, call)
		if s.ctx.provenance {
			o, _ := n.Template.Output(attr.Str)
			v = v.WithOrigin(value.Origin{Kind: "get_attr", At: call, Decl: o.NameRange,
				Note: fmt.Sprintf("output %s of resource %s (%s)", attr.Str, r.name, n.Template.File)})
		}
		return v, nil
	case kindChain:
		return s.chainAttr(r, attr, path, call)
	}
	return nil, s.errorf(call, hot.RuleFunction, "get_attr: resource %q is not available", r.name)
}

// ---- OS::Heat::Value ----------------------------------------------------

var valueTypes = []string{"string", "number", "comma_delimited_list", "json", "boolean"}

func (s *Stack) checkValue(r *resource) error {
	ranges := s.propRanges(r)
	for _, e := range r.props.Map.Entries() {
		k := value.Str(e.Key)
		if k != "value" && k != "type" {
			return s.errorf(s.propRange(r, ranges, k, e.Key), hot.RuleResource, "resource %q (OS::Heat::Value): unknown property %q; it has \"value\" and \"type\"", r.name, k)
		}
	}
	v, ok := r.props.Map.Get("value")
	if !ok {
		return s.errorf(s.propRange(r, ranges, "", nil), hot.RuleResource, "resource %q (OS::Heat::Value): property \"value\" not assigned", r.name)
	}
	tv, ok := r.props.Map.Get("type")
	if !ok || tv.Kind == value.Unknown {
		return nil
	}
	ts, msg := coerceTo(hot.TypeString, tv)
	if msg != "" {
		return s.errorf(s.propRange(r, ranges, "type", tv), hot.RuleResource, "resource %q (OS::Heat::Value): property \"type\": %s", r.name, msg)
	}
	pt, ok := hot.LookupParamType(ts.Str)
	if !ok {
		return s.errorf(s.propRange(r, ranges, "type", tv), hot.RuleResource, "resource %q (OS::Heat::Value): property \"type\": %q is not an allowed value %s", r.name, ts.Str, diag.QuoteList(valueTypes))
	}
	if _, msg := coerceStrict(pt, v); msg != "" {
		return s.errorf(s.propRange(r, ranges, "value", v), hot.RuleResource, "resource %q (OS::Heat::Value): property \"value\" (type %s): %s", r.name, pt, msg)
	}
	return nil
}

// unknownAttrFormat is the reason of an unknown resource attribute.
const unknownAttrFormat = "attribute %s of resource %s (%s), known when deployed"

// UnknownAttribute reports whether v is the unknown value of a resource
// attribute only a live cloud knows, and which one.
func UnknownAttribute(v *value.Value) (resource, attr, typ string, ok bool) {
	if value.KindOf(v) != value.Unknown {
		return "", "", "", false
	}
	rest, ok := strings.CutPrefix(v.Str, "attribute ")
	if !ok {
		return "", "", "", false
	}
	rest, ok = strings.CutSuffix(rest, "), known when deployed")
	if !ok {
		return "", "", "", false
	}
	attr, rest, ok = strings.Cut(rest, " of resource ")
	if !ok {
		return "", "", "", false
	}
	resource, typ, ok = strings.Cut(rest, " (")
	return resource, attr, typ, ok && !strings.ContainsAny(resource, " ")
}
