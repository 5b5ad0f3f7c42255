package hot

import (
	"hoist/value"
)

// maxEvalDepth bounds the nesting of function calls evaluated at once, so
// that a hostile template ends in an error rather than a stack overflow.
const maxEvalDepth = 2000

// Limits on what one function call may produce. Heat has none (it would
// exhaust memory); they are far above anything TripleO produces (its
// longest strings are a few kilobytes, its longest lists a few hundred
// items) and stop templates that grow exponentially (nested str_replace,
// repeat over products).
const (
	MaxStringLen = 16 << 20
	MaxListLen   = 1 << 20
	// maxRepeatNodes bounds the values a repeat produces in all.
	maxRepeatNodes = 4 << 20
)

func (s *Scope) checkString(n *Node, l int) error {
	if l > MaxStringLen {
		return s.callError(n, "produces a string of %d bytes, more than the %d hoist allows", l, MaxStringLen)
	}
	return nil
}

func (s *Scope) checkList(n *Node, l int) error {
	if l > MaxListLen {
		return s.callError(n, "produces a list of %d items, more than the %d hoist allows", l, MaxListLen)
	}
	return nil
}

// nodeCount counts the values of v, stopping once past limit.
func nodeCount(v *value.Value, limit int) int {
	n := 1
	switch v.Kind {
	case value.List:
		for _, it := range v.List {
			if n > limit {
				return n
			}
			n += nodeCount(it, limit-n)
		}
	case value.Map:
		for _, e := range v.Map.Entries() {
			if n > limit {
				return n
			}
			n += 1 + nodeCount(e.Val, limit-n)
		}
	}
	return n
}

// Eval resolves a parsed node in this stack: data is rebuilt with its
// values resolved (keys are never evaluated), calls are evaluated. A node
// without calls is returned as written, shared.
func (s *Scope) Eval(n *Node) (*value.Value, error) {
	if n.Static {
		return n.Val, nil
	}
	s.depth++
	defer func() { s.depth-- }()
	if s.depth > maxEvalDepth {
		return nil, s.errorf(n.Range(), RuleFunction, "functions nested more than %d levels deep", maxEvalDepth)
	}
	switch n.Kind {
	case Error:
		return nil, s.nodeError(n)
	case MapNode:
		m := value.NewMapping(len(n.Items))
		for i, it := range n.Items {
			v, err := s.Eval(it)
			if err != nil {
				return nil, err
			}
			m.Set(n.Keys[i], v)
		}
		return &value.Value{Kind: value.Map, Map: m, Range: n.Val.Range, Via: n.Val.Via}, nil
	case ListNode:
		items := make([]*value.Value, len(n.Items))
		for i, it := range n.Items {
			v, err := s.Eval(it)
			if err != nil {
				return nil, err
			}
			items[i] = v
		}
		return &value.Value{Kind: value.List, List: items, Range: n.Val.Range, Via: n.Val.Via}, nil
	case Call:
		if s.memo != nil {
			if r, ok := s.memo[n]; ok {
				return r.v, r.err
			}
			v, err := s.call(n)
			s.memo[n] = memoResult{v, err}
			return v, err
		}
		return s.call(n)
	}
	return n.Val, nil
}

// callError is an error of a function call, at the call.
func (s *Scope) callError(n *Node, format string, args ...any) error {
	return s.errorf(n.Range(), RuleFunction, n.Name+": "+format, args...)
}

// unknownAt returns an unknown placed at the call, carrying u's reason.
func unknownAt(u *value.Value, n *Node) *value.Value {
	return value.NewUnknown(u.Str, n.Range())
}

// knownAll is the prologue of the intrinsics that compare their
// arguments whole (equals, contains): it evaluates them in order; when one
// holds an unknown value anywhere, done is unknown (at the call, with the
// first such value's reason).
func (s *Scope) knownAll(n *Node, args ...*Node) (vs []*value.Value, done *value.Value, err error) {
	vs = make([]*value.Value, len(args))
	for i, a := range args {
		if vs[i], err = s.Eval(a); err != nil {
			return nil, nil, err
		}
	}
	for _, v := range vs {
		if u := v.FirstUnknown(); u != nil {
			return vs, unknownAt(u, n), nil
		}
	}
	return vs, nil, nil
}

// known is the prologue of the intrinsics: it evaluates arg, an argument
// of call n. When the argument is an unknown value the call's result is
// unknown too: done holds it (at the call), and the caller returns done,
// err at once, as it does on an error.
func (s *Scope) known(n, arg *Node) (v, done *value.Value, err error) {
	v, err = s.Eval(arg)
	if err == nil && v.Kind == value.Unknown {
		done = unknownAt(v, n)
	}
	return v, done, err
}

func (s *Scope) call(n *Node) (*value.Value, error) {
	switch n.fn {
	case fnGetParam:
		return s.getParam(n)
	case fnGetAttThenSelect, fnGetAtt, fnGetAttAll:
		return s.getAttr(n)
	case fnGetResource:
		return s.getResource(n)
	case fnGetFile:
		return s.getFile(n)
	case fnJoin, fnCfnJoin:
		return s.join(n)
	case fnJoinMultiple:
		return s.joinMultiple(n)
	case fnReplace, fnReplaceJSON, fnReplaceStrict, fnReplaceVStrict, fnCfnReplace:
		return s.strReplace(n)
	case fnRepeat, fnRepeatWithMap, fnRepeatNestedLoop:
		return s.repeat(n)
	case fnDigest:
		return s.digest(n)
	case fnStrSplit:
		return s.strSplit(n)
	case fnMapMerge:
		return s.mapMerge(n)
	case fnMapReplace:
		return s.mapReplace(n)
	case fnYaql:
		return s.yaql(n)
	case fnIf:
		return s.ifCall(n)
	case fnEquals:
		return s.equals(n)
	case fnNot:
		return s.not(n)
	case fnAnd, fnOr:
		return s.andOr(n)
	case fnFilter:
		return s.filter(n)
	case fnMakeURL:
		return s.makeURL(n)
	case fnListConcat, fnListConcatUnique:
		return s.listConcat(n)
	case fnContains:
		return s.contains(n)
	case fnResourceFacade, fnCfnResourceFacade:
		return s.resourceFacade(n)
	case fnRemoved:
		return nil, s.callError(n, "the function is not supported in heat_template_version %s", s.T.Version)
	case fnSelect:
		return s.selectFn(n)
	case fnCfnSplit:
		return s.cfnSplit(n)
	case fnBase64:
		return s.base64(n)
	case fnMemberListToMap:
		return s.memberListToMap(n)
	case fnGetAZs:
		return value.NewUnknown("the availability zones of the cloud", n.Range()), nil
	case fnRef:
		return s.ref(n)
	}
	return nil, s.callError(n, "not implemented")
}
