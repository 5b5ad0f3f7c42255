package pyyaml

import (
	"errors"
	"regexp"
	"strconv"
	"strings"

	yamlv4 "go.yaml.in/yaml/v4"

	"hoist/diag"
	"hoist/source"
)

// syntaxError turns a yaml.v3 parse error into a diagnostic at the right
// line and column. yaml.v3 reports only a line, and often the line where
// the enclosing construct started rather than the one at fault, so the
// input is parsed again with go.yaml.in/yaml/v4 (the same libyaml port,
// maintained under the YAML organisation), whose errors carry both the
// problem mark and the context mark, as PyYAML's do.
func syntaxError(file string, src []byte, v3err error) *diag.Diagnostic {
	d := &diag.Diagnostic{Severity: diag.Error, Rule: RuleSyntax, Range: source.Range{File: file}}
	msg := strings.TrimPrefix(v3err.Error(), "yaml: ")
	if m := v3Line.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		d.Range.Start = source.Pos{Line: int32(n), Col: 1}
		msg = msg[len(m[0]):]
	}
	d.Message = msg
	if strings.Contains(msg, "exceeded max depth") {
		d.Rule = RuleLimit
		d.Message = "nesting is deeper than the YAML parser's limit of 10000 levels"
	}
	le := v4Error(src)
	if le == nil {
		if d.Range.Start.IsZero() {
			d.Range.Start = source.Pos{Line: 1, Col: 1}
		}
		return d
	}
	if le.Mark.Line > 0 {
		d.Range.Start = source.Pos{Line: int32(le.Mark.Line), Col: int32(max(le.Mark.Column, 1))}
	}
	if d.Rule == RuleSyntax && le.Message != "" {
		d.Message = le.Message
	}
	if le.ContextMsg != "" && le.ContextMark.Line > 0 && le.ContextMark != le.Mark {
		d.Related = append(d.Related, diag.Related{
			Range:   source.Range{File: file, Start: source.Pos{Line: int32(le.ContextMark.Line), Col: int32(max(le.ContextMark.Column, 1))}},
			Message: le.ContextMsg,
		})
	}
	return d
}

var v3Line = regexp.MustCompile(`^line (\d+): `)

func v4Error(src []byte) (le *yamlv4.LoadError) {
	defer func() {
		if recover() != nil {
			le = nil
		}
	}()
	var n yamlv4.Node
	err := yamlv4.Unmarshal(src, &n)
	if errors.As(err, &le) {
		return le
	}
	return nil
}
