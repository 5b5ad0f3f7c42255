package lint

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"hoist/compiler/pyyaml"
	"hoist/diag"
	"hoist/source"
)

// Options configure a lint run.
type Options struct {
	Limits pyyaml.Limits
	// Jobs is how many files are checked at once; 0 means one per CPU.
	Jobs int
	// Rules are the enabled rules; nil means the recommended preset.
	Rules []Rule
}

// Result is the outcome of a run.
type Result struct {
	// Diagnostics are sorted and free of duplicates.
	Diagnostics []*diag.Diagnostic
	// Files lists the files checked.
	Files []string
	// Skipped lists Jinja2 templates (*.j2.yaml), which are not YAML until
	// rendered.
	Skipped []string
}

// IsJinja reports whether name is a Jinja2 template that THT renders into
// YAML before Heat sees it.
func IsJinja(name string) bool {
	return strings.HasSuffix(name, ".j2.yaml") || strings.HasSuffix(name, ".j2.yml")
}

func isYAML(name string) bool {
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

// Collect expands the command-line paths into the YAML files to check and
// the Jinja2 templates to skip. Directories are walked recursively, leaving
// out hidden ones (.git, .tox); a file named explicitly is checked whatever
// its extension.
func Collect(paths []string) (files, skipped []string, err error) {
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", p, unwrapPathError(err))
		}
		if !st.IsDir() {
			if IsJinja(p) {
				skipped = append(skipped, p)
			} else {
				files = append(files, p)
			}
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if path != p && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			switch {
			case IsJinja(d.Name()):
				skipped = append(skipped, path)
			case isYAML(d.Name()):
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	return files, skipped, nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

// Run checks the files under paths.
func Run(paths []string, o Options) (*Result, error) {
	files, skipped, err := Collect(paths)
	if err != nil {
		return nil, err
	}
	res := &Result{Files: files, Skipped: skipped}
	per := make([][]*diag.Diagnostic, len(files))
	jobs := o.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < min(jobs, len(files)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				per[i] = checkPath(files[i], o)
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, ds := range per {
		res.Diagnostics = append(res.Diagnostics, ds...)
	}
	res.Diagnostics = diag.Sort(res.Diagnostics)
	return res, nil
}

func checkPath(path string, o Options) []*diag.Diagnostic {
	src, err := readFile(path, o.Limits)
	if err != nil {
		return []*diag.Diagnostic{asDiagnostic(path, err)}
	}
	return CheckSource(path, src, o)
}

func readFile(path string, lim pyyaml.Limits) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return pyyaml.ReadLimited(path, f, lim)
}

// CheckSource checks one file's contents, named name in diagnostics.
func CheckSource(name string, src []byte, o Options) []*diag.Diagnostic {
	doc, err := pyyaml.Load(name, src, o.Limits)
	if err != nil {
		return []*diag.Diagnostic{asDiagnostic(name, err)}
	}
	f := &File{Path: name, Src: src, Doc: doc}
	var out []*diag.Diagnostic
	for _, r := range o.enabled() {
		fc, ok := r.(FileChecker)
		if !ok {
			continue
		}
		rep := NewReporter(r.Meta())
		fc.CheckFile(f, rep)
		out = append(out, rep.Diagnostics()...)
	}
	return out
}

func (o Options) enabled() []Rule {
	if o.Rules != nil {
		return o.Rules
	}
	var out []Rule
	for _, r := range Rules() {
		if r.Meta().InPreset(PresetRecommended) {
			out = append(out, r)
		}
	}
	return out
}

func asDiagnostic(name string, err error) *diag.Diagnostic {
	if d, ok := err.(*diag.Diagnostic); ok {
		return d
	}
	return &diag.Diagnostic{Severity: diag.Error, Rule: pyyaml.RuleSyntax, Range: source.Range{File: name},
		Message: "cannot read file: " + unwrapPathError(err).Error()}
}
