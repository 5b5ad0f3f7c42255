package value

import (
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
)

// Equal reports whether a and b are equal under Python's ==: numbers compare
// by value across bool, int and float (1 == 1.0 == True), strings by content,
// lists item by item and maps key by key. nil counts as null. An unknown
// value equals only itself.
func Equal(a, b *Value) bool {
	ka, kb := KindOf(a), KindOf(b)
	if isNumeric(ka) && isNumeric(kb) {
		return numCompare(a, b) == 0
	}
	if ka != kb {
		return false
	}
	switch ka {
	case Null:
		return true
	case String:
		return a.Str == b.Str
	case List:
		if len(a.List) != len(b.List) {
			return false
		}
		for i := range a.List {
			if !Equal(a.List[i], b.List[i]) {
				return false
			}
		}
		return true
	case Map:
		if a.Map.Len() != b.Map.Len() {
			return false
		}
		for _, e := range a.Map.Entries() {
			o, ok := b.Map.Lookup(e.Key)
			if !ok || !Equal(e.Val, o) {
				return false
			}
		}
		return true
	case Unknown:
		return a == b
	}
	return false
}

func isNumeric(k Kind) bool { return k == Bool || k == Int || k == Float }

// numCompare compares two numeric values exactly, as Python does between
// int and float. NaN compares unequal to everything (it returns 2).
func numCompare(a, b *Value) int {
	if a.Kind == Float || b.Kind == Float {
		fa, fb := a.num(), b.num()
		if math.IsNaN(fa) || math.IsNaN(fb) {
			return 2
		}
		// Exact when both are below 2^53 in magnitude or both floats.
		if (a.Kind == Float || math.Abs(fa) < 1<<53) && (b.Kind == Float || math.Abs(fb) < 1<<53) {
			return cmpFloat(fa, fb)
		}
		ba, bb := a.bigFloat(), b.bigFloat()
		if ba == nil || bb == nil { // an infinity
			return cmpFloat(fa, fb)
		}
		return ba.Cmp(bb)
	}
	if a.Big == nil && b.Big == nil {
		ia, ib := a.intOf(), b.intOf()
		switch {
		case ia < ib:
			return -1
		case ia > ib:
			return 1
		}
		return 0
	}
	return a.bigInt().Cmp(b.bigInt())
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// intOf returns the value of a Bool or a 64-bit Int.
func (v *Value) intOf() int64 {
	if v.Kind == Bool {
		if v.Bool {
			return 1
		}
		return 0
	}
	return v.Int
}

func (v *Value) num() float64 {
	switch v.Kind {
	case Float:
		return v.Float
	case Int:
		if v.Big != nil {
			f, _ := new(big.Float).SetInt(v.Big).Float64()
			return f
		}
	}
	return float64(v.intOf())
}

func (v *Value) bigInt() *big.Int {
	if v.Big != nil {
		return v.Big
	}
	return big.NewInt(v.intOf())
}

func (v *Value) bigFloat() *big.Float {
	if v.Kind == Float {
		if math.IsInf(v.Float, 0) || math.IsNaN(v.Float) {
			return nil
		}
		return new(big.Float).SetFloat64(v.Float)
	}
	return new(big.Float).SetInt(v.bigInt())
}

// Compare orders two values as Python's < does for the types it can order
// (numbers with numbers, strings with strings, lists item by item). ok is
// false for pairs Python 3 refuses to compare.
func Compare(a, b *Value) (c int, ok bool) {
	ka, kb := KindOf(a), KindOf(b)
	switch {
	case isNumeric(ka) && isNumeric(kb):
		c := numCompare(a, b)
		if c == 2 {
			return 0, true
		}
		return c, true
	case ka == String && kb == String:
		return strings.Compare(a.Str, b.Str), true
	case ka == List && kb == List:
		for i := 0; i < len(a.List) && i < len(b.List); i++ {
			if Equal(a.List[i], b.List[i]) {
				continue
			}
			return Compare(a.List[i], b.List[i])
		}
		return cmpInt(len(a.List), len(b.List)), true
	}
	return 0, false
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// HashKey returns a string that is equal for two values exactly when Equal
// holds between them (NaN aside). Lists and maps get a key too, as yaql
// hashes them; whether a Python dict accepts them as keys is a separate
// question (see Hashable).
func HashKey(v *Value) string {
	var b strings.Builder
	writeHashKey(&b, v, false)
	return b.String()
}

// HashKeyByReason is HashKey, except that two unknown values with the same
// reason get the same key. Merges that de-duplicate values a live cloud
// would fill in (the same unknown address reached twice) use it.
func HashKeyByReason(v *Value) string {
	var b strings.Builder
	writeHashKey(&b, v, true)
	return b.String()
}

// Hashable reports whether v can be a key of a Python dict: scalars can,
// lists and maps cannot.
func Hashable(v *Value) bool {
	k := KindOf(v)
	return k != List && k != Map
}

func writeHashKey(b *strings.Builder, v *Value, byReason bool) {
	switch KindOf(v) {
	case Null:
		b.WriteByte('N')
	case Bool, Int:
		b.WriteByte('i')
		if v.Big != nil {
			b.WriteString(v.Big.String())
		} else {
			b.WriteString(strconv.FormatInt(v.intOf(), 10))
		}
	case Float:
		f := v.Float
		if f == math.Trunc(f) && !math.IsInf(f, 0) {
			b.WriteByte('i')
			if math.Abs(f) < 1<<63 {
				b.WriteString(strconv.FormatInt(int64(f), 10))
			} else {
				bi, _ := new(big.Float).SetFloat64(f).Int(nil)
				b.WriteString(bi.String())
			}
			return
		}
		b.WriteByte('f')
		b.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
	case String:
		b.WriteByte('s')
		b.WriteString(strconv.Itoa(len(v.Str)))
		b.WriteByte(':')
		b.WriteString(v.Str)
	case List:
		b.WriteByte('[')
		for _, it := range v.List {
			writeHashKey(b, it, byReason)
			b.WriteByte(',')
		}
		b.WriteByte(']')
	case Map:
		keys := make([]string, 0, v.Map.Len())
		for _, e := range v.Map.Entries() {
			var eb strings.Builder
			writeHashKey(&eb, e.Key, byReason)
			eb.WriteByte('=')
			writeHashKey(&eb, e.Val, byReason)
			keys = append(keys, eb.String())
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for _, k := range keys {
			b.WriteString(strconv.Itoa(len(k)))
			b.WriteByte(':')
			b.WriteString(k)
		}
		b.WriteByte('}')
	case Unknown:
		if byReason {
			b.WriteByte('u')
			b.WriteString(strconv.Quote(v.Str))
			return
		}
		fmt.Fprintf(b, "u%p", v)
	}
}

// Truthy is Python's bool(): null, false, 0, 0.0, "", [] and {} are false.
// An unknown value counts as true; callers that care check for it first.
func Truthy(v *Value) bool {
	switch KindOf(v) {
	case Null:
		return false
	case Bool:
		return v.Bool
	case Int:
		return v.Big != nil || v.Int != 0
	case Float:
		return v.Float != 0
	case String:
		return v.Str != ""
	case List:
		return len(v.List) > 0
	case Map:
		return v.Map.Len() > 0
	}
	return true
}

// Str renders v as Python 2's unicode() did under queens Heat: True is
// "True", None is "None", a float keeps 12 significant digits, and lists
// and maps use Python 2's repr, where a string reads u'text'.
func Str(v *Value) string {
	switch KindOf(v) {
	case Null:
		return "None"
	case Bool:
		if v.Bool {
			return "True"
		}
		return "False"
	case Int:
		return intString(v)
	case Float:
		return Py2FloatStr(v.Float)
	case String:
		return v.Str
	case Unknown:
		return "<unknown: " + v.Str + ">"
	}
	var b strings.Builder
	writeRepr(&b, v)
	return b.String()
}

// Repr renders v as Python 2's repr() did.
func Repr(v *Value) string {
	var b strings.Builder
	writeRepr(&b, v)
	return b.String()
}

func writeRepr(b *strings.Builder, v *Value) {
	switch KindOf(v) {
	case String:
		b.WriteString("u'")
		for _, r := range v.Str {
			switch {
			case r == '\'' || r == '\\':
				b.WriteByte('\\')
				b.WriteRune(r)
			case r == '\n':
				b.WriteString(`\n`)
			case r == '\r':
				b.WriteString(`\r`)
			case r == '\t':
				b.WriteString(`\t`)
			case r < 0x20 || r == 0x7f:
				fmt.Fprintf(b, `\x%02x`, r)
			case r > 0x7f && r <= 0xff:
				fmt.Fprintf(b, `\x%02x`, r)
			case r > 0xff && r <= 0xffff:
				fmt.Fprintf(b, `\u%04x`, r)
			case r > 0xffff:
				fmt.Fprintf(b, `\U%08x`, r)
			default:
				b.WriteRune(r)
			}
		}
		b.WriteByte('\'')
	case Float:
		b.WriteString(PyFloatRepr(v.Float))
	case List:
		b.WriteByte('[')
		for i, it := range v.List {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, it)
		}
		b.WriteByte(']')
	case Map:
		b.WriteByte('{')
		for i, e := range v.Map.Entries() {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, e.Key)
			b.WriteString(": ")
			writeRepr(b, e.Val)
		}
		b.WriteByte('}')
	default:
		b.WriteString(Str(v))
	}
}

func intString(v *Value) string {
	if v.Big != nil {
		return v.Big.String()
	}
	return strconv.FormatInt(v.Int, 10)
}

// PyFloatRepr formats f as Python's repr(float) does (Python 2.7 and 3):
// the shortest digits that round-trip, in fixed notation when the decimal
// exponent is between -4 and 16, with ".0" added to whole numbers.
func PyFloatRepr(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	digits, exp, neg := shortestDigits(f)
	return formatPyFloat(digits, exp, neg, true)
}

// Py2FloatStr formats f as Python 2's str(float) did: '%.12g', with ".0"
// added when the result looks like an integer.
func Py2FloatStr(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	s := strconv.FormatFloat(f, 'e', 11, 64) // 12 significant digits
	mant, expS, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expS)
	neg := strings.HasPrefix(mant, "-")
	mant = strings.TrimPrefix(mant, "-")
	digits := strings.TrimRight(strings.Replace(mant, ".", "", 1), "0")
	if digits == "" {
		digits = "0"
	}
	// %g: exponent notation when exp < -4 or exp >= precision (12).
	if exp < -4 || exp >= 12 {
		return expForm(digits, exp, neg)
	}
	return fixedForm(digits, exp, neg, true)
}

// shortestDigits returns the shortest round-trip decimal digits of f and
// the exponent of its first digit (f = d.ddd × 10^exp).
func shortestDigits(f float64) (digits string, exp int, neg bool) {
	s := strconv.FormatFloat(f, 'e', -1, 64)
	mant, expS, _ := strings.Cut(s, "e")
	exp, _ = strconv.Atoi(expS)
	neg = strings.HasPrefix(mant, "-")
	mant = strings.TrimPrefix(mant, "-")
	digits = strings.Replace(mant, ".", "", 1)
	return digits, exp, neg
}

func formatPyFloat(digits string, exp int, neg, dot0 bool) string {
	// repr: decpt = exp+1; exponent form when decpt <= -4 or decpt > 16.
	if decpt := exp + 1; decpt <= -4 || decpt > 16 {
		return expForm(digits, exp, neg)
	}
	return fixedForm(digits, exp, neg, dot0)
}

func expForm(digits string, exp int, neg bool) string {
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	b.WriteByte(digits[0])
	if len(digits) > 1 {
		b.WriteByte('.')
		b.WriteString(digits[1:])
	}
	b.WriteByte('e')
	if exp < 0 {
		b.WriteByte('-')
		exp = -exp
	} else {
		b.WriteByte('+')
	}
	if exp < 10 {
		b.WriteByte('0')
	}
	b.WriteString(strconv.Itoa(exp))
	return b.String()
}

func fixedForm(digits string, exp int, neg, dot0 bool) string {
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	switch {
	case exp < 0:
		b.WriteString("0.")
		b.WriteString(strings.Repeat("0", -exp-1))
		b.WriteString(digits)
	case exp+1 >= len(digits):
		b.WriteString(digits)
		b.WriteString(strings.Repeat("0", exp+1-len(digits)))
		if dot0 {
			b.WriteString(".0")
		}
	default:
		b.WriteString(digits[:exp+1])
		b.WriteByte('.')
		b.WriteString(digits[exp+1:])
	}
	return b.String()
}
