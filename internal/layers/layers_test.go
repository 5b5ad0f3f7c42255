package layers

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"hoist/internal/testenv"
)

// rules are the layering of hoist: a package (or every package under a
// prefix ending in "/") must not reach, through any chain of non-test
// imports, the packages listed.
var rules = []struct {
	from string
	not  []string
	why  string
}{
	{"hoist/executor", []string{"hoist/compiler/"}, "the executor applies node files; it reads them back, it does not compile"},
	{"hoist/emit", []string{"hoist/compiler/"}, "emit writes the model; it computes nothing"},
	{"hoist/hieradata", []string{"hoist/compiler/", "hoist/emit", "hoist/lint"}, "the hieradata are computed from the plan, below emit, which writes them"},
	{"hoist/compiler/", []string{"hoist/config", "hoist/lint", "hoist/emit", "hoist/plan", "hoist/executor", "hoist/cli", "hoist/report"}, "the compiler takes plain values and knows none of the layers above it"},
	{"hoist/schema", []string{"hoist/lint"}, "lint uses the schemas, not the other way"},
	{"hoist/lint", []string{"hoist/emit"}, "lint checks sources and the plan, never the written tree"},
	{"hoist/pyyaml", []string{"hoist/compiler/", "hoist/lint", "hoist/schema"}, "the YAML loader is below every layer"},
}

// known are the reaches the rules forbid that the code still has, each
// with what removes it; none is left. The test fails on a reach not listed
// here, and on a listed one that is gone (delete its line).
var known = map[string]string{}

type pkg struct {
	ImportPath string
	Deps       []string
	Standard   bool
}

func matches(pattern, path string) bool {
	if strings.HasSuffix(pattern, "/") {
		return strings.HasPrefix(path, pattern)
	}
	return path == pattern
}

func TestLayers(t *testing.T) {
	cmd := exec.Command("go", "list", "-json=ImportPath,Deps,Standard", "./...")
	cmd.Dir = testenv.RepoRoot(t)
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("skipping: go list: %v", err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(bufio.NewReader(bytes.NewReader(out)))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 20 {
		t.Fatalf("go list found %d packages", len(pkgs))
	}
	seen := map[string]bool{}
	for _, p := range pkgs {
		for _, r := range rules {
			if !matches(r.from, p.ImportPath) {
				continue
			}
			for _, d := range p.Deps {
				for _, n := range r.not {
					if !matches(n, d) {
						continue
					}
					k := p.ImportPath + " -> " + d
					if _, ok := known[k]; ok {
						seen[k] = true
						continue
					}
					t.Errorf("%s reaches %s: %s", p.ImportPath, d, r.why)
				}
			}
		}
	}
	var gone []string
	for k := range known {
		if !seen[k] {
			gone = append(gone, k)
		}
	}
	slices.Sort(gone)
	for _, k := range gone {
		t.Errorf("known reach %q is gone: delete it from known", k)
	}
}

// TestModelIsALeaf checks that model, which every layer reads, imports
// nothing of hoist but value, source and release (which imports nothing).
func TestModelIsALeaf(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "./model")
	cmd.Dir = testenv.RepoRoot(t)
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("skipping: go list: %v", err)
	}
	for _, d := range strings.Fields(string(out)) {
		if strings.HasPrefix(d, "hoist/") && !slices.Contains([]string{"hoist/model", "hoist/value", "hoist/source", "hoist/release"}, d) {
			t.Errorf("hoist/model reaches %s: it is below every layer, and reads values and release data only", d)
		}
	}
}

// paunchOptions are fields a type that models a paunch container would
// have.
var paunchOptions = []string{"Image", "Command", "StartOrder", "Detach", "Volumes", "VolumesFrom", "Privileged", "Net", "Healthcheck", "ExitCodes"}

// TestOneContainerType checks that exactly one non-test type models a
// paunch container, model.Container: no other struct is named Container,
// nor has three or more fields named after paunch options (a config volume has an image and volumes too).
func TestOneContainerType(t *testing.T) {
	root := testenv.RepoRoot(t)
	fset := token.NewFileSet()
	found := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && p != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		inModel := filepath.Dir(rel) == "model"
		ast.Inspect(f, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok {
				return true
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				return true
			}
			options := 0
			for _, fl := range st.Fields.List {
				for _, name := range fl.Names {
					if slices.Contains(paunchOptions, name.Name) {
						options++
					}
				}
			}
			models := ts.Name.Name == "Container" || options >= 3
			switch {
			case models && inModel && ts.Name.Name == "Container":
				found++
			case models:
				t.Errorf("%s: type %s models a paunch container (%d paunch option fields); model.Container is the one type that does", fset.Position(ts.Pos()), ts.Name.Name, options)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found != 1 {
		t.Errorf("model.Container found %d times, want 1", found)
	}
}

// TestArchitectureImports checks the import list of docs/architecture.md
// (between its "imports: begin" and "imports: end" markers) against the
// module's non-test imports, so the page cannot drift from the code.
func TestArchitectureImports(t *testing.T) {
	root := testenv.RepoRoot(t)
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}}|{{join .Imports \" \"}}", "./...")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("skipping: go list: %v", err)
	}
	want := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		p, imports, _ := strings.Cut(line, "|")
		var own []string
		for _, i := range strings.Fields(imports) {
			if r, ok := strings.CutPrefix(i, "hoist/"); ok {
				own = append(own, r)
			}
		}
		slices.Sort(own)
		want[strings.TrimPrefix(p, "hoist/")] = strings.Join(own, " ")
	}
	doc, err := os.ReadFile(filepath.Join(root, "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "<!-- imports: begin -->")
	block, _, ok2 := strings.Cut(rest, "<!-- imports: end -->")
	if !ok || !ok2 {
		t.Fatal("docs/architecture.md has no import list between <!-- imports: begin --> and <!-- imports: end -->")
	}
	got := map[string]string{}
	for _, line := range strings.Split(block, "\n") {
		p, imports, ok := strings.Cut(line, "→")
		if !ok {
			continue
		}
		got[strings.TrimSpace(p)] = strings.Join(strings.Fields(imports), " ")
	}
	var fix []string
	for p, w := range want {
		if g, ok := got[p]; !ok || g != w {
			fix = append(fix, fmt.Sprintf("%-22s → %s", p, w))
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			fix = append(fix, fmt.Sprintf("%s: no such package (delete its line)", p))
		}
	}
	slices.Sort(fix)
	if len(fix) > 0 {
		t.Errorf("docs/architecture.md's import list is out of date; the lines should read:\n%s", strings.Join(fix, "\n"))
	}
}
