package jinja

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"hoist/internal/testenv"
	"hoist/pyyaml"
)

// TestSourceMap: each rendered line maps to the template line that wrote
// it, through whitespace control, loops (saying for which role or network)
// and includes (naming the included file).
func TestSourceMap(t *testing.T) {
	tpl := `heat_template_version: queens
resources:
{%- for role in roles %}
  {{role.name}}Chain:
    type: OS::TripleO::{{role.name}}Services
{%- for network in networks if network.enabled|default(true) %}
    # {{network.name}} on {{role.name}}
{%- endfor %}
{%- endfor %}
{% include 'frag.j2' %}
outputs: {}
`
	frag := "fragment:\n  value: {{ roles|length }}\n"
	fsys := fstest.MapFS{"t.j2.yaml": {Data: []byte(tpl)}, "frag.j2": {Data: []byte(frag)}}
	vars := jsonVars(t, pyVars)
	out, m, _, _, _, err := execute(fsys, "t.j2.yaml", vars)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(out), "\n")
	find := func(text string) int {
		for i, l := range lines {
			if strings.Contains(l, text) {
				return i + 1
			}
		}
		t.Fatalf("output has no line with %q:\n%s", text, out)
		return 0
	}
	for _, tc := range []struct {
		text    string
		col     int
		file    string
		line    int
		context string
	}{
		{"heat_template_version", 1, "t.j2.yaml", 1, ""},
		{"ComputeChain:", 3, "t.j2.yaml", 4, "role Compute"},
		{"OS::TripleO::ControllerServices", 5, "t.j2.yaml", 5, "role Controller"},
		{"# InternalApi on Compute", 5, "t.j2.yaml", 7, "role Compute, network InternalApi"},
		{"value: 2", 3, "frag.j2", 2, ""},
		{"outputs", 1, "t.j2.yaml", 11, ""},
	} {
		line := find(tc.text)
		p, ok := m.At(line, tc.col)
		if !ok || p.File != tc.file || p.Line != tc.line || p.Context != tc.context {
			t.Errorf("%q (output %d:%d) maps to %+v, want %s:%d (%q)", tc.text, line, tc.col, p, tc.file, tc.line, tc.context)
		}
	}
	// An expression's output maps to where the expression starts.
	line := find("ComputeChain:")
	if p, _ := m.At(line, 3); p.Col != 3 {
		t.Errorf("{{role.name}} maps to column %d, want 3", p.Col)
	}
}

// TestSourceMapOnEveryTree: on every output of the four trees, each line
// maps into the template (or a file it includes) to a line that holds the
// line's text, or the expression or statement that wrote it, and a line of
// a per-role or per-network template in a loop over roles or networks
// names them.
func TestSourceMapOnEveryTree(t *testing.T) {
	for _, release := range []string{"queens", "rocky", "stein", "train"} {
		t.Run(release, func(t *testing.T) {
			corpus := testenv.Tree(t, release)
			rd, err := pyyaml.LoadFile(corpus+"/roles_data.yaml", pyyaml.DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			nd, err := pyyaml.LoadFile(corpus+"/network_data.yaml", pyyaml.DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			r, err := New(os.DirFS(corpus), rd.Root, nd.Root, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checked, bad, contexts := 0, 0, 0
			tplLines := map[string][]string{}
			for _, j := range r.Jobs() {
				f, err := r.Render(j.Path)
				if err != nil {
					t.Fatal(err)
				}
				for i, line := range strings.Split(string(f.Data), "\n") {
					if j.Path == "overcloud.yaml" && strings.TrimSpace(line) == "ComputeServiceChain:" {
						p, _ := f.Map.At(i+1, 3)
						if p.File != "overcloud.j2.yaml" || p.Context != "role Compute" {
							t.Errorf("overcloud.yaml:%d ComputeServiceChain maps to %+v, want overcloud.j2.yaml in the loop for role Compute", i+1, p)
						}
						contexts++
					}
					text := strings.TrimSpace(line)
					if text == "" {
						continue
					}
					col := 1 + len([]rune(line)) - len([]rune(strings.TrimLeft(line, " ")))
					p, ok := f.Map.At(i+1, col)
					if !ok {
						t.Errorf("%s:%d maps nowhere", j.Path, i+1)
						bad++
						continue
					}
					ls, ok := tplLines[p.File]
					if !ok {
						b, err := os.ReadFile(corpus + "/" + p.File)
						if err != nil {
							t.Fatal(err)
						}
						ls = strings.Split(string(b), "\n")
						tplLines[p.File] = ls
					}
					src := ls[p.Line-1]
					head := text
					if k := strings.IndexAny(head, "{"); k > 0 {
						head = head[:k] // text before an expression
					}
					head = strings.TrimSpace(head)
					if len(head) > 12 {
						head = head[:12]
					}
					if !strings.Contains(src, head) && !strings.Contains(src, "{{") && !strings.Contains(src, "{%") {
						if bad < 10 {
							t.Errorf("%s:%d %q maps to %s:%d %q", j.Path, i+1, text, p.File, p.Line, src)
						}
						bad++
					}
					checked++
				}
			}
			if contexts != 1 {
				t.Errorf("overcloud.yaml has %d ComputeServiceChain lines", contexts)
			}
			t.Logf("%s: %d output lines mapped, %d wrong", release, checked, bad)
		})
	}
}
