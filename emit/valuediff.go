package emit

import (
	"fmt"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"

	"hoist/value"
)

// ValueChange is one place inside a file where the two trees' values
// differ, said the way a reviewer reads it: a list by the elements added
// and removed (or that only its order changed), a map by key, a long or
// multi-line string as a unified diff of its lines, anything else as the
// old and the new value.
type ValueChange struct {
	// Path is where the value is in the file: a container and its option
	// (keystone.environment), a hiera key and the path inside it
	// (enabled_services, nova::cell_v2["transport_url"]).
	Path value.Path
	// Kind is "added", "removed", "changed", "list changed", "order
	// changed" or "text changed".
	Kind string
	// Old and New are the two values (Old nil when added, New nil when
	// removed).
	Old, New *value.Value
	// Added and Removed are the elements of a changed list that only the
	// new, or only the old, list holds (as many times as they are added
	// or removed).
	Added, Removed []*value.Value
	// Diff is a changed text's unified diff, its hunks only (without the
	// ---/+++ header).
	Diff []string
}

// longText is the length from which a changed string is shown as a line
// diff rather than as both values.
const longText = 120

// maxValueChanges caps the value changes of one change, so that a
// rewritten file stays reviewable.
const maxValueChanges = 200

// ValueChanges lists where a and b differ, below the path p: maps key by
// key, lists of the same length whose items are maps or lists item by
// item, other lists by the elements added and removed, long strings line
// by line.
func ValueChanges(p value.Path, a, b *value.Value) []ValueChange {
	var out []ValueChange
	var walk func(p value.Path, a, b *value.Value)
	walk = func(p value.Path, a, b *value.Value) {
		if len(out) >= maxValueChanges || same(a, b) {
			return
		}
		switch {
		case a == nil:
			out = append(out, ValueChange{Path: p, Kind: "added", New: b})
		case b == nil:
			out = append(out, ValueChange{Path: p, Kind: "removed", Old: a})
		case a.Kind == value.Map && b.Kind == value.Map:
			for _, k := range unionKeys(a, b) {
				walk(p.Key(k), child(a, k), child(b, k))
			}
		case a.Kind == value.List && b.Kind == value.List && len(a.List) == len(b.List) && (hasComposite(a.List) || hasComposite(b.List)) && !sameElements(a.List, b.List):
			for i := range a.List {
				walk(p.Index(i), a.List[i], b.List[i])
			}
		case a.Kind == value.List && b.Kind == value.List:
			added, removed := listDelta(a.List, b.List)
			c := ValueChange{Path: p, Kind: "list changed", Old: a, New: b, Added: added, Removed: removed}
			if len(added) == 0 && len(removed) == 0 {
				c.Kind = "order changed"
			}
			out = append(out, c)
		case a.Kind == value.String && b.Kind == value.String && isLongText(a.Str, b.Str):
			out = append(out, ValueChange{Path: p, Kind: "text changed", Old: a, New: b, Diff: textDiff(a.Str, b.Str)})
		default:
			out = append(out, ValueChange{Path: p, Kind: "changed", Old: a, New: b})
		}
	}
	walk(p, a, b)
	return out
}

// same reports whether two values are the same JSON: Python's equality,
// and the same kinds (true is not 1 in a file).
func same(a, b *value.Value) bool {
	if value.KindOf(a) != value.KindOf(b) || (a == nil) != (b == nil) {
		return false
	}
	return value.Equal(a, b) && value.Dumps(a) == value.Dumps(b)
}

func hasComposite(items []*value.Value) bool {
	for _, it := range items {
		if k := value.KindOf(it); k == value.Map || k == value.List {
			return true
		}
	}
	return false
}

// sameElements reports whether two lists hold the same elements, as many
// times each, in any order.
func sameElements(a, b []*value.Value) bool {
	added, removed := listDelta(a, b)
	return len(added) == 0 && len(removed) == 0
}

// listDelta returns the elements of b that a lacks and those of a that b
// lacks, each as many times as the other list lacks it, in list order.
func listDelta(a, b []*value.Value) (added, removed []*value.Value) {
	count := map[string]int{}
	for _, it := range a {
		count[value.Dumps(it)]++
	}
	for _, it := range b {
		k := value.Dumps(it)
		if count[k] > 0 {
			count[k]--
			continue
		}
		added = append(added, it)
	}
	for _, it := range a {
		k := value.Dumps(it)
		if count[k] > 0 {
			count[k]--
			removed = append(removed, it)
		}
	}
	return added, removed
}

func isLongText(a, b string) bool {
	return len(a) > longText || len(b) > longText || strings.Contains(a, "\n") || strings.Contains(b, "\n")
}

// textDiff is the unified diff of two texts' lines, its hunks only.
// go-udiff (the diff of gopls, as a module) computes it.
func textDiff(a, b string) []string {
	if !strings.HasSuffix(a, "\n") || !strings.HasSuffix(b, "\n") {
		a, b = a+"\n", b+"\n"
	}
	u, err := udiff.ToUnified("old", "new", a, udiff.Lines(a, b), 2)
	if err != nil {
		return []string{fmt.Sprintf("%d lines → %d lines", strings.Count(a, "\n"), strings.Count(b, "\n"))}
	}
	var out []string
	for _, l := range strings.Split(strings.TrimSuffix(u, "\n"), "\n") {
		if strings.HasPrefix(l, "--- ") || strings.HasPrefix(l, "+++ ") {
			continue
		}
		out = append(out, l)
	}
	return out
}

// Lines says the change for people, one line each, with paths relative
// to base (the change's name): `added: "nova_api"`, `order changed`,
// `nova::cell_v2: "a" → "b"`, the lines of a text diff.
func (c ValueChange) Lines(base value.Path) []string {
	at := ""
	if len(c.Path) > len(base) {
		at = c.Path[len(base):].String()
	}
	pre := func(s string) string {
		if at == "" {
			return s
		}
		return at + " " + s
	}
	switch c.Kind {
	case "added":
		return []string{pre("added: " + show(c.New))}
	case "removed":
		return []string{pre("removed (was " + show(c.Old) + ")")}
	case "order changed":
		return []string{pre(fmt.Sprintf("order changed (the same %d elements)", len(c.New.List)))}
	case "list changed":
		var out []string
		for _, it := range c.Added {
			out = append(out, pre("added: "+show(it)))
		}
		for _, it := range c.Removed {
			out = append(out, pre("removed: "+show(it)))
		}
		return out
	case "text changed":
		out := []string{pre("text changed:")}
		for _, l := range c.Diff {
			out = append(out, "  "+l)
		}
		return out
	}
	if at == "" {
		return []string{show(c.Old) + " → " + show(c.New)}
	}
	return []string{at + ": " + show(c.Old) + " → " + show(c.New)}
}

// detailLines renders value changes below base for people, capped.
func detailLines(base value.Path, vcs []ValueChange) []string {
	var out []string
	for _, vc := range vcs {
		out = append(out, vc.Lines(base)...)
		if len(out) >= maxDetails {
			return append(out[:maxDetails], fmt.Sprintf("... (%d value changes in all)", len(vcs)))
		}
	}
	return out
}
