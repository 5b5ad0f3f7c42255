package cli

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"hoist/executor"
	"hoist/internal/testenv"
)

// The simulated nodes of the Ansible test: each node is a folder that
// is the root of a machine of its own (its /etc, /var, /run, its podman
// configuration and store) running this machine's programs (/usr, /proc,
// /sys and /dev are mounted in by testdata/ansible/in-nodes.sh, inside a
// private mount namespace of `unshare`). Ansible reaches each with
// community.general's chroot connection, as it would reach a real node
// over SSH, with testdata/ansible/node-exec.sh in place of chroot: it runs
// each command in a mount namespace whose root is the node's folder
// (pivot_root), which podman exec needs.

// simNode is one simulated node.
type simNode struct {
	host, role, root string
}

// fakeKolla are the programs of the test image that stand in for what the
// example's images run: kolla_start (a service that runs until stopped,
// or a bootstrap that exits at once under KOLLA_BOOTSTRAP), bash (which
// fails when a folder under /var/log or /var/lib of the container holds
// hoist-test-fail, so that a test can make one container of one node
// fail by a file in the host folder it mounts), puppet (config
// generation: writes /etc/<config volume>/, the client configuration of
// MySQL in /etc/my.cnf.d/ and /root/.my.cnf, which the example's
// containers mount from the config volumes, and answers 2, puppet's
// "changes applied") and the rest of the commands the example's
// containers name.
var fakeKolla = map[string]string{
	"/bin/bash":                        "#!/bin/sh\nfor d in /var/log/*/ /var/lib/*/; do\n  if [ -e \"${d}hoist-test-fail\" ]; then echo \"bash: ${d}hoist-test-fail says fail\" >&2; exit 1; fi\ndone\nexec /bin/sh \"$@\"\n",
	"/usr/local/bin/kolla_start":       "#!/bin/sh\n[ -n \"$KOLLA_BOOTSTRAP\" ] && exit 0\ntrap 'exit 0' TERM\nwhile true; do sleep 1; done\n",
	"/usr/local/bin/kolla_set_configs": "#!/bin/sh\nexit 0\n",
	"/usr/sbin/crond":                  "#!/bin/sh\ntrap 'exit 0' TERM\nwhile true; do sleep 1; done\n",
	"/usr/bin/bootstrap_host_exec":     "#!/bin/sh\nshift\nexec \"$@\"\n",
	"/usr/bin/nova-manage":             "#!/bin/sh\nexit 0\n",
	"/usr/bin/keystone-manage":         "#!/bin/sh\nexit 0\n",
	"/usr/bin/puppet":                  "#!/bin/sh\nmkdir -p \"/etc/$NAME\" /etc/my.cnf.d\necho \"generated for $NAME\" > \"/etc/$NAME/$NAME.conf\"\necho '[client]' > /etc/my.cnf.d/client.cnf\necho '[client]' > /root/.my.cnf\nexit 2\n",
}

// imageTar is the test image: Debian's busybox-static with its applets,
// the passwd and group files (with the users the example's containers
// chown to), and fakeKolla.
func imageTar(t *testing.T) []byte {
	t.Helper()
	bb, err := os.ReadFile("/bin/busybox")
	if err != nil {
		t.Skipf("skipping: /bin/busybox is missing (apt-get install busybox-static): %v", err)
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, d := range []string{"bin", "etc", "root", "tmp", "usr", "usr/bin", "usr/sbin", "usr/local", "usr/local/bin", "var", "var/lib", "var/log", "var/run"} {
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: 0o755})
	}
	file := func(name string, mode int64, data []byte) {
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Size: int64(len(data))})
		tw.Write(data)
	}
	file("bin/busybox", 0o755, bb)
	for _, applet := range strings.Fields("sh cat chown cp cut date dirname echo env false find grep ls md5sum mkdir mv printf readlink rm sed sleep sort stat sync test touch tr true [") {
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: "bin/" + applet, Linkname: "busybox", Mode: 0o777})
	}
	var passwd, group strings.Builder
	passwd.WriteString("root:x:0:0:root:/root:/bin/sh\n")
	group.WriteString("root:x:0:\n")
	for i, u := range []string{"mysql", "rabbitmq", "glance", "keystone", "nova"} {
		fmt.Fprintf(&passwd, "%s:x:%d:%d:%s:/var/lib/%s:/bin/sh\n", u, 100+i, 100+i, u, u)
		fmt.Fprintf(&group, "%s:x:%d:\n", u, 100+i)
	}
	file("etc/passwd", 0o644, []byte(passwd.String()))
	file("etc/group", 0o644, []byte(group.String()))
	names := make([]string, 0, len(fakeKolla))
	for p := range fakeKolla {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		file(strings.TrimPrefix(p, "/"), 0o755, []byte(fakeKolla[p]))
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// makeNodeRoot writes the folder of a simulated node: what a freshly
// installed TripleO node has that the example's containers mount (the
// CA bundles, known hosts, /var/run/libvirt, /lib/modules), its podman configuration (runc, cgroupfs, vfs
// storage in the node's own /var/lib/containers) and the test image's tar.
func makeNodeRoot(t *testing.T, root, host string, image []byte) {
	t.Helper()
	for _, d := range []string{"etc/containers", "tmp", "run", "var/lib", "var/log", "var/tmp", "root",
		"etc/pki/ca-trust/extracted", "etc/pki/ca-trust/source/anchors", "etc/pki/tls/certs", "etc/ssh", "var/lib/hoist-test",
		"run/libvirt", "../" + filepath.Base(root) + ".usr/upper/lib/modules"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	os.Chmod(filepath.Join(root, "tmp"), 0o1777)
	os.Chmod(filepath.Join(root, "var/tmp"), 0o1777)
	for _, l := range []string{"bin", "sbin", "lib", "lib64"} {
		if target, err := os.Readlink("/" + l); err == nil {
			os.Symlink(target, filepath.Join(root, l))
		}
	}
	os.Symlink("../run", filepath.Join(root, "var/run"))
	os.Symlink("/usr/share/zoneinfo/UTC", filepath.Join(root, "etc/localtime"))
	for _, f := range []string{"passwd", "group", "nsswitch.conf"} {
		if b, err := os.ReadFile("/etc/" + f); err == nil {
			os.WriteFile(filepath.Join(root, "etc", f), b, 0o644)
		}
	}
	policy, err := os.ReadFile("/etc/containers/policy.json")
	if err != nil {
		policy = []byte(`{"default": [{"type": "insecureAcceptAnything"}]}`)
	}
	runc := "/usr/sbin/runc"
	if p, err := exec.LookPath("runc"); err == nil {
		runc = p
	}
	files := map[string]string{
		"etc/hosts":                             "127.0.0.1 localhost " + host + "\n",
		"etc/hostname":                          host + "\n",
		"etc/resolv.conf":                       "",
		"etc/containers/policy.json":            string(policy),
		"etc/containers/storage.conf":           "[storage]\ndriver = \"vfs\"\ngraphroot = \"/var/lib/containers/storage\"\nrunroot = \"/run/containers/storage\"\n",
		"etc/containers/containers.conf":        fmt.Sprintf("[containers]\ndefault_ulimits = []\n[engine]\ncgroup_manager = \"cgroupfs\"\nruntime = \"runc\"\nevents_logger = \"file\"\n[engine.runtimes]\nrunc = [%q]\n", runc),
		"etc/pki/tls/cert.pem":                  "",
		"etc/pki/tls/certs/ca-bundle.crt":       "",
		"etc/pki/tls/certs/ca-bundle.trust.crt": "",
		"etc/ssh/ssh_known_hosts":               "",
	}
	for p, s := range files {
		if err := os.WriteFile(filepath.Join(root, p), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "var/lib/hoist-test/image.tar"), image, 0o644); err != nil {
		t.Fatal(err)
	}
}

// nodeExec is the command that runs a command on a node (node-exec.sh):
// Ansible's chroot connection runs it in place of chroot.
func nodeExec(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("testdata", "ansible", "node-exec.sh"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// inNodes runs argv inside a private mount namespace where every node's
// root is ready for chroot, and returns its combined output.
func inNodes(t *testing.T, nodes []simNode, env []string, argv ...string) (string, error) {
	t.Helper()
	script, err := filepath.Abs(filepath.Join("testdata", "ansible", "in-nodes.sh"))
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"--mount", "--propagation", "private", "sh", script}
	for _, n := range nodes {
		args = append(args, n.root)
	}
	args = append(append(args, "--"), argv...)
	// A run that outlives the test's deadline is ended (its whole process
	// group) in time for the cleanup to remove the nodes' containers.
	limit := 20 * time.Minute
	if d, ok := t.Deadline(); ok {
		limit = min(limit, time.Until(d)-time.Minute)
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, "unshare", args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	// The output goes to a file, not a pipe: the containers' conmon
	// processes, started inside, keep the descriptors they inherit open
	// after the command ends.
	f, err := os.CreateTemp(t.TempDir(), "out-")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd.Stdout, cmd.Stderr = f, f
	err = cmd.Run()
	out, rerr := os.ReadFile(f.Name())
	if rerr != nil {
		t.Fatal(rerr)
	}
	return string(out), err
}

// podmanOn runs a shell command line with podman on every node (in one
// namespace), each node's output after a line "== <host>".
func podmanOn(t *testing.T, nodes []simNode, script string) map[string]string {
	t.Helper()
	var sb strings.Builder
	for _, n := range nodes {
		fmt.Fprintf(&sb, "echo '== %s'; %s %s /bin/sh -c %s || exit 1\n", n.host, shellQuote(nodeExec(t)), shellQuote(n.root), shellQuote(script))
	}
	out, err := inNodes(t, nodes, nil, "sh", "-c", sb.String())
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
	res := map[string]string{}
	cur := ""
	for _, line := range strings.SplitAfter(out, "\n") {
		if h, ok := strings.CutPrefix(line, "== "); ok {
			cur = strings.TrimSpace(h)
			continue
		}
		res[cur] += line
	}
	return res
}

func shellQuote(s string) string { return executor.ShellQuote([]string{s}) }

// simContainer is a container of a node's store.
type simContainer struct {
	node, name, id, configID string
	created                  time.Time
}

// nodeContainers lists every container of every node's store.
func nodeContainers(t *testing.T, nodes []simNode) []simContainer {
	t.Helper()
	out := podmanOn(t, nodes, `ids=$(podman ps -aq); [ -z "$ids" ] || podman inspect --format '{{.Name}}|{{.ID}}|{{index .Config.Labels "config_id"}}|{{.Created.UnixNano}}' $ids`)
	var cs []simContainer
	for host, text := range out {
		for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
			f := strings.Split(line, "|")
			if len(f) != 4 {
				continue
			}
			ns, err := strconv.ParseInt(f[3], 10, 64)
			if err != nil {
				t.Fatalf("%s: %q", host, line)
			}
			cs = append(cs, simContainer{host, f[0], f[1], f[2], time.Unix(0, ns)})
		}
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].created.Before(cs[j].created) })
	return cs
}

func idsOf(cs []simContainer) map[string]string {
	m := map[string]string{}
	for _, c := range cs {
		m[c.node+"/"+c.name] = c.id
	}
	return m
}

// ansibleRun is one ansible-playbook run on the simulated nodes.
type ansibleRun struct {
	out  string
	code int
}

// recapRe is a host's line of the play recap.
var recapRe = regexp.MustCompile(`(?m)^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)`)

func (r ansibleRun) recap() map[string][4]int {
	m := map[string][4]int{}
	_, tail, _ := strings.Cut(r.out, "PLAY RECAP")
	for _, g := range recapRe.FindAllStringSubmatch(tail, -1) {
		var v [4]int
		for i := range v {
			v[i], _ = strconv.Atoi(g[2+i])
		}
		m[g[1]] = v
	}
	return m
}

// taskResults returns, for the task of that name, each host's status
// (ok, changed, failed, fatal, skipping) in output order.
func (r ansibleRun) taskResults(task string) [][2]string {
	var res [][2]string
	in := false
	for _, line := range strings.Split(r.out, "\n") {
		switch {
		case strings.HasPrefix(line, "TASK [") || strings.HasPrefix(line, "PLAY ") || strings.HasPrefix(line, "RUNNING HANDLER"):
			in = strings.HasPrefix(line, "TASK ["+task+"]")
		case in:
			for _, st := range []string{"ok", "changed", "failed", "fatal", "skipping"} {
				if rest, ok := strings.CutPrefix(line, st+": ["); ok {
					host, _, _ := strings.Cut(rest, "]")
					res = append(res, [2]string{host, st})
				}
			}
		}
	}
	return res
}

// TestAnsibleDeploySteps runs the playbook hoist build writes for the
// embedded example (one controller, two computes) with the real
// ansible-playbook on three simulated nodes, each with its own filesystem
// and its own podman store, in which real containers are created:
//   - the first run has one container of one compute fail at step 2: it
//     stops there on every node (no step 3 container anywhere), naming the
//     node and the task;
//   - after the fix the run completes, the containers that were there are
//     left as they were, and no node created a container of step N before
//     every node finished step N-1 (creation times, and the play's order);
//   - a second run changes nothing at the apply steps;
//   - --check changes nothing and prints what each node would run;
//   - --limit Compute touches the computes only;
//   - the passwords of the example appear in no output (--diff included),
//     and the files that hold them are 0600 on the nodes.
func TestAnsibleDeploySteps(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the Ansible test in -short mode")
	}
	if os.Geteuid() != 0 {
		t.Skip("skipping: the simulated nodes need root (chroot and mounts in a private mount namespace)")
	}
	for _, c := range []string{"ansible-playbook", "podman", "unshare", "chroot"} {
		if _, err := exec.LookPath(c); err != nil {
			t.Skipf("skipping: %s is not installed (apt-get install ansible-core ansible podman runc util-linux): %v", c, err)
		}
	}
	if _, err := exec.LookPath("runc"); err != nil {
		if _, err := os.Stat("/usr/sbin/runc"); err != nil {
			t.Skip("skipping: runc is not installed")
		}
	}
	if out, err := exec.Command("ansible-doc", "-t", "connection", "community.general.chroot").CombinedOutput(); err != nil {
		t.Skipf("skipping: community.general's chroot connection is missing (apt-get install ansible): %v\n%s", err, out)
	}
	bin := buildHoist(t)
	work := t.TempDir()
	out := filepath.Join(work, "out")
	// The example, with one parameter for this machine: podman gives a
	// container with a --ulimit of its own (nova_compute's nofile) the
	// highest limits of the others, which needs CAP_SYS_RESOURCE, which a
	// sandbox may not have.
	env := filepath.Join(work, "no-ulimit.yaml")
	if err := os.WriteFile(env, []byte("parameter_defaults:\n  DockerNovaComputeUlimit: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	build := exec.Command(bin, "build", "-c", filepath.Join(testenv.RepoRoot(t), "stdlib", "examples", "overcloud", "hoist.hcl"), "-e", env, "-o", out)
	build.Dir = work
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("hoist build: %v\n%s", err, b)
	}
	nodes := []simNode{
		{"overcloud-controller-0", "Controller", ""},
		{"overcloud-novacompute-0", "Compute", ""},
		{"overcloud-novacompute-1", "Compute", ""},
	}
	image := imageTar(t)
	images := map[string]bool{}
	for i := range nodes {
		nodes[i].root = filepath.Join(work, "nodes", nodes[i].host)
		makeNodeRoot(t, nodes[i].root, nodes[i].host, image)
		steps, _ := filepath.Glob(filepath.Join(out, "nodes", nodes[i].host, "var/lib/tripleo-config/docker-container-startup-config-step_*.json"))
		steps = append(steps, filepath.Join(out, "nodes", nodes[i].host, "var/lib/docker-puppet/docker-puppet.json"))
		for _, f := range steps {
			b, _ := os.ReadFile(f)
			for _, m := range regexp.MustCompile(`"(?:config_)?image": "([^"]+)"`).FindAllSubmatch(b, -1) {
				images[string(m[1])] = true
			}
		}
	}
	t.Cleanup(func() {
		if os.Getenv("HOIST_PODMAN_KEEP") != "" {
			t.Logf("kept the nodes in %s", work)
			return
		}
		inNodes(t, nodes, nil, "sh", "-c", `x=$1; shift; for r; do "$x" "$r" podman rm --all --force --time 0 >/dev/null 2>&1; "$x" "$r" podman rmi --all --force >/dev/null 2>&1; done`, "sh",
			nodeExec(t), nodes[0].root, nodes[1].root, nodes[2].root)
	})
	// Each node gets the image under every name the example's containers
	// use, as from a registry mirror: nothing is pulled.
	var tags []string
	for img := range images {
		tags = append(tags, img)
	}
	sort.Strings(tags)
	if len(tags) == 0 {
		t.Fatal("no images in the example's startup configs")
	}
	podmanOn(t, nodes, "podman import --change 'CMD [\"/usr/local/bin/kolla_start\"]' /var/lib/hoist-test/image.tar "+tags[0]+" >/dev/null && for i in "+strings.Join(tags[1:], " ")+"; do podman tag "+tags[0]+" $i; done")

	// The test's own inventory, after the build's: how Ansible reaches
	// each node and how hoist runs there.
	var inv strings.Builder
	inv.WriteString("overcloud:\n  hosts:\n")
	for _, n := range nodes {
		fmt.Fprintf(&inv, "    %s:\n      ansible_connection: community.general.chroot\n      ansible_host: %s\n", n.host, n.root)
	}
	fmt.Fprintf(&inv, "  vars:\n    ansible_chroot_exe: %s\n", nodeExec(t))
	fmt.Fprintf(&inv, "    ansible_python_interpreter: /usr/bin/python3\n    hoist_binary_src: %s\n    hoist_runtime: podman\n    hoist_apply_flags: [--systemd, 'no']\n", bin)
	testInv := filepath.Join(work, "nodes.yaml")
	if err := os.WriteFile(testInv, []byte(inv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var outputs []string
	playbook := func(extra ...string) ansibleRun {
		t.Helper()
		args := []string{"ansible-playbook", "-i", filepath.Join(out, "ansible", "inventory.yaml"), "-i", testInv,
			filepath.Join(out, "ansible", "deploy_steps_playbook.yaml")}
		args = append(args, extra...)
		env := []string{"ANSIBLE_NOCOLOR=1", "ANSIBLE_FORCE_COLOR=0", "ANSIBLE_HOST_KEY_CHECKING=False", "ANSIBLE_RETRY_FILES_ENABLED=False",
			"ANSIBLE_LOCAL_TEMP=" + filepath.Join(work, "ansible-tmp"), "ANSIBLE_HOME=" + filepath.Join(work, "ansible-home"), "ANSIBLE_STDOUT_CALLBACK=default",
			"ANSIBLE_CALLBACKS_ENABLED=ansible.posix.profile_tasks"}
		start := time.Now()
		o, err := inNodes(t, nodes, env, args...)
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("ansible-playbook: %v\n%s", err, o)
		}
		t.Logf("ansible-playbook %s: exit %d in %.1fs", strings.Join(extra, " "), code, time.Since(start).Seconds())
		outputs = append(outputs, o)
		return ansibleRun{o, code}
	}

	// 1. One compute's step-2 container fails.
	failMarker := filepath.Join(nodes[2].root, "var/log/containers/nova/hoist-test-fail")
	os.MkdirAll(filepath.Dir(failMarker), 0o755)
	os.WriteFile(failMarker, nil, 0o644)
	r := playbook("--diff")
	if r.code == 0 {
		t.Fatalf("the run with a failing container succeeded:\n%s", r.out)
	}
	if !regexp.MustCompile(`(?m)^fatal: \[overcloud-novacompute-1\]: FAILED!.*hoist apply --step 2 failed on overcloud-novacompute-1.*nova_compute_init_logs`).MatchString(r.out) ||
		!strings.Contains(r.out, "TASK [Stop when step 2 failed]") {
		t.Errorf("the failure does not name the node, the step's task and the container:\n%s", r.out)
	}
	if strings.Contains(r.out, "PLAY [Step 3]") {
		t.Errorf("the run went on to step 3:\n%s", r.out)
	}
	before := nodeContainers(t, nodes)
	for _, c := range before {
		if c.configID != "tripleo_step1" && c.configID != "tripleo_step2" {
			t.Errorf("after the failure at step 2, %s has %s of %s", c.node, c.name, c.configID)
		}
	}
	if !slices.ContainsFunc(before, func(c simContainer) bool { return c.node == nodes[1].host && c.configID == "tripleo_step2" }) {
		t.Errorf("the other compute did not run step 2: %v", before)
	}
	if testing.Verbose() {
		t.Logf("the failed run:\n%s", r.out)
	}

	// 2. Fixed: the run completes; what was there is left alone.
	os.Remove(failMarker)
	r = playbook("--diff")
	if r.code != 0 {
		t.Fatalf("the run after the fix: exit %d\n%s", r.code, r.out)
	}
	after := nodeContainers(t, nodes)
	afterIDs := idsOf(after)
	for k, id := range idsOf(before) {
		if afterIDs[k] != id {
			t.Errorf("%s was recreated by the run after the fix (%s → %s)", k, id, afterIDs[k])
		}
	}
	// The step order, from the containers' creation times: every
	// container of step N, on any node, was created after every container
	// of the steps before it, on every node.
	lastOf := map[int]time.Time{}
	firstOf := map[int]time.Time{}
	perStep := map[int]map[string]bool{}
	for _, c := range after {
		n, err := strconv.Atoi(strings.TrimPrefix(c.configID, "tripleo_step"))
		if err != nil {
			t.Errorf("%s on %s: config_id %q", c.name, c.node, c.configID)
			continue
		}
		if perStep[n] == nil {
			perStep[n] = map[string]bool{}
		}
		perStep[n][c.node] = true
		if c.created.After(lastOf[n]) {
			lastOf[n] = c.created
		}
		if f, ok := firstOf[n]; !ok || c.created.Before(f) {
			firstOf[n] = c.created
		}
	}
	for _, n := range []int{2, 3, 4} {
		if len(perStep[n]) != 3 {
			t.Errorf("step %d has containers on %v, want all three nodes", n, perStep[n])
		}
	}
	for n := 2; n <= 5; n++ {
		for m := 1; m < n; m++ {
			if f, ok := firstOf[n]; ok && !lastOf[m].IsZero() && !f.After(lastOf[m]) {
				t.Errorf("a container of step %d was created at %s, before the last of step %d at %s", n, f.Format(time.RFC3339Nano), m, lastOf[m].Format(time.RFC3339Nano))
			}
		}
	}
	var timeline strings.Builder
	for _, c := range after {
		fmt.Fprintf(&timeline, "  %s  %-24s %-14s %s\n", c.created.Format("15:04:05.000000"), c.node, c.configID, c.name)
	}
	t.Logf("containers by creation time:\n%s", timeline.String())
	// And from the play: each step's apply reported for every node
	// before the next step's play began.
	for n := 1; n <= 5; n++ {
		res := r.taskResults(fmt.Sprintf("Apply step %d with hoist", n))
		if len(res) != 3 {
			t.Errorf("step %d's apply ran on %v, want the three nodes", n, res)
		}
		i := strings.Index(r.out, fmt.Sprintf("TASK [Apply step %d with hoist]", n))
		j := strings.Index(r.out, fmt.Sprintf("PLAY [Step %d]", n+1))
		if n < 5 && (i < 0 || j < i) {
			t.Errorf("step %d's play does not end before step %d's begins", n, n+1)
		}
	}

	// Secret files are 0600 on the nodes, in the copied folder and where
	// hoist apply installed them.
	secretFiles := 0
	for _, n := range nodes {
		src := filepath.Join(out, "nodes", n.host)
		filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			st, _ := os.Stat(p)
			if st.Mode().Perm() != 0o600 {
				return nil
			}
			rel, _ := filepath.Rel(src, p)
			secretFiles++
			for _, dst := range []string{filepath.Join(n.root, "var/lib/hoist/nodes", n.host, rel), filepath.Join(n.root, rel)} {
				st, err := os.Stat(dst)
				if err != nil {
					t.Errorf("%s: %v", dst, err)
				} else if st.Mode().Perm() != 0o600 {
					t.Errorf("%s on %s has mode %04o, want 0600", rel, n.host, st.Mode().Perm())
				}
			}
			return nil
		})
	}
	if secretFiles == 0 {
		t.Error("the build has no 0600 file")
	}

	// 3. Nothing changed: the apply steps change nothing.
	r = playbook()
	if r.code != 0 {
		t.Fatalf("the second run: exit %d\n%s", r.code, r.out)
	}
	for n := 1; n <= 5; n++ {
		for _, res := range r.taskResults(fmt.Sprintf("Apply step %d with hoist", n)) {
			if res[1] != "ok" {
				t.Errorf("the second run: step %d's apply on %s is %s, want ok", n, res[0], res[1])
			}
		}
	}
	if got := idsOf(nodeContainers(t, nodes)); !maps.Equal(got, afterIDs) {
		t.Errorf("the second run changed the containers: %v, were %v", got, afterIDs)
	}

	// 4. --check: nothing changes; each node's step says what it would run.
	// A container removed on every node shows in it.
	podmanOn(t, nodes, "podman rm --force --time 0 logrotate_crond >/dev/null")
	removed := idsOf(nodeContainers(t, nodes))
	r = playbook("--check", "--diff")
	if r.code != 0 {
		t.Fatalf("--check: exit %d\n%s", r.code, r.out)
	}
	for host, v := range r.recap() {
		if v[1] != 0 {
			t.Errorf("--check: %s reports %d changed", host, v[1])
		}
	}
	if got := idsOf(nodeContainers(t, nodes)); !maps.Equal(got, removed) {
		t.Errorf("--check changed the containers: %v, were %v", got, removed)
	}
	for _, n := range nodes {
		if !regexp.MustCompile(`(?s)TASK \[What step 4 would run\].*?ok: \[` + regexp.QuoteMeta(n.host) + `\] => \(item=podman (?:run|create)\) => \{\s*"msg": "podman (?:run|create) logrotate_crond"`).MatchString(r.out) {
			t.Errorf("--check does not say that %s would run logrotate_crond at step 4:\n%s", n.host, r.out)
		}
	}

	// 5. --limit Compute (step 4 alone, where logrotate_crond is): the
	// computes get logrotate_crond back, the controller does not.
	r = playbook("--limit", "Compute", "--tags", "step4")
	if r.code != 0 {
		t.Fatalf("--limit Compute: exit %d\n%s", r.code, r.out)
	}
	recap := r.recap()
	if _, ok := recap[nodes[0].host]; ok || len(recap) != 2 {
		t.Errorf("--limit Compute ran on %v", recap)
	}
	got := idsOf(nodeContainers(t, nodes))
	for _, n := range nodes {
		_, has := got[n.host+"/logrotate_crond"]
		if has != (n.role == "Compute") {
			t.Errorf("after --limit Compute, %s has logrotate_crond: %t", n.host, has)
		}
	}
	for k, id := range removed {
		if got[k] != id {
			t.Errorf("--limit Compute recreated %s", k)
		}
	}

	// No output holds a password of the example.
	pw, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "stdlib/examples/overcloud/environments/passwords.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var secrets []string
	for _, m := range regexp.MustCompile(`(?m)^\s+\w+: (\S+)$`).FindAllStringSubmatch(string(pw), -1) {
		secrets = append(secrets, m[1])
	}
	if len(secrets) < 5 {
		t.Fatalf("found %d passwords in the example's passwords.yaml", len(secrets))
	}
	all := strings.Join(outputs, "\n")
	for _, s := range secrets {
		if strings.Contains(all, s) {
			t.Errorf("a run's output holds the password %q", s)
		}
	}
}
