package stack

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"hoist/compiler/hot"
	"hoist/compiler/jsonnet"
	"hoist/diag"
	"hoist/internal/oncemap"
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

	templates oncemap.Map[string, *hot.Template]
	files     oncemap.Map[string, []byte]
	base      string
	baseOnce  sync.Once
}

// NewLoader returns a loader reading the file system.
func NewLoader() *Loader { return &Loader{} }

func (l *Loader) read(abs string) ([]byte, error) {
	return l.files.Do(abs, func() ([]byte, error) {
		if l.ReadFile != nil {
			return l.ReadFile(abs)
		}
		return os.ReadFile(abs)
	})
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
	return l.templates.Do(abs, func() (*hot.Template, error) {
		name := l.Display(abs)
		src, err := l.read(abs)
		if err != nil {
			return nil, diag.Newf(diag.Error, hot.RuleTemplate, source.Range{File: name}, "cannot read template: %v", unwrap(err))
		}
		if jsonnet.IsJsonnet(abs) {
			// A template written in Jsonnet: the document it yields is
			// the template, with ranges in the .jsonnet file.
			root, err := jsonnet.Evaluate(abs, src, jsonnet.Options{ReadFile: l.ReadFile, Display: l.Display})
			if err != nil {
				return nil, err
			}
			return hot.Parse(name, root)
		}
		src = clientStrip(src)
		var root *value.Value
		if bytes.HasPrefix(bytes.TrimLeft(src, "\n"), []byte("{")) {
			// heatclient parses a template that starts with "{" as JSON.
			root, err = hot.ParseJSON(string(src), source.Range{File: name, Start: source.Pos{Line: 1, Col: 1}})
			if err != nil {
				return nil, diag.Newf(diag.Error, hot.RuleTemplate, source.Range{File: name, Start: source.Pos{Line: 1, Col: 1}}, "template is not valid JSON: %v", err)
			}
		} else {
			doc, err := pyyaml.Load(name, src, l.Limits)
			if err != nil {
				return nil, err
			}
			root = doc.Root
		}
		return hot.Parse(name, root)
	})
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
