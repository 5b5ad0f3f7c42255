package yaql

import (
	"slices"
	"strconv"

	"hoist/value"
)

// iterator is a lazy Python iterator (a generator, map or filter object):
// single use, advanced by whoever pulls from it. An ordering (what
// orderBy returns) is instead a re-iterable object that sorts on first
// use, and is not an iterator: list() does not unpack it.
type iterator struct {
	next    func() (obj, bool, error)
	done    bool
	ordered *ordering
	memo    *memo
}

// memo is what memorize() returns (yaql's RememberingIterator): an
// iterator that keeps what it pulled from its source, so that every
// iteration over it starts again from the first item.
type memo struct {
	src   func() (obj, bool, error)
	items []obj
	done  bool
	err   error
}

type ordering struct {
	src    obj // the collection, already limited
	keys   []orderKey
	sorted []obj
	err    error
}

type orderKey struct {
	sel lambda
	asc bool
}

// pull returns the next item of an iterator.
func (it *iterator) pull() (obj, bool, error) {
	if it.done {
		return obj{}, false, nil
	}
	o, ok, err := it.next()
	if !ok || err != nil {
		it.done = true
	}
	return o, ok, err
}

func newIter(next func() (obj, bool, error)) obj {
	return obj{k: kIter, it: &iterator{next: next}}
}

// sliceIter iterates over fixed items.
func sliceIter(items []obj) obj {
	i := 0
	return newIter(func() (obj, bool, error) {
		if i >= len(items) {
			return obj{}, false, nil
		}
		i++
		return items[i-1], true, nil
	})
}

func (ev *evaluator) valuesIter(items []*value.Value) obj {
	i := 0
	return newIter(func() (obj, bool, error) {
		if i >= len(items) {
			return obj{}, false, nil
		}
		i++
		return ev.unbox(items[i-1]), true, nil
	})
}

// memorize is utils.memorize: an iterator becomes re-iterable; anything
// else is returned as it is.
func (ev *evaluator) memorize(o obj, off int) obj {
	if !isIterator(o) || o.it.memo != nil {
		return o
	}
	return obj{k: kIter, it: &iterator{memo: &memo{src: ev.rawCursor(o, off)}}}
}

// isIterator is utils.is_iterator.
func isIterator(o obj) bool { return o.k == kIter && o.it.ordered == nil }

// isIterable is yaql's Iterable type: lists, sets and iterators; not
// strings, not dicts, not null.
func isIterable(o obj) bool {
	switch o.k {
	case kIter, kSet:
		return true
	case kData:
		return value.KindOf(o.v) == value.List
	}
	return false
}

// isSequence is yaql's Sequence type: lists and tuples.
func isSequence(o obj) bool { return o.k == kData && value.KindOf(o.v) == value.List }

func isMap(o obj) bool    { return o.k == kData && value.KindOf(o.v) == value.Map }
func isString(o obj) bool { return o.k == kData && value.KindOf(o.v) == value.String }

// cursor returns a function that yields the items of an iterable: the
// items of a list or set, or the pulls of an iterator (consuming it).
// Every item counts as an evaluation step.
func (ev *evaluator) cursor(o obj, off int) func() (obj, bool, error) {
	next := ev.rawCursor(o, off)
	return func() (obj, bool, error) {
		if err := ev.step(off); err != nil {
			return obj{}, false, err
		}
		return next()
	}
}

func (ev *evaluator) rawCursor(o obj, off int) func() (obj, bool, error) {
	switch o.k {
	case kData, kSet:
		items := o.v.List
		i := 0
		return func() (obj, bool, error) {
			if i >= len(items) {
				return obj{}, false, nil
			}
			i++
			return ev.unbox(items[i-1]), true, nil
		}
	case kIter:
		if m := o.it.memo; m != nil {
			i := 0
			return func() (obj, bool, error) {
				if i < len(m.items) {
					i++
					return m.items[i-1], true, nil
				}
				if m.done {
					return obj{}, false, m.err
				}
				x, ok, err := m.src()
				if !ok || err != nil {
					m.done, m.err = true, err
					return obj{}, false, err
				}
				if err := ev.quotaWeighted(off, weighted{1, listSize(len(m.items) + 1)}); err != nil {
					m.done, m.err = true, err
					return obj{}, false, err
				}
				m.items = append(m.items, x)
				i++
				return x, true, nil
			}
		}
		if o.it.ordered != nil {
			sorted, err := ev.sortOrdering(o.it.ordered, off)
			i := 0
			return func() (obj, bool, error) {
				if err != nil {
					return obj{}, false, err
				}
				if i >= len(sorted) {
					return obj{}, false, nil
				}
				i++
				return sorted[i-1], true, nil
			}
		}
		return o.it.pull
	}
	return func() (obj, bool, error) { return obj{}, false, nil }
}

// limited is utils.limit_iterable, applied to every Iterable argument: a
// collection longer than MaxItems is an error at once; an iterator is
// wrapped so that pulling past MaxItems is.
func (ev *evaluator) limited(o obj, off int) (obj, error) {
	max := ev.lim.MaxItems
	switch o.k {
	case kData, kSet:
		if value.KindOf(o.v) == value.Map {
			if max > 0 && o.v.Map.Len() > max {
				return obj{}, ev.tooLarge(off)
			}
			return o, nil
		}
		if max > 0 && len(o.v.List) > max {
			return obj{}, ev.tooLarge(off)
		}
		return o, nil
	case kIter:
		if max <= 0 && o.it.ordered == nil && o.it.memo == nil {
			return o, nil
		}
		cur := ev.cursor(o, off)
		n := 0
		return newIter(func() (obj, bool, error) {
			x, ok, err := cur()
			if !ok || err != nil {
				return x, ok, err
			}
			if max > 0 && n >= max {
				return obj{}, false, ev.tooLarge(off)
			}
			n++
			return x, true, nil
		}), nil
	}
	return o, nil
}

func (ev *evaluator) tooLarge(off int) error {
	return errorf(off, "limit", "Collection length exceeds "+strconv.Itoa(ev.lim.MaxItems)+" elements")
}

// collect drains an iterable into a slice.
func (ev *evaluator) collect(o obj, off int) ([]obj, error) {
	var out []obj
	cur := ev.cursor(o, off)
	for {
		x, ok, err := cur()
		if err != nil {
			return nil, err
		}
		if !ok {
			return out, nil
		}
		out = append(out, x)
	}
}

// sortOrdering sorts an orderBy result once, stably, comparing keys with
// yaql's < and > operators.
func (ev *evaluator) sortOrdering(o *ordering, off int) ([]obj, error) {
	if o.sorted != nil || o.err != nil {
		return o.sorted, o.err
	}
	items, err := ev.collect(o.src, off)
	if err != nil {
		o.err = err
		return nil, err
	}
	var sortErr error
	cmp := func(a, b obj) int {
		for _, k := range o.keys {
			ka, err := k.sel.call(a)
			if err != nil {
				sortErr = err
				return 0
			}
			kb, err := k.sel.call(b)
			if err != nil {
				sortErr = err
				return 0
			}
			r := 0
			lt, err := ev.compareOp("<", ka, kb, off)
			if err != nil {
				sortErr = err
				return 0
			}
			if lt {
				r = -1
			} else {
				gt, err := ev.compareOp(">", ka, kb, off)
				if err != nil {
					sortErr = err
					return 0
				}
				if gt {
					r = 1
				} else {
					continue
				}
			}
			if !k.asc {
				r = -r
			}
			return r
		}
		return 0
	}
	slices.SortStableFunc(items, func(a, b obj) int {
		if sortErr != nil {
			return 0
		}
		return cmp(a, b)
	})
	if sortErr != nil {
		o.err = sortErr
		return nil, sortErr
	}
	if items == nil {
		items = []obj{}
	}
	o.sorted = items
	return items, nil
}
