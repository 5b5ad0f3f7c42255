package pyyaml

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"hoist/internal/testenv"
	"hoist/value"
)

// pyResult is one line of testdata/pyyaml/dump.py's output.
type pyResult struct {
	File  string `json:"file"`
	OK    bool   `json:"ok"`
	JSON  string `json:"json"`
	Error string `json:"error"`
}

// runPyYAML loads files with PyYAML as Heat does, in one Python process.
func runPyYAML(t *testing.T, files []string) map[string]pyResult {
	t.Helper()
	testenv.PythonModules(t, "yaml")
	script := filepath.Join(testenv.RepoRoot(t), "testdata", "pyyaml", "dump.py")
	cmd := exec.Command(testenv.Python, script, "--stdin")
	cmd.Stdin = strings.NewReader(strings.Join(files, "\n") + "\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("dump.py: %v\n%s", err, stderr.String())
	}
	res := map[string]pyResult{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var r pyResult
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("dump.py output: %v", err)
		}
		res[r.File] = r
	}
	if len(res) != len(files) {
		t.Fatalf("dump.py answered for %d of %d files", len(res), len(files))
	}
	return res
}

// hoistJSON is what `hoist debug yaml` prints for a file, without the final
// newline.
func hoistJSON(doc *Document) string {
	var b strings.Builder
	_ = value.WriteJSON(&b, doc.Root, value.JSONOptions{Indent: "  ", SortKeys: true})
	return b.String()
}

// firstLineDiff describes where two texts first differ.
func firstLineDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) && i < len(w); i++ {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d: hoist %q, PyYAML %q", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("hoist has %d lines, PyYAML %d", len(g), len(w))
}

func compareWithPyYAML(t *testing.T, files []string) (equal int) {
	t.Helper()
	py := runPyYAML(t, files)
	var failures []string
	for _, f := range files {
		r := py[f]
		doc, err := LoadFile(f, DefaultLimits)
		switch {
		case err != nil && r.OK:
			failures = append(failures, fmt.Sprintf("%s: hoist fails (%v), PyYAML loads it", f, err))
		case err == nil && !r.OK:
			failures = append(failures, fmt.Sprintf("%s: hoist loads it, PyYAML fails: %s", f, r.Error))
		case err == nil && hoistJSON(doc) != r.JSON:
			failures = append(failures, fmt.Sprintf("%s: %s", f, firstLineDiff(hoistJSON(doc), r.JSON)))
		default:
			equal++
		}
	}
	sort.Strings(failures)
	for _, f := range failures {
		t.Error(f)
	}
	return equal
}

// TestCorpusEqualsPyYAML holds the loader against PyYAML on every YAML file
// of every release's THT tree (and the rendered twins: the outputs of the
// Jinja2 templates) that is not itself a Jinja2 template: the JSON printed
// from both must be the same bytes.
func TestCorpusEqualsPyYAML(t *testing.T) {
	for _, tree := range []string{"queens", "queens-rendered", "rocky", "stein", "stein-rendered", "train"} {
		t.Run(tree, func(t *testing.T) {
			root := testenv.Tree(t, tree)
			var files []string
			skipped := 0
			err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
				switch {
				case err != nil:
					return err
				case d.IsDir() && strings.HasPrefix(d.Name(), ".") && p != root:
					return filepath.SkipDir
				case strings.HasSuffix(p, ".j2.yaml"):
					skipped++
				case !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")):
					files = append(files, p)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(files) < 1000 {
				t.Fatalf("found only %d YAML files under %s", len(files), root)
			}
			equal := compareWithPyYAML(t, files)
			t.Logf("%s: %d/%d files load exactly as PyYAML loads them (%d Jinja2 templates not YAML)", tree, equal, len(files), skipped)
		})
	}
}

// TestCasesEqualPyYAML runs the hand-written traps of testdata/pyyaml/cases.
func TestCasesEqualPyYAML(t *testing.T) {
	dir := filepath.Join(testenv.RepoRoot(t), "testdata", "pyyaml", "cases")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		files = append(files, filepath.Join(dir, e.Name()))
	}
	compareWithPyYAML(t, files)
}
