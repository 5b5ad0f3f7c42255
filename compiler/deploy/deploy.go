// Package deploy compiles a whole deployment: a THT tree, roles_data,
// network_data and environment files become, for every role, the role_data
// that Heat handed to the deploy steps (tht.md §6), plus the facts of the
// deployment (roles, counts, hostnames, per-role parameters) that the
// artifact tree needs.
//
// The compile does what the TripleO client and Heat did, offline:
//
//  1. the Jinja2 templates of the tree are rendered with the roles and
//     networks as process-templates did (compiler/jinja), on demand: only
//     the outputs the compile reads are rendered;
//  2. the environments are merged in the client's order: the rendered
//     overcloud-resource-registry-puppet.yaml first, then each -e file
//     (compiler/environment);
//  3. the rendered overcloud.yaml is instantiated as the top-level stack,
//     lazily: only the resources that the roles' service chains need are
//     created (ServiceNetMap, EndpointMap and the VIP map, DefaultPasswords,
//     the network map), so that what only a live cloud knows (an IP, a
//     random password) stays an unknown value, and nothing that needs
//     servers is touched;
//  4. each role's <Role>ServiceChain gets the properties overcloud.yaml
//     computes for it (Services, ServiceNetMap, EndpointMap, ServiceData,
//     DefaultPasswords, RoleName, RoleParameters), and its role template
//     (common/services/<role>-role.yaml) is instantiated with them: every
//     service of the role's ResourceChain is evaluated (compiler/stack);
//  5. the services' role_data are merged per role (Aggregate, the native
//     implementation of the role template's merge rules), roles in
//     parallel; ServiceConfigs then merges the hiera of all roles as
//     overcloud.yaml does.
//
// Parameters that have no value anywhere are collected while evaluating
// and reported as one error (MissingError), or, with AllowMissing, become
// unknown values.
package deploy

import (
	"errors"
	"path/filepath"

	"hoist/compiler/environment"
	"hoist/compiler/stack"
	"hoist/diag"
	"hoist/model"
	"hoist/release"
	"hoist/source"
	"hoist/value"
)

// Rule ids of the compile's own diagnostics.
const (
	RuleInput    = "deploy/input"
	RuleRole     = "deploy/role"
	RuleRegistry = "deploy/registry"
	// RuleRelease: the tree is of a release hoist does not support.
	RuleRelease = "deploy/release"
)

// RegistryFile is the resource registry of a THT tree, which the TripleO
// client passed before every user environment.
const RegistryFile = "overcloud-resource-registry-puppet.yaml"

// OvercloudFile is the top-level template.
const OvercloudFile = "overcloud.yaml"

// DefaultStackName is the stack name of a deployment that names none.
const DefaultStackName = "overcloud"

// Path is a path given to the compile and where it was given (a hoist.hcl
// attribute, or nothing for the command line).
type Path struct {
	Path string
	At   source.Range
}

// Count is a role's node count and where it was given.
type Count struct {
	Role string
	N    int
	At   source.Range
}

// Inputs describe one deployment.
type Inputs struct {
	// Name is the stack name (%stackname% in hostnames); empty means
	// "overcloud".
	Name string
	// Templates is the THT tree.
	Templates Path
	// Release names the TripleO release of the tree (release.Names()),
	// Path holding the name; empty means detect it from the tree.
	Release Path
	// Detected, when not nil, is release.Detect of Templates as the
	// caller already made it (lint, which detects every tree it checks):
	// the tree is not read again to tell its release.
	Detected *release.Detection
	// RolesFile and NetworkFile default to roles_data.yaml and
	// network_data.yaml at the root of the tree.
	RolesFile, NetworkFile Path
	// Environments are the -e files, in order, after the tree's registry.
	Environments []Path
	// Counts set <Role>Count; each role must exist in the roles file.
	Counts []Count
	// AllowMissing turns the parameters without a value into unknown
	// values instead of an error.
	AllowMissing bool
	// CtlplaneSubnets are the CIDRs of the undercloud's provisioning
	// network (ctlplane), which ports on it show; empty means the
	// undercloud's default, stack.DefaultCtlplane (192.168.24.0/24).
	CtlplaneSubnets []string
}

// Aggregation says how a role's services are merged into its role_data.
type Aggregation uint8

const (
	// Auto merges natively when the role template is the one Aggregate
	// implements (its role_data has exactly RoleDataKeys), else evaluates
	// the template.
	Auto Aggregation = iota
	// Native uses Aggregate.
	Native
	// Template evaluates the role_data output of the role template with
	// the HOT evaluator (ResourceChain attributes and yaql).
	Template
)

func (a Aggregation) String() string {
	switch a {
	case Native:
		return "native"
	case Template:
		return "template"
	}
	return "auto"
}

// Options tune the compile.
type Options struct {
	// Workers is how many roles are compiled at once; 0 means GOMAXPROCS.
	Workers int
	// Aggregation chooses how role_data is merged.
	Aggregation Aggregation
	// Base is the folder diagnostics show paths relative to; empty means
	// the working directory.
	Base string
	// MaxDepth bounds stack nesting, counted from overcloud.yaml as Heat's
	// max_nested_stack_depth; zero means stack.DefaultMaxDepth (7, the
	// queens undercloud's).
	MaxDepth int
	// Sources, when set, receives the rendered files the compile read
	// (even when it fails), so that diagnostics show their lines.
	Sources *source.Cache
	// Provenance records on every value the steps that brought it to its
	// place (value.Origin: get_param, get_attr, map_merge, yaql, the role
	// aggregation and the hiera merge), for hoist why. It costs a copy
	// per step, so build and lint leave it off.
	Provenance bool
}

// Deployment is a compiled deployment.
type Deployment struct {
	// Name is the stack name.
	Name string
	// Templates, RolesFile and NetworkFile are absolute paths.
	Templates, RolesFile, NetworkFile string
	// Release is the TripleO release the tree is read as; ReleaseWhy says
	// why (the detection's evidence, or where it was set).
	Release    *release.Release
	ReleaseWhy string
	// Environments are the environment files merged, in order, the
	// registry first, then the plan's default environments (Defaults),
	// then the -e files (absolute paths).
	Environments []string
	// Defaults are the environments the tree's plan-environment.yaml (or
	// the release) adds after the registry, as the TripleO client did
	// (absolute paths).
	Defaults []string
	// Env is the merged environment.
	Env *environment.Env
	// Networks is the network_data document.
	Networks *value.Value
	// Roles are the roles of roles_data, in its order.
	Roles []*Role
	// ExtraConfig is the ExtraConfig parameter (hiera for every node).
	ExtraConfig *value.Value
	// Missing lists the parameters without a value (with AllowMissing; they
	// are unknown values in the results).
	Missing []*Missing
	// Rendered lists the Jinja2 outputs the compile read (slash paths in
	// the tree), sorted.
	Rendered []string

	files  *files
	loader *stack.Loader
	top    *stack.Stack
	// in and aggregation are what Record writes.
	in          Inputs
	aggregation Aggregation
}

// Role is one compiled role.
type Role struct {
	// Name is the role's name; Index its place in roles_data.
	Name  string
	Index int
	// Spec is the role's entry in roles_data.
	Spec *value.Value
	// Primary is set for the primary role: the first with the tags
	// primary and controller, else the first role.
	Primary bool
	// Tags and Networks are the role's tags and networks.
	Tags, Networks []string
	// Count is <Role>Count; HostnameFormat <Role>HostnameFormat.
	Count          int
	HostnameFormat string
	// Template is the role template (common/services/<role>-role.yaml).
	Template string
	// Services are the services listed for the role (<Role>Services), in
	// order, with what implements each.
	Services []*Service
	// Inputs are the properties overcloud.yaml gives the role's service
	// chain: Services, ServiceNetMap, ServiceData, EndpointMap,
	// DefaultPasswords, RoleName, RoleParameters.
	Inputs *value.Value
	// Data is the role's role_data: a map with the keys of the role
	// template's role_data output.
	Data *value.Value
	// ServiceConfigs is the role's hiera from its services and every
	// role's global and service settings (<Role>ServiceConfigSettings).
	ServiceConfigs *value.Value
	// ExtraConfig is <Role>ExtraConfig (hiera for the role's nodes).
	ExtraConfig *value.Value
	// AggregatedBy says how Data was merged (Native or Template).
	AggregatedBy Aggregation

	stackName   string
	hostnameMap *value.Value
}

// Hostname returns the hostname of the role's node index (0-based) as
// THT names servers: <Role>HostnameFormat with %stackname% and %index%
// replaced, looked up in the HostnameMap parameter, in lower case.
func (r *Role) Hostname(index int) string {
	return model.Hostname(r.stackName, r.HostnameFormat, r.Name, index, r.hostnameMap)
}

// Input returns one of the properties the role's service chain gets
// (RoleParameters, ServiceNetMap, EndpointMap, ...), or nil.
func (r *Role) Input(name string) *value.Value {
	if value.KindOf(r.Inputs) != value.Map {
		return nil
	}
	v, _ := r.Inputs.Map.Get(name)
	return v
}

// Hostnames returns the hostnames of the role's Count nodes.
func (r *Role) Hostnames() []string {
	out := make([]string, r.Count)
	for i := range out {
		out[i] = r.Hostname(i)
	}
	return out
}

// Service is one service listed for a role.
type Service struct {
	// Type is the type as listed, e.g. OS::TripleO::Services::Keystone.
	Type string
	// At is where it is listed.
	At source.Range
	// Template is the template implementing it (absolute), empty when the
	// registry maps it to a built-in type.
	Template string
	// Builtin is that built-in type (OS::Heat::None for a disabled service).
	Builtin string
	// Data is the service's role_data; nil for OS::Heat::None.
	Data *value.Value
}

// Enabled reports whether the service contributes to the role.
func (s *Service) Enabled() bool { return s.Data != nil }

// Param returns a parameter of the top-level template (overcloud.yaml) as
// the stack sees it, or nil.
func (d *Deployment) Param(name string) *value.Value {
	if d.top == nil {
		return nil
	}
	v, _ := d.top.Scope().ParamValue(name)
	return v
}

// Sources returns the rendered files the compile read, by the name
// diagnostics give them, so that snippets show the rendered text.
func (d *Deployment) Sources() map[string][]byte {
	out := map[string][]byte{}
	for abs, data := range d.files.Rendered() {
		out[d.loader.Display(abs)] = data
	}
	return out
}

// Display returns how diagnostics name an absolute path.
func (d *Deployment) Display(abs string) string { return d.loader.Display(abs) }

// Errors is several diagnostics returned as one error.
type Errors = diag.List

// compiler holds one compile's state.
type compiler struct {
	in      Inputs
	opts    Options
	d       *Deployment
	files   *files
	loader  *stack.Loader
	missing *missingSet
	roles   *value.Value
}

// Compile compiles a deployment. Errors are *diag.Diagnostic, Errors, or
// the Jinja2 diagnostics of an output the compile needed.
func Compile(in Inputs, o Options) (*Deployment, error) {
	c := &compiler{in: in, opts: o, missing: newMissingSet()}
	d, err := c.run()
	if d != nil {
		d.in, d.aggregation = in, o.Aggregation
	}
	if c.files != nil && o.Sources != nil {
		for abs, data := range c.files.Rendered() {
			o.Sources.Add(c.loader.Display(abs), data)
		}
	}
	if err != nil {
		err = c.withRenderFailures(err)
		if c.files != nil {
			err = newLocator(c.files, c.loader.Display, o.Sources).err(err)
		}
		return nil, err
	}
	d.Rendered = c.files.RenderedPaths()
	return d, nil
}

// Locate points a diagnostic about the compiled deployment (a plan
// finding, say) that falls in a Jinja2 template's rendered output at the
// *.j2.yaml line that wrote it, keeping the rendered place as a note;
// sources, when set, receives the templates' text for the snippets.
func (d *Deployment) Locate(dg *diag.Diagnostic, sources *source.Cache) {
	newLocator(d.files, d.loader.Display, sources).diag(dg)
}

// Placer returns a function that gives, for a range in a Jinja2 output
// the compile rendered, the *.j2.yaml line that wrote it (a file on
// disk), and any other range as it is.
func (d *Deployment) Placer(sources *source.Cache) func(source.Range) source.Range {
	l := newLocator(d.files, d.loader.Display, sources)
	return func(r source.Range) source.Range {
		if at, _, ok := l.locate(r); ok {
			return at.r
		}
		return r
	}
}

// withRenderFailures puts the Jinja2 diagnostics of the outputs the
// compile needed but could not render first, before the error that
// followed from them.
func (c *compiler) withRenderFailures(err error) error {
	if c.files == nil {
		return err
	}
	fails := c.files.Failures()
	if len(fails) == 0 {
		return err
	}
	var d *diag.Diagnostic
	var ds Errors
	switch {
	case errors.As(err, &ds):
		fails = append(fails, ds...)
	case errors.As(err, &d):
		fails = append(fails, d)
	}
	return Errors(fails)
}

func (c *compiler) run() (*Deployment, error) {
	if err := c.prepare(); err != nil {
		return nil, err
	}
	d := c.d
	top, err := stack.Top(filepath.Join(d.Templates, OvercloudFile), c.stackOptions(1))
	if err != nil {
		return nil, c.orMissing(err)
	}
	d.top = top
	if err := c.readRoles(); err != nil {
		return nil, c.orMissing(err)
	}
	if err := c.compileRoles(); err != nil {
		return nil, c.orMissing(err)
	}
	data := make([]*value.Value, len(d.Roles))
	at := make([]source.Range, len(d.Roles))
	names := make([]string, len(d.Roles))
	hieraAt := make([]source.Range, len(d.Roles))
	for i, r := range d.Roles {
		data[i] = r.Data
		at[i] = source.Range{File: c.loader.Display(r.Template)}
		names[i] = r.Name
		hieraAt[i] = at[i]
		if res, ok := top.Template.Resource(r.Name + "ServiceConfigSettings"); ok {
			hieraAt[i] = res.NameRange
			if v := value.Get(value.Get(res.Def, "properties"), "value"); v != nil {
				hieraAt[i] = v.Range
			}
		}
	}
	scs, err := serviceConfigs(data, at, names, c.opts.Provenance, hieraAt)
	if err != nil {
		return nil, c.orMissing(err)
	}
	for i, r := range d.Roles {
		r.ServiceConfigs = scs[i]
	}
	d.ExtraConfig = d.Param("ExtraConfig")
	d.Missing = c.missing.list()
	if len(d.Missing) > 0 && !c.in.AllowMissing {
		return nil, MissingError(d.Missing)
	}
	return d, nil
}

// orMissing prefers the missing-parameter error to an error that may
// follow from the unknown values standing for them.
func (c *compiler) orMissing(err error) error {
	if ms := c.missing.list(); len(ms) > 0 && !c.in.AllowMissing {
		return MissingError(ms)
	}
	return err
}

func (c *compiler) stackOptions(lazyDepth int) stack.Options {
	ctlplane := stack.DefaultCtlplane
	if len(c.in.CtlplaneSubnets) > 0 {
		ctlplane = stack.Network{Subnets: c.in.CtlplaneSubnets}
	}
	return stack.Options{Loader: c.loader, Env: c.d.Env, LazyDepth: lazyDepth, Missing: c.missing.value, StackName: c.d.Name, MaxDepth: c.opts.MaxDepth,
		Networks: stack.Networks{"ctlplane": ctlplane}, Provenance: c.opts.Provenance}
}

func inputError(at source.Range, format string, args ...any) *diag.Diagnostic {
	return diag.Newf(diag.Error, RuleInput, at, format, args...)
}
