package diag

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"hoist/source"
)

// TextOptions controls the text rendering.
type TextOptions struct {
	// NoSnippet omits the quoted source line and caret.
	NoSnippet bool
	// Sources provides file contents for snippets; nil means no snippets.
	Sources *source.Cache
}

// WriteText writes each diagnostic in the canonical one-line form, followed
// (unless disabled) by the source line with a caret under the column, then
// its related ranges and its template chain.
func WriteText(w io.Writer, ds []*Diagnostic, o TextOptions) error {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.Line())
		b.WriteByte('\n')
		if !o.NoSnippet && o.Sources != nil {
			writeSnippet(&b, o.Sources, d.Range)
		}
		for _, r := range d.Related {
			fmt.Fprintf(&b, "  %s: note: %s\n", r.Range, r.Message)
		}
		if len(d.Chain) > 0 {
			fmt.Fprintf(&b, "  in %s\n", d.ChainString())
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Snippet returns the source line of r with a caret line under it, as
// WriteText prints it, or "" when the line is not available.
func Snippet(src *source.Cache, r source.Range) string {
	var b strings.Builder
	writeSnippet(&b, src, r)
	return b.String()
}

func writeSnippet(b *strings.Builder, src *source.Cache, r source.Range) {
	if r.Start.IsZero() || r.File == "" {
		return
	}
	line, ok := src.Line(r.File, int(r.Start.Line))
	if !ok || !utf8.Valid(line) {
		return
	}
	text := strings.TrimRight(string(line), " \t")
	num := fmt.Sprint(r.Start.Line)
	pad := strings.Repeat(" ", len(num))
	fmt.Fprintf(b, "  %s | %s\n", num, text)
	// Build the caret prefix from the line itself so that tabs line up.
	var prefix strings.Builder
	col := 1
	for _, c := range text {
		if col >= int(r.Start.Col) {
			break
		}
		if c == '\t' {
			prefix.WriteByte('\t')
		} else {
			prefix.WriteByte(' ')
		}
		col++
	}
	width := 1
	if r.End.Line == r.Start.Line && r.End.Col > r.Start.Col {
		width = int(r.End.Col - r.Start.Col)
		if rest := utf8.RuneCountInString(text) - int(r.Start.Col) + 1; width > rest && rest > 0 {
			width = rest
		}
	}
	fmt.Fprintf(b, "  %s | %s^%s\n", pad, prefix.String(), strings.Repeat("~", width-1))
}

type jsonPos struct {
	File      string `json:"file"`
	Line      int32  `json:"line"`
	Column    int32  `json:"column"`
	EndLine   int32  `json:"end_line,omitempty"`
	EndColumn int32  `json:"end_column,omitempty"`
}

func toJSONPos(r source.Range) jsonPos {
	return jsonPos{File: r.File, Line: r.Start.Line, Column: r.Start.Col, EndLine: r.End.Line, EndColumn: r.End.Col}
}

type jsonRelated struct {
	jsonPos
	Message string `json:"message"`
}

type jsonFrame struct {
	jsonPos
	Label string `json:"label,omitempty"`
}

// JSONDiagnostic is the JSON form of a diagnostic.
type JSONDiagnostic struct {
	Severity string `json:"severity"`
	Rule     string `json:"rule"`
	Message  string `json:"message"`
	jsonPos
	Path    string        `json:"path,omitempty"`
	Related []jsonRelated `json:"related,omitempty"`
	Chain   []jsonFrame   `json:"chain,omitempty"`
}

// ToJSON converts d to its JSON form.
func ToJSON(d *Diagnostic) JSONDiagnostic {
	j := JSONDiagnostic{Severity: d.Severity.String(), Rule: d.Rule, Message: d.Message, jsonPos: toJSONPos(d.Range), Path: d.Path}
	for _, r := range d.Related {
		j.Related = append(j.Related, jsonRelated{toJSONPos(r.Range), r.Message})
	}
	for _, f := range d.Chain {
		j.Chain = append(j.Chain, jsonFrame{toJSONPos(f.Range), f.Label})
	}
	return j
}

// WriteJSON writes {"diagnostics": [...]} with one object per diagnostic,
// then a newline.
func WriteJSON(w io.Writer, ds []*Diagnostic) error {
	out := struct {
		Diagnostics []JSONDiagnostic `json:"diagnostics"`
	}{Diagnostics: make([]JSONDiagnostic, 0, len(ds))}
	for _, d := range ds {
		out.Diagnostics = append(out.Diagnostics, ToJSON(d))
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
