package yaql

import (
	"hoist/value"
)

// ptype is a parameter type: it reports whether an evaluated argument fits.
type ptype func(ev *evaluator, o obj) bool

// param is one parameter of a function overload, named as yaql's
// CamelCase convention names it for keyword arguments.
type param struct {
	name   string
	typ    ptype // nil accepts anything, null included
	lazy   bool  // a lambda: passed unevaluated
	opt    bool  // has a default (the impl sees kNoValue)
	rest   bool  // *args
	kwrest bool  // **kwargs
	iter   bool  // an Iterable: limited to MaxItems on the way in
	ctx    bool  // a lambda evaluated in a context it is given (->)
	rule   bool  // a lazy name => value pair (switch)
}

// overload is one implementation of a yaql function name.
type overload struct {
	method   bool // callable as recv.name(...)
	function bool // callable as name(...)
	noKwargs bool // name => value arguments stay positional pairs
	// keepUnknown: the function only carries its arguments, so an unknown
	// argument does not make the result unknown.
	keepUnknown bool
	params      []param
	impl        func(c *callCtx, a []obj) (obj, error)
	// fixed, required and hasRest summarise params for arityFits
	// (buildLibrary counts them).
	fixed, required int
	hasRest         bool
}

// callCtx is what an implementation sees of its call.
type callCtx struct {
	ev   *evaluator
	sc   *scope
	off  int
	name string
	kw   []kwArg // values of **kwargs
}

type kwArg struct {
	name string
	val  obj
}

// argSlot is one argument of a call before binding.
type argSlot struct {
	n    *node // nil for the receiver
	val  obj   // the receiver, or the value once evaluated
	done bool
	name string // for a keyword argument
	off  int
}

// call dispatches a function or method call (yaql's runner.call and
// choose_overload): it picks the overloads the arguments bind to,
// evaluates the arguments that are not lambdas, in order, and runs the
// first overload whose parameter types accept them. A function def()
// defined in an enclosing context comes first, as yaql's inner context
// levels do.
func (ev *evaluator) call(n *node, name string, recv *obj, isMethod bool, args []*node, sc *scope) (obj, error) {
	if ev.defs > 0 && !isMethod {
		if f := sc.function(name); f != nil {
			return ev.callDefined(n.off, f, args, sc)
		}
	}
	var cands []*overload
	if isMethod {
		cands = stdlib().methods[name]
	} else {
		cands = stdlib().functions[name]
	}
	if len(cands) == 0 {
		return obj{}, ev.unregistered(n.off, name, recv, isMethod)
	}
	// Split the arguments into positional and keyword ones.
	var posBuf [4]argSlot
	pos := posBuf[:0]
	var kws []argSlot
	if recv != nil {
		pos = append(pos, argSlot{val: *recv, done: true, off: n.off})
	}
	for _, a := range args {
		if a.kind == nNamed && !cands[0].noKwargs {
			key := a.args[0]
			if key.kind != nKeyword {
				return obj{}, errorf(a.off, "no-method", "Cannot convert mapping to keyword argument")
			}
			kws = setKwSlot(kws, argSlot{n: a.args[1], name: key.name, off: a.off})
			continue
		}
		pos = append(pos, argSlot{n: a, off: a.off})
	}
	return ev.dispatch(n.off, name, cands, recv, isMethod, pos, kws, sc)
}

// unregistered is the error for a name no overload is registered under
// (whatever the receiver, even an unknown one).
func (ev *evaluator) unregistered(off int, name string, recv *obj, isMethod bool) error {
	if isMethod {
		return errorf(off, "no-method", `Unknown method "`+name+`" for receiver `+ev.describe(*recv))
	}
	return errorf(off, "no-method", `Unknown function "`+name+`"`)
}

// invoke calls a function or method with arguments already evaluated, as
// yaql's delegates and call() do: a value given for a lambda parameter
// becomes a lambda that returns it.
func (ev *evaluator) invoke(off int, name string, recv *obj, args []obj, kw []kwArg, sc *scope) (obj, error) {
	isMethod := recv != nil
	if ev.defs > 0 && !isMethod && sc != nil {
		if f := sc.function(name); f != nil {
			return f.callKw(args, kw)
		}
	}
	var cands []*overload
	if isMethod {
		cands = stdlib().methods[name]
	} else {
		cands = stdlib().functions[name]
	}
	if len(cands) == 0 {
		return obj{}, ev.unregistered(off, name, recv, isMethod)
	}
	pos := make([]argSlot, 0, len(args)+1)
	if recv != nil {
		pos = append(pos, argSlot{val: *recv, done: true, off: off})
	}
	for _, a := range args {
		pos = append(pos, argSlot{val: a, done: true, off: off})
	}
	var kws []argSlot
	for _, k := range kw {
		if cands[0].noKwargs {
			return obj{}, errorf(off, "no-method", "Argument "+k.name+" is invalid")
		}
		kws = append(kws, argSlot{val: k.val, done: true, name: k.name, off: off})
	}
	return ev.dispatch(off, name, cands, recv, isMethod, pos, kws, sc)
}

// dispatch binds the arguments to the overloads of a name, evaluates
// them and runs the overload that accepts them.
func (ev *evaluator) dispatch(off int, name string, cands []*overload, recv *obj, isMethod bool, pos, kws []argSlot, sc *scope) (obj, error) {
	for _, c := range cands[1:] {
		if c.noKwargs != cands[0].noKwargs {
			return obj{}, errorf(off, "no-method", `Ambiguous function "`+name+`"`)
		}
	}
	// Bind: which overloads accept this shape of arguments.
	type bound struct {
		o    *overload
		pmap []int // parameter of each positional slot
		kmap []int // parameter of each keyword slot
	}
	var shapesBuf [4]bound
	shapes := shapesBuf[:0]
	for _, o := range cands {
		if !o.arityFits(len(pos), len(kws)) {
			continue
		}
		pm, km, ok := bindShape(o, pos, kws)
		if ok {
			shapes = append(shapes, bound{o, pm, km})
		}
	}
	if len(shapes) == 0 {
		return obj{}, ev.noMatch(off, name, recv, isMethod)
	}
	lazyOf := func(b bound, slot int, kw bool) param {
		if kw {
			return b.o.params[b.kmap[slot]]
		}
		if b.pmap[slot] < 0 {
			return param{}
		}
		return b.o.params[b.pmap[slot]]
	}
	// Evaluate the non-lazy arguments in order.
	first := shapes[0]
	for i := range pos {
		p := lazyOf(first, i, false)
		for _, s := range shapes[1:] {
			if q := lazyOf(s, i, false); q.lazy != p.lazy {
				return obj{}, errorf(off, "no-method", `Ambiguous function "`+name+`"`)
			}
		}
		if pos[i].done {
			if p.lazy && !p.rule && pos[i].val.k != kLambda {
				pos[i].val = constLambda(ev, pos[i].val)
			}
			continue
		}
		if p.lazy {
			pos[i].val = ev.lazyArg(pos[i].n, sc, p)
		} else {
			v, err := ev.evalArg(pos[i].n, sc)
			if err != nil {
				return obj{}, err
			}
			pos[i].val = v
		}
		pos[i].done = true
	}
	for i := range kws {
		p := lazyOf(first, i, true)
		if kws[i].done {
			if p.lazy && !p.rule && kws[i].val.k != kLambda {
				kws[i].val = constLambda(ev, kws[i].val)
			}
			continue
		}
		if p.lazy {
			kws[i].val = ev.lazyArg(kws[i].n, sc, p)
		} else {
			v, err := ev.evalArg(kws[i].n, sc)
			if err != nil {
				return obj{}, err
			}
			kws[i].val = v
		}
	}
	// An unknown argument makes the result unknown, except for the few
	// functions that only carry their arguments (list literals, let).
	keep := true
	for _, s := range shapes {
		keep = keep && s.o.keepUnknown
	}
	if !keep {
		for _, group := range [2][]argSlot{pos, kws} {
			for _, slot := range group {
				if slot.val.k == kData && value.KindOf(slot.val.v) == value.Unknown {
					return obj{}, unknownOf(slot.val.v)
				}
			}
		}
	}
	// Pick the overload whose types accept the values; the overloads of a
	// name are disjoint by type except with no arguments at all, which
	// yaql calls ambiguous (concat()).
	matching, last := 0, 0
	for i, s := range shapes {
		if typesAccept(ev, s.o, s.pmap, s.kmap, pos, kws) {
			matching++
			last = i
		}
	}
	if matching > 1 {
		// yaql keeps the overload whose parameter types specialise every
		// other's (a typed parameter is narrower than an untyped one).
		winner := -1
		for i, a := range shapes {
			if !typesAccept(ev, a.o, a.pmap, a.kmap, pos, kws) {
				continue
			}
			best := true
			for j, b := range shapes {
				if i != j && typesAccept(ev, b.o, b.pmap, b.kmap, pos, kws) && !specializes(a.o, a.pmap, b.o, b.pmap) {
					best = false
				}
			}
			if best {
				winner = i
			}
		}
		if winner < 0 {
			if isMethod {
				return obj{}, errorf(off, "no-method", `Ambiguous method "`+name+`" for receiver `+ev.describe(*recv))
			}
			return obj{}, errorf(off, "no-method", `Ambiguous function "`+name+`"`)
		}
		last = winner
	}
	if matching > 0 {
		shapes = shapes[last : last+1]
	}
	for _, s := range shapes {
		o := s.o
		a := make([]obj, len(o.params))
		for i := range a {
			a[i] = noValue
		}
		var rest []obj
		var kwRest []kwArg
		ok := true
		for i, slot := range pos {
			pi := s.pmap[i]
			if pi < 0 { // an omitted slot whose parameter came by keyword
				continue
			}
			p := o.params[pi]
			if !accepts(ev, p, slot.val) {
				ok = false
				break
			}
			if p.rest {
				rest = append(rest, slot.val)
			} else {
				a[pi] = slot.val
			}
		}
		for i, slot := range kws {
			if !ok {
				break
			}
			pi := s.kmap[i]
			p := o.params[pi]
			if !accepts(ev, p, slot.val) {
				ok = false
				break
			}
			if p.kwrest {
				kwRest = append(kwRest, kwArg{slot.name, slot.val})
			} else {
				a[pi] = slot.val
			}
		}
		if !ok {
			continue
		}
		// The implementation sees the fixed parameters in order, then the
		// *args; iterables are limited and sizes checked on the way in.
		fixed := a[:0] // compacted in place: index i is read before it is written
		var restParam *param
		for i := range o.params {
			p := &o.params[i]
			switch {
			case p.rest:
				restParam = p
			case p.kwrest:
			default:
				if !p.lazy && a[i].k != kNoValue {
					if err := ev.convertArg(*p, &a[i], off); err != nil {
						return obj{}, err
					}
				}
				fixed = append(fixed, a[i])
			}
		}
		if restParam != nil && !restParam.lazy {
			for i := range rest {
				if err := ev.convertArg(*restParam, &rest[i], off); err != nil {
					return obj{}, err
				}
			}
		}
		c := &callCtx{ev: ev, sc: sc, off: off, name: name, kw: kwRest}
		return o.impl(c, append(fixed, rest...))
	}
	return obj{}, ev.noMatch(off, name, recv, isMethod)
}

// callDefined calls a function def() defined: its arguments are
// evaluated (positional ones, and name => value ones as keyword
// arguments) and its body runs with them as $1, $2... and $name.
func (ev *evaluator) callDefined(off int, f *lambda, args []*node, sc *scope) (obj, error) {
	var posNodes []*node
	var kwSlots []argSlot
	for _, a := range args {
		if a.kind == nNamed {
			key := a.args[0]
			if key.kind != nKeyword {
				return obj{}, errorf(a.off, "no-method", "Cannot convert mapping to keyword argument")
			}
			kwSlots = setKwSlot(kwSlots, argSlot{n: a.args[1], name: key.name, off: a.off})
			continue
		}
		if a.kind == nOmitted {
			return obj{}, errorf(a.off, "no-method", "an empty argument has no value")
		}
		posNodes = append(posNodes, a)
	}
	pos := make([]obj, len(posNodes))
	for i, n := range posNodes {
		v, err := ev.eval(n, sc)
		if err != nil {
			return obj{}, err
		}
		pos[i] = v
	}
	kws := make([]kwArg, len(kwSlots))
	for i, k := range kwSlots {
		v, err := ev.eval(k.n, sc)
		if err != nil {
			return obj{}, err
		}
		kws[i] = kwArg{k.name, v}
	}
	return f.callKw(pos, kws)
}

// setKwSlot adds a keyword argument; a name given twice keeps its place
// and takes the later value (yaql's translate_args builds a dict).
func setKwSlot(kws []argSlot, k argSlot) []argSlot {
	for i := range kws {
		if kws[i].name == k.name {
			kws[i] = k
			return kws
		}
	}
	return append(kws, k)
}

func (ev *evaluator) convertArg(p param, o *obj, off int) error {
	if p.iter && o.k != kNoValue && !o.isNull() {
		l, err := ev.limited(*o, off)
		if err != nil {
			return err
		}
		*o = l
	}
	if o.k == kData || o.k == kSet {
		return ev.quota(off, *o)
	}
	return nil
}

func (ev *evaluator) noMatch(off int, name string, recv *obj, isMethod bool) error {
	if isMethod {
		if recv.k == kData && value.KindOf(recv.v) == value.Unknown {
			return unknownOf(recv.v)
		}
		return errorf(off, "no-method", `No method "`+name+`" for receiver `+ev.describe(*recv)+` matches supplied arguments`)
	}
	return errorf(off, "no-method", `No function "`+name+`" matches supplied arguments`)
}

// describe renders a receiver for messages.
func (ev *evaluator) describe(o obj) string {
	if o.k == kData || o.k == kSet {
		s, err := ev.repr(o, 0)
		if err == nil {
			if len(s) > 80 {
				s = s[:77] + "..."
			}
			return s
		}
	}
	return "<" + o.typeName() + " object>"
}

// evalArg evaluates an argument; a name => value pair becomes a rule.
func (ev *evaluator) evalArg(n *node, sc *scope) (obj, error) {
	if n.kind == nNamed {
		k, err := ev.eval(n.args[0], sc)
		if err != nil {
			return obj{}, err
		}
		v, err := ev.eval(n.args[1], sc)
		if err != nil {
			return obj{}, err
		}
		return obj{k: kRule, x: &rule{key: k, val: v}}, nil
	}
	return ev.eval(n, sc)
}

func (ev *evaluator) lazyArg(n *node, sc *scope, p param) obj {
	if p.rule {
		if n.kind != nNamed {
			return obj{k: kLambda, lam: &lambda{ev: ev, n: n, sc: sc}} // rejected by the type check
		}
		return obj{k: kRule, x: &rule{
			key: obj{k: kLambda, lam: &lambda{ev: ev, n: n.args[0], sc: sc}},
			val: obj{k: kLambda, lam: &lambda{ev: ev, n: n.args[1], sc: sc}},
		}}
	}
	return obj{k: kLambda, lam: &lambda{ev: ev, n: n, sc: sc}}
}

func accepts(ev *evaluator, p param, o obj) bool {
	if o.k == kNoValue {
		return p.opt
	}
	if p.rule {
		return o.k == kRule
	}
	if p.lazy {
		return o.k == kLambda
	}
	if p.typ == nil {
		return true
	}
	return p.typ(ev, o)
}

// arityFits is a quick test that rules out most overloads before
// bindShape: too many positional arguments, or too few arguments for the
// required parameters.
func (o *overload) arityFits(npos, nkw int) bool {
	if npos > o.fixed && !o.hasRest {
		return false
	}
	return npos+nkw >= o.required
}

func (o *overload) countParams() {
	fixed, required := 0, 0
	for _, p := range o.params {
		switch {
		case p.rest:
			o.hasRest = true
		case p.kwrest:
		default:
			fixed++
			if !p.opt {
				required++
			}
		}
	}
	o.required, o.fixed = required, fixed
}

// bindShape maps the arguments to the parameters of o (yaql's map_args):
// positional ones first, then keyword ones by name; it fails when a
// required parameter is missing or an argument has no parameter.
func bindShape(o *overload, pos, kws []argSlot) (pmap, kmap []int, ok bool) {
	fixed := 0
	restIdx, kwRestIdx := -1, -1
	for i, p := range o.params {
		switch {
		case p.rest:
			restIdx = i
		case p.kwrest:
			kwRestIdx = i
		default:
			fixed++
		}
	}
	pmap = make([]int, len(pos))
	kmap = make([]int, len(kws))
	usedKw := make([]bool, len(kws))
	fi := 0
	for i, p := range o.params {
		if p.rest || p.kwrest {
			continue
		}
		_ = i
		k := -1
		for j, kw := range kws {
			if kw.name == p.name {
				k = j
			}
		}
		if fi < len(pos) && !isOmitted(pos[fi]) {
			if k >= 0 {
				return nil, nil, false
			}
			pmap[fi] = i
		} else if k >= 0 {
			kmap[k] = i
			usedKw[k] = true
			if fi < len(pos) {
				pmap[fi] = -1 // an omitted slot
			}
		} else if !p.opt {
			return nil, nil, false
		} else if fi < len(pos) {
			pmap[fi] = i
		}
		fi++
	}
	if len(pos) > fixed {
		if restIdx < 0 {
			return nil, nil, false
		}
		for j := fixed; j < len(pos); j++ {
			if isOmitted(pos[j]) {
				return nil, nil, false
			}
			pmap[j] = restIdx
		}
	}
	for j := range kws {
		if !usedKw[j] {
			if kwRestIdx < 0 {
				return nil, nil, false
			}
			kmap[j] = kwRestIdx
		}
	}
	return pmap, kmap, true
}

func isOmitted(a argSlot) bool { return a.n != nil && a.n.kind == nOmitted }

// callOp dispatches an operator, the indexer, or a list or map literal:
// functions named as yaql names them internally.
func (ev *evaluator) callOp(n *node, name string, args []*node, sc *scope) (obj, error) {
	return ev.call(n, name, nil, false, args, sc)
}

// specializes reports whether overload a, as bound to the positional
// arguments, is more specific than b (yaql's _is_specialization_of): no
// argument has a typed parameter in b and an untyped one in a, and some
// argument has the reverse.
func specializes(a *overload, apm []int, b *overload, bpm []int) bool {
	res := false
	for i := range apm {
		if i >= len(bpm) || apm[i] < 0 || bpm[i] < 0 {
			continue
		}
		at, bt := a.params[apm[i]].typ != nil, b.params[bpm[i]].typ != nil
		if bt && !at {
			return false
		}
		if at && !bt {
			res = true
		}
	}
	return res
}

func typesAccept(ev *evaluator, o *overload, pmap, kmap []int, pos, kws []argSlot) bool {
	for i, slot := range pos {
		if pmap[i] >= 0 && !accepts(ev, o.params[pmap[i]], slot.val) {
			return false
		}
	}
	for i, slot := range kws {
		if !accepts(ev, o.params[kmap[i]], slot.val) {
			return false
		}
	}
	return true
}
