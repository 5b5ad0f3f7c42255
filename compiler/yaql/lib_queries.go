package yaql

import (
	"math"

	"hoist/value"
)

// yaql's queries module: LINQ-style operations on iterables, most of them
// lazy (they return single-use iterators).

func queriesLib() map[string][]*overload {
	return map[string][]*overload{
		"len":        {extension(fnCount, req("collection", tyIterator))}, // utils.IteratorType: not limited
		"count":      {method(fnCount, it("collection"))},
		"where":      {method(fnWhere, it("collection"), lam("predicate"))},
		"filter":     {method(fnWhere, it("collection"), lam("predicate"))},
		"select":     {method(fnSelect, it("collection"), lam("selector"))},
		"map":        {method(fnSelect, it("collection"), lam("selector"))},
		"selectMany": {method(fnSelectMany, it("collection"), lam("selector"))},
		"distinct":   {extension(fnDistinct, it("collection"), optLam("keySelector"))},
		"any":        {extension(fnAny, it("collection"), optLam("predicate"))},
		"all":        {extension(fnAll, it("collection"), optLam("predicate"))},
		"first":      {method(fnFirst, it("collection"), opt("default", nil))},
		"last":       {method(fnLast, it("collection"), opt("default", nil))},
		"skip": {method(func(c *callCtx, a []obj) (obj, error) {
			return c.ev.islice(a[0], a[1].v, nil, c.off)
		}, it("collection"), req("count", tyInt))},
		"limit": {method(func(c *callCtx, a []obj) (obj, error) {
			return c.ev.islice(a[0], nil, a[1].v, c.off)
		}, it("collection"), req("count", tyInt))},
		"take": {method(func(c *callCtx, a []obj) (obj, error) {
			return c.ev.islice(a[0], nil, a[1].v, c.off)
		}, it("collection"), req("count", tyInt))},
		"concat": {extension(fnChain, rest("collections", tyIterable))},
		"append": {extension(func(c *callCtx, a []obj) (obj, error) {
			return fnChain(c, []obj{a[0], sliceIter(a[1:])})
		}, it("collection"), param{name: "args", rest: true})},
		"range": {
			function(func(c *callCtx, a []obj) (obj, error) { return c.ev.pyRange(integer(0).v, a[0].v, integer(1).v, c.off) }, req("stop", tyInt)),
			function(func(c *callCtx, a []obj) (obj, error) {
				step := integer(1).v
				if a[2].k != kNoValue {
					step = a[2].v
				}
				return c.ev.pyRange(a[0].v, a[1].v, step, c.off)
			}, req("start", tyInt), req("stop", tyInt), opt("step", tyInt)),
		},
		"orderBy":           {method(fnOrderBy(true), it("collection"), lam("selector"))},
		"orderByDescending": {method(fnOrderBy(false), it("collection"), lam("selector"))},
		"thenBy":            {method(fnThenBy(true), req("collection", tyOrdering), lam("selector"))},
		"thenByDescending":  {method(fnThenBy(false), req("collection", tyOrdering), lam("selector"))},
		"groupBy":           {method(fnGroupBy, it("collection"), lam("keySelector"), optLam("valueSelector"), optLam("aggregator"))},
		"zip":               {method(fnZip, rest("collections", tyIterable))},
		"reduce":            {method(fnReduce, it("collection"), lam("selector"), opt("seed", nil))},
		"aggregate":         {method(fnReduce, it("collection"), lam("selector"), opt("seed", nil))},
		"mergeWith": {method(fnMergeWith, req("dict", tyMapping), req("another", tyMapping),
			optLam("listMerger"), optLam("itemMerger"), opt("maxLevels", tyInt))},
		"isIterable": {function(func(c *callCtx, a []obj) (obj, error) { return boolean(isIterable(a[0])), nil }, req("value", nil))},
		"enumerate":  {extension(fnEnumerate, it("collection"), opt("start", tyIntN))},
		"memorize": {method(func(c *callCtx, a []obj) (obj, error) {
			return c.ev.memorize(a[0], c.off), nil
		}, it("collection"))},
		"sum":            {method(fnFold("#operator_+"), it("collection"), opt("initial", nil))},
		"max":            {method(fnFold("max"), it("collection"), opt("initial", nil))},
		"min":            {method(fnFold("min"), it("collection"), opt("initial", nil))},
		"single":         {method(fnSingle, it("collection"))},
		"sequence":       {function(fnSequence, opt("start", tyInt), opt("step", tyInt))},
		"join":           {method(fnJoinCollections, it("collection1"), it("collection2"), lam("predicate"), lam("selector"))},
		"zipLongest":     {method(fnZipLongest, rest("collections", tyIterable), param{name: "kwargs", kwrest: true})},
		"repeat":         {method(fnRepeat, req("value", nil), opt("times", tyInt))},
		"cycle":          {method(fnCycle, it("collection"))},
		"takeWhile":      {method(fnTakeWhile(true), it("collection"), lam("predicate"))},
		"skipWhile":      {method(fnTakeWhile(false), it("collection"), lam("predicate"))},
		"indexOf":        {method(fnIndexOf(false), it("collection"), req("item", nil))},
		"lastIndexOf":    {method(fnIndexOf(true), it("collection"), req("item", nil))},
		"indexWhere":     {method(fnIndexWhere(false), it("collection"), lam("predicate"))},
		"lastIndexWhere": {method(fnIndexWhere(true), it("collection"), lam("predicate"))},
		"slice":          {method(fnSlice, it("collection"), req("length", tyInt))},
		"splitWhere":     {method(fnSplitWhere, it("collection"), lam("predicate"))},
		"sliceWhere":     {method(fnSliceWhere, it("collection"), lam("predicate"))},
		"splitAt":        {method(fnSplitAt, it("collection"), req("index", tyInt))},
		"accumulate":     {method(fnAccumulate, it("collection"), lam("selector"), opt("seed", nil))},
		"reverse":        {method(fnReverse, it("collection"))},
		"generate": {function(fnGenerate, req("initial", nil), lam("predicate"), lam("producer"),
			optLam("selector"), opt("decycle", tyBool))},
		"generateMany": {function(fnGenerateMany, req("initial", nil), lam("producer"), optLam("selector"),
			opt("decycle", tyBool), opt("depthFirst", tyBool))},
		"defaultIfEmpty": {method(fnDefaultIfEmpty, it("collection"), it("default"))},
	}
}

func tyIntN(_ *evaluator, o obj) bool { return isInt(o) || o.isNull() }

// fnEnumerate yields [index, item] pairs (Python lists).
func fnEnumerate(c *callCtx, a []obj) (obj, error) {
	ev := c.ev
	cur := ev.cursor(a[0], c.off)
	var i *value.Value = integer(0).v
	if a[1].k != kNoValue {
		if a[1].isNull() {
			return newIter(func() (obj, bool, error) {
				return obj{}, false, errorf(c.off, "type", "TypeError: an integer is required")
			}), nil
		}
		i = a[1].v
	}
	one := integer(1).v
	return newIter(func() (obj, bool, error) {
		x, ok, err := cur()
		if !ok || err != nil {
			return x, ok, err
		}
		xv, err := ev.asData(x, c.off)
		if err != nil {
			return obj{}, false, err
		}
		idx := i
		if idx.Kind == value.Bool {
			idx = integer(map[bool]int64{false: 0, true: 1}[idx.Bool]).v
		}
		next, _ := arith("+", idx, one, c.off)
		i = next.v
		return data(ev.markMutable(value.NewList([]*value.Value{idx, xv}, zr))), true, nil
	}), nil
}

// fnFold is sum(), max() and min() of a collection: a left fold with the
// delegate yaql injects (the + operator, or the max or min function).
func fnFold(fn string) func(*callCtx, []obj) (obj, error) {
	return func(c *callCtx, a []obj) (obj, error) {
		cur := c.ev.cursor(a[0], c.off)
		acc := a[1]
		if acc.k == kNoValue {
			x, ok, err := cur()
			if err != nil {
				return obj{}, err
			}
			if !ok {
				return obj{}, errorf(c.off, "type", "TypeError: reduce() of empty sequence with no initial value")
			}
			acc = x
		}
		for {
			x, ok, err := cur()
			if err != nil {
				return obj{}, err
			}
			if !ok {
				return acc, nil
			}
			if acc, err = c.ev.invoke(c.off, fn, nil, []obj{acc, x}, nil, c.sc); err != nil {
				return obj{}, err
			}
		}
	}
}

func fnSingle(c *callCtx, a []obj) (obj, error) {
	cur := c.ev.cursor(a[0], c.off)
	x, ok, err := cur()
	if err != nil {
		return obj{}, err
	}
	if !ok {
		return obj{}, errorf(c.off, "stop-iteration", "StopIteration: single() of an empty collection")
	}
	_, more, err := cur()
	if err != nil {
		return obj{}, err
	}
	if more {
		return obj{}, errorf(c.off, "stop-iteration", "StopIteration: Collection contains more than one item")
	}
	return x, nil
}

// fnSequence is itertools.count(start, step): endless.
func fnSequence(c *callCtx, a []obj) (obj, error) {
	cur, step := integer(0).v, integer(1).v
	if a[0].k != kNoValue {
		cur = a[0].v
	}
	if a[1].k != kNoValue {
		step = a[1].v
	}
	if cur.Kind == value.Bool { // count(True) counts from 1
		cur = bigResult(bigOf(cur)).v
	}
	return newIter(func() (obj, bool, error) {
		x := cur
		r, err := arith("+", cur, step, c.off)
		if err != nil {
			return obj{}, false, err
		}
		cur = r.v
		return data(x), true, nil
	}), nil
}

// fnJoinCollections is the join of two collections: selector($1, $2) for
// every pair the predicate accepts.
func fnJoinCollections(c *callCtx, a []obj) (obj, error) {
	ev := c.ev
	outer := ev.cursor(a[0], c.off)
	other := ev.memorize(a[1], c.off)
	pred, sel := a[2].lam, a[3].lam
	var left obj
	var inner func() (obj, bool, error)
	return newIter(func() (obj, bool, error) {
		for {
			if inner == nil {
				x, ok, err := outer()
				if !ok || err != nil {
					return x, ok, err
				}
				left = x
				inner = ev.cursor(other, c.off)
			}
			y, ok, err := inner()
			if err != nil {
				return obj{}, false, err
			}
			if !ok {
				inner = nil
				continue
			}
			p, err := pred.call(left, y)
			if err != nil {
				return obj{}, false, err
			}
			t, err := truthy(p)
			if err != nil {
				return obj{}, false, err
			}
			if t {
				r, err := sel.call(left, y)
				return r, err == nil, err
			}
		}
	}), nil
}

// fnZipLongest is itertools.zip_longest with default => fill value.
func fnZipLongest(c *callCtx, a []obj) (obj, error) {
	ev := c.ev
	fill := null()
	for _, k := range c.kw {
		if k.name == "default" {
			fill = k.val
		}
	}
	fv, err := ev.asData(fill, c.off)
	if err != nil {
		return obj{}, err
	}
	curs := make([]func() (obj, bool, error), len(a))
	live := make([]bool, len(a))
	for i := range a {
		curs[i] = ev.cursor(a[i], c.off)
		live[i] = true
	}
	n := len(a)
	return newIter(func() (obj, bool, error) {
		if n == 0 {
			return obj{}, false, nil
		}
		row := make([]*value.Value, len(curs))
		for i, cur := range curs {
			if !live[i] {
				row[i] = fv
				continue
			}
			x, ok, err := cur()
			if err != nil {
				return obj{}, false, err
			}
			if !ok {
				live[i] = false
				n--
				if n == 0 {
					return obj{}, false, nil
				}
				row[i] = fv
				continue
			}
			if row[i], err = ev.asData(x, c.off); err != nil {
				return obj{}, false, err
			}
		}
		return data(value.NewList(row, zr)), true, nil
	}), nil
}

// fnRepeat is itertools.repeat(value[, times]); a negative count repeats
// endlessly.
func fnRepeat(c *callCtx, a []obj) (obj, error) {
	x := a[0]
	times := int64(-1)
	if a[1].k != kNoValue {
		t, ok := int64Of(a[1].v)
		if !ok {
			if a[1].v.Big.Sign() < 0 {
				t = -1
			} else {
				t = math.MaxInt64
			}
		}
		times = t
	}
	return newIter(func() (obj, bool, error) {
		if times == 0 {
			return obj{}, false, nil
		}
		if times > 0 {
			times--
		}
		return x, true, nil
	}), nil
}

// fnCycle is itertools.cycle: the items again and again (none if there
// are none).
func fnCycle(c *callCtx, a []obj) (obj, error) {
	ev := c.ev
	cur := ev.cursor(a[0], c.off)
	var saved []obj
	first := true
	i := 0
	return newIter(func() (obj, bool, error) {
		if first {
			x, ok, err := cur()
			if err != nil {
				return obj{}, false, err
			}
			if ok {
				saved = append(saved, x)
				return x, true, nil
			}
			first = false
		}
		if len(saved) == 0 {
			return obj{}, false, nil
		}
		if err := ev.step(c.off); err != nil {
			return obj{}, false, err
		}
		x := saved[i%len(saved)]
		i++
		return x, true, nil
	}), nil
}

// fnTakeWhile is itertools.takewhile (take) or dropwhile (!take).
func fnTakeWhile(take bool) func(*callCtx, []obj) (obj, error) {
	return func(c *callCtx, a []obj) (obj, error) {
		cur, pred := c.ev.cursor(a[0], c.off), a[1].lam
		done, dropping := false, true
		return newIter(func() (obj, bool, error) {
			for {
				if done {
					return obj{}, false, nil
				}
				x, ok, err := cur()
				if !ok || err != nil {
					return x, ok, err
				}
				if !take && !dropping {
					return x, true, nil
				}
				r, err := pred.call(x)
				if err != nil {
					return obj{}, false, err
				}
				t, err := truthy(r)
				if err != nil {
					return obj{}, false, err
				}
				if take {
					if !t {
						done = true
						return obj{}, false, nil
					}
					return x, true, nil
				}
				if !t {
					dropping = false
					return x, true, nil
				}
			}
		}), nil
	}
}

// fnIndexOf is the index of the first (or last) item equal to the value,
// or -1.
func fnIndexOf(last bool) func(*callCtx, []obj) (obj, error) {
	return func(c *callCtx, a []obj) (obj, error) {
		cur := c.ev.cursor(a[0], c.off)
		found := int64(-1)
		for i := int64(0); ; i++ {
			x, ok, err := cur()
			if err != nil {
				return obj{}, err
			}
			if !ok {
				return integer(found), nil
			}
			eq, err := c.ev.equal(x, a[1])
			if err != nil {
				return obj{}, err
			}
			if eq {
				found = i
				if !last {
					return integer(i), nil
				}
			}
		}
	}
}

func fnIndexWhere(last bool) func(*callCtx, []obj) (obj, error) {
	return func(c *callCtx, a []obj) (obj, error) {
		cur := c.ev.cursor(a[0], c.off)
		found := int64(-1)
		for i := int64(0); ; i++ {
			x, ok, err := cur()
			if err != nil {
				return obj{}, err
			}
			if !ok {
				return integer(found), nil
			}
			r, err := a[1].lam.call(x)
			if err != nil {
				return obj{}, err
			}
			t, err := truthy(r)
			if err != nil {
				return obj{}, err
			}
			if t {
				found = i
				if !last {
					return integer(i), nil
				}
			}
		}
	}
}

// fnSlice cuts the collection into tuples of length items (the last may
// be shorter).
func fnSlice(c *callCtx, a []obj) (obj, error) {
	ev := c.ev
	n, ok := int64Of(a[1].v)
	if !ok || n < 0 {
		return newIter(func() (obj, bool, error) {
			return obj{}, false, errorf(c.off, "value", "ValueError: Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.")
		}), nil
	}
	cur := ev.cursor(a[0], c.off)
	return newIter(func() (obj, bool, error) {
		var part []obj
		for int64(len(part)) < n {
			x, ok, err := cur()
			if err != nil {
				return obj{}, false, err
			}
			if !ok {
				break
			}
			part = append(part, x)
		}
		if len(part) == 0 {
			return obj{}, false, nil
		}
		t, err := ev.tuple(part, c.off)
		return t, err == nil, err
	}), nil
}

// items drains a collection into a tuple's items (yaql's to_list).
func (ev *evaluator) items(o obj, off int) ([]*value.Value, error) {
	if isSequence(o) {
		return o.v.List, nil
	}
	xs, err := ev.collect(o, off)
	if err != nil {
		return nil, err
	}
	out := make([]*value.Value, len(xs))
	for i, x := range xs {
		if out[i], err = ev.asData(x, off); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func tupleOf(items []*value.Value) obj { return data(value.NewList(items, zr)) }

// fnSplitWhere splits at the items the predicate accepts, dropping them.
func fnSplitWhere(c *callCtx, a []obj) (obj, error) {
	ev := c.ev
	var lst []*value.Value
	loaded := false
	start, end := 0, 0
	finished := false
	return newIter(func() (obj, bool, error) {
		if !loaded {
			l, err := ev.items(a[0], c.off)
			if err != nil {
				return obj{}, false, err
			}
			lst, loaded = l, true
		}
		for end < len(lst) {
			r, err := a[1].lam.call(data(lst[end]))
			if err != nil {
				return obj{}, false, err
			}
			t, err := truthy(r)
			if err != nil {
				return obj{}, false, err
			}
			if t {
				part := lst[start:end:end]
				start = end + 1
				end++
				return tupleOf(part), true, nil
			}
			end++
		}
		if !finished && start != end {
			finished = true
			return tupleOf(lst[start:end:end]), true, nil
		}
		return obj{}, false, nil
	}), nil
}

// fnSliceWhere splits where the predicate's value changes.
func fnSliceWhere(c *callCtx, a []obj) (obj, error) {
	ev := c.ev
	var lst []*value.Value
	loaded := false
	start, end := 0, 0
	var prev obj
	havePrev, finished := false, false
	return newIter(func() (obj, bool, error) {
		if !loaded {
			l, err := ev.items(a[0], c.off)
			if err != nil {
				return obj{}, false, err
			}
			lst, loaded = l, true
		}
		for end < len(lst) {
			p, err := a[1].lam.call(data(lst[end]))
			if err != nil {
				return obj{}, false, err
			}
			var emit bool
			if havePrev {
				eq, err := ev.equal(p, prev)
				if err != nil {
					return obj{}, false, err
				}
				emit = !eq
			}
			if emit {
				part := lst[start:end:end]
				start = end
				end++
				prev = p
				return tupleOf(part), true, nil
			}
			end++
			prev, havePrev = p, true
		}
		if !finished && start != end {
			finished = true
			return tupleOf(lst[start:end:end]), true, nil
		}
		return obj{}, false, nil
	}), nil
}

// fnSplitAt is [lst[:index], lst[index:]] (a Python list of two tuples).
func fnSplitAt(c *callCtx, a []obj) (obj, error) {
	lst, err := c.ev.items(a[0], c.off)
	if err != nil {
		return obj{}, err
	}
	n := int64(len(lst))
	i, ok := int64Of(a[1].v)
	if !ok {
		if a[1].v.Big.Sign() < 0 {
			i = -n
		} else {
			i = n
		}
	}
	i = clampSlice(i, n)
	return data(c.ev.markMutable(value.NewList([]*value.Value{
		value.NewList(lst[:i:i], zr), value.NewList(lst[i:], zr),
	}, zr))), nil
}

// fnAccumulate yields the running fold, the seed (or first item) first.
func fnAccumulate(c *callCtx, a []obj) (obj, error) {
	cur := c.ev.cursor(a[0], c.off)
	total := a[2]
	started := false
	return newIter(func() (obj, bool, error) {
		if !started {
			started = true
			if total.k == kNoValue {
				x, ok, err := cur()
				if err != nil {
					return obj{}, false, err
				}
				if !ok {
					return obj{}, false, errorf(c.off, "type", "TypeError: accumulate() of empty sequence with no initial value")
				}
				total = x
			}
			return total, true, nil
		}
		x, ok, err := cur()
		if !ok || err != nil {
			return x, ok, err
		}
		r, err := a[1].lam.call(total, x)
		if err != nil {
			return obj{}, false, err
		}
		total = r
		return r, true, nil
	}), nil
}

// fnReverse is reversed(to_list(collection)): an iterator.
func fnReverse(c *callCtx, a []obj) (obj, error) {
	lst, err := c.ev.items(a[0], c.off)
	if err != nil {
		return obj{}, err
	}
	i := len(lst)
	return newIter(func() (obj, bool, error) {
		if i == 0 {
			return obj{}, false, nil
		}
		i--
		return data(lst[i]), true, nil
	}), nil
}

// fnGenerate yields initial, producer(initial)... while the predicate
// holds (selector applied; decycle stops at a value seen before).
func fnGenerate(c *callCtx, a []obj) (obj, error) {
	ev := c.ev
	cur := a[0]
	pred, prod, sel := a[1].lam, a[2].lam, a[3]
	decycle := a[4].k != kNoValue && a[4].v.Bool
	seen := map[string]bool{}
	done := false
	return newIter(func() (obj, bool, error) {
		if done {
			return obj{}, false, nil
		}
		if err := ev.step(c.off); err != nil {
			return obj{}, false, err
		}
		r, err := pred.call(cur)
		if err != nil {
			return obj{}, false, err
		}
		t, err := truthy(r)
		if err != nil {
			return obj{}, false, err
		}
		if !t {
			done = true
			return obj{}, false, nil
		}
		if decycle {
			k, err := ev.hashKey(cur, c.off)
			if err != nil {
				return obj{}, false, err
			}
			if seen[k] {
				done = true
				return obj{}, false, nil
			}
			seen[k] = true
			if err := ev.quotaWeighted(c.off, weighted{1, setSize(len(seen))}); err != nil {
				return obj{}, false, err
			}
		}
		out := cur
		if sel.k != kNoValue {
			if out, err = sel.lam.call(cur); err != nil {
				return obj{}, false, err
			}
		}
		next, err := prod.call(cur)
		if err != nil {
			return obj{}, false, err
		}
		cur = next
		return out, true, nil
	}), nil
}

// fnGenerateMany walks what producer yields from initial, breadth first
// (or depth first), with decycle skipping values seen before.
func fnGenerateMany(c *callCtx, a []obj) (obj, error) {
	ev := c.ev
	prod, sel := a[1].lam, a[2]
	decycle := a[3].k != kNoValue && a[3].v.Bool
	depthFirst := a[4].k != kNoValue && a[4].v.Bool
	queue := []obj{a[0]}
	seen := map[string]bool{}
	return newIter(func() (obj, bool, error) {
		for len(queue) > 0 {
			if err := ev.step(c.off); err != nil {
				return obj{}, false, err
			}
			item := queue[0]
			queue = queue[1:]
			if decycle {
				k, err := ev.hashKey(item, c.off)
				if err != nil {
					return obj{}, false, err
				}
				if seen[k] {
					continue
				}
				seen[k] = true
				if err := ev.quotaWeighted(c.off, weighted{1, setSize(len(seen))}); err != nil {
					return obj{}, false, err
				}
			}
			out := item
			var err error
			if sel.k != kNoValue {
				if out, err = sel.lam.call(item); err != nil {
					return obj{}, false, err
				}
			}
			produced, err := prod.call(item)
			if err != nil {
				return obj{}, false, err
			}
			next, err := ev.pyIter(produced, c.off)
			if err != nil {
				return obj{}, false, err
			}
			var add []obj
			for {
				x, ok, err := next()
				if err != nil {
					return obj{}, false, err
				}
				if !ok {
					break
				}
				add = append(add, x)
			}
			if depthFirst {
				queue = append(add, queue...)
			} else {
				queue = append(queue, add...)
			}
			if err := ev.quotaWeighted(c.off, weighted{1, dequeSize(len(queue))}); err != nil {
				return obj{}, false, err
			}
			return out, true, nil
		}
		return obj{}, false, nil
	}), nil
}

// dequeSize is sys.getsizeof of a collections.deque of n items (blocks
// of 64 pointers).
func dequeSize(n int) int { return 624 + 528*(n/64) }

// fnDefaultIfEmpty is the collection, or default when it has no items.
func fnDefaultIfEmpty(c *callCtx, a []obj) (obj, error) {
	coll := a[0]
	if coll.k == kSet || isSequence(coll) {
		if len(coll.v.List) == 0 {
			return a[1], nil
		}
		return coll, nil
	}
	m := c.ev.memorize(coll, c.off)
	_, ok, err := c.ev.cursor(m, c.off)()
	if err != nil {
		return obj{}, err
	}
	if !ok {
		return a[1], nil
	}
	return m, nil
}

func fnCount(c *callCtx, a []obj) (obj, error) {
	n := int64(0)
	cur := c.ev.cursor(a[0], c.off)
	for {
		_, ok, err := cur()
		if err != nil {
			return obj{}, err
		}
		if !ok {
			return integer(n), nil
		}
		n++
	}
}

func fnWhere(c *callCtx, a []obj) (obj, error) {
	cur, pred := c.ev.cursor(a[0], c.off), a[1].lam
	return newIter(func() (obj, bool, error) {
		for {
			x, ok, err := cur()
			if !ok || err != nil {
				return x, ok, err
			}
			r, err := pred.call(x)
			if err != nil {
				return obj{}, false, err
			}
			t, err := truthy(r)
			if err != nil {
				return obj{}, false, err
			}
			if t {
				return x, true, nil
			}
		}
	}), nil
}

func fnSelect(c *callCtx, a []obj) (obj, error) {
	cur, sel := c.ev.cursor(a[0], c.off), a[1].lam
	return newIter(func() (obj, bool, error) {
		x, ok, err := cur()
		if !ok || err != nil {
			return x, ok, err
		}
		r, err := sel.call(x)
		return r, err == nil, err
	}), nil
}

func fnSelectMany(c *callCtx, a []obj) (obj, error) {
	ev := c.ev
	cur, sel := ev.cursor(a[0], c.off), a[1].lam
	var inner func() (obj, bool, error)
	return newIter(func() (obj, bool, error) {
		for {
			if inner != nil {
				x, ok, err := inner()
				if err != nil {
					return obj{}, false, err
				}
				if ok {
					return x, true, nil
				}
				inner = nil
			}
			x, ok, err := cur()
			if !ok || err != nil {
				return x, ok, err
			}
			r, err := sel.call(x)
			if err != nil {
				return obj{}, false, err
			}
			if isIterable(r) {
				inner = ev.cursor(r, c.off)
				continue
			}
			return r, true, nil
		}
	}), nil
}

func fnDistinct(c *callCtx, a []obj) (obj, error) {
	ev := c.ev
	cur := ev.cursor(a[0], c.off)
	seen := newDedup(ev)
	return newIter(func() (obj, bool, error) {
		for {
			x, ok, err := cur()
			if !ok || err != nil {
				return x, ok, err
			}
			key := x
			if a[1].k != kNoValue {
				if key, err = a[1].lam.call(x); err != nil {
					return obj{}, false, err
				}
			}
			isNew, err := seen.add(key, c.off)
			if err != nil {
				return obj{}, false, err
			}
			if !isNew {
				continue
			}
			if err := ev.quotaWeighted(c.off, weighted{1, setSize(seen.len())}); err != nil {
				return obj{}, false, err
			}
			return x, true, nil
		}
	}), nil
}

func fnAny(c *callCtx, a []obj) (obj, error) {
	cur := c.ev.cursor(a[0], c.off)
	for {
		x, ok, err := cur()
		if err != nil || !ok {
			return boolean(false), err
		}
		if a[1].k == kNoValue {
			return boolean(true), nil
		}
		r, err := a[1].lam.call(x)
		if err != nil {
			return obj{}, err
		}
		if t, err := truthy(r); err != nil || t {
			return boolean(t), err
		}
	}
}

func fnAll(c *callCtx, a []obj) (obj, error) {
	cur := c.ev.cursor(a[0], c.off)
	for {
		x, ok, err := cur()
		if err != nil || !ok {
			return boolean(err == nil), err
		}
		r := x
		if a[1].k != kNoValue {
			if r, err = a[1].lam.call(x); err != nil {
				return obj{}, err
			}
		}
		if t, err := truthy(r); err != nil || !t {
			return boolean(false), err
		}
	}
}

func fnFirst(c *callCtx, a []obj) (obj, error) {
	x, ok, err := c.ev.cursor(a[0], c.off)()
	if err != nil {
		return obj{}, err
	}
	if ok {
		return x, nil
	}
	if a[1].k != kNoValue {
		return a[1], nil
	}
	return obj{}, errorf(c.off, "stop-iteration", "StopIteration: first() of an empty collection")
}

func fnLast(c *callCtx, a []obj) (obj, error) {
	last, found := a[1], a[1].k != kNoValue
	cur := c.ev.cursor(a[0], c.off)
	for {
		x, ok, err := cur()
		if err != nil {
			return obj{}, err
		}
		if !ok {
			break
		}
		last, found = x, true
	}
	if !found {
		return obj{}, errorf(c.off, "stop-iteration", "StopIteration: last() of an empty collection")
	}
	return last, nil
}

// islice is itertools.islice(collection, start, stop).
func (ev *evaluator) islice(coll obj, start, stop *value.Value, off int) (obj, error) {
	lo, hi := int64(0), int64(-1)
	if start != nil {
		lo, _ = int64Of(start)
	}
	if stop != nil {
		hi, _ = int64Of(stop)
	}
	if lo < 0 || stop != nil && hi < 0 {
		return obj{}, errorf(off, "value", "ValueError: Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.")
	}
	cur := ev.cursor(coll, off)
	i := int64(0)
	return newIter(func() (obj, bool, error) {
		for {
			if hi >= 0 && i >= hi {
				return obj{}, false, nil
			}
			x, ok, err := cur()
			if !ok || err != nil {
				return x, ok, err
			}
			i++
			if i > lo {
				return x, true, nil
			}
		}
	}), nil
}

// fnChain is itertools.chain.
func fnChain(c *callCtx, a []obj) (obj, error) {
	ev := c.ev
	k := 0
	var cur func() (obj, bool, error)
	return newIter(func() (obj, bool, error) {
		for {
			if cur == nil {
				if k >= len(a) {
					return obj{}, false, nil
				}
				cur = ev.cursor(a[k], c.off)
				k++
			}
			x, ok, err := cur()
			if err != nil {
				return obj{}, false, err
			}
			if ok {
				return x, true, nil
			}
			cur = nil
		}
	}), nil
}

func (ev *evaluator) pyRange(start, stop, step *value.Value, off int) (obj, error) {
	lo, ok1 := int64Of(start)
	hi, ok2 := int64Of(stop)
	st, ok3 := int64Of(step)
	if !ok1 || !ok2 || !ok3 {
		return obj{}, errorf(off, "value", "OverflowError: range() bounds beyond 64 bits are not supported by hoist")
	}
	if st == 0 {
		return obj{}, errorf(off, "value", "ValueError: range() arg 3 must not be zero")
	}
	i := lo
	return newIter(func() (obj, bool, error) {
		if st > 0 && i >= hi || st < 0 && i <= hi {
			return obj{}, false, nil
		}
		x := i
		if (st > 0 && i > math.MaxInt64-st) || (st < 0 && i < math.MinInt64-st) {
			i = hi // the next step would overflow: it is past the end anyway
		} else {
			i += st
		}
		return integer(x), true, nil
	}), nil
}

func fnOrderBy(asc bool) func(*callCtx, []obj) (obj, error) {
	return func(c *callCtx, a []obj) (obj, error) {
		o := &ordering{src: a[0], keys: []orderKey{{sel: *a[1].lam, asc: asc}}}
		return obj{k: kIter, it: &iterator{ordered: o}}, nil
	}
}

func fnThenBy(asc bool) func(*callCtx, []obj) (obj, error) {
	return func(c *callCtx, a []obj) (obj, error) {
		a[0].it.ordered.keys = append(a[0].it.ordered.keys, orderKey{sel: *a[1].lam, asc: asc})
		return a[0], nil
	}
}

// compareOp applies yaql's < or > to two values.
func (ev *evaluator) compareOp(op string, a, b obj, off int) (bool, error) {
	for _, o := range stdlib().functions["#operator_"+op] {
		if o.params[0].typ(ev, a) && o.params[1].typ(ev, b) {
			r, err := o.impl(&callCtx{ev: ev, off: off}, []obj{a, b})
			if err != nil {
				return false, err
			}
			return r.v.Bool, nil
		}
	}
	for _, x := range []obj{a, b} {
		if x.k == kData && value.KindOf(x.v) == value.Unknown {
			return false, unknownOf(x.v)
		}
	}
	return false, errorf(off, "no-method", `No function "#operator_`+op+`" matches supplied arguments`)
}

func fnGroupBy(c *callCtx, a []obj) (obj, error) {
	ev := c.ev
	type group struct {
		key  *value.Value
		vals []*value.Value
	}
	var groups []*group
	index := map[string]*group{}
	cur := ev.cursor(a[0], c.off)
	for {
		t, ok, err := cur()
		if err != nil {
			return obj{}, err
		}
		if !ok {
			break
		}
		val := t
		if a[2].k != kNoValue {
			if val, err = a[2].lam.call(t); err != nil {
				return obj{}, err
			}
		}
		key, err := a[1].lam.call(t)
		if err != nil {
			return obj{}, err
		}
		hk, err := ev.hashKey(key, c.off)
		if err != nil {
			return obj{}, err
		}
		vv, err := ev.asData(val, c.off)
		if err != nil {
			return obj{}, err
		}
		g := index[hk]
		if g == nil {
			kv, err := ev.asData(key, c.off)
			if err != nil {
				return obj{}, err
			}
			g = &group{key: kv}
			index[hk] = g
			groups = append(groups, g)
		}
		g.vals = append(g.vals, vv)
		if err := ev.quotaWeighted(c.off, weighted{1, dictSize(len(groups))}); err != nil {
			return obj{}, err
		}
	}
	items := make([]obj, len(groups))
	for i, g := range groups {
		vals := ev.markMutable(value.NewList(g.vals, zr))
		items[i] = data(value.NewList([]*value.Value{g.key, vals}, zr))
	}
	if a[3].k == kNoValue {
		return sliceIter(items), nil
	}
	// yaql 1.1.3: the aggregator maps each group's values: (key, agg(values)).
	agg := a[3].lam
	k := 0
	return newIter(func() (obj, bool, error) {
		if k >= len(items) {
			return obj{}, false, nil
		}
		g := groups[k]
		k++
		r, err := agg.call(data(ev.markMutable(value.NewList(g.vals, zr))))
		if err != nil {
			return obj{}, false, err
		}
		rv, err := ev.asData(r, c.off)
		if err != nil {
			return obj{}, false, err
		}
		return data(value.NewList([]*value.Value{g.key, rv}, zr)), true, nil
	}), nil
}

func fnZip(c *callCtx, a []obj) (obj, error) {
	ev := c.ev
	curs := make([]func() (obj, bool, error), len(a))
	for i := range a {
		curs[i] = ev.cursor(a[i], c.off)
	}
	done := false
	return newIter(func() (obj, bool, error) {
		if done || len(curs) == 0 {
			return obj{}, false, nil
		}
		row := make([]*value.Value, len(curs))
		for i, cur := range curs {
			x, ok, err := cur()
			if err != nil {
				return obj{}, false, err
			}
			if !ok {
				done = true
				return obj{}, false, nil
			}
			if row[i], err = ev.asData(x, c.off); err != nil {
				return obj{}, false, err
			}
		}
		return data(value.NewList(row, zr)), true, nil
	}), nil
}

func fnReduce(c *callCtx, a []obj) (obj, error) {
	cur := c.ev.cursor(a[0], c.off)
	acc := a[2]
	if acc.k == kNoValue {
		x, ok, err := cur()
		if err != nil {
			return obj{}, err
		}
		if !ok {
			return obj{}, errorf(c.off, "type", "TypeError: reduce() of empty sequence with no initial value")
		}
		acc = x
	}
	for {
		x, ok, err := cur()
		if err != nil {
			return obj{}, err
		}
		if !ok {
			return acc, nil
		}
		if acc, err = a[1].lam.call(acc, x); err != nil {
			return obj{}, err
		}
	}
}

// fnMergeWith is yaql's mergeWith: a deep merge into a new dict; lists
// (of either kind) merge as distinct(a + b).
func fnMergeWith(c *callCtx, a []obj) (obj, error) {
	maxLevels := int64(0)
	if a[4].k != kNoValue {
		maxLevels, _ = int64Of(a[4].v)
	}
	r, err := c.ev.mergeDicts(a[0].v, a[1].v, a[2], a[3], maxLevels, c.off)
	if err != nil {
		return obj{}, err
	}
	return data(r), nil
}

func (ev *evaluator) mergeDicts(d1, d2 *value.Value, listMerger, itemMerger obj, maxLevels int64, off int) (*value.Value, error) {
	m := value.NewMapping(d1.Map.Len() + d2.Map.Len())
	for _, e := range d1.Map.Entries() {
		v := e.Val
		if v2, ok := d2.Map.Lookup(e.Key); ok {
			switch {
			case maxLevels != 1 && value.KindOf(v2) == value.Map:
				if value.KindOf(v) == value.Unknown {
					return nil, unknownOf(v)
				}
				if value.KindOf(v) != value.Map {
					return nil, errorf(off, "type", "TypeError: Cannot merge "+ev.py2Type(v)+" with "+ev.py2Type(v2))
				}
				next := int64(0)
				if maxLevels != 0 {
					next = maxLevels - 1
				}
				merged, err := ev.mergeDicts(v, v2, listMerger, itemMerger, next, off)
				if err != nil {
					return nil, err
				}
				v = merged
			case maxLevels != 1 && value.KindOf(v2) == value.List:
				if value.KindOf(v) == value.Unknown {
					return nil, unknownOf(v)
				}
				if value.KindOf(v) != value.List {
					return nil, errorf(off, "type", "TypeError: Cannot merge "+ev.py2Type(v)+" with "+ev.py2Type(v2))
				}
				merged, err := ev.mergeLists(v, v2, listMerger, off)
				if err != nil {
					return nil, err
				}
				v = merged
			case value.KindOf(v2) == value.Unknown:
				v = v2
			default:
				if itemMerger.k == kNoValue {
					v = v2
				} else {
					r, err := itemMerger.lam.call(ev.unbox(v), ev.unbox(v2))
					if err != nil {
						return nil, err
					}
					if v, err = ev.asData(r, off); err != nil {
						return nil, err
					}
				}
			}
		}
		m.Set(e.Key, v)
	}
	for _, e := range d2.Map.Entries() {
		if _, ok := m.Lookup(e.Key); !ok {
			m.Set(e.Key, e.Val)
		}
	}
	return ev.markMutable(value.NewMap(m, zr)), nil
}

func (ev *evaluator) mergeLists(l1, l2 *value.Value, listMerger obj, off int) (*value.Value, error) {
	if listMerger.k != kNoValue {
		r, err := listMerger.lam.call(data(l1), data(l2))
		if err != nil {
			return nil, err
		}
		return ev.asData(r, off)
	}
	if ev.isMutable(l1) != ev.isMutable(l2) {
		a, b := "tuple", "list"
		if ev.isMutable(l1) {
			a, b = b, a
		}
		return nil, errorf(off, "type", `TypeError: can only concatenate `+a+` (not "`+b+`") to `+a)
	}
	seen := newDedup(ev)
	out := make([]*value.Value, 0, len(l1.List)+len(l2.List))
	for _, it := range append(append([]*value.Value{}, l1.List...), l2.List...) {
		isNew, err := seen.add(data(it), off)
		if err != nil {
			return nil, err
		}
		if !isNew {
			continue
		}
		if err := ev.quotaWeighted(off, weighted{1, setSize(seen.len())}); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return value.NewList(out, zr), nil
}

// py2Type is Python 2's repr of a value's type, as TypeError messages show.
func (ev *evaluator) py2Type(v *value.Value) string {
	switch value.KindOf(v) {
	case value.Map:
		if ev.isMutable(v) {
			return "<type 'dict'>"
		}
		return "<class 'yaql.language.utils.FrozenDict'>"
	case value.List:
		if ev.isMutable(v) {
			return "<type 'list'>"
		}
		return "<type 'tuple'>"
	}
	return "<type '" + data(v).typeName() + "'>"
}
