package lint

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"hoist/compiler/jsonnet"
	"hoist/diag"
	"hoist/pyyaml"
	"hoist/source"
	"hoist/value"
)

// Rule ids of the suppression checks.
const (
	RuleInvalidSuppression = "lint/invalid-suppression"
	RuleUnusedSuppression  = "lint/unused-suppression"
)

// Directive is one suppression comment:
//
//	# hoist:ignore=<id>[,<id>] -- reason        (the node on this line, or on the next one)
//	# hoist:ignore-file=<id>[,<id>] -- reason   (the whole file; only in the file head)
//
// In a Jsonnet file the comment may also start with //, Jsonnet's other
// line comment.
type Directive struct {
	// Range is where the comment is.
	Range source.Range
	// FileWide is set for ignore-file.
	FileWide bool
	IDs      []string
	Reason   string
	// From and To are the lines it covers (both included), for a
	// directive that is not file-wide.
	From, To int32
	// Problem, when set, says why the directive is invalid; an invalid
	// directive suppresses nothing.
	Problem string
	// NotRendered marks a directive of a Jinja2 template that no render
	// of this run wrote (in a branch no role takes): whether it is used
	// cannot be told, so it is never reported unused.
	NotRendered bool
}

const directiveMark = "hoist:ignore"

// blockScalarStart matches a line whose value opens a block scalar (| or
// >, with optional chomping and indentation indicators).
var blockScalarStart = regexp.MustCompile(`(^|[:-]\s|\s)[|>][0-9+-]*\s*(#.*)?$`)

// parseDirectives finds the suppression comments of a loaded file. A
// "hoist:ignore" inside a string (a block scalar holding a shell script)
// is not a comment and is left alone.
func parseDirectives(name string, src []byte, doc *pyyaml.Document) []Directive {
	if !bytes.Contains(src, []byte(directiveMark)) {
		return nil
	}
	isJsonnet := jsonnet.IsJsonnet(name)
	var strs []source.Range
	var ext extents
	if doc != nil {
		ext = nodeExtents(doc.Root, &strs)
	}
	var out []Directive
	lines := bytes.Split(src, []byte("\n"))
	head := true      // still in the file head: only comments and blank lines so far
	blockIndent := -1 // the indentation of the line that opened a block scalar
	for i, raw := range lines {
		line := string(bytes.TrimRight(raw, "\r"))
		trim := strings.TrimSpace(line)
		lineNo := int32(i + 1)
		indent := len(line) - len(strings.TrimLeft(line, " "))
		if !isJsonnet {
			if blockIndent >= 0 {
				if trim == "" || indent > blockIndent {
					continue // inside a block scalar: text, not comments
				}
				blockIndent = -1
			}
			if blockScalarStart.MatchString(line) {
				blockIndent = indent
			}
		}
		at := strings.Index(line, directiveMark)
		if at >= 0 {
			hash, mark := commentStart(line[:at], isJsonnet)
			isComment := hash >= 0 && strings.TrimSpace(line[hash+mark:at]) == "" &&
				(hash == 0 || line[hash-1] == ' ' || line[hash-1] == '\t')
			col := int32(len([]rune(line[:max(hash, 0)]))) + 1
			if isComment && !insideString(strs, lineNo, col) {
				d := parseDirective(line[at+len(directiveMark):])
				d.Range = source.Range{File: name, Start: source.Pos{Line: lineNo, Col: col},
					End: source.Pos{Line: lineNo, Col: int32(len([]rune(line))) + 1}}
				if d.FileWide && !head && d.Problem == "" {
					d.Problem = "hoist:ignore-file must be in the file head, before the first line that is not a comment"
				}
				if !d.FileWide {
					own := strings.TrimSpace(line[:hash]) == ""
					target := lineNo
					if own {
						target = nextContentLine(lines, i+1, isJsonnet)
					}
					d.From, d.To = target, max(target, ext[target])
				}
				out = append(out, d)
			}
		}
		if trim != "" && !strings.HasPrefix(trim, "#") && !(isJsonnet && strings.HasPrefix(trim, "//")) && trim != "---" {
			head = false
		}
	}
	return out
}

// commentStart returns where the comment that ends a line's text before
// a directive starts, and the length of its marker: the last # (or, in
// Jsonnet, //) before it; -1 when there is none.
func commentStart(before string, isJsonnet bool) (at, mark int) {
	at, mark = strings.LastIndex(before, "#"), 1
	if isJsonnet {
		if s := strings.LastIndex(before, "//"); s > at {
			at, mark = s, 2
		}
	}
	return at, mark
}

// parseDirective parses what follows "hoist:ignore".
func parseDirective(s string) Directive {
	var d Directive
	if rest, ok := strings.CutPrefix(s, "-file"); ok {
		d.FileWide = true
		s = rest
	}
	body, ok := strings.CutPrefix(s, "=")
	if !ok {
		d.Problem = `expected "=" and rule ids after hoist:ignore, as in "# hoist:ignore=yaml/duplicate-key -- reason"`
		return d
	}
	ids, reason, hasReason := strings.Cut(body, "--")
	for _, id := range strings.Split(ids, ",") {
		if id = strings.TrimSpace(id); id != "" {
			d.IDs = append(d.IDs, id)
		}
	}
	d.Reason = strings.TrimSpace(reason)
	switch {
	case len(d.IDs) == 0:
		d.Problem = "the suppression names no rule"
	case !hasReason || d.Reason == "":
		d.Problem = `the suppression gives no reason: write it after " -- "`
	}
	return d
}

func nextContentLine(lines [][]byte, from int, isJsonnet bool) int32 {
	for j := from; j < len(lines); j++ {
		t := strings.TrimSpace(string(lines[j]))
		if t != "" && !strings.HasPrefix(t, "#") && !(isJsonnet && strings.HasPrefix(t, "//")) {
			return int32(j + 1)
		}
	}
	return int32(len(lines))
}

func insideString(strs []source.Range, line, col int32) bool {
	p := source.Pos{Line: line, Col: col}
	for _, r := range strs {
		if !r.End.IsZero() && r.Start.Before(p) && p.Before(r.End) {
			return true
		}
	}
	return false
}

// extents maps a line to the last line of the largest node starting on it.
type extents map[int32]int32

// nodeExtents computes the extents of every node written in the file
// (copies made by aliases are skipped: they are written elsewhere) and
// collects the ranges of string scalars.
func nodeExtents(root *value.Value, strs *[]source.Range) extents {
	ext := extents{}
	var walk func(v *value.Value) int32
	note := func(start, end int32) {
		if end > ext[start] {
			ext[start] = end
		}
	}
	walk = func(v *value.Value) int32 {
		end := max(v.Range.Start.Line, v.Range.End.Line)
		switch v.Kind {
		case value.String:
			*strs = append(*strs, v.Range)
		case value.List:
			for _, it := range v.List {
				if it.Via != nil {
					continue
				}
				e := walk(it)
				note(it.Range.Start.Line, e)
				end = max(end, e)
			}
		case value.Map:
			for _, e := range v.Map.Entries() {
				if e.Val.Via != nil {
					end = max(end, e.Key.Range.Start.Line)
					continue
				}
				last := max(walk(e.Val), e.Key.Range.Start.Line)
				note(e.Key.Range.Start.Line, last)
				end = max(end, last)
			}
		}
		return end
	}
	if root != nil {
		note(root.Range.Start.Line, walk(root))
	}
	return ext
}

// suppress drops the diagnostics the directives cover and reports the
// directives that are invalid or suppress nothing. enabled tells whether a
// rule runs: a directive for a rule that is off is not "unused".
func suppress(ds []*diag.Diagnostic, dirs map[string][]Directive, enabled func(string) bool, sev map[string]diag.Severity) []*diag.Diagnostic {
	if len(dirs) == 0 {
		return ds
	}
	used := map[*Directive]map[string]bool{}
	kept := ds[:0:0]
	for _, d := range ds {
		if d.Rule == RuleInvalidSuppression || d.Rule == RuleUnusedSuppression || d.Rule == pyyaml.RuleSyntax || d.Rule == pyyaml.RuleLimit {
			kept = append(kept, d)
			continue
		}
		if dir := covering(dirs[d.Range.File], d); dir != nil {
			if used[dir] == nil {
				used[dir] = map[string]bool{}
			}
			used[dir][d.Rule] = true
			continue
		}
		kept = append(kept, d)
	}
	severity := func(id string, def diag.Severity) diag.Severity {
		if s, ok := sev[id]; ok {
			return s
		}
		return def
	}
	for _, list := range dirs {
		for i := range list {
			dir := &list[i]
			if problem := dir.Problem; problem != "" {
				if enabled(RuleInvalidSuppression) {
					kept = append(kept, &diag.Diagnostic{Severity: severity(RuleInvalidSuppression, diag.Warning), Rule: RuleInvalidSuppression, Range: dir.Range, Message: problem})
				}
				continue
			}
			if !enabled(RuleUnusedSuppression) || dir.NotRendered {
				continue
			}
			var unused []string
			for _, id := range dir.IDs {
				if enabled(id) && !used[dir][id] {
					unused = append(unused, id)
				}
			}
			if len(unused) > 0 {
				where := "on the node it covers"
				if dir.FileWide {
					where = "in this file"
				} else if dir.From != dir.To {
					where = fmt.Sprintf("on lines %d-%d", dir.From, dir.To)
				} else {
					where = fmt.Sprintf("on line %d", dir.From)
				}
				kept = append(kept, &diag.Diagnostic{Severity: severity(RuleUnusedSuppression, diag.Warning), Rule: RuleUnusedSuppression, Range: dir.Range,
					Message: fmt.Sprintf("the suppression of %s matches no finding %s; remove it", diag.QuoteList(unused), where)})
			}
		}
	}
	return kept
}

// checkDirectiveIDs marks the directives that name an unknown rule.
func checkDirectiveIDs(dirs []Directive, known func(string) bool) {
	for i := range dirs {
		if dirs[i].Problem != "" {
			continue
		}
		var unknown []string
		for _, id := range dirs[i].IDs {
			if !known(id) {
				unknown = append(unknown, id)
			}
		}
		if len(unknown) == 1 {
			if note, ok := retiredNote(unknown[0]); ok {
				dirs[i].Problem = note + "; name that rule in the suppression"
				continue
			}
		}
		if len(unknown) > 0 {
			dirs[i].Problem = fmt.Sprintf("unknown rule %s in the suppression; run 'hoist rules' for the list", diag.QuoteList(unknown))
		}
	}
}

func covering(dirs []Directive, d *diag.Diagnostic) *Directive {
	for i := range dirs {
		dir := &dirs[i]
		if dir.Problem != "" || !slices.Contains(dir.IDs, d.Rule) {
			continue
		}
		if dir.FileWide || d.Range.Start.Line >= dir.From && d.Range.Start.Line <= dir.To {
			return dir
		}
	}
	return nil
}
