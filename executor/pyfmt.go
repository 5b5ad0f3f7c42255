package executor

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"hoist/value"
)

// pyStr renders a scalar as Python's str() did in the paunch release the
// dialect names: True/False, None, integers plainly, floats as Python 2's
// str() (12 significant digits) or Python 3's repr. Lists and maps are not
// scalars: paunch would have printed their repr, which no container
// runtime understands, so the caller refuses them.
func pyStr(v *value.Value, py2 bool) (string, bool) {
	switch value.KindOf(v) {
	case value.Null:
		return "None", true
	case value.Bool:
		if v.Bool {
			return "True", true
		}
		return "False", true
	case value.Int:
		if v.Big != nil {
			return v.Big.String(), true
		}
		return strconv.FormatInt(v.Int, 10), true
	case value.Float:
		if py2 {
			return value.Py2FloatStr(v.Float), true
		}
		return value.PyFloatRepr(v.Float), true
	case value.String:
		return v.Str, true
	}
	return "", false
}

// pyFloatStr renders a float as Python's str() in the dialect.
func pyFloatStr(f float64, py2 bool) string {
	if py2 {
		return value.Py2FloatStr(f)
	}
	return value.PyFloatRepr(f)
}

// durationRE is the whole-string form paunch accepts for durations:
// optional hours, minutes, seconds, milliseconds and microseconds, in that
// order, each a number of digits and dots.
var durationRE = regexp.MustCompile(`^(?:([0-9.]+)h)?(?:([0-9.]+)m)?(?:([0-9.]+)s)?(?:([0-9.]+)ms)?(?:([0-9.]+)us)?$`)

// duration converts a stop_grace_period as paunch (rocky and later) did:
// numbers pass through unchanged; "1m30s"-style strings become seconds as a
// float (so "10s" is "10.0"); any other string must parse as a float.
func duration(v *value.Value, py2 bool) (string, error) {
	switch value.KindOf(v) {
	case value.Int, value.Float:
		s, _ := pyStr(v, py2)
		return s, nil
	case value.String:
	default:
		return "", fmt.Errorf("must be a number of seconds or a duration such as \"1m30s\", not a %s", value.KindOf(v))
	}
	s := v.Str
	if m := durationRE.FindStringSubmatch(s); m != nil && s != "" {
		// timedelta keeps whole microseconds (rounding half to even) and
		// total_seconds() divides them by 10**6.
		scale := []float64{3600e6, 60e6, 1e6, 1e3, 1}
		total := 0.0
		for i, part := range m[1:] {
			if part == "" {
				continue
			}
			f, err := strconv.ParseFloat(part, 64)
			if err != nil {
				return "", fmt.Errorf("%q is not a valid duration", s)
			}
			total += f * scale[i]
		}
		us := math.RoundToEven(total)
		return pyFloatStr(us/1e6, py2), nil
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || strings.ContainsAny(s, "_xXpP") {
		return "", fmt.Errorf("%q is not a number of seconds nor a duration such as \"1m30s\"", s)
	}
	return pyFloatStr(f, py2), nil
}

// commandArgs turns a container's command into argv elements as paunch
// did: absent, null, "" and [] give nothing; a string is split on runs of
// whitespace with no shell quoting (so quotes stay literal); a list is used
// as it is and its items must be strings.
func commandArgs(v *value.Value) ([]string, error) {
	switch value.KindOf(v) {
	case value.Null:
		return nil, nil
	case value.String:
		return strings.Fields(v.Str), nil
	case value.List:
		out := make([]string, 0, len(v.List))
		for i, it := range v.List {
			if value.KindOf(it) != value.String {
				return nil, fmt.Errorf("item %d is a %s; command items must be strings", i, value.KindOf(it))
			}
			out = append(out, it.Str)
		}
		return out, nil
	}
	return nil, fmt.Errorf("must be a string or a list of strings, not a %s", value.KindOf(v))
}
