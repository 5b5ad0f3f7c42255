// Package lint checks templates and reports diagnostics by rule.
//
// A rule has stable metadata (Meta: a namespaced kebab-case id that is
// never reused, a default severity, the presets it belongs to, a one-line
// summary) and implements one or more checker interfaces for the data it
// looks at:
//
//   - FileChecker: one loaded YAML file;
//   - ServiceChecker: the role_data of one service template;
//   - TreeChecker: facts collected from every file of the run, checked
//     together (a parameter defined differently in two files).
//
// A rule with options implements Configurable; hoist.hcl's rule block
// decodes into its options. Rules are listed explicitly in registry.go;
// every rule has a doc page docs/rules/<id>.md and golden tests under
// testdata/rules/<id>/.
//
// A run (Run, CheckSource) goes load → rules → suppressions → baseline →
// processors; the report package renders the result.
package lint

import (
	"encoding/json"
	"fmt"
	"strings"

	gojson "github.com/goccy/go-json"

	"hoist/compiler/jinja"
	"hoist/diag"
	"hoist/pyyaml"
	"hoist/release"
	"hoist/source"
	"hoist/value"
)

// Preset names.
const (
	PresetRecommended = "recommended"
	PresetStrict      = "strict"
	PresetAll         = "all"
)

// Presets lists the presets, most lenient first.
var Presets = []string{PresetRecommended, PresetStrict, PresetAll}

// DocsBaseURL is where the rule pages are published; a rule's HelpURI is
// DocsBaseURL + id + ".md". It mirrors docs/rules/ of the repository. The
// Makefile sets it at build time from the checkout's origin remote
// (-ldflags "-X hoist/lint.DocsBaseURL=..."); the default names the
// project's intended home.
var DocsBaseURL = "https://github.com/hoist-tools/hoist/blob/main/docs/rules/"

// Meta describes a rule.
type Meta struct {
	// ID is the rule's stable id, e.g. "yaml/duplicate-key".
	ID string
	// Severity is the default severity of its findings: the most severe
	// one it reports.
	Severity diag.Severity
	// Lower, when set, is the lowest severity the rule reports: the rule
	// gives each finding the severity its consequence deserves, between
	// Lower and Severity (docs/rules/README.md, "Severities"). A severity
	// configured for the rule applies to all its findings.
	Lower diag.Severity
	// Presets lists the presets that enable it ("all" holds every rule
	// and is implied).
	Presets []string
	// Summary says in one line what the rule finds.
	Summary string
}

// SeverityText renders the rule's severities: "error", or "error or
// warning" for a rule whose findings take a severity each.
func (m Meta) SeverityText() string {
	if m.Lower == 0 || m.Lower == m.Severity {
		return m.Severity.String()
	}
	var names []string
	for s := m.Severity; s >= m.Lower && s > 0; s-- {
		names = append(names, s.String())
	}
	if len(names) == 2 {
		return names[0] + " or " + names[1]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// HelpURI returns the address of the rule's documentation page.
func (m Meta) HelpURI() string { return DocsBaseURL + m.ID + ".md" }

// DocPath returns the rule's doc page, relative to the repository root.
func (m Meta) DocPath() string { return "docs/rules/" + m.ID + ".md" }

// Rule is anything with metadata; what it checks comes from the checker
// interfaces it implements.
type Rule interface {
	Meta() Meta
}

// Configurable is a rule with options. Options returns a pointer to the
// rule's option struct, tagged for gohcl (`hcl:"name,optional"`), which a
// rule block of hoist.hcl decodes into. Rules() returns fresh rules, so
// options set on one run do not leak into another.
type Configurable interface {
	Rule
	Options() any
}

// File is one loaded YAML file as rules see it.
type File struct {
	// Path is the file's name as given (relative paths stay relative).
	Path string
	Src  []byte
	Doc  *pyyaml.Document

	// Release is the TripleO release the file is read as (release.go);
	// Root is the absolute root of the tripleo-heat-templates tree that
	// holds it, "" outside any tree.
	Release *release.Release
	Root    string
	// treePath is the file's slash path relative to Root.
	treePath string

	refs *refs // the template's references, computed once
	// evaluated is the service's evaluated role_data (with --evaluate,
	// when the evaluation succeeded), which the schema rules validate too.
	evaluated *Service
	// rendered is, for the output of a Jinja2 template, the map back to
	// the template (jinja.go); nil for a file on disk.
	rendered *jinja.SourceMap
}

// origin returns the template line ("network/network.j2:8") that wrote
// the place at line and col of a Jinja2 template's output, "" for a file
// on disk.
func (f *File) origin(line, col int32) string {
	if f.rendered == nil {
		return ""
	}
	p, ok := f.rendered.Position(line, max(col, 1))
	if !ok {
		return ""
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// FileChecker is a rule that looks at one file at a time.
type FileChecker interface {
	Rule
	CheckFile(f *File, r *Reporter)
}

// TreeChecker is a rule that needs several files at once. Collect runs on
// each file and returns what the rule needs of it (nil for nothing); the
// result is stored as JSON, so that cached files need not be loaded again.
// CheckTree then runs once on the facts of every file of the run, in file
// order.
type TreeChecker interface {
	Rule
	Collect(f *File) any
	CheckTree(facts []Facts, r *Reporter)
}

// Facts is what a TreeChecker collected from one file.
type Facts struct {
	File string
	Data json.RawMessage
}

// DecodeFacts decodes every file's facts into T, skipping files without.
func DecodeFacts[T any](facts []Facts) []T {
	out := make([]T, 0, len(facts))
	for _, f := range facts {
		var t T
		if err := f.Decode(&t); err == nil {
			out = append(out, t)
		}
	}
	return out
}

// Decode decodes the facts into v. Facts are JSON that hoist wrote
// itself (Collect's result), decoded for every file of the tree on every
// run that checks one: github.com/goccy/go-json decodes them in about
// half the time of encoding/json, which was the largest part of a warm
// run with one file changed (docs/perf.md, "The gate").
func (f Facts) Decode(v any) error { return gojson.Unmarshal(f.Data, v) }

// Reporter collects the findings of one rule.
type Reporter struct {
	rule Meta
	// configured is set when the configuration chose the rule's
	// severity: it then applies to every finding.
	configured bool
	diags      []*diag.Diagnostic
}

// Report adds a finding of the rule at rng, with the rule's severity.
// path may be nil.
func (r *Reporter) Report(rng source.Range, path value.Path, msg string, related ...diag.Related) {
	r.ReportAs(r.rule.Severity, rng, path, msg, related...)
}

// ReportAs adds a finding with its own severity, for rules whose findings
// differ in consequence (Meta.Lower); a configured severity wins.
func (r *Reporter) ReportAs(sev diag.Severity, rng source.Range, path value.Path, msg string, related ...diag.Related) {
	if r.configured || sev == 0 {
		sev = r.rule.Severity
	}
	d := &diag.Diagnostic{Severity: sev, Rule: r.rule.ID, Message: msg, Range: rng, Related: related}
	if path != nil {
		d.Path = path.String()
	}
	r.diags = append(r.diags, d)
}

// ReportAt adds a finding at a value, with its YAML alias sites as related
// ranges so that a reader sees where an aliased value came in.
func (r *Reporter) ReportAt(v *value.Value, path value.Path, msg string, related ...diag.Related) {
	r.Report(v.Range, path, msg, append(related, viaSites(v)...)...)
}

// viaSites returns the YAML alias sites v was copied through, as related
// ranges.
func viaSites(v *value.Value) []diag.Related {
	var out []diag.Related
	for _, s := range v.Via.Sites() {
		out = append(out, diag.Related{Range: s, Message: "the value reaches here through this alias"})
	}
	return out
}

// Diagnostics returns what was reported.
func (r *Reporter) Diagnostics() []*diag.Diagnostic { return r.diags }

// NewReporter returns a reporter for rule.
func NewReporter(rule Meta) *Reporter { return &Reporter{rule: rule} }
