// Package stack instantiates HOT templates the way Heat's engine created
// stacks: every enabled resource is created (its properties resolved and
// validated), template resources and registry aliases become nested stacks
// with their properties as parameters (with Heat's property coercions),
// parameter_defaults reach every nested stack, and get_attr reads nested
// outputs. OS::Heat::None, OS::Heat::Value and OS::Heat::ResourceChain are
// evaluated; the attributes of every other resource type are unknown
// values (only a live cloud knows them), never an error and never a
// made-up value.
//
// Outputs are evaluated on demand and once. A Stack is used by one
// goroutine; many stacks may be evaluated in parallel with one Loader.
package stack

import (
	"fmt"
	"path/filepath"
	"strings"

	"hoist/compiler/environment"
	"hoist/compiler/hot"
	"hoist/compiler/yaql"
	"hoist/diag"
	"hoist/source"
	"hoist/value"
)

// DefaultMaxDepth is how deeply stacks may nest: the queens and rocky
// undercloud's max_nested_stack_depth.
const DefaultMaxDepth = 7

// DefaultMaxStacks bounds the stacks one evaluation may create, so that a
// template that includes itself many times over ends in an error, not a
// hang. A whole queens overcloud creates about two thousand.
const DefaultMaxStacks = 50000

// Options are what every stack of one evaluation shares.
type Options struct {
	// Loader reads templates and files; nil means a new one.
	Loader *Loader
	// Env is the merged environment: its resource_registry resolves types
	// and its parameter_defaults reach every stack.
	Env *environment.Env
	// Yaql are the yaql limits; zero means TripleO's.
	Yaql yaql.Limits
	// MaxDepth bounds nesting; zero means DefaultMaxDepth.
	MaxDepth int
	// MaxStacks bounds the stacks created; zero means DefaultMaxStacks.
	MaxStacks int
	// LazyDepth makes the stacks nested less than LazyDepth levels deep
	// (the top or Nested's stack is level 0 or 1) create a resource only
	// when something needs it (get_attr, get_resource, Attr, Properties)
	// instead of all at once. Zero creates every resource, as Heat does. A
	// whole-deployment compile sets it: overcloud.yaml holds servers, ports
	// and software deployments that only a live cloud creates.
	LazyDepth int
	// Missing, when set, gives a value to a parameter that has none (no
	// default, nothing in parameter_defaults, no property), where Heat
	// fails; it is called from the goroutine evaluating the stack.
	Missing func(p *hot.Param) *value.Value
	// Given, when set, gives the value the deployment sets for a
	// parameter that neither the properties nor parameter_defaults set
	// (hot.ScopeOptions.Given); called like Missing.
	Given func(p *hot.Param) *value.Value
	// StackName is OS::stack_name of the top-level stack (Top); empty
	// leaves it unknown. Nested stacks' names are made up by Heat when it
	// creates them, so theirs stay unknown.
	StackName string
	// Frame is the chain frame of the stack Nested instantiates (the
	// resource in a parent template it stands for); zero adds none.
	Frame diag.Frame
	// Networks are the networks that exist before the stack (the
	// undercloud's ctlplane), by the name ports give; nil knows none.
	Networks Networks
	// Provenance records on values the steps that brought them
	// (hot.ScopeOptions.Provenance; get_attr through nested stacks here).
	Provenance bool
}

// Stack is one instantiated template.
type Stack struct {
	// Template is the template instantiated.
	Template *hot.Template
	// Path is its absolute path.
	Path  string
	scope *hot.Scope

	ctx      *evalContext
	registry *environment.Registry
	depth    int
	chain    []diag.Frame
	parent   *resource // the resource that instantiated this stack, nil at top

	resources map[string]*resource
}

type evalContext struct {
	loader        *Loader
	paramDefaults *value.Mapping
	yaql          yaql.Limits
	maxDepth      int
	maxStacks     int
	stacks        int
	lazyDepth     int
	missing       func(p *hot.Param) *value.Value
	given         func(p *hot.Param) *value.Value
	stackName     string
	networks      Networks
	provenance    bool
}

func newContext(o Options) *evalContext {
	c := &evalContext{loader: o.Loader, yaql: o.Yaql, maxDepth: o.MaxDepth, maxStacks: o.MaxStacks,
		lazyDepth: o.LazyDepth, missing: o.Missing, given: o.Given, stackName: o.StackName, networks: o.Networks, provenance: o.Provenance}
	if c.maxStacks == 0 {
		c.maxStacks = DefaultMaxStacks
	}
	if c.loader == nil {
		c.loader = NewLoader()
	}
	if c.maxDepth == 0 {
		c.maxDepth = DefaultMaxDepth
	}
	if o.Env != nil {
		c.paramDefaults = o.Env.ParameterDefaults()
	}
	return c
}

func registryOf(o Options) *environment.Registry {
	if o.Env == nil {
		return environment.Empty().Registry()
	}
	return o.Env.Registry()
}

// Top instantiates the template at path as a top-level stack: the
// environment's parameters are its parameters (an undeclared one is an
// error) and the schema defaults are validated as written.
func Top(path string, o Options) (*Stack, error) {
	ctx := newContext(o)
	abs := Abs(path)
	t, err := ctx.loader.Template(abs)
	if err != nil {
		return nil, err
	}
	var params *value.Mapping
	if o.Env != nil {
		params = o.Env.Parameters()
	}
	return newStack(ctx, t, abs, params, false, registryOf(o), 0, nil, nil)
}

// Nested instantiates the template at path the way a parent stack's
// template resource (or an OS::Heat::ResourceChain member) does: props
// are the resource's properties, checked against the template's
// parameters and coerced as Heat coerces properties; parameter_defaults
// replace the schema defaults. This is how TripleO's role chains
// instantiate every service. name is the resource name (it selects the
// registry's resources: overrides).
func Nested(path, name string, props *value.Mapping, o Options) (*Stack, error) {
	ctx := newContext(o)
	abs := Abs(path)
	wrapper := &resource{name: name, typeRange: source.Range{File: ctx.loader.Display(abs)}, frame: o.Frame}
	pv := value.NewMap(props, source.Range{})
	st := &Stack{ctx: ctx, registry: registryOf(o)}
	return st.instantiate(wrapper, abs, &environment.Resolved{Template: abs}, pv, nil)
}

func newStack(ctx *evalContext, t *hot.Template, abs string, params *value.Mapping, nested bool,
	reg *environment.Registry, depth int, chain []diag.Frame, parent *resource) (*Stack, error) {
	ctx.stacks++
	if ctx.stacks > ctx.maxStacks {
		r := source.Range{File: t.File}
		if len(chain) > 0 {
			r = chain[0].Range
		}
		d := diag.Newf(diag.Error, hot.RuleResource, r, "more than %d nested stacks in one evaluation", ctx.maxStacks)
		d.Chain = chain
		return nil, d
	}
	s := &Stack{Template: t, Path: abs, ctx: ctx, registry: reg, depth: depth, chain: chain, parent: parent,
		resources: make(map[string]*resource, len(t.Resources))}
	scope, err := hot.NewScope(t, hot.ScopeOptions{
		Params: params, ParamDefaults: ctx.paramDefaults, Nested: nested,
		Host: s, Chain: chain, Yaql: ctx.yaql, Missing: ctx.missing, Given: ctx.given, StackName: topName(ctx, parent, depth),
		Provenance: ctx.provenance,
	})
	if err != nil {
		return nil, err
	}
	s.scope = scope
	for _, r := range t.Resources {
		s.resources[r.Name] = &resource{name: r.Name, def: r, stack: s, typeRange: r.TypeValue.Range}
	}
	// Heat parses the conditions section whenever it builds the resource
	// definitions or the outputs, so a broken condition fails every stack.
	if err := scope.CheckConditions(); err != nil {
		return nil, err
	}
	if depth < ctx.lazyDepth {
		return s, nil
	}
	for _, r := range t.Resources {
		if err := s.create(s.resources[r.Name]); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func topName(ctx *evalContext, parent *resource, depth int) string {
	if parent == nil && depth == 0 {
		return ctx.stackName
	}
	return ""
}

// Scope returns the hot scope of the stack (its parameters and
// conditions).
func (s *Stack) Scope() *hot.Scope { return s.scope }

// Chain returns the chain of nested-template frames that led to this
// stack, innermost first.
func (s *Stack) Chain() []diag.Frame { return s.chain }

// Output evaluates a declared output as Heat's output shows it to the
// parent stack (through the JSON of the RPC layer: map keys become
// strings).
func (s *Stack) Output(name string) (*value.Value, error) {
	if !s.scope.HasOutput(name) {
		return nil, fmt.Errorf("template %s has no output %q; its outputs are %s", s.Template.File, name, diag.QuoteList(s.Template.OutputNames()))
	}
	v, err := s.scope.Output(name)
	if err != nil {
		return nil, err
	}
	return hot.JSONRoundTrip(v), nil
}

// OutputNames lists the template's outputs in the order written.
func (s *Stack) OutputNames() []string { return s.Template.OutputNames() }

// Outputs evaluates every output, in order; the first error stops it.
func (s *Stack) Outputs() (*value.Value, error) {
	m := value.NewMapping(len(s.Template.Outputs))
	for _, o := range s.Template.Outputs {
		v, err := s.Output(o.Name)
		if err != nil {
			return nil, err
		}
		m.Set(value.NewString(o.Name, o.NameRange), v)
	}
	return value.NewMap(m, source.Range{File: s.Template.File}), nil
}

func (s *Stack) errorf(r source.Range, rule, format string, args ...any) *diag.Diagnostic {
	if r.File == "" && s.Template != nil {
		r.File = s.Template.File
	}
	d := diag.Newf(diag.Error, rule, r, format, args...)
	d.Chain = s.chain
	return d
}

// ---- files --------------------------------------------------------------

// GetFile implements hot.Host: heatclient fetched every literal get_file
// path relative to the including template; a computed path cannot be
// fetched.
func (s *Stack) GetFile(p string, literal bool, call source.Range) (*value.Value, error) {
	if !literal {
		return nil, s.errorf(call, hot.RuleFunction, "get_file: the path %q is computed by a function; Heat's client only fetches paths written literally in the template", p)
	}
	var abs string
	switch {
	case strings.HasPrefix(p, "file://"):
		abs = filepath.Clean(strings.TrimPrefix(p, "file://"))
	case strings.Contains(p, "://"):
		return nil, s.errorf(call, hot.RuleFunction, "get_file: remote file %q is not supported: hoist reads local files only", p)
	case filepath.IsAbs(p):
		abs = filepath.Clean(p)
	default:
		abs = filepath.Join(filepath.Dir(s.Path), p)
	}
	content, err := s.ctx.loader.File(abs)
	if err != nil {
		return nil, s.errorf(call, hot.RuleFunction, "get_file: cannot read %s: %v", s.ctx.loader.Display(abs), err)
	}
	return value.NewString(content, call), nil
}

// ResourceFacade implements hot.Host.
func (s *Stack) ResourceFacade(what string, call source.Range) (*value.Value, error) {
	p := s.parent
	if p == nil || p.def == nil {
		return value.NewNull(call), nil
	}
	var n *hot.Node
	switch what {
	case "metadata":
		n = p.def.Metadata
	case "deletion_policy":
		n = p.def.DeletionPolicy
		if n == nil {
			return value.NewString("Delete", call), nil
		}
	case "update_policy":
		n = p.def.UpdatePolicy
	}
	if n == nil {
		return value.NewMap(nil, call), nil
	}
	return p.stack.scope.Eval(n)
}
