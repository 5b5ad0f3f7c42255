package hot

import (
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"hoist/diag"
	"hoist/pyre"
	"hoist/source"
	"hoist/value"
)

// ParamType is a HOT parameter type.
type ParamType uint8

// The parameter types.
const (
	TypeString ParamType = iota
	TypeNumber
	TypeList // comma_delimited_list
	TypeJSON
	TypeBoolean
)

var paramTypeNames = [...]string{"string", "number", "comma_delimited_list", "json", "boolean"}

func (t ParamType) String() string { return paramTypeNames[t] }

// ParamTypeNames lists the valid type names.
func ParamTypeNames() []string { return append([]string(nil), paramTypeNames[:]...) }

// LookupParamType returns the type named s.
func LookupParamType(s string) (ParamType, bool) {
	for i, n := range paramTypeNames {
		if n == s {
			return ParamType(i), true
		}
	}
	return 0, false
}

// Param is a declared parameter.
type Param struct {
	Name      string
	NameRange source.Range
	// Def is the schema as written.
	Def  *value.Value
	Type ParamType
	// Default is the schema default, nil when there is none (a null
	// default means the parameter is required, as in Heat).
	Default     *value.Value
	Constraints []*Constraint
	Hidden      bool
	Description string
}

// Constraint is one parameter constraint.
type Constraint struct {
	// Kind is "range", "length", "modulo", "allowed_values",
	// "allowed_pattern" or "custom_constraint".
	Kind        string
	Min, Max    *value.Value
	Step        int64
	Offset      int64
	Allowed     []*value.Value
	Pattern     string
	re          *pyre.Regexp
	Custom      string
	Description string
	Range       source.Range
}

var constraintTypes = map[string][]ParamType{
	"range":             {TypeNumber},
	"modulo":            {TypeNumber},
	"length":            {TypeString, TypeList, TypeJSON},
	"allowed_values":    {TypeString, TypeNumber, TypeBoolean, TypeList},
	"allowed_pattern":   {TypeString},
	"custom_constraint": {TypeString, TypeNumber, TypeBoolean, TypeList},
}

func (t *Template) parseParams(root *value.Value) error {
	t.params = map[string]*Param{}
	e, ok := root.Map.Entry("parameters")
	if !ok || e.Val.Kind == value.Null {
		return nil
	}
	if e.Val.Kind != value.Map {
		return t.errorf(e.Val.Range, RuleParameter, "the parameters section must be a map of parameter names to schemas, not %s", describe(e.Val))
	}
	keys := []string{"type", "description", "default", "constraints", "hidden", "label", "immutable"}
	if t.Version.ParamTags {
		keys = append(keys, "tags")
	}
	for _, pe := range e.Val.Map.Entries() {
		p, err := t.parseParam(pe.Key, pe.Val, keys)
		if err != nil {
			return err
		}
		t.Params = append(t.Params, p)
		t.params[p.Name] = p
	}
	return nil
}

func (t *Template) parseParam(key, def *value.Value, keys []string) (*Param, error) {
	name := value.Str(key)
	p := &Param{Name: name, NameRange: key.Range, Def: def}
	if def.Kind != value.Map {
		return nil, t.errorf(def.Range, RuleParameter, "parameter %q: the schema must be a mapping with a type, not %s", name, describe(def))
	}
	for _, k := range def.Map.Entries() {
		if k.Key.Kind != value.String || !slices.Contains(keys, k.Key.Str) {
			return nil, t.errorf(k.Key.Range, RuleParameter, "parameter %q: invalid key %q; %s parameter schemas have %s", name, value.Str(k.Key), t.Version.Date, diag.QuoteList(keys))
		}
	}
	tv, ok := def.Map.Get("type")
	if !ok {
		return nil, t.errorf(key.Range, RuleParameter, "parameter %q is missing its type; expected one of %s", name, diag.QuoteList(ParamTypeNames()))
	}
	typ, ok := LookupParamType(value.Str(tv))
	if tv.Kind != value.String || !ok {
		return nil, t.errorf(tv.Range, RuleParameter, "parameter %q: invalid type %s; expected one of %s", name, value.Repr(tv), diag.QuoteList(ParamTypeNames()))
	}
	p.Type = typ
	if d, ok := def.Map.Get("default"); ok && d.Kind != value.Null {
		p.Default = d
	}
	if d, ok := def.Map.Get("description"); ok && d.Kind == value.String {
		p.Description = d.Str
	}
	if h, ok := def.Map.Get("hidden"); ok {
		p.Hidden = value.Truthy(h)
	}
	if tg, ok := def.Map.Get("tags"); ok && tg.Kind != value.List {
		return nil, t.errorf(tg.Range, RuleParameter, "parameter %q: tags must be a list, not %s", name, describe(tg))
	}
	if cs, ok := def.Map.Get("constraints"); ok && cs.Kind != value.Null {
		if cs.Kind != value.List {
			return nil, t.errorf(cs.Range, RuleParameter, "parameter %q: constraints must be a list, not %s", name, describe(cs))
		}
		for _, c := range cs.List {
			con, err := t.parseConstraint(p, c)
			if err != nil {
				return nil, err
			}
			p.Constraints = append(p.Constraints, con)
		}
	}
	return p, nil
}

func (t *Template) parseConstraint(p *Param, c *value.Value) (*Constraint, error) {
	ckeys := []string{"description", "length", "range", "modulo", "allowed_values", "allowed_pattern", "custom_constraint"}
	if c.Kind != value.Map {
		return nil, t.errorf(c.Range, RuleParameter, "parameter %q: a constraint must be a mapping, not %s", p.Name, describe(c))
	}
	for _, k := range c.Map.Entries() {
		if k.Key.Kind != value.String || !slices.Contains(ckeys, k.Key.Str) {
			return nil, t.errorf(k.Key.Range, RuleParameter, "parameter %q: invalid constraint key %q; expected %s", p.Name, value.Str(k.Key), diag.QuoteList(ckeys))
		}
	}
	con := &Constraint{Range: c.Range}
	if d, ok := c.Map.Get("description"); ok {
		con.Description = value.Str(d)
	}
	bad := func(r source.Range, format string, args ...any) (*Constraint, error) {
		return nil, t.errorf(r, RuleParameter, "parameter %q: "+format, append([]any{p.Name}, args...)...)
	}
	getNum := func(m *value.Value, k string) (*value.Value, error) {
		v, ok := m.Map.Get(k)
		if !ok || v.Kind == value.Null {
			return nil, nil
		}
		n, msg := strToNum(v)
		if msg != "" {
			return nil, t.errorf(v.Range, RuleParameter, "parameter %q: %s: %s", p.Name, k, msg)
		}
		return n, nil
	}
	checkKeys := func(m *value.Value, what string, keys ...string) error {
		if m.Kind != value.Map {
			return t.errorf(m.Range, RuleParameter, "parameter %q: invalid %s, expected a mapping with %s", p.Name, what, diag.QuoteList(keys))
		}
		for _, k := range m.Map.Entries() {
			if !slices.Contains(keys, value.Str(k.Key)) {
				return t.errorf(k.Key.Range, RuleParameter, "parameter %q: invalid key %q for %s; expected %s", p.Name, value.Str(k.Key), what, diag.QuoteList(keys))
			}
		}
		return nil
	}
	switch {
	case c.Map.Has("range"), c.Map.Has("length"):
		kind := "range"
		if !c.Map.Has("range") {
			kind = "length"
		}
		m, _ := c.Map.Get(kind)
		if err := checkKeys(m, kind+" constraint", "min", "max"); err != nil {
			return nil, err
		}
		con.Kind = kind
		var err error
		if con.Min, err = getNum(m, "min"); err != nil {
			return nil, err
		}
		if con.Max, err = getNum(m, "max"); err != nil {
			return nil, err
		}
		if con.Min == nil && con.Max == nil {
			return bad(m.Range, "a %s constraint must have a min value and/or a max value", kind)
		}
		if kind == "length" {
			for _, v := range []*value.Value{con.Min, con.Max} {
				if v != nil && v.Kind != value.Int {
					return bad(m.Range, "min/max length must be integral")
				}
			}
		}
	case c.Map.Has("modulo") && t.Version.Modulo:
		m, _ := c.Map.Get("modulo")
		if err := checkKeys(m, "modulo constraint", "step", "offset"); err != nil {
			return nil, err
		}
		con.Kind = "modulo"
		step, err := getNum(m, "step")
		if err != nil {
			return nil, err
		}
		off, err := getNum(m, "offset")
		if err != nil {
			return nil, err
		}
		if step == nil || off == nil {
			return bad(m.Range, "a modulo constraint must have a step value and an offset value")
		}
		si, ok1 := integral(step)
		oi, ok2 := integral(off)
		if !ok1 || !ok2 {
			return bad(m.Range, "step/offset must be integer")
		}
		if si == 0 {
			return bad(m.Range, "step cannot be 0")
		}
		if abs64(oi) >= abs64(si) {
			return bad(m.Range, "offset must be smaller (by absolute value) than step")
		}
		if si*oi < 0 {
			return bad(m.Range, "step and offset must be both positive or both negative")
		}
		con.Step, con.Offset = si, oi
	case c.Map.Has("allowed_values"):
		v, _ := c.Map.Get("allowed_values")
		if v.Kind != value.List {
			return bad(v.Range, "allowed_values must be a list, not %s", describe(v))
		}
		con.Kind = "allowed_values"
		con.Allowed = v.List
	case c.Map.Has("allowed_pattern"):
		v, _ := c.Map.Get("allowed_pattern")
		if v.Kind != value.String {
			return bad(v.Range, "allowed_pattern must be a string, not %s", describe(v))
		}
		re, err := pyre.Compile(v.Str, 0)
		if err != nil {
			return bad(v.Range, "allowed_pattern %q is not a valid regular expression: %v", v.Str, err)
		}
		con.Kind, con.Pattern, con.re = "allowed_pattern", v.Str, re
	case c.Map.Has("custom_constraint"):
		v, _ := c.Map.Get("custom_constraint")
		con.Kind, con.Custom = "custom_constraint", value.Str(v)
	default:
		return bad(c.Range, "no constraint expressed; expected one of %s", diag.QuoteList(ckeys[1:]))
	}
	if !paramTypeIn(p.Type, constraintTypes[con.Kind]) {
		return bad(c.Range, "%s constraint invalid for %s", con.Kind, p.Type)
	}
	return con, nil
}

func paramTypeIn(t ParamType, ts []ParamType) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

func abs64(i int64) int64 {
	if i < 0 {
		return -i
	}
	return i
}

func integral(v *value.Value) (int64, bool) {
	switch v.Kind {
	case value.Int:
		return v.Int, v.Big == nil
	case value.Float:
		if v.Float == math.Trunc(v.Float) && math.Abs(v.Float) < 1<<62 {
			return int64(v.Float), true
		}
	case value.Bool:
		if v.Bool {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// ---- Python conversions -------------------------------------------------

// pyInt parses s as Python's int(s) does for a string: surrounding
// whitespace, an optional sign, decimal digits.
func pyInt(s string) (*value.Value, bool) {
	t := strings.TrimSpace(s)
	body := strings.TrimLeft(t, "+-")
	if len(t)-len(body) > 1 || body == "" {
		return nil, false
	}
	for i := 0; i < len(body); i++ {
		if body[i] < '0' || body[i] > '9' {
			return nil, false
		}
	}
	b, ok := new(big.Int).SetString(strings.TrimPrefix(t, "+"), 10)
	if !ok {
		return nil, false
	}
	return value.NewBigInt(b, source.Range{}), true
}

// pyFloat parses s as Python's float(s) does for a string.
func pyFloat(s string) (float64, bool) {
	t := strings.TrimSpace(s)
	low := strings.ToLower(strings.TrimLeft(t, "+-"))
	if len(t)-len(strings.TrimLeft(t, "+-")) > 1 {
		return 0, false
	}
	switch low {
	case "inf", "infinity":
		if strings.HasPrefix(t, "-") {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	case "nan":
		return math.NaN(), true
	}
	if strings.ContainsAny(low, "_xp") || low == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true
		}
		return 0, false
	}
	return f, true
}

// strToNum is Heat's Schema.str_to_num: numbers (and bools) are kept, a
// string becomes int(s), else float(s). The message is "" on success.
func strToNum(v *value.Value) (*value.Value, string) {
	switch value.KindOf(v) {
	case value.Int, value.Float, value.Bool:
		return v, ""
	case value.String:
		if n, ok := pyInt(v.Str); ok {
			return n.At(v.Range), ""
		}
		if f, ok := pyFloat(v.Str); ok {
			return value.NewFloat(f, v.Range), ""
		}
		return nil, fmt.Sprintf("could not convert string to float: %s", value.Repr(v))
	case value.Unknown:
		return v, ""
	}
	return nil, fmt.Sprintf("%s is not a number", describe(v))
}

var trueStrings = []string{"1", "t", "true", "on", "y", "yes"}
var falseStrings = []string{"0", "f", "false", "off", "n", "no"}

// boolFromString is oslo's bool_from_string(str(v), strict=True).
func boolFromString(v *value.Value) (bool, string) {
	if v.Kind == value.Bool {
		return v.Bool, ""
	}
	s := strings.ToLower(strings.TrimSpace(value.Str(v)))
	if slices.Contains(trueStrings, s) {
		return true, ""
	}
	if slices.Contains(falseStrings, s) {
		return false, ""
	}
	return false, fmt.Sprintf("unrecognized value %q, acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'", value.Str(v))
}

// convert turns a raw parameter value (a user value, a parameter_defaults
// value or the schema default) into the typed value get_param returns.
func (p *Param) convert(raw *value.Value) (*value.Value, string) {
	if raw.Kind == value.Unknown {
		return raw, ""
	}
	switch p.Type {
	case TypeString:
		if raw.Kind == value.String {
			return raw, ""
		}
		return value.NewString(value.Str(raw), raw.Range), ""
	case TypeNumber:
		return strToNum(raw)
	case TypeBoolean:
		b, msg := boolFromString(raw)
		if msg != "" {
			return nil, msg
		}
		if raw.Kind == value.Bool {
			return raw, ""
		}
		return value.NewBool(b, raw.Range), ""
	case TypeList:
		return parseDelimitedList(raw)
	case TypeJSON:
		return parseJSONParam(raw)
	}
	return raw, ""
}

// parseDelimitedList is CommaDelimitedListParam.parse: a list has its items
// stringified, a string is split on "," without trimming, "" is [].
func parseDelimitedList(raw *value.Value) (*value.Value, string) {
	switch raw.Kind {
	case value.List:
		out := make([]*value.Value, len(raw.List))
		for i, it := range raw.List {
			if it.Kind == value.String || it.Kind == value.Unknown {
				out[i] = it
			} else {
				out[i] = value.NewString(value.Str(it), it.Range)
			}
		}
		return value.NewList(out, raw.Range), ""
	case value.String:
		if raw.Str == "" {
			return value.NewList(nil, raw.Range), ""
		}
		parts := strings.Split(raw.Str, ",")
		out := make([]*value.Value, len(parts))
		for i, s := range parts {
			out[i] = value.NewString(s, raw.Range)
		}
		return value.NewList(out, raw.Range), ""
	}
	return nil, fmt.Sprintf("value must be a comma-delimited list string, not %s", describe(raw))
}

// parseJSONParam is JsonParam.parse: a string is parsed as JSON (” stays
// ”), anything else goes through a JSON round trip (map keys become
// strings).
func parseJSONParam(raw *value.Value) (*value.Value, string) {
	if raw.Kind == value.String {
		if raw.Str == "" {
			return raw, ""
		}
		v, err := ParseJSON(raw.Str, raw.Range)
		if err != nil {
			return nil, "value must be valid JSON: " + err.Error()
		}
		return v, ""
	}
	return JSONRoundTrip(raw), ""
}

// JSONRoundTrip returns v as json.loads(json.dumps(v)) would: map keys
// become strings (1 → "1", true → "true", null → "null"; when two keys
// become the same string the later value wins). Values keep their ranges;
// unchanged subtrees are shared.
func JSONRoundTrip(v *value.Value) *value.Value {
	switch value.KindOf(v) {
	case value.List:
		var out []*value.Value
		for i, it := range v.List {
			c := JSONRoundTrip(it)
			if c != it && out == nil {
				out = append(make([]*value.Value, 0, len(v.List)), v.List[:i]...)
			}
			if out != nil {
				out = append(out, c)
			}
		}
		if out == nil {
			return v
		}
		return &value.Value{Kind: value.List, List: out, Range: v.Range, Via: v.Via}
	case value.Map:
		changed := false
		for _, e := range v.Map.Entries() {
			if e.Key.Kind != value.String || JSONRoundTrip(e.Val) != e.Val {
				changed = true
				break
			}
		}
		if !changed {
			return v
		}
		m := value.NewMapping(v.Map.Len())
		for _, e := range v.Map.Entries() {
			k := e.Key
			if k.Kind != value.String {
				k = value.NewString(value.JSONKey(k), k.Range)
			}
			m.Set(k, JSONRoundTrip(e.Val))
		}
		return &value.Value{Kind: value.Map, Map: m, Range: v.Range, Via: v.Via}
	}
	return v
}

// ---- validation ---------------------------------------------------------

// check validates a raw value against the parameter's type and
// constraints (Parameter._validate) and converts it into the typed value
// get_param returns (Parameter.value), in one pass.
func (p *Param) check(raw *value.Value) (*value.Value, string) {
	if raw.Kind == value.Unknown {
		return raw, ""
	}
	switch p.Type {
	case TypeList, TypeJSON:
		// The constraints see the parsed value, which is also the value.
		typed, msg := p.convert(raw)
		if msg != "" {
			return nil, msg
		}
		if len(p.Constraints) > 0 && !typed.ContainsUnknown() {
			if msg := p.checkConstraints(typed); msg != "" {
				return nil, msg
			}
		}
		return typed, ""
	}
	if msg := p.validateValue(raw); msg != "" {
		return nil, msg
	}
	return p.convert(raw)
}

// validateValue checks a raw value against the parameter's type and
// constraints, as Heat's Parameter._validate does. It returns "" when valid.
func (p *Param) validateValue(raw *value.Value) string {
	if len(p.Constraints) == 0 && (p.Type == TypeString || p.Type == TypeJSON && raw.Kind != value.String) {
		return ""
	}
	if raw.ContainsUnknown() {
		return ""
	}
	var checked *value.Value
	switch p.Type {
	case TypeNumber:
		if _, msg := strToNum(raw); msg != "" {
			return msg
		}
		checked = raw
	case TypeBoolean:
		if _, msg := boolFromString(raw); msg != "" {
			return msg
		}
		checked = raw
	case TypeString:
		checked = raw
	case TypeList:
		v, msg := parseDelimitedList(raw)
		if msg != "" {
			return msg
		}
		checked = v
	case TypeJSON:
		v, msg := parseJSONParam(raw)
		if msg != "" {
			return msg
		}
		checked = v
	}
	return p.checkConstraints(checked)
}

// checkConstraints applies every constraint except custom ones, which need
// a live cloud.
func (p *Param) checkConstraints(v *value.Value) string {
	for _, c := range p.Constraints {
		if msg := c.check(p, v); msg != "" {
			if c.Description != "" {
				return c.Description
			}
			return msg
		}
	}
	return ""
}

func (c *Constraint) check(p *Param, v *value.Value) string {
	switch c.Kind {
	case "range":
		n, msg := strToNum(v)
		if msg != "" {
			return msg
		}
		if c.Min != nil {
			if r, ok := value.Compare(n, c.Min); ok && r < 0 {
				return c.rangeMsg(value.Str(n))
			}
		}
		if c.Max != nil {
			if r, ok := value.Compare(n, c.Max); ok && r > 0 {
				return c.rangeMsg(value.Str(n))
			}
		}
	case "length":
		var l int
		switch v.Kind {
		case value.String:
			l = len([]rune(v.Str))
		case value.List:
			l = len(v.List)
		case value.Map:
			l = v.Map.Len()
		default:
			return fmt.Sprintf("%s has no length", describe(v))
		}
		lv := value.NewInt(int64(l), v.Range)
		if c.Min != nil {
			if r, ok := value.Compare(lv, c.Min); ok && r < 0 {
				return fmt.Sprintf("length (%d) is out of range (min: %s, max: %s)", l, numOrNone(c.Min), numOrNone(c.Max))
			}
		}
		if c.Max != nil {
			if r, ok := value.Compare(lv, c.Max); ok && r > 0 {
				return fmt.Sprintf("length (%d) is out of range (min: %s, max: %s)", l, numOrNone(c.Min), numOrNone(c.Max))
			}
		}
	case "modulo":
		n, msg := strToNum(v)
		if msg != "" {
			return msg
		}
		if !pyModEquals(n, c.Step, c.Offset) {
			return fmt.Sprintf("%s is not a multiple of %d with an offset of %d", value.Str(n), c.Step, c.Offset)
		}
	case "allowed_values":
		if v.Kind == value.List {
			for _, it := range v.List {
				if !containsValue(c.Allowed, it) {
					return c.allowedMsg(v)
				}
			}
			return ""
		}
		want, msg := p.toSchemaType(v)
		if msg != "" {
			return msg
		}
		for _, a := range c.Allowed {
			if av, m := p.toSchemaType(a); m == "" && value.Equal(av, want) {
				return ""
			}
		}
		return c.allowedMsg(v)
	case "allowed_pattern":
		if v.Kind != value.String {
			return fmt.Sprintf("%s does not match pattern %q: only strings can", describe(v), c.Pattern)
		}
		// Heat's AllowedPattern: re.match, and the match must end at
		// len(value) (not fullmatch: a|ab does not allow "ab").
		m, err := c.re.Match(v.Str, 0)
		if err != nil {
			return fmt.Sprintf("%q cannot be checked against pattern %q: %v", v.Str, c.Pattern, err)
		}
		if m == nil || m.End(0) != utf8.RuneCountInString(v.Str) {
			return fmt.Sprintf("%q does not match pattern %q", v.Str, c.Pattern)
		}
	}
	return ""
}

func numOrNone(v *value.Value) string {
	if v == nil {
		return "None"
	}
	return value.Str(v)
}

func (c *Constraint) rangeMsg(v string) string {
	return fmt.Sprintf("%s is out of range (min: %s, max: %s)", v, numOrNone(c.Min), numOrNone(c.Max))
}

func (c *Constraint) allowedMsg(v *value.Value) string {
	var as []string
	for _, a := range c.Allowed {
		as = append(as, value.Dumps(a))
	}
	return fmt.Sprintf("%s is not an allowed value [%s]", value.Dumps(v), strings.Join(as, ", "))
}

// toSchemaType is constraints.Schema.to_schema_type for parameter types.
func (p *Param) toSchemaType(v *value.Value) (*value.Value, string) {
	switch p.Type {
	case TypeNumber:
		return strToNum(v)
	case TypeString:
		return value.NewString(value.Str(v), v.Range), ""
	case TypeBoolean:
		b, msg := boolFromString(v)
		if msg != "" {
			return nil, fmt.Sprintf("value %q is invalid for data type boolean", value.Str(v))
		}
		return value.NewBool(b, v.Range), ""
	}
	return v, ""
}

func containsValue(list []*value.Value, v *value.Value) bool {
	for _, x := range list {
		if value.Equal(x, v) {
			return true
		}
	}
	return false
}

// pyModEquals reports n % step == offset with Python's modulo.
func pyModEquals(n *value.Value, step, offset int64) bool {
	switch n.Kind {
	case value.Float:
		m := math.Mod(n.Float, float64(step))
		if m != 0 && (m < 0) != (step < 0) {
			m += float64(step)
		}
		return m == float64(offset)
	case value.Int, value.Bool:
		var b *big.Int
		if n.Big != nil {
			b = n.Big
		} else if n.Kind == value.Bool {
			b = big.NewInt(0)
			if n.Bool {
				b = big.NewInt(1)
			}
		} else {
			b = big.NewInt(n.Int)
		}
		m := new(big.Int).Mod(b, big.NewInt(step)) // Euclidean: >= 0
		if step < 0 && m.Sign() != 0 {
			m.Add(m, big.NewInt(step))
		}
		return m.Cmp(big.NewInt(offset)) == 0
	}
	return false
}

// validateSchemaDefault is Schema._validate_default: the default (for a
// comma_delimited_list split on ",") must satisfy the constraints.
func (p *Param) validateSchemaDefault(def *value.Value) string {
	if p.Type == TypeList && def != nil && def.Kind != value.List && def.Kind != value.String && !def.ContainsUnknown() {
		return fmt.Sprintf("default must be a comma-delimited list string, not %s", describe(def))
	}
	if msg := p.defaultViolation(def); msg != "" {
		return fmt.Sprintf("invalid default %s (%s)", value.Str(def), msg)
	}
	return ""
}

// defaultViolation returns what is wrong with def as the parameter's
// default (the message of the first constraint it violates), or "".
func (p *Param) defaultViolation(def *value.Value) string {
	if def == nil || def.ContainsUnknown() {
		return ""
	}
	v := def
	if p.Type == TypeList {
		switch def.Kind {
		case value.List:
			dv, _ := parseDelimitedList(def)
			v = dv
		case value.String:
			parts := strings.Split(def.Str, ",")
			out := make([]*value.Value, len(parts))
			for i, s := range parts {
				out[i] = value.NewString(s, def.Range)
			}
			v = value.NewList(out, def.Range)
		default:
			return fmt.Sprintf("default must be a comma-delimited list string, not %s", describe(def))
		}
	}
	for _, c := range p.Constraints {
		if msg := c.check(p, v); msg != "" {
			if c.Description != "" {
				msg = c.Description
			}
			return msg
		}
	}
	return ""
}

// StrToNum is Heat's Schema.str_to_num: a number (or bool) is kept, a
// string becomes int(s) or else float(s). The message is "" on success.
func StrToNum(v *value.Value) (*value.Value, string) { return strToNum(v) }

// CheckConstraints checks a value (a property given for this parameter,
// already coerced) against the parameter's constraints, custom ones
// excepted. It returns "" when the value satisfies them.
func (p *Param) CheckConstraints(v *value.Value) string {
	if v.ContainsUnknown() {
		return ""
	}
	return p.checkConstraints(v)
}

// ValidateValue checks a raw value (as given by a user, parameter_defaults
// or the default) against the parameter's type and constraints, as Heat
// validates a stack's parameters. It returns "" when the value is valid.
func (p *Param) ValidateValue(v *value.Value) string { return p.validateValue(v) }
