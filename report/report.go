// Package report renders lint results for people and machines: text with
// snippets (diag's canonical form), JSON, SARIF 2.1.0 for code scanning
// services, and GitHub Actions workflow commands (::error file=…::). One
// run can write several formats, each to standard output or to a file;
// files are written through a temporary file and a rename, so that a
// failure never leaves half a report.
package report

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"hoist/diag"
	"hoist/internal/atomicfile"
	"hoist/source"
)

// Formats lists the format names.
var Formats = []string{"text", "json", "sarif", "github"}

// Output is one requested format and where it goes ("" is standard
// output).
type Output struct {
	Format string
	Path   string
}

// ParseOutputs parses --format values: FORMAT or FORMAT=FILE. No value
// means text on standard output. At most one output may go to standard
// output.
func ParseOutputs(specs []string) ([]Output, error) {
	if len(specs) == 0 {
		return []Output{{Format: "text"}}, nil
	}
	var out []Output
	stdout := 0
	for _, s := range specs {
		f, path, _ := strings.Cut(s, "=")
		if !slices.Contains(Formats, f) {
			return nil, fmt.Errorf("unknown format %q: expected %s", f, diag.QuoteList(Formats))
		}
		if strings.Contains(s, "=") && path == "" {
			return nil, fmt.Errorf("--format %s: no file after \"=\"", s)
		}
		if path == "" || path == "-" {
			path = ""
			stdout++
		}
		out = append(out, Output{Format: f, Path: path})
	}
	if stdout > 1 {
		return nil, fmt.Errorf("%d formats write to standard output; give all but one a file (--format sarif=report.sarif)", stdout)
	}
	return out, nil
}

// Options are what the renderings need besides the diagnostics.
type Options struct {
	NoSnippet bool
	// Sources holds the contents of the files, for snippets.
	Sources *source.Cache
	// ToolVersion is hoist's version, for SARIF.
	ToolVersion string
}

// Write renders ds in one format.
func Write(w io.Writer, format string, ds []*diag.Diagnostic, o Options) error {
	switch format {
	case "text":
		return diag.WriteText(w, ds, diag.TextOptions{NoSnippet: o.NoSnippet, Sources: o.Sources})
	case "json":
		return diag.WriteJSON(w, ds)
	case "sarif":
		return WriteSARIF(w, ds, o)
	case "github":
		return WriteGitHub(w, ds)
	}
	return fmt.Errorf("unknown format %q", format)
}

// WriteAll writes every output: files first (each complete or not at
// all), then standard output.
func WriteAll(stdout io.Writer, outs []Output, ds []*diag.Diagnostic, o Options) error {
	for _, out := range outs {
		if out.Path == "" {
			continue
		}
		var b bytes.Buffer
		if err := Write(&b, out.Format, ds, o); err != nil {
			return err
		}
		if err := atomicfile.Write(out.Path, b.Bytes(), 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", out.Path, err)
		}
	}
	for _, out := range outs {
		if out.Path == "" {
			return Write(stdout, out.Format, ds, o)
		}
	}
	return nil
}

// WriteGitHub writes one GitHub Actions workflow command per finding:
// ::error file=F,line=L,col=C,endLine=..,endColumn=..,title=RULE::MESSAGE
// (warnings as ::warning, infos as ::notice), which the Actions runner
// turns into annotations on the pull request.
func WriteGitHub(w io.Writer, ds []*diag.Diagnostic) error {
	var b strings.Builder
	for _, d := range ds {
		cmd := "error"
		switch d.Severity {
		case diag.Warning:
			cmd = "warning"
		case diag.Info:
			cmd = "notice"
		}
		b.WriteString("::")
		b.WriteString(cmd)
		b.WriteString(" file=")
		b.WriteString(ghProperty(filepath.ToSlash(d.Range.File)))
		if !d.Range.Start.IsZero() {
			fmt.Fprintf(&b, ",line=%d,col=%d", d.Range.Start.Line, d.Range.Start.Col)
			if d.Range.End.Line >= d.Range.Start.Line && !d.Range.End.IsZero() {
				fmt.Fprintf(&b, ",endLine=%d,endColumn=%d", d.Range.End.Line, d.Range.End.Col)
			}
		}
		if d.Rule != "" {
			b.WriteString(",title=")
			b.WriteString(ghProperty(d.Rule))
		}
		b.WriteString("::")
		msg := d.Message
		if d.Rule != "" {
			msg += " [" + d.Rule + "]"
		}
		for _, r := range d.Related {
			msg += "\n" + r.Range.String() + ": note: " + r.Message
		}
		b.WriteString(ghData(msg))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ghData escapes a workflow command's message.
func ghData(s string) string {
	s = strings.ReplaceAll(s, "%", "%25")
	s = strings.ReplaceAll(s, "\r", "%0D")
	return strings.ReplaceAll(s, "\n", "%0A")
}

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string {
	s = ghData(s)
	s = strings.ReplaceAll(s, ":", "%3A")
	return strings.ReplaceAll(s, ",", "%2C")
}
