package deploy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hoist/internal/testenv"
	"hoist/source"
)

// TestReleaseOfEachTree: the compile reads each corpus tree as its own
// release and merges the environments its plan lists after the registry.
func TestReleaseOfEachTree(t *testing.T) {
	for _, tc := range []struct {
		tree, release string
		defaults      []string
	}{
		{"queens", "queens", []string{"environments/docker.yaml"}},
		{"rocky", "rocky", nil},
		{"stein", "stein", nil},
		{"train", "train", nil},
	} {
		t.Run(tc.tree, func(t *testing.T) {
			root := testenv.Tree(t, tc.tree)
			d, err := Compile(Inputs{Templates: Path{Path: root}, AllowMissing: true}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if d.Release.Name != tc.release || !strings.HasPrefix(d.ReleaseWhy, "detected: ") {
				t.Errorf("release %s (%s), want %s detected", d.Release, d.ReleaseWhy, tc.release)
			}
			var got []string
			for _, e := range d.Defaults {
				rel, _ := filepath.Rel(root, e)
				got = append(got, filepath.ToSlash(rel))
			}
			if strings.Join(got, " ") != strings.Join(tc.defaults, " ") {
				t.Errorf("default environments %q, want %q", got, tc.defaults)
			}
			if len(d.Environments) != 1+len(tc.defaults) {
				t.Errorf("environments %q: the registry and the defaults", d.Environments)
			}
		})
	}
}

// TestUnsupportedRelease: a tree of pike, ussuri or master is one error
// naming the release detected and the supported ones; --release reads it
// as a supported one anyway.
func TestUnsupportedRelease(t *testing.T) {
	for _, tc := range []struct{ tree, name string }{{"pike", "pike"}, {"ussuri", "ussuri"}, {"master", "wallaby"}} {
		t.Run(tc.tree, func(t *testing.T) {
			root := filepath.Join(testenv.RepoRoot(t), "testdata", "releases", tc.tree)
			at := source.Range{File: "<command line>"}
			_, err := Compile(Inputs{Templates: Path{Path: root, At: at}, AllowMissing: true}, Options{})
			d := diagOf(t, err)
			if d.Rule != RuleRelease {
				t.Fatalf("rule %s: %s", d.Rule, d.Message)
			}
			for _, want := range []string{"tree of " + tc.name, "queens to train"} {
				if !strings.Contains(d.Message, want) {
					t.Errorf("message %q does not say %q", d.Message, want)
				}
			}
		})
	}
	root := filepath.Join(testenv.RepoRoot(t), "testdata", "releases", "pike")
	_, err := Compile(Inputs{Templates: Path{Path: root}, Release: Path{Path: "queens"}, AllowMissing: true}, Options{})
	if d := diagOf(t, err); d.Rule == RuleRelease {
		t.Errorf("--release queens should read the pike tree as queens: %v", d)
	}
	_, err = Compile(Inputs{Templates: Path{Path: root}, Release: Path{Path: "kilo", At: source.Range{File: "hoist.hcl", Start: source.Pos{Line: 2, Col: 13}}}}, Options{})
	expectAt(t, diagOf(t, err), "hoist.hcl", 2, 13, `unknown release "kilo"`, `"queens", "rocky", "stein" or "train"`)
}

// TestErrorInJinja2TemplateIsAtItsLine: a slip in common/services/
// role.role.j2.yaml that breaks one role's rendered template is reported
// at the .j2.yaml line the author edits, naming the role, with the
// rendered place as a note.
func TestErrorInJinja2TemplateIsAtItsLine(t *testing.T) {
	src := testenv.Tree(t, "queens")
	root := filepath.Join(t.TempDir(), "tht")
	if err := os.CopyFS(root, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(root, "common", "services", "role.role.j2.yaml")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	anchor := "      service_names: {get_attr: [ServiceNames, value]}\n"
	slip := "{%- if role.name == 'Compute' %}\n      broken: {get_attr: [ServiceNames, valeu]}\n{%- endif %}\n"
	text := strings.Replace(string(b), anchor, anchor+slip, 1)
	line := 1 + strings.Count(text[:strings.Index(text, "broken:")], "\n")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Compile(Inputs{Templates: Path{Path: root}, AllowMissing: true, Environments: []Path{{Path: filepath.Join(root, "environments", "docker.yaml")}}}, Options{Base: root, Aggregation: Template})
	d := diagOf(t, err)
	col := 1 + strings.Index(slip[strings.Index(slip, "      broken"):], "valeu")
	expectAt(t, d, "common/services/role.role.j2.yaml", line, col, "valeu")
	found := false
	for _, r := range d.Related {
		if strings.Contains(r.Message, "rendered into common/services/compute-role.yaml") && strings.Contains(r.Message, "for role Compute") {
			found = true
		}
	}
	if !found {
		t.Errorf("no note names the rendered file and the role: %+v", d.Related)
	}
}

// TestOpenTree: a tree opens as the compile opens it, without compiling:
// its release, the plan's default environments, a rendered output with its
// source map.
func TestOpenTree(t *testing.T) {
	root := testenv.Tree(t, "stein")
	tr, err := Open(Inputs{Templates: Path{Path: root}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tr.Release().Name != "stein" || len(tr.Environments()) != 1 {
		t.Errorf("release %s, environments %q", tr.Release(), tr.Environments())
	}
	if res, err := tr.Env().Registry().Resolve("OS::TripleO::Services::Keystone", "x"); err != nil || filepath.Base(res.Template) != "keystone-container-puppet.yaml" {
		t.Errorf("the registry maps Keystone to %+v (%v)", res, err)
	}
	f := tr.Rendered(tr.Abs("common/services/controller-role.yaml"))
	if f == nil || f.Map == nil || f.Role != "Controller" {
		t.Fatalf("rendered controller-role.yaml: %+v", f)
	}
	if p, ok := f.Map.At(1, 1); !ok || p.File != "common/services/role.role.j2.yaml" {
		t.Errorf("line 1 maps to %+v", p)
	}
	if tr.Rendered(tr.Abs("deployment/keystone/keystone-container-puppet.yaml")) != nil {
		t.Error("a plain file is no rendered output")
	}
}
