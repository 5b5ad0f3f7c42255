package stack

import (
	"hoist/compiler/hot"
	"hoist/value"
)

// Attr returns get_attr [res, attr, path...] as the stack's own template
// would see it, creating the resource first if it is not yet (see
// Options.LazyDepth).
func (s *Stack) Attr(res, attr string, path ...*value.Value) (*value.Value, error) {
	hr, r, err := s.lookup(res)
	if err != nil {
		return nil, err
	}
	if err := s.create(r); err != nil {
		return nil, err
	}
	if r.kind == kindDisabled {
		return nil, s.errorf(hr.NameRange, hot.RuleFunction, "get_attr: resource %q is disabled by its condition", res)
	}
	call := hr.NameRange
	return s.attr(r, value.NewString(attr, call), path, call)
}

// Properties returns the properties of resource res resolved in the
// stack, as Heat would pass them to the resource, without creating it: for
// a template resource, the values its nested stack's parameters are made
// from.
func (s *Stack) Properties(res string) (*value.Value, error) {
	hr, r, err := s.lookup(res)
	if err != nil {
		return nil, err
	}
	en, err := s.scope.Enabled(hr.Condition)
	if err != nil {
		return nil, err
	}
	if en.Kind == value.Bool && !en.Bool {
		return nil, s.errorf(hr.NameRange, hot.RuleResource, "resource %q is disabled by its condition", res)
	}
	return s.resolveProps(r)
}

func (s *Stack) lookup(res string) (*hot.Resource, *resource, error) {
	hr, ok := s.Template.Resource(res)
	r := s.resources[res]
	if !ok || r == nil {
		return nil, nil, s.errorf(s.Template.Root.Range, hot.RuleResource, "%s has no resource %q", s.Template.File, res)
	}
	return hr, r, nil
}
