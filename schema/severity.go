package schema

import (
	"regexp"
	"strings"
	"sync"

	"cuelang.org/go/cue"

	"hoist/diag"
	"hoist/value"
)

// A finding's severity says what the consumer does with the input
// (docs/rules/README.md, "Severities"): error when Heat, paunch, kolla's
// set_configs or docker-puppet.py rejects it or the deployment fails;
// warning when the input is accepted but silently ignored or read wrongly;
// info when it works and only its style is in question. The .cue files say
// it per constraint, with three attributes of hoist's own:
//
//	@severity(SEV)                  on a field: findings about its value and
//	                                its absence; the default is error
//	@severity(SEV, missing=SEV2)    SEV2 when the (required) field is absent
//	@severity(SEV, match="RE")      SEV only when the value, as Python's str()
//	                                renders a scalar, matches RE; error
//	                                otherwise, and when the field is missing
//	                                ("600" is read as decimal, a warning;
//	                                "2755" fails, an error)
//	@ignored("why")                 on a map: the consumer ignores keys it
//	                                does not know, so an unknown key is a
//	                                warning, and why says what happens
//	@why("...")                     on a field: the consequence, appended to
//	                                the messages about its value

// findAttr returns attribute name of v, following references to
// definitions and the alternatives of disjunctions, as attrOf does.
func findAttr(v cue.Value, name string, depth int) (cue.Attribute, bool) {
	var found cue.Attribute
	ok := false
	for _, a := range v.Attributes(cue.FieldAttr | cue.DeclAttr) {
		if a.Name() == name {
			found, ok = a, true
		}
	}
	if ok || depth > 6 {
		return found, ok
	}
	for _, a := range alternatives(v) {
		if f, ok := findAttr(a, name, depth+1); ok {
			return f, true
		}
	}
	return cue.Attribute{}, false
}

var severityNames = map[string]diag.Severity{"error": diag.Error, "warning": diag.Warning, "info": diag.Info}

// matchCache holds the compiled match= expressions of @severity.
var matchCache sync.Map // string → *regexp.Regexp

// fieldSeverity returns the severity of a finding about the value at a
// place whose schema is sv: actual is the value found there (nil when it
// is missing).
func fieldSeverity(sv cue.Value, actual *value.Value) diag.Severity {
	a, ok := findAttr(sv, "severity", 0)
	if !ok {
		return diag.Error
	}
	base, err := a.String(0)
	if err != nil {
		return diag.Error
	}
	sev, known := severityNames[base]
	if !known {
		return diag.Error
	}
	re, byValue, _ := a.Lookup(1, "match")
	if actual == nil {
		if m, ok, _ := a.Lookup(1, "missing"); ok {
			if s, known := severityNames[m]; known {
				return s
			}
		}
		if byValue {
			// The severity is about some values; a missing one is not
			// among them.
			return diag.Error
		}
		return sev
	}
	if byValue && !matchesStr(re, actual) {
		return diag.Error
	}
	return sev
}

// matchesStr reports whether the scalar v, rendered as Python's str()
// renders it, matches the regular expression re.
func matchesStr(re string, v *value.Value) bool {
	switch value.KindOf(v) {
	case value.List, value.Map, value.Unknown:
		return false
	}
	var rx *regexp.Regexp
	if c, ok := matchCache.Load(re); ok {
		rx = c.(*regexp.Regexp)
	} else {
		var err error
		if rx, err = regexp.Compile(re); err != nil {
			return false
		}
		matchCache.Store(re, rx)
	}
	return rx.MatchString(value.Str(v))
}

// ignoredKeys returns whether the map whose schema is sv is read by a
// consumer that ignores keys it does not know, and what that means.
func ignoredKeys(sv cue.Value) (why string, ok bool) {
	a, ok := findAttr(sv, "ignored", 0)
	if !ok {
		return "", false
	}
	why, _ = a.String(0)
	return why, true
}

// text resolves an attribute text: "#Name" stands for the string of the
// definition #Name (consequences several fields share), anything else is
// the text itself.
func (s *Schema) text(t string) string {
	if !strings.HasPrefix(t, "#") {
		return t
	}
	if str, err := s.root.LookupPath(cue.ParsePath(t)).String(); err == nil {
		return str
	}
	return t
}
