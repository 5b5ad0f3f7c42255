package environment

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"hoist/compiler/jsonnet"
	"hoist/diag"
	"hoist/source"
	"hoist/value"
)

// Registry is a merged resource_registry. It is immutable; the registry a
// nested stack sees is derived with Child.
type Registry struct {
	// entries are the type mappings: key → value (a type, a template path,
	// or null for a deleted mapping).
	entries map[string]*Entry
	globs   []string // keys ending in "*", sorted
	// resources is the resources: section: resource name → its entries.
	resources *value.Value
	// removed lists entries removed from this registry (the entry that
	// instantiated the stack, so that it does not recurse).
	removed []string
}

// Entry is one mapping of the registry.
type Entry struct {
	// Path is where the mapping sits: [type] or ["resources", name, type].
	Path []string
	// Key is the type (or glob) mapped, Value what it maps to: a type or an
	// absolute template path.
	Key, Value string
	// Range is where the value is written.
	Range source.Range
}

// IsTemplate reports whether the entry maps to a template.
func (e *Entry) IsTemplate() bool { return isTemplatePath(e.Value) || isTemplatePath(e.Key) }

func isTemplatePath(s string) bool {
	return strings.HasSuffix(s, ".yaml") || strings.HasSuffix(s, ".template") || jsonnet.IsJsonnet(s)
}

// IsTemplatePath reports whether a resource type or a registry value
// names a template file (YAML, or Jsonnet that hoist evaluates) rather
// than a type.
func IsTemplatePath(s string) bool { return isTemplatePath(s) }

func newRegistry(rr *value.Value) *Registry {
	r := &Registry{entries: map[string]*Entry{}}
	if rr == nil || rr.Kind != value.Map {
		return r
	}
	for _, e := range rr.Map.Entries() {
		k := value.Str(e.Key)
		switch {
		case k == "resources":
			if e.Val.Kind == value.Map {
				r.resources = e.Val
			}
		case k == "base_url":
		case e.Val.Kind == value.Null:
			if strings.HasSuffix(k, "*") {
				for name := range r.entries {
					if strings.HasPrefix(name, k[:len(k)-1]) {
						delete(r.entries, name)
					}
				}
			} else {
				delete(r.entries, k)
			}
		case e.Val.Kind == value.String:
			r.entries[k] = &Entry{Path: []string{k}, Key: k, Value: e.Val.Str, Range: e.Val.Range}
		}
	}
	for k := range r.entries {
		if strings.HasSuffix(k, "*") {
			r.globs = append(r.globs, k)
		}
	}
	sort.Strings(r.globs)
	return r
}

// Resolved says what implements a resource type.
type Resolved struct {
	// Template is the absolute path of the template when the type is
	// implemented by one; empty for a built-in type.
	Template string
	// Builtin is the built-in (plugin) type otherwise, e.g. OS::Heat::None.
	Builtin string
	// Entry is the registry entry whose template was chosen (nil for a
	// template path written as the type, or for a built-in).
	Entry *Entry
	// Via lists the registry entries followed, first to last.
	Via []*Entry
}

type candidate struct {
	entry *Entry
	user  bool
}

// Resolve finds the implementation of typ for a resource named resName,
// as Heat's ResourceRegistry.get_resource_info does: candidates from the
// environment (the type itself when it is a template path, the resource's
// own override, the exact mapping, matching globs) come before built-in
// plugins, more specific paths first; aliases resolve recursively.
func (r *Registry) Resolve(typ, resName string) (*Resolved, error) {
	return r.resolve(typ, resName, nil)
}

func (r *Registry) resolve(typ, resName string, via []*Entry) (*Resolved, error) {
	if len(via) > 50 {
		return nil, fmt.Errorf("resource registry mapping loop: %s", viaString(via))
	}
	for _, e := range via {
		if e.Key == typ && len(e.Path) == 1 {
			return nil, fmt.Errorf("resource registry mapping loop: %s → %s", viaString(via), typ)
		}
	}
	var cands []candidate
	if isTemplatePath(typ) {
		cands = append(cands, candidate{&Entry{Path: []string{typ}, Key: typ, Value: typ}, true})
	}
	if resName != "" && r.resources != nil {
		if rv, ok := r.resources.Map.Get(resName); ok && rv.Kind == value.Map {
			if tv, ok := rv.Map.Get(typ); ok && tv.Kind == value.String {
				cands = append(cands, candidate{&Entry{Path: []string{"resources", resName, typ}, Key: typ, Value: tv.Str, Range: tv.Range}, true})
			}
		}
	}
	if e, ok := r.entries[typ]; ok && !r.isRemoved(typ) {
		cands = append(cands, candidate{e, true})
	}
	for _, g := range r.globs {
		e := r.entries[g]
		if r.isRemoved(g) {
			continue
		}
		if typ != e.Value && strings.HasPrefix(typ, g[:len(g)-1]) {
			cands = append(cands, candidate{e, true})
		}
	}
	if IsBuiltin(typ) {
		cands = append(cands, candidate{&Entry{Path: []string{typ}, Key: typ, Value: typ}, false})
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.user != b.user {
			return a.user
		}
		if len(a.entry.Path) != len(b.entry.Path) {
			return len(a.entry.Path) > len(b.entry.Path)
		}
		return strings.Join(a.entry.Path, "\x00") < strings.Join(b.entry.Path, "\x00")
	})
	var firstErr error
	for _, c := range cands {
		e := c.entry
		switch {
		case !c.user:
			return &Resolved{Builtin: typ, Via: via}, nil
		case isTemplatePath(e.Key) && len(e.Path) == 1 && e.Key == typ && e.Value == typ:
			return &Resolved{Template: typ, Via: via}, nil
		case e.IsTemplate():
			tmpl := e.Value
			if isTemplatePath(e.Key) {
				tmpl = e.Key
			}
			return &Resolved{Template: tmpl, Entry: e, Via: append(via, e)}, nil
		case strings.HasSuffix(e.Key, "*"):
			target := e.Value
			if strings.HasSuffix(target, "*") {
				target = target[:len(target)-1] + typ[len(e.Key)-1:]
			}
			res, err := r.resolve(target, resName, append(via, e))
			if err == nil {
				return res, nil
			}
			if firstErr == nil {
				firstErr = err
			}
		default:
			res, err := r.resolve(e.Value, resName, append(via, e))
			if err == nil {
				return res, nil
			}
			if firstErr == nil {
				firstErr = err
			}
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	if len(via) > 0 {
		return nil, fmt.Errorf("the resource type %q (from %s) could not be found: it is neither in the resource_registry nor a built-in type", typ, viaString(via))
	}
	return nil, fmt.Errorf("the resource type %q could not be found: it is neither in the resource_registry nor a built-in type", typ)
}

func viaString(via []*Entry) string {
	var parts []string
	for _, e := range via {
		parts = append(parts, e.Key)
	}
	return strings.Join(parts, " → ")
}

func (r *Registry) isRemoved(key string) bool {
	for _, k := range r.removed {
		if k == key {
			return true
		}
	}
	return false
}

// Child returns the registry of the nested stack that resource resName
// instantiated through res: the entry used is removed (so a template does
// not instantiate itself through it again) and the resources: section is
// replaced by the merged entries whose pattern matches resName.
func (r *Registry) Child(res *Resolved, resName string) *Registry {
	c := &Registry{entries: r.entries, globs: r.globs, removed: r.removed}
	if res != nil && res.Entry != nil && len(res.Entry.Path) == 1 && res.Template != "" {
		c.removed = append(append([]string(nil), r.removed...), res.Entry.Key)
	}
	if r.resources != nil {
		merged := value.NewMapping(0)
		var exact *value.Value
		for _, e := range r.resources.Map.Entries() {
			pat := value.Str(e.Key)
			if e.Val.Kind != value.Map {
				continue
			}
			if ok, _ := path.Match(fnmatchToPath(pat), resName); ok {
				for _, ie := range e.Val.Map.Entries() {
					merged.Set(ie.Key, ie.Val)
				}
			}
			if pat == resName {
				exact = e.Val
			}
		}
		if exact != nil {
			for _, ie := range exact.Map.Entries() {
				merged.Set(ie.Key, ie.Val)
			}
		}
		if merged.Len() > 0 {
			c.resources = value.NewMap(merged, r.resources.Range)
		}
	}
	return c
}

// fnmatchToPath converts an fnmatch pattern to a path.Match pattern: both
// have *, ? and [...]; "/" has no special meaning in resource names.
func fnmatchToPath(p string) string {
	return strings.ReplaceAll(p, "/", "\\/")
}

// Entries lists the type mappings (not deleted or removed), sorted by key.
func (r *Registry) Entries() []*Entry {
	var out []*Entry
	for k, e := range r.entries {
		if !r.isRemoved(k) {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// ErrorAt turns a resolution error into a diagnostic at r.
func ErrorAt(err error, r source.Range, rule string) *diag.Diagnostic {
	return diag.Newf(diag.Error, rule, r, "%v", err)
}
