package lint

import "hoist/diag"

// invalidSuppression stands for the checks of suppression comments made by
// the runner: a directive that is malformed, names an unknown rule, gives
// no reason, or is an ignore-file below the file head.
type invalidSuppression struct{}

func (invalidSuppression) Meta() Meta {
	return Meta{ID: RuleInvalidSuppression, Severity: diag.Warning, Presets: recommended,
		Summary: "a hoist:ignore comment is malformed, names an unknown rule, gives no reason, or is misplaced"}
}

// unusedSuppression stands for the runner's report of suppression comments
// that matched no finding.
type unusedSuppression struct{}

func (unusedSuppression) Meta() Meta {
	return Meta{ID: RuleUnusedSuppression, Severity: diag.Warning, Presets: recommended,
		Summary: "a hoist:ignore comment suppresses nothing"}
}
