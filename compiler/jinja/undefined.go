package jinja

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	gonjacs "github.com/nikolalohinski/gonja/v2/builtins/control_structures"
	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/tokens"

	"hoist/diag"
	"hoist/internal/editdistance"
	"hoist/source"
)

// RuleUndefined is the id of the findings about undefined values that a
// template prints.
const RuleUndefined = "jinja/undefined"

// Undefined values.
//
// Jinja2's default Undefined (what process-templates used) prints as an
// empty string: {{ role.nmae }} renders "" and the template goes on, so a
// misspelt attribute becomes a parameter named "Count" or an empty
// network name, found (if ever) by Heat much later. The renderer watches
// what each {{ ... }} statement prints: a variable, or an attribute or
// item of one, that is undefined where it is printed (not through a
// default filter, not as a test or condition) is a finding at its line.
// Undefined values in {% if %} tests, {% for %} filters and boolean
// operands are how THT's templates ask "does the role set this", and are
// left alone; an attribute of an undefined value fails the render as it
// fails in Jinja2.

// printGuard stands in for one {{ ... }} statement: it notes the
// undefined values the statement prints, then renders it unchanged.
type printGuard struct {
	out    *nodes.Output
	file   string
	chains []printedChain
	// refs are every reference of the statement, printed or not, whose
	// attributes Jinja2 reads.
	refs [][]nodes.Expression
}

// printedChain is one variable reference whose value is printed.
type printedChain struct {
	steps    []nodes.Expression // the Name first, then each attribute or item
	filtered bool               // printed through a filter
}

func (g *printGuard) Position() *tokens.Token { return g.out.Position() }

// String names the statement with its position, as gonja names its own
// statements, so that an error in it is placed at its line (errorPos).
func (g *printGuard) String() string {
	at := g.out.Position()
	if t := leftmost(g.out.Expression); t != nil {
		at = t
	}
	return fmt.Sprintf("OutputControlStructure(Line=%d Col=%d)", at.Line, at.Col)
}

// leftmost returns the first token of an expression: where it starts in
// the template.
func leftmost(e nodes.Node) *tokens.Token {
	for e != nil {
		switch x := e.(type) {
		case *nodes.Call:
			e = x.Func
		case *nodes.GetAttribute:
			e = x.Node
		case *nodes.GetItem:
			e = x.Node
		case *nodes.FilteredExpression:
			e = x.Expression
		case *nodes.TestExpression:
			e = x.Expression
		case *nodes.BinaryExpression:
			e = x.Left
		default:
			return e.Position()
		}
	}
	return nil
}

func (g *printGuard) Execute(r *exec.Renderer, _ *nodes.ControlStructureBlock) error {
	for _, steps := range g.refs {
		if err := attributeOfUndefined(r, steps); err != nil {
			return err
		}
	}
	if rec, ok := r.Output.(*recorder); ok {
		for _, c := range g.chains {
			if u, ok := undefinedIn(r, c); ok {
				u.file = g.file
				u.context = rec.ctxs[rec.cur]
				rec.noteUndefined(u)
			}
		}
	}
	_, err := r.Visit(g.out)
	return err
}

// undefinedUse is one undefined value printed.
type undefinedUse struct {
	file     string
	pos      int    // byte offset of the reference in the template
	text     string // the reference up to the undefined step: role.nmae
	name     string // the undefined variable, attribute or item
	variable bool   // the variable itself is undefined
	keys     []string
	filtered bool
	context  string // the loops around it (recorder.ctxs)
}

func (w *recorder) noteUndefined(u undefinedUse) {
	for _, x := range w.undefined {
		if x.file == u.file && x.pos == u.pos && x.context == u.context {
			return
		}
	}
	w.undefined = append(w.undefined, u)
}

// guard puts a printGuard in place of each {{ ... }} statement of a parsed
// template that prints a variable reference.
func guard(file string, root *nodes.Template) {
	seen := map[*nodes.Wrapper]bool{}
	var list func(ns []nodes.Node)
	wrap := func(wr *nodes.Wrapper) {
		if wr == nil || seen[wr] {
			return
		}
		seen[wr] = true
		list(wr.Nodes)
	}
	list = func(ns []nodes.Node) {
		for i, n := range ns {
			switch n := n.(type) {
			case *nodes.Output:
				g := &printGuard{out: n, file: file}
				printed(n.Expression, false, &g.chains)
				if n.Alternative != nil {
					printed(n.Alternative, false, &g.chains)
				}
				for _, e := range []nodes.Expression{n.Expression, n.Condition, n.Alternative} {
					references(e, &g.refs)
				}
				ns[i] = &nodes.ControlStructureBlock{Location: n.Start, Name: "output", ControlStructure: g}
			case *nodes.ControlStructureBlock:
				switch cs := n.ControlStructure.(type) {
				case *ifStatement:
					for _, wr := range cs.wrappers {
						wrap(wr)
					}
				case *gonjacs.ForControlStructure:
					wrap(cs.BodyWrapper)
					wrap(cs.EmptyWrapper)
				case *gonjacs.MacroControlStructure:
					if cs.Macro != nil {
						wrap(cs.Macro.Wrapper)
					}
				}
			case *nodes.Wrapper:
				wrap(n)
			}
		}
	}
	list(root.Nodes)
	for _, wr := range root.Blocks {
		wrap(wr)
	}
}

// printed collects the variable references whose value e prints: e
// itself, the subject of its filters unless one is default, the operands
// of ~ and +. Tests, conditions, calls and boolean operands use a value
// without printing it.
func printed(e nodes.Expression, filtered bool, out *[]printedChain) {
	switch e := e.(type) {
	case *nodes.Name, *nodes.GetAttribute, *nodes.GetItem:
		if steps, ok := chainOf(e); ok {
			*out = append(*out, printedChain{steps: steps, filtered: filtered})
		}
	case *nodes.FilteredExpression:
		for _, f := range e.Filters {
			if f.Name == "default" || f.Name == "d" {
				return
			}
		}
		printed(e.Expression, true, out)
	case *nodes.BinaryExpression:
		if e.Operator != nil && e.Operator.Token != nil && (e.Operator.Token.Val == "~" || e.Operator.Token.Val == "+") {
			printed(e.Left, filtered, out)
			printed(e.Right, filtered, out)
		}
	}
}

// references collects the references of an expression that read an
// attribute or item of something (a.b, a.b.c(), a[0]), wherever they are.
func references(e nodes.Node, out *[][]nodes.Expression) {
	if e == nil {
		return
	}
	switch e := e.(type) {
	case *nodes.GetAttribute, *nodes.GetItem:
		if steps, ok := chainOf(e.(nodes.Expression)); ok && len(steps) > 1 {
			*out = append(*out, steps)
			return
		}
		switch x := e.(type) {
		case *nodes.GetAttribute:
			references(x.Node, out)
		case *nodes.GetItem:
			references(x.Node, out)
			references(x.Arg, out)
		}
	case *nodes.FilteredExpression:
		references(e.Expression, out)
		for _, f := range e.Filters {
			for _, a := range f.Args {
				references(a, out)
			}
		}
	case *nodes.TestExpression:
		references(e.Expression, out)
	case *nodes.BinaryExpression:
		references(e.Left, out)
		references(e.Right, out)
	case *nodes.Negation:
		references(e.Term, out)
	case *nodes.UnaryExpression:
		references(e.Term, out)
	case *nodes.Call:
		references(e.Func, out)
		for _, a := range e.Args {
			references(a, out)
		}
	case *nodes.List:
		for _, x := range e.Val {
			references(x, out)
		}
	case *nodes.Tuple:
		for _, x := range e.Val {
			references(x, out)
		}
	}
}

// attributeOfUndefined fails, as Jinja2 fails, when a reference reads an
// attribute or item of an undefined value (role.nmae.lower()): gonja
// would carry on with None.
func attributeOfUndefined(r *exec.Renderer, steps []nodes.Expression) error {
	strict := r.Evaluator()
	cfg := r.Config.Inherit()
	cfg.StrictUndefined = true
	strict.Config = cfg
	if !strict.Eval(steps[len(steps)-2]).IsError() {
		return nil
	}
	for i, step := range steps[:len(steps)-1] {
		if !strict.Eval(step).IsError() {
			continue
		}
		if !r.Eval(step).IsNil() {
			return nil
		}
		next := ""
		switch s := steps[i+1].(type) {
		case *nodes.GetAttribute:
			next = s.Attribute
		case *nodes.GetItem:
			next = exprText(s.Arg.(nodes.Expression))
		}
		msg := fmt.Sprintf("%q is undefined, and Jinja2 fails on reading %q of it", exprText(step), next)
		if i > 0 {
			if name := lastName(step); name != "" {
				if sug := closest(name, keysOf(r.Eval(steps[i-1]))); sug != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", sug)
				}
			}
		}
		return errors.New(msg)
	}
	return nil
}

// lastName is the attribute or item name a reference step reads.
func lastName(e nodes.Expression) string {
	switch s := e.(type) {
	case *nodes.GetAttribute:
		return s.Attribute
	case *nodes.GetItem:
		if str, ok := s.Arg.(*nodes.String); ok {
			return str.Val
		}
	}
	return ""
}

// chainOf returns the steps of a reference a.b[c]: the name first. Only
// references whose item keys are literals are taken, so that evaluating
// them again has no effect.
func chainOf(e nodes.Expression) ([]nodes.Expression, bool) {
	var steps []nodes.Expression
	for {
		steps = append(steps, e)
		switch x := e.(type) {
		case *nodes.Name:
			for i, j := 0, len(steps)-1; i < j; i, j = i+1, j-1 {
				steps[i], steps[j] = steps[j], steps[i]
			}
			return steps, true
		case *nodes.GetAttribute:
			next, ok := x.Node.(nodes.Expression)
			if !ok {
				return nil, false
			}
			e = next
		case *nodes.GetItem:
			switch x.Arg.(type) {
			case *nodes.String, *nodes.Integer:
			default:
				return nil, false
			}
			next, ok := x.Node.(nodes.Expression)
			if !ok {
				return nil, false
			}
			e = next
		default:
			return nil, false
		}
	}
}

// undefinedIn evaluates a printed reference as Jinja2 would see it: the
// first step that is undefined (and not None) makes a finding when it is
// the last one; an earlier one fails the render on its own.
func undefinedIn(r *exec.Renderer, c printedChain) (undefinedUse, bool) {
	strict := r.Evaluator()
	cfg := r.Config.Inherit()
	cfg.StrictUndefined = true
	strict.Config = cfg
	last := c.steps[len(c.steps)-1]
	if v := strict.Eval(last); !v.IsError() {
		return undefinedUse{}, false
	}
	for i, step := range c.steps {
		if !strict.Eval(step).IsError() {
			continue
		}
		if i != len(c.steps)-1 || !r.Eval(step).IsNil() {
			return undefinedUse{}, false
		}
		u := undefinedUse{text: exprText(step), filtered: c.filtered}
		switch s := step.(type) {
		case *nodes.Name:
			u.name, u.variable, u.pos = s.Name.Val, true, s.Name.Pos
		case *nodes.GetAttribute:
			u.name = s.Attribute
			if s.Attribute == "" {
				u.name = strconv.Itoa(s.Index)
			}
			u.pos = c.steps[0].Position().Pos
			u.keys = keysOf(r.Eval(c.steps[i-1]))
		case *nodes.GetItem:
			u.name = exprText(s.Arg.(nodes.Expression))
			u.pos = c.steps[0].Position().Pos
			u.keys = keysOf(r.Eval(c.steps[i-1]))
		}
		return u, true
	}
	return undefinedUse{}, false
}

// keysOf lists the keys of a mapping, for "did you mean".
func keysOf(v *exec.Value) []string {
	d, ok := plain(v).(*exec.Dict)
	if !ok {
		return nil
	}
	var out []string
	for _, p := range d.Pairs {
		if s, ok := plain(p.Key).(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// exprText writes a reference as the template does.
func exprText(e nodes.Expression) string {
	switch x := e.(type) {
	case *nodes.Name:
		return x.Name.Val
	case *nodes.GetAttribute:
		base := ""
		if n, ok := x.Node.(nodes.Expression); ok {
			base = exprText(n)
		}
		if x.Attribute == "" {
			return base + "." + strconv.Itoa(x.Index)
		}
		return base + "." + x.Attribute
	case *nodes.GetItem:
		base := ""
		if n, ok := x.Node.(nodes.Expression); ok {
			base = exprText(n)
		}
		arg := ""
		if a, ok := x.Arg.(nodes.Expression); ok {
			arg = exprText(a)
		}
		return base + "[" + arg + "]"
	case *nodes.String:
		return pyStrRepr(x.Val)
	case *nodes.Integer:
		return strconv.Itoa(x.Val)
	}
	return e.String()
}

// undefinedDiagnostics turns what a render noted into findings at the
// template lines (the template or a file it includes).
func (r *Renderer) undefinedDiagnostics(uses []undefinedUse, text func(string) []byte) []Undefined {
	var out []Undefined
	for _, u := range uses {
		line, col := 1, 1
		if src := text(u.file); src != nil && u.pos <= len(src) {
			line, col = lineCol(src, u.pos)
		}
		at := source.Range{File: r.file(u.file), Start: source.Pos{Line: int32(line), Col: int32(col)}}
		at.End = source.Pos{Line: at.Start.Line, Col: at.Start.Col + int32(len([]rune(u.text)))}
		var msg string
		if u.variable {
			msg = fmt.Sprintf("variable %q is undefined", u.name)
		} else {
			msg = fmt.Sprintf("%q is undefined: no key %s", u.text, strconv.Quote(u.name))
			if s := closest(u.name, u.keys); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
		}
		if u.filtered {
			msg += "; Jinja2 passes an undefined value to the filter, which renders it silently"
		} else {
			msg += "; Jinja2 prints it as an empty string"
		}
		msg += ": give it a value, or write |default(...) where it may be absent"
		out = append(out, Undefined{Diagnostic: diag.Newf(diag.Error, RuleUndefined, at, "%s", msg), Context: u.context})
	}
	sort.SliceStable(out, func(a, b int) bool {
		return out[a].Diagnostic.Range.Start.Before(out[b].Diagnostic.Range.Start)
	})
	return out
}

// closest returns the key nearest to name (one or two edits, or the same
// letters in another case), "" when none is.
func closest(name string, keys []string) string {
	best, bestD := "", 3
	for _, k := range keys {
		if strings.EqualFold(k, name) {
			return k
		}
		if d := editdistance.OSA(name, k); d < bestD {
			best, bestD = k, d
		}
	}
	if bestD > max(1, min(2, len(name)/3)) {
		return ""
	}
	return best
}
