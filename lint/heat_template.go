package lint

import (
	"fmt"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"weak"

	"hoist/compiler/hot"
	"hoist/compiler/yaql"
	"hoist/diag"
	"hoist/internal/editdistance"
	"hoist/pyre"
	"hoist/pyyaml"
	"hoist/source"
	"hoist/value"
)

// The heat/ rules report what Heat itself refuses, found without a cloud:
// the template parsed with the function tables of its
// heat_template_version (compiler/hot) and every call checked with its
// inputs standing for any value (hot.Template.Check), the files and
// registry entries heatclient fetches, the outputs nested templates
// define, the sections environment files may have, the parameters the
// tree declares. Each finding is an error Heat raises, or a value Heat
// silently reads as something else, at the line at fault.

// heatMemo holds each loaded document's parsed template and its static
// check, so that the rules parse and check a file once. Entries go when the
// document is garbage collected.
var heatMemo sync.Map // weak.Pointer[pyyaml.Document] → *heatParse

type heatParse struct {
	once     sync.Once
	t        *hot.Template
	problems []hot.Problem
}

// heatTemplate returns f's template as Heat parses it and the problems of
// its calls; nil when f is no template, or one Heat cannot parse (a
// structural error, which the schema rules report).
func heatTemplate(f *File) (*hot.Template, []hot.Problem) {
	if f.Doc == nil || TemplateOf(f) == nil {
		return nil, nil
	}
	key := weak.Make(f.Doc)
	res, loaded := heatMemo.LoadOrStore(key, &heatParse{})
	if !loaded {
		runtime.AddCleanup(f.Doc, func(k weak.Pointer[pyyaml.Document]) { heatMemo.Delete(k) }, key)
	}
	hp := res.(*heatParse)
	hp.once.Do(func() {
		t, err := hot.Parse(f.Path, f.Doc.Root)
		if err != nil {
			return
		}
		hp.t, hp.problems = t, t.Check()
	})
	return hp.t, hp.problems
}

// ---- heat/unknown-function ----------------------------------------------

// unknownFunction reports a one-key map in a place Heat resolves whose key
// is meant as a function Heat does not call there: a misspelt name
// (get_parm), a function of another heat_template_version (list_concat
// before pike), a condition function outside conditions (equals), an
// ordinary function inside one (get_attr in a condition), a function the
// version removed (Fn::Join). Heat reads the first three as data, so the
// would-be call's map reaches the deployment as it is written; it refuses
// the last two.
type unknownFunction struct{}

func (unknownFunction) Meta() Meta {
	return Meta{ID: "heat/unknown-function", Severity: diag.Error, Presets: recommended,
		Summary: "a one-key map names a function that heat_template_version does not have there (a misspelling, a later version's function, a condition function outside conditions), so Heat reads it as data or refuses it"}
}

func (unknownFunction) CheckFile(f *File, r *Reporter) {
	t, problems := heatTemplate(f)
	if t == nil {
		return
	}
	v := t.Version
	once := newOnce(r)
	t.Walk(func(s hot.Site) {
		n := s.Node
		if n.Kind != hot.MapNode || len(n.Keys) != 1 || n.Keys[0].Kind != value.String {
			return
		}
		key, arg := n.Keys[0], n.Items[0].Val
		name := key.Str
		path := append(s.Path, value.PathElem{Key: name})
		report := func(msg string) { once.report(key.Range, path, msg, viaSites(n.Val)) }
		switch {
		case !s.Condition && v.IsConditionOnly(name):
			report(fmt.Sprintf("%q is a condition function: outside a condition context (the conditions section, the first argument of if, a condition: key) Heat reads {%s: ...} as data, a map with the key %q, not a boolean", name, name, name))
		case len(hot.FunctionSince(name)) > 0 && !v.IsFunction(name, s.Condition):
			if s.Condition {
				report(fmt.Sprintf("%q is not a condition function of heat_template_version %s, so Heat reads {%s: ...} as data here; condition functions are %s", name, v, name, diag.QuoteList(v.ConditionFunctionNames())))
				return
			}
			since := hot.FunctionSince(name)
			report(fmt.Sprintf("%q is not a function in heat_template_version %s (it is from %s on), so Heat reads {%s: ...} as data, a map with the key %q; declare a later heat_template_version", name, v, since[0], name, name))
		default:
			if fn, ok := misspeltFunction(name, arg, v, s); ok {
				report(fmt.Sprintf("%q is not an intrinsic function, so Heat reads {%s: ...} as data, a map with the key %q, not the value of a call; did you mean %q?", name, name, name, fn))
			}
		}
	})
	for _, p := range problems {
		if p.Kind == hot.ProblemContext || p.Kind == hot.ProblemRemoved {
			once.report(p.Node.NameRange, append(p.Path, value.PathElem{Key: p.Node.Name}), heatMessage(t, p), viaSites(p.Node.Val))
		}
	}
}

// heatMessage says what is wrong with a function Heat refuses where it is
// written.
func heatMessage(t *hot.Template, p hot.Problem) string {
	name := p.Node.Name
	if p.Kind == hot.ProblemRemoved {
		return fmt.Sprintf("%q is a CloudFormation function that heat_template_version %s does not have: Heat refuses the template (\"The function %s is not supported in this version of HOT\")", name, t.Version, name)
	}
	return fmt.Sprintf("%q is not a condition function: in a condition context Heat refuses it (\"The function %q is invalid in this context\"); the condition functions of heat_template_version %s are %s", name, name, t.Version, diag.QuoteList(t.Version.ConditionFunctionNames()))
}

// functionLike matches keys written like the name of an intrinsic
// function.
var functionLike = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// misspeltFunction decides whether a one-key map's key is a misspelt
// function name: written like one, within one or two edits of a function
// of the context's table (one for names of up to six letters; the short
// if, or, and, not and yaql, whose neighbours are common words, are never
// guessed), with a value shaped like that function's arguments, and not a
// key of the data of a yaql call whose expression reads it ($.data.filters
// of fluentd's filters). On the four THT trees this finds exactly the one
// real slip (stein's and train's get_params in tripleo-firewall).
func misspeltFunction(name string, arg *value.Value, v *hot.Version, s hot.Site) (string, bool) {
	if !functionLike.MatchString(name) {
		return "", false
	}
	best, bestD := "", 3
	for _, fn := range guessable(v, s.Condition) {
		max := 1
		if len(fn) > 6 {
			max = 2
		}
		if d := len(fn) - len(name); d > max || -d > max {
			continue
		}
		if d := editdistance.OSA(name, fn); d <= max && d < bestD {
			best, bestD = fn, d
		}
	}
	if best == "" || !argumentShaped(best, arg) {
		return "", false
	}
	if p := s.Parent; p != nil && p.Name == "yaql" {
		if e, ok := value.StringOf(value.Get(p.Val.Map.Entries()[0].Val, "expression")); ok && strings.Contains(e, name) {
			return "", false
		}
	}
	return best, true
}

// guessable returns the function names of a version's ordinary or
// condition table that misspeltFunction guesses (five letters or more).
func guessable(v *hot.Version, cond bool) []string {
	k := guessKey{v, cond}
	if names, ok := guessed.Load(k); ok {
		return names.([]string)
	}
	all := v.FunctionNames()
	if cond {
		all = v.ConditionFunctionNames()
	}
	var names []string
	for _, n := range all {
		if len(n) >= 5 {
			names = append(names, n)
		}
	}
	guessed.Store(k, names)
	return names
}

type guessKey struct {
	v    *hot.Version
	cond bool
}

var guessed sync.Map // guessKey → []string

// ---- heat/function-arguments --------------------------------------------

// functionArguments reports calls whose arguments Heat refuses whatever
// the parameters and resources are: the checks of each function's
// constructor (str_replace without params, get_attr of a string, if with
// two items, repeat without for_each), and the failures of its resolution
// with the values written in the template (list_join of a string,
// map_merge of a list, a str_replace_strict placeholder not in the
// template), in both branches of every if.
type functionArguments struct{}

func (functionArguments) Meta() Meta {
	return Meta{ID: "heat/function-arguments", Severity: diag.Error, Presets: recommended,
		Summary: "a function's arguments have a shape Heat refuses (str_replace without params, get_attr of a string, list_join of a non-list, if with two items)"}
}

func (functionArguments) CheckFile(f *File, r *Reporter) {
	_, problems := heatTemplate(f)
	for _, p := range problems {
		if p.Kind != hot.ProblemArguments {
			continue
		}
		r.Report(p.Diag.Range, append(p.Path, value.PathElem{Key: p.Node.Name}), p.Diag.Message+"; Heat refuses this call whatever the parameters and resources are", viaSites(p.Node.Val)...)
	}
}

// ---- heat/yaql ----------------------------------------------------------

// yaqlExpression reports yaql expressions written in a template that yaql
// refuses whatever the data: a syntax error, a function or method the
// standard library does not have (in the form called), and an evaluation
// that fails on the data known in the template.
type yaqlExpression struct{}

func (yaqlExpression) Meta() Meta {
	return Meta{ID: "heat/yaql", Severity: diag.Error, Presets: recommended,
		Summary: "a yaql expression does not parse, or calls a function or method yaql does not have"}
}

func (yaqlExpression) CheckFile(f *File, r *Reporter) {
	t, problems := heatTemplate(f)
	if t == nil {
		return
	}
	done := map[*value.Value]bool{}
	once := newOnce(r)
	t.Walk(func(s hot.Site) {
		n := s.Node
		if n.Kind != hot.Call || n.Name != "yaql" {
			return
		}
		e := value.Get(n.Val.Map.Entries()[0].Val, "expression")
		if e == nil || e.Kind != value.String {
			return
		}
		path := append(s.Path, value.PathElem{Key: "yaql"}, value.PathElem{Key: "expression"})
		x, err := yaql.Parse(e.Str)
		if err != nil {
			done[e] = true
			once.report(e.Range, path, fmt.Sprintf("the yaql expression does not parse: %s; Heat fails with \"Bad expression\"", yaqlMessage(e.Str, err)), viaSites(e))
			return
		}
		for _, c := range x.Undefined() {
			done[e] = true
			kind, form := "function", c.Name+"()"
			if c.Method {
				kind, form = "method", "."+c.Name+"()"
			}
			var alt string
			if yaql.Defined(c.Name, !c.Method) {
				other := "a function, called as " + c.Name + "(...)"
				if !c.Method {
					other = "a method, called as x." + c.Name + "(...)"
				}
				alt = fmt.Sprintf("; %q is %s", c.Name, other)
			} else if n := nearest(c.Name, yaql.Names(c.Method)); n != "" {
				alt = fmt.Sprintf("; did you mean %q?", n)
			}
			once.report(e.Range, path, fmt.Sprintf("the yaql expression calls %s %s at offset %d, which yaql's standard library does not have: yaql fails with \"Unknown %s\" whatever the data%s", kind, form, c.Offset, kind, alt), viaSites(e))
		}
	})
	for _, p := range problems {
		if p.Kind != hot.ProblemYaql {
			continue
		}
		skip := false
		for e := range done {
			if e.Range == p.Diag.Range {
				skip = true
			}
		}
		if !skip {
			once.report(p.Diag.Range, append(p.Path, value.PathElem{Key: "yaql"}), p.Diag.Message+"; the data it reads is written in the template, so it fails whenever Heat evaluates it", viaSites(p.Node.Val))
		}
	}
}

func yaqlMessage(expr string, err error) string {
	if ye, ok := err.(*yaql.Error); ok {
		return ye.Msg
	}
	return err.Error()
}

// ---- heat/allowed-pattern -----------------------------------------------

// allowedPattern reports an allowed_pattern constraint that is not a valid
// Python regular expression: Heat compiles it with re when it validates a
// value, and fails.
type allowedPattern struct{}

func (allowedPattern) Meta() Meta {
	return Meta{ID: "heat/allowed-pattern", Severity: diag.Error, Presets: recommended,
		Summary: "a parameter's allowed_pattern is not a valid Python regular expression"}
}

func (allowedPattern) CheckFile(f *File, r *Reporter) {
	t := TemplateOf(f)
	if t == nil {
		return
	}
	for _, e := range mapEntries(t.Parameters) {
		name := keyString(e.Key)
		cs := value.Get(e.Val, "constraints")
		if cs == nil || cs.Kind != value.List {
			continue
		}
		for i, c := range cs.List {
			p := value.Get(c, "allowed_pattern")
			if p == nil || p.Kind != value.String {
				continue
			}
			if _, err := pyre.Compile(p.Str, 0); err != nil {
				r.ReportAt(p, value.Path{}.Key("parameters").Key(name).Key("constraints").Index(i).Key("allowed_pattern"),
					fmt.Sprintf("allowed_pattern %q of parameter %q is not a valid Python regular expression: %v; Heat fails whenever it validates a value of the parameter", p.Str, name, err))
			}
		}
	}
}

// ---- heat/invalid-default -----------------------------------------------

// invalidDefault reports a parameter default that violates the
// parameter's own constraints. Heat validates defaults with the schema: it
// refuses such a template as a top-level stack, and as a nested one too
// unless parameter_defaults give the parameter a value (they replace the
// schema default of a template resource's child, heat-oracle's
// --as-nested), which is how THT's ceph keys pass: hence a warning.
type invalidDefault struct{}

func (invalidDefault) Meta() Meta {
	return Meta{ID: "heat/invalid-default", Severity: diag.Warning, Presets: recommended,
		Summary: "a parameter's default violates the parameter's own constraints, so Heat refuses the template unless parameter_defaults set the parameter"}
}

func (invalidDefault) CheckFile(f *File, r *Reporter) {
	t, _ := heatTemplate(f)
	if t == nil {
		return
	}
	for _, p := range t.Params {
		if p.Default == nil {
			continue
		}
		if msg := p.CheckDefault(); msg != "" {
			r.ReportAt(p.Default, value.Path{}.Key("parameters").Key(p.Name).Key("default"),
				fmt.Sprintf("the default %s of parameter %q violates its constraints: %s; Heat refuses the template as a top-level stack, and as a nested one unless parameter_defaults set %q", show(p.Default), p.Name, msg, p.Name))
		}
	}
}

// nearest returns the name closest to s within a third of its length in
// edits (a transposition is one), or "".
func nearest(s string, names []string) string {
	best, bestD := "", max(2, len(s)/3)+1
	for _, n := range names {
		if d := len(n) - len(s); d >= bestD || -d >= bestD {
			continue
		}
		if d := editdistance.OSA(strings.ToLower(s), strings.ToLower(n)); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// once reports each finding once: the copies of a value that YAML aliases
// made (each walked on its own) add their alias sites to the first.
type once struct {
	r  *Reporter
	at map[onceKey]int
}

type onceKey struct {
	rng source.Range
	msg string
}

func newOnce(r *Reporter) *once { return &once{r: r, at: map[onceKey]int{}} }

func (o *once) report(rng source.Range, path value.Path, msg string, related []diag.Related) {
	k := onceKey{rng, msg}
	if i, ok := o.at[k]; ok {
		d := o.r.Diagnostics()[i]
		for _, rel := range related {
			if !slices.ContainsFunc(d.Related, func(x diag.Related) bool { return x.Range == rel.Range }) {
				d.Related = append(d.Related, rel)
			}
		}
		return
	}
	o.r.Report(rng, path, msg, related...)
	o.at[k] = len(o.r.Diagnostics()) - 1
}
