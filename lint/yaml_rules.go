package lint

import (
	"fmt"

	"hoist/diag"
	"hoist/pyyaml"
)

// yamlSyntax stands for the loader's errors: a file that is not YAML, or
// that Heat's loader would refuse. The runner reports them; they cannot be
// disabled, since nothing else can be checked in such a file.
type yamlSyntax struct{}

func (yamlSyntax) Meta() Meta {
	return Meta{ID: pyyaml.RuleSyntax, Severity: diag.Error, Presets: recommended,
		Summary: "the file is not valid YAML, or holds something Heat's YAML loader refuses"}
}

// yamlLimit stands for the loader's refusal of hostile input.
type yamlLimit struct{}

func (yamlLimit) Meta() Meta {
	return Meta{ID: pyyaml.RuleLimit, Severity: diag.Error, Presets: recommended,
		Summary: "the file exceeds a safety limit: size, nesting depth or alias expansion"}
}

// yamlDuplicateKey reports a key written twice in one mapping. PyYAML, and
// so Heat, silently keeps the last value; yaml.v3 and most tools refuse the
// file. Either way the first value is dead text that readers take for real.
type yamlDuplicateKey struct{}

func (yamlDuplicateKey) Meta() Meta {
	return Meta{ID: pyyaml.RuleDuplicateKey, Severity: diag.Warning, Presets: recommended,
		Summary: "a mapping key is defined twice; Heat keeps the last value and silently drops the first"}
}

func (yamlDuplicateKey) CheckFile(f *File, r *Reporter) {
	for _, d := range f.Doc.Duplicates {
		r.Report(d.Second, d.Path.Key(d.Key),
			fmt.Sprintf("key %q is duplicated in this mapping; Heat keeps this value and drops the one at line %d, col %d", d.Key, d.First.Start.Line, d.First.Start.Col),
			diag.Related{Range: d.First, Message: fmt.Sprintf("first definition of %q, whose value is discarded", d.Key)})
	}
}

// yamlUnusedAnchor reports an anchor no alias uses (tht.md §3.4: 7 in
// queens docker/services). Dead anchors mislead readers into looking for
// the aliases that depend on them, and an anchor on a mapping that is
// later edited in one place only is a common source of drift.
type yamlUnusedAnchor struct{}

func (yamlUnusedAnchor) Meta() Meta {
	return Meta{ID: "yaml/unused-anchor", Severity: diag.Info, Presets: recommended,
		Summary: "a YAML anchor is defined but no alias uses it"}
}

func (yamlUnusedAnchor) CheckFile(f *File, r *Reporter) {
	for _, a := range f.Doc.Anchors {
		if len(a.Uses) == 0 {
			r.Report(a.Range, nil, fmt.Sprintf("anchor &%s is defined but never used by an alias (*%s); remove it", a.Name, a.Name))
		}
	}
}
