package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"hoist/emit"
	"hoist/executor/executortest"
	"hoist/internal/testenv"
	"hoist/model"
	"hoist/plan"
	"hoist/plan/plantest"
	"hoist/value"
)

func planData(t *testing.T, p ...string) string {
	return filepath.Join(append([]string{testenv.RepoRoot(t), "testdata", "plan"}, p...)...)
}

// golden compares got with the file, or rewrites it under -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if updating() {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run with -update after checking the change):\n%s", path, got)
	}
}

func TestPlanGoldens(t *testing.T) {
	in := planData(t, "overcloud.yaml")
	for _, format := range []string{"text", "json", "dot"} {
		t.Run(format, func(t *testing.T) {
			r := run(t, "", "plan", in, "--count", "Controller=3", "--count", "Compute=2", "--format", format)
			if r.code != ExitOK || r.err != "" {
				t.Fatalf("exit %d\n%s", r.code, r.err)
			}
			ext := map[string]string{"text": "txt", "json": "json", "dot": "dot"}[format]
			golden(t, planData(t, "overcloud."+ext), r.stdout)
		})
	}
	// --role keeps one role.
	r := run(t, "", "plan", in, "--role", "Compute", "--format", "json")
	var doc struct {
		Roles []struct{ Name string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || len(doc.Roles) != 1 || doc.Roles[0].Name != "Compute" {
		t.Errorf("--role Compute: %v %+v", err, doc)
	}
}

func TestPlanHTMLIsSelfContained(t *testing.T) {
	r := run(t, "", "plan", planData(t, "overcloud.yaml"), "--format", "html")
	if r.code != ExitOK {
		t.Fatalf("exit %d\n%s", r.code, r.err)
	}
	page := r.stdout
	for _, want := range []string{"<!DOCTYPE html>", "<style>", "keystone_bootstrap", "step 5", "overcloud-controller-0"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	// Nothing is loaded from anywhere: no external script, style, font
	// or image.
	if m := regexp.MustCompile(`(?i)(src|href)\s*=|@import|url\(|https?://`).FindString(page); m != "" {
		t.Errorf("the page refers to something outside it: %q", m)
	}
}

func TestPlanFindingsAndErrors(t *testing.T) {
	bad := filepath.Join(testenv.RepoRoot(t), "testdata", "rules", "plan", "exec-target-not-started", "bad.yaml")
	r := run(t, "", "plan", bad)
	if r.code != ExitFindings || !strings.Contains(r.err, "[plan/exec-target-not-started]") || !strings.Contains(r.stdout, "role Controller") {
		t.Errorf("a plan with errors: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.err)
	}
	dir := t.TempDir()
	notRoles := writeFile(t, dir, "t.yaml", "heat_template_version: queens\n")
	broken := writeFile(t, dir, "b.yaml", "roles: {Controller: [\n")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"plan", "a", "b"}, "expected at most one ROLE_DATA document, got 2 arguments"},
		{[]string{"plan", planData(t, "overcloud.yaml"), "--format", "svg"}, `unknown format "svg": expected "text", "json", "dot" or "html"`},
		{[]string{"plan", planData(t, "overcloud.yaml"), "--count", "Networker=1"}, `the deployment has no role "Networker"; its roles are "Controller" or "Compute"`},
		{[]string{"plan", planData(t, "overcloud.yaml"), "--count", "Controller=x"}, `expected Role=N`},
		{[]string{"plan", planData(t, "overcloud.yaml"), "--role", "Networker"}, `--role "Networker": the deployment has no such role`},
		{[]string{"plan", notRoles}, "t.yaml:1:1: error: not a role-data document"},
		{[]string{"plan", broken}, "b.yaml:2:1: error:"},
		{[]string{"plan", filepath.Join(dir, "missing.yaml")}, "missing.yaml"},
	} {
		r := run(t, "", c.args...)
		if r.code != ExitUsage || !strings.Contains(r.err, c.want) || r.stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr:\n%s\nwant %q", c.args, r.code, r.stdout, r.err, c.want)
		}
	}
}

// TestPlanQueensGoldens holds the plan of the queens overcloud (the role
// data real Heat computed, 3 controllers and 2 computes) in text and JSON.
func TestPlanQueensGoldens(t *testing.T) {
	p := plan.Build(plantest.Queens(t, map[string]int{"Controller": 3, "Compute": 2}))
	var text strings.Builder
	if err := plan.WriteText(&text, p); err != nil {
		t.Fatal(err)
	}
	golden(t, planData(t, "queens.txt"), text.String())
	golden(t, planData(t, "queens.json"), string(value.MarshalIndent(plan.JSON(p)))+"\n")
	if !strings.Contains(text.String(), "docker_puppet_tasks on bootstrap node overcloud-controller-0: keystone_init_tasks") {
		t.Error("the keystone bootstrap tasks are not on the first controller at step 3")
	}
}

// writeQueens writes the artifact tree of the queens overcloud (3
// controllers, 2 computes) to a new folder.
func writeQueens(t *testing.T, d *model.Deployment) string {
	t.Helper()
	tree, ds := emit.Build(plan.Build(d), emit.Options{})
	if tree == nil {
		t.Fatal(ds)
	}
	out := filepath.Join(t.TempDir(), "out")
	if err := emit.Write(tree, out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestEmittedNodeDryRun: hoist apply accepts the emitted node folders.
func TestEmittedNodeDryRun(t *testing.T) {
	out := writeQueens(t, plantest.Queens(t, map[string]int{"Controller": 3, "Compute": 2}))
	for _, node := range []string{"overcloud-controller-0", "overcloud-controller-1", "overcloud-novacompute-1"} {
		t.Run(node, func(t *testing.T) {
			eng := executortest.NewEngine()
			withFakeRuntime(t, eng)
			r := run(t, "", "apply", filepath.Join(out, "nodes", node), "--dry-run", "--format", "json", "--systemd", "no")
			if r.code != ExitOK {
				t.Fatalf("exit %d\n%s", r.code, r.err)
			}
			if m := eng.Mutations(); len(m) != 0 {
				t.Fatalf("the dry run changed something: %q", m)
			}
			var kdb, tasks bool
			for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
				var argv []string
				if err := json.Unmarshal([]byte(line), &argv); err != nil {
					t.Fatalf("not an argv: %s", line)
				}
				s := strings.Join(argv, " ")
				kdb = kdb || strings.Contains(s, "--name keystone_db_sync")
				tasks = tasks || strings.Contains(s, "NAME=keystone_init_tasks")
			}
			controller := strings.Contains(node, "controller")
			if kdb != controller {
				t.Errorf("keystone_db_sync run: %v", kdb)
			}
			if tasks != (node == "overcloud-controller-0") {
				t.Errorf("keystone_init_tasks run: %v (bootstrap node only)", tasks)
			}
		})
	}
}

// TestPlanCompiled plans the queens overcloud compiled from the corpus.
func TestPlanCompiled(t *testing.T) {
	tht := testenv.Corpus(t)
	args := []string{"plan", "--templates", tht, "-e", filepath.Join(tht, "environments", "docker.yaml"), "-e", filepath.Join(tht, "environments", "docker-ha.yaml"),
		"--count", "Controller=3", "--count", "Compute=2", "--allow-missing"}
	r := run(t, "", append(args, "--role", "Compute")...)
	if r.code != ExitOK || !strings.HasPrefix(r.err, "hoist plan: release queens (detected: ") || strings.Count(r.err, "\n") != 1 || !strings.Contains(r.stdout, "role Compute: 2 nodes (overcloud-novacompute-0 bootstrap, overcloud-novacompute-1)") || strings.Contains(r.stdout, "role Controller") {
		t.Errorf("exit %d\n%s\n%s", r.code, r.stdout, r.err)
	}
	r = run(t, "", append(args, "--role", "Controller", "--no-snippet")...)
	if r.code != ExitOK || !strings.Contains(r.stdout, "7   keystone_db_sync  (start_order 0, one-shot: detach false)") ||
		!strings.Contains(r.err, `docker/services/ceilometer-agent-notification.yaml:109:11: warning: services "ceilometer_agent_central" and "ceilometer_agent_notification" both define container "ceilometer_init_log"`) {
		t.Errorf("exit %d\n%s\n%s", r.code, r.stdout, r.err)
	}
}

// TestPlanRulesFromConfig: hoist.hcl's rule blocks configure the plan
// rules as they configure hoist lint.
func TestPlanRulesFromConfig(t *testing.T) {
	bad := filepath.Join(testenv.RepoRoot(t), "testdata", "rules", "plan", "exec-target-not-started", "bad.yaml")
	dir := t.TempDir()
	cfg := writeFile(t, dir, "hoist.hcl", "rule \"plan/exec-target-not-started\" {\n  severity = \"warning\"\n}\n")
	r := run(t, "", "plan", "-c", cfg, bad)
	if r.code != ExitOK || !strings.Contains(r.err, "warning: exec entry") {
		t.Errorf("severity warning: exit %d\n%s", r.code, r.err)
	}
	cfg = writeFile(t, dir, "off.hcl", "rule \"plan/exec-target-not-started\" {\n  enabled = false\n}\n")
	r = run(t, "", "plan", "-c", cfg, bad)
	if r.code != ExitOK || r.err != "" {
		t.Errorf("disabled: exit %d\n%s", r.code, r.err)
	}
}

// TestPlanRoleDataRelease: a role-data document is planned as --release
// says (queens when it does not).
func TestPlanRoleDataRelease(t *testing.T) {
	in := planData(t, "overcloud.yaml")
	r := run(t, "", "plan", in, "--release", "stein", "--role", "Controller")
	if r.code != ExitOK || !strings.Contains(r.stdout, "install_container_puppet on every node: step 0: create /var/lib/container-puppet and write container-puppet.py") {
		t.Errorf("exit %d\n%s\n%s", r.code, r.stdout, r.err)
	}
	r = run(t, "", "plan", in, "--format", "json")
	if !strings.Contains(r.stdout, `"release": "queens"`) {
		t.Errorf("without --release:\n%s", r.stdout)
	}
	r = run(t, "", "plan", in, "--release", "ussuri")
	if r.code != ExitUsage || !strings.Contains(r.err, `unknown --release "ussuri"`) {
		t.Errorf("exit %d\n%s", r.code, r.err)
	}
}
