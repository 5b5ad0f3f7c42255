package deploy

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"hoist/compiler/jinja"
	"hoist/diag"
)

// files is the THT tree as Heat's client saw it after process-templates:
// the files on disk, with every output of a Jinja2 template rendered on
// demand (once) in place of whatever the disk holds at that path. Only
// what the compile reads is rendered. It is safe for concurrent use.
type files struct {
	root     string // absolute THT root
	renderer *jinja.Renderer
	jobs     map[string]bool // slash paths of the outputs the tree renders

	mu       sync.Mutex
	rendered map[string]*renderEntry
}

type renderEntry struct {
	once sync.Once
	data []byte
	file *jinja.File
	err  error
}

func newFiles(root string, r *jinja.Renderer) *files {
	f := &files{root: root, renderer: r, jobs: map[string]bool{}, rendered: map[string]*renderEntry{}}
	for _, j := range r.Jobs() {
		f.jobs[j.Path] = true
	}
	return f
}

// rel returns the slash path of abs inside the tree, if it is inside.
func (f *files) rel(abs string) (string, bool) {
	r, err := filepath.Rel(f.root, abs)
	if err != nil || r == "." || strings.HasPrefix(r, ".."+string(filepath.Separator)) || r == ".." {
		return "", false
	}
	return filepath.ToSlash(r), true
}

// isRendered reports whether abs is the output of a Jinja2 template.
func (f *files) isRendered(abs string) bool {
	r, ok := f.rel(abs)
	return ok && f.jobs[r]
}

// ReadFile reads abs: a rendered output when a template renders to it,
// else the file on disk.
func (f *files) ReadFile(abs string) ([]byte, error) {
	r, ok := f.rel(abs)
	if !ok || !f.jobs[r] {
		return os.ReadFile(abs)
	}
	f.mu.Lock()
	e := f.rendered[r]
	if e == nil {
		e = &renderEntry{}
		f.rendered[r] = e
	}
	f.mu.Unlock()
	e.once.Do(func() {
		out, err := f.renderer.Render(r)
		if err != nil {
			e.err = err
			return
		}
		e.data, e.file = out.Data, out
	})
	return e.data, e.err
}

// Exists reports whether abs can be read: rendered, or a regular file.
func (f *files) Exists(abs string) bool {
	if f.isRendered(abs) {
		return true
	}
	st, err := os.Stat(abs)
	return err == nil && !st.IsDir()
}

// Failures returns the Jinja2 diagnostics of the outputs that could not
// be rendered, sorted.
func (f *files) Failures() []*diag.Diagnostic {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*diag.Diagnostic
	for _, e := range f.rendered {
		if e.err == nil {
			continue
		}
		var d *diag.Diagnostic
		var ds jinja.Errors
		switch {
		case errors.As(e.err, &ds):
			out = append(out, ds...)
		case errors.As(e.err, &d):
			out = append(out, d)
		}
	}
	return diag.Sort(out)
}

// Rendered returns the outputs rendered so far, by absolute path.
func (f *files) Rendered() map[string][]byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string][]byte{}
	for r, e := range f.rendered {
		if e.data != nil {
			out[filepath.Join(f.root, filepath.FromSlash(r))] = e.data
		}
	}
	return out
}

// renderedFiles returns the outputs rendered so far, by slash path.
func (f *files) renderedFiles() map[string]*jinja.File {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]*jinja.File{}
	for r, e := range f.rendered {
		if e.file != nil {
			out[r] = e.file
		}
	}
	return out
}

// RenderedPaths returns the slash paths rendered so far, sorted.
func (f *files) RenderedPaths() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for r, e := range f.rendered {
		if e.data != nil {
			out = append(out, r)
		}
	}
	sort.Strings(out)
	return out
}
