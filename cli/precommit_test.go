package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"hoist/internal/testenv"
)

// TestPreCommitHook installs the hook the way docs/ci.md says, with
// Debian's pre-commit, into a fresh repository holding the queens tree:
// repo is this hoist repository, rev its current commit, hook hoist-lint
// (language golang: pre-commit builds hoist). A commit that brings a slip
// fails, naming the file and line; a commit without one passes.
func TestPreCommitHook(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: builds hoist inside pre-commit")
	}
	if _, err := exec.LookPath("pre-commit"); err != nil {
		t.Skip("skipping: no pre-commit on PATH (Debian's pre-commit; .ci/run installs it)")
	}
	src := testenv.Tree(t, "queens")
	hoist := testenv.RepoRoot(t)
	rev, err := exec.Command("git", "-C", hoist, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("skipping: the hoist checkout is not a git repository: %v", err)
	}
	repo := filepath.Join(t.TempDir(), "tht")
	if err := os.CopyFS(repo, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	config := "repos:\n  - repo: " + hoist + "\n    rev: " + strings.TrimSpace(string(rev)) + "\n    hooks:\n      - id: hoist-lint\n"
	if err := os.WriteFile(filepath.Join(repo, ".pre-commit-config.yaml"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	env := append(os.Environ(), "HOME="+home, "PRE_COMMIT_HOME="+filepath.Join(home, "pre-commit"),
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	// The Go caches of this machine, so that pre-commit's build of hoist
	// does not download and compile everything again.
	for _, v := range []string{"GOCACHE", "GOMODCACHE"} {
		if out, err := exec.Command("go", "env", v).Output(); err == nil {
			env = append(env, v+"="+strings.TrimSpace(string(out)))
		}
	}
	sh := func(args ...string) (string, error) {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir, cmd.Env = repo, env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	for _, c := range [][]string{{"git", "init", "-q", "-b", "main"}, {"git", "add", "-A"}, {"git", "commit", "-q", "--no-verify", "-m", "the tree"}, {"pre-commit", "install"}} {
		if out, err := sh(c...); err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(c, " "), err, out)
		}
	}
	for _, tc := range []struct {
		name, file, from, to string
		fails                bool
		want                 string
	}{
		{"a clean change", "docker/services/keystone.yaml", "description: >\n  OpenStack containerized Keystone service", "description: >\n  OpenStack containerized Keystone service (tested)", false, "Passed"},
		// Evaluation sees the step key under map_merge.
		{"a step key misspelt under map_merge", "docker/services/zaqar.yaml", "          - step_4:\n", "          - step4:\n", true, "docker/services/zaqar.yaml:138:13: error: unknown key \"step4\""},
		// The hook passes the *.j2.yaml file; hoist renders it per role.
		{"a Jinja2 template that breaks a role", "puppet/role.role.j2.yaml", "depends_on: NodeTLSCAData", "depends_on: NodeTLSCAdata", true, "puppet/role.role.j2.yaml:596:17: error: resource \"NodeTLSCAdata\" is not defined"},
		{"a YAML syntax error", "docker/services/glance-api.yaml", "      service_name: {get_attr: [GlanceApiPuppetBase, role_data, service_name]}", "      service_name: {get_attr: [GlanceApiPuppetBase, role_data, service_name]", true, "docker/services/glance-api.yaml:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(repo, filepath.FromSlash(tc.file))
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), tc.from) {
				t.Fatalf("%s does not hold %q", tc.file, tc.from)
			}
			if err := os.WriteFile(p, []byte(strings.Replace(string(b), tc.from, tc.to, 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			if out, err := sh("git", "add", tc.file); err != nil {
				t.Fatal(err, out)
			}
			out, err := sh("git", "commit", "-m", tc.name)
			if (err != nil) != tc.fails || !strings.Contains(out, tc.want) {
				t.Errorf("git commit (%s): %v, want failure %v and %q in:\n%s", tc.name, err, tc.fails, tc.want, out)
			}
			if tc.fails {
				if out, err := sh("git", "checkout", "--", tc.file); err != nil {
					t.Fatal(err, out)
				}
				if out, err := sh("git", "reset", "-q"); err != nil {
					t.Fatal(err, out)
				}
			}
		})
	}
}
