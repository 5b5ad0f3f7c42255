package pyyaml

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// The implicit types PyYAML's YAML 1.1 resolver gives a plain scalar.
type implicitTag uint8

const (
	tagStr implicitTag = iota
	tagNull
	tagBool
	tagInt
	tagFloat
	tagMerge
	tagValue
	// Timestamps resolve to strings under Heat's loader, so there is no
	// timestamp tag here.
)

// resolvePlain returns the tag PyYAML's resolver gives a plain scalar. It
// follows PyYAML's first-character dispatch and its resolvers' order (bool,
// float, int, merge, null, timestamp, value), written out as matchers
// instead of regular expressions.
func resolvePlain(s string) implicitTag {
	if s == "" {
		return tagNull
	}
	switch c := s[0]; {
	case strings.IndexByte("yYnNtTfFoO", c) >= 0:
		if isBool(s) {
			return tagBool
		}
		if (c == 'n' || c == 'N') && (s == "null" || s == "Null" || s == "NULL") {
			return tagNull
		}
	case c == '~':
		if s == "~" {
			return tagNull
		}
	case c == '<':
		if s == "<<" {
			return tagMerge
		}
	case c == '=':
		if s == "=" {
			return tagValue
		}
	case strings.IndexByte("-+0123456789.", c) >= 0:
		if isFloat(s) {
			return tagFloat
		}
		if c != '.' && isInt(s) {
			return tagInt
		}
	}
	return tagStr
}

func isBool(s string) bool {
	switch s {
	case "yes", "Yes", "YES", "no", "No", "NO",
		"true", "True", "TRUE", "false", "False", "FALSE",
		"on", "On", "ON", "off", "Off", "OFF":
		return true
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// span returns the length of the prefix of s made of bytes accepted by ok.
func span(s string, ok func(byte) bool) int {
	i := 0
	for i < len(s) && ok(s[i]) {
		i++
	}
	return i
}

func digitOrUnderscore(c byte) bool { return isDigit(c) || c == '_' }

func optSign(s string) string {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		return s[1:]
	}
	return s
}

// sexagesimalTail matches (:[0-5]?[0-9])+ at the start of s and returns
// how much it consumed (0 when it does not match).
func sexagesimalTail(s string) int {
	n := 0
	for n < len(s) && s[n] == ':' {
		i := n + 1
		switch {
		case i+1 < len(s) && s[i] >= '0' && s[i] <= '5' && isDigit(s[i+1]):
			i += 2
		case i < len(s) && isDigit(s[i]):
			i++
		default:
			return n
		}
		n = i
	}
	return n
}

// exponent matches ([eE][-+][0-9]+)? at the start of s and returns how
// much it consumed.
func exponent(s string) int {
	if len(s) >= 3 && (s[0] == 'e' || s[0] == 'E') && (s[1] == '-' || s[1] == '+') && isDigit(s[2]) {
		return 2 + span(s[2:], isDigit)
	}
	return 0
}

// isFloat is PyYAML's float resolver:
//
//	[-+]?([0-9][0-9_]*)\.[0-9_]*([eE][-+][0-9]+)?
//	| \.[0-9][0-9_]*([eE][-+][0-9]+)?
//	| [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*
//	| [-+]?\.(inf|Inf|INF)
//	| \.(nan|NaN|NAN)
func isFloat(s string) bool {
	switch s {
	case ".nan", ".NaN", ".NAN":
		return true
	}
	if s[0] == '.' && len(s) > 1 && isDigit(s[1]) {
		i := 1 + span(s[1:], digitOrUnderscore)
		i += exponent(s[i:])
		return i == len(s)
	}
	u := optSign(s)
	switch u {
	case ".inf", ".Inf", ".INF":
		return true
	}
	if u == "" || !isDigit(u[0]) {
		return false
	}
	i := span(u, digitOrUnderscore)
	// Sexagesimal float: digits (:[0-5]?[0-9])+ \. [0-9_]*
	if j := sexagesimalTail(u[i:]); j > 0 {
		k := i + j
		if k < len(u) && u[k] == '.' {
			k++
			k += span(u[k:], digitOrUnderscore)
			if k == len(u) {
				return true
			}
		}
	}
	if i >= len(u) || u[i] != '.' {
		return false
	}
	i++
	i += span(u[i:], digitOrUnderscore)
	i += exponent(u[i:])
	return i == len(u)
}

// isInt is PyYAML's int resolver:
//
//	[-+]?0b[0-1_]+ | [-+]?0[0-7_]+ | [-+]?(0|[1-9][0-9_]*)
//	| [-+]?0x[0-9a-fA-F_]+ | [-+]?[1-9][0-9_]*(:[0-5]?[0-9])+
func isInt(s string) bool {
	u := optSign(s)
	if u == "" || !isDigit(u[0]) {
		return false
	}
	if u == "0" {
		return true
	}
	if u[0] == '0' {
		if len(u) > 2 && u[1] == 'b' {
			return span(u[2:], func(c byte) bool { return c == '0' || c == '1' || c == '_' }) == len(u)-2
		}
		if len(u) > 2 && u[1] == 'x' {
			return span(u[2:], func(c byte) bool {
				return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '_'
			}) == len(u)-2
		}
		return span(u[1:], func(c byte) bool { return c >= '0' && c <= '7' || c == '_' }) == len(u)-1
	}
	i := span(u, digitOrUnderscore)
	if i == len(u) {
		return true
	}
	return sexagesimalTail(u[i:]) == len(u)-i
}

// constructInt is PyYAML's construct_yaml_int, applied to a scalar the int
// resolver (or an explicit !!int tag) accepted.
func constructInt(s string) (*big.Int, error) {
	v := strings.ReplaceAll(s, "_", "")
	if v == "" {
		return nil, fmt.Errorf("invalid int %q", s)
	}
	sign := 1
	if v[0] == '-' {
		sign = -1
	}
	if v[0] == '-' || v[0] == '+' {
		v = v[1:]
	}
	out := new(big.Int)
	var ok bool
	switch {
	case v == "0":
		return out, nil
	case strings.HasPrefix(v, "0b"):
		_, ok = out.SetString(v[2:], 2)
	case strings.HasPrefix(v, "0x"):
		_, ok = out.SetString(v[2:], 16)
	case strings.HasPrefix(v, "0"):
		_, ok = out.SetString(v, 8)
	case strings.Contains(v, ":"):
		ok = true
		for _, part := range strings.Split(v, ":") {
			d, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("invalid sexagesimal int %q", s)
			}
			out.Mul(out, big.NewInt(60))
			out.Add(out, big.NewInt(d))
		}
	default:
		_, ok = out.SetString(v, 10)
	}
	if !ok {
		return nil, fmt.Errorf("invalid int %q", s)
	}
	if sign < 0 {
		out.Neg(out)
	}
	return out, nil
}

// constructFloat is PyYAML's construct_yaml_float.
func constructFloat(s string) (float64, error) {
	v := strings.ToLower(strings.ReplaceAll(s, "_", ""))
	if v == "" {
		return 0, fmt.Errorf("invalid float %q", s)
	}
	sign := 1.0
	if v[0] == '-' {
		sign = -1
	}
	if v[0] == '-' || v[0] == '+' {
		v = v[1:]
	}
	switch {
	case v == ".inf":
		return sign * math.Inf(1), nil
	case v == ".nan":
		return math.NaN(), nil
	case strings.Contains(v, ":"):
		total := 0.0
		for _, part := range strings.Split(v, ":") {
			d, err := pyFloat(part)
			if err != nil {
				return 0, fmt.Errorf("invalid sexagesimal float %q", s)
			}
			total = total*60 + d
		}
		return sign * total, nil
	}
	f, err := pyFloat(v)
	if err != nil {
		return 0, fmt.Errorf("invalid float %q", s)
	}
	return sign * f, nil
}

// pyFloat is Python's float() on a string: surrounding whitespace is
// ignored, and "inf", "infinity" and "nan" are accepted in any case.
func pyFloat(s string) (float64, error) {
	t := strings.TrimSpace(s)
	u := strings.ToLower(optSign(t))
	neg := strings.HasPrefix(t, "-")
	switch u {
	case "inf", "infinity":
		if neg {
			return math.Inf(-1), nil
		}
		return math.Inf(1), nil
	case "nan":
		return math.NaN(), nil
	}
	if t == "" || strings.ContainsAny(t, "xXpP_") {
		return 0, fmt.Errorf("invalid float %q", s)
	}
	return strconv.ParseFloat(t, 64)
}

// constructBool is PyYAML's construct_yaml_bool.
func constructBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "yes", "true", "on":
		return true, nil
	case "no", "false", "off":
		return false, nil
	}
	return false, fmt.Errorf("invalid bool %q: expected one of yes, no, true, false, on, off", s)
}
