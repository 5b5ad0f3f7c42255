package cli

import (
	"fmt"
	"io"
	"strings"

	"hoist/emit"
	"hoist/executor"
)

// writeDiffMarkdown writes the changes as a review comment: a summary,
// then per group of nodes each file's changes, each changed value with
// what changed inside it and the hoist why command that traces it in the
// new tree.
func writeDiffMarkdown(w io.Writer, newDir string, changes []emit.Change, tw *treeWhy) error {
	var b strings.Builder
	b.WriteString("### hoist diff\n\n")
	if len(changes) == 0 {
		b.WriteString("No differences.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	nodes, values := map[string]bool{}, 0
	for _, c := range changes {
		if c.Node != "" {
			nodes[c.Node] = true
		}
		values += max(1, len(c.Values))
	}
	fmt.Fprintf(&b, "%d changes on %d nodes (%d changed values).\n", len(changes), len(nodes), values)
	for _, g := range groupChanges(changes) {
		switch {
		case g.nodes[0] == "":
			b.WriteString("\n#### build\n")
		default:
			fmt.Fprintf(&b, "\n#### %s\n", mdCodeList(g.nodes))
		}
		file := ""
		for _, c := range g.changes {
			if c.File != file {
				file = c.File
				fmt.Fprintf(&b, "\n`%s`\n\n", file)
			}
			line := "- " + c.Kind
			if c.Name != "" {
				line += " " + mdCode(c.Name)
			}
			if len(c.Keys) > 0 {
				line += ": " + strings.Join(c.Keys, ", ")
			}
			b.WriteString(line + "\n")
			if len(c.Values) == 0 {
				for _, d := range c.Details {
					fmt.Fprintf(&b, "  - %s\n", mdCode(d))
				}
				continue
			}
			for _, vc := range c.Values {
				writeValueMarkdown(&b, newDir, g.nodes[0], c.File, vc, len(c.Values) == 1 && vc.Path.String() == c.Name, tw)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeValueMarkdown writes one changed value below its change: under a
// heading of its own (its path and kind) unless it is the change's only
// value (a hiera key's).
func writeValueMarkdown(b *strings.Builder, newDir, node, file string, vc emit.ValueChange, alone bool, tw *treeWhy) {
	indent := "  "
	if !alone {
		fmt.Fprintf(b, "  - %s %s\n", mdCode(vc.Path.String()), vc.Kind)
		indent = "    "
	}
	if vc.Kind == "text changed" {
		b.WriteString(indent + "```diff\n")
		for _, l := range vc.Diff {
			b.WriteString(indent + l + "\n")
		}
		b.WriteString(indent + "```\n")
	} else {
		for _, l := range vc.Lines(vc.Path) {
			fmt.Fprintf(b, "%s- %s\n", indent, mdCode(l))
		}
	}
	if vc.New != nil && node != "" {
		fmt.Fprintf(b, "%s- why: %s\n", indent, mdCode(whyCommandLine(newDir, node, file, vc.Path.String())))
		if t := tw.trace(node, file, vc.Path.String()); t != nil {
			fmt.Fprintf(b, "%s  <details><summary>the way of the value</summary>\n\n%s  ```\n", indent, indent)
			for _, l := range whyLines(t) {
				fmt.Fprintf(b, "%s  %s\n", indent, l)
			}
			fmt.Fprintf(b, "%s  ```\n%s  </details>\n", indent, indent)
		}
	}
}

// whyCommandLine is the hoist why command line that traces a value of a
// built tree, its arguments quoted for a POSIX shell where they need it.
func whyCommandLine(out, node, file, path string) string {
	return executor.ShellQuote([]string{"hoist", "why", out, node, file, path})
}

// mdCode is s as inline code, with a fence longer than any run of
// backquotes in it.
func mdCode(s string) string {
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

func mdCodeList(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = mdCode(s)
	}
	return strings.Join(out, ", ")
}
