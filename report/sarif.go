package report

import (
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"hoist/diag"
	"hoist/lint"
	"hoist/source"
)

// WriteSARIF writes a SARIF 2.1.0 log with one run: tool.driver.rules
// lists every rule that fired (with its summary, default level and
// helpUri), results always present (empty when clean), related ranges as
// relatedLocations and the nested-template chain as a stack. It uses
// owenrumney/go-sarif's SARIF 2.1.0 object model.
func WriteSARIF(w io.Writer, ds []*diag.Diagnostic, o Options) error {
	rep := sarif.NewReport()
	run := sarif.NewRunWithInformationURI("hoist", strings.TrimSuffix(lint.DocsBaseURL, "docs/rules/"))
	if o.ToolVersion != "" {
		run.Tool.Driver.WithVersion(o.ToolVersion)
	}
	run.Results = []*sarif.Result{}
	for _, d := range ds {
		idx := run.GetRuleIndex(d.Rule)
		if idx < 0 && d.Rule != "" {
			rule := run.AddRule(d.Rule)
			if r, ok := lint.FindRule(d.Rule); ok {
				m := r.Meta()
				rule.WithShortDescription(sarif.NewMultiformatMessageString().WithText(m.Summary)).
					WithHelpURI(m.HelpURI()).
					WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(level(m.Severity)))
			} else {
				// A loader or compiler check without a rule of its own.
				rule.WithHelpURI(lint.DocsBaseURL + "README.md")
			}
			idx = run.GetRuleIndex(d.Rule)
		}
		res := sarif.NewResult().
			WithLevel(level(d.Severity)).
			WithMessage(sarif.NewTextMessage(d.Message)).
			WithLocations([]*sarif.Location{location(d.Range, "")})
		if d.Rule != "" {
			res.WithRuleID(d.Rule).WithRuleIndex(idx)
		}
		for i, r := range d.Related {
			loc := location(r.Range, r.Message)
			loc.WithID(i)
			res.AddRelatedLocation(loc)
		}
		if len(d.Chain) > 0 {
			st := sarif.NewStack().WithMessage(sarif.NewTextMessage("the nested templates that led here"))
			st.WithFrames([]*sarif.StackFrame{sarif.NewStackFrame().WithLocation(location(d.Range, ""))})
			for _, f := range d.Chain {
				st.Frames = append(st.Frames, sarif.NewStackFrame().WithLocation(location(f.Range, f.Label)))
			}
			res.WithStacks([]*sarif.Stack{st})
		}
		if d.Path != "" {
			res.WithPartialFingerprints(map[string]string{"yamlPath/v1": d.Rule + ":" + filepath.ToSlash(d.Range.File) + ":" + d.Path})
		}
		run.Results = append(run.Results, res)
	}
	rep.AddRun(run)
	return rep.PrettyWrite(w)
}

func level(s diag.Severity) string {
	switch s {
	case diag.Error:
		return "error"
	case diag.Warning:
		return "warning"
	}
	return "note"
}

// location converts a range; lines and columns are 1-based in both.
func location(r source.Range, msg string) *sarif.Location {
	pl := sarif.NewPhysicalLocation().WithArtifactLocation(sarif.NewSimpleArtifactLocation(fileURI(r.File)))
	if !r.Start.IsZero() {
		reg := sarif.NewRegion().WithStartLine(int(r.Start.Line))
		if r.Start.Col > 0 {
			reg.WithStartColumn(int(r.Start.Col))
		}
		if !r.End.IsZero() && (r.End.Line > r.Start.Line || r.End.Line == r.Start.Line && r.End.Col > r.Start.Col) {
			reg.WithEndLine(int(r.End.Line))
			if r.End.Col > 0 {
				reg.WithEndColumn(int(r.End.Col))
			}
		}
		pl.WithRegion(reg)
	}
	loc := sarif.NewLocationWithPhysicalLocation(pl)
	if msg != "" {
		loc.WithMessage(sarif.NewTextMessage(msg))
	}
	return loc
}

// fileURI renders a file name as a URI reference: relative names stay
// relative (with slashes, escaped), absolute ones become file: URIs.
func fileURI(name string) string {
	if name == "" {
		return "unknown"
	}
	p := filepath.ToSlash(name)
	u := url.URL{Path: p}
	if filepath.IsAbs(name) {
		u.Scheme = "file"
	}
	return u.String()
}
