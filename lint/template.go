package lint

import (
	"strconv"
	"strings"
	"sync"

	"hoist/value"
)

// hotFunctions are the intrinsic functions of HOT queens (2018-03-02)
// outside condition contexts (heat-intrinsics.md §1.2).
var hotFunctions = map[string]bool{
	"get_attr": true, "get_file": true, "get_param": true, "get_resource": true, "list_join": true,
	"repeat": true, "resource_facade": true, "str_replace": true, "digest": true, "str_split": true,
	"map_merge": true, "yaql": true, "map_replace": true, "if": true, "filter": true,
	"str_replace_strict": true, "make_url": true, "list_concat": true, "list_concat_unique": true,
	"str_replace_vstrict": true, "contains": true,
}

// conditionFunctions are the functions of condition contexts: a
// conditions entry, the first argument of if, a resource's or output's
// condition (heat-intrinsics.md §1.3).
var conditionFunctions = map[string]bool{
	"get_param": true, "equals": true, "not": true, "and": true, "or": true, "yaql": true, "contains": true,
}

// fnCall reports whether v is a call of an intrinsic function: a mapping
// with exactly one key, that key a function name (heat-intrinsics.md §1.3).
func fnCall(v *value.Value) (name string, args *value.Value, ok bool) {
	return call(v, hotFunctions)
}

// condCall is fnCall for condition contexts.
func condCall(v *value.Value) (name string, args *value.Value, ok bool) {
	return call(v, conditionFunctions)
}

func call(v *value.Value, table map[string]bool) (string, *value.Value, bool) {
	if v == nil || v.Kind != value.Map || v.Map.Len() != 1 {
		return "", nil, false
	}
	e := v.Map.Entries()[0]
	if e.Key.Kind != value.String || !table[e.Key.Str] {
		return "", nil, false
	}
	return e.Key.Str, e.Val, true
}

// Template is a HOT template's sections.
type Template struct {
	File *File
	Root *value.Value
	// Version is heat_template_version's value.
	Version *value.Value
	// The sections; nil when absent (or null).
	Parameters, Resources, Outputs, Conditions, ParameterGroups *value.Value
}

// TemplateOf returns the template view of f, nil when f is not a HOT
// template (no heat_template_version at the top: an environment, a roles
// file, Ansible tasks).
func TemplateOf(f *File) *Template {
	root := f.Doc.Root
	if root == nil || root.Kind != value.Map {
		return nil
	}
	ver, ok := root.Map.Get("heat_template_version")
	if !ok {
		return nil
	}
	t := &Template{File: f, Root: root, Version: ver}
	section := func(k string) *value.Value {
		v, ok := root.Map.Get(k)
		if !ok || v.IsNull() {
			return nil
		}
		return v
	}
	t.Parameters, t.Resources, t.Outputs = section("parameters"), section("resources"), section("outputs")
	t.Conditions, t.ParameterGroups = section("conditions"), section("parameter_groups")
	return t
}

// mapEntries returns v's entries when v is a map, else nil.
func mapEntries(v *value.Value) []value.Entry {
	if v == nil || v.Kind != value.Map {
		return nil
	}
	return v.Map.Entries()
}

// keyString renders a map key as text.
func keyString(k *value.Value) string {
	if k.Kind == value.String {
		return k.Str
	}
	return value.Str(k)
}

// walk calls fn for v and every value below it, until fn returns false
// for a subtree.
func walk(v *value.Value, fn func(v *value.Value) bool) {
	if v == nil || !fn(v) {
		return
	}
	switch v.Kind {
	case value.List:
		for _, it := range v.List {
			walk(it, fn)
		}
	case value.Map:
		for _, e := range v.Map.Entries() {
			walk(e.Val, fn)
		}
	}
}

// ruleIDs is the set of registered rule ids.
var ruleIDs = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, r := range Rules() {
		m[r.Meta().ID] = true
	}
	return m
})

// slashPath returns name with forward slashes, for matching folders.
func slashPath(name string) string { return "/" + strings.ReplaceAll(name, "\\", "/") }

// show renders a value in a message: a string quoted, anything else as
// JSON.
func show(v *value.Value) string {
	if v == nil {
		return "null"
	}
	if v.Kind == value.String {
		return strconv.Quote(v.Str)
	}
	return value.Dumps(v)
}

// andList quotes items and joins them with commas and "and".
func andList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = strconv.Quote(s)
	}
	switch len(q) {
	case 0:
		return "nothing"
	case 1:
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}
