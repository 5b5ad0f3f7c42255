package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"hoist/diag"
	"hoist/internal/testenv"
	"hoist/source"
)

// distinctAtOnePlace lists pairs of rules that report different things at
// the same position, with why. Any other pair of findings at one file,
// line and column is a double report: one defect told twice.
var distinctAtOnePlace = map[[2]string]string{
	// A parameter's key: declared differently elsewhere, and unused here.
	{"template/parameter-mismatch", "template/unused-parameter"}: "a parameter can be unused and differ from its namesakes",
	// The map of role_data: it lacks a key the format requires, and a
	// key a containerized service needs.
	{"schema/required", "service/required-keys"}: "service_name is the format's; docker_config, puppet_config and config_settings are a containerized service's",
}

// TestNoDoubleReports runs the recommended and the all presets on the
// queens tree and on testdata/, and fails when two findings share a file,
// line and column with the same meaning: the same rule twice with the same
// message, or two rules not listed in distinctAtOnePlace.
func TestNoDoubleReports(t *testing.T) {
	for _, c := range []struct {
		name string
		root func(testing.TB) string
	}{
		{"testdata", func(t testing.TB) string { return filepath.Join(testenv.RepoRoot(t), "testdata") }},
		{"corpus", testenv.Corpus},
		{"rocky", func(t testing.TB) string { return testenv.Tree(t, "rocky") }},
		{"stein", func(t testing.TB) string { return testenv.Tree(t, "stein") }},
		{"train", func(t testing.TB) string { return testenv.Tree(t, "train") }},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := c.root(t)
			paths := []string{root}
			if c.name == "testdata" {
				// testdata/releases holds trees of releases hoist does not
				// support, on purpose: linting them is an error.
				paths = nil
				ents, _ := os.ReadDir(root)
				for _, e := range ents {
					if e.Name() != "releases" {
						paths = append(paths, filepath.Join(root, e.Name()))
					}
				}
			}
			for _, preset := range []string{PresetRecommended, PresetAll} {
				var rules []Rule
				for _, r := range Rules() {
					if r.Meta().InPreset(preset) {
						rules = append(rules, r)
					}
				}
				res, err := Run(paths, Options{Rules: rules})
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Files) == 0 {
					t.Fatalf("no files under %s", root)
				}
				for _, problem := range doubleReports(res.Diagnostics) {
					t.Errorf("%s preset: %s", preset, problem)
				}
			}
		})
	}
}

// doubleReports returns the findings that share a position with the same
// meaning.
func doubleReports(ds []*diag.Diagnostic) []string {
	byPos := map[string][]*diag.Diagnostic{}
	var keys []string
	for _, d := range ds {
		k := fmt.Sprintf("%s:%d:%d", d.Range.File, d.Range.Start.Line, d.Range.Start.Col)
		if _, ok := byPos[k]; !ok {
			keys = append(keys, k)
		}
		byPos[k] = append(byPos[k], d)
	}
	sort.Strings(keys)
	var out []string
	for _, k := range keys {
		at := byPos[k]
		for i := range at {
			for j := i + 1; j < len(at); j++ {
				a, b := at[i], at[j]
				same := false
				switch {
				case a.Rule == b.Rule:
					same = a.Message == b.Message
				default:
					pair := [2]string{a.Rule, b.Rule}
					if pair[0] > pair[1] {
						pair[0], pair[1] = pair[1], pair[0]
					}
					_, distinct := distinctAtOnePlace[pair]
					same = !distinct
				}
				if same {
					out = append(out, fmt.Sprintf("%s: reported twice:\n  %s [%s]\n  %s [%s]", k, short(a.Message), a.Rule, short(b.Message), b.Rule))
				}
			}
		}
	}
	return out
}

func short(s string) string {
	if i := strings.Index(s, " (known keys"); i > 0 {
		return s[:i] + " (…)"
	}
	return s
}

// TestDoubleReportsAreFound: the check of TestNoDoubleReports finds what
// it is meant to find.
func TestDoubleReportsAreFound(t *testing.T) {
	at := func(rule, msg string, col int32) *diag.Diagnostic {
		return &diag.Diagnostic{Rule: rule, Message: msg, Range: source.Range{File: "f.yaml", Start: source.Pos{Line: 3, Col: col}}}
	}
	ds := []*diag.Diagnostic{
		at("schema/type", "x", 5), at("container/unknown-key", "y", 5), // two rules, one place
		at("yaml/duplicate-key", "a", 7), at("yaml/duplicate-key", "a", 7), // one rule twice
		at("yaml/duplicate-key", "a", 9), at("yaml/duplicate-key", "b", 9), // two different keys
		at("template/unused-parameter", "p", 11), at("template/parameter-mismatch", "q", 11), // listed
	}
	got := doubleReports(ds)
	if len(got) != 2 || !strings.Contains(got[0], "f.yaml:3:5") || !strings.Contains(got[1], "f.yaml:3:7") {
		t.Errorf("got %q", got)
	}
}
