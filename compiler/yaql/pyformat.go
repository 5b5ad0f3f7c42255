package yaql

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	"hoist/value"
)

// Python 2.7's unicode.format(*args, **kwargs), which yaql's format()
// calls: replacement fields {name!conv:spec} with automatic or explicit
// numbering, item access, nested fields in the spec, and the format
// specification mini-language of str, int, float and object.

// maxFormatWidth bounds a field's width: a wider one would exceed any
// memory quota.
const maxFormatWidth = 1 << 24

type formatter struct {
	ev   *evaluator
	off  int
	args []obj
	kw   []kwArg
	auto int // -1 once a field was numbered explicitly
	used bool
}

func (ev *evaluator) pyFormat(tmpl string, args []obj, kw []kwArg, off int) (string, error) {
	f := &formatter{ev: ev, off: off, args: args, kw: kw}
	return f.format(tmpl, 2)
}

func (f *formatter) errf(kind, msg string) error { return errorf(f.off, kind, msg) }

// format expands the fields of s; depth bounds nested fields in specs.
func (f *formatter) format(s string, depth int) (string, error) {
	if depth < 0 {
		return "", f.errf("value", "ValueError: Max string recursion exceeded")
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '{' && i+1 < len(s) && s[i+1] == '{':
			b.WriteByte('{')
			i += 2
		case c == '}' && i+1 < len(s) && s[i+1] == '}':
			b.WriteByte('}')
			i += 2
		case c == '}':
			return "", f.errf("value", "ValueError: Single '}' encountered in format string")
		case c == '{':
			// The field runs to the matching }, counting nested braces.
			level, j := 1, i+1
			for ; j < len(s) && level > 0; j++ {
				switch s[j] {
				case '{':
					level++
				case '}':
					level--
				}
			}
			if level > 0 {
				if j >= len(s) && i+1 == len(s) {
					return "", f.errf("value", "ValueError: Single '{' encountered in format string")
				}
				return "", f.errf("value", "ValueError: expected '}' before end of string")
			}
			out, err := f.field(s[i+1:j-1], depth)
			if err != nil {
				return "", err
			}
			b.WriteString(out)
			if b.Len() > maxFormatWidth {
				return "", f.errf("limit", "Expression consumed too much memory")
			}
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), nil
}

// field formats one replacement field (the text between the braces).
func (f *formatter) field(text string, depth int) (string, error) {
	// name ends at the first ! or : outside brackets.
	end := len(text)
	inBracket := false
	for k := 0; k < len(text); k++ {
		switch text[k] {
		case '[':
			inBracket = true
		case ']':
			inBracket = false
		case '!', ':':
			if !inBracket && end == len(text) {
				end = k
			}
		}
		if end != len(text) {
			break
		}
	}
	name, rest := text[:end], text[end:]
	conv := byte(0)
	spec := ""
	if strings.HasPrefix(rest, "!") {
		if len(rest) < 2 {
			return "", f.errf("value", "ValueError: end of format while looking for conversion specifier")
		}
		conv = rest[1]
		rest = rest[2:]
		if rest != "" && rest[0] != ':' {
			return "", f.errf("value", "ValueError: expected ':' after format specifier")
		}
	}
	if strings.HasPrefix(rest, ":") {
		spec = rest[1:]
	}
	v, err := f.lookup(name)
	if err != nil {
		return "", err
	}
	switch conv {
	case 0:
	case 'r':
		s, err := f.ev.repr(v, f.off)
		if err != nil {
			return "", err
		}
		v = str(s)
	case 's':
		s, err := f.ev.py2Str(v, f.off)
		if err != nil {
			return "", err
		}
		v = str(s)
	default:
		return "", f.errf("value", "ValueError: Unknown conversion specifier "+string(conv))
	}
	if strings.Contains(spec, "{") {
		if spec, err = f.format(spec, depth-1); err != nil {
			return "", err
		}
	}
	return f.ev.formatValue(v, spec, f.off)
}

// lookup resolves a field name: an argument (by number, by name, or the
// next one), then .attribute and [key] parts.
func (f *formatter) lookup(name string) (obj, error) {
	first := len(name)
	for k := 0; k < len(name); k++ {
		if name[k] == '.' || name[k] == '[' {
			first = k
			break
		}
	}
	arg, rest := name[:first], name[first:]
	var v obj
	switch {
	case arg == "":
		if f.auto < 0 {
			return obj{}, f.errf("value", "ValueError: cannot switch from manual field specification to automatic field numbering")
		}
		if f.auto >= len(f.args) {
			return obj{}, f.errf("index", "IndexError: tuple index out of range")
		}
		v = f.args[f.auto]
		f.auto++
		f.used = true
	case isDecimal(arg):
		if f.used {
			return obj{}, f.errf("value", "ValueError: cannot switch from automatic field numbering to manual field specification")
		}
		f.auto = -1
		i, err := strconv.Atoi(arg)
		if err != nil || i >= len(f.args) {
			return obj{}, f.errf("index", "IndexError: tuple index out of range")
		}
		v = f.args[i]
	default:
		found := false
		for _, k := range f.kw {
			if k.name == arg {
				v, found = k.val, true
			}
		}
		if !found {
			return obj{}, f.errf("key", "KeyError: "+value.Repr(value.NewString(arg, zr)))
		}
	}
	for rest != "" {
		switch rest[0] {
		case '.':
			k := 1
			for k < len(rest) && rest[k] != '.' && rest[k] != '[' {
				k++
			}
			attr := rest[1:k]
			rest = rest[k:]
			if attr == "" {
				return obj{}, f.errf("value", "ValueError: Empty attribute in format string")
			}
			if isNumber(v) && (attr == "real" || attr == "imag") {
				if attr == "imag" {
					if v.v.Kind == value.Float {
						v = data(value.NewFloat(0, zr))
					} else {
						v = integer(0)
					}
				}
				continue
			}
			return obj{}, f.errf("type", "AttributeError: '"+f.ev.typeName(v)+"' object has no attribute '"+attr+"'")
		case '[':
			k := strings.IndexByte(rest, ']')
			if k < 0 {
				return obj{}, f.errf("value", "ValueError: Missing ']' in format string")
			}
			key := rest[1:k]
			rest = rest[k+1:]
			if key == "" {
				return obj{}, f.errf("value", "ValueError: Empty attribute in format string")
			}
			var kv obj
			if isDecimal(key) {
				n, err := strconv.ParseInt(key, 10, 64)
				if err != nil {
					return obj{}, f.errf("value", "ValueError: Too many decimal digits in format string")
				}
				kv = integer(n)
			} else {
				kv = str(key)
			}
			r, err := f.ev.getItem(v, kv, f.off)
			if err != nil {
				return obj{}, err
			}
			v = r
		default:
			return obj{}, f.errf("value", "ValueError: Only '.' or '[' may follow ']' in format field specifier")
		}
	}
	return v, nil
}

func isDecimal(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// getItem is Python's obj[key] for a tuple, a list, a dict or a string.
func (ev *evaluator) getItem(v, key obj, off int) (obj, error) {
	switch {
	case isMap(v):
		if r, ok := lookup(v.v, key); ok {
			return ev.unbox(r), nil
		}
		r, _ := ev.repr(key, off)
		return obj{}, errorf(off, "key", "KeyError: "+r)
	case isSequence(v) || isString(v):
		if !isInt(key) {
			return obj{}, errorf(off, "type", "TypeError: "+v.typeName()+" indices must be integers, not "+key.typeName())
		}
		i, _ := int64Of(key.v)
		if isString(v) {
			r := []rune(v.v.Str)
			if i < 0 {
				i += int64(len(r))
			}
			if i < 0 || i >= int64(len(r)) {
				return obj{}, errorf(off, "index", "IndexError: string index out of range")
			}
			return str(string(r[i])), nil
		}
		l := v.v.List
		if i < 0 {
			i += int64(len(l))
		}
		if i < 0 || i >= int64(len(l)) {
			return obj{}, errorf(off, "index", "IndexError: "+ev.typeName(v)+" index out of range")
		}
		return ev.unbox(l[i]), nil
	}
	return obj{}, errorf(off, "type", "TypeError: '"+ev.typeName(v)+"' object has no attribute '__getitem__'")
}

// py2Str is Python 2's unicode(x): None, True and False as Python writes
// them, floats with 12 significant digits, collections as their repr.
func (ev *evaluator) py2Str(o obj, off int) (string, error) {
	if o.k == kData {
		switch value.KindOf(o.v) {
		case value.Null:
			return "None", nil
		case value.Bool:
			if o.v.Bool {
				return "True", nil
			}
			return "False", nil
		}
	}
	return ev.pyStr(o, off)
}

// fspec is a parsed format specification.
type fspec struct {
	fill      rune
	align     byte // 0, '<', '>', '^', '='
	sign      byte // 0, '+', '-', ' '
	alt       bool
	zero      bool
	width     int
	comma     bool
	precision int // -1 when absent
	typ       byte
}

func parseSpec(s string, off int) (fspec, error) {
	sp := fspec{fill: ' ', precision: -1}
	bad := func() (fspec, error) { return sp, errorf(off, "value", "ValueError: Invalid conversion specification") }
	i := 0
	fillGiven := false
	isAlign := func(c byte) bool { return c == '<' || c == '>' || c == '^' || c == '=' }
	if r, n := utf8.DecodeRuneInString(s); n > 0 && n < len(s) && isAlign(s[n]) {
		sp.fill, sp.align = r, s[n]
		fillGiven = true
		i = n + 1
	} else if len(s) > 0 && isAlign(s[0]) {
		sp.align = s[0]
		i = 1
	}
	if i < len(s) && (s[i] == '+' || s[i] == '-' || s[i] == ' ') {
		sp.sign = s[i]
		i++
	}
	if i < len(s) && s[i] == '#' {
		sp.alt = true
		i++
	}
	if i < len(s) && s[i] == '0' {
		sp.zero = true
		if !fillGiven {
			sp.fill = '0'
		}
		if sp.align == 0 {
			sp.align = '='
		}
		i++
	}
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j > i {
		w, err := strconv.Atoi(s[i:j])
		if err != nil || w > maxFormatWidth {
			return sp, errorf(off, "limit", "Expression consumed too much memory")
		}
		sp.width = w
		i = j
	}
	if i < len(s) && s[i] == ',' {
		sp.comma = true
		i++
	}
	if i < len(s) && s[i] == '.' {
		j := i + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i+1 {
			return sp, errorf(off, "value", "ValueError: Format specifier missing precision")
		}
		p, err := strconv.Atoi(s[i+1 : j])
		if err != nil || p > maxFormatWidth {
			return sp, errorf(off, "limit", "Expression consumed too much memory")
		}
		sp.precision = p
		i = j
	}
	if len(s)-i > 1 {
		return bad()
	}
	if i < len(s) {
		sp.typ = s[i]
	}
	return sp, nil
}

// formatValue is format(v, spec).
func (ev *evaluator) formatValue(v obj, spec string, off int) (string, error) {
	if v.k == kData {
		switch value.KindOf(v.v) {
		case value.String:
			return formatString(v.v.Str, spec, off)
		case value.Int, value.Bool:
			if spec == "" {
				return ev.py2Str(v, off)
			}
			return formatInt(v.v, spec, off)
		case value.Float:
			return formatFloat(v.v.Float, spec, off)
		case value.Unknown:
			return "", unknownOf(v.v)
		}
	}
	if v.k == kDatetime && spec != "" { // datetime.__format__ is strftime
		return strftime(v.tv(), spec, off)
	}
	// object.__format__: str(self) formatted as a string.
	s, err := ev.py2Str(v, off)
	if err != nil {
		return "", err
	}
	return formatString(s, spec, off)
}

func formatString(s, spec string, off int) (string, error) {
	sp, err := parseSpec(spec, off)
	if err != nil {
		return "", err
	}
	switch {
	case sp.typ != 0 && sp.typ != 's':
		return "", errorf(off, "value", "ValueError: Unknown format code '"+string(sp.typ)+"' for object of type 'unicode'")
	case sp.sign != 0:
		return "", errorf(off, "value", "ValueError: Sign not allowed in string format specifier")
	case sp.alt:
		return "", errorf(off, "value", "ValueError: Alternate form (#) not allowed in string format specifier")
	case sp.comma:
		return "", errorf(off, "value", "ValueError: Cannot specify ',' with 's'.")
	case sp.align == '=':
		return "", errorf(off, "value", "ValueError: '=' alignment not allowed in string format specifier")
	}
	if sp.precision >= 0 {
		r := []rune(s)
		if len(r) > sp.precision {
			s = string(r[:sp.precision])
		}
	}
	return pad(s, "", sp, '<'), nil
}

// pad aligns body (after its sign or prefix) in the field width.
func pad(body, prefix string, sp fspec, defAlign byte) string {
	n := utf8.RuneCountInString(body) + utf8.RuneCountInString(prefix)
	if n >= sp.width {
		return prefix + body
	}
	fill := strings.Repeat(string(sp.fill), sp.width-n)
	align := sp.align
	if align == 0 {
		align = defAlign
	}
	switch align {
	case '<':
		return prefix + body + fill
	case '^':
		k := utf8.RuneCountInString(fill) / 2
		r := []rune(fill)
		return string(r[:k]) + prefix + body + string(r[k:])
	case '=':
		return prefix + fill + body
	}
	return fill + prefix + body
}

func signOf(neg bool, sign byte) string {
	switch {
	case neg:
		return "-"
	case sign == '+':
		return "+"
	case sign == ' ':
		return " "
	}
	return ""
}

// groupThousands inserts commas in a run of decimal digits.
func groupThousands(d string) string {
	if len(d) <= 3 {
		return d
	}
	var b strings.Builder
	first := len(d) % 3
	if first > 0 {
		b.WriteString(d[:first])
	}
	for i := first; i < len(d); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(d[i : i+3])
	}
	return b.String()
}

func formatInt(v *value.Value, spec string, off int) (string, error) {
	sp, err := parseSpec(spec, off)
	if err != nil {
		return "", err
	}
	switch sp.typ {
	case 'e', 'E', 'f', 'F', 'g', 'G', '%':
		f, err := floatOf(v, off)
		if err != nil {
			return "", err
		}
		return formatFloat(f, spec, off)
	case 0, 'd', 'n', 'b', 'o', 'x', 'X', 'c':
	default:
		return "", errorf(off, "value", "ValueError: Unknown format code '"+string(sp.typ)+"' for object of type 'long'")
	}
	if sp.precision >= 0 {
		return "", errorf(off, "value", "ValueError: Precision not allowed in integer format specifier")
	}
	n := bigOf(v)
	if sp.typ == 'c' {
		if sp.sign != 0 {
			return "", errorf(off, "value", "ValueError: Sign not allowed with integer format specifier 'c'")
		}
		if !n.IsInt64() || n.Int64() < 0 || n.Int64() > 0x10ffff {
			return "", errorf(off, "value", "OverflowError: %c arg not in range(0x110000)")
		}
		return pad(string(rune(n.Int64())), "", sp, '<'), nil
	}
	if sp.comma && sp.typ != 0 && sp.typ != 'd' {
		return "", errorf(off, "value", "ValueError: Cannot specify ',' with '"+string(sp.typ)+"'.")
	}
	abs := new(big.Int).Abs(n)
	var digits, prefix string
	switch sp.typ {
	case 'b':
		digits, prefix = abs.Text(2), "0b"
	case 'o':
		digits, prefix = abs.Text(8), "0o"
	case 'x':
		digits, prefix = abs.Text(16), "0x"
	case 'X':
		digits, prefix = strings.ToUpper(abs.Text(16)), "0X"
	default:
		digits = abs.String()
	}
	if !sp.alt {
		prefix = ""
	}
	if sp.comma {
		digits = groupThousands(digits)
	}
	return padNumber(digits, signOf(n.Sign() < 0, sp.sign)+prefix, sp), nil
}

// padNumber pads a number; zero padding (the '=' alignment with fill 0)
// goes between the sign and the digits.
func padNumber(body, prefix string, sp fspec) string {
	return pad(body, prefix, sp, '>')
}

func formatFloat(x float64, spec string, off int) (string, error) {
	sp, err := parseSpec(spec, off)
	if err != nil {
		return "", err
	}
	switch sp.typ {
	case 0, 'e', 'E', 'f', 'F', 'g', 'G', 'n', '%':
	default:
		return "", errorf(off, "value", "ValueError: Unknown format code '"+string(sp.typ)+"' for object of type 'float'")
	}
	if sp.alt {
		return "", errorf(off, "value", "ValueError: Alternate form (#) not allowed in float format specifier")
	}
	if sp.typ == 0 && sp.precision < 0 && spec == "" {
		return value.Py2FloatStr(x), nil
	}
	neg := math.Signbit(x) && !math.IsNaN(x)
	ax := math.Abs(x)
	var body string
	prec := sp.precision
	switch {
	case math.IsNaN(x):
		body = "nan"
	case math.IsInf(x, 0):
		body = "inf"
	default:
		switch sp.typ {
		case 'f', 'F':
			if prec < 0 {
				prec = 6
			}
			body = strconv.FormatFloat(ax, 'f', prec, 64)
		case 'e', 'E':
			if prec < 0 {
				prec = 6
			}
			body = strconv.FormatFloat(ax, 'e', prec, 64) // Go pads the exponent to two digits, as Python does
		case '%':
			if prec < 0 {
				prec = 6
			}
			body = strconv.FormatFloat(ax*100, 'f', prec, 64) + "%"
		default: // g, G, n, and no type
			if prec < 0 {
				prec = 6
				if sp.typ == 0 {
					prec = 12 // Python 2: str()'s precision
				}
			}
			if prec == 0 {
				prec = 1
			}
			body = pyGeneral(ax, prec, sp.typ == 0)
		}
	}
	if sp.typ == 'E' || sp.typ == 'G' || sp.typ == 'F' {
		body = strings.ToUpper(body)
	}
	if sp.comma {
		intPart, rest := body, ""
		if k := strings.IndexAny(body, ".e%"); k >= 0 {
			intPart, rest = body[:k], body[k:]
		}
		body = groupThousands(intPart) + rest
	}
	return padNumber(body, signOf(neg, sp.sign), sp), nil
}

// pyGeneral is Python's 'g' format with the given precision; addDot
// keeps at least one digit after the point (the format of no type).
func pyGeneral(x float64, prec int, addDot bool) string {
	if x == 0 {
		if addDot {
			return "0.0"
		}
		return "0"
	}
	e := strconv.FormatFloat(x, 'e', prec-1, 64)
	mant, expStr, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expStr)
	if exp < -4 || exp >= prec {
		mant = strings.TrimRight(strings.TrimRight(mant, "0"), ".")
		sign := "+"
		if exp < 0 {
			sign, exp = "-", -exp
		}
		es := strconv.Itoa(exp)
		if len(es) < 2 {
			es = "0" + es
		}
		return mant + "e" + sign + es
	}
	f := strconv.FormatFloat(x, 'f', prec-1-exp, 64)
	if strings.Contains(f, ".") {
		f = strings.TrimRight(strings.TrimRight(f, "0"), ".")
	}
	if addDot && !strings.Contains(f, ".") {
		f += ".0"
	}
	return f
}
