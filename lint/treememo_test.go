package lint

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"hoist/internal/testenv"
)

// TestTreeMemo edits a copy of the queens tree the way an author does and
// lints it with a cache after each edit: the tree rules' kept findings are
// taken only when neither their facts nor what they read changed, and the
// findings are always those of a run without a cache. Each step's edit
// changes the findings of the rule it aims at (checked), so that a memo
// that kept them would fail.
func TestTreeMemo(t *testing.T) {
	defer func(d time.Duration) { settleTime = d }(settleTime)
	settleTime = 0
	dir := copyCorpus(t)
	cache := t.TempDir()
	prev := full(runIn(t, dir, Options{}).Diagnostics)
	step := func(what string, edit func(), kept func(id string) (want, known bool), changes string) {
		t.Helper()
		edit()
		want := full(runIn(t, dir, Options{}).Diagnostics)
		if changes != "" && want == prev {
			t.Fatalf("%s: the edit changes no finding: the step tests nothing", what)
		}
		if changes != "" && !strings.Contains(diffLines(prev, want), changes) {
			t.Fatalf("%s: the findings that changed do not mention %q:\n%s", what, changes, diffLines(prev, want))
		}
		prev = want
		c := OpenCache(cache, "t")
		// No run memo (memo.go): it would answer for the tree as a whole.
		res := runIn(t, dir, Options{Cache: c, Baseline: &Baseline{}})
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
		if got := full(res.Diagnostics); got != want {
			t.Errorf("%s: findings differ from a run without a cache:\n%s", what, diffLines(want, got))
		}
		if len(res.TreeRules) < 10 {
			t.Fatalf("%s: %d tree rules ran, want the ten of the default rules", what, len(res.TreeRules))
		}
		for _, id := range res.TreeRules {
			want, known := kept(id)
			if k := slices.Contains(res.TreeKept, id); known && k != want {
				t.Errorf("%s: %s kept: %v, want %v", what, id, k, want)
			}
		}
	}
	// Which rules keep their findings: none, all, all but some, or (for
	// an edit that changes facts of several rules) only that some do not.
	none := func(string) (bool, bool) { return false, true }
	all := func(string) (bool, bool) { return true, true }
	but := func(ids ...string) func(string) (bool, bool) {
		return func(id string) (bool, bool) { return !slices.Contains(ids, id), true }
	}
	notKept := func(ids ...string) func(string) (bool, bool) {
		return func(id string) (bool, bool) { return false, slices.Contains(ids, id) }
	}
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	read := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	replace := func(name, old, new string) {
		t.Helper()
		s := read(name)
		if !strings.Contains(s, old) {
			t.Fatalf("%s does not hold %q", name, old)
		}
		write(name, strings.Replace(s, old, new, 1))
	}

	step("the first run with a cache", func() {}, none, "")
	step("nothing changed", func() {}, all, "")
	step("a comment added to a service template", func() {
		write("docker/services/keystone.yaml", read("docker/services/keystone.yaml")+"# a comment\n")
	}, all, "")

	// heat/missing-file reads whether the files named exist: a script
	// (no YAML file of the run) created after the template named it.
	const upd = "extraconfig/tasks/yum_update.yaml"
	step("get_file names a missing script", func() {
		replace(upd, "get_file: yum_update.sh", "get_file: hoist_memo.sh")
	}, notKept("heat/missing-file"), "hoist_memo.sh")
	step("the script created", func() {
		write("extraconfig/tasks/hoist_memo.sh", "#!/bin/sh\n")
	}, but("heat/missing-file"), "hoist_memo.sh")

	step("the missing service template an environment maps, written", func() {
		write("docker/services/collectd.yaml", read("docker/services/keystone.yaml"))
	}, notKept("heat/missing-file"), "docker/services/collectd.yaml")

	// heat/undeclared-parameter reads the roles' names from roles/*.yaml
	// ({{role.name}}Count declares a count per role): a role renamed
	// there, and nothing else.
	const env = "environments/neutron-ml2-ovn-ha.yaml"
	step("an environment sets a count for a role no file names", func() {
		replace(env, "parameter_defaults:\n", "parameter_defaults:\n  HoistMemoCount: 1\n")
	}, notKept("heat/undeclared-parameter"), "HoistMemoCount")
	step("roles/Networker.yaml renames its role", func() {
		replace("roles/Networker.yaml", "- name: Networker\n", "- name: HoistMemo\n")
	}, notKept("heat/undeclared-parameter"), "HoistMemoCount")
}

// diffLines lists the lines of a that b lacks ("-") and those of b that a
// lacks ("+").
func diffLines(a, b string) string {
	as, bs := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out strings.Builder
	for _, l := range as {
		if !slices.Contains(bs, l) {
			out.WriteString("-" + l + "\n")
		}
	}
	for _, l := range bs {
		if !slices.Contains(as, l) {
			out.WriteString("+" + l + "\n")
		}
	}
	return out.String()
}

// TestCollectWalksAsTheViews: the walk of a folder the run gives the tree
// views (Options.walks) is the one they would make themselves
// (walkSources without Jsonnet, tolerant), whether the folder is named
// absolute, relative, or with a trailing slash.
func TestCollectWalksAsTheViews(t *testing.T) {
	root := testenv.Corpus(t)
	wantFiles, wantJinja, err := walkSources(root, false, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(wantJinja) == 0 {
		t.Fatal("the tree has no Jinja2 templates: the test tests nothing")
	}
	t.Chdir(filepath.Dir(root))
	wd, _ := os.Getwd()
	for _, p := range []string{root, filepath.Base(root), filepath.Base(root) + "/", "./" + filepath.Base(root)} {
		_, _, walks, err := collect([]string{p}, wd)
		if err != nil {
			t.Fatal(err)
		}
		w, ok := walks[root]
		if !ok {
			t.Fatalf("%s: no walk of %s among %d", p, root, len(walks))
		}
		if !slices.Equal(w[0], wantFiles) || !slices.Equal(w[1], wantJinja) {
			t.Errorf("%s: walk of %d files and %d templates, the views' %d and %d", p, len(w[0]), len(w[1]), len(wantFiles), len(wantJinja))
		}
	}
}
