// Package provenance holds the way a compiled value came to its place in
// an artifact: the value's own range (its literal, or the call that
// computed it), its YAML alias sites, and the steps the compiler recorded
// on it and on the values around it (value.Origin: get_param, get_attr,
// map_merge, yaql, list_join, the role aggregation, the hiera merge), in
// the order they happened, the literal first. hoist why renders it.
package provenance

import (
	"fmt"
	"strconv"
	"strings"

	"hoist/source"
	"hoist/value"
)

// Step is one step of a value's way.
type Step struct {
	// Kind names the step: "literal", "alias", or an origin's kind
	// ("get_param", "get_attr", "map_merge", "mergeWith", "yaql",
	// "list_join", "aggregate", "hiera", ...), or "part" for a
	// contributor of a merge or a join.
	Kind string
	// At is where the step happened.
	At source.Range
	// Note says what it did.
	Note string
	// Decl and Set: a parameter's declaration and the place that set its
	// value; an output's definition.
	Decl, Set source.Range
	// Key is the key a merge's contributor gave.
	Key string
	// Depth is 0 for the value's own steps, 1 for a contributor of the
	// step before, 2 for that contributor's own steps, ...
	Depth int
}

// Trace is the way of one value.
type Trace struct {
	// Path is where the value is in its document.
	Path value.Path
	// Value is the value.
	Value *value.Value
	// Steps are its steps, the first (nearest the literal) first.
	Steps []Step
}

// maxDepth bounds how deep contributors' own ways are followed.
const maxDepth = 6

// maxParts is how many contributors of one key a step lists: beyond, the
// first two, the last two and every discarded one.
const maxParts = 6

// Of traces the value at path in root (Find's syntax).
func Of(root *value.Value, path string) (*Trace, error) {
	p, values, err := Find(root, path)
	if err != nil {
		return nil, err
	}
	leaf := values[len(values)-1]
	t := &Trace{Path: p, Value: leaf}
	t.Steps = own(leaf, 0)
	// Then the ways of the values around it, innermost first, each said
	// for the key that leads to the value.
	for i := len(values) - 2; i >= 0; i-- {
		key := p[i].Key
		if p[i].IsIndex {
			key = ""
		}
		t.Steps = append(t.Steps, originSteps(values[i].Origin, key, false, 0)...)
	}
	return t, nil
}

// own is a value's own way: its literal (unless the first origin step is
// the call that computed it), its alias sites, its origin steps with all
// their contributors.
func own(v *value.Value, depth int) []Step {
	var out []Step
	first := v.Origin.Steps()
	if len(first) == 0 || first[0].At != v.Range {
		out = append(out, Step{Kind: "literal", At: v.Range, Note: "the value " + value.Clip(v, 100), Depth: depth})
	}
	for _, site := range v.Via.Sites() {
		out = append(out, Step{Kind: "alias", At: site, Note: "copied here through a YAML alias", Depth: depth})
	}
	return append(out, originSteps(v.Origin, "", true, depth)...)
}

// originSteps are the steps of an origin chain, first first; for a merge,
// the contributors of key (all of them when whole is set).
func originSteps(o *value.Origin, key string, whole bool, depth int) []Step {
	var out []Step
	for _, s := range o.Steps() {
		out = append(out, Step{Kind: s.Kind, At: s.At, Note: s.Note, Decl: s.Decl, Set: s.Set, Depth: depth})
		var parts []value.Part
		for _, p := range s.Parts {
			if p.Key == key || whole && (p.Key == "" || p.Val != nil) {
				parts = append(parts, p)
			}
		}
		for i, p := range parts {
			if skipped := len(parts) - maxParts; skipped > 0 && i >= 2 && i < len(parts)-2 && !strings.HasPrefix(p.Note, "discarded") {
				if i == 2 {
					out = append(out, Step{Kind: "part", Note: fmt.Sprintf("... and the other contributors (%d in all)", len(parts)), Key: p.Key, Depth: depth + 1})
				}
				continue
			}
			out = append(out, Step{Kind: "part", At: p.At, Note: p.Note, Key: p.Key, Depth: depth + 1})
			if p.Val != nil && depth+2 <= maxDepth && (p.Val.Origin != nil || p.Val.Via != nil) {
				out = append(out, own(p.Val, depth+2)...)
			}
			if p.From != nil && p.Key != "" && depth+2 <= maxDepth && !strings.HasPrefix(p.Note, "discarded") {
				out = append(out, originSteps(p.From, p.Key, false, depth+2)...)
			}
		}
	}
	return out
}

// Find locates path in root and returns it as a value.Path with the
// values from root to the target. A path is keys joined by dots and list
// indexes in brackets (nova_api.volumes[2]); a key may be written in
// brackets and quotes (["tripleo::haproxy"]) and, since hiera keys hold
// dots and colons, a key of a map is matched against the rest of the path
// as a whole first (tripleo.memcached.firewall_rules is one key).
func Find(root *value.Value, path string) (value.Path, []*value.Value, error) {
	values := []*value.Value{root}
	var p value.Path
	v, rest := root, strings.TrimPrefix(path, ".")
	for rest != "" {
		switch {
		case strings.HasPrefix(rest, "[\""):
			end := closingQuote(rest)
			if end < 0 {
				return nil, nil, fmt.Errorf("path %q: unterminated [\"...\"] at %q", path, rest)
			}
			k, err := strconv.Unquote(rest[1 : end+1])
			if err != nil || !strings.HasPrefix(rest[end+1:], "]") {
				return nil, nil, fmt.Errorf("path %q: bad [\"...\"] at %q", path, rest)
			}
			next, ok := mapGet(v, k)
			if !ok {
				return nil, nil, notFound(path, p, v, k)
			}
			p, v, rest = p.Key(k), next, rest[end+2:]
		case strings.HasPrefix(rest, "["):
			end := strings.IndexByte(rest, ']')
			i, err := strconv.Atoi(rest[1:max(end, 1)])
			if end < 0 || err != nil {
				return nil, nil, fmt.Errorf("path %q: expected [index] or [\"key\"] at %q", path, rest)
			}
			if value.KindOf(v) != value.List || i < 0 || i >= len(v.List) {
				return nil, nil, fmt.Errorf("path %q: %s is not a list with an item %d (it is %s)", path, at(p), i, describe(v))
			}
			p, v, rest = p.Index(i), v.List[i], rest[end+1:]
		default:
			k := longestKey(v, rest)
			if k == "" {
				k, _, _ = strings.Cut(rest, ".")
				k, _, _ = strings.Cut(k, "[")
				return nil, nil, notFound(path, p, v, k)
			}
			next, _ := mapGet(v, k)
			p, v, rest = p.Key(k), next, rest[len(k):]
		}
		values = append(values, v)
		rest = strings.TrimPrefix(rest, ".")
	}
	return p, values, nil
}

func closingQuote(s string) int {
	for i := 2; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

func mapGet(v *value.Value, k string) (*value.Value, bool) {
	if value.KindOf(v) != value.Map {
		return nil, false
	}
	return v.Map.Get(k)
}

// longestKey is the longest key of map v that rest starts with, followed
// by the end, a dot or a bracket.
func longestKey(v *value.Value, rest string) string {
	if value.KindOf(v) != value.Map {
		return ""
	}
	best := ""
	for _, e := range v.Map.Entries() {
		k := value.JSONKey(e.Key)
		if len(k) <= len(best) || !strings.HasPrefix(rest, k) {
			continue
		}
		if after := rest[len(k):]; after == "" || after[0] == '.' || after[0] == '[' {
			best = k
		}
	}
	return best
}

func at(p value.Path) string {
	if len(p) == 0 {
		return "the document"
	}
	return p.String()
}

func describe(v *value.Value) string {
	switch value.KindOf(v) {
	case value.Map:
		return fmt.Sprintf("a map of %d keys", v.Map.Len())
	case value.List:
		return fmt.Sprintf("a list of %d items", len(v.List))
	}
	return "the " + value.KindOf(v).String() + " " + value.Clip(v, 100)
}

func notFound(path string, p value.Path, v *value.Value, k string) error {
	if value.KindOf(v) != value.Map {
		return fmt.Errorf("path %q: %s has no key %q: it is %s", path, at(p), k, describe(v))
	}
	keys := make([]string, 0, v.Map.Len())
	for _, e := range v.Map.Entries() {
		keys = append(keys, strconv.Quote(value.JSONKey(e.Key)))
	}
	list := strings.Join(keys, ", ")
	if len(keys) > 12 {
		list = strings.Join(keys[:12], ", ") + fmt.Sprintf(", ... (%d keys)", len(keys))
	}
	return fmt.Errorf("path %q: %s has no key %q; its keys: %s", path, at(p), k, list)
}

// Within adds the ways of the values around the traced document when the
// document is itself a value inside outer, at prefix (a node file written
// from a key of a role's role_data): their steps come after the
// document's, innermost first.
func (t *Trace) Within(outer *value.Value, prefix value.Path) {
	values := []*value.Value{outer}
	v := outer
	for _, e := range prefix {
		switch {
		case e.IsIndex && value.KindOf(v) == value.List && e.Index < len(v.List):
			v = v.List[e.Index]
		case !e.IsIndex:
			v, _ = mapGet(v, e.Key)
		default:
			return
		}
		values = append(values, v)
	}
	for i := len(prefix) - 1; i >= 0; i-- {
		key := prefix[i].Key
		if prefix[i].IsIndex {
			key = ""
		}
		t.Steps = append(t.Steps, originSteps(values[i].Origin, key, false, 0)...)
	}
}

// Locate returns the path at which target (the very value, not an equal
// one) is in root, looking through maps and lists down to depth levels.
func Locate(root, target *value.Value, depth int) (value.Path, bool) {
	if root == target {
		return value.Path{}, true
	}
	if depth == 0 || root == nil {
		return nil, false
	}
	switch root.Kind {
	case value.Map:
		for _, e := range root.Map.Entries() {
			if p, ok := Locate(e.Val, target, depth-1); ok {
				return append(value.Path{{Key: value.JSONKey(e.Key)}}, p...), true
			}
		}
	case value.List:
		for i, it := range root.List {
			if p, ok := Locate(it, target, depth-1); ok {
				return append(value.Path{{Index: i, IsIndex: true}}, p...), true
			}
		}
	}
	return nil, false
}

// Relocate replaces every place of the trace by place(it): a range in a
// rendered Jinja2 output by the template line that wrote it.
func (t *Trace) Relocate(place func(source.Range) source.Range) {
	for i := range t.Steps {
		s := &t.Steps[i]
		for _, r := range []*source.Range{&s.At, &s.Decl, &s.Set} {
			if !r.IsZero() {
				*r = place(*r)
			}
		}
	}
}
