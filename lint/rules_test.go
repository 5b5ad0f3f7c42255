package lint

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"hoist/diag"
	"hoist/internal/testenv"
	"hoist/schema"
)

var update = flag.Bool("update", false, "rewrite the golden .out files of testdata/rules and the examples of docs/rules")

// goldenRules returns the rules a golden case of rule id runs: the rule
// alone (with the loader's rules, which cannot be off), or for the
// suppression rules, the yaml and lint families, whose findings they
// suppress.
func goldenRules(id string) []Rule {
	var out []Rule
	for _, r := range Rules() {
		m := r.Meta()
		fam, _, _ := strings.Cut(m.ID, "/")
		if m.ID == id || alwaysOn(m.ID) || strings.HasPrefix(id, "lint/") && (fam == "yaml" || fam == "lint") ||
			id == RuleEvaluation && m.ID == schema.RuleType {
			out = append(out, r)
		}
	}
	return out
}

// goldenCase is one input of testdata/rules/<id>/: a YAML file, or a
// folder of files checked together (for the rules across files).
type goldenCase struct {
	rule, path, out string
}

func goldenCases(t *testing.T) []goldenCase {
	root := filepath.Join(testenv.RepoRoot(t), "testdata", "rules")
	var out []goldenCase
	for _, r := range Rules() {
		id := r.Meta().ID
		dir := filepath.Join(root, filepath.FromSlash(id))
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			p := filepath.Join(dir, e.Name())
			switch {
			case e.IsDir():
				out = append(out, goldenCase{id, p, p + ".out"})
			case strings.HasSuffix(e.Name(), ".yaml"):
				out = append(out, goldenCase{id, p, strings.TrimSuffix(p, ".yaml") + ".out"})
			}
		}
	}
	return out
}

// runGolden lints a case and renders the findings as text, with names
// relative to the case (its folder for a file).
func runGolden(t *testing.T, c goldenCase, snippets bool) string {
	t.Helper()
	o := Options{Rules: goldenRules(c.rule), Jobs: 1}
	if strings.HasPrefix(filepath.Base(c.path), "evaluated") {
		// Cases named evaluated* run on evaluated role_data.
		ev, err := NewEvaluation(nil)
		if err != nil {
			t.Fatal(err)
		}
		o.Evaluate = ev
	}
	var res *Result
	wd, _ := os.Getwd()
	st, err := os.Stat(c.path)
	if err != nil {
		t.Fatal(err)
	}
	if st.IsDir() {
		if err := os.Chdir(c.path); err != nil {
			t.Fatal(err)
		}
		res, err = Run([]string{"."}, o)
	} else {
		if err := os.Chdir(filepath.Dir(c.path)); err != nil {
			t.Fatal(err)
		}
		res, err = Run([]string{filepath.Base(c.path)}, o)
	}
	os.Chdir(wd)
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := diag.WriteText(&got, res.Diagnostics, diag.TextOptions{NoSnippet: !snippets, Sources: res.Sources}); err != nil {
		t.Fatal(err)
	}
	return got.String()
}

// TestEveryRuleHasDocsAndGoldenTests fails when a rule lacks its doc page
// docs/rules/<id>.md (with the heading, the severity line and the sections)
// or its golden tests testdata/rules/<id>/, or when none of its golden
// inputs makes it fire.
func TestEveryRuleHasDocsAndGoldenTests(t *testing.T) {
	root := testenv.RepoRoot(t)
	seen := map[string]bool{}
	fired := map[string]bool{}
	for _, c := range goldenCases(t) {
		b, _ := os.ReadFile(c.out)
		if bytes.Contains(b, []byte("["+c.rule+"]")) {
			fired[c.rule] = true
		}
	}
	idPattern := regexp.MustCompile(`^[a-z]+/[a-z0-9]+(-[a-z0-9]+)*$`)
	for _, r := range Rules() {
		m := r.Meta()
		if seen[m.ID] {
			t.Errorf("rule id %q is registered twice", m.ID)
		}
		seen[m.ID] = true
		if !idPattern.MatchString(m.ID) {
			t.Errorf("rule id %q is not namespaced kebab-case (family/name)", m.ID)
		}
		if m.Summary == "" || m.Severity == 0 {
			t.Errorf("rule %q lacks a summary or a severity", m.ID)
		}
		doc := filepath.Join(root, filepath.FromSlash(m.DocPath()))
		b, err := os.ReadFile(doc)
		if err != nil {
			t.Errorf("rule %q has no doc page %s", m.ID, doc)
			continue
		}
		text := string(b)
		if !strings.HasPrefix(text, "# "+m.ID+"\n") {
			t.Errorf("%s must start with the heading %q", doc, "# "+m.ID)
		}
		if want := severityLine(m); !strings.Contains(text, want) {
			t.Errorf("%s lacks the line %q (from the registry)", doc, want)
		}
		for _, sec := range []string{"## Example", "## Why", "## How to fix", "## Options"} {
			if !strings.Contains(text, "\n"+sec+"\n") {
				t.Errorf("%s lacks the section %q", doc, sec)
			}
		}
		if !fired[m.ID] {
			t.Errorf("rule %q has no golden test in testdata/rules/%s/ where it fires", m.ID, m.ID)
		}
	}
}

// severityLine is the start of the line under a doc page's heading: the
// default severity and the presets (then ", all", as hoist rules prints).
func severityLine(m Meta) string {
	return fmt.Sprintf("Severity: %s · Presets: %s", m.SeverityText(), strings.Join(m.Presets, ", "))
}

// TestRuleGoldens runs every input of testdata/rules/<id>/ with its rule
// and compares the findings with the .out file beside it (go test ./lint
// -update rewrites them).
func TestRuleGoldens(t *testing.T) {
	cases := goldenCases(t)
	if len(cases) == 0 {
		t.Fatal("no golden inputs under testdata/rules")
	}
	root := filepath.Join(testenv.RepoRoot(t), "testdata", "rules")
	for _, c := range cases {
		rel, _ := filepath.Rel(root, c.path)
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			got := runGolden(t, c, false)
			if *update {
				if err := os.WriteFile(c.out, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(c.out)
			if err != nil {
				t.Fatalf("missing golden file (run go test ./lint -update): %v", err)
			}
			if got != string(want) {
				t.Errorf("findings differ from %s:\n--- got\n%s--- want\n%s", c.out, got, want)
			}
		})
	}
}

var exampleBlock = regexp.MustCompile("(?s)<!-- example: ([^ ]+) -->\n.*?<!-- end example -->")

// TestDocExamples checks that the example of each rule's doc page is its
// golden input and the real output (with snippets), as actionlint checks
// its docs: go test ./lint -update rewrites them.
func TestDocExamples(t *testing.T) {
	root := testenv.RepoRoot(t)
	for _, r := range Rules() {
		m := r.Meta()
		doc := filepath.Join(root, filepath.FromSlash(m.DocPath()))
		b, err := os.ReadFile(doc)
		if err != nil {
			continue // reported by TestEveryRuleHasDocsAndGoldenTests
		}
		mt := exampleBlock.FindSubmatch(b)
		if mt == nil {
			// A page without the generated block keeps its example by
			// hand (the section itself is required above).
			continue
		}
		name := string(mt[1])
		in := filepath.Join(root, "testdata", "rules", filepath.FromSlash(m.ID), name)
		input, arg, err := exampleInput(in)
		if err != nil {
			t.Errorf("%s: example input %s: %v", doc, in, err)
			continue
		}
		if arg == "" {
			arg = name
		}
		out := runGolden(t, goldenCase{m.ID, in, ""}, true)
		block := fmt.Sprintf("<!-- example: %s -->\n%s\n```\n$ hoist lint %s\n%s```\n<!-- end example -->", name, input, arg, out)
		if *update {
			nb := bytes.Replace(b, mt[0], []byte(block), 1)
			if err := os.WriteFile(doc, nb, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if string(mt[0]) != block {
			t.Errorf("the example of %s is out of date (go test ./lint -update):\n--- got\n%s\n--- want\n%s", doc, mt[0], block)
		}
	}
}

// TestRuleIndexIsSorted keeps families together in the registry.
func TestRuleFamiliesAreContiguous(t *testing.T) {
	seen := map[string]bool{}
	last := ""
	var order []string
	for _, r := range Rules() {
		fam, _, _ := strings.Cut(r.Meta().ID, "/")
		if fam != last {
			if seen[fam] {
				t.Errorf("rule family %q is split in the registry: %v", fam, order)
			}
			seen[fam] = true
			order = append(order, fam)
			last = fam
		}
	}
	sort.Strings(order)
}

// exampleInput renders a golden input for a doc page: one YAML block, or
// for a folder, one block per file headed by its name.
func exampleInput(in string) (text, arg string, err error) {
	st, err := os.Stat(in)
	if err != nil {
		return "", "", err
	}
	if !st.IsDir() {
		src, err := os.ReadFile(in)
		return "```yaml\n" + string(src) + "```\n", "", err
	}
	var b strings.Builder
	err = filepath.WalkDir(in, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(in, p)
		fmt.Fprintf(&b, "`%s`:\n\n```yaml\n%s```\n\n", filepath.ToSlash(rel), src)
		return nil
	})
	return strings.TrimSuffix(b.String(), "\n"), ".", err
}
