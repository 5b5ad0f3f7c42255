package hot

import (
	"hoist/value"
)

// ---- get_attr, get_resource ---------------------------------------------

// resource finds an enabled resource by name for get_attr and get_resource.
func (s *Scope) resource(n *Node, name *value.Value) (*Resource, error) {
	if name.Kind != value.String {
		return nil, s.callError(n, "the resource name must be a string, not %s", describe(name))
	}
	r, ok := s.T.resources[name.Str]
	if !ok && s.static {
		return nil, nil
	}
	if !ok {
		var names []string
		for _, r := range s.T.Resources {
			names = append(names, r.Name)
		}
		return nil, s.errorf(name.Range, RuleResource, "%s: the specified reference %q is incorrect: no such resource; resources: %s", n.Name, name.Str, nameList(names))
	}
	en, err := s.Enabled(r.Condition)
	if err != nil {
		return nil, err
	}
	if en.Kind == value.Bool && !en.Bool {
		return nil, s.errorf(name.Range, RuleResource, "%s: the specified reference %q is incorrect: the resource is disabled by its condition (guard the reference with if)", n.Name, name.Str)
	}
	return r, nil
}

func (s *Scope) getAttr(n *Node) (*value.Value, error) {
	a := n.Arg
	var resNode, attrNode *Node
	var pathNodes []*Node
	if a.isString() {
		// get_attr: "R", a one-character resource name (a Python string is
		// a sequence).
		resNode = a
	} else {
		resNode = a.Items[0]
		if len(a.Items) > 1 {
			attrNode, pathNodes = a.Items[1], a.Items[2:]
		}
	}
	path := make([]*value.Value, len(pathNodes))
	for i, pn := range pathNodes {
		v, err := s.Eval(pn)
		if err != nil {
			return nil, err
		}
		path[i] = v
	}
	var attr *value.Value
	if attrNode != nil {
		v, err := s.Eval(attrNode)
		if err != nil {
			return nil, err
		}
		attr = v
	}
	name, done, err := s.known(n, resNode)
	if done != nil || err != nil {
		return done, err
	}
	r, err := s.resource(n, name)
	if err != nil {
		return nil, err
	}
	if attr != nil && attr.Kind == value.Unknown {
		return unknownAt(attr, n), nil
	}
	return s.host.GetAttr(r, attr, path, n.Range())
}

func (s *Scope) getResource(n *Node) (*value.Value, error) {
	name, done, err := s.known(n, n.Arg)
	if done != nil || err != nil {
		return done, err
	}
	r, err := s.resource(n, name)
	if err != nil {
		return nil, err
	}
	return s.host.GetResource(r, n.Range())
}

func (s *Scope) ref(n *Node) (*value.Value, error) {
	name, err := s.Eval(n.Arg)
	if err != nil {
		return nil, err
	}
	if name.Kind == value.String {
		if _, ok := s.T.resources[name.Str]; ok {
			return s.getResource(n)
		}
		if st, ok := s.params[name.Str]; ok {
			return st.typed, nil
		}
	}
	return nil, s.callError(n, "%s is neither a resource nor a parameter of the template", describe(name))
}

func (s *Scope) resourceFacade(n *Node) (*value.Value, error) {
	what, err := s.Eval(n.Arg)
	if err != nil {
		return nil, err
	}
	w := value.Str(what)
	switch n.fn {
	case fnCfnResourceFacade:
		m := map[string]string{"Metadata": "metadata", "DeletionPolicy": "deletion_policy", "UpdatePolicy": "update_policy"}
		if x, ok := m[w]; ok {
			w = x
		} else {
			return nil, s.callError(n, `argument must be one of "Metadata", "DeletionPolicy" or "UpdatePolicy", not %s`, describe(what))
		}
	}
	return s.host.ResourceFacade(w, n.Range())
}

// ---- get_file -----------------------------------------------------------

func (s *Scope) getFile(n *Node) (*value.Value, error) {
	p, done, err := s.known(n, n.Arg)
	if done != nil || err != nil {
		return done, err
	}
	if p.Kind != value.String {
		return nil, s.callError(n, "argument must be a string (a path relative to the template), not %s", describe(p))
	}
	return s.host.GetFile(p.Str, n.Arg.Static, n.Range())
}
