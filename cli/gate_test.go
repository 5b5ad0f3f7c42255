package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"hoist/internal/testenv"
)

// TestGateHeatSlips: hoist lint as the gate of a THT tree. A copy of the
// queens tree, rid of the files with audited errors (docs/releases.md) so
// that it passes, gets one realistic slip at a time in a real template,
// environment or roles_data.yaml: `hoist lint .` with the default
// configuration exits 1 with the finding at the slipped line (0, with the
// finding as a warning, for the slips whose consequence is a setting Heat
// ignores or a default a parameter_defaults entry may replace).
func TestGateHeatSlips(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: lints a copy of the queens tree once per slip")
	}
	src := testenv.Tree(t, "queens")
	tree := filepath.Join(t.TempDir(), "tht")
	if err := os.CopyFS(tree, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	cache := t.TempDir()
	type finding struct {
		Rule, File, Severity, Message string
		Line                          int
	}
	lint := func(args ...string) (int, []finding) {
		t.Helper()
		r := runIn(t, tree, cache, "", append([]string{"lint", "--no-snippet", "--format", "json"}, append(args, ".")...)...)
		var out struct{ Diagnostics []finding }
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			t.Fatalf("exit %d: %v\n%s", r.code, err, r.err)
		}
		return r.code, out.Diagnostics
	}
	// The tree without the files that hold errors: each is audited, and
	// none is a file a slip edits or one another file needs.
	code, ds := lint()
	if code != ExitFindings {
		t.Fatalf("the queens tree: exit %d, want %d (its audited errors)", code, ExitFindings)
	}
	var removed []string
	for _, d := range ds {
		if d.Severity == "error" && !slices.Contains(removed, d.File) {
			removed = append(removed, d.File)
			if err := os.Remove(filepath.Join(tree, d.File)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if code, ds = lint(); code != ExitOK {
		t.Fatalf("the queens tree without %s: exit %d, want 0: %v", removed, code, ds)
	}
	t.Logf("left out the files with audited errors: %s", strings.Join(removed, ", "))
	for _, c := range []struct {
		name, file, from, to string
		// at is the text of the line the finding is at (to when "").
		at, rule string
		warning  bool
		// also is an error rule that reports the slip at the same line
		// too: the evaluation of a service fails on it with the tree's
		// environments, so the gate fails (exit 1).
		also string
	}{
		{name: "a misspelt function", file: "docker/services/keystone.yaml",
			from: "config_image: &keystone_config_image {get_param: DockerKeystoneConfigImage}", to: "config_image: &keystone_config_image {get_parm: DockerKeystoneConfigImage}",
			rule: "heat/unknown-function"},
		{name: "str_replace without params", file: "docker/services/cinder-backup.yaml",
			from: "                  template: /etc/ceph/CLUSTER.client.USER.keyring\n                  params:", to: "                  template: /etc/ceph/CLUSTER.client.USER.keyring\n                  parms:",
			at: "                str_replace:\n                  template: /etc/ceph/CLUSTER.client.USER.keyring", rule: "heat/function-arguments"},
		{name: "get_attr of an output the nested template lacks", file: "docker/services/keystone.yaml",
			from: "{get_attr: [KeystoneBase, role_data, step_config]}", to: "{get_attr: [KeystoneBase, role_dat, step_config]}", rule: "heat/undefined-output"},
		{name: "a nested template that does not exist", file: "docker/services/keystone.yaml",
			from: "type: ../../puppet/services/keystone.yaml", to: "type: ../../puppet/services/keystne.yaml", rule: "heat/missing-file"},
		{name: "a registry entry naming a file that does not exist", file: "environments/docker.yaml",
			from: "OS::TripleO::Services::Keystone: ../docker/services/keystone.yaml", to: "OS::TripleO::Services::Keystone: ../docker/services/keystone-api.yaml", rule: "heat/missing-file"},
		{name: "a yaql method yaql does not have", file: "docker/services/pacemaker/haproxy.yaml",
			from: `expression: concat($.data.rightSplit(separator => ":", maxSplits => 1)[0], ":pcmklatest")`, to: `expression: concat($.data.rigthSplit(separator => ":", maxSplits => 1)[0], ":pcmklatest")`, rule: "heat/yaql"},
		{name: "an environment whose only section is misspelt", file: "environments/low-memory-usage.yaml",
			from: "parameter_defaults:", to: "paramter_defaults:", rule: "heat/environment-section"},
		{name: "a role listing a service no registry maps", file: "roles_data.yaml",
			from: "    - OS::TripleO::Services::Keystone\n", to: "    - OS::TripleO::Services::Keystoen\n", rule: "heat/unmapped-service"},
		{name: "an allowed_pattern that is not a regular expression", file: "puppet/services/ceph-base.yaml",
			from: `allowed_pattern: "^[a-zA-Z0-9+/]{38}==$"`, to: `allowed_pattern: "^[a-zA-Z0-9+/{38}==$"`, rule: "heat/allowed-pattern"},
		{name: "a misspelt parameter_defaults entry", file: "environments/low-memory-usage.yaml",
			from: "  NovaReservedHostMemory: 512", to: "  NovaReservedHostMemmory: 512", rule: "heat/undeclared-parameter"},
		{name: "a default its constraints refuse", file: "puppet/services/nova-compute.yaml",
			from: "      virtio-net RX queue size. Valid values are 256, 512, 1024\n    default: 512", to: "      virtio-net RX queue size. Valid values are 256, 512, 1024\n    default: 128",
			at: "    default: 128", rule: "heat/invalid-default", warning: true, also: "service/evaluation-error"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(tree, filepath.FromSlash(c.file))
			orig, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			defer os.WriteFile(p, orig, 0o644)
			if !strings.Contains(string(orig), c.from) {
				t.Fatalf("%s does not hold %q", c.file, c.from)
			}
			slipped := strings.Replace(string(orig), c.from, c.to, 1)
			if err := os.WriteFile(p, []byte(slipped), 0o644); err != nil {
				t.Fatal(err)
			}
			at := c.at
			if at == "" {
				at = c.to
			}
			line := strings.Count(slipped[:strings.Index(slipped, at)], "\n") + 1
			want := fmt.Sprintf("%s:%d %s", c.file, line, c.rule)
			code, ds := lint()
			var got []string
			severity := ""
			for _, d := range ds {
				k := fmt.Sprintf("%s:%d %s", d.File, d.Line, d.Rule)
				got = append(got, k)
				if k == want {
					severity = d.Severity
					t.Logf("%s: %s", k, d.Message)
				}
			}
			if !slices.Contains(got, want) {
				t.Errorf("no finding %s; got %q", want, got)
			}
			wantCode, wantSeverity := ExitFindings, "error"
			if c.warning {
				wantCode, wantSeverity = ExitOK, "warning"
			}
			if c.also != "" {
				wantCode = ExitFindings
				if also := fmt.Sprintf("%s:%d %s", c.file, line, c.also); !slices.Contains(got, also) {
					t.Errorf("no finding %s; got %q", also, got)
				}
			}
			if code != wantCode || severity != wantSeverity {
				t.Errorf("exit %d with a finding of severity %q, want exit %d and %q", code, severity, wantCode, wantSeverity)
			}
		})
	}
}

// TestGateBrokenRoles: a checkout whose roles_data.yaml does not load
// gives that error, once, at its line; the rules that need the rendered
// registry and the services' evaluation add nothing false on top of it
// (no "unmapped" services, no evaluation failures), linting the whole
// tree or one folder of it.
func TestGateBrokenRoles(t *testing.T) {
	src := testenv.Tree(t, "queens")
	tree := filepath.Join(t.TempDir(), "tht")
	if err := os.CopyFS(tree, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tree, "roles_data.yaml"), []byte("- name: Controller\n  ServicesDefault: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{".", "docker/services"} {
		r := runIn(t, tree, t.TempDir(), "", "lint", "--no-snippet", "--format", "json", dir)
		var out struct {
			Diagnostics []struct{ Rule, File, Severity string }
		}
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			t.Fatalf("%s: exit %d: %v\n%s", dir, r.code, err, r.err)
		}
		syntax := 0
		for _, d := range out.Diagnostics {
			switch {
			case d.Rule == "yaml/syntax" && d.File == "roles_data.yaml":
				syntax++
			case d.Rule == "heat/unmapped-service" || d.Rule == "service/evaluation-error":
				t.Errorf("%s: %s %s", dir, d.File, d.Rule)
			}
		}
		if syntax != 1 || r.code != ExitFindings {
			t.Errorf("%s: exit %d, %d roles_data.yaml syntax errors, want exit 1 and one", dir, r.code, syntax)
		}
	}
}
