// Package environment holds Heat environment files as the TripleO (queens)
// client combined them: each file's sections (parameters,
// parameter_defaults, resource_registry, ...), resource_registry paths made
// absolute against the directory of the file that wrote them, and the files
// merged in order with heatclient's deep_update (maps merge recursively,
// lists and scalars are replaced, a later null keeps an earlier map).
//
// The merged resource_registry answers "what implements this resource
// type" the way Heat's registry does: aliases resolved recursively, globs,
// OS::Heat::None, per-resource overrides, user entries before built-in
// plugins.
package environment

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"hoist/compiler/jsonnet"
	"hoist/diag"
	"hoist/pyyaml"
	"hoist/source"
	"hoist/value"
)

// Rule id of environment diagnostics.
const RuleEnvironment = "hot/environment"

// Sections are the top-level keys an environment file may have.
var Sections = []string{"parameters", "parameter_defaults", "resource_registry", "encrypted_param_names", "event_sinks", "parameter_merge_strategies"}

// Env is one environment file, or several merged. It is immutable once
// built and safe for concurrent use.
type Env struct {
	// Files lists the files merged into it, in order.
	Files []string
	// Root is the merged document: a map of sections.
	Root *value.Value

	regOnce sync.Once
	reg     *Registry
}

// Empty returns an environment with no sections.
func Empty() *Env { return &Env{Root: value.NewMap(nil, source.Range{})} }

// Parameters returns the merged parameters section.
func (e *Env) Parameters() *value.Mapping { return e.section("parameters") }

// ParameterDefaults returns the merged parameter_defaults section.
func (e *Env) ParameterDefaults() *value.Mapping { return e.section("parameter_defaults") }

func (e *Env) section(name string) *value.Mapping {
	if e == nil || e.Root == nil || e.Root.Kind != value.Map {
		return nil
	}
	if v, ok := e.Root.Map.Get(name); ok && v.Kind == value.Map {
		return v.Map
	}
	return nil
}

// Registry returns the merged resource_registry (built once).
func (e *Env) Registry() *Registry {
	if e == nil {
		return newRegistry(nil)
	}
	e.regOnce.Do(func() {
		var rr *value.Value
		if e.Root != nil && e.Root.Kind == value.Map {
			rr, _ = e.Root.Map.Get("resource_registry")
		}
		e.reg = newRegistry(rr)
	})
	return e.reg
}

// ReadFile reads files for LoadFile; tests replace it.
type ReadFile func(name string) ([]byte, error)

// LoadFile loads one environment file: checks its sections and makes its
// resource_registry paths absolute against the file's directory (or
// base_url).
func LoadFile(path string) (*Env, error) { return LoadFileFS(path, os.ReadFile) }

// LoadFiles loads environment files and merges them in order, as the
// TripleO client merged its -e files (Merge): the environments of
// hoist eval and of lint's evaluation. No file gives the empty
// environment.
func LoadFiles(paths ...string) (*Env, error) { return LoadFilesFS(os.ReadFile, paths...) }

// LoadFilesFS is LoadFiles reading through read.
func LoadFilesFS(read ReadFile, paths ...string) (*Env, error) {
	envs := make([]*Env, 0, len(paths))
	for _, p := range paths {
		e, err := LoadFileFS(p, read)
		if err != nil {
			return nil, err
		}
		envs = append(envs, e)
	}
	return Merge(envs...)
}

// LoadFileFS is LoadFile reading through read.
func LoadFileFS(path string, read ReadFile) (*Env, error) {
	src, err := read(path)
	if err != nil {
		return nil, diag.Newf(diag.Error, RuleEnvironment, source.Range{File: path}, "cannot read environment file: %v", unwrapPathErr(err))
	}
	if jsonnet.IsJsonnet(path) {
		// An environment written in Jsonnet: its document is what the
		// program yields.
		root, err := jsonnet.Evaluate(path, src, jsonnet.Options{ReadFile: read, Name: path})
		if err != nil {
			return nil, err
		}
		return Parse(path, root)
	}
	doc, err := pyyaml.Load(path, src, pyyaml.DefaultLimits)
	if err != nil {
		return nil, err
	}
	return Parse(path, doc.Root)
}

func unwrapPathErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// Parse checks a loaded environment document and resolves its registry
// paths against the directory of file.
func Parse(file string, root *value.Value) (*Env, error) {
	if root == nil || root.Kind == value.Null {
		return &Env{Files: []string{file}, Root: value.NewMap(nil, source.Range{File: file})}, nil
	}
	if root.Kind != value.Map {
		return nil, diag.Newf(diag.Error, RuleEnvironment, root.Range, "an environment must be a mapping of sections (%s), not a %s", diag.QuoteList(Sections), root.Kind)
	}
	for _, e := range root.Map.Entries() {
		if e.Key.Kind != value.String || !slices.Contains(Sections, e.Key.Str) {
			return nil, diag.Newf(diag.Error, RuleEnvironment, e.Key.Range, "environment has wrong section %q; expected one of %s", value.Str(e.Key), diag.QuoteList(Sections))
		}
		switch e.Key.Str {
		case "parameters", "parameter_defaults", "resource_registry":
			if e.Val.Kind != value.Map && e.Val.Kind != value.Null {
				return nil, diag.Newf(diag.Error, RuleEnvironment, e.Val.Range, "the %s section must be a mapping, not a %s", e.Key.Str, e.Val.Kind)
			}
		}
	}
	m := root.Map.Clone()
	if rr, ok := root.Map.Get("resource_registry"); ok && rr.Kind == value.Map {
		abs, err := resolveRegistryPaths(file, rr)
		if err != nil {
			return nil, err
		}
		m.Set(value.NewString("resource_registry", rr.Range), abs)
	}
	return &Env{Files: []string{file}, Root: value.NewMap(m, root.Range)}, nil
}

// resolveRegistryPaths rewrites the registry's file values to absolute
// paths, as heatclient did: top-level values and the values inside each
// resources: entry, relative to base_url or the file's directory; values
// naming types (containing "::"), maps, base_url, hooks and
// restricted_actions are left alone.
func resolveRegistryPaths(file string, rr *value.Value) (*value.Value, error) {
	base := filepath.Dir(absPath(file))
	if b, ok := rr.Map.Get("base_url"); ok && b.Kind == value.String {
		base = strings.TrimPrefix(b.Str, "file://")
	}
	resolveLevel := func(m *value.Value, base string) (*value.Value, error) {
		out := value.NewMapping(m.Map.Len())
		for _, e := range m.Map.Entries() {
			v := e.Val
			k := value.Str(e.Key)
			if v.Kind == value.String && k != "base_url" && k != "hooks" && k != "restricted_actions" && !strings.Contains(v.Str, "::") {
				p, err := joinPath(base, v)
				if err != nil {
					return nil, err
				}
				v = value.NewString(p, v.Range)
			}
			out.Set(e.Key, v)
		}
		return value.NewMap(out, m.Range), nil
	}
	top, err := resolveLevel(rr, base)
	if err != nil {
		return nil, err
	}
	if res, ok := top.Map.Get("resources"); ok && res.Kind == value.Map {
		rm := value.NewMapping(res.Map.Len())
		for _, e := range res.Map.Entries() {
			v := e.Val
			if v.Kind == value.Map {
				rb := base
				if b, ok := v.Map.Get("base_url"); ok && b.Kind == value.String {
					rb = strings.TrimPrefix(b.Str, "file://")
				}
				if v, err = resolveLevel(v, rb); err != nil {
					return nil, err
				}
			}
			rm.Set(e.Key, v)
		}
		top.Map.Set(value.NewString("resources", res.Range), value.NewMap(rm, res.Range))
	}
	return top, nil
}

func joinPath(base string, v *value.Value) (string, error) {
	s := v.Str
	switch {
	case strings.HasPrefix(s, "file://"):
		return filepath.Clean(strings.TrimPrefix(s, "file://")), nil
	case strings.Contains(s, "://"):
		return "", diag.Newf(diag.Error, RuleEnvironment, v.Range, "remote template %q is not supported: hoist reads local files only", s)
	case filepath.IsAbs(s):
		return filepath.Clean(s), nil
	}
	return filepath.Join(base, s), nil
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// Merge combines environments in order with heatclient's deep_update.
func Merge(envs ...*Env) (*Env, error) {
	out := Empty()
	for _, e := range envs {
		if e == nil {
			continue
		}
		root, err := deepUpdate(out.Root, e.Root)
		if err != nil {
			return nil, err
		}
		out.Root = root
		out.Files = append(out.Files, e.Files...)
	}
	return out, nil
}

// deepUpdate is heatclient's template_utils.deep_update, without mutating
// its inputs: for each key of upd, a map merges recursively into the old
// value (a missing or null old value counts as {}), a null keeps an old
// map, anything else replaces.
func deepUpdate(old, upd *value.Value) (*value.Value, error) {
	var m *value.Mapping
	r := upd.Range
	if old != nil && old.Kind == value.Map {
		m = old.Map.Clone()
		r = old.Range
	} else {
		m = value.NewMapping(upd.Map.Len())
	}
	for _, e := range upd.Map.Entries() {
		prev, had := m.Lookup(e.Key)
		switch {
		case e.Val.Kind == value.Map:
			if had && prev.Kind != value.Map && prev.Kind != value.Null {
				return nil, diag.Newf(diag.Error, RuleEnvironment, e.Val.Range, "cannot merge a map into %s %q, which an earlier environment set to a %s (at %s)", "key", value.Str(e.Key), prev.Kind, prev.Range)
			}
			if !had {
				prev = nil
			}
			nv, err := deepUpdate(prev, e.Val)
			if err != nil {
				return nil, err
			}
			m.Set(e.Key, nv)
		case e.Val.Kind == value.Null && had && prev.Kind == value.Map:
			// keep the earlier map
		default:
			m.Set(e.Key, e.Val)
		}
	}
	return value.NewMap(m, r), nil
}

// WithParameters returns a copy of e whose parameters section has the
// given extra values, later ones replacing (a deep_update of
// {parameters: extra}).
func (e *Env) WithParameters(extra *value.Mapping) (*Env, error) {
	if extra.Len() == 0 {
		return e, nil
	}
	pm := value.NewMapping(1)
	pm.Set(value.NewString("parameters", source.Range{}), value.NewMap(extra, source.Range{}))
	return Merge(e, &Env{Root: value.NewMap(pm, source.Range{})})
}
