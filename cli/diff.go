package cli

import (
	"fmt"
	"html"
	"io"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"hoist/diag"
	"hoist/emit"
	"hoist/provenance"
	"hoist/source"
	"hoist/value"
)

func diffCommand() *command {
	return &command{
		name:    "diff",
		summary: "compare two artifact trees of hoist build, for review",
		usage:   "diff OLD NEW [--format text|json|markdown|html] [--why]",
		long: `Compares two folders written by hoist build -o and says, per node and file,
what changed: a container added, removed or changed (with the options that
changed: a volume added, an environment variable changed, a new image), a
hiera key added, removed or changed, a docker-puppet entry by config volume,
a kolla config by JSON path, the lines of a script or manifest, a file mode.
Inside a value: a list by the elements added and removed (or "order
changed"), a map key by key, a long or multi-line string as a unified diff
of its lines. Nodes whose changes are the same are listed together.

--format json gives every change with its changed values (path in the
file, old and new value, elements added and removed, text diff); --format
markdown a review comment, each changed value with the hoist why command
that traces it to the lines that made it; --format html the reviewer's page:
NEW's plan (roles × steps) with each changed container outlined and linked to
its change, then the changes, each changed value linked to its way (the steps
of hoist why), which follow on the page. --why adds each changed value's way
to the text, markdown and json outputs; html always has them. Both compile NEW again from the
inputs its manifest records.

Exit codes: 0 the trees are the same, 1 they differ, 2 usage or input error
(a folder that is not a hoist build output).`,
		setup: func(fs *pflag.FlagSet) func(*Env, []string) int {
			format := fs.String("format", "text", "output format: text, json or markdown")
			why := fs.Bool("why", false, "trace each changed value of NEW to the lines that made it (hoist why; compiles NEW's inputs again)")
			return func(env *Env, args []string) int {
				if !slices.Contains(diffFormats, *format) {
					return usageError(env, "diff", "unknown format %q: expected %s", *format, diag.QuoteList(diffFormats))
				}
				if len(args) != 2 {
					return usageError(env, "diff", "expected two folders, OLD and NEW, got %d arguments", len(args))
				}
				changes, err := emit.Diff(args[0], args[1])
				if err != nil {
					fmt.Fprintf(env.Err, "hoist diff: %v\n", err)
					return ExitUsage
				}
				var tw *treeWhy
				if (*why || *format == "html") && len(changes) > 0 {
					if tw, err = newTreeWhy(args[1]); err != nil {
						fmt.Fprintf(env.Err, "hoist diff: --why: %v\n", err)
						return ExitUsage
					}
				}
				switch *format {
				case "json":
					err = writeDiffJSON(env.Out, changes, tw)
				case "markdown":
					err = writeDiffMarkdown(env.Out, args[1], changes, tw)
				case "html":
					if tw == nil {
						_, err = fmt.Fprintf(env.Out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>hoist: no differences</title></head><body><p>No differences between %s and %s.</p></body></html>\n", html.EscapeString(args[0]), html.EscapeString(args[1]))
					} else {
						err = writeDiffHTML(env.Out, args[0], args[1], changes, tw)
					}
				default:
					err = writeDiffText(env.Out, changes, tw)
				}
				if err != nil {
					fmt.Fprintf(env.Err, "hoist diff: %v\n", err)
					return ExitInternal
				}
				if len(changes) > 0 {
					return ExitFindings
				}
				return ExitOK
			}
		},
	}
}

var diffFormats = []string{"text", "json", "markdown", "html"}

// diffGroup is the nodes that share one list of changes.
type diffGroup struct {
	nodes   []string
	changes []emit.Change
}

// groupChanges groups nodes with identical changes, in the order of the
// first node of each group; changes of OUT's own files come first.
func groupChanges(changes []emit.Change) []diffGroup {
	var order []string
	by := map[string][]emit.Change{}
	for _, c := range changes {
		if _, ok := by[c.Node]; !ok {
			order = append(order, c.Node)
		}
		c2 := c
		c2.Node = ""
		by[c.Node] = append(by[c.Node], c2)
	}
	var groups []diffGroup
	index := map[string]int{}
	for _, n := range order {
		key := changesKey(by[n])
		if i, ok := index[key]; ok && n != "" {
			groups[i].nodes = append(groups[i].nodes, n)
			continue
		}
		if n != "" {
			index[key] = len(groups)
		}
		groups = append(groups, diffGroup{nodes: []string{n}, changes: by[n]})
	}
	return groups
}

func changesKey(cs []emit.Change) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "%s\x00%s\x00%s\x00%s\x00%s\x01", c.File, c.Kind, c.Name, strings.Join(c.Keys, ","), strings.Join(c.Details, "\x02"))
	}
	return b.String()
}

func writeDiffText(w io.Writer, changes []emit.Change, tw *treeWhy) error {
	var b strings.Builder
	if len(changes) == 0 {
		b.WriteString("no differences\n")
	}
	for _, g := range groupChanges(changes) {
		switch {
		case g.nodes[0] == "":
			b.WriteString("build:\n")
		case len(g.nodes) == 1:
			fmt.Fprintf(&b, "node %s:\n", g.nodes[0])
		default:
			fmt.Fprintf(&b, "nodes %s:\n", strings.Join(g.nodes, ", "))
		}
		file := ""
		for _, c := range g.changes {
			if c.File != file {
				file = c.File
				fmt.Fprintf(&b, "  %s\n", file)
			}
			line := "    " + c.Kind
			if c.Name != "" {
				line += " " + c.Name
			}
			if len(c.Keys) > 0 {
				line += ": " + strings.Join(c.Keys, ", ")
			}
			b.WriteString(line + "\n")
			for _, d := range c.Details {
				fmt.Fprintf(&b, "      %s\n", d)
			}
			if tw != nil && g.nodes[0] != "" {
				for _, vc := range c.Values {
					if t := tw.trace(g.nodes[0], c.File, vc.Path.String()); t != nil && vc.New != nil {
						fmt.Fprintf(&b, "      why %s:\n", vc.Path)
						for _, l := range whyLines(t) {
							fmt.Fprintf(&b, "        %s\n", l)
						}
					}
				}
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeDiffJSON(w io.Writer, changes []emit.Change, tw *treeWhy) error {
	r := source.Range{}
	var items []*value.Value
	for _, c := range changes {
		m := value.NewMapping(6)
		m.SetString("node", value.NewString(c.Node, r))
		m.SetString("file", value.NewString(c.File, r))
		m.SetString("kind", value.NewString(c.Kind, r))
		m.SetString("name", value.NewString(c.Name, r))
		m.SetString("keys", strValues(c.Keys))
		m.SetString("details", strValues(c.Details))
		vs := valueChangesJSON(c.Values)
		if tw != nil && c.Node != "" {
			for i, vc := range c.Values {
				if vc.New == nil {
					continue
				}
				if steps := tw.steps(c.Node, c.File, vc.Path.String()); steps != nil {
					vs.List[i].Map.SetString("why", steps)
				}
			}
		}
		m.SetString("values", vs)
		items = append(items, value.NewMap(m, r))
	}
	top := value.NewMapping(2)
	top.SetString("equal", value.NewBool(len(changes) == 0, r))
	top.SetString("changes", value.NewList(nonNil(items), r))
	_, err := fmt.Fprintf(w, "%s\n", value.MarshalIndent(value.NewMap(top, r)))
	return err
}

func strValues(ss []string) *value.Value {
	items := make([]*value.Value, len(ss))
	for i, s := range ss {
		items[i] = value.NewString(s, source.Range{})
	}
	return value.NewList(items, source.Range{})
}

func nonNil(items []*value.Value) []*value.Value {
	if items == nil {
		return []*value.Value{}
	}
	return items
}

// whyLines are a trace's steps on one line each, without source lines,
// contributors indented.
func whyLines(t *provenance.Trace) []string {
	var out []string
	for _, s := range t.Steps {
		l := strings.Repeat("  ", s.Depth)
		if !s.At.IsZero() {
			l += s.At.String() + ": "
		}
		l += s.Kind + ": "
		if s.Key != "" && s.Kind == "part" {
			l += fmt.Sprintf("[%q] ", s.Key)
		}
		out = append(out, l+s.Note)
	}
	return out
}

// valueChangesJSON renders changed values for tools: the path in the file,
// the kind, the old and new values, the list elements added and removed,
// the text diff's lines.
func valueChangesJSON(vcs []emit.ValueChange) *value.Value {
	r := source.Range{}
	items := []*value.Value{}
	for _, vc := range vcs {
		m := value.NewMapping(7)
		m.SetString("path", value.NewString(vc.Path.String(), r))
		m.SetString("kind", value.NewString(vc.Kind, r))
		if vc.Old != nil {
			m.SetString("old", vc.Old)
		}
		if vc.New != nil {
			m.SetString("new", vc.New)
		}
		if vc.Kind == "list changed" {
			m.SetString("added", value.NewList(nonNil(vc.Added), r))
			m.SetString("removed", value.NewList(nonNil(vc.Removed), r))
		}
		if vc.Diff != nil {
			m.SetString("diff", strValues(vc.Diff))
		}
		items = append(items, value.NewMap(m, r))
	}
	return value.NewList(items, r)
}
