package deploy

import (
	"sort"
	"strconv"
	"strings"

	"hoist/compiler/hot"
	"hoist/compiler/stack"
	"hoist/diag"
	"hoist/internal/workers"
	"hoist/source"
	"hoist/value"
)

// The service chain stage: each role's chain evaluated (steps 3 and 4 of
// the package doc, roles in parallel) and its services' role data handed
// to the merge (step 5).

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
	// The largest roles first, so that they do not finish last.
	order := workers.Indexes(len(d.Roles))
	sort.SliceStable(order, func(a, b int) bool { return len(d.Roles[order[a]].Services) > len(d.Roles[order[b]].Services) })
	return workers.Run(order, c.opts.Workers, func(i int) error { return c.compileRole(d.Roles[i], props[i]) })
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
	in := AggregateInput{At: source.Range{File: c.loader.Display(r.Template)}, Provenance: c.opts.Provenance, Role: r.Name}
	if c.opts.Provenance {
		in.KeyAt = map[string]source.Range{}
		if o, ok := rs.Template.Output("role_data"); ok {
			if v := value.Get(o.Def, "value"); v != nil && v.Kind == value.Map {
				for _, e := range v.Map.Entries() {
					in.KeyAt[value.Str(e.Key)] = mergeSite(rs.Template, e.Val)
				}
			}
		}
	}
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

// mergeSite is where a role_data entry of the role template is computed:
// the value of the OS::Heat::Value resource it reads with get_attr
// [Name, value] (DockerConfig's yaql), else the entry itself.
func mergeSite(t *hot.Template, entry *value.Value) source.Range {
	args := value.ItemsOf(value.Get(entry, "get_attr"))
	if len(args) == 2 {
		name, _ := value.StringOf(args[0])
		if attr, _ := value.StringOf(args[1]); attr == "value" {
			if res, ok := t.Resource(name); ok {
				if v := value.Get(value.Get(res.Def, "properties"), "value"); v != nil {
					return v.Range
				}
			}
		}
	}
	return entry.Range
}
