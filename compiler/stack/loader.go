package stack

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode/utf8"

	"hoist/compiler/hot"
	"hoist/compiler/jsonnet"
	"hoist/diag"
	"hoist/pyyaml"
	"hoist/source"
	"hoist/value"
)

// Loader reads and parses templates and files, once per path: templates
// are immutable, so every stack that instantiates one shares it. A Loader
// is safe for concurrent use.
type Loader struct {
	// ReadFile reads a file by absolute path; nil means os.ReadFile.
	ReadFile func(name string) ([]byte, error)
	// Base is the directory diagnostics show paths relative to; empty
	// means the working directory. Files outside it are shown absolute.
	Base string
	// Limits are the YAML loader's limits.
	Limits pyyaml.Limits

	mu        sync.Mutex
	templates map[string]*templateEntry
	files     map[string]*fileEntry
	// docs are the YAML documents of templates, shared with another
	// reader of the same files (Share, Offer).
	docs     map[string]sharedDoc
	base     string
	baseOnce sync.Once
}

// sharedDoc is a document loaded from src, the text of a file before
// heatclient's strip.
type sharedDoc struct {
	src []byte
	doc *pyyaml.Document
}

// Offer gives the loader the document a caller loaded with pyyaml.Load
// from src, the contents of the file at abs, named name (hoist lint loads
// every file of a tree for its own rules): Template then builds the
// template from it rather than loading the text again. It is kept only
// when the loader names the file name too and heatclient's strip
// (clientStrip) cannot change what src loads to (shareable). The document
// must not be changed afterwards.
func (l *Loader) Offer(abs, name string, src []byte, doc *pyyaml.Document) {
	if doc == nil || name != l.Display(abs) || !shareable(src, doc.Root) {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.docs[abs]; ok {
		return
	}
	if l.docs == nil {
		l.docs = map[string]sharedDoc{}
	}
	l.docs[abs] = sharedDoc{src: src, doc: doc}
}

// Shared returns the document the loader (or an Offer) loaded of the file
// at abs when it was loaded from src and is named name, nil otherwise: the
// caller may use it as its own pyyaml.Load(name, src) and must not change
// it.
func (l *Loader) Shared(abs, name string, src []byte) *pyyaml.Document {
	l.mu.Lock()
	d, ok := l.docs[abs]
	l.mu.Unlock()
	if !ok || name != l.Display(abs) || !bytes.Equal(d.src, src) {
		return nil
	}
	return d.doc
}

// shareable reports whether src loads to the same document as
// clientStrip(src): no whitespace before the first line's text (the strip
// would move its columns), no JSON (heatclient parses it as JSON), and no
// block scalar ending the text (the strip would drop its final line
// break).
func shareable(src []byte, root *value.Value) bool {
	body := bytes.TrimLeft(src, " \t\n\r\v\f")
	if i := len(src) - len(body); i > 0 && src[i-1] != '\n' {
		return false
	}
	if bytes.HasPrefix(body, []byte("{")) {
		return false
	}
	return !endsInBlockScalar(src, root)
}

// endsInBlockScalar reports whether the scalar that ends last in the
// document is a block scalar (its text starts with | or >), or may be one
// (its value ends with a line break).
func endsInBlockScalar(src []byte, root *value.Value) bool {
	var last *value.Value
	var walk func(v *value.Value)
	walk = func(v *value.Value) {
		if v == nil {
			return
		}
		switch v.Kind {
		case value.Map:
			for _, e := range v.Map.Entries() {
				walk(e.Key)
				walk(e.Val)
			}
		case value.List:
			for _, x := range v.List {
				walk(x)
			}
		default:
			// Scalars do not nest: the one that starts last ends last.
			if last == nil || source.Compare(source.Range{Start: last.Range.Start}, source.Range{Start: v.Range.Start}) < 0 {
				last = v
			}
		}
	}
	walk(root)
	if last == nil || last.Kind != value.String {
		return false
	}
	if strings.HasSuffix(last.Str, "\n") {
		return true
	}
	off := offsetOf(src, int(last.Range.Start.Line), int(last.Range.Start.Col))
	return off < 0 || src[off] == '|' || src[off] == '>'
}

// offsetOf is the byte offset of a 1-based line and column (columns count
// runes), -1 when it is not in src.
func offsetOf(src []byte, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			return -1
		}
		off += i + 1
	}
	for c := 1; c < col; c++ {
		if off >= len(src) || src[off] == '\n' {
			return -1
		}
		_, size := utf8.DecodeRune(src[off:])
		off += size
	}
	if off >= len(src) {
		return -1
	}
	return off
}

type templateEntry struct {
	once sync.Once
	t    *hot.Template
	err  error
}

type fileEntry struct {
	once sync.Once
	src  []byte
	err  error
}

// NewLoader returns a loader reading the file system.
func NewLoader() *Loader { return &Loader{} }

func (l *Loader) read(abs string) ([]byte, error) {
	l.mu.Lock()
	if l.files == nil {
		l.files = map[string]*fileEntry{}
	}
	e := l.files[abs]
	if e == nil {
		e = &fileEntry{}
		l.files[abs] = e
	}
	l.mu.Unlock()
	e.once.Do(func() {
		read := l.ReadFile
		if read == nil {
			read = os.ReadFile
		}
		e.src, e.err = read(abs)
	})
	return e.src, e.err
}

// Display returns the name diagnostics use for an absolute path: relative
// to Base when inside it.
func (l *Loader) Display(abs string) string {
	l.baseOnce.Do(func() {
		l.base = l.Base
		if l.base == "" {
			l.base, _ = os.Getwd()
		}
		if a, err := filepath.Abs(l.base); err == nil {
			l.base = a
		}
	})
	if l.base != "" {
		if rel, err := filepath.Rel(l.base, abs); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return abs
}

// Abs returns the absolute, cleaned form of a path.
func Abs(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}

// Template loads and parses the template at the absolute path abs.
func (l *Loader) Template(abs string) (*hot.Template, error) {
	l.mu.Lock()
	if l.templates == nil {
		l.templates = map[string]*templateEntry{}
	}
	e := l.templates[abs]
	if e == nil {
		e = &templateEntry{}
		l.templates[abs] = e
	}
	l.mu.Unlock()
	e.once.Do(func() {
		name := l.Display(abs)
		src, err := l.read(abs)
		if err != nil {
			e.err = diag.Newf(diag.Error, hot.RuleTemplate, source.Range{File: name}, "cannot read template: %v", unwrap(err))
			return
		}
		if jsonnet.IsJsonnet(abs) {
			// A template written in Jsonnet: the document it yields is
			// the template, with ranges in the .jsonnet file.
			root, err := jsonnet.Evaluate(abs, src, jsonnet.Options{ReadFile: l.ReadFile, Display: l.Display})
			if err != nil {
				e.err = err
				return
			}
			e.t, e.err = hot.Parse(name, root)
			return
		}
		raw := src
		if d := l.Shared(abs, name, raw); d != nil {
			e.t, e.err = hot.Parse(name, d.Root)
			return
		}
		src = clientStrip(src)
		var root *value.Value
		if bytes.HasPrefix(bytes.TrimLeft(src, "\n"), []byte("{")) {
			// heatclient parses a template that starts with "{" as JSON.
			root, err = hot.ParseJSON(string(src), source.Range{File: name, Start: source.Pos{Line: 1, Col: 1}})
			if err != nil {
				e.err = diag.Newf(diag.Error, hot.RuleTemplate, source.Range{File: name, Start: source.Pos{Line: 1, Col: 1}}, "template is not valid JSON: %v", err)
				return
			}
		} else {
			doc, err := pyyaml.Load(name, src, l.Limits)
			if err != nil {
				e.err = err
				return
			}
			root = doc.Root
			l.Offer(abs, name, raw, doc)
		}
		e.t, e.err = hot.Parse(name, root)
	})
	return e.t, e.err
}

// clientStrip is the strip() heatclient applies to a template's text before
// parsing it, which drops the final line break of a block scalar that ends
// the file ("step_config: |" on the last lines gives no trailing newline).
// Leading blank lines are kept as line breaks so that positions stay true.
func clientStrip(src []byte) []byte {
	const ws = " \t\n\r\v\f"
	end := bytes.TrimRight(src, ws)
	body := bytes.TrimLeft(end, ws)
	lead := end[:len(end)-len(body)]
	if len(lead) == 0 {
		return end
	}
	out := make([]byte, 0, len(end))
	for _, c := range lead {
		if c == '\n' {
			out = append(out, '\n')
		}
	}
	return append(out, body...)
}

// File returns the content of a file for get_file, as heatclient put it in
// the files map: the text, or, when the file is itself a Heat template,
// the JSON of the parsed template.
func (l *Loader) File(abs string) (string, error) {
	src, err := l.read(abs)
	if err != nil {
		return "", unwrap(err)
	}
	if js, ok := l.templateJSON(abs, src); ok {
		return js, nil
	}
	return string(src), nil
}

// templateJSON reports whether src parses as a Heat template (heatclient's
// is_template) and returns its JSON.
func (l *Loader) templateJSON(abs string, src []byte) (string, bool) {
	text := strings.TrimSpace(string(src))
	if text == "" {
		return "", false
	}
	var root *value.Value
	if strings.HasPrefix(text, "{") {
		v, err := hot.ParseJSON(text, source.Range{File: l.Display(abs)})
		if err != nil {
			return "", false
		}
		root = v
	} else {
		doc, err := pyyaml.Load(l.Display(abs), src, l.Limits)
		if err != nil {
			return "", false
		}
		root = doc.Root
	}
	if root == nil || root.Kind != value.Map {
		return "", false
	}
	for _, k := range []string{"heat_template_version", "HeatTemplateFormatVersion", "AWSTemplateFormatVersion"} {
		if root.Map.Has(k) {
			var b strings.Builder
			_ = value.WriteJSON(&b, root, value.JSONOptions{})
			return b.String(), true
		}
	}
	return "", false
}

func unwrap(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
