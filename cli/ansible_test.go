package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"hoist/internal/testenv"
)

// compareTaskFiles is run by Debian's Python: it reads every
// OUT/ansible/<Role>/<key>.yaml with PyYAML's safe_load (as Ansible reads
// task files) and compares it with the role_data of the real-Heat golden
// of the role; an unknown value of hoist ("<unknown: ...>") equals the
// oracle's stub of a value only a live cloud knows ("STUB:..."). It
// prints one line per role and key compared, "equal" or the first
// difference, and the keys missing on either side.
const compareTaskFiles = `
import json, os, sys, yaml
out, goldens = sys.argv[1], sys.argv[2]
def same(a, b, path):
    if isinstance(a, str) and isinstance(b, str) and a.startswith('<unknown:') and b.startswith('STUB:'):
        return None
    if type(a) != type(b) and not (isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and not isinstance(b, bool)):
        return '%s: %r != %r' % (path, a, b)
    if isinstance(a, dict):
        if sorted(a) != sorted(b):
            return '%s: keys %s != %s' % (path, sorted(a), sorted(b))
        for k in a:
            d = same(a[k], b[k], path + '/' + str(k))
            if d: return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return '%s: %d items != %d' % (path, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            d = same(x, y, '%s/%d' % (path, i))
            if d: return d
        return None
    return None if a == b else '%s: %r != %r' % (path, a, b)
for name in sorted(os.listdir(goldens)):
    if name == 'inputs.json' or not name.endswith('.json'):
        continue
    role = name[:-5]
    with open(os.path.join(goldens, name)) as f:
        rd = json.load(f)['role_data']
    want = sorted(k for k, v in rd.items() if k.endswith('_tasks') and isinstance(v, list) and k != 'docker_puppet_tasks')
    have = sorted(f[:-5] for f in os.listdir(os.path.join(out, role)) if f.endswith('.yaml'))
    if want != have:
        print('%s: task files %s, golden task lists %s' % (role, have, want))
    for k in want:
        if k not in have:
            continue
        with open(os.path.join(out, role, k + '.yaml')) as f:
            got = yaml.safe_load(f)
        d = same(got, rd[k], role + '/' + k)
        print('%s %s %d tasks: %s' % (role, k, len(rd[k]), d or 'equal'))
`

// TestAnsibleTaskFilesEqualRealHeat builds the queens tree with the
// inputs real Heat was given for the per-role goldens
// (heat-oracle/compare_roles.py's own command, with -o in place of
// --dump) and compares every role's task files under OUT/ansible/, read as
// YAML, with the task lists of the role's role_data that Heat computed.
func TestAnsibleTaskFilesEqualRealHeat(t *testing.T) {
	oracle := testenv.Oracle(t)
	rendered := testenv.CorpusRendered(t)
	testenv.PythonModules(t, "yaml")
	bin := buildHoist(t)
	envDir := t.TempDir()
	c := exec.Command(testenv.Python, filepath.Join(oracle, "compare_roles.py"), bin, rendered, "--keep-env", envDir, "--print-cmd")
	text, _ := c.CombinedOutput()
	var args []string
	for _, line := range strings.Split(string(text), "\n") {
		if strings.HasPrefix(line, bin+" build ") {
			args = strings.Fields(line)[1:]
			break
		}
	}
	if len(args) < 4 || !slices.Equal(args[len(args)-2:], []string{"--dump", "role-data"}) {
		t.Fatalf("no hoist build command in compare_roles.py --print-cmd's output:\n%s", text)
	}
	// The environment it wrote is gone with its temporary folder; --keep-env
	// kept a copy.
	for i, a := range args {
		if filepath.Base(a) == "hoist-roles-env.yaml" {
			args[i] = filepath.Join(envDir, "hoist-roles-env.yaml")
		}
	}
	out := filepath.Join(t.TempDir(), "out")
	args = append(args[:len(args)-2], "-o", out)
	b, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("hoist %s: %v\n%s", strings.Join(args, " "), err, b)
	}
	script := filepath.Join(t.TempDir(), "compare.py")
	if err := os.WriteFile(script, []byte(compareTaskFiles), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := exec.Command(testenv.Python, script, filepath.Join(out, "ansible"), filepath.Join(oracle, "golden", "queens-roles")).CombinedOutput()
	if err != nil {
		t.Fatalf("compare: %v\n%s", err, res)
	}
	lines := strings.Split(strings.TrimSpace(string(res)), "\n")
	tasks := 0
	for _, l := range lines {
		if !strings.HasSuffix(l, ": equal") {
			t.Errorf("%s", l)
		}
		if f := strings.Fields(l); len(f) >= 4 && f[3] == "tasks:" {
			n, _ := strconv.Atoi(f[2])
			tasks += n
		}
	}
	if len(lines) < 5*10 {
		t.Errorf("compared %d task lists, want every list of the 5 roles:\n%s", len(lines), res)
	}
	t.Logf("%d task lists of 5 roles compared, %d tasks in all", len(lines), tasks)
}

// TestAnsibleLint runs Debian's ansible-lint (offline, production
// profile) on the playbook and the task files hoist build writes for the
// embedded example: no finding.
func TestAnsibleLint(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping ansible-lint in -short mode")
	}
	if _, err := exec.LookPath("ansible-lint"); err != nil {
		t.Skipf("skipping: ansible-lint is not installed (apt-get install ansible-lint): %v", err)
	}
	work := t.TempDir()
	if r := run(t, "", "build", "-c", filepath.Join(testenv.RepoRoot(t), "stdlib", "examples", "overcloud", "hoist.hcl"), "-o", filepath.Join(work, "out")); r.code != ExitOK {
		t.Fatalf("hoist build: exit %d\n%s", r.code, r.err)
	}
	dir := filepath.Join(work, "out", "ansible")
	c := exec.Command("ansible-lint", "--offline", "--nocolor", "--profile", "production", "-p", "deploy_steps_playbook.yaml")
	c.Dir = dir
	c.Env = append(os.Environ(), "HOME="+work, "ANSIBLE_HOME="+filepath.Join(work, "ansible-home"))
	out, err := c.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "0 failure(s), 0 warning(s)") {
		t.Errorf("ansible-lint: %v\n%s", err, out)
	}
}
