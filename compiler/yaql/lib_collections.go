package yaql

import "hoist/value"

// yaql's collections module: list, dict and set construction and access,
// the operators on them, and Python's tuple, FrozenDict and frozenset
// semantics.

func collectionsLib() map[string][]*overload {
	m := map[string][]*overload{
		"#list": {keepUnk(function(func(c *callCtx, a []obj) (obj, error) { return c.ev.tuple(a, c.off) }, param{name: "args", rest: true}))},
		"#map":  {keepUnk(noKw(function(fnDictRules, rest("args", tyRule))))},
		"dict": {
			keepUnk(noKw(function(fnDictRules, rest("args", tyRule)))),
			noKw(function(fnDictItems, it("items"))),
		},
		"list":    {keepUnk(function(func(c *callCtx, a []obj) (obj, error) { return c.ev.listOf(a, c.off, false) }, param{name: "args", rest: true}))},
		"set":     {keepUnk(function(func(c *callCtx, a []obj) (obj, error) { return c.ev.listOf(a, c.off, true) }, param{name: "args", rest: true}))},
		"toList":  {method(func(c *callCtx, a []obj) (obj, error) { return c.ev.toTuple(a[0], c.off) }, it("collection"))},
		"toSet":   {method(func(c *callCtx, a []obj) (obj, error) { return c.ev.toSet(a[0], c.off) }, it("collection"))},
		"flatten": {method(fnFlatten, it("collection"))},
		"toDict":  {method(fnToDict, it("collection"), lam("keySelector"), optLam("valueSelector"))},
		"#indexer": {
			function(fnListIndex, req("list", tySequence), req("index", tyInt)),
			function(fnDictIndex, req("dict", tyMapping), req("key", nil)),
			function(fnDictIndex, req("dict", tyMapping), req("key", nil), req("default", nil)),
		},
		"get": {method(fnDictIndex, req("dict", tyMapping), req("key", nil), opt("default", nil))},
		"keys": {method(func(c *callCtx, a []obj) (obj, error) {
			return valuesIter(a[0].v.Map.Keys()), nil
		}, req("dict", tyMapping))},
		"values": {method(func(c *callCtx, a []obj) (obj, error) {
			es := a[0].v.Map.Entries()
			vals := make([]*value.Value, len(es))
			for i, e := range es {
				vals[i] = e.Val
			}
			return valuesIter(vals), nil
		}, req("dict", tyMapping))},
		"items": {method(func(c *callCtx, a []obj) (obj, error) {
			es := a[0].v.Map.Entries()
			pairs := make([]*value.Value, len(es))
			for i, e := range es {
				pairs[i] = value.NewList([]*value.Value{e.Key, e.Val}, zr)
			}
			return valuesIter(pairs), nil
		}, req("dict", tyMapping))},
		"#operator_in": {function(func(c *callCtx, a []obj) (obj, error) { return c.ev.contains(a[1], a[0], c.off) }, req("value", nil), it("collection"))},
		"contains":     {method(func(c *callCtx, a []obj) (obj, error) { return c.ev.contains(a[0], a[1], c.off) }, it("collection"), req("value", nil))},
		"containsKey": {method(func(c *callCtx, a []obj) (obj, error) {
			if _, err := c.ev.hashKey(a[1], c.off); err != nil {
				return obj{}, err
			}
			_, ok := lookup(a[0].v, a[1])
			return boolean(ok), nil
		}, req("dict", tyMapping), req("key", nil))},
		"containsValue": {method(func(c *callCtx, a []obj) (obj, error) {
			for _, e := range a[0].v.Map.Entries() {
				eq, err := c.ev.equal(data(e.Val), a[1])
				if err != nil || eq {
					return boolean(eq), err
				}
			}
			return boolean(false), nil
		}, req("dict", tyMapping), req("value", nil))},
		"deleteAll": {method(fnDeleteAll, req("dict", tyMapping), it("keys"))},
		"delete": {method(func(c *callCtx, a []obj) (obj, error) {
			return fnDeleteAll(c, []obj{a[0], sliceIter(a[1:])})
		}, req("dict", tyMapping), param{name: "keys", rest: true})},
		"isDict": {function(func(c *callCtx, a []obj) (obj, error) { return boolean(isMap(a[0])), nil }, req("arg", nil))},
		"isList": {function(func(c *callCtx, a []obj) (obj, error) { return boolean(isSequence(a[0])), nil }, req("arg", nil))},
		"isSet":  {function(func(c *callCtx, a []obj) (obj, error) { return boolean(a[0].k == kSet), nil }, req("arg", nil))},
		"len": {
			extension(func(c *callCtx, a []obj) (obj, error) { return integer(int64(a[0].v.Map.Len())), nil }, req("dict", tyMapping)),
			extension(func(c *callCtx, a []obj) (obj, error) { return integer(int64(len(a[0].v.List))), nil }, req("sequence", tySequence)),
			extension(func(c *callCtx, a []obj) (obj, error) { return integer(int64(len(a[0].v.List))), nil }, req("set", tySet)),
		},
		"#operator_+": {
			function(fnCombineDicts, req("left", tyMapping), req("right", tyMapping)),
			function(fnCombineLists, it("left"), it("right")),
		},
		"#operator_-": {
			function(func(c *callCtx, a []obj) (obj, error) { return c.ev.setDifference(a[0], a[1], c.off) }, req("left", tySet), req("right", tySet)),
		},
		"#operator_*": {
			function(func(c *callCtx, a []obj) (obj, error) { return c.ev.repeatSeq(a[0], a[1].v, c.off) }, req("left", tySequence), req("right", tyInt)),
			function(func(c *callCtx, a []obj) (obj, error) { return c.ev.repeatSeq(a[1], a[0].v, c.off) }, req("left", tyInt), req("right", tySequence)),
		},
	}
	for _, op := range []string{"<", "<=", ">", ">="} {
		m["#operator_"+op] = []*overload{
			function(func(c *callCtx, a []obj) (obj, error) { return c.ev.setCompare(op, a[0], a[1], c.off) }, req("left", tySet), req("right", tySet)),
		}
	}
	return m
}

// lookup finds a key in a map value, as a Python dict lookup.
func lookup(m *value.Value, k obj) (*value.Value, bool) {
	if k.k != kData {
		return nil, false
	}
	return m.Map.Lookup(k.v)
}

// tuple builds a tuple from values, which must be data.
func (ev *evaluator) tuple(items []obj, off int) (obj, error) {
	if err := ev.quota(off, items...); err != nil {
		return obj{}, err
	}
	out := make([]*value.Value, len(items))
	for i, x := range items {
		v, err := ev.asData(x, off)
		if err != nil {
			return obj{}, err
		}
		out[i] = v
	}
	return data(value.NewList(out, zr)), nil
}

// asData converts an object to a value that can sit in a list or map:
// data as it is, a set or iterator materialised (hoist stores them as
// lists; Python would keep the object).
func (ev *evaluator) asData(o obj, off int) (*value.Value, error) {
	switch o.k {
	case kData:
		return o.v, nil
	case kSet:
		return o.v, nil
	case kIter:
		return ev.finalize(o, off)
	}
	return nil, errorf(off, "type", "hoist cannot store a "+o.typeName()+" inside a list or dict")
}

func fnDictRules(c *callCtx, a []obj) (obj, error) {
	m := value.NewMapping(len(a))
	for _, r := range a {
		if err := c.ev.quota(c.off, obj{k: kRule}); err != nil {
			return obj{}, err
		}
		if err := c.ev.setKey(m, r.rule.key, r.rule.val, c.off); err != nil {
			return obj{}, err
		}
	}
	return data(value.NewMap(m, zr)), nil
}

func (ev *evaluator) setKey(m *value.Mapping, k, v obj, off int) error {
	if _, err := ev.hashKey(k, off); err != nil {
		return err
	}
	kv, err := ev.asData(k, off)
	if err != nil {
		return err
	}
	vv, err := ev.asData(v, off)
	if err != nil {
		return err
	}
	m.Set(kv, vv)
	return nil
}

func fnDictItems(c *callCtx, a []obj) (obj, error) {
	m := value.NewMapping(0)
	cur := c.ev.cursor(a[0], c.off)
	for {
		t, ok, err := cur()
		if err != nil {
			return obj{}, err
		}
		if !ok {
			break
		}
		inner, err := c.ev.pyIter(t, c.off)
		if err != nil {
			return obj{}, err
		}
		k, ok, err := inner()
		if err == nil && !ok {
			err = errorf(c.off, "stop-iteration", "StopIteration: a dict() item has no key")
		}
		if err != nil {
			return obj{}, err
		}
		v, ok, err := inner()
		if err == nil && !ok {
			err = errorf(c.off, "stop-iteration", "StopIteration: a dict() item has no value")
		}
		if err != nil {
			return obj{}, err
		}
		if err := c.ev.setKey(m, k, v, c.off); err != nil {
			return obj{}, err
		}
		if err := c.ev.quota(c.off, data(c.ev.markMutable(value.NewMap(m, zr)))); err != nil {
			return obj{}, err
		}
	}
	return data(value.NewMap(m, zr)), nil
}

// pyIter is Python's iter(x): the items of a list, set or iterator, the
// characters of a string, the keys of a dict.
func (ev *evaluator) pyIter(o obj, off int) (func() (obj, bool, error), error) {
	if o.k == kData {
		switch value.KindOf(o.v) {
		case value.String:
			var chars []obj
			for _, r := range o.v.Str {
				chars = append(chars, str(string(r)))
			}
			return ev.cursor(sliceIter(chars), off), nil
		case value.Map:
			return ev.cursor(valuesIter(o.v.Map.Keys()), off), nil
		case value.Unknown:
			return nil, unknownOf(o.v)
		case value.List:
		default:
			return nil, errorf(off, "type", "TypeError: '"+o.typeName()+"' object is not iterable")
		}
	}
	if !isIterable(o) {
		return nil, errorf(off, "type", "TypeError: '"+o.typeName()+"' object is not iterable")
	}
	return ev.cursor(o, off), nil
}

// listOf is list(args...) and set(args...): arguments that are iterators
// are unpacked (recursively), anything else is one item.
func (ev *evaluator) listOf(args []obj, off int, asSet bool) (obj, error) {
	var items []obj
	var add func(o obj) error
	add = func(o obj) error {
		if !isIterator(o) {
			if ev.lim.MaxItems > 0 && len(items) >= ev.lim.MaxItems {
				return ev.tooLarge(off)
			}
			items = append(items, o)
			return nil
		}
		cur := ev.cursor(o, off)
		for {
			x, ok, err := cur()
			if err != nil {
				return err
			}
			if !ok {
				return nil
			}
			if err := add(x); err != nil {
				return err
			}
		}
	}
	for _, a := range args {
		if err := add(a); err != nil {
			return obj{}, err
		}
	}
	if asSet {
		return ev.toSet(sliceIter(items), off)
	}
	return ev.tuple(items, off)
}

func (ev *evaluator) toTuple(o obj, off int) (obj, error) {
	if isSequence(o) && !ev.isMutable(o.v) {
		return o, nil
	}
	items, err := ev.collect(o, off)
	if err != nil {
		return obj{}, err
	}
	return ev.tuple(items, off)
}

// toSet is frozenset(collection): first occurrences, by Python equality.
func (ev *evaluator) toSet(o obj, off int) (obj, error) {
	seen := map[string]bool{}
	var out []*value.Value
	cur := ev.cursor(o, off)
	for {
		x, ok, err := cur()
		if err != nil {
			return obj{}, err
		}
		if !ok {
			break
		}
		k, err := ev.hashKey(x, off)
		if err != nil {
			return obj{}, err
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		v, err := ev.asData(x, off)
		if err != nil {
			return obj{}, err
		}
		out = append(out, v)
	}
	return obj{k: kSet, v: value.NewList(out, zr)}, nil
}

func (ev *evaluator) setHas(set *value.Value, x *value.Value) (bool, error) {
	for _, it := range set.List {
		eq, err := ev.equalData(it, x)
		if err != nil || eq {
			return eq, err
		}
	}
	return false, nil
}

func (ev *evaluator) setCompare(op string, a, b obj, off int) (obj, error) {
	sub := func(x, y obj) (bool, error) {
		for _, it := range x.v.List {
			in, err := ev.setHas(y.v, it)
			if err != nil || !in {
				return false, err
			}
		}
		return true, nil
	}
	ab, err := sub(a, b)
	if err != nil {
		return obj{}, err
	}
	ba, err := sub(b, a)
	if err != nil {
		return obj{}, err
	}
	switch op {
	case "<":
		return boolean(ab && !ba), nil
	case "<=":
		return boolean(ab), nil
	case ">":
		return boolean(ba && !ab), nil
	}
	return boolean(ba), nil
}

func (ev *evaluator) setDifference(a, b obj, off int) (obj, error) {
	var out []*value.Value
	for _, it := range a.v.List {
		in, err := ev.setHas(b.v, it)
		if err != nil {
			return obj{}, err
		}
		if !in {
			out = append(out, it)
		}
	}
	return obj{k: kSet, v: value.NewList(out, zr)}, nil
}

func fnFlatten(c *callCtx, a []obj) (obj, error) {
	ev := c.ev
	stack := []func() (obj, bool, error){ev.cursor(a[0], c.off)}
	return newIter(func() (obj, bool, error) {
		for len(stack) > 0 {
			x, ok, err := stack[len(stack)-1]()
			if err != nil {
				return obj{}, false, err
			}
			if !ok {
				stack = stack[:len(stack)-1]
				continue
			}
			if err := ev.step(c.off); err != nil {
				return obj{}, false, err
			}
			if isIterable(x) {
				if len(stack) > maxEvalDepth {
					return obj{}, false, errorf(c.off, "limit", "maximum recursion depth exceeded")
				}
				stack = append(stack, ev.cursor(x, c.off))
				continue
			}
			return x, true, nil
		}
		return obj{}, false, nil
	}), nil
}

func fnToDict(c *callCtx, a []obj) (obj, error) {
	m := value.NewMapping(0)
	res := c.ev.markMutable(value.NewMap(m, zr))
	cur := c.ev.cursor(a[0], c.off)
	for {
		t, ok, err := cur()
		if err != nil {
			return obj{}, err
		}
		if !ok {
			break
		}
		k, err := a[1].lam.call(t)
		if err != nil {
			return obj{}, err
		}
		v := t
		if a[2].k != kNoValue {
			if v, err = a[2].lam.call(t); err != nil {
				return obj{}, err
			}
		}
		if err := c.ev.setKey(m, k, v, c.off); err != nil {
			return obj{}, err
		}
		if err := c.ev.quota(c.off, data(res)); err != nil {
			return obj{}, err
		}
	}
	return data(res), nil
}

func fnListIndex(c *callCtx, a []obj) (obj, error) {
	l := a[0].v.List
	kind := "tuple"
	if c.ev.isMutable(a[0].v) {
		kind = "list"
	}
	i, ok := int64Of(a[1].v)
	if !ok {
		return obj{}, errorf(c.off, "index", "IndexError: cannot fit 'long' into an index-sized integer")
	}
	if i < 0 {
		i += int64(len(l))
	}
	if i < 0 || i >= int64(len(l)) {
		return obj{}, errorf(c.off, "index", "IndexError: "+kind+" index out of range")
	}
	return data(l[i]), nil
}

func fnDictIndex(c *callCtx, a []obj) (obj, error) {
	if _, err := c.ev.hashKey(a[1], c.off); err != nil {
		return obj{}, err
	}
	if v, ok := lookup(a[0].v, a[1]); ok {
		return data(v), nil
	}
	if len(a) > 2 {
		if a[2].k == kNoValue {
			return null(), nil
		}
		return a[2], nil
	}
	r, _ := c.ev.repr(a[1], c.off)
	return obj{}, errorf(c.off, "key", "KeyError: "+r)
}

// contains is Python's `value in collection`.
func (ev *evaluator) contains(coll, x obj, off int) (obj, error) {
	if coll.k == kSet {
		if _, err := ev.hashKey(x, off); err != nil {
			return obj{}, err
		}
	}
	cur := ev.cursor(coll, off)
	for {
		y, ok, err := cur()
		if err != nil || !ok {
			return boolean(false), err
		}
		eq, err := ev.equal(y, x)
		if err != nil {
			return obj{}, err
		}
		if eq {
			return boolean(true), nil
		}
	}
}

func fnDeleteAll(c *callCtx, a []obj) (obj, error) {
	m := a[0].v.Map.Clone()
	cur := c.ev.cursor(a[1], c.off)
	for {
		k, ok, err := cur()
		if err != nil {
			return obj{}, err
		}
		if !ok {
			break
		}
		if _, err := c.ev.hashKey(k, c.off); err != nil {
			return obj{}, err
		}
		if k.k == kData {
			m = deleteKey(m, k.v)
		}
	}
	return data(c.ev.markMutable(value.NewMap(m, zr))), nil
}

func deleteKey(m *value.Mapping, k *value.Value) *value.Mapping {
	if _, ok := m.Lookup(k); !ok {
		return m
	}
	out := value.NewMapping(m.Len())
	for _, e := range m.Entries() {
		if !value.Equal(e.Key, k) {
			out.Set(e.Key, e.Val)
		}
	}
	return out
}

func fnCombineDicts(c *callCtx, a []obj) (obj, error) {
	m := a[0].v.Map.Clone()
	for _, e := range a[1].v.Map.Entries() {
		m.Set(e.Key, e.Val)
	}
	return data(value.NewMap(m, zr)), nil
}

func fnCombineLists(c *callCtx, a []obj) (obj, error) {
	l, r := a[0], a[1]
	if isSequence(l) && isSequence(r) && !c.ev.isMutable(l.v) && !c.ev.isMutable(r.v) {
		items := append(append(make([]*value.Value, 0, len(l.v.List)+len(r.v.List)), l.v.List...), r.v.List...)
		return data(value.NewList(items, zr)), nil
	}
	if l.k == kSet && r.k == kSet {
		return fnChainSet(c, l, r)
	}
	return fnChain(c, a)
}

func fnChainSet(c *callCtx, l, r obj) (obj, error) {
	ch, _ := fnChain(c, []obj{l, r})
	return c.ev.toSet(ch, c.off)
}

// repeatSeq is sequence * n.
func (ev *evaluator) repeatSeq(seq obj, n *value.Value, off int) (obj, error) {
	times, ok := int64Of(n)
	if !ok {
		return obj{}, errorf(off, "value", "OverflowError: cannot fit 'long' into an index-sized integer")
	}
	if err := ev.quotaWeighted(off, weighted{int(1 - times), 56}, weighted{int(times), ev.sizeof(seq)}); err != nil {
		return obj{}, err
	}
	if times < 0 {
		times = 0
	}
	l := seq.v.List
	if int64(len(l))*times > 1<<24 {
		return obj{}, errorf(off, "limit", "Expression consumed too much memory")
	}
	out := make([]*value.Value, 0, int64(len(l))*times)
	for k := int64(0); k < times; k++ {
		out = append(out, l...)
	}
	res := value.NewList(out, zr)
	if ev.isMutable(seq.v) {
		ev.markMutable(res)
	}
	return data(res), nil
}
