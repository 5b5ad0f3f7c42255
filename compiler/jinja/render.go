package jinja

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/parser"

	"hoist/diag"
	"hoist/source"
)

// render renders one job. A panic inside the engine becomes a diagnostic.
func (r *Renderer) render(j *Job) (f *File, d *diag.Diagnostic) {
	defer func() {
		if p := recover(); p != nil {
			f = nil
			d = diag.Newf(diag.Error, RuleInternal, source.Range{File: r.file(j.Template), Start: source.Pos{Line: 1, Col: 1}},
				"the template engine failed on this template (%s): %v", describe(*j), p)
		}
	}()
	src, err := fs.ReadFile(r.root, j.Template)
	if err != nil {
		return nil, diag.Newf(diag.Error, RuleInternal, source.Range{File: r.file(j.Template)}, "cannot read the template: %v", err)
	}
	out, m, l, parsing, undefined, err := execute(r.root, j.Template, r.data(j))
	if err != nil {
		return nil, r.diagnose(j, src, err, l, parsing)
	}
	return &File{Job: *j, Data: out, Map: m, Undefined: r.undefinedDiagnostics(undefined, l.source)}, nil
}

// execute parses the template at name in fsys (its includes looked up in
// its folder, then at the root) and renders it with vars. parsing tells
// whether an error came from parsing.
func execute(fsys fs.FS, name string, vars map[string]any) (out []byte, m *SourceMap, l *loader, parsing bool, undefined []undefinedUse, err error) {
	l = newLoader(fsys, path.Dir(name))
	tpl, err := exec.NewTemplate(name, engineConfig(), l, environment())
	if err != nil {
		return nil, nil, l, true, nil, err
	}
	rec := newRecorder(l.source)
	rec.mark(name, tpl.Root())
	if err := tpl.Execute(rec, exec.NewContext(vars)); err != nil {
		return nil, nil, l, false, nil, err
	}
	return rec.buf.Bytes(), rec.sourceMap(), l, false, rec.undefined, nil
}

var (
	// gonja names statements with their position: "IfControlStructure(Line=3 Col=10)",
	// "IncludeControlStructure(Filename='x.j2' Line=1 Col=27)".
	statementPos = regexp.MustCompile(`(\w+)ControlStructure\((?:Filename='([^']*)' )?Line=(\d+) Col=(\d+)\)`)
	// and syntax errors with "(Line: 3 Col: 10, near ...)".
	syntaxPos = regexp.MustCompile(`\(Line: (\d+) Col: (\d+)`)
)

// diagnose turns an engine error into a diagnostic at the template's line
// and column.
func (r *Renderer) diagnose(j *Job, src []byte, err error, l *loader, parsing bool) *diag.Diagnostic {
	file := r.file(j.Template)
	at := func(line, col int) source.Range {
		if line < 1 {
			line, col = 1, 1
		}
		if col < 1 {
			col = 1
		}
		return source.Range{File: file, Start: source.Pos{Line: int32(line), Col: int32(col)}, End: source.Pos{Line: int32(line), Col: int32(col) + 1}}
	}
	what := describe(*j)

	l.mu.Lock()
	missing := slices1(l.missing)
	l.mu.Unlock()
	if len(missing) > 0 {
		name := missing[0]
		line, col := findInclude(src, name)
		nested := line == 0
		if nested {
			line, col = outerPos(err.Error())
			if c := statementCol(src, line); c > 0 {
				col = c
			}
		}
		d := diag.Newf(diag.Error, RuleMissingInclude, at(line, col),
			"template %q not found: %s looks it up in %s", name, what, strings.Join(quoteAll(l.search), " and "))
		if nested {
			d.Message += " (from a template that this one includes)"
		}
		return d
	}

	var se *parser.SyntaxError
	if errors.As(err, &se) && se.Line > 0 {
		return diag.Newf(diag.Error, RuleSyntax, at(se.Line, se.Column), "%s", cleanMessage(se.Message))
	}
	msg := innermost(err)
	if parsing {
		line, col := 0, 0
		if m := syntaxPos.FindStringSubmatch(err.Error()); m != nil {
			line, col = atoi(m[1]), atoi(m[2])
		}
		return diag.Newf(diag.Error, RuleSyntax, at(line, col), "%s", cleanMessage(msg))
	}
	line, col, included := errorPos(err.Error())
	d := diag.Newf(diag.Error, RuleRender, at(line, col), "rendering %s: %s", what, cleanMessage(msg))
	if included != "" {
		d.Message += fmt.Sprintf(" (in the included template %q)", included)
	}
	return d
}

func slices1(s []string) []string { return append([]string(nil), s...) }

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return out
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// outerPos returns the position of the outermost statement an execution
// error names: the statement of the rendered template that led to it.
func outerPos(msg string) (line, col int) {
	if m := statementPos.FindStringSubmatch(msg); m != nil {
		return atoi(m[3]), atoi(m[4])
	}
	return 0, 0
}

// errorPos returns the position of the innermost statement of the rendered
// template that an execution error names; when the error happened inside
// an included template, the position of the include, and that template's
// name.
func errorPos(msg string) (line, col int, included string) {
	for _, m := range statementPos.FindAllStringSubmatch(msg, -1) {
		line, col = atoi(m[3]), atoi(m[4])
		if m[1] == "Include" {
			return line, col, m[2]
		}
	}
	return line, col, ""
}

// innermost returns the message of the innermost error of a chain.
func innermost(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}

// cleanMessage makes an engine message fit hoist's style: lower-case
// start, no final period, no positions (the diagnostic has them), and long
// values shortened.
func cleanMessage(msg string) string {
	msg = strings.TrimSpace(msg)
	if i := strings.Index(msg, " (Line: "); i > 0 {
		msg = msg[:i]
	}
	msg = strings.TrimSuffix(msg, ".")
	if r, size := utf8.DecodeRuneInString(msg); r != utf8.RuneError && unicode.IsUpper(r) {
		// Keep acronyms and names ("URL", "If-condition" becomes "if-condition").
		if next, _ := utf8.DecodeRuneInString(msg[size:]); !unicode.IsUpper(next) {
			msg = string(unicode.ToLower(r)) + msg[size:]
		}
	}
	msg = strings.Join(strings.Fields(msg), " ")
	const maxLen = 300
	if len(msg) > maxLen {
		cut := maxLen
		for cut > 0 && !utf8.RuneStart(msg[cut]) {
			cut--
		}
		msg = msg[:cut] + "…"
	}
	return msg
}

// findInclude returns the position of the quoted name in an include,
// import, from or extends statement of src, or 0, 0.
func findInclude(src []byte, name string) (line, col int) {
	for _, q := range []string{"'" + name + "'", `"` + name + `"`} {
		off := 0
		for {
			i := bytes.Index(src[off:], []byte(q))
			if i < 0 {
				break
			}
			i += off
			start := bytes.LastIndex(src[:i], []byte("{%"))
			if start >= 0 && bytes.LastIndex(src[:i], []byte("%}")) < start {
				tag := strings.Fields(strings.TrimLeft(string(src[start+2:i]), "-+ \t\n"))
				if len(tag) > 0 && (tag[0] == "include" || tag[0] == "import" || tag[0] == "from" || tag[0] == "extends") {
					return lineCol(src, start)
				}
			}
			off = i + len(q)
		}
	}
	return 0, 0
}

// statementCol returns the column of the first include, import, from or
// extends statement on line n of src, or 0.
func statementCol(src []byte, n int) int {
	text, ok := source.LineOf(src, n)
	if !ok {
		return 0
	}
	for off := 0; ; {
		i := bytes.Index(text[off:], []byte("{%"))
		if i < 0 {
			return 0
		}
		i += off
		tag := strings.Fields(strings.TrimLeft(string(text[i+2:]), "-+ \t"))
		if len(tag) > 0 && (tag[0] == "include" || tag[0] == "import" || tag[0] == "from" || tag[0] == "extends") {
			return 1 + utf8.RuneCount(text[:i])
		}
		off = i + 2
	}
}

// lineCol returns the 1-based line and column (in characters) of byte
// offset off.
func lineCol(src []byte, off int) (line, col int) {
	line = 1 + bytes.Count(src[:off], []byte("\n"))
	lineStart := bytes.LastIndexByte(src[:off], '\n') + 1
	return line, 1 + utf8.RuneCount(src[lineStart:off])
}
