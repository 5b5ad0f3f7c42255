package deploy

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"hoist/compiler/hot"
	"hoist/diag"
	"hoist/source"
	"hoist/value"
)

// RuleMissing is the rule id of the error listing parameters without a
// value.
const RuleMissing = "deploy/missing-parameter"

// Missing is a parameter that has no value anywhere: no default, nothing
// in parameter_defaults or parameters, and not passed by the template that
// nests it. Image names and passwords are the usual ones: TripleO's client
// generated them before Heat saw the templates.
type Missing struct {
	// Name is the parameter's name.
	Name string
	// Type is its HOT type.
	Type hot.ParamType
	// Description is its description, if any.
	Description string
	// Declared is where it is declared (the first declaration, by file and
	// line, among the templates that needed it).
	Declared source.Range
	// Templates is how many instantiated templates declare it without a
	// value.
	Templates int
	// Hidden is the parameter's hidden flag (passwords).
	Hidden bool
	// Constraints says what a value must satisfy, "" when nothing.
	Constraints string
}

// UnknownReason is the reason of the unknown value --allow-missing gives
// a parameter without a value.
func UnknownReason(name string) string {
	return "parameter " + name + " has no value"
}

// missingSet collects the parameters without a value while stacks are
// evaluated, from any goroutine.
type missingSet struct {
	mu     sync.Mutex
	byName map[string]*Missing
	seen   map[string]map[source.Range]bool
}

func newMissingSet() *missingSet {
	return &missingSet{byName: map[string]*Missing{}, seen: map[string]map[source.Range]bool{}}
}

// value records p and returns the unknown that stands for it.
func (s *missingSet) value(p *hot.Param) *value.Value {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.byName[p.Name]
	if m == nil {
		m = &Missing{Name: p.Name, Type: p.Type, Description: p.Description, Declared: p.NameRange, Hidden: p.Hidden, Constraints: constraintText(p)}
		s.byName[p.Name] = m
		s.seen[p.Name] = map[source.Range]bool{}
	}
	if !s.seen[p.Name][p.NameRange] {
		s.seen[p.Name][p.NameRange] = true
		m.Templates++
		if source.Compare(p.NameRange, m.Declared) < 0 {
			m.Declared = p.NameRange
			m.Description = p.Description
			m.Constraints = constraintText(p)
		}
	}
	return value.NewUnknown(UnknownReason(p.Name), p.NameRange)
}

// list returns the parameters by name.
func (s *missingSet) list() []*Missing {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Missing, 0, len(s.byName))
	for _, m := range s.byName {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// MissingError is the one error that lists every parameter without a
// value, each with the template and line that declares it.
func MissingError(ms []*Missing) *diag.Diagnostic {
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.Name
	}
	first := ms[0].Declared
	d := diag.Newf(diag.Error, RuleMissing, first,
		"%d %s no value: %s; set %s in parameter_defaults of an environment file (hoist params missing prints a skeleton), or pass --allow-missing to compile with unknown values",
		len(ms), diag.Plural(len(ms), "parameter has", "parameters have"), strings.Join(names, ", "), diag.Plural(len(ms), "it", "them"))
	for _, m := range ms {
		d.Related = append(d.Related, diag.Related{Range: m.Declared, Message: fmt.Sprintf("%s (%s) is declared here without a default", m.Name, m.Type)})
	}
	return d
}

// WriteSkeleton writes a parameter_defaults environment that lists every
// missing parameter, each with a comment naming its type, where it is
// declared and its description, and no value: a null in
// parameter_defaults still counts as missing, so the skeleton passed with
// -e before it is filled in changes nothing.
func WriteSkeleton(w io.Writer, ms []*Missing) error {
	var b strings.Builder
	b.WriteString("# Parameters the deployment needs that have no value anywhere.\n")
	b.WriteString("# Give each a value of its type and pass this file with -e; see the\n")
	b.WriteString("# README on producing image parameters and passwords as TripleO did.\n")
	if len(ms) == 0 {
		b.WriteString("parameter_defaults: {}\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	b.WriteString("parameter_defaults:\n")
	for _, m := range ms {
		fmt.Fprintf(&b, "  # %s, declared at %s", m.Type, m.Declared.String())
		if m.Templates > 1 {
			fmt.Fprintf(&b, " (and %d more %s)", m.Templates-1, diag.Plural(m.Templates-1, "template", "templates"))
		}
		if m.Hidden {
			b.WriteString("; hidden (a secret)")
		}
		b.WriteString("\n")
		if d := oneLine(m.Description); d != "" {
			fmt.Fprintf(&b, "  # %s\n", d)
		}
		if m.Constraints != "" {
			fmt.Fprintf(&b, "  # %s\n", m.Constraints)
		}
		fmt.Fprintf(&b, "  %s:\n", m.Name)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// constraintText describes a parameter's constraints in one line.
func constraintText(p *hot.Param) string {
	var parts []string
	for _, c := range p.Constraints {
		switch c.Kind {
		case "allowed_values":
			vals := make([]string, len(c.Allowed))
			for i, v := range c.Allowed {
				vals[i] = value.Repr(v)
			}
			parts = append(parts, "one of "+strings.Join(vals, ", "))
		case "allowed_pattern":
			parts = append(parts, "matching "+c.Pattern)
		case "length", "range":
			what := "length"
			if c.Kind == "range" {
				what = "value"
			}
			switch {
			case c.Min != nil && c.Max != nil:
				parts = append(parts, fmt.Sprintf("%s %s to %s", what, value.Str(c.Min), value.Str(c.Max)))
			case c.Min != nil:
				parts = append(parts, fmt.Sprintf("%s at least %s", what, value.Str(c.Min)))
			case c.Max != nil:
				parts = append(parts, fmt.Sprintf("%s at most %s", what, value.Str(c.Max)))
			}
		case "custom_constraint":
			parts = append(parts, "a valid "+c.Custom+" (checked by a live cloud)")
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "constraints: " + strings.Join(parts, "; ")
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 160 {
		s = s[:157] + "..."
	}
	return s
}
