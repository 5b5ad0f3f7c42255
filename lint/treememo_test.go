package lint

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
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
		cold := runIn(t, dir, Options{})
		want := full(cold.Diagnostics)
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
		// The release detection, from the heads the cache kept (heads.go).
		if got, want := whys(res), whys(cold); got != want {
			t.Errorf("%s: the release detected says %q, without a cache %q", what, got, want)
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

	// The detection counts every template's version, from the heads the
	// cache kept with the files' stamps (heads.go; the run's signature
	// gives the stamps, so these runs have no baseline): one template of
	// another version changes its evidence (449 of 450).
	detected := func() string {
		t.Helper()
		c := OpenCache(cache, "t")
		res := runIn(t, dir, Options{Cache: c})
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
		return whys(res)
	}
	detected()
	replace(upd, "heat_template_version: queens", "heat_template_version: pike")
	got, want := detected(), whys(runIn(t, dir, Options{}))
	if m := regexp.MustCompile(`\((\d+) of (\d+)\)`).FindStringSubmatch(got); got != want || m == nil || m[1] == m[2] {
		t.Errorf("after one template declares pike, the detection says %q, without a cache %q", got, want)
	}
}

// whys gives the releases a run read its trees as, and why.
func whys(res *Result) string {
	var b strings.Builder
	for _, c := range res.Releases {
		b.WriteString(c.Root + ": " + c.Release.Name + " (" + c.Why + ")\n")
	}
	return b.String()
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

// TestTreeMemoFormat: the tree memo's file gives back what was written
// (reads of every kind, findings), the same bytes again, and every cut or
// changed byte decodes to an error or to entries, never a panic; a pack
// shard is not a tree memo.
func TestTreeMemoFormat(t *testing.T) {
	res := fullResult()
	in := map[string]*treeEntry{
		"heat/missing-file": {Sum: [32]byte{1, 31: 2}, Reads: []viewRead{
			{Kind: readText, Arg: "/t/a.yaml", Sum: [32]byte{3}}, {Kind: readFiles, Arg: "/t", Sum: [32]byte{4}},
			{Kind: readGlob, Arg: "/t/roles/*.yaml", Sum: [32]byte{5}}, {Kind: readExists, Arg: "/t/x.sh"},
			{Kind: readBeside, Arg: "/t/y.yaml", Sum: [32]byte{1}}, {Kind: readNear, Arg: "/t/z.yaml", Sum: [32]byte{6}},
			{Kind: readBroken, Arg: "/t"}, {Kind: readRendered, Arg: "/t\x00/t/o.yaml", Sum: [32]byte{1}},
			{Kind: readOutputs, Arg: "/t\x00/t/n.yaml", Sum: [32]byte{7}},
		}, result: encodeResult(&fileResult{Diags: res.Diags})},
		"template/parameter-mismatch": {Sum: [32]byte{9}, result: encodeResult(&fileResult{})},
	}
	b := encodeTrees(in)
	out, err := decodeTrees(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Errorf("decoded tree memo differs:\n got %#v\nwant %#v", out, in)
	}
	if string(encodeTrees(out)) != string(b) {
		t.Error("the memo of the decoded entries is not the same bytes")
	}
	got, err := decodeResult(out["heat/missing-file"].result, nil)
	if err != nil || !reflect.DeepEqual(got.Diags, res.Diags) {
		t.Errorf("findings read back %v (%v), want %v", got.Diags, err, res.Diags)
	}
	holdsAgainstDamage(t, "the tree memo", b, func(b []byte) error { _, err := decodeTrees(b); return err })
	if _, err := decodeTrees(encodePack(map[string]*cacheEntry{"a.yaml": fullEntry()})); err == nil {
		t.Error("a pack shard decodes as a tree memo")
	}
	// A read of a kind this version does not know (a memo another
	// version wrote) is never the same.
	v := newTreeViews(nil, Options{})
	if v.readsSame([]viewRead{{Kind: 'z', Arg: "/t"}}) {
		t.Error("a read of an unknown kind counts as unchanged")
	}
}

// TestNamesNotesItsReadsForEveryRule: names reads the roles' files once
// per run, and every rule that asks for them has those reads recorded,
// not only the first (the memo of a second rule would miss a renamed
// role otherwise).
func TestNamesNotesItsReadsForEveryRule(t *testing.T) {
	root := testenv.Corpus(t)
	v := newTreeViews(nil, Options{})
	first, second := &viewReads{}, &viewReads{}
	v.rec = first
	_, all := v.names(root, "roles")
	v.rec = second
	_, again := v.names(root, "roles")
	v.rec = nil
	if len(all) == 0 || !slices.Equal(all, again) {
		t.Fatalf("roles %v, then %v", all, again)
	}
	a, b := first.list(), second.list()
	if len(a) == 0 || !reflect.DeepEqual(a, b) {
		t.Errorf("the first rule recorded %d reads, the second %d", len(a), len(b))
	}
}
