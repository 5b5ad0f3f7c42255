package lint

import (
	"hoist/compiler/jinja"
	"hoist/diag"
)

// The rules of Jinja2 templates (jinja.go). A template that does not
// render cannot be checked any further, so, like yaml/syntax, the first
// three cannot be turned off; jinja/undefined is a rule like any other.

type jinjaSyntax struct{}

func (jinjaSyntax) Meta() Meta {
	return Meta{ID: jinja.RuleSyntax, Severity: diag.Error, Presets: recommended,
		Summary: "a Jinja2 template (*.j2.yaml) does not parse: an unclosed tag, a statement Jinja2 does not know, a malformed expression"}
}

type jinjaRender struct{}

func (jinjaRender) Meta() Meta {
	return Meta{ID: jinja.RuleRender, Severity: diag.Error, Presets: recommended,
		Summary: "a Jinja2 template fails while rendering for a role or network: a filter or method that fails, an attribute of an undefined value"}
}

type jinjaMissingInclude struct{}

func (jinjaMissingInclude) Meta() Meta {
	return Meta{ID: jinja.RuleMissingInclude, Severity: diag.Error, Presets: recommended,
		Summary: "a Jinja2 template includes a file that is neither beside it nor at the root of the tree"}
}

type jinjaUndefined struct{}

func (jinjaUndefined) Meta() Meta {
	return Meta{ID: jinja.RuleUndefined, Severity: diag.Error, Presets: recommended,
		Summary: "a Jinja2 template prints an undefined variable or attribute, which Jinja2 renders silently as an empty string"}
}
