// Package lint checks templates and reports diagnostics by rule.
//
// A rule has stable metadata (Meta: a namespaced kebab-case id that is
// never reused, a default severity, the presets it belongs to, a one-line
// summary) and implements one or more checker interfaces for the data it
// looks at: FileChecker for one loaded YAML file. Rules are listed
// explicitly in registry.go; every rule has a doc page
// docs/rules/<id>.md and golden tests under testdata/rules/<id>/.
package lint

import (
	"hoist/compiler/pyyaml"
	"hoist/diag"
	"hoist/source"
	"hoist/value"
)

// Preset names.
const (
	PresetRecommended = "recommended"
	PresetStrict      = "strict"
	PresetAll         = "all"
)

// Meta describes a rule.
type Meta struct {
	// ID is the rule's stable id, e.g. "yaml/duplicate-key".
	ID string
	// Severity is the default severity of its findings.
	Severity diag.Severity
	// Presets lists the presets that enable it ("all" holds every rule
	// and is implied).
	Presets []string
	// Summary says in one line what the rule finds.
	Summary string
}

// Rule is anything with metadata; what it checks comes from the checker
// interfaces it implements.
type Rule interface {
	Meta() Meta
}

// File is one loaded YAML file as rules see it.
type File struct {
	// Path is the file's name as given (relative paths stay relative).
	Path string
	Src  []byte
	Doc  *pyyaml.Document
}

// FileChecker is a rule that looks at one file at a time.
type FileChecker interface {
	Rule
	CheckFile(f *File, r *Reporter)
}

// Reporter collects the findings of one rule.
type Reporter struct {
	rule  Meta
	diags []*diag.Diagnostic
}

// Report adds a finding of the rule at rng. path may be nil.
func (r *Reporter) Report(rng source.Range, path value.Path, msg string, related ...diag.Related) {
	d := &diag.Diagnostic{Severity: r.rule.Severity, Rule: r.rule.ID, Message: msg, Range: rng, Related: related}
	if path != nil {
		d.Path = path.String()
	}
	r.diags = append(r.diags, d)
}

// Diagnostics returns what was reported.
func (r *Reporter) Diagnostics() []*diag.Diagnostic { return r.diags }

// NewReporter returns a reporter for rule.
func NewReporter(rule Meta) *Reporter { return &Reporter{rule: rule} }
