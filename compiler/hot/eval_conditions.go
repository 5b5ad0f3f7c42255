package hot

import (
	"hoist/value"
)

// ---- conditions ---------------------------------------------------------

func (s *Scope) ifCall(n *Node) (*value.Value, error) {
	c, err := s.Eval(n.cond)
	if err != nil {
		return nil, err
	}
	b, err := s.condValue(c, n.cond.Range())
	if err != nil {
		return nil, err
	}
	if b.Kind == value.Unknown {
		return value.NewUnknown("if: the condition is only known at deploy time: "+b.Str, n.Range()), nil
	}
	if b.Bool {
		return s.Eval(n.then)
	}
	return s.Eval(n.els)
}

func (s *Scope) equals(n *Node) (*value.Value, error) {
	vs, done, err := s.knownAll(n, n.Arg.Items[0], n.Arg.Items[1])
	if done != nil || err != nil {
		return done, err
	}
	return value.NewBool(value.Equal(vs[0], vs[1]), n.Range()), nil
}

func (s *Scope) not(n *Node) (*value.Value, error) {
	v, err := s.Eval(n.Arg)
	if err != nil {
		return nil, err
	}
	b, err := s.condValue(v, n.Arg.Range())
	if err != nil {
		return nil, err
	}
	if b.Kind == value.Unknown {
		return unknownAt(b, n), nil
	}
	return value.NewBool(!b.Bool, n.Range()), nil
}

func (s *Scope) andOr(n *Node) (*value.Value, error) {
	args, err := s.Eval(n.Arg)
	if err != nil {
		return nil, err
	}
	isAnd := n.fn == fnAnd
	var unknown *value.Value
	for i, it := range args.List {
		b, err := s.condValue(it, n.Arg.Items[i].Range())
		if err != nil {
			return nil, err
		}
		if b.Kind == value.Unknown {
			unknown = b
			continue
		}
		if b.Bool != isAnd {
			return value.NewBool(!isAnd, n.Range()), nil
		}
	}
	if unknown != nil {
		return unknownAt(unknown, n), nil
	}
	return value.NewBool(isAnd, n.Range()), nil
}
