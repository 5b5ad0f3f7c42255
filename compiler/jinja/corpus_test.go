package jinja_test

import (
	"bufio"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"hoist/compiler/jinja"
	"hoist/compiler/pyyaml"
	"hoist/diag"
	"hoist/internal/testenv"
	"hoist/value"
)

// loadInputs loads roles_data.yaml and network_data.yaml of a tree.
func loadInputs(t testing.TB, dir string) (roles, networks *value.Value) {
	t.Helper()
	rd, err := pyyaml.LoadFile(filepath.Join(dir, "roles_data.yaml"), pyyaml.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	nd, err := pyyaml.LoadFile(filepath.Join(dir, "network_data.yaml"), pyyaml.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	return rd.Root, nd.Root
}

func generatedList(t *testing.T, rendered string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(rendered, "GENERATED.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			out = append(out, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// jsonText is a value as PyYAML-style JSON with sorted keys, one item a line.
func jsonText(v *value.Value) string {
	var b strings.Builder
	_ = value.WriteJSON(&b, v, value.JSONOptions{SortKeys: true, Indent: " "})
	return b.String()
}

// firstDifference names the first line where two JSON texts differ.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) && i < len(w); i++ {
		if g[i] != w[i] {
			return "JSON line " + itoa(i+1) + ": got " + strings.TrimSpace(g[i]) + ", want " + strings.TrimSpace(w[i])
		}
	}
	return "JSON has " + itoa(len(g)) + " lines, want " + itoa(len(w))
}

func itoa(n int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(n)) }

func fmtInt(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	if neg {
		b = append([]byte{'-'}, b...)
	}
	return string(b)
}

// TestCorpusRenderingMatchesProcessTemplates is issue 4's first acceptance
// item: rendering tht-queens with its roles_data.yaml and
// network_data.yaml yields, for each of the files GENERATED.txt lists, the
// same YAML document as tht-queens-rendered (THT's own process-templates
// output), and no other file.
//
// The corpus holds only *.yaml files, so the four Jinja2 fragments that
// some templates include (network/network.j2, network/ports/port.j2,
// network/ports/port_from_pool.j2, common/deploy-steps.j2) are not in it.
// The outputs of those templates cannot be rendered from the corpus; their
// subtests check that hoist reports exactly that missing include and then
// skip, naming the file. With the fragments present they are compared like
// the others.
func TestCorpusRenderingMatchesProcessTemplates(t *testing.T) {
	corpus := testenv.Corpus(t)
	rendered := testenv.CorpusRendered(t)
	roles, networks := loadInputs(t, corpus)
	root := os.DirFS(corpus)
	r, err := jinja.New(root, roles, networks, jinja.Options{Dir: corpus})
	if err != nil {
		t.Fatal(err)
	}

	want := generatedList(t, rendered)
	var got []string
	for _, j := range r.Jobs() {
		got = append(got, j.Path)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		for _, p := range got {
			if _, ok := slices.BinarySearch(want, p); !ok {
				t.Errorf("renders %s, which GENERATED.txt does not list", p)
			}
		}
		for _, p := range want {
			if _, ok := slices.BinarySearch(got, p); !ok {
				t.Errorf("does not render %s, which GENERATED.txt lists", p)
			}
		}
		t.Fatalf("renders %d files, GENERATED.txt lists %d", len(got), len(want))
	}

	equal, absent := 0, 0
	for _, p := range want {
		t.Run(p, func(t *testing.T) {
			f, err := r.Render(p)
			if err != nil {
				var d *diag.Diagnostic
				if errors.As(err, &d) && d.Rule == jinja.RuleMissingInclude {
					name := includedName(d.Message)
					if name != "" && !existsIn(root, filepath.Dir(f0(r, p).Template), name) {
						absent++
						t.Skipf("skipping: the corpus lacks the included template %q (it holds only *.yaml files): %s", name, d.Line())
					}
				}
				t.Fatalf("render %s: %v", p, err)
			}
			gotDoc, err := pyyaml.Load(p+" (rendered by hoist)", f.Data, pyyaml.DefaultLimits)
			if err != nil {
				t.Fatalf("hoist's output does not load: %v\n%s", err, f.Data)
			}
			wantDoc, err := pyyaml.LoadFile(filepath.Join(rendered, p), pyyaml.DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			gj, wj := jsonText(gotDoc.Root), jsonText(wantDoc.Root)
			if !value.Equal(gotDoc.Root, wantDoc.Root) || gj != wj {
				t.Fatalf("%s differs from process-templates' output: %s", p, firstDifference(gj, wj))
			}
			equal++
		})
	}
	t.Logf("%d/%d files equal to process-templates' output; %d not renderable from this corpus (included template absent)", equal, len(want), absent)
}

func f0(r *jinja.Renderer, p string) jinja.Job {
	for _, j := range r.Jobs() {
		if j.Path == p {
			return j
		}
	}
	return jinja.Job{}
}

// includedName extracts the template name from a missing-include message.
func includedName(msg string) string {
	_, rest, ok := strings.Cut(msg, `template "`)
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(rest, `"`)
	return name
}

func existsIn(root fs.FS, dir, name string) bool {
	for _, p := range []string{filepath.ToSlash(filepath.Join(dir, name)), name} {
		if _, err := fs.Stat(root, p); err == nil {
			return true
		}
	}
	return false
}
