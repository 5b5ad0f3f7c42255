package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"hoist/internal/testenv"
)

// tutorialStep is one command of docs/tutorial.md, run in order in a
// fresh folder; its block in the page is its real output.
type tutorialStep struct {
	// id names the block: <!-- tutorial: id --> ... <!-- /tutorial -->.
	id string
	// dir is where the command runs, relative to the tutorial's folder.
	dir string
	// edit changes the project before the command (root is the
	// tutorial's folder), as the page says to.
	edit func(t *testing.T, root string)
	// args are hoist's arguments; file, instead, shows a file (as cat).
	args []string
	file string
	// code is the exit code expected.
	code int
	// lines, when set, keeps that many lines of the output (the page says
	// so with "...").
	lines int
}

// replaceIn edits a file of the tutorial's project.
func replaceIn(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s has no %q", path, old)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

const privilegedEdit = "glance_api: hoist.container(image, volumes) + { start_order: 2 },"

var tutorialSteps = []tutorialStep{
	{id: "init", args: []string{"init", "mycloud"}},
	{id: "lint", dir: "mycloud", args: []string{"lint"}},
	{id: "lint-policy", dir: "mycloud", code: ExitFindings, args: []string{"lint", "services/glance-api.jsonnet"},
		edit: func(t *testing.T, root string) {
			replaceIn(t, filepath.Join(root, "mycloud/services/glance-api.jsonnet"), privilegedEdit,
				"glance_api: hoist.container(image, volumes, privileged=true) + { start_order: 2 },")
		}},
	{id: "build", dir: "mycloud", args: []string{"build"},
		edit: func(t *testing.T, root string) {
			replaceIn(t, filepath.Join(root, "mycloud/services/glance-api.jsonnet"),
				"glance_api: hoist.container(image, volumes, privileged=true) + { start_order: 2 },", privilegedEdit)
		}},
	{id: "build-out", dir: "mycloud", args: []string{"build", "-o", "out"}},
	{id: "kolla", dir: "mycloud", file: "out/nodes/overcloud-novacompute-0/var/lib/kolla/config_files/nova_compute.json"},
	{id: "startup", dir: "mycloud", file: "out/nodes/overcloud-controller-0/var/lib/tripleo-config/docker-container-startup-config-step_3.json", lines: 30},
	{id: "plan", dir: "mycloud", args: []string{"plan", "--role", "Compute"}},
	{id: "build-changed", dir: "mycloud", args: []string{"build", "-o", "out2"},
		edit: func(t *testing.T, root string) {
			replaceIn(t, filepath.Join(root, "mycloud/environments/site.yaml"), "NovaReservedHostMemory: 2048", "NovaReservedHostMemory: 4096")
			replaceIn(t, filepath.Join(root, "mycloud/services/nova-compute.jsonnet"), "ulimit: hoist.param('DockerNovaComputeUlimit'),",
				"ulimit: hoist.param('DockerNovaComputeUlimit'),\n          healthcheck: { test: '/openstack/healthcheck 5672' },")
		}},
	{id: "diff", dir: "mycloud", code: ExitFindings, args: []string{"diff", "out", "out2"}},
}

// durations are the timings commands print, which change from run to run.
var durations = regexp.MustCompile(`\b\d+(\.\d+)?(s|ms)\b`)

// render is a step's block: the command line and what it printed.
func (s tutorialStep) render(t *testing.T, root string) string {
	t.Helper()
	var b strings.Builder
	if s.file != "" {
		data, err := os.ReadFile(filepath.Join(root, s.dir, s.file))
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString("$ cat " + s.file + "\n")
		b.WriteString(truncate(string(data), s.lines))
		return b.String()
	}
	wd, _ := os.Getwd()
	if err := os.Chdir(filepath.Join(root, s.dir)); err != nil {
		t.Fatal(err)
	}
	r := run(t, "", s.args...)
	os.Chdir(wd)
	if r.code != s.code {
		t.Fatalf("hoist %s: exit %d, want %d:\n%s%s", strings.Join(s.args, " "), r.code, s.code, r.stdout, r.err)
	}
	b.WriteString("$ hoist " + strings.Join(s.args, " ") + "\n")
	b.WriteString(truncate(r.stdout+r.err, s.lines))
	return b.String()
}

func truncate(s string, n int) string {
	if n <= 0 {
		return s
	}
	lines := strings.SplitAfter(s, "\n")
	if len(lines) <= n {
		return s
	}
	return strings.Join(lines[:n], "") + "...\n"
}

var tutorialBlock = regexp.MustCompile("(?s)<!-- tutorial: ([a-z0-9-]+) -->\n```console\n(.*?)```\n<!-- /tutorial -->")

// TestTutorial runs docs/tutorial.md's commands in a fresh folder and
// checks that each block shows their real output (timings aside);
// go test ./cli -run TestTutorial -update rewrites the blocks.
func TestTutorial(t *testing.T) {
	page := filepath.Join(testenv.RepoRoot(t), "docs", "tutorial.md")
	src, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	got := map[string]string{}
	for _, s := range tutorialSteps {
		if s.edit != nil {
			s.edit(t, root)
		}
		got[s.id] = s.render(t, root)
	}
	seen := map[string]bool{}
	out := tutorialBlock.ReplaceAllStringFunc(string(src), func(m string) string {
		sm := tutorialBlock.FindStringSubmatch(m)
		id, text := sm[1], sm[2]
		seen[id] = true
		want, ok := got[id]
		if !ok {
			t.Errorf("the page has a block %q that no step makes", id)
			return m
		}
		if durations.ReplaceAllString(text, "T") != durations.ReplaceAllString(want, "T") && !updating() {
			t.Errorf("block %q of docs/tutorial.md is not the real output (go test ./cli -run TestTutorial -update):\n--- page\n%s--- real\n%s", id, text, want)
		}
		return fmt.Sprintf("<!-- tutorial: %s -->\n```console\n%s```\n<!-- /tutorial -->", id, want)
	})
	for _, s := range tutorialSteps {
		if !seen[s.id] {
			t.Errorf("step %q has no block in docs/tutorial.md", s.id)
		}
	}
	if updating() && out != string(src) {
		if err := os.WriteFile(page, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

var demoBlock = regexp.MustCompile("(?s)<!-- make demo -->\n```console\n\\$ make demo\n(.*?)```\n<!-- /make demo -->")

// TestReadmeDemo: the README shows what make demo prints. make demo runs
// hoist build at the repository's root, where there is no hoist.hcl: the
// test runs it in an empty folder. The lines make prints before (the go
// build of bin/hoist) are kept as they are; go test ./cli -run
// TestReadmeDemo -update rewrites hoist's part.
func TestReadmeDemo(t *testing.T) {
	readme := filepath.Join(testenv.RepoRoot(t), "README.md")
	src, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	m := demoBlock.FindSubmatchIndex(src)
	if m == nil {
		t.Fatal("README.md has no make demo block")
	}
	shown := string(src[m[2]:m[3]])
	// make's own lines: the go build of the build target.
	var makeLines string
	for _, l := range strings.SplitAfter(shown, "\n") {
		if !strings.HasPrefix(l, "go build") {
			break
		}
		makeLines += l
	}
	dir := t.TempDir()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	r := run(t, "", "build")
	os.Chdir(wd)
	if r.code != ExitOK {
		t.Fatalf("hoist build with no inputs: exit %d\n%s", r.code, r.err)
	}
	if _, err := os.Stat(filepath.Join(dir, DefaultExampleOut, "manifest.json")); err != nil {
		t.Errorf("no tree in ./%s: %v", DefaultExampleOut, err)
	}
	want := makeLines + r.stdout + r.err
	if updating() {
		out := string(src[:m[2]]) + want + string(src[m[3]:])
		if err := os.WriteFile(readme, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if durations.ReplaceAllString(shown, "T") != durations.ReplaceAllString(want, "T") {
		t.Errorf("README.md's make demo block is not what hoist build prints (go test ./cli -run TestReadmeDemo -update):\n--- README\n%s--- real\n%s", shown, want)
	}
}
