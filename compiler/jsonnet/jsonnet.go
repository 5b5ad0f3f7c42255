// Package jsonnet evaluates Jsonnet files that stand in for YAML inputs: a
// service template, an environment or roles data may be written as a
// .jsonnet file. The program is evaluated with google/go-jsonnet and the
// JSON it yields becomes a value tree like the YAML loader's, so that the
// rest of the pipeline (HOT evaluation, environments, lint, schemas) cannot
// tell the difference.
//
// Imports resolve, in order: `hoist/...` against the embedded standard
// library (stdlib/jsonnet, e.g. `import 'hoist/service.libsonnet'`), then
// the importing file's own folder, then the library folders of Options.
//
// Values carry ranges in the .jsonnet file: the locator (positions.go)
// follows the program's structure (object literals, locals, `+`, function
// calls into the standard library) to the literal that produced each
// value, and gives a value it cannot trace the range of the expression
// that computed it. Errors are *diag.Diagnostic values at Jsonnet's own
// file, line and column (rules jsonnet/syntax, jsonnet/runtime,
// jsonnet/output).
//
// A VM is not safe for concurrent use, so every evaluation makes its own:
// callers may evaluate from many goroutines at once.
package jsonnet

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	gojsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"

	"hoist/compiler/hot"
	"hoist/diag"
	"hoist/source"
	"hoist/stdlib"
	"hoist/value"
)

// Rule ids of Jsonnet diagnostics.
const (
	// RuleSyntax: the program does not parse, or names a variable that
	// does not exist (go-jsonnet's static errors).
	RuleSyntax = "jsonnet/syntax"
	// RuleRuntime: evaluation failed (error, assert, a type error, an
	// import that cannot be found).
	RuleRuntime = "jsonnet/runtime"
	// RuleOutput: the program ran but its result is not a document
	// (a function, too large, too slow).
	RuleOutput = "jsonnet/output"
)

// Extension is the suffix of Jsonnet files hoist evaluates.
const Extension = ".jsonnet"

// IsJsonnet reports whether name is a Jsonnet file hoist evaluates in
// place of YAML.
func IsJsonnet(name string) bool { return strings.HasSuffix(name, Extension) }

// StdlibPrefix is the import path prefix served from the embedded
// standard library, and the prefix of its files' names in diagnostics.
const StdlibPrefix = "hoist/"

// stdlibFile is how diagnostics name a file of the embedded library.
const stdlibFile = "<stdlib>/"

// Defaults of Options.
const (
	DefaultTimeout   = 10 * time.Second
	DefaultMaxOutput = 64 << 20
	DefaultMaxStack  = 500
)

// Options configure an evaluation. The zero value reads the file system.
type Options struct {
	// ReadFile reads imported files by absolute path; nil means
	// os.ReadFile.
	ReadFile func(name string) ([]byte, error)
	// JPaths are library folders searched after the importing file's
	// own folder.
	JPaths []string
	// Display gives the name diagnostics and value ranges use for an
	// absolute path; nil shows paths relative to the working directory
	// when inside it.
	Display func(abs string) string
	// Name, when set, is the name of the evaluated file itself in
	// diagnostics and value ranges (the path as the user wrote it).
	Name string
	// Timeout bounds an evaluation (0 means DefaultTimeout): Jsonnet can
	// loop for ever, and hoist must not hang.
	Timeout time.Duration
	// MaxOutput bounds the JSON text of the result in bytes (0 means
	// DefaultMaxOutput).
	MaxOutput int
	// TraceOut receives std.trace output; nil means standard error.
	TraceOut io.Writer

	// main is the absolute path of the evaluated file; wd the working
	// directory; names the display names computed (per evaluation).
	main  string
	wd    string
	names map[string]string
}

func (o Options) display(abs string) string {
	if strings.HasPrefix(abs, stdlibFile) {
		return abs
	}
	if o.Name != "" && o.main != "" && abs == o.main {
		return o.Name
	}
	if o.names != nil {
		if n, ok := o.names[abs]; ok {
			return n
		}
	}
	n := abs
	if o.Display != nil {
		n = o.Display(abs)
	} else if o.wd != "" {
		if rel, err := filepath.Rel(o.wd, abs); err == nil && !strings.HasPrefix(rel, "..") {
			n = rel
		}
	}
	if o.names != nil {
		o.names[abs] = n
	}
	return n
}

// prepare fills the fields an evaluation computes once: the main file,
// the working directory and the cache of display names.
func (o Options) prepare(abs string) Options {
	o.main = abs
	o.names = map[string]string{}
	if o.Display == nil {
		o.wd, _ = os.Getwd()
	}
	return o
}

// EvaluateFile reads and evaluates the Jsonnet file at file.
func EvaluateFile(file string, o Options) (*value.Value, error) {
	abs := absPath(file)
	read := o.ReadFile
	if read == nil {
		read = os.ReadFile
	}
	src, err := read(abs)
	if err != nil {
		return nil, diag.Newf(diag.Error, RuleRuntime, source.Range{File: o.display(abs)}, "cannot read jsonnet file: %v", unwrapPathErr(err))
	}
	return Evaluate(file, src, o)
}

// Evaluate evaluates the Jsonnet program src, read from file (which gives
// the folder its relative imports start from), and returns the document
// it yields.
func Evaluate(file string, src []byte, o Options) (*value.Value, error) {
	abs := absPath(file)
	o = o.prepare(abs)
	name := o.display(abs)
	if !utf8.Valid(src) {
		return nil, diag.Newf(diag.Error, RuleSyntax, source.Range{File: name}, "jsonnet file is not valid UTF-8")
	}
	im := newImporter(o)
	im.remember(abs, src)
	root, err := gojsonnet.SnippetToAST(abs, string(src))
	if err != nil {
		return nil, toDiagnostic(err, abs, o)
	}
	if f := topFunction(root); f != nil {
		r := fileStart(name)
		if l := f.Loc(); l != nil && l.Begin.IsSet() {
			r = locRange(*l, o)
			r.File = name
		}
		return nil, diag.Newf(diag.Error, RuleOutput, r, "the file is a function, but hoist passes no arguments: it must evaluate to the document itself")
	}
	vm := gojsonnet.MakeVM()
	vm.MaxStack = DefaultMaxStack
	vm.Importer(im)
	if o.TraceOut != nil {
		vm.SetTraceOut(o.TraceOut)
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	type result struct {
		out string
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := vm.Evaluate(root)
		done <- result{out, err}
	}()
	var res result
	select {
	case res = <-done:
	case <-time.After(timeout):
		// The VM cannot be interrupted: its goroutine is left to finish
		// on its own, holding nothing anyone else uses.
		return nil, diag.Newf(diag.Error, RuleOutput, fileStart(name), "evaluation did not finish within %s", timeout)
	}
	if res.err != nil {
		return nil, toDiagnostic(res.err, abs, o)
	}
	maxOut := o.MaxOutput
	if maxOut <= 0 {
		maxOut = DefaultMaxOutput
	}
	if len(res.out) > maxOut {
		return nil, diag.Newf(diag.Error, RuleOutput, fileStart(name), "the document is %d bytes of JSON, more than the limit of %d", len(res.out), maxOut)
	}
	v, err := hot.ParseJSON(res.out, source.Range{})
	if err != nil {
		// go-jsonnet writes valid JSON: this is a bug.
		return nil, diag.Newf(diag.Error, RuleOutput, fileStart(name), "cannot read the JSON jsonnet produced: %v", err)
	}
	lc := &locator{abs: abs, name: name, o: o, im: im}
	lc.annotate(v, []expr{{n: root}}, fileStart(name), 0)
	return v, nil
}

func fileStart(name string) source.Range {
	return source.Range{File: name, Start: source.Pos{Line: 1, Col: 1}}
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// maxNotes bounds the call stack shown under a runtime error.
const maxNotes = 6

// locError is the interface of go-jsonnet's static errors, whose concrete
// type is internal.
type locError interface {
	error
	Loc() ast.LocationRange
}

// toDiagnostic turns a go-jsonnet error into a diagnostic at its
// position; the frames of a runtime error's stack become notes.
func toDiagnostic(err error, main string, o Options) *diag.Diagnostic {
	var rt gojsonnet.RuntimeError
	if errors.As(err, &rt) {
		msg := lowerFirst(rt.Msg)
		if strings.TrimSpace(msg) == "" {
			msg = "the program raised an error with an empty message"
		}
		d := &diag.Diagnostic{Severity: diag.Error, Rule: RuleRuntime, Message: msg}
		if strings.HasPrefix(strings.ToLower(rt.Msg), "couldn't manifest function") {
			d.Rule = RuleOutput
		}
		// go-jsonnet lists the frames outermost first. The finding is at
		// the innermost frame in the user's files; frames inside hoist's
		// library, where a helper raised the error, and the calls that
		// led there are notes.
		var frames []gojsonnet.TraceFrame
		for i := len(rt.StackTrace) - 1; i >= 0; i-- {
			// Frames inside Jsonnet's own std library have no file to show.
			if f := rt.StackTrace[i]; f.Loc.IsSet() && f.Loc.FileName != "" && (!strings.HasPrefix(f.Loc.FileName, "<") || strings.HasPrefix(f.Loc.FileName, stdlibFile)) {
				frames = append(frames, f)
			}
		}
		primary := -1
		for i, f := range frames {
			if !strings.HasPrefix(f.Loc.FileName, stdlibFile) {
				primary = i
				break
			}
		}
		if primary < 0 && len(frames) > 0 {
			primary = 0
		}
		if primary < 0 {
			d.Range = fileStart(o.display(main))
			return d
		}
		d.Range = locRange(frames[primary].Loc, o)
		seen := map[string]bool{d.Range.String(): true}
		for i, f := range frames {
			if i == primary {
				continue
			}
			r := locRange(f.Loc, o)
			if seen[r.String()] || len(d.Related) >= maxNotes {
				continue
			}
			seen[r.String()] = true
			msg := "called from here"
			if i < primary {
				msg = "raised here, in hoist's library"
				if !strings.HasPrefix(f.Loc.FileName, stdlibFile) {
					msg = "raised here"
				}
			}
			d.Related = append(d.Related, diag.Related{Range: r, Message: msg})
		}
		return d
	}
	var se locError
	if errors.As(err, &se) {
		loc := se.Loc()
		msg := se.Error()
		if loc.IsSet() {
			msg = strings.TrimPrefix(msg, loc.String())
		}
		return &diag.Diagnostic{Severity: diag.Error, Rule: RuleSyntax, Range: locRange(loc, o), Message: lowerFirst(strings.TrimSpace(msg))}
	}
	return &diag.Diagnostic{Severity: diag.Error, Rule: RuleRuntime, Range: fileStart(o.display(main)), Message: lowerFirst(err.Error())}
}

// locRange converts a Jsonnet location to a source range.
func locRange(l ast.LocationRange, o Options) source.Range {
	name := l.FileName
	if name != "" {
		name = o.display(name)
	}
	r := source.Range{File: name}
	if l.Begin.IsSet() {
		r.Start = source.Pos{Line: int32(l.Begin.Line), Col: int32(charCol(l, l.Begin))}
	}
	if l.End.IsSet() {
		r.End = source.Pos{Line: int32(l.End.Line), Col: int32(charCol(l, l.End))}
	}
	return r
}

// charCol converts Jsonnet's column (a byte offset, 1-based) into a
// character column, as source.Pos counts.
func charCol(l ast.LocationRange, p ast.Location) int {
	if l.File == nil || p.Line < 1 || p.Line > len(l.File.Lines) {
		return p.Column
	}
	line := l.File.Lines[p.Line-1]
	if p.Column-1 > len(line) || p.Column < 1 {
		return p.Column
	}
	return utf8.RuneCountInString(line[:p.Column-1]) + 1
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	if r >= 'A' && r <= 'Z' && (len(s) == n || !isUpper(s[n])) {
		return string(r+'a'-'A') + s[n:]
	}
	return s
}

func isUpper(b byte) bool { return b >= 'A' && b <= 'Z' }

// importer resolves imports: the standard library, then the importing
// file's folder, then the library folders. It remembers every result, as
// go-jsonnet requires (the same contents for the same foundAt). One
// importer belongs to one VM.
type importer struct {
	read   func(string) ([]byte, error)
	jpaths []string
	cache  map[string]*importEntry
}

type importEntry struct {
	contents gojsonnet.Contents
	err      error
}

func newImporter(o Options) *importer {
	read := o.ReadFile
	if read == nil {
		read = os.ReadFile
	}
	im := &importer{read: read, cache: map[string]*importEntry{}}
	for _, p := range o.JPaths {
		im.jpaths = append(im.jpaths, absPath(p))
	}
	return im
}

func (im *importer) remember(abs string, src []byte) {
	im.cache[abs] = &importEntry{contents: gojsonnet.MakeContentsRaw(src)}
}

// load reads one candidate: found is false when it does not exist.
func (im *importer) load(foundAt string) (gojsonnet.Contents, bool, error) {
	if e, ok := im.cache[foundAt]; ok {
		if e.err == errNotFound {
			return gojsonnet.Contents{}, false, nil
		}
		return e.contents, e.err == nil, e.err
	}
	var src []byte
	var err error
	if rel, ok := strings.CutPrefix(foundAt, stdlibFile); ok {
		src, err = stdlib.Jsonnet.ReadFile(path.Join("jsonnet", rel))
	} else {
		src, err = im.read(foundAt)
	}
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			im.cache[foundAt] = &importEntry{err: errNotFound}
			return gojsonnet.Contents{}, false, nil
		}
		im.cache[foundAt] = &importEntry{err: err}
		return gojsonnet.Contents{}, false, err
	}
	c := gojsonnet.MakeContentsRaw(src)
	im.cache[foundAt] = &importEntry{contents: c}
	return c, true, nil
}

var errNotFound = errors.New("not found")

// Import implements go-jsonnet's Importer.
func (im *importer) Import(importedFrom, importedPath string) (gojsonnet.Contents, string, error) {
	var candidates []string
	switch {
	case strings.HasPrefix(importedPath, StdlibPrefix):
		candidates = []string{stdlibFile + path.Clean(importedPath)}
	case strings.HasPrefix(importedFrom, stdlibFile):
		// A relative import inside the library stays in it.
		dir := path.Dir(strings.TrimPrefix(importedFrom, stdlibFile))
		candidates = []string{stdlibFile + path.Join(dir, importedPath)}
	case filepath.IsAbs(importedPath):
		candidates = []string{filepath.Clean(importedPath)}
	default:
		dir := filepath.Dir(importedFrom)
		if importedFrom == "" {
			dir, _ = os.Getwd()
		}
		candidates = append(candidates, filepath.Join(dir, importedPath))
		for _, jp := range im.jpaths {
			candidates = append(candidates, filepath.Join(jp, importedPath))
		}
	}
	for _, c := range candidates {
		contents, found, err := im.load(c)
		if err != nil {
			return gojsonnet.Contents{}, "", fmt.Errorf("cannot read import %q: %v", importedPath, unwrapPathErr(err))
		}
		if found {
			return contents, c, nil
		}
	}
	if strings.HasPrefix(importedPath, StdlibPrefix) {
		return gojsonnet.Contents{}, "", fmt.Errorf("no file %q in hoist's standard library; it has %s", importedPath, diag.QuoteList(StdlibFiles()))
	}
	return gojsonnet.Contents{}, "", fmt.Errorf("cannot find import %q in the importing file's folder%s", importedPath, map[bool]string{true: " or the library folders", false: ""}[len(im.jpaths) > 0])
}

// StdlibFiles lists the import paths of the embedded library.
func StdlibFiles() []string {
	var out []string
	var walk func(dir string)
	walk = func(dir string) {
		ents, err := stdlib.Jsonnet.ReadDir(dir)
		if err != nil {
			return
		}
		for _, e := range ents {
			p := path.Join(dir, e.Name())
			if e.IsDir() {
				walk(p)
				continue
			}
			out = append(out, strings.TrimPrefix(p, "jsonnet/"))
		}
	}
	walk("jsonnet")
	return out
}

// topFunction returns the function a program evaluates to, if it is one
// written out (hoist passes no top-level arguments).
func topFunction(n ast.Node) *ast.Function {
	for {
		switch x := n.(type) {
		case *ast.Local:
			n = x.Body
		case *ast.Parens:
			n = x.Inner
		case *ast.Function:
			return x
		default:
			return nil
		}
	}
}

// Imports returns the files the Jsonnet program src (read from file)
// imports, directly or not, by absolute path: the files whose changes
// change its document. Files of the embedded library are left out (they
// change only with hoist).
func Imports(file string, src []byte, o Options) ([]string, error) {
	abs := absPath(file)
	o = o.prepare(abs)
	im := newImporter(o)
	im.remember(abs, src)
	vm := gojsonnet.MakeVM()
	vm.Importer(im)
	deps, err := vm.FindDependencies("", []string{abs})
	if err != nil {
		return nil, err
	}
	out := deps[:0]
	for _, d := range deps {
		if !strings.HasPrefix(d, stdlibFile) {
			out = append(out, d)
		}
	}
	return out, nil
}
