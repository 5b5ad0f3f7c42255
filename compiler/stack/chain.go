package stack

import (
	"fmt"
	"strconv"
	"strings"

	"hoist/compiler/hot"
	"hoist/diag"
	"hoist/source"
	"hoist/value"
)

// buildChain creates an OS::Heat::ResourceChain: a nested stack whose
// members "0", "1", ... have the types listed in resources, each given
// resource_properties.
func (s *Stack) buildChain(r *resource) error {
	ranges := s.propRanges(r)
	for _, e := range r.props.Map.Entries() {
		k := value.Str(e.Key)
		if k != "resources" && k != "concurrent" && k != "resource_properties" {
			return s.errorf(s.propRange(r, ranges, k, e.Key), hot.RuleResource, "resource %q (OS::Heat::ResourceChain): unknown property %q; it has \"resources\", \"concurrent\" and \"resource_properties\"", r.name, k)
		}
	}
	types, ok := r.props.Map.Get("resources")
	if !ok {
		return s.errorf(s.propRange(r, ranges, "", nil), hot.RuleResource, "resource %q (OS::Heat::ResourceChain): property \"resources\" not assigned", r.name)
	}
	tl, msg := coerceStrict(hot.TypeList, types)
	if msg != "" {
		return s.errorf(s.propRange(r, ranges, "resources", types), hot.RuleResource, "resource %q: property \"resources\": %s", r.name, msg)
	}
	if c, ok := r.props.Map.Get("concurrent"); ok {
		if _, msg := coerceStrict(hot.TypeBoolean, c); msg != "" {
			return s.errorf(s.propRange(r, ranges, "concurrent", c), hot.RuleResource, "resource %q: property \"concurrent\": %s", r.name, msg)
		}
	}
	props := value.NewMap(nil, r.typeRange)
	if rp, ok := r.props.Map.Get("resource_properties"); ok {
		pv, msg := coerceStrict(hot.TypeJSON, rp)
		if msg != "" {
			return s.errorf(s.propRange(r, ranges, "resource_properties", rp), hot.RuleResource, "resource %q: property \"resource_properties\": %s", r.name, msg)
		}
		props = pv
	}
	if tl.Kind == value.Unknown || props.Kind == value.Unknown {
		return s.errorf(s.propRange(r, ranges, "resources", types), hot.RuleResource, "resource %q: the members of a ResourceChain must be known when compiling", r.name)
	}
	if s.depth+1 > s.ctx.maxDepth {
		return s.errorf(r.typeRange, hot.RuleResource, "resource %q: nested stacks deeper than %d levels (max_nested_stack_depth)", r.name, s.ctx.maxDepth)
	}
	chainFrame := r.frame
	cs := &Stack{ctx: s.ctx, registry: s.registry.Child(nil, r.name), depth: s.depth + 1,
		chain: append([]diag.Frame{chainFrame}, s.chain...), parent: r, resources: map[string]*resource{}}
	r.chainStack = cs
	for i, t := range tl.List {
		name := strconv.Itoa(i)
		if t.Kind != value.String {
			return s.errorf(t.Range, hot.RuleResource, "resource %q: member %s type must be a string, not %s", r.name, name, value.Repr(t))
		}
		if t.Str == "" {
			return s.errorf(t.Range, hot.RuleResource, "resource %q: member %s has no type", r.name, name)
		}
		m := &resource{name: name, stack: cs, typeRange: t.Range, typ: t.Str, props: props,
			frame: diag.Frame{Range: chainFrame.Range, Label: fmt.Sprintf("%s.%s %s", r.name, name, t.Str)}}
		r.members = append(r.members, m)
		cs.resources[name] = m
	}
	for _, m := range r.members {
		if err := cs.create(m); err != nil {
			return err
		}
	}
	return nil
}

// chainAttr is get_attr of a ResourceChain: for an attribute of the
// members, the list of each member's attribute (null for an
// OS::Heat::None member or a missing path); refs; attributes with a path;
// resource.N.attr.
func (s *Stack) chainAttr(r *resource, attr *value.Value, path []*value.Value, call source.Range) (*value.Value, error) {
	cs := r.chainStack
	if attr == nil {
		return value.NewMap(nil, call), nil
	}
	a := attr.Str
	switch {
	case a == "refs":
		items := make([]*value.Value, len(r.members))
		for i, m := range r.members {
			v, err := cs.ref(m, call)
			if err != nil {
				return nil, err
			}
			items[i] = v
		}
		return hot.SelectPath(value.NewList(items, call), path, call), nil
	case a == "attributes":
		if len(path) == 0 {
			return nil, s.errorf(attr.Range, hot.RuleFunction, "get_attr: the attributes attribute of resource %q needs an attribute name after it", r.name)
		}
		out := value.NewMapping(len(r.members))
		for _, m := range r.members {
			v, err := cs.attr(m, path[0], path[1:], call)
			if err != nil {
				return nil, err
			}
			out.Set(value.NewString(m.name, call), v)
		}
		return hot.JSONRoundTrip(value.NewMap(out, call)), nil
	case strings.HasPrefix(a, "resource."):
		parts := strings.SplitN(a, ".", 3)
		m, ok := cs.resources[parts[1]]
		if !ok {
			return nil, s.errorf(attr.Range, hot.RuleFunction, "get_attr: member %q not found in resource %q", parts[1], r.name)
		}
		var rest []*value.Value
		if len(parts) == 3 {
			rest = append(rest, value.NewString(parts[2], attr.Range))
		}
		rest = append(rest, path...)
		if len(rest) == 0 {
			return cs.ref(m, call)
		}
		return cs.attr(m, rest[0], rest[1:], call)
	}
	items := make([]*value.Value, len(r.members))
	for i, m := range r.members {
		v, err := cs.attr(m, attr, path, call)
		if err != nil {
			return nil, err
		}
		items[i] = v
	}
	return hot.JSONRoundTrip(value.NewList(items, call)), nil
}
