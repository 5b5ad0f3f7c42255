package deploy

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"hoist/compiler/jinja"
	"hoist/diag"
	"hoist/internal/oncemap"
)

// files is the THT tree as Heat's client saw it after process-templates:
// the files on disk, with every output of a Jinja2 template rendered on
// demand (once) in place of whatever the disk holds at that path. Only
// what the compile reads is rendered. It is safe for concurrent use.
type files struct {
	root     string // absolute THT root
	renderer *jinja.Renderer
	jobs     map[string]bool // slash paths of the outputs the tree renders

	// rendered are the outputs rendered, by slash path.
	rendered oncemap.Map[string, *jinja.File]
}

func newFiles(root string, r *jinja.Renderer) *files {
	f := &files{root: root, renderer: r, jobs: map[string]bool{}}
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
	out, err := f.rendered.Do(r, func() (*jinja.File, error) {
		out, err := f.renderer.Render(r)
		if err != nil {
			return nil, err
		}
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	return out.Data, nil
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
	var out []*diag.Diagnostic
	f.rendered.Each(func(_ string, _ *jinja.File, err error) {
		var d *diag.Diagnostic
		var ds jinja.Errors
		switch {
		case errors.As(err, &ds):
			out = append(out, ds...)
		case errors.As(err, &d):
			out = append(out, d)
		}
	})
	return diag.Sort(out)
}

// Rendered returns the outputs rendered so far, by absolute path.
func (f *files) Rendered() map[string][]byte {
	out := map[string][]byte{}
	f.rendered.Each(func(r string, file *jinja.File, _ error) {
		if file != nil && file.Data != nil {
			out[filepath.Join(f.root, filepath.FromSlash(r))] = file.Data
		}
	})
	return out
}

// renderedFiles returns the outputs rendered so far, by slash path.
func (f *files) renderedFiles() map[string]*jinja.File {
	out := map[string]*jinja.File{}
	f.rendered.Each(func(r string, file *jinja.File, _ error) {
		if file != nil {
			out[r] = file
		}
	})
	return out
}

// RenderedPaths returns the slash paths rendered so far, sorted.
func (f *files) RenderedPaths() []string {
	var out []string
	f.rendered.Each(func(r string, file *jinja.File, _ error) {
		if file != nil && file.Data != nil {
			out = append(out, r)
		}
	})
	sort.Strings(out)
	return out
}
