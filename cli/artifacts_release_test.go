package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"hoist/executor/executortest"
	"hoist/internal/testenv"
	"hoist/pyyaml"
	"hoist/value"
)

// releaseFacts are, per release, files its deploy steps wrote on a
// controller (the bootstrap node of every controller service) and files
// they did not, the puppet tasks file of step 3 (keystone's
// keystone_init_tasks), what `hoist plan` says, and what `hoist apply
// --dry-run` runs on the controller: the runtime, and argv elements that
// name the release's files and config ids.
var releaseFacts = []struct {
	release      string
	has, hasNot  []string
	step3        string // where keystone_db_sync is, and how to read it
	tasks3       string
	plan         []string
	runtime      string
	argv         []string
	noConfigArgv []string
}{
	{
		release: "queens",
		has: []string{"var/lib/docker-container-startup-configs.json", "var/lib/docker-puppet/docker-puppet.json",
			"var/lib/tripleo-config/docker-container-startup-config-step_6.json", "var/lib/docker-config-scripts/docker_puppet_apply.sh",
			"etc/puppet/hieradata/controller_extraconfig.json"},
		hasNot: []string{"var/lib/container-puppet", "var/lib/tripleo-config/container-startup-config-step_3.json"},
		step3:  "var/lib/tripleo-config/docker-container-startup-config-step_3.json",
		tasks3: "var/lib/docker-puppet/docker-puppet-tasks3.json",
		plan: []string{"install_docker_puppet on every node: create /var/lib/docker-puppet and write docker-puppet.py",
			"docker_puppet_tasks on bootstrap node overcloud-controller-0: keystone_init_tasks"},
		runtime: "docker",
		argv:    []string{"docker run --user root --name docker-puppet-keystone ", "--name docker-puppet-keystone_init_tasks", "--label config_id=tripleo_step3"},
	},
	{
		release: "rocky",
		has: []string{"var/lib/docker-container-startup-configs.json", "var/lib/docker-puppet/docker-puppet.json",
			"var/lib/tripleo-config/docker-container-startup-config-step_6.json", "var/lib/docker-config-scripts/docker_puppet_apply.sh"},
		hasNot: []string{"var/lib/container-puppet", "var/lib/tripleo-config/container-startup-config-step_3.json"},
		step3:  "var/lib/tripleo-config/docker-container-startup-config-step_3.json",
		tasks3: "var/lib/docker-puppet/docker-puppet-tasks3.json",
		plan: []string{"install_docker_puppet on every node: step 0: create /var/lib/docker-puppet and write docker-puppet.py",
			"docker_puppet_tasks on bootstrap node overcloud-controller-0: keystone_init_tasks"},
		runtime: "docker",
		argv:    []string{"docker run --user root --name docker-puppet-keystone ", "--name docker-puppet-keystone_init_tasks", "--label config_id=tripleo_step3"},
	},
	{
		release: "stein",
		has: []string{"var/lib/container-puppet/container-puppet.json", "var/lib/tripleo-config/container-startup-config-step_1.json",
			"var/lib/tripleo-config/container-startup-config-step_6.json", "var/lib/container-config-scripts/container_puppet_apply.sh",
			"var/lib/docker-puppet/readme.txt"},
		hasNot: []string{"var/lib/docker-container-startup-configs.json", "var/lib/docker-puppet/docker-puppet.json",
			"var/lib/tripleo-config/docker-container-startup-config-step_3.json", "var/lib/docker-config-scripts"},
		step3:  "var/lib/tripleo-config/container-startup-config-step_3.json",
		tasks3: "var/lib/container-puppet/container-puppet-tasks3.json",
		plan: []string{"install_container_puppet on every node: step 0: create /var/lib/container-puppet and write container-puppet.py",
			"container_puppet_tasks on bootstrap node overcloud-controller-0: keystone_init_tasks"},
		runtime: "podman",
		argv: []string{"podman run --user 0 --name container-puppet-keystone ", "--name container-puppet-keystone_init_tasks",
			"--entrypoint /var/lib/container-puppet/container-puppet.sh", "--label config_id=tripleo_step3"},
		noConfigArgv: []string{"docker-puppet"},
	},
	{
		release: "train",
		has: []string{"var/lib/container-puppet/container-puppet.json", "var/lib/tripleo-config/container-startup-config/step_1/haproxy.json",
			"var/lib/tripleo-config/container-startup-config-readme.txt", "var/lib/container-config-scripts/container_puppet_apply.sh",
			"etc/puppet/hieradata/role_extraconfig.json", "etc/puppet/hieradata/cloud_domain.json", "etc/puppet/hieradata/fqdn.json"},
		hasNot: []string{"var/lib/docker-container-startup-configs.json", "var/lib/tripleo-config/container-startup-config-step_3.json",
			"var/lib/tripleo-config/container-startup-config/step_6", "etc/puppet/hieradata/controller_extraconfig.json",
			"etc/puppet/hieradata/controller.json", "var/lib/docker-puppet/docker-puppet.json"},
		step3:  "var/lib/tripleo-config/container-startup-config/step_3/keystone_db_sync.json",
		tasks3: "var/lib/container-puppet/container-puppet-tasks3.json",
		plan: []string{"install_container_puppet on every node: step 0: create /var/lib/container-puppet and write container-puppet.py",
			"write the startup configs (one file per container)", "container_puppet_tasks on bootstrap node overcloud-controller-0: keystone_init_tasks"},
		runtime: "podman",
		argv: []string{"podman run --user 0 --name container-puppet-keystone ", "--name container-puppet-keystone_init_tasks",
			"--label config_id=tripleo_step3", `"environment": {"KOLLA_BOOTSTRAP": true, "KOLLA_CONFIG_STRATEGY": "COPY_ALWAYS"`},
		noConfigArgv: []string{"docker-puppet"},
	},
}

// releaseBuild is hoist build of a release's tree: its default roles, 3
// controllers and 2 computes, the tree's default environments (which
// hoist build reads from its plan-environment.yaml), parameters without a
// value left unknown.
func releaseBuild(tht string, more ...string) []string {
	return append([]string{"build", "--templates", tht, "--count", "Controller=3", "--count", "Compute=2", "--allow-missing", "--no-snippet"}, more...)
}

// imagesEnvironment writes an environment giving every container image
// parameter the tree leaves without a value a made-up name, as image
// preparation would: with --allow-missing alone, a role's puppet_config
// holds unknown config images, which the role template's distinct() turns
// into one unknown list from rocky on.
func imagesEnvironment(t *testing.T, tht string) string {
	t.Helper()
	r := run(t, "", "params", "missing", "--templates", tht)
	if r.code != ExitOK {
		t.Fatalf("params missing: exit %d\n%s", r.code, r.err)
	}
	doc, err := pyyaml.Load("missing.yaml", []byte(r.stdout), pyyaml.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	pd, _ := doc.Root.Map.Get("parameter_defaults")
	var b strings.Builder
	b.WriteString("parameter_defaults:\n")
	for _, e := range pd.Map.Entries() {
		if k := value.Str(e.Key); strings.HasSuffix(k, "Image") {
			b.WriteString("  " + k + ": registry.example/" + strings.ToLower(k) + ":1\n")
		}
	}
	return writeFile(t, t.TempDir(), "images.yaml", b.String())
}

func TestBuildPlanApplyPerRelease(t *testing.T) {
	for _, rf := range releaseFacts {
		t.Run(rf.release, func(t *testing.T) {
			tht := testenv.Tree(t, rf.release)
			out := filepath.Join(t.TempDir(), "out")
			r := run(t, "", releaseBuild(tht, "-o", out)...)
			if r.code != ExitOK && r.code != ExitFindings || !strings.Contains(r.err, "hoist build: release "+rf.release+" (") {
				t.Fatalf("build: exit %d\n%s", r.code, r.err)
			}
			files := readTreeFiles(t, out)
			node := func(h, p string) ([]byte, bool) {
				b, ok := files["nodes/"+h+"/"+p]
				return b, ok
			}
			ctl := "overcloud-controller-0"
			for _, p := range append(slices.Clone(rf.has), rf.step3, rf.tasks3) {
				if _, ok := node(ctl, p); !ok {
					t.Errorf("%s has no %s", ctl, p)
				}
			}
			for _, p := range rf.hasNot {
				for f := range files {
					if f == "nodes/"+ctl+"/"+p || strings.HasPrefix(f, "nodes/"+ctl+"/"+p+"/") {
						t.Errorf("%s has %s", ctl, f)
					}
				}
			}
			// keystone_db_sync at step 3, a one-shot container.
			b, _ := node(ctl, rf.step3)
			doc, err := pyyaml.Load(rf.step3, b, pyyaml.DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			kdb := doc.Root
			if !strings.HasSuffix(rf.step3, "/keystone_db_sync.json") {
				kdb, _ = doc.Root.Map.Get("keystone_db_sync")
			}
			if d, _ := kdb.Map.Get("detach"); d == nil || d.Kind != value.Bool || d.Bool {
				t.Errorf("keystone_db_sync: %s", b)
			}
			// The puppet tasks of step 3 on the bootstrap node only; from
			// rocky each entry names its service.
			for _, h := range []string{"overcloud-controller-1", "overcloud-controller-2", "overcloud-novacompute-0", "overcloud-novacompute-1"} {
				if _, ok := node(h, rf.tasks3); ok {
					t.Errorf("%s has %s", h, rf.tasks3)
				}
			}
			b, _ = node(ctl, rf.tasks3)
			if want := `"service_name": "keystone"`; strings.Contains(string(b), want) != (rf.release != "queens") {
				t.Errorf("%s:\n%s", rf.tasks3, b)
			}
			var m struct{ Release string }
			if json.Unmarshal(files["manifest.json"], &m); m.Release != rf.release {
				t.Errorf("manifest.json's release %q", m.Release)
			}

			// Deterministic: a second build writes the same bytes.
			again := filepath.Join(t.TempDir(), "again")
			if r := run(t, "", releaseBuild(tht, "-o", again)...); r.code != ExitOK && r.code != ExitFindings {
				t.Fatalf("second build: exit %d\n%s", r.code, r.err)
			}
			files2 := readTreeFiles(t, again)
			if len(files) != len(files2) {
				t.Errorf("%d files, then %d", len(files), len(files2))
			}
			for p, b := range files {
				if !bytes.Equal(b, files2[p]) {
					t.Errorf("%s differs between two builds", p)
				}
			}

			// hoist plan.
			r = run(t, "", "plan", "--templates", tht, "--count", "Controller=3", "--count", "Compute=2", "--allow-missing", "--role", "Controller", "--no-snippet")
			if r.code != ExitOK && r.code != ExitFindings {
				t.Fatalf("plan: exit %d\n%s", r.code, r.err)
			}
			for _, want := range rf.plan {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("the plan lacks %q:\n%s", want, r.stdout)
				}
			}
			r = run(t, "", "plan", "--templates", tht, "--allow-missing", "--format", "json")
			if !strings.Contains(r.stdout, `"release": "`+rf.release+`"`) {
				t.Errorf("plan --format json does not record the release")
			}

			// hoist apply --dry-run on the controller, built with image
			// names so that config generation shows.
			withImages := filepath.Join(t.TempDir(), "images")
			if r := run(t, "", releaseBuild(tht, "-o", withImages, "-e", imagesEnvironment(t, tht))...); r.code != ExitOK && r.code != ExitFindings {
				t.Fatalf("build with images: exit %d\n%s", r.code, r.err)
			}
			eng := executortest.NewEngine()
			withFakeRuntime(t, eng)
			r = run(t, "", "apply", filepath.Join(withImages, "nodes", ctl), "--dry-run", "--systemd", "no")
			if r.code != ExitOK {
				t.Fatalf("apply --dry-run: exit %d\n%s", r.code, r.err)
			}
			if want := "hoist apply: " + ctl + " is a " + rf.release + " node folder (the tree's manifest.json says so); " + rf.runtime; !strings.Contains(r.err, want) {
				t.Errorf("stderr lacks %q:\n%s", want, r.err)
			}
			if m := eng.Mutations(); len(m) != 0 {
				t.Fatalf("the dry run changed something: %q", m)
			}
			for _, want := range append(slices.Clone(rf.argv), "--name keystone_db_sync") {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("the dry run lacks %q", want)
				}
			}
			for _, not := range rf.noConfigArgv {
				if strings.Contains(r.stdout, not) {
					t.Errorf("the dry run has %q", not)
				}
			}
			for i, line := range strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n") {
				if !strings.HasPrefix(line, rf.runtime+" ") {
					t.Fatalf("line %d is not a %s command: %s", i+1, rf.runtime, line)
				}
			}
			// A compute runs no puppet task.
			r = run(t, "", "apply", filepath.Join(withImages, "nodes", "overcloud-novacompute-1"), "--dry-run", "--systemd", "no", "--hostname", "overcloud-novacompute-1")
			if r.code != ExitOK || strings.Contains(r.stdout, "_init_tasks") || !strings.Contains(r.stdout, "--name nova_compute ") {
				t.Errorf("compute: exit %d\n%s", r.code, r.err)
			}
		})
	}
}

// TestApplyReleaseFlags: --release reads a folder as another release
// with the same layout, --runtime and --paunch-version override the
// release's; a folder of one release is not read as another's layout.
func TestApplyReleaseFlags(t *testing.T) {
	eng := executortest.NewEngine()
	withFakeRuntime(t, eng)
	node := nodeDir(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "is a queens node folder (queens and rocky have its files' layout and no puppet task names its service; --release rocky reads it as rocky); docker (the queens default), paunch queens-eol"},
		{[]string{"--release", "rocky"}, "is a rocky node folder (--release); docker (the rocky default), paunch rocky-eol"},
		{[]string{"--runtime", "podman"}, "podman (--runtime), paunch ussuri-eol"},
		{[]string{"--runtime", "docker", "--paunch-version", "rocky-eol"}, "docker (--runtime), paunch rocky-eol"},
	} {
		r := run(t, "", append([]string{"apply", node, "--dry-run", "--systemd", "no"}, c.args...)...)
		if r.code != ExitOK || !strings.Contains(r.err, c.want) {
			t.Errorf("%q: exit %d, stderr lacks %q:\n%s", c.args, r.code, c.want, r.err)
		}
	}
	// In rocky, bootstrap tasks run where the folder has them.
	r := run(t, "", "apply", node, "--dry-run", "--systemd", "no", "--release", "rocky", "--hostname", "overcloud-controller-1")
	if r.code != ExitOK || !strings.Contains(r.stdout, "docker-puppet-keystone_init_tasks") {
		t.Errorf("rocky, another hostname: exit %d\n%s", r.code, r.err)
	}
	r = run(t, "", "apply", node, "--dry-run", "--systemd", "no", "--hostname", "overcloud-controller-1")
	if r.code != ExitOK || strings.Contains(r.stdout, "docker-puppet-keystone_init_tasks") {
		t.Errorf("queens, not the bootstrap node: exit %d\n%s", r.code, r.err)
	}
	if _, err := os.Stat(node); err != nil {
		t.Fatal(err)
	}
}
