package jinja

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/nikolalohinski/gonja/v2/builtins"
	"github.com/nikolalohinski/gonja/v2/config"
	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/loaders"
	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/parser"
	"github.com/nikolalohinski/gonja/v2/tokens"
)

// The engine is gonja (github.com/nikolalohinski/gonja/v2) configured as
// Python's jinja2.Environment() with default settings, which is what
// process-templates used: no autoescape, no trim_blocks or lstrip_blocks,
// the trailing newline of a template dropped. Where gonja departs from
// Jinja2 in something THT relies on, this file supplies the Jinja2
// behaviour through gonja's extension points (methods, control
// structures); no template is rewritten.

// engineConfig is jinja2.Environment()'s configuration.
func engineConfig() *config.Config { return config.New() }

var (
	envOnce sync.Once
	env     *exec.Environment
)

// environment returns the shared engine environment. Its sets are only
// read after construction, so renders may share it.
func environment() *exec.Environment {
	envOnce.Do(func() {
		cs := exec.NewControlStructureSet(map[string]parser.ControlStructureParser{})
		cs.Update(builtins.ControlStructures)
		replace := map[string]parser.ControlStructureParser{"if": parseIf, "for": parseFor, "set": parseSet, "raw": parseRaw, "include": parseInclude}
		for name, p := range replace {
			if err := cs.Replace(name, p); err != nil {
				panic(err) // the engine lost a built-in statement: a programming error
			}
		}
		controlStructures = cs
		env = &exec.Environment{
			Context:           exec.EmptyContext().Update(builtins.GlobalFunctions).Update(builtins.GlobalVariables),
			Filters:           builtins.Filters,
			Tests:             builtins.Tests,
			ControlStructures: cs,
			Methods: exec.Methods{
				Bool:  builtins.Methods.Bool,
				Int:   builtins.Methods.Int,
				Float: builtins.Methods.Float,
				Str:   strMethods(),
				Dict:  dictMethods(),
				List:  listMethods(),
			},
		}
	})
	return env
}

// controlStructures is the statement set of the environment, which the
// replacement statements need to build sub-parsers.
var controlStructures *exec.ControlStructureSet

// loader finds templates the way process-templates' Jinja2 loader did: a
// name is looked up first in the folder of the file being rendered, then at
// the root of the THT tree. Names are slash paths; ".." is refused as
// Jinja2's loaders refuse it. It remembers the names it could not find, for
// the diagnostic.
type loader struct {
	fsys    fs.FS
	search  []string
	mu      sync.Mutex
	missing []string
	read    []string
	sources map[string][]byte
}

func newLoader(fsys fs.FS, dir string) *loader {
	search := []string{dir}
	if dir != "." {
		search = append(search, ".")
	}
	return &loader{fsys: fsys, search: search}
}

// Read implements loaders.Loader.
func (l *loader) Read(name string) (io.Reader, error) {
	b, err := fs.ReadFile(l.fsys, name)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.read = append(l.read, name)
	if l.sources == nil {
		l.sources = map[string][]byte{}
	}
	l.sources[name] = b
	l.mu.Unlock()
	return bytes.NewReader(b), nil
}

// source returns the text of a template the loader read.
func (l *loader) source(name string) []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sources[name]
}

// Resolve implements loaders.Loader.
func (l *loader) Resolve(name string) (string, error) {
	clean, ok := templateName(name)
	if ok {
		for _, dir := range l.search {
			p := path.Join(dir, clean)
			if st, err := fs.Stat(l.fsys, p); err == nil && !st.IsDir() {
				return p, nil
			}
		}
	}
	l.mu.Lock()
	l.missing = append(l.missing, name)
	l.mu.Unlock()
	return "", fmt.Errorf("template %q not found", name)
}

// Inherit implements loaders.Loader: Jinja2 looks included names up along
// the same search path whatever includes them.
func (l *loader) Inherit(string) (loaders.Loader, error) { return l, nil }

// templateName splits a template name as Jinja2's split_template_path
// does: empty and "." segments dropped, ".." refused.
func templateName(name string) (string, bool) {
	var parts []string
	for _, seg := range strings.Split(name, "/") {
		switch seg {
		case "", ".":
		case "..":
			return "", false
		default:
			parts = append(parts, seg)
		}
	}
	if len(parts) == 0 {
		return "", false
	}
	return strings.Join(parts, "/"), true
}

// --- `in` with a filtered operand -----------------------------------------
//
// Jinja2 binds filters tighter than any operator, so
// `name in role.networks|default([]) and x` is
// `(name in (role.networks|default([]))) and x`. gonja parses the right side
// of `in` as a bare variable and then fails on (or misreads) the filter.
// The statements below therefore put the right operand of every `in` in
// parentheses before gonja parses an expression; the operand ends where
// Jinja2's comparison operand ends.

// fixIn returns a parser over the tokens of args with the right operand of
// each `in` parenthesised; with skip > 0, the first skip `in` tokens (the
// one of `for x in ...`) are left alone.
func fixIn(args *parser.Parser, skip int) *parser.Parser {
	var toks []*tokens.Token
	for !args.End() {
		toks = append(toks, args.Next())
	}
	if cur := args.Current(); cur != nil && cur.Type == tokens.Error {
		toks = append(toks, cur)
	}
	toks = parenthesizeIn(toks, skip)
	return parser.NewParser("", tokens.NewStream(toks), args.Config, args.Loader, controlStructures)
}

func parenthesizeIn(toks []*tokens.Token, skip int) []*tokens.Token {
	for i := 0; i < len(toks); i++ {
		if toks[i].Type != tokens.In {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		end := operandEnd(toks, i+1)
		if end == i+1 {
			continue // nothing to wrap: let gonja report it
		}
		open := &tokens.Token{Type: tokens.LeftParenthesis, Val: "(", Line: toks[i+1].Line, Col: toks[i+1].Col, Pos: toks[i+1].Pos}
		last := toks[end-1]
		closing := &tokens.Token{Type: tokens.RightParenthesis, Val: ")", Line: last.Line, Col: last.Col + len(last.Val), Pos: last.Pos + len(last.Val)}
		out := make([]*tokens.Token, 0, len(toks)+2)
		out = append(out, toks[:i+1]...)
		out = append(out, open)
		out = append(out, toks[i+1:end]...)
		out = append(out, closing)
		out = append(out, toks[end:]...)
		toks = out
	}
	return toks
}

// operandEnd returns the index just past the comparison operand that
// starts at start.
func operandEnd(toks []*tokens.Token, start int) int {
	depth := 0
	for j := start; j < len(toks); j++ {
		t := toks[j]
		switch t.Type {
		case tokens.LeftParenthesis, tokens.LeftBracket, tokens.LeftBrace:
			depth++
			continue
		case tokens.RightParenthesis, tokens.RightBracket, tokens.RightBrace:
			if depth == 0 {
				return j
			}
			depth--
			continue
		case tokens.EOF, tokens.Error:
			return j
		}
		if depth > 0 {
			continue
		}
		switch t.Type {
		case tokens.And, tokens.Or, tokens.Not, tokens.In, tokens.Is,
			tokens.Equals, tokens.Ne, tokens.GreaterThan, tokens.GreaterThanOrEqual,
			tokens.LowerThan, tokens.LowerThanOrEqual,
			tokens.Comma, tokens.Colon, tokens.Assign, tokens.Semicolon:
			return j
		case tokens.Name:
			if j > start && (t.Val == "if" || t.Val == "else" || t.Val == "recursive") &&
				toks[j-1].Type != tokens.Dot && toks[j-1].Type != tokens.Pipe {
				return j
			}
		}
	}
	return len(toks)
}

// --- if / elif / else ------------------------------------------------------

// ifStatement is Jinja2's if statement. gonja's own reads elif conditions
// with its plain expression parser; this one applies fixIn to each.
type ifStatement struct {
	location   *tokens.Token
	conditions []nodes.Expression
	wrappers   []*nodes.Wrapper
}

func (s *ifStatement) Position() *tokens.Token { return s.location }

func (s *ifStatement) String() string {
	return fmt.Sprintf("IfControlStructure(Line=%d Col=%d)", s.location.Line, s.location.Col)
}

func (s *ifStatement) Execute(r *exec.Renderer, _ *nodes.ControlStructureBlock) error {
	for i, cond := range s.conditions {
		v := r.Eval(cond)
		if v.IsError() {
			return v
		}
		if v.IsTrue() {
			return r.ExecuteIfWrapper(s.wrappers[i])
		}
	}
	if len(s.wrappers) > len(s.conditions) {
		return r.ExecuteIfWrapper(s.wrappers[len(s.conditions)])
	}
	return nil
}

// withPos gives a parse error without a position the position of tok.
func withPos(err error, tok *tokens.Token) error {
	var se *parser.SyntaxError
	if err == nil || (errors.As(err, &se) && se.Line > 0) || tok == nil || tok.Line == 0 {
		return err
	}
	return &parser.SyntaxError{Message: innermost(err), Line: tok.Line, Column: tok.Col, Raw: tok.Val}
}

// position returns the first of the tokens that has a position: the
// statement's first argument, or (for a statement without arguments) the
// token after it.
func position(toks ...*tokens.Token) *tokens.Token {
	for _, t := range toks {
		if t != nil && t.Line > 0 {
			return t
		}
	}
	return nil
}

func parseCondition(args *parser.Parser, what string, at *tokens.Token) (nodes.Expression, error) {
	args = fixIn(args, 0)
	if args.End() {
		if at == nil {
			return nil, fmt.Errorf("%s needs a condition", what)
		}
		return nil, &parser.SyntaxError{Message: what + " needs a condition", Line: at.Line, Column: at.Col, Raw: at.Val}
	}
	first := args.Current()
	cond, err := args.ParseExpression()
	if err != nil {
		return nil, withPos(err, first)
	}
	if cond == nil || !args.End() {
		t := args.Current()
		return nil, &parser.SyntaxError{Message: fmt.Sprintf("unexpected %q in the %s condition", t.Val, what), Line: t.Line, Column: t.Col, Raw: t.Val}
	}
	return cond, nil
}

func parseIf(p *parser.Parser, args *parser.Parser) (nodes.ControlStructure, error) {
	s := &ifStatement{location: position(args.Current(), p.Current())}
	if s.location == nil {
		s.location = &tokens.Token{Line: 1, Col: 1}
	}
	cond, err := parseCondition(args, "if", s.location)
	if err != nil {
		return nil, err
	}
	s.conditions = append(s.conditions, cond)
	for {
		wrapper, tagArgs, err := p.WrapUntil("elif", "else", "endif")
		if err != nil {
			return nil, err
		}
		s.wrappers = append(s.wrappers, wrapper)
		switch wrapper.EndTag {
		case "elif":
			cond, err := parseCondition(tagArgs, "elif", position(tagArgs.Current(), p.Current(), wrapper.Location))
			if err != nil {
				return nil, err
			}
			s.conditions = append(s.conditions, cond)
			continue
		case "else":
			if !tagArgs.End() {
				t := tagArgs.Current()
				return nil, &parser.SyntaxError{Message: "else takes no arguments", Line: t.Line, Column: t.Col, Raw: t.Val}
			}
			wrapper, tagArgs, err = p.WrapUntil("endif")
			if err != nil {
				return nil, err
			}
			s.wrappers = append(s.wrappers, wrapper)
		}
		if !tagArgs.End() {
			t := tagArgs.Current()
			return nil, &parser.SyntaxError{Message: "endif takes no arguments", Line: t.Line, Column: t.Col, Raw: t.Val}
		}
		return s, nil
	}
}

// --- for ----------------------------------------------------------------

var builtinFor, builtinSet parser.ControlStructureParser

func init() {
	builtinFor, _ = builtins.ControlStructures.Get("for")
	builtinSet, _ = builtins.ControlStructures.Get("set")
}

// parseFor is gonja's for statement with fixIn applied to its filter
// condition (`for n in networks if n.name in role.networks|default([])`).
func parseFor(p *parser.Parser, args *parser.Parser) (nodes.ControlStructure, error) {
	at := position(args.Current(), p.Current())
	cs, err := builtinFor(p, fixIn(args, 1))
	return cs, withPos(err, at)
}

// --- set ----------------------------------------------------------------

// setStatement is gonja's set statement, with fixIn applied to its
// expression, and with a list it assigns turned into a *pyList: gonja's
// lists are Go slices, copied when read, so that `{% set l = [] %}` then
// `{% set _ = l.append(x) %}` in a loop would not grow l as it does in
// Python.
type setStatement struct {
	exec.ControlStructure
	name string
}

func (s *setStatement) Execute(r *exec.Renderer, tag *nodes.ControlStructureBlock) error {
	if err := s.ControlStructure.Execute(r, tag); err != nil {
		return err
	}
	if s.name == "" {
		return nil
	}
	ctx := r.Environment.Context
	if v, ok := ctx.Get(s.name); ok {
		if l := asList(v); l != v {
			ctx.Set(s.name, l)
		}
	}
	return nil
}

func parseSet(p *parser.Parser, args *parser.Parser) (nodes.ControlStructure, error) {
	args = fixIn(args, 0)
	name := ""
	if t := args.Current(); t != nil && t.Type == tokens.Name {
		if n := args.Peek(); n != nil && n.Type == tokens.Assign {
			name = t.Val
		}
	}
	at := position(args.Current(), p.Current())
	cs, err := builtinSet(p, args)
	if err != nil {
		return nil, withPos(err, at)
	}
	ecs, ok := cs.(exec.ControlStructure)
	if !ok {
		return nil, errors.New("set statement is not executable")
	}
	return &setStatement{ControlStructure: ecs, name: name}, nil
}

// --- raw ----------------------------------------------------------------

// rawStatement is Jinja2's raw block. gonja's writes the text as it is,
// ignoring the whitespace control of the tags around it ({% raw -%} in
// puppet/services/apache.j2.yaml); this one writes it as any text is.
type rawStatement struct {
	location *tokens.Token
	data     *nodes.Data // nil for an empty block
}

func (s *rawStatement) Position() *tokens.Token { return s.location }

func (s *rawStatement) String() string {
	return fmt.Sprintf("RawControlStructure(Line=%d Col=%d)", s.location.Line, s.location.Col)
}

func (s *rawStatement) Execute(r *exec.Renderer, _ *nodes.ControlStructureBlock) error {
	if s.data == nil {
		return nil
	}
	_, err := r.Visit(s.data)
	return err
}

func parseRaw(p *parser.Parser, args *parser.Parser) (nodes.ControlStructure, error) {
	s := &rawStatement{location: position(args.Current(), p.Current())}
	if s.location == nil {
		s.location = &tokens.Token{Line: 1, Col: 1}
	}
	if !args.End() {
		t := args.Current()
		return nil, &parser.SyntaxError{Message: "raw takes no arguments", Line: t.Line, Column: t.Col, Raw: t.Val}
	}
	wrapper, _, err := p.WrapUntil("endraw")
	if err != nil {
		return nil, err
	}
	switch len(wrapper.Nodes) {
	case 0:
	case 1:
		d, ok := wrapper.Nodes[0].(*nodes.Data)
		if !ok {
			return nil, withPos(errors.New("raw block holds something other than text"), wrapper.Nodes[0].Position())
		}
		s.data = d
	default:
		return nil, withPos(errors.New("raw block holds something other than text"), wrapper.Nodes[1].Position())
	}
	return s, nil
}

// --- include ------------------------------------------------------------

// includeStatement is gonja's include statement, which also lets the
// render's recorder mark the included template (so that its text maps to
// the included file) and attribute the text after it back to the
// including one. It reads, executes and fails as gonja's does.
type includeStatement struct {
	location      *tokens.Token
	filename      nodes.Expression
	ignoreMissing bool
	// file is the including template, set when the recorder marks it.
	file string
}

func (s *includeStatement) Position() *tokens.Token { return s.location }

func (s *includeStatement) String() string {
	return fmt.Sprintf("IncludeControlStructure(Filename=%s Line=%d Col=%d)", s.filename, s.location.Line, s.location.Col)
}

func (s *includeStatement) Execute(r *exec.Renderer, _ *nodes.ControlStructureBlock) error {
	name := r.Eval(s.filename)
	if name.IsError() {
		return errors.Join(errors.New("unable to evaluate filename"), name)
	}
	filename, err := r.Loader.Resolve(name.String())
	if err != nil {
		if s.ignoreMissing {
			return nil
		}
		return fmt.Errorf("failed to resolve filename: %s", err)
	}
	ld, err := r.Loader.Inherit(filename)
	if err != nil {
		if s.ignoreMissing {
			return nil
		}
		return fmt.Errorf("failed to inherit loader: %s", err)
	}
	included, err := exec.NewTemplate(filename, r.Config, ld, r.Environment)
	if err != nil {
		if s.ignoreMissing {
			return nil
		}
		return fmt.Errorf("unable to load template '%s': %s", filename, err)
	}
	rec, _ := r.Output.(*recorder)
	if rec != nil {
		rec.mark(filename, included.Root())
		rec.anchor(filename, 0)
	}
	err = exec.NewRenderer(r.Environment, r.Output, r.Config.Inherit(), ld, included).Execute()
	if rec != nil && s.file != "" {
		rec.anchor(s.file, s.location.Pos+len(s.location.Val))
	}
	return err
}

func parseInclude(p *parser.Parser, args *parser.Parser) (nodes.ControlStructure, error) {
	s := &includeStatement{location: p.Current()}
	if s.location == nil {
		s.location = &tokens.Token{Line: 1, Col: 1}
	}
	fn, err := args.ParseExpression()
	if err != nil {
		return nil, err
	}
	s.filename = fn
	if args.MatchName("ignore") != nil {
		if args.MatchName("missing") != nil {
			s.ignoreMissing = true
		} else {
			args.Stream().Backup()
		}
	}
	if tok := args.MatchName("with", "without"); tok != nil {
		if args.MatchName("context") == nil {
			args.Stream().Backup()
		}
	}
	if !args.End() {
		return nil, args.Error("Malformed 'include'-tag args.", nil)
	}
	return s, nil
}
