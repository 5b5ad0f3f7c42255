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
	return m
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
