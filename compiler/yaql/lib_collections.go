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
			return c.ev.valuesIter(a[0].v.Map.Keys()), nil
		}, req("dict", tyMapping))},
		"values": {method(func(c *callCtx, a []obj) (obj, error) {
			es := a[0].v.Map.Entries()
			vals := make([]*value.Value, len(es))
			for i, e := range es {
				vals[i] = e.Val
			}
			return c.ev.valuesIter(vals), nil
		}, req("dict", tyMapping))},
		"items": {method(func(c *callCtx, a []obj) (obj, error) {
			es := a[0].v.Map.Entries()
			pairs := make([]*value.Value, len(es))
			for i, e := range es {
				pairs[i] = value.NewList([]*value.Value{e.Key, e.Val}, zr)
			}
			return c.ev.valuesIter(pairs), nil
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
				eq, err := c.ev.equal(c.ev.unbox(e.Val), a[1])
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
	// Dicts: set() returns a copy with keys set (later pairs win).
	m["set"] = append(m["set"],
		noKw(method(func(c *callCtx, a []obj) (obj, error) {
			return c.ev.dictSet(a[0], [][2]obj{{a[1], a[2]}}, c.off, a[1], a[2])
		}, req("dict", tyMapping), req("key", nil), req("value", nil))),
		noKw(method(func(c *callCtx, a []obj) (obj, error) {
			var pairs [][2]obj
			for _, e := range a[1].v.Map.Entries() {
				pairs = append(pairs, [2]obj{c.ev.unbox(e.Key), c.ev.unbox(e.Val)})
			}
			return c.ev.dictSet(a[0], pairs, c.off, a[1])
		}, req("dict", tyMapping), req("replacements", tyMapping))),
		noKw(method(func(c *callCtx, a []obj) (obj, error) {
			var pairs [][2]obj
			sized := make([]obj, 0, len(a)-1)
			for _, r := range a[1:] {
				pairs = append(pairs, [2]obj{r.rul().key, r.rul().val})
				sized = append(sized, obj{k: kRule})
			}
			return c.ev.dictSet(a[0], pairs, c.off, sized...)
		}, req("dict", tyMapping), rest("args", tyRule))),
	)
	// Sequences by position (lazy, on any iterable).
	m["delete"] = append(m["delete"], method(fnDeleteAt, it("collection"), req("position", tyInt), opt("count", tyInt)))
	m["replace"] = []*overload{method(fnReplaceAt(false), it("collection"), req("position", tyInt), req("value", nil), opt("count", tyInt))}
	m["replaceMany"] = []*overload{method(fnReplaceAt(true), it("collection"), req("position", tyInt), it("values"), opt("count", tyInt))}
	m["insert"] = []*overload{
		method(fnInsertIter, param{name: "collection", typ: tyIterNotSeq, iter: true}, req("position", tyInt), req("value", nil)),
		method(fnInsertList, req("collection", tySequence), req("position", tyInt), req("value", nil)),
	}
	m["insertMany"] = []*overload{method(fnInsertMany, it("collection"), req("position", tyInt), it("values"))}
	// Sets.
	setOp := func(op string) *overload {
		return method(func(c *callCtx, a []obj) (obj, error) { return c.ev.setOp(op, a[0], a[1], c.off) }, req("left", tySet), req("right", tySet))
	}
	m["union"] = []*overload{setOp("union")}
	m["intersect"] = []*overload{setOp("intersect")}
	m["difference"] = []*overload{setOp("difference")}
	m["symmetricDifference"] = []*overload{setOp("symmetricDifference")}
	m["add"] = []*overload{method(func(c *callCtx, a []obj) (obj, error) {
		vals, err := c.ev.toSet(sliceIter(a[1:]), c.off)
		if err != nil {
			return obj{}, err
		}
		return c.ev.setOp("union", a[0], vals, c.off)
	}, req("set", tySet), param{name: "values", rest: true})}
	m["remove"] = []*overload{method(func(c *callCtx, a []obj) (obj, error) {
		vals, err := c.ev.toSet(sliceIter(a[1:]), c.off)
		if err != nil {
			return obj{}, err
		}
		return c.ev.setOp("difference", a[0], vals, c.off)
	}, req("set", tySet), param{name: "values", rest: true})}
	return m
}

// tyIterNotSeq is the collection of the lazy insert(): an iterable that is
// neither a set (yaql's validator) nor a sequence (the list overload is
// more specific, and yaql picks it).
func tyIterNotSeq(_ *evaluator, o obj) bool { return isIterable(o) && o.k != kSet && !isSequence(o) }

// dictSet is d.set(...): a FrozenDict of d's items followed by the pairs.
func (ev *evaluator) dictSet(d obj, pairs [][2]obj, off int, sized ...obj) (obj, error) {
	if err := ev.quota(off, append([]obj{d}, sized...)...); err != nil {
		return obj{}, err
	}
	m := d.v.Map.Clone()
	for _, p := range pairs {
		if err := ev.setKey(m, p[0], p[1], off); err != nil {
			return obj{}, err
		}
	}
	return data(value.NewMap(m, zr)), nil
}

// inRange reports whether index i falls in the span yaql's delete() and
// replace() act on: [position, position+count), or from position on
// when count is negative.
func inRange(i, pos, count *value.Value) bool {
	if c, _ := value.Compare(count, integer(0).v); c >= 0 {
		lo, _ := value.Compare(pos, i)
		end, _ := arith("+", pos, count, 0)
		hi, _ := value.Compare(i, end.v)
		return lo <= 0 && hi < 0
	}
	ge, _ := value.Compare(i, pos)
	return ge >= 0
}

func countArg(a []obj, i int) *value.Value {
	if a[i].k == kNoValue {
		return integer(1).v
	}
	return a[i].v
}

func fnDeleteAt(c *callCtx, a []obj) (obj, error) {
	cur := c.ev.cursor(a[0], c.off)
	pos, count := a[1].v, countArg(a, 2)
	i := int64(-1)
	return newIter(func() (obj, bool, error) {
		for {
			x, ok, err := cur()
			if !ok || err != nil {
				return x, ok, err
			}
			i++
			if !inRange(integer(i).v, pos, count) {
				return x, true, nil
			}
		}
	}), nil
}

// fnReplaceAt is replace() (one value) and replaceMany() (the items of
// values) in place of the span.
func fnReplaceAt(many bool) func(*callCtx, []obj) (obj, error) {
	return func(c *callCtx, a []obj) (obj, error) {
		ev := c.ev
		cur := ev.cursor(a[0], c.off)
		pos, count := a[1].v, countArg(a, 3)
		i := int64(-1)
		yielded := false
		var vals func() (obj, bool, error)
		return newIter(func() (obj, bool, error) {
			for {
				if vals != nil {
					v, ok, err := vals()
					if err != nil {
						return obj{}, false, err
					}
					if ok {
						return v, true, nil
					}
					vals = nil
				}
				x, ok, err := cur()
				if !ok || err != nil {
					return x, ok, err
				}
				i++
				if !inRange(integer(i).v, pos, count) {
					return x, true, nil
				}
				if yielded {
					continue
				}
				yielded = true
				if !many {
					return a[2], true, nil
				}
				vals = ev.cursor(a[2], c.off)
			}
		}), nil
	}
}

// fnInsertIter inserts value before the item at position (after the last
// one when position is past the end; nowhere when it is negative).
func fnInsertIter(c *callCtx, a []obj) (obj, error) {
	cur := c.ev.cursor(a[0], c.off)
	pos := a[1].v
	i := int64(-1)
	var pending *obj
	finished := false
	return newIter(func() (obj, bool, error) {
		if pending != nil {
			x := *pending
			pending = nil
			return x, true, nil
		}
		if finished {
			return obj{}, false, nil
		}
		x, ok, err := cur()
		if err != nil {
			return obj{}, false, err
		}
		if !ok {
			finished = true
			if c, _ := value.Compare(pos, integer(i).v); c > 0 {
				return a[2], true, nil
			}
			return obj{}, false, nil
		}
		i++
		if c, _ := value.Compare(pos, integer(i).v); c == 0 {
			pending = &x
			return a[2], true, nil
		}
		return x, true, nil
	}), nil
}

// fnInsertList is list(collection) with list.insert(position, value).
func fnInsertList(c *callCtx, a []obj) (obj, error) {
	l := a[0].v.List
	n := int64(len(l))
	i, ok := int64Of(a[1].v)
	if !ok {
		if a[1].v.Big.Sign() < 0 {
			i = 0
		} else {
			i = n
		}
	}
	if i < 0 {
		i += n
		if i < 0 {
			i = 0
		}
	}
	if i > n {
		i = n
	}
	v, err := c.ev.asData(a[2], c.off)
	if err != nil {
		return obj{}, err
	}
	out := make([]*value.Value, 0, n+1)
	out = append(append(append(out, l[:i]...), v), l[i:]...)
	return data(c.ev.markMutable(value.NewList(out, zr))), nil
}

// fnInsertMany inserts the values at position (first when it is
// negative, last when it is past the end).
func fnInsertMany(c *callCtx, a []obj) (obj, error) {
	ev := c.ev
	cur := ev.cursor(a[0], c.off)
	pos := a[1].v
	neg, _ := value.Compare(pos, integer(0).v)
	i := int64(-1)
	var vals func() (obj, bool, error)
	if neg < 0 {
		vals = ev.cursor(a[2], c.off)
	}
	var pending *obj
	finished := false
	return newIter(func() (obj, bool, error) {
		for {
			if vals != nil {
				v, ok, err := vals()
				if err != nil {
					return obj{}, false, err
				}
				if ok {
					return v, true, nil
				}
				vals = nil
			}
			if pending != nil {
				x := *pending
				pending = nil
				return x, true, nil
			}
			if finished {
				return obj{}, false, nil
			}
			x, ok, err := cur()
			if err != nil {
				return obj{}, false, err
			}
			if !ok {
				finished = true
				if d, _ := value.Compare(pos, integer(i).v); d > 0 {
					vals = ev.cursor(a[2], c.off)
				}
				continue
			}
			i++
			if d, _ := value.Compare(pos, integer(i).v); d == 0 {
				pending = &x
				vals = ev.cursor(a[2], c.off)
				continue
			}
			return x, true, nil
		}
	}), nil
}

// setOp is the frozenset operation of two sets.
func (ev *evaluator) setOp(op string, a, b obj, off int) (obj, error) {
	var out []*value.Value
	add := func(from, other *value.Value, want bool) error {
		for _, it := range from.List {
			in, err := ev.setHas(other, it)
			if err != nil {
				return err
			}
			if in == want {
				out = append(out, it)
			}
		}
		return nil
	}
	var err error
	switch op {
	case "union":
		out = append(out, a.v.List...)
		err = add(b.v, a.v, false)
	case "intersect":
		err = add(a.v, b.v, true)
	case "difference":
		err = add(a.v, b.v, false)
	case "symmetricDifference":
		if err = add(a.v, b.v, false); err == nil {
			err = add(b.v, a.v, false)
		}
	}
	if err != nil {
		return obj{}, err
	}
	return obj{k: kSet, v: value.NewList(out, zr)}, nil
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
	case kDatetime, kTimespan, kRegex, kContext:
		return ev.box(o), nil
	}
	return nil, errorf(off, "type", "hoist cannot store a "+o.typeName()+" inside a list or dict")
}

func fnDictRules(c *callCtx, a []obj) (obj, error) {
	m := value.NewMapping(len(a))
	for _, r := range a {
		if err := c.ev.quota(c.off, obj{k: kRule}); err != nil {
			return obj{}, err
		}
		if err := c.ev.setKey(m, r.rul().key, r.rul().val, c.off); err != nil {
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
			return ev.cursor(ev.valuesIter(o.v.Map.Keys()), off), nil
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
	return c.ev.unbox(l[i]), nil
}

func fnDictIndex(c *callCtx, a []obj) (obj, error) {
	if _, err := c.ev.hashKey(a[1], c.off); err != nil {
		return obj{}, err
	}
	if v, ok := lookup(a[0].v, a[1]); ok {
		return c.ev.unbox(v), nil
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
	if err := ev.quotaWeighted(off, weighted{1 - float64(times), 56}, weighted{float64(times), ev.sizeof(seq)}); err != nil {
		return obj{}, err
	}
	if times < 0 {
		times = 0
	}
	l := seq.v.List
	if len(l) == 0 || times == 0 {
		times = 0
	} else if times > (1<<24)/int64(len(l)) {
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
