package deploy

import (
	"fmt"
	"strconv"

	"hoist/compiler/environment"
	"hoist/diag"
	"hoist/model"
	"hoist/source"
	"hoist/value"
)

// The roles stage: each role's facts from roles_data and the parameters,
// and the services its <Role>Services lists, resolved in the registry.

// readRoles reads each role's facts and checks the counts and services.
func (c *compiler) readRoles() error {
	d := c.d
	var tags [][]string
	for i, spec := range c.roles.List {
		name, _ := spec.Map.Get("name")
		r := &Role{Name: name.Str, Index: i, Spec: spec}
		r.Tags = value.StringItems(value.Get(spec, "tags"))
		r.Networks = value.StringItems(value.Get(spec, "networks"))
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
