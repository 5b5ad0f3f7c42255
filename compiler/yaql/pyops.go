package yaql

import (
	"errors"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"hoist/value"
)

// This file holds the Python object semantics yaql inherits: equality
// (with tuples unequal to lists), hashing, truthiness, str() and repr(),
// and arithmetic on unbounded ints and floats.

// isMutable reports whether a list or map value is a Python list or dict
// (built by split(), groupBy(), toDict(), mergeWith()...) rather than a
// tuple or FrozenDict (yaql's input, literals and most results).
func (ev *evaluator) isMutable(v *value.Value) bool {
	if ev.mutable == nil || v == nil {
		return false
	}
	_, ok := ev.mutable[v]
	return ok
}

// markMutable records v as a Python list or dict and returns it.
func (ev *evaluator) markMutable(v *value.Value) *value.Value {
	if ev.mutable == nil {
		ev.mutable = map[*value.Value]struct{}{}
	}
	ev.mutable[v] = struct{}{}
	return v
}

func unknownOf(v *value.Value) error { return &unknownErr{v} }

// equal is Python's ==.
func (ev *evaluator) equal(a, b obj) (bool, error) {
	if a.k == kData && b.k == kData {
		return ev.equalData(a.v, b.v)
	}
	if a.k == kData && value.KindOf(a.v) == value.Unknown {
		return false, unknownOf(a.v)
	}
	if b.k == kData && value.KindOf(b.v) == value.Unknown {
		return false, unknownOf(b.v)
	}
	if a.k != b.k {
		return false, nil
	}
	switch a.k {
	case kSet:
		if len(a.v.List) != len(b.v.List) {
			return false, nil
		}
		for _, x := range a.v.List {
			in, err := ev.setHas(b.v, x)
			if err != nil || !in {
				return false, err
			}
		}
		return true, nil
	case kIter:
		return a.it == b.it, nil
	case kRegex:
		return a.regex().pattern == b.regex().pattern && a.regex().flags == b.regex().flags, nil
	case kContext:
		return a.context() == b.context(), nil
	case kDatetime:
		return instantMicros(a.tv().at).Cmp(instantMicros(b.tv().at)) == 0, nil
	case kTimespan:
		return a.tv().days == b.tv().days && a.tv().us == b.tv().us, nil
	}
	return false, nil
}

func (ev *evaluator) equalData(a, b *value.Value) (bool, error) {
	if ev.boxes != nil {
		oa, ob := ev.unbox(a), ev.unbox(b)
		if oa.k != kData || ob.k != kData {
			return ev.equal(oa, ob)
		}
	}
	ka, kb := value.KindOf(a), value.KindOf(b)
	if ka == value.Unknown {
		return false, unknownOf(a)
	}
	if kb == value.Unknown {
		return false, unknownOf(b)
	}
	switch {
	case ka == value.List && kb == value.List:
		if ev.isMutable(a) != ev.isMutable(b) || len(a.List) != len(b.List) {
			return false, nil
		}
		for i := range a.List {
			if eq, err := ev.equalData(a.List[i], b.List[i]); err != nil || !eq {
				return false, err
			}
		}
		return true, nil
	case ka == value.Map && kb == value.Map:
		if a.Map.Len() != b.Map.Len() {
			return false, nil
		}
		for _, e := range a.Map.Entries() {
			o, ok := b.Map.Lookup(e.Key)
			if !ok {
				return false, nil
			}
			if eq, err := ev.equalData(e.Val, o); err != nil || !eq {
				return false, err
			}
		}
		return true, nil
	}
	return value.Equal(a, b), nil
}

// hashKey returns a key equal for Python-equal hashable values, or a
// TypeError for unhashable ones (lists, dicts and what holds them).
func (ev *evaluator) hashKey(o obj, off int) (string, error) {
	switch o.k {
	case kData:
		if ev.boxes != nil {
			if b := ev.unbox(o.v); b.k != kData {
				return ev.hashKey(b, off)
			}
		}
		if err := ev.checkHashable(o.v, off); err != nil {
			return "", err
		}
		return value.HashKey(o.v), nil
	case kDatetime:
		return "D" + instantMicros(o.tv().at).String(), nil
	case kTimespan:
		return "T" + o.tv().micros().String(), nil
	case kSet:
		keys := make([]string, len(o.v.List))
		for i, it := range o.v.List {
			keys[i] = value.HashKey(it)
		}
		slices.Sort(keys)
		return "S" + strings.Join(keys, "\x00"), nil
	}
	return "", errorf(off, "type", "hoist cannot use a "+o.typeName()+" as a dict key or set item")
}

func (ev *evaluator) checkHashable(v *value.Value, off int) error {
	switch value.KindOf(v) {
	case value.Unknown:
		return unknownOf(v)
	case value.List:
		if ev.isMutable(v) {
			return errorf(off, "type", "unhashable type: 'list'")
		}
		for _, it := range v.List {
			if err := ev.checkHashable(it, off); err != nil {
				return err
			}
		}
	case value.Map:
		if ev.isMutable(v) {
			return errorf(off, "type", "unhashable type: 'dict'")
		}
		for _, e := range v.Map.Entries() {
			if err := ev.checkHashable(e.Val, off); err != nil {
				return err
			}
		}
	}
	return nil
}

// truthy is Python's bool().
func truthy(o obj) (bool, error) {
	switch o.k {
	case kData:
		if value.KindOf(o.v) == value.Unknown {
			return false, unknownOf(o.v)
		}
		return value.Truthy(o.v), nil
	case kSet:
		return len(o.v.List) > 0, nil
	case kNoValue:
		return false, nil
	case kTimespan:
		return o.tv().days != 0 || o.tv().us != 0, nil
	}
	return true, nil // iterators, regexes, contexts and datetimes are objects
}

// typeName names o's Python type as yaql 1.1.3 on Python 2 saw it.
func (o obj) typeName() string {
	switch o.k {
	case kIter:
		if o.it.ordered != nil {
			return "OrderingIterable"
		}
		if o.it.memo != nil {
			return "RememberingIterator"
		}
		return "iterator"
	case kSet:
		return "frozenset"
	case kRegex:
		return "_sre.SRE_Pattern"
	case kContext:
		return "Context"
	case kRule:
		return "MappingRule"
	case kDatetime:
		return "datetime"
	case kTimespan:
		return "timedelta"
	case kLambda:
		return "function"
	}
	switch value.KindOf(o.v) {
	case value.Null:
		return "NoneType"
	case value.Bool:
		return "bool"
	case value.Int:
		if o.v.Big != nil {
			return "long"
		}
		return "int"
	case value.Float:
		return "float"
	case value.String:
		return "unicode"
	case value.List:
		return "tuple"
	case value.Map:
		return "FrozenDict"
	}
	return "unknown"
}

func (ev *evaluator) typeName(o obj) string {
	if o.k == kData && ev.isMutable(o.v) {
		if o.v.Kind == value.List {
			return "list"
		}
		return "dict"
	}
	return o.typeName()
}

// pyStr is yaql's str(): null is "null" and booleans "true"/"false";
// anything else is Python 2's unicode() (floats with 12 significant digits,
// collections as their repr).
func (ev *evaluator) pyStr(o obj, off int) (string, error) {
	if o.k == kData {
		switch value.KindOf(o.v) {
		case value.Null:
			return "null", nil
		case value.Bool:
			if o.v.Bool {
				return "true", nil
			}
			return "false", nil
		case value.String:
			return o.v.Str, nil
		case value.Int:
			return intString(o.v), nil
		case value.Float:
			return value.Py2FloatStr(o.v.Float), nil
		case value.Unknown:
			return "", unknownOf(o.v)
		}
	}
	switch o.k {
	case kDatetime:
		return pyDatetimeStr(o.tv()), nil
	case kTimespan:
		return pySpanStr(o.tv()), nil
	}
	return ev.repr(o, off)
}

func intString(v *value.Value) string {
	if v.Big != nil {
		return v.Big.String()
	}
	return strconv.FormatInt(v.Int, 10)
}

// repr is Python 2's repr() of a yaql value.
func (ev *evaluator) repr(o obj, off int) (string, error) {
	var b strings.Builder
	if err := ev.writeRepr(&b, o, off); err != nil {
		return "", err
	}
	return b.String(), nil
}

func (ev *evaluator) writeRepr(b *strings.Builder, o obj, off int) error {
	switch o.k {
	case kSet:
		b.WriteString("frozenset([")
		for i, it := range o.v.List {
			if i > 0 {
				b.WriteString(", ")
			}
			if err := ev.writeRepr(b, data(it), off); err != nil {
				return err
			}
		}
		b.WriteString("])")
		return nil
	case kData:
		if ev.boxes != nil {
			if x := ev.unbox(o.v); x.k != kData {
				return ev.writeRepr(b, x, off)
			}
		}
	case kDatetime:
		b.WriteString(pyDatetimeRepr(o.tv()))
		return nil
	case kTimespan:
		b.WriteString(pySpanRepr(o.tv()))
		return nil
	case kRegex, kContext, kIter:
		return unknownOf(value.NewUnknown("the text of a "+o.typeName()+" object shows its memory address", zr))
	default:
		return errorf(off, "type", "the text of a "+o.typeName()+" object depends on its memory address; hoist cannot reproduce it")
	}
	v := o.v
	switch value.KindOf(v) {
	case value.Unknown:
		return unknownOf(v)
	case value.Null:
		b.WriteString("None")
	case value.Bool:
		if v.Bool {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
	case value.Int:
		b.WriteString(intString(v))
		if v.Big != nil {
			b.WriteByte('L')
		}
	case value.Float:
		b.WriteString(value.PyFloatRepr(v.Float))
	case value.String:
		b.WriteString(value.Repr(v))
	case value.List:
		mut := ev.isMutable(v)
		if mut {
			b.WriteByte('[')
		} else {
			b.WriteByte('(')
		}
		for i, it := range v.List {
			if i > 0 {
				b.WriteString(", ")
			}
			if err := ev.writeRepr(b, data(it), off); err != nil {
				return err
			}
		}
		if mut {
			b.WriteByte(']')
		} else {
			if len(v.List) == 1 {
				b.WriteByte(',')
			}
			b.WriteByte(')')
		}
	case value.Map:
		b.WriteByte('{')
		for i, e := range v.Map.Entries() {
			if i > 0 {
				b.WriteString(", ")
			}
			if err := ev.writeRepr(b, data(e.Key), off); err != nil {
				return err
			}
			b.WriteString(": ")
			if err := ev.writeRepr(b, data(e.Val), off); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	}
	return nil
}

// Numbers.

// isNumber is yaql's Number type: int or float, not bool.
func isNumber(o obj) bool {
	if o.k != kData || o.v == nil {
		return false
	}
	return o.v.Kind == value.Int || o.v.Kind == value.Float
}

// isInt is Python's isinstance(x, int): ints and bools.
func isInt(o obj) bool {
	if o.k != kData || o.v == nil {
		return false
	}
	return o.v.Kind == value.Int || o.v.Kind == value.Bool
}

func bigOf(v *value.Value) *big.Int {
	switch {
	case v.Big != nil:
		return v.Big
	case v.Kind == value.Bool:
		if v.Bool {
			return big.NewInt(1)
		}
		return big.NewInt(0)
	}
	return big.NewInt(v.Int)
}

func int64Of(v *value.Value) (int64, bool) {
	switch {
	case v.Kind == value.Bool:
		if v.Bool {
			return 1, true
		}
		return 0, true
	case v.Big != nil:
		return 0, false
	}
	return v.Int, true
}

// floatOf converts a number to a float as Python does; an int too large
// for a float is an OverflowError.
func floatOf(v *value.Value, off int) (float64, error) {
	if v.Kind == value.Float {
		return v.Float, nil
	}
	if i, ok := int64Of(v); ok {
		return float64(i), nil
	}
	f, acc := new(big.Float).SetInt(v.Big).Float64()
	if math.IsInf(f, 0) || (acc != big.Exact && math.IsInf(f, 0)) {
		return 0, errorf(off, "value", "OverflowError: long int too large to convert to float")
	}
	return f, nil
}

func bigResult(b *big.Int) obj { return data(value.NewBigInt(b, zr)) }

// arith applies a binary arithmetic operator to two numbers with Python
// semantics: unbounded ints, floor division and modulo for ints, true
// division when a float is involved.
func arith(op string, a, b *value.Value, off int) (obj, error) {
	if a.Kind == value.Float || b.Kind == value.Float {
		x, err := floatOf(a, off)
		if err != nil {
			return obj{}, err
		}
		y, err := floatOf(b, off)
		if err != nil {
			return obj{}, err
		}
		var r float64
		switch op {
		case "+":
			r = x + y
		case "-":
			r = x - y
		case "*":
			r = x * y
		case "/":
			if y == 0 {
				return obj{}, errorf(off, "zero-division", "float division by zero")
			}
			r = x / y
		case "mod":
			if y == 0 {
				return obj{}, errorf(off, "zero-division", "float modulo")
			}
			r = math.Mod(x, y)
			if r != 0 && (r < 0) != (y < 0) {
				r += y
			} else if r == 0 {
				r = math.Copysign(0, y)
			}
		}
		return data(value.NewFloat(r, zr)), nil
	}
	x, xok := int64Of(a)
	y, yok := int64Of(b)
	if xok && yok {
		switch op {
		case "+":
			if r := x + y; (r > x) == (y > 0) {
				return integer(r), nil
			}
		case "-":
			if r := x - y; (r < x) == (y > 0) {
				return integer(r), nil
			}
		case "*":
			if x == 0 || y == 0 {
				return integer(0), nil
			}
			if r := x * y; r/y == x && !(x == -1 && y == math.MinInt64) && !(y == -1 && x == math.MinInt64) {
				return integer(r), nil
			}
		case "/", "mod":
			if y == 0 {
				return obj{}, errorf(off, "zero-division", "integer division or modulo by zero")
			}
			if !(x == math.MinInt64 && y == -1) {
				q, r := x/y, x%y
				if r != 0 && (r < 0) != (y < 0) {
					q--
					r += y
				}
				if op == "/" {
					return integer(q), nil
				}
				return integer(r), nil
			}
		}
	}
	bx, by := bigOf(a), bigOf(b)
	r := new(big.Int)
	switch op {
	case "+":
		r.Add(bx, by)
	case "-":
		r.Sub(bx, by)
	case "*":
		r.Mul(bx, by)
	case "/", "mod":
		if by.Sign() == 0 {
			return obj{}, errorf(off, "zero-division", "integer division or modulo by zero")
		}
		q, m := new(big.Int).DivMod(bx, by, new(big.Int)) // Euclidean
		if m.Sign() != 0 && by.Sign() < 0 {               // Euclidean to floor
			q.Sub(q, big.NewInt(1))
			m.Add(m, by)
		}
		if op == "/" {
			r = q
		} else {
			r = m
		}
	}
	return bigResult(r), nil
}

func negate(v *value.Value) obj {
	if v.Kind == value.Float {
		return data(value.NewFloat(-v.Float, zr))
	}
	if i, ok := int64Of(v); ok && i != math.MinInt64 {
		return integer(-i)
	}
	return bigResult(new(big.Int).Neg(bigOf(v)))
}

// compareNumbers orders two numbers (NaN compares false both ways).
func compareNumbers(op string, a, b *value.Value) bool {
	c, _ := value.Compare(a, b)
	if a.Kind == value.Float && math.IsNaN(a.Float) || b.Kind == value.Float && math.IsNaN(b.Float) {
		return false
	}
	return cmpOp(op, c)
}

func cmpOp(op string, c int) bool {
	switch op {
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	}
	return false
}

// Memory accounting: yaql checks sys.getsizeof of every function result
// and argument against memoryQuota. These are CPython 3's shallow sizes.

func (ev *evaluator) sizeof(o obj) int {
	switch o.k {
	case kData:
		v := o.v
		switch value.KindOf(v) {
		case value.String:
			return strSize(v.Str)
		case value.List:
			if ev.isMutable(v) {
				return 56 + 8*len(v.List)
			}
			return 40 + 8*len(v.List)
		case value.Map:
			if ev.isMutable(v) {
				return dictSize(v.Map.Len())
			}
			return 56
		case value.Int:
			if v.Big != nil {
				return 24 + 4*((v.Big.BitLen()+29)/30)
			}
		}
		return 28
	case kSet:
		return setSize(len(o.v.List))
	}
	return 64
}

// strSize is sys.getsizeof of a Python 3 str: compact ASCII, Latin-1,
// UCS-2 or UCS-4 storage by the largest character.
func strSize(s string) int {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return 49 + len(s)
	}
	maxr, n := rune(0), 0
	for _, r := range s {
		if r > maxr {
			maxr = r
		}
		n++
	}
	switch {
	case maxr < 0x80:
		return 49 + n
	case maxr < 0x100:
		return 73 + n
	case maxr < 0x10000:
		return 74 + 2*n
	}
	return 76 + 4*n
}

func dictSize(n int) int {
	// Measured on CPython 3.11 for dicts built by insertion.
	steps := [][2]int{{0, 64}, {1, 184}, {6, 272}, {11, 464}, {22, 832}, {43, 1584}, {86, 3328}, {171, 6576}, {342, 13056}, {683, 26032}, {1366, 51968}, {2731, 103856}, {5462, 207616}, {10923, 415152}}
	size := 64
	for _, s := range steps {
		if n >= s[0] {
			size = s[1]
		}
	}
	if n >= 21846 {
		size = 415152 * (n / 10923)
	}
	return size
}

// listSize is sys.getsizeof of a list of n items grown by append (CPython
// 3's over-allocation ignored: an approximation).
func listSize(n int) int { return 56 + 8*n }

func setSize(n int) int {
	steps := [][2]int{{0, 216}, {5, 472}, {8, 728}, {16, 1240}, {32, 2264}, {64, 4312}, {128, 8408}, {256, 16600}, {512, 32984}, {1024, 65752}, {2048, 131288}}
	size := 216
	for _, s := range steps {
		if n >= s[0] {
			size = s[1]
		}
	}
	if n >= 4096 {
		size = 131288 * (n / 2048)
	}
	return size
}

func (ev *evaluator) quota(off int, objs ...obj) error {
	if ev.lim.MaxBytes <= 0 {
		return nil
	}
	total := 0
	for _, o := range objs {
		total += ev.sizeof(o)
		if total > ev.lim.MaxBytes {
			return errorf(off, "limit", "Expression consumed too much memory")
		}
	}
	return nil
}

// quotaWeighted is utils.limit_memory_usage with (count, object) pairs.
func (ev *evaluator) quotaWeighted(off int, pairs ...weighted) error {
	if ev.lim.MaxBytes <= 0 {
		return nil
	}
	total := 0.0 // a float: counts may be huge (sequence * n)
	for _, p := range pairs {
		total += p.n * float64(p.size)
		if total > float64(ev.lim.MaxBytes) {
			return errorf(off, "limit", "Expression consumed too much memory")
		}
	}
	return nil
}

type weighted struct {
	n    float64
	size int
}

// dedup keeps the first of Python-equal values, as distinct() and
// mergeWith's list union do, where the values may hold unknowns. Two
// values whose unknowns have the same reasons are the same value (the same
// parameter, the same attribute of the same resource): one is kept. A
// value that could equal a kept one only through unknowns with other
// reasons (two images given by two parameters, which a deployment may set
// alike) leaves the result unknown until deployed.
type dedup struct {
	ev    *evaluator
	seen  map[string]bool
	kept  []*value.Value // every value kept, for the comparison with a vague one
	vague []*value.Value // the kept values that hold unknowns
}

func newDedup(ev *evaluator) *dedup { return &dedup{ev: ev, seen: map[string]bool{}} }

// add reports whether o is new, keeping it if so.
func (d *dedup) add(o obj, off int) (bool, error) {
	k, err := d.ev.hashKey(o, off)
	var ue *unknownErr
	if err != nil && (!errors.As(err, &ue) || o.k != kData) {
		return false, err
	}
	vague := err != nil
	if vague {
		if err := d.ev.checkHashableKnown(o.v, off); err != nil {
			return false, err
		}
		k = "U" + value.HashKeyByReason(o.v)
	}
	if d.seen[k] {
		return false, nil
	}
	if o.k == kData {
		against := d.vague
		if vague {
			against = d.kept
		}
		for _, x := range against {
			if mayEqual(o.v, x) {
				u := o.v.FirstUnknown()
				if u == nil {
					u = x.FirstUnknown()
				}
				return false, unknownOf(u)
			}
		}
		d.kept = append(d.kept, o.v)
		if vague {
			d.vague = append(d.vague, o.v)
		}
	}
	d.seen[k] = true
	return true, nil
}

// len is how many values were kept.
func (d *dedup) len() int { return len(d.seen) }

// checkHashableKnown is checkHashable where unknown values count as
// hashable (by their reasons).
func (ev *evaluator) checkHashableKnown(v *value.Value, off int) error {
	switch value.KindOf(v) {
	case value.List, value.Map:
		if ev.isMutable(v) {
			return errorf(off, "type", "unhashable type: '"+map[bool]string{true: "list", false: "dict"}[value.KindOf(v) == value.List]+"'")
		}
		if value.KindOf(v) == value.List {
			for _, it := range v.List {
				if err := ev.checkHashableKnown(it, off); err != nil {
					return err
				}
			}
			return nil
		}
		for _, e := range v.Map.Entries() {
			if err := ev.checkHashableKnown(e.Val, off); err != nil {
				return err
			}
		}
	}
	return nil
}

// mayEqual reports whether a and b could be equal once every unknown in
// them is known: equal where both are known, anything where either is
// unknown.
func mayEqual(a, b *value.Value) bool {
	ka, kb := value.KindOf(a), value.KindOf(b)
	switch {
	case ka == value.Unknown || kb == value.Unknown:
		return true
	case ka == value.List && kb == value.List:
		if len(a.List) != len(b.List) {
			return false
		}
		for i := range a.List {
			if !mayEqual(a.List[i], b.List[i]) {
				return false
			}
		}
		return true
	case ka == value.Map && kb == value.Map:
		if a.Map.Len() != b.Map.Len() {
			return false
		}
		for _, e := range a.Map.Entries() {
			o, ok := b.Map.Lookup(e.Key)
			if !ok || !mayEqual(e.Val, o) {
				return false
			}
		}
		return true
	case ka == value.List || ka == value.Map || kb == value.List || kb == value.Map:
		return false
	}
	return value.Equal(a, b)
}
