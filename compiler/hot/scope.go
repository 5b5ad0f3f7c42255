package hot

import (
	"fmt"
	"slices"

	"hoist/compiler/yaql"
	"hoist/diag"
	"hoist/source"
	"hoist/value"
)

// Host is what a Scope needs from the stack layer: the resources of the
// stack (their attributes and reference ids), the files get_file reads and
// the parent resource resource_facade reads. Package compiler/stack
// implements it.
type Host interface {
	// GetAttr returns attribute attr of resource r with path applied, or
	// all attributes when attr is nil. r is enabled. call is the range of
	// the get_attr call.
	GetAttr(r *Resource, attr *value.Value, path []*value.Value, call source.Range) (*value.Value, error)
	// GetResource returns the reference id of r.
	GetResource(r *Resource, call source.Range) (*value.Value, error)
	// GetFile returns the content get_file reads for a path literally
	// written in the template (literal), or computed by a function.
	GetFile(path string, literal bool, call source.Range) (*value.Value, error)
	// ResourceFacade returns the parent resource's metadata,
	// deletion_policy or update_policy.
	ResourceFacade(what string, call source.Range) (*value.Value, error)
}

// ScopeOptions are the inputs of one template instance.
type ScopeOptions struct {
	// Params are the parameter values given to this stack: the user's
	// parameters for a top-level stack, the parent resource's properties
	// (after coercion) for a nested one.
	Params *value.Mapping
	// ParamDefaults are the environment's parameter_defaults.
	ParamDefaults *value.Mapping
	// Nested is set for a stack instantiated by a template resource: its
	// parameter_defaults then replace the schema defaults before they are
	// validated (Heat's TemplateResource quirk), so a default that violates
	// its own constraints is accepted when overridden.
	Nested bool
	// Host provides resources, files and the parent resource.
	Host Host
	// Chain lists the nested-template instantiations that led here,
	// innermost first; it is attached to every diagnostic.
	Chain []diag.Frame
	// Yaql are the limits of yaql expressions; zero means TripleO's.
	Yaql yaql.Limits
	// StackName, when set, is the value of OS::stack_name.
	StackName string
	// Missing, when set, gives a value to a parameter that has none (no
	// default, nothing in parameter_defaults, not given) instead of the
	// error Heat raises.
	Missing func(p *Param) *value.Value
	// Given, when set, gives the value the deployment sets for a parameter
	// that neither the properties nor parameter_defaults set (TripleO's
	// client generates passwords and keys into parameter_defaults); it
	// returns nil for a parameter the deployment leaves alone. The value
	// is taken as a parameter_defaults entry.
	Given func(p *Param) *value.Value
	// Provenance records, on the values get_param, get_attr, map_merge
	// and yaql return, the step that brought them (value.Origin), for
	// hoist why. Off, nothing is recorded and nothing is copied.
	Provenance bool
}

// Scope is one instance of a template: a stack, with its parameter values,
// its conditions (resolved lazily, once) and its outputs (evaluated on
// demand, once). A Scope is used by one goroutine at a time.
type Scope struct {
	T      *Template
	host   Host
	chain  []diag.Frame
	limits yaql.Limits

	params map[string]*paramState
	conds  map[string]*condState
	outs   map[string]*outState

	stackName string
	prov      *provenance // nil: no provenance recorded
	depth     int         // evaluation depth, to refuse runaway recursion
	// static is set for Check: a parameter, resource or condition that
	// does not exist stands for any value, as the rest of its inputs do.
	static bool
	// memo holds the result of each call Check evaluated, so that each
	// call is evaluated once however deep it is nested.
	memo map[*Node]memoResult
}

type memoResult struct {
	v   *value.Value
	err error
}

type paramState struct {
	p     *Param
	raw   *value.Value // the value as given (user, parameter_defaults or default)
	typed *value.Value
}

// provenance is what a Scope keeps to record provenance: where each
// parameter's value came from.
type provenance struct {
	from map[string]paramSource
}

// paramSource says where a parameter's value came from.
type paramSource uint8

const (
	fromProperty paramSource = iota
	fromDefaults
	fromDefault
	fromNothing
)

type condState struct {
	busy, done bool
	val        *value.Value
	err        error
}

type outState struct {
	busy, done bool
	val        *value.Value
	err        error
}

// pseudoParams are the parameters every HOT stack has.
var pseudoParams = []string{"OS::stack_id", "OS::stack_name", "OS::project_id"}

// NewScope instantiates t: it checks the parameters given against the
// template (types, constraints, required values) the way Heat validates a
// stack's parameters, and prepares lazy conditions and outputs.
func NewScope(t *Template, o ScopeOptions) (*Scope, error) {
	s := &Scope{T: t, host: o.Host, chain: o.Chain, limits: o.Yaql,
		params: make(map[string]*paramState, len(t.Params)),
		conds:  map[string]*condState{}, outs: map[string]*outState{},
		stackName: o.StackName}
	if o.Provenance {
		s.prov = &provenance{from: make(map[string]paramSource, len(t.Params))}
	}
	if s.limits.MaxItems == 0 {
		s.limits = yaql.TripleOLimits
	}
	if err := s.initParams(o); err != nil {
		return nil, err
	}
	return s, nil
}

// Chain returns the template chain of the scope, innermost first.
func (s *Scope) Chain() []diag.Frame { return s.chain }

func (s *Scope) errorf(r source.Range, rule, format string, args ...any) *diag.Diagnostic {
	if r.File == "" {
		r.File = s.T.File
	}
	d := diag.Newf(diag.Error, rule, r, format, args...)
	d.Chain = s.chain
	return d
}

func (s *Scope) initParams(o ScopeOptions) error {
	for _, e := range o.Params.Entries() {
		name := value.Str(e.Key)
		if _, ok := s.T.params[name]; !ok && !slices.Contains(pseudoParams, name) {
			return s.errorf(e.Key.Range, RuleParameter, "parameter %q is not declared in the template; declared parameters: %s", name, nameList(s.T.ParamNames()))
		}
	}
	for _, p := range s.T.Params {
		st := &paramState{p: p}
		schemaDefault := p.Default
		var pdef *value.Value
		v, ok := o.ParamDefaults.Get(p.Name)
		if !ok && o.Given != nil {
			if _, set := o.Params.Get(p.Name); !set {
				v = o.Given(p)
				ok = v != nil
			}
		}
		if ok {
			if o.Nested {
				schemaDefault = v
				if v.Kind == value.Null {
					schemaDefault = nil
				}
			}
			if v.Kind != value.Null {
				pdef = v
			}
		}
		if msg := p.validateSchemaDefault(schemaDefault); msg != "" {
			r := p.NameRange
			if schemaDefault != nil {
				r = schemaDefault.Range
			}
			return s.errorf(r, RuleParameter, "parameter %q is invalid: %s", p.Name, msg)
		}
		var user *value.Value
		if v, ok := o.Params.Get(p.Name); ok && v.Kind != value.Null {
			user = v
		}
		switch {
		case user != nil:
			st.raw = user
			s.setFrom(p, fromProperty)
		case pdef != nil:
			st.raw = pdef
			s.setFrom(p, fromDefaults)
		case schemaDefault != nil:
			st.raw = schemaDefault
			if schemaDefault != p.Default {
				s.setFrom(p, fromDefaults)
			} else {
				s.setFrom(p, fromDefault)
			}
		case o.Missing != nil:
			st.raw = o.Missing(p)
			s.setFrom(p, fromNothing)
		default:
			return s.errorf(p.NameRange, RuleParameter, "parameter %q has no value: it has no default and none was given (set it in parameter_defaults or pass it as a property)", p.Name)
		}
		typed, msg := p.check(st.raw)
		if msg != "" {
			return s.errorf(st.raw.Range, RuleParameter, "parameter %q is invalid: %s", p.Name, msg)
		}
		st.typed = typed
		s.params[p.Name] = st
	}
	return nil
}

// setFrom records, for provenance, where p's value came from.
func (s *Scope) setFrom(p *Param, from paramSource) {
	if s.prov != nil {
		s.prov.from[p.Name] = from
	}
}

// ParamValue returns the typed value of a declared parameter.
func (s *Scope) ParamValue(name string) (*value.Value, bool) {
	st, ok := s.params[name]
	if !ok {
		return nil, false
	}
	return st.typed, true
}

// ---- conditions ---------------------------------------------------------

// CheckConditions reports the error Heat raises for the conditions section
// as soon as any condition is needed: a section that is not a map, or a
// definition whose functions cannot be parsed.
func (s *Scope) CheckConditions() error {
	if s.T.condsErr != nil {
		d := *s.T.condsErr
		d.Chain = s.chain
		return &d
	}
	for _, c := range s.T.Conditions {
		if e := firstError(c.Def); e != nil {
			return s.nodeError(e)
		}
	}
	return nil
}

// firstError returns the first Error node in n, not descending into calls'
// already-checked arguments other than through their children.
func firstError(n *Node) *Node {
	if n == nil || n.Static {
		return nil
	}
	switch n.Kind {
	case Error:
		return n
	case MapNode, ListNode:
		for _, it := range n.Items {
			if e := firstError(it); e != nil {
				return e
			}
		}
	case Call:
		for _, c := range []*Node{n.Arg, n.cond, n.then, n.els} {
			if e := firstError(c); e != nil {
				return e
			}
		}
	}
	return nil
}

func (s *Scope) nodeError(n *Node) error {
	d := *n.Err
	d.Chain = s.chain
	return &d
}

// Condition resolves the named condition (lazily, once per stack). at is
// where the name is used.
func (s *Scope) Condition(name string, at source.Range) (*value.Value, error) {
	if err := s.CheckConditions(); err != nil {
		return nil, err
	}
	c, ok := s.T.conds[name]
	if !ok && s.static {
		return value.NewUnknown("condition "+name, at), nil
	}
	if !ok {
		return nil, s.errorf(at, RuleCondition, "invalid condition %q: no such condition is defined; defined conditions: %s", name, nameList(s.condNames()))
	}
	st := s.conds[name]
	if st == nil {
		st = &condState{}
		s.conds[name] = st
	}
	if st.done {
		return st.val, st.err
	}
	if st.busy {
		return nil, s.errorf(c.NameRange, RuleCondition, "circular definition for condition %q", name)
	}
	st.busy = true
	st.val, st.err = s.resolveCondition(c)
	st.busy, st.done = false, true
	return st.val, st.err
}

func (s *Scope) condNames() []string {
	var out []string
	for _, c := range s.T.Conditions {
		out = append(out, c.Name)
	}
	return out
}

func (s *Scope) resolveCondition(c *Condition) (*value.Value, error) {
	def := c.Def
	if !(def.IsCall() || def.Kind == Scalar && def.Val.Kind == value.Bool) {
		return nil, s.errorf(def.Range(), RuleCondition, "the definition of condition %q is invalid: %s; a condition is a boolean or a condition function (equals, not, and, or, get_param of a boolean, yaql, contains)", c.Name, describe(def.Val))
	}
	v, err := s.Eval(def)
	if err != nil {
		return nil, err
	}
	switch v.Kind {
	case value.Bool, value.Unknown:
		return v, nil
	}
	return nil, s.errorf(def.Range(), RuleCondition, "the definition of condition %q is invalid: it evaluates to %s, not a boolean", c.Name, describe(v))
}

// condValue turns a resolved condition argument into a boolean: a bool is
// used as it is, a string names a condition. Anything else is an invalid
// condition. The result is Unknown when the condition is.
func (s *Scope) condValue(v *value.Value, at source.Range) (*value.Value, error) {
	switch value.KindOf(v) {
	case value.Null:
		// Conditions.is_enabled(None) is true.
		return value.NewBool(true, at), nil
	case value.Bool, value.Unknown:
		return v, nil
	case value.String:
		return s.Condition(v.Str, at)
	}
	return nil, s.errorf(at, RuleCondition, "invalid condition %s: a condition is a boolean, a condition name or a condition function", value.Repr(v))
}

// Enabled evaluates a condition: node (of a resource or an output); nil
// means enabled.
func (s *Scope) Enabled(cond *Node) (*value.Value, error) {
	if cond == nil {
		return value.NewBool(true, source.Range{}), nil
	}
	if err := s.CheckConditions(); err != nil {
		return nil, err
	}
	v, err := s.Eval(cond)
	if err != nil {
		return nil, err
	}
	if v.Kind == value.Null {
		return value.NewBool(true, v.Range), nil
	}
	return s.condValue(v, cond.Range())
}

// ---- outputs ------------------------------------------------------------

// Output evaluates the named output (once per stack). An output whose
// condition is false is null.
func (s *Scope) Output(name string) (*value.Value, error) {
	o, ok := s.T.outputs[name]
	if !ok {
		return nil, fmt.Errorf("no output %q", name)
	}
	st := s.outs[name]
	if st == nil {
		st = &outState{}
		s.outs[name] = st
	}
	if st.done {
		return st.val, st.err
	}
	if st.busy {
		return nil, s.errorf(o.NameRange, RuleOutput, "output %q depends on itself", name)
	}
	st.busy = true
	st.val, st.err = s.evalOutput(o)
	st.busy, st.done = false, true
	return st.val, st.err
}

func (s *Scope) evalOutput(o *Output) (*value.Value, error) {
	en, err := s.Enabled(o.Condition)
	if err != nil {
		return nil, err
	}
	if en.Kind == value.Unknown {
		return value.NewUnknown("output "+o.Name+" depends on a condition only known at deploy time: "+en.Str, o.Value.Range()), nil
	}
	if !en.Bool {
		return value.NewNull(o.Value.Range()), nil
	}
	return s.Eval(o.Value)
}

// HasOutput reports whether the template declares the output.
func (s *Scope) HasOutput(name string) bool {
	_, ok := s.T.outputs[name]
	return ok
}
