package yaql

import (
	"math"
	"math/big"
	"strconv"
	"strings"

	"hoist/value"
)

// yaql's math module: arithmetic and comparison of numbers with Python's
// semantics (unbounded ints, floor division and modulo for ints), int(),
// float(), abs().

func mathLib() map[string][]*overload {
	arithOp := func(op string) *overload {
		return function(func(c *callCtx, a []obj) (obj, error) { return arith(op, a[0].v, a[1].v, c.off) }, req("left", tyNumber), req("right", tyNumber))
	}
	m := map[string][]*overload{
		"#operator_+":   {arithOp("+")},
		"#operator_-":   {arithOp("-")},
		"#operator_*":   {arithOp("*")},
		"#operator_/":   {arithOp("/")},
		"#operator_mod": {arithOp("mod")},
		"#unary_operator_-": {function(func(c *callCtx, a []obj) (obj, error) {
			return negate(a[0].v), nil
		}, req("op", tyNumber))},
		"#unary_operator_+": {function(func(c *callCtx, a []obj) (obj, error) { return a[0], nil }, req("op", tyNumber))},
		"int":               {function(fnInt, req("value", nil))},
		"float":             {function(fnFloat, req("value", nil))},
		"abs": {function(func(c *callCtx, a []obj) (obj, error) {
			if c, _ := value.Compare(a[0].v, integer(0).v); c < 0 {
				return negate(a[0].v), nil
			}
			return a[0], nil
		}, req("op", tyNumber))},
		"isInteger": {function(func(c *callCtx, a []obj) (obj, error) {
			return boolean(a[0].k == kData && value.KindOf(a[0].v) == value.Int), nil
		}, req("value", nil))},
		"isNumber": {function(func(c *callCtx, a []obj) (obj, error) { return boolean(isNumber(a[0])), nil }, req("value", nil))},
	}
	for _, op := range []string{"<", "<=", ">", ">="} {
		m["#operator_"+op] = []*overload{
			function(func(c *callCtx, a []obj) (obj, error) { return boolean(compareNumbers(op, a[0].v, a[1].v)), nil }, req("left", tyNumber), req("right", tyNumber)),
		}
	}
	m["random"] = []*overload{
		function(func(c *callCtx, a []obj) (obj, error) {
			return data(value.NewUnknown("random() draws a number at random each time Heat evaluates it", zr)), nil
		}),
		function(func(c *callCtx, a []obj) (obj, error) {
			return data(value.NewUnknown("random(from, to) draws an integer at random each time Heat evaluates it", zr)), nil
		}, req("from", nil), req("to", nil)),
	}
	for _, op := range []string{"bitwiseAnd", "bitwiseOr", "bitwiseXor"} {
		m[op] = []*overload{function(func(c *callCtx, a []obj) (obj, error) { return bitwise(op, a[0].v, a[1].v), nil }, req("left", tyInt), req("right", tyInt))}
	}
	m["bitwiseNot"] = []*overload{function(func(c *callCtx, a []obj) (obj, error) {
		return bigResult(new(big.Int).Not(bigOf(a[0].v))), nil
	}, req("arg", tyInt))}
	m["shiftBitsLeft"] = []*overload{function(fnShift(true), req("value", tyInt), req("bitsNumber", tyInt))}
	m["shiftBitsRight"] = []*overload{function(fnShift(false), req("value", tyInt), req("bitsNumber", tyInt))}
	m["max"] = []*overload{function(func(c *callCtx, a []obj) (obj, error) {
		gt, err := c.ev.compareOp(">", a[1], a[0], c.off)
		if err != nil || gt {
			return a[1], err
		}
		return a[0], nil
	}, req("a", nil), req("b", nil))}
	m["min"] = []*overload{function(func(c *callCtx, a []obj) (obj, error) {
		gt, err := c.ev.compareOp(">", a[1], a[0], c.off)
		if err != nil || gt {
			return a[0], err
		}
		return a[1], nil
	}, req("a", nil), req("b", nil))}
	m["pow"] = []*overload{function(fnPow, req("a", tyNumber), req("b", tyNumber), opt("c", tyNumberN))}
	m["sign"] = []*overload{function(func(c *callCtx, a []obj) (obj, error) {
		v := a[0].v
		if v.Kind == value.Float && math.IsNaN(v.Float) {
			return integer(0), nil
		}
		d, _ := value.Compare(v, integer(0).v)
		return integer(int64(d)), nil
	}, req("num", tyNumber))}
	m["round"] = []*overload{function(fnRound, req("number", tyNumber), opt("ndigits", tyInt))}
	return m
}

func tyNumberN(_ *evaluator, o obj) bool { return isNumber(o) || o.isNull() }

// bitwise is Python's &, | and ^ on ints and bools (two bools give a
// bool).
func bitwise(op string, a, b *value.Value) obj {
	if a.Kind == value.Bool && b.Kind == value.Bool {
		switch op {
		case "bitwiseAnd":
			return boolean(a.Bool && b.Bool)
		case "bitwiseOr":
			return boolean(a.Bool || b.Bool)
		}
		return boolean(a.Bool != b.Bool)
	}
	x, y := bigOf(a), bigOf(b)
	r := new(big.Int)
	switch op {
	case "bitwiseAnd":
		r.And(x, y)
	case "bitwiseOr":
		r.Or(x, y)
	default:
		r.Xor(x, y)
	}
	return bigResult(r)
}

// maxShift bounds the bits of an int that shiftBitsLeft() or pow()
// makes without a memory quota.
const maxShift = 1 << 24

// maxIntBits is the most bits an int may have: more would exceed the
// memory quota (yaql fails after computing it; hoist before).
func (ev *evaluator) maxIntBits() int64 {
	if ev.lim.MaxBytes > 0 {
		return 8*int64(ev.lim.MaxBytes) + 64
	}
	return maxShift
}

func fnShift(left bool) func(*callCtx, []obj) (obj, error) {
	return func(c *callCtx, a []obj) (obj, error) {
		x, n := bigOf(a[0].v), a[1].v
		if d, _ := value.Compare(n, integer(0).v); d < 0 {
			return obj{}, errorf(c.off, "value", "ValueError: negative shift count")
		}
		k, ok := int64Of(n)
		if !left {
			if !ok || k > int64(x.BitLen())+1 {
				if x.Sign() < 0 {
					return integer(-1), nil
				}
				return integer(0), nil
			}
			return bigResult(new(big.Int).Rsh(x, uint(k))), nil
		}
		if x.Sign() == 0 {
			return integer(0), nil
		}
		if !ok || k > c.ev.maxIntBits() {
			return obj{}, errorf(c.off, "limit", "Expression consumed too much memory")
		}
		return bigResult(new(big.Int).Lsh(x, uint(k))), nil
	}
}

// fnPow is Python's pow(a, b[, c]).
func fnPow(c *callCtx, a []obj) (obj, error) {
	x, y := a[0].v, a[1].v
	if len(a) > 2 && a[2].k != kNoValue && !a[2].isNull() {
		m := a[2].v
		if x.Kind == value.Float || y.Kind == value.Float || m.Kind == value.Float {
			return obj{}, errorf(c.off, "type", "TypeError: pow() 3rd argument not allowed unless all arguments are integers")
		}
		if y.Big != nil && y.Big.Sign() < 0 || y.Big == nil && y.Int < 0 {
			return obj{}, errorf(c.off, "type", "TypeError: pow() 2nd argument cannot be negative when 3rd argument specified")
		}
		bm := bigOf(m)
		if bm.Sign() == 0 {
			return obj{}, errorf(c.off, "value", "ValueError: pow() 3rd argument cannot be 0")
		}
		r := new(big.Int).Exp(bigOf(x), bigOf(y), new(big.Int).Abs(bm))
		// Python's result has the sign of the modulus.
		if r.Sign() != 0 && bm.Sign() < 0 {
			r.Add(r, bm)
		}
		return bigResult(r), nil
	}
	if x.Kind == value.Float || y.Kind == value.Float {
		fx, err := floatOf(x, c.off)
		if err != nil {
			return obj{}, err
		}
		fy, err := floatOf(y, c.off)
		if err != nil {
			return obj{}, err
		}
		if fx == 0 && fy < 0 {
			return obj{}, errorf(c.off, "zero-division", "ZeroDivisionError: 0.0 cannot be raised to a negative power")
		}
		if fx < 0 && fy != math.Trunc(fy) && !math.IsInf(fy, 0) {
			return obj{}, errorf(c.off, "value", "ValueError: negative number cannot be raised to a fractional power")
		}
		r := math.Pow(fx, fy)
		if math.IsInf(r, 0) && !math.IsInf(fx, 0) && !math.IsInf(fy, 0) {
			return obj{}, errorf(c.off, "value", "OverflowError: (34, 'Numerical result out of range')")
		}
		return data(value.NewFloat(r, zr)), nil
	}
	bx, by := bigOf(x), bigOf(y)
	if by.Sign() < 0 {
		if bx.Sign() == 0 {
			return obj{}, errorf(c.off, "zero-division", "ZeroDivisionError: 0.0 cannot be raised to a negative power")
		}
		fx, err := floatOf(x, c.off)
		if err != nil {
			return obj{}, err
		}
		fy, err := floatOf(y, c.off)
		if err != nil {
			return obj{}, err
		}
		return data(value.NewFloat(math.Pow(fx, fy), zr)), nil
	}
	// The result takes about |y| * log2|x| bits: refuse what no memory
	// quota would hold.
	if ax := new(big.Int).Abs(bx); ax.Cmp(big.NewInt(1)) > 0 {
		if !by.IsInt64() || by.Int64() > c.ev.maxIntBits()/int64(ax.BitLen()-1) {
			return obj{}, errorf(c.off, "limit", "Expression consumed too much memory")
		}
	}
	return bigResult(new(big.Int).Exp(bx, by, nil)), nil
}

// fnRound is round(number, ndigits) as Python 2 computed it: always a
// float, halfway cases rounded away from zero (Python 3 rounds them to
// even and returns an int for an int).
func fnRound(c *callCtx, a []obj) (obj, error) {
	x, err := floatOf(a[0].v, c.off)
	if err != nil {
		return obj{}, err
	}
	nd := int64(0)
	if a[1].k != kNoValue {
		n, ok := int64Of(a[1].v)
		if !ok {
			n = math.MaxInt64
			if a[1].v.Big.Sign() < 0 {
				n = math.MinInt64
			}
		}
		nd = n
	}
	if math.IsNaN(x) || math.IsInf(x, 0) || x == 0 {
		return data(value.NewFloat(x, zr)), nil
	}
	const ndigitsMax, ndigitsMin = 323, -308
	if nd > ndigitsMax {
		return data(value.NewFloat(x, zr)), nil
	}
	if nd < ndigitsMin {
		return data(value.NewFloat(math.Copysign(0, x), zr)), nil
	}
	r, ok := py2Round(x, int(nd))
	if !ok {
		return obj{}, errorf(c.off, "value", "OverflowError: rounded value too large to represent")
	}
	return data(value.NewFloat(r, zr)), nil
}

// py2Round rounds x to nd decimal places, halfway cases away from zero,
// on x's exact decimal expansion.
func py2Round(x float64, nd int) (float64, bool) {
	neg := x < 0
	digits := new(big.Float).SetFloat64(math.Abs(x)).Text('f', 1100)
	intPart, frac, _ := strings.Cut(digits, ".")
	all := intPart + frac
	point := len(intPart) // digits before the decimal point
	keep := point + nd    // digits kept
	var kept string
	roundUp := false
	switch {
	case keep < 0:
		kept = "0"
	case keep >= len(all):
		kept = all
	default:
		kept = all[:keep]
		roundUp = all[keep] >= '5'
	}
	if kept == "" {
		kept = "0"
	}
	n, _ := new(big.Int).SetString(kept, 10)
	if roundUp {
		n.Add(n, big.NewInt(1))
	}
	// value = n * 10^(-nd) when keep >= 0; keep < 0 means it rounds to 0.
	if keep < 0 {
		n.SetInt64(0)
	}
	s := n.String() + "e" + strconv.Itoa(-nd)
	if keep > len(all) {
		s = n.String() + "e" + strconv.Itoa(-(len(all) - point))
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && isRangeErr(err) && math.IsInf(f, 0) {
		return 0, false
	}
	if neg {
		f = -f
	}
	return f, true
}

func fnInt(c *callCtx, a []obj) (obj, error) {
	x := a[0]
	if x.isNull() {
		return integer(0), nil
	}
	if x.k != kData {
		return obj{}, errorf(c.off, "type", "TypeError: int() argument must be a string or a number, not '"+x.typeName()+"'")
	}
	v := x.v
	switch v.Kind {
	case value.Bool:
		i, _ := int64Of(v)
		return integer(i), nil
	case value.Int:
		return x, nil
	case value.Float:
		if math.IsNaN(v.Float) {
			return obj{}, errorf(c.off, "value", "ValueError: cannot convert float NaN to integer")
		}
		if math.IsInf(v.Float, 0) {
			return obj{}, errorf(c.off, "value", "OverflowError: cannot convert float infinity to integer")
		}
		t := math.Trunc(v.Float)
		if t >= -9.2e18 && t <= 9.2e18 {
			return integer(int64(t)), nil
		}
		b, _ := new(big.Float).SetFloat64(t).Int(nil)
		return bigResult(b), nil
	case value.String:
		if b, ok := parsePyInt(v.Str); ok {
			return bigResult(b), nil
		}
		return obj{}, errorf(c.off, "value", "ValueError: invalid literal for int() with base 10: "+value.Repr(v))
	}
	return obj{}, errorf(c.off, "type", "TypeError: int() argument must be a string or a number, not '"+c.ev.typeName(x)+"'")
}

// parsePyInt is int(s) for a unicode string under Python 2: surrounding
// whitespace, a sign, then decimal digits of any script.
func parsePyInt(s string) (*big.Int, bool) {
	s = pyStrip(s, "", false, true, true)
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" {
		return nil, false
	}
	var digits strings.Builder
	for _, r := range s {
		if !isDigit(r) {
			return nil, false
		}
		digits.WriteByte(byte('0' + digitValue(r)))
	}
	b, ok := new(big.Int).SetString(digits.String(), 10)
	if !ok {
		return nil, false
	}
	if neg {
		b.Neg(b)
	}
	return b, true
}

func fnFloat(c *callCtx, a []obj) (obj, error) {
	x := a[0]
	if x.isNull() {
		return data(value.NewFloat(0, zr)), nil
	}
	if x.k == kData {
		switch x.v.Kind {
		case value.Bool, value.Int:
			f, err := floatOf(x.v, c.off)
			if err != nil {
				return obj{}, err
			}
			return data(value.NewFloat(f, zr)), nil
		case value.Float:
			return x, nil
		case value.String:
			if f, ok := parsePyFloat(x.v.Str); ok {
				return data(value.NewFloat(f, zr)), nil
			}
			return obj{}, errorf(c.off, "value", "ValueError: could not convert string to float: "+value.Repr(x.v))
		}
	}
	return obj{}, errorf(c.off, "type", "TypeError: float() argument must be a string or a number")
}

func parsePyFloat(s string) (float64, bool) {
	s = pyStrip(s, "", false, true, true)
	t := strings.ToLower(strings.TrimLeft(s, "+-"))
	switch t {
	case "inf", "infinity", "nan":
		f, err := strconv.ParseFloat(s, 64)
		return f, err == nil
	}
	if t == "" || strings.ContainsAny(t, "_xp") {
		return 0, false
	}
	for _, r := range t {
		if !(r >= '0' && r <= '9' || r == '.' || r == 'e' || r == '+' || r == '-') {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !isRangeErr(err) {
		return 0, false
	}
	return f, true
}
