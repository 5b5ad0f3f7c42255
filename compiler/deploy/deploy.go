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
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"hoist/compiler/environment"
	"hoist/compiler/hot"
	"hoist/compiler/jinja"
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
	for i, r := range d.Roles {
		data[i] = r.Data
		at[i] = source.Range{File: c.loader.Display(r.Template)}
	}
	scs, err := ServiceConfigs(data, at)
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
		Networks: stack.Networks{"ctlplane": ctlplane}}
}

func inputError(at source.Range, format string, args ...any) *diag.Diagnostic {
	return diag.Newf(diag.Error, RuleInput, at, format, args...)
}

// prepare resolves the paths, loads the roles and networks, plans the
// Jinja2 rendering and merges the environments.
func (c *compiler) prepare() error {
	in := c.in
	if in.Templates.Path == "" {
		return inputError(in.Templates.At, "no templates: give --templates DIR or templates in a deployment block of hoist.hcl")
	}
	root := stack.Abs(in.Templates.Path)
	if st, err := os.Stat(root); err != nil || !st.IsDir() {
		why := "it is not a folder"
		if err != nil {
			why = unwrap(err).Error()
		}
		return inputError(in.Templates.At, "templates %q cannot be used: %s", in.Templates.Path, why)
	}
	name := in.Name
	if name == "" {
		name = DefaultStackName
	}
	rel, why, err := chooseRelease(root, in.Templates, in.Release)
	if err != nil {
		return err
	}
	d := &Deployment{Name: name, Templates: root, Release: rel, ReleaseWhy: why}
	c.d = d
	c.loader = stack.NewLoader()
	c.loader.Base = c.opts.Base
	d.loader = c.loader

	rolesFile := orDefault(in.RolesFile, root, "roles_data.yaml")
	networkFile := orDefault(in.NetworkFile, root, "network_data.yaml")
	d.RolesFile, d.NetworkFile = rolesFile.Path, networkFile.Path
	roles, err := c.loadData(rolesFile, "roles")
	if err != nil {
		return err
	}
	networks, err := c.loadData(networkFile, "networks")
	if err != nil {
		return err
	}
	c.roles, d.Networks = roles, networks
	r, err := jinja.New(os.DirFS(root), roles, networks, jinja.Options{Dir: c.loader.Display(root)})
	if err != nil {
		return err
	}
	if err := c.checkCounts(); err != nil {
		return err
	}
	c.files = newFiles(root, r)
	d.files = c.files
	c.loader.ReadFile = c.files.ReadFile
	return c.loadEnvironments()
}

func orDefault(p Path, root, name string) Path {
	if p.Path == "" {
		return Path{Path: filepath.Join(root, name), At: p.At}
	}
	return Path{Path: stack.Abs(p.Path), At: p.At}
}

func unwrap(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// loadData loads roles_data or network_data.
func (c *compiler) loadData(p Path, what string) (*value.Value, error) {
	name := c.loader.Display(p.Path)
	src, err := os.ReadFile(p.Path)
	if err != nil {
		at := p.At
		if at.IsZero() {
			at = source.Range{File: name}
		}
		return nil, inputError(at, "cannot read the %s file %s: %v", what, name, unwrap(err))
	}
	return c.loadDocument(p.Path, name, src, nil)
}

// loadEnvironments loads the tree's registry and the -e files, in order,
// and merges them as the TripleO client did.
func (c *compiler) loadEnvironments() error {
	d := c.d
	paths := []Path{{Path: filepath.Join(d.Templates, RegistryFile)}}
	defaults, err := c.defaultEnvironments()
	if err != nil {
		return err
	}
	paths = append(paths, defaults...)
	paths = append(paths, c.in.Environments...)
	var envs []*environment.Env
	for i, p := range paths {
		abs := stack.Abs(p.Path)
		if i > 0 && !c.files.Exists(abs) {
			if st, err := os.Stat(abs); err == nil && st.IsDir() {
				return inputError(p.At, "environment file %s is a folder: give each environment file with its own -e", p.Path)
			}
			return inputError(p.At, "environment file %s does not exist", p.Path)
		}
		name := c.loader.Display(abs)
		src, err := c.files.ReadFile(abs)
		if err != nil {
			if i == 0 && !c.files.isRendered(abs) {
				return inputError(source.Range{File: name}, "the tree has no %s (nor %s to render it from)", RegistryFile, strings.TrimSuffix(RegistryFile, ".yaml")+".j2.yaml")
			}
			return err
		}
		root, err := c.loadDocument(abs, name, src, c.files.ReadFile)
		if err != nil {
			return err
		}
		e, err := environment.Parse(abs, root)
		if err != nil {
			return err
		}
		envs = append(envs, e)
		d.Environments = append(d.Environments, abs)
		if i > 0 && i <= len(defaults) {
			d.Defaults = append(d.Defaults, abs)
		}
	}
	merged, err := environment.Merge(envs...)
	if err != nil {
		return err
	}
	if len(c.in.Counts) > 0 {
		extra := value.NewMapping(len(c.in.Counts))
		for _, n := range c.in.Counts {
			extra.Set(value.NewString(n.Role+"Count", n.At), value.NewInt(int64(n.N), n.At))
		}
		if merged, err = merged.WithParameters(extra); err != nil {
			return err
		}
	}
	d.Env = merged
	return nil
}

// checkCounts checks that every role given a count is in the roles file
// (the roles file itself is checked by the Jinja2 planner).
func (c *compiler) checkCounts() error {
	var names []string
	known := map[string]bool{}
	if c.roles.Kind == value.List {
		for _, spec := range c.roles.List {
			if spec.Kind != value.Map {
				continue
			}
			if n, ok := spec.Map.Get("name"); ok && n.Kind == value.String {
				names = append(names, n.Str)
				known[n.Str] = true
			}
		}
	}
	var errs []*diag.Diagnostic
	for _, n := range c.in.Counts {
		if !known[n.Role] {
			e := diag.Newf(diag.Error, RuleRole, n.At, "role %q is not in the roles file %s; its roles are %s", n.Role, c.loader.Display(c.d.RolesFile), diag.QuoteList(names))
			e.Related = []diag.Related{{Range: c.roles.Range, Message: "the roles file"}}
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		return diag.Err(errs)
	}
	return nil
}

// readRoles reads each role's facts and checks the counts and services.
func (c *compiler) readRoles() error {
	d := c.d
	var tags [][]string
	for i, spec := range c.roles.List {
		name, _ := spec.Map.Get("name")
		r := &Role{Name: name.Str, Index: i, Spec: spec}
		r.Tags = stringList(spec, "tags")
		r.Networks = stringList(spec, "networks")
		tags = append(tags, r.Tags)
		d.Roles = append(d.Roles, r)
	}
	if len(d.Roles) == 0 {
		return inputError(c.roles.Range, "the roles file lists no roles")
	}
	d.Roles[model.PrimaryRole(tags)].Primary = true
	reg := d.Env.Registry()
	for _, r := range d.Roles {
		count, err := c.intParam(r.Name + "Count")
		if err != nil {
			return err
		}
		r.Count = count
		r.HostnameFormat = c.stringParam(r.Name + "HostnameFormat")
		r.stackName = d.Name
		r.hostnameMap, _ = d.Env.ParameterDefaults().Get("HostnameMap")
		r.ExtraConfig = d.Param(r.Name + "ExtraConfig")
		typ := "OS::TripleO::" + r.Name + "Services"
		res, err := reg.Resolve(typ, r.Name+"ServiceChain")
		if err != nil || res.Template == "" {
			var why string
			if err != nil {
				why = err.Error()
			} else {
				why = "it maps to the built-in type " + strconv.Quote(res.Builtin)
			}
			return diag.Newf(diag.Error, RuleRegistry, source.Range{File: c.loader.Display(d.Environments[0])}, "role %q: the resource_registry has no template for %s: %s", r.Name, typ, why)
		}
		if !c.files.Exists(res.Template) {
			return c.missingTemplate(res, typ)
		}
		r.Template = res.Template
		services, err := c.services(r)
		if err != nil {
			return err
		}
		r.Services = services
	}
	return nil
}

func (c *compiler) missingTemplate(res *environment.Resolved, typ string) *diag.Diagnostic {
	at := source.Range{}
	if res.Entry != nil {
		at = res.Entry.Range
	}
	return diag.Newf(diag.Error, RuleRegistry, at, "the resource_registry maps %s to %s, which does not exist", typ, c.loader.Display(res.Template))
}

func (c *compiler) intParam(name string) (int, error) {
	v := c.d.Param(name)
	switch value.KindOf(v) {
	case value.Int:
		return int(v.Int), nil
	case value.Float:
		return int(v.Float), nil
	case value.Null:
		return 0, nil
	}
	return 0, inputError(v.Range, "%s must be a known number, not %s", name, value.Repr(v))
}

func (c *compiler) stringParam(name string) string {
	v := c.d.Param(name)
	if v != nil && v.Kind == value.String {
		return v.Str
	}
	return ""
}

func stringList(m *value.Value, key string) []string {
	v, _ := m.Map.Get(key)
	if v == nil || v.Kind != value.List {
		return nil
	}
	var out []string
	for _, it := range v.List {
		if it.Kind == value.String {
			out = append(out, it.Str)
		}
	}
	return out
}

// services resolves the role's <Role>Services through the registry: each
// type must be known, and a template it maps to must exist.
func (c *compiler) services(r *Role) ([]*Service, error) {
	v := c.d.Param(r.Name + "Services")
	if value.KindOf(v) != value.List {
		return nil, inputError(v.Range, "%sServices must be a known list of service types, not %s", r.Name, value.Repr(v))
	}
	reg := c.d.Env.Registry()
	var errs []*diag.Diagnostic
	out := make([]*Service, 0, len(v.List))
	defaults := c.servicesDefault(r, v)
	for i, it := range v.List {
		if defaults != nil {
			it = value.NewString(it.Str, defaults[i].Range)
		}
		if it.Kind != value.String {
			errs = append(errs, diag.Newf(diag.Error, RuleRole, it.Range, "role %q: service %d must be a type name, not %s", r.Name, i, value.Repr(it)))
			continue
		}
		s := &Service{Type: it.Str, At: it.Range}
		res, err := reg.Resolve(it.Str, strconv.Itoa(i))
		if err != nil {
			e := diag.Newf(diag.Error, RuleRegistry, it.Range, "role %q: service %q is not in the resource_registry: map it to a template or to OS::Heat::None in an environment file", r.Name, it.Str)
			e.Related = []diag.Related{{Range: source.Range{File: c.loader.Display(c.d.Environments[0])}, Message: err.Error()}}
			errs = append(errs, e)
			continue
		}
		s.Template, s.Builtin = res.Template, res.Builtin
		if s.Template != "" && !c.files.Exists(s.Template) {
			e := c.missingTemplate(res, it.Str)
			e.Related = append(e.Related, diag.Related{Range: it.Range, Message: fmt.Sprintf("role %s lists %s", r.Name, it.Str)})
			errs = append(errs, e)
			continue
		}
		out = append(out, s)
	}
	if len(errs) > 0 {
		return nil, diag.Err(errs)
	}
	return out, nil
}

// servicesDefault returns the role's ServicesDefault items from roles_data
// when <Role>Services is the rendered registry's copy of them, so that
// errors point at the roles file; nil otherwise.
func (c *compiler) servicesDefault(r *Role, v *value.Value) []*value.Value {
	if len(v.List) == 0 || v.Range.File != c.loader.Display(c.d.Environments[0]) {
		return nil
	}
	sd, ok := r.Spec.Map.Get("ServicesDefault")
	if !ok || sd.Kind != value.List || len(sd.List) != len(v.List) {
		return nil
	}
	for i, it := range sd.List {
		if it.Kind != value.String || v.List[i].Kind != value.String || it.Str != v.List[i].Str {
			return nil
		}
	}
	return sd.List
}

// compileRoles evaluates every role's chain and merges its services.
func (c *compiler) compileRoles() error {
	d := c.d
	// The chains' properties, from the top-level stack (sequentially: a
	// stack is used by one goroutine).
	props := make([]*value.Value, len(d.Roles))
	for i, r := range d.Roles {
		p, err := d.top.Properties(r.Name + "ServiceChain")
		if err != nil {
			return err
		}
		props[i] = p
		r.Inputs = p
	}
	workers := c.opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	// The largest roles first, so that they do not finish last.
	order := make([]int, len(d.Roles))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return len(d.Roles[order[a]].Services) > len(d.Roles[order[b]].Services) })
	errs := make([]error, len(d.Roles))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, len(d.Roles)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = c.compileRole(d.Roles[i], props[i])
			}
		}()
	}
	for _, i := range order {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// compileRole instantiates the role template with the chain's properties
// and merges its services.
func (c *compiler) compileRole(r *Role, props *value.Value) error {
	o := c.stackOptions(2)
	if rt, ok := c.d.top.Template.Resource(r.Name + "ServiceChain"); ok {
		o.Frame = diag.Frame{Range: rt.Def.Range, Label: r.Name + "ServiceChain"}
	}
	rs, err := stack.Nested(r.Template, r.Name+"ServiceChain", props.Map, o)
	if err != nil {
		return err
	}
	members, err := rs.Attr("ServiceChain", "role_data")
	if err != nil {
		return err
	}
	if value.KindOf(members) != value.List || len(members.List) != len(r.Services) {
		return diag.Newf(diag.Error, RuleAggregate, source.Range{File: c.loader.Display(r.Template)}, "role %q: the service chain of %s has %s members, expected %d", r.Name, c.loader.Display(r.Template), describeLen(members), len(r.Services))
	}
	for i, s := range r.Services {
		if s.Builtin == "" || s.Builtin != "OS::Heat::None" {
			if m := members.List[i]; m.Kind != value.Null {
				s.Data = m
			}
		}
	}
	how := c.opts.Aggregation
	if how == Auto {
		how = Template
		if nativeTemplate(rs.Template) {
			how = Native
		}
	}
	r.AggregatedBy = how
	if how == Template {
		data, err := rs.Output("role_data")
		if err != nil {
			return err
		}
		r.Data = data
		return nil
	}
	in, err := c.aggregateInput(r, rs)
	if err != nil {
		return err
	}
	data, err := Aggregate(in)
	if err != nil {
		return err
	}
	r.Data = data
	return nil
}

func describeLen(v *value.Value) string {
	if value.KindOf(v) == value.List {
		return strconv.Itoa(len(v.List))
	}
	return "no list of"
}

// nativeTemplate reports whether a role template is the one Aggregate
// implements: its role_data output has exactly RoleDataKeys and it has the
// resources the merge reads.
func nativeTemplate(t *hot.Template) bool {
	o, ok := t.Output("role_data")
	if !ok || o.Def == nil || o.Def.Kind != value.Map {
		return false
	}
	v, ok := o.Def.Map.Get("value")
	if !ok || v.Kind != value.Map || v.Map.Len() != len(RoleDataKeys) {
		return false
	}
	for _, k := range RoleDataKeys {
		if !v.Map.Has(k) {
			return false
		}
	}
	for _, name := range []string{"ServiceChain", "LoggingConfiguration", "ServiceServerMetadataHook", "PuppetStepConfig"} {
		if _, ok := t.Resource(name); !ok {
			return false
		}
	}
	return commonStepFile(t) != ""
}

// commonStepFile returns the get_file path of the first item of the
// PuppetStepConfig list_join (overcloud_common.pp), "" when the template
// does not have that shape.
func commonStepFile(t *hot.Template) string {
	res, ok := t.Resource("PuppetStepConfig")
	if !ok {
		return ""
	}
	path := []any{"properties", "value", "list_join", 1, 0, "str_replace", "template", "get_file"}
	v := res.Def
	for _, p := range path {
		switch k := p.(type) {
		case string:
			if value.KindOf(v) != value.Map {
				return ""
			}
			v, _ = v.Map.Get(k)
		case int:
			if value.KindOf(v) != value.List || len(v.List) <= k {
				return ""
			}
			v = v.List[k]
		}
	}
	if value.KindOf(v) != value.String {
		return ""
	}
	return v.Str
}

// aggregateInput reads what Aggregate needs from the role stack.
func (c *compiler) aggregateInput(r *Role, rs *stack.Stack) (AggregateInput, error) {
	in := AggregateInput{At: source.Range{File: c.loader.Display(r.Template)}}
	for _, s := range r.Services {
		in.Members = append(in.Members, Member{Type: s.Type, Data: s.Data})
	}
	res, _ := rs.Template.Resource("PuppetStepConfig")
	content, err := rs.GetFile(commonStepFile(rs.Template), true, res.Def.Range)
	if err != nil {
		return in, err
	}
	roleName, _ := rs.Scope().ParamValue("RoleName")
	if value.KindOf(content) == value.String && value.KindOf(roleName) == value.String {
		in.CommonStep = value.NewString(strings.ReplaceAll(content.Str, "__ROLE__", roleName.Str), content.Range)
	} else {
		in.CommonStep = value.NewUnknown("the common step_config, known when deployed", content.Range)
	}
	logging := value.NewMapping(4)
	for _, k := range []string{"LoggingDefaultSources", "LoggingExtraSources", "LoggingDefaultGroups", "LoggingExtraGroups"} {
		v, err := rs.Attr("LoggingConfiguration", k)
		if err != nil {
			return in, err
		}
		logging.Set(value.NewString(k, v.Range), v)
	}
	in.Logging = logging
	md, err := rs.Attr("ServiceServerMetadataHook", "metadata")
	if err != nil {
		return in, err
	}
	in.MetadataSettings = md
	return in, nil
}
