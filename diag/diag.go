// Package diag is hoist's one diagnostic type and its renderings.
//
// Every finding hoist reports (a YAML syntax error, a Heat evaluation error,
// a schema violation, a lint rule firing) is a Diagnostic: a severity, a rule
// id, a lower-case message, the range it points at, related ranges with
// labels, and the chain of nested templates that led there. Its canonical
// one-line form is
//
//	file:line:col: severity: message [rule-id]
package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"hoist/source"
)

// Severity of a diagnostic. Higher is more severe.
type Severity uint8

// The severities, least severe first.
const (
	Info Severity = iota + 1
	Warning
	Error
)

var severityNames = map[Severity]string{Info: "info", Warning: "warning", Error: "error"}

func (s Severity) String() string {
	if n, ok := severityNames[s]; ok {
		return n
	}
	return "unknown"
}

// SeverityNames lists the valid severity names, most severe first.
var SeverityNames = []string{"error", "warning", "info"}

// ParseSeverity turns "error", "warning" or "info" into a Severity.
func ParseSeverity(s string) (Severity, error) {
	for k, n := range severityNames {
		if n == s {
			return k, nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q: expected one of %s", s, QuoteList(SeverityNames))
}

// Related is a secondary range with what it shows.
type Related struct {
	Range   source.Range
	Message string
}

// Frame is one step of the chain of templates that led to a diagnostic: the
// place in the including template and what was instantiated there (a
// resource name).
type Frame struct {
	Range source.Range
	Label string
}

// Diagnostic is one finding.
type Diagnostic struct {
	Severity Severity
	// Rule is the id of the rule or check that produced it, e.g.
	// "yaml/duplicate-key".
	Rule    string
	Message string
	// Range is where the finding is.
	Range   source.Range
	Related []Related
	// Chain lists the nested-template instantiations that led to Range,
	// innermost first: Chain[0] is the resource in the parent template
	// that instantiated Range's file.
	Chain []Frame
	// Path is the path of the offending node within its YAML document
	// (e.g. outputs.role_data.value.service_name), when known. Baselines
	// key on it because it survives edits that move lines.
	Path string
}

// Error returns the canonical one-line form, so that a *Diagnostic can be
// returned as an error.
func (d *Diagnostic) Error() string { return d.Line() }

// Line returns file:line:col: severity: message [rule-id].
func (d *Diagnostic) Line() string {
	var b strings.Builder
	b.WriteString(d.Range.String())
	b.WriteString(": ")
	b.WriteString(d.Severity.String())
	b.WriteString(": ")
	b.WriteString(d.Message)
	if d.Rule != "" {
		b.WriteString(" [")
		b.WriteString(d.Rule)
		b.WriteString("]")
	}
	return b.String()
}

// ChainString renders the location with its template chain, e.g.
// "puppet/services/keystone.yaml:373:13 ← docker/services/keystone.yaml:61:5 (KeystoneBase)".
func (d *Diagnostic) ChainString() string {
	var b strings.Builder
	b.WriteString(d.Range.String())
	for _, f := range d.Chain {
		b.WriteString(" ← ")
		b.WriteString(f.Range.String())
		if f.Label != "" {
			b.WriteString(" (")
			b.WriteString(f.Label)
			b.WriteString(")")
		}
	}
	return b.String()
}

// Newf builds a diagnostic.
func Newf(sev Severity, rule string, r source.Range, format string, args ...any) *Diagnostic {
	return &Diagnostic{Severity: sev, Rule: rule, Range: r, Message: fmt.Sprintf(format, args...)}
}

// Compare orders diagnostics by file, line, column, severity (most severe
// first), rule and message.
func Compare(a, b *Diagnostic) int {
	if c := source.Compare(a.Range, b.Range); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Severity, a.Severity); c != 0 {
		return c
	}
	if c := strings.Compare(a.Rule, b.Rule); c != 0 {
		return c
	}
	if c := strings.Compare(a.Message, b.Message); c != 0 {
		return c
	}
	if c := cmp.Compare(len(a.Related), len(b.Related)); c != 0 {
		return c
	}
	for i := range a.Related {
		if c := source.Compare(a.Related[i].Range, b.Related[i].Range); c != 0 {
			return c
		}
		if c := strings.Compare(a.Related[i].Message, b.Related[i].Message); c != 0 {
			return c
		}
	}
	if c := cmp.Compare(len(a.Chain), len(b.Chain)); c != 0 {
		return c
	}
	for i := range a.Chain {
		if c := source.Compare(a.Chain[i].Range, b.Chain[i].Range); c != 0 {
			return c
		}
		if c := strings.Compare(a.Chain[i].Label, b.Chain[i].Label); c != 0 {
			return c
		}
	}
	return strings.Compare(a.Path, b.Path)
}

// Sort sorts diagnostics and removes exact duplicates, so that output is
// the same for the same input however the work was scheduled.
func Sort(ds []*Diagnostic) []*Diagnostic {
	slices.SortFunc(ds, Compare)
	return slices.CompactFunc(ds, func(a, b *Diagnostic) bool { return Compare(a, b) == 0 })
}

// List is several diagnostics returned as one error.
type List []*Diagnostic

// Error returns the canonical line of each diagnostic, one per line.
func (l List) Error() string {
	lines := make([]string, len(l))
	for i, d := range l {
		lines[i] = d.Line()
	}
	return strings.Join(lines, "\n")
}

// Err returns ds sorted as one error: nil for none, the diagnostic itself
// for one, a List for more.
func Err(ds []*Diagnostic) error {
	ds = Sort(ds)
	switch len(ds) {
	case 0:
		return nil
	case 1:
		return ds[0]
	}
	return List(ds)
}

// Count returns how many diagnostics are at or above each severity.
func Count(ds []*Diagnostic) (errors, warnings, infos int) {
	for _, d := range ds {
		switch d.Severity {
		case Error:
			errors++
		case Warning:
			warnings++
		case Info:
			infos++
		}
	}
	return
}

// Max returns the highest severity among ds, 0 when empty.
func Max(ds []*Diagnostic) Severity {
	var m Severity
	for _, d := range ds {
		m = max(m, d.Severity)
	}
	return m
}

// QuoteList renders a list of alternatives as "a", "b" or "c".
func QuoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	switch len(q) {
	case 0:
		return "nothing"
	case 1:
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// Plural returns one when n is 1, else many, for messages that count:
// "1 error", "2 errors".
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Counted renders n with a noun that takes an s in the plural: "1
// container", "3 containers".
func Counted(n int, noun string) string {
	return strconv.Itoa(n) + " " + Plural(n, noun, noun+"s")
}
