package cli

import (
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"hoist/internal/testenv"
	"hoist/release"
)

// auditedLint is what hoist lint finds on each release's real tree with
// the default configuration: every error (file:line:col rule, each one
// audited in docs/releases.md, "Lint per release") and the count per rule
// and severity. A change that adds, drops or moves a finding fails here.
var auditedLint = map[string]struct {
	errors []string
	counts map[string]int
}{
	"queens": {
		errors: []string{
			"ci/environments/scenario006-multinode-containers.yaml:4:38 heat/missing-file",
			"ci/environments/scenario006-multinode-containers.yaml:5:37 heat/missing-file",
			"ci/environments/scenario006-multinode-containers.yaml:6:43 heat/missing-file",
			"ci/environments/scenario006-multinode-containers.yaml:7:37 heat/missing-file",
			"ci/environments/scenario010-standalone.yaml:16:38 heat/missing-file",
			"ci/environments/scenario010-standalone.yaml:17:47 heat/missing-file",
			"ci/environments/scenario010-standalone.yaml:18:48 heat/missing-file",
			"ci/environments/scenario010-standalone.yaml:19:41 heat/missing-file",
			"ci/environments/scenario010-standalone.yaml:20:51 heat/missing-file",
			"ci/environments/scenario010-standalone.yaml:2:35 heat/missing-file",
			"ci/environments/scenario010-standalone.yaml:3:35 heat/missing-file",
			"ci/environments/scenario010-standalone.yaml:4:35 heat/missing-file",
			"ci/environments/scenario010-standalone.yaml:5:38 heat/missing-file",
			"ci/environments/scenario010-standalone.yaml:7:44 heat/missing-file",
			"ci/environments/scenario010-standalone.yaml:8:47 heat/missing-file",
			"environments/net-dpdkbond-with-vlans.j2.yaml:19:46 heat/missing-file",
			"environments/network-environment-v6.j2.yaml:48:38 jinja/undefined",
			"environments/services-baremetal/octavia.yaml:6:51 heat/missing-file",
			"environments/services-baremetal/zaqar.yaml:2:33 heat/missing-file",
			"environments/services-docker/collectd.yaml:2:36 heat/missing-file",
			"environments/services/novajoin.yaml:4:36 heat/missing-file",
			"environments/services/tempest.yaml:2:35 heat/missing-file",
			"net-config-bond.j2.yaml:45:30 template/undefined-parameter",
			"puppet/extraconfig/pre_deploy/controller/multiple.yaml:10:11 heat/missing-file",
			"puppet/extraconfig/pre_deploy/controller/multiple.yaml:16:11 heat/missing-file",
		},
		counts: map[string]int{
			"container/config-hash-skipped warning": 3, "container/unknown-key warning": 11, "jinja/undefined error": 1,
			"puppet/volume-never-generated warning": 2, "schema/required warning": 1, "schema/unknown-key warning": 1,
			"service/mysql-client warning": 1, "service/standard-parameters warning": 1, "template/function-key warning": 2,
			"template/parameter-mismatch warning": 20, "template/undefined-parameter error": 1,
			"template/undefined-parameter warning": 1, "template/unused-parameter warning": 408,
			"tht/deprecated-environment warning": 36, "yaml/duplicate-key warning": 19, "yaml/unused-anchor info": 8,
			"heat/invalid-default warning": 7, "heat/missing-file error": 23, "heat/undeclared-parameter warning": 29,
		},
	},
	"rocky": {
		errors: []string{
			"ci/environments/scenario004-standalone.yaml:10:35 heat/missing-file",
			"ci/environments/scenario004-standalone.yaml:11:35 heat/missing-file",
			"ci/environments/scenario004-standalone.yaml:12:35 heat/missing-file",
			"ci/environments/scenario004-standalone.yaml:13:38 heat/missing-file",
			"ci/environments/scenario004-standalone.yaml:17:37 heat/missing-file",
			"ci/environments/scenario004-standalone.yaml:18:43 heat/missing-file",
			"ci/environments/scenario004-standalone.yaml:19:39 heat/missing-file",
			"ci/environments/scenario004-standalone.yaml:20:47 heat/missing-file",
			"ci/environments/scenario004-standalone.yaml:21:44 heat/missing-file",
			"ci/environments/scenario004-standalone.yaml:22:47 heat/missing-file",
			"ci/environments/scenario004-standalone.yaml:23:35 heat/missing-file",
			"ci/environments/scenario004-standalone.yaml:26:40 heat/missing-file",
			"ci/environments/scenario004-standalone.yaml:27:33 heat/missing-file",
			"ci/environments/scenario004-standalone.yaml:7:35 heat/missing-file",
			"ci/environments/scenario004-standalone.yaml:8:35 heat/missing-file",
			"ci/environments/scenario004-standalone.yaml:9:35 heat/missing-file",
			"ci/environments/scenario006-multinode-containers.yaml:4:38 heat/missing-file",
			"ci/environments/scenario006-multinode-containers.yaml:5:37 heat/missing-file",
			"ci/environments/scenario006-multinode-containers.yaml:6:43 heat/missing-file",
			"ci/environments/scenario006-multinode-containers.yaml:7:37 heat/missing-file",
			"ci/environments/scenario010-standalone.yaml:16:38 heat/missing-file",
			"ci/environments/scenario010-standalone.yaml:17:47 heat/missing-file",
			"ci/environments/scenario010-standalone.yaml:18:48 heat/missing-file",
			"ci/environments/scenario010-standalone.yaml:19:41 heat/missing-file",
			"ci/environments/scenario010-standalone.yaml:20:51 heat/missing-file",
			"ci/environments/scenario010-standalone.yaml:2:35 heat/missing-file",
			"ci/environments/scenario010-standalone.yaml:3:35 heat/missing-file",
			"ci/environments/scenario010-standalone.yaml:4:35 heat/missing-file",
			"ci/environments/scenario010-standalone.yaml:5:38 heat/missing-file",
			"ci/environments/scenario010-standalone.yaml:7:44 heat/missing-file",
			"ci/environments/scenario010-standalone.yaml:8:47 heat/missing-file",
			"environments/net-dpdkbond-with-vlans.j2.yaml:19:46 heat/missing-file",
			"environments/services-baremetal/octavia.yaml:6:51 heat/missing-file",
			"environments/services-baremetal/zaqar.yaml:2:33 heat/missing-file",
			"extraconfig/tasks/ssh/host_public_key.yaml:50:50 heat/undefined-output",
			"extraconfig/tasks/ssh/host_public_key.yaml:53:50 heat/undefined-output",
			"extraconfig/tasks/ssh/host_public_key.yaml:56:50 heat/undefined-output",
			"puppet/extraconfig/pre_deploy/controller/multiple.yaml:10:11 heat/missing-file",
			"puppet/extraconfig/pre_deploy/controller/multiple.yaml:16:11 heat/missing-file",
			"puppet/extraconfig/tls/tls-cert-inject.yaml:131:49 heat/undefined-output",
			"puppet/extraconfig/tls/tls-cert-inject.yaml:137:49 heat/undefined-output",
			"puppet/extraconfig/tls/tls-cert-inject.yaml:140:49 heat/undefined-output",
			"puppet/services/tripleo-ui.yaml:111:22 schema/type",
		},
		counts: map[string]int{
			"container/config-hash-skipped warning": 2, "container/unknown-key warning": 13,
			"puppet/volume-never-generated warning": 2, "schema/required warning": 1, "schema/type error": 1,
			"schema/unknown-key warning": 1, "service/mysql-client warning": 1, "service/standard-parameters warning": 1,
			"service/step-config-dropped warning": 1, "template/function-key warning": 2,
			"template/parameter-mismatch warning": 53, "template/unused-parameter warning": 586,
			"tht/endpoint-map-drift warning": 1, "yaml/duplicate-key warning": 27, "yaml/unused-anchor info": 13,
			"heat/invalid-default warning": 4, "heat/missing-file error": 36, "heat/undeclared-parameter warning": 23,
			"heat/undefined-output error": 6,
		},
	},
	"stein": {
		errors: []string{
			"ci/environments/scenario001-multinode-containers.yaml:8:36 heat/missing-file",
			"ci/environments/scenario006-multinode-containers.yaml:4:38 heat/missing-file",
			"ci/environments/scenario006-multinode-containers.yaml:5:37 heat/missing-file",
			"ci/environments/scenario006-multinode-containers.yaml:6:43 heat/missing-file",
			"ci/environments/scenario006-multinode-containers.yaml:7:37 heat/missing-file",
			"ci/environments/scenario008-multinode-containers.yaml:5:43 heat/missing-file",
			"deployment/deprecated/opendaylight/opendaylight-api-container-puppet.yaml:122:11 service/evaluation-error",
			"deployment/deprecated/opendaylight/opendaylight-api-container-puppet.yaml:224:55 heat/undefined-output",
			"deployment/deprecated/opendaylight/opendaylight-api-container-puppet.yaml:242:49 heat/undefined-output",
			"deployment/deprecated/opendaylight/opendaylight-api-container-puppet.yaml:264:44 template/undefined-parameter",
			"deployment/deprecated/opendaylight/opendaylight-api-container-puppet.yaml:356:44 template/undefined-parameter",
			"deployment/deprecated/opendaylight/opendaylight-ovs-baremetal-puppet.yaml:137:11 heat/missing-file",
			"deployment/logging/rsyslog-sidecar-container-puppet.yaml:40:11 heat/missing-file",
			"deployment/neutron/neutron-plugin-nsx-container-puppet.yaml:107:11 heat/function-arguments",
			"deployment/rabbitmq/rabbitmq-messaging-pacemaker-puppet.yaml:118:44 template/undefined-resource",
			"deployment/rabbitmq/rabbitmq-messaging-pacemaker-puppet.yaml:452:39 template/undefined-resource",
			"deployment/rabbitmq/rabbitmq-messaging-pacemaker-puppet.yaml:462:36 template/undefined-resource",
			"deployment/tripleo-firewall/tripleo-firewall-baremetal-puppet.yaml:45:9 heat/unknown-function",
			"environments/docker-uc-light.yaml:13:36 heat/missing-file",
			"environments/net-dpdkbond-with-vlans.j2.yaml:19:46 heat/missing-file",
			"environments/neutron-bgpvpn-bagpipe.yaml:11:48 heat/missing-file",
			"environments/neutron-ml2-ovn-dvr-ha.yaml:5:41 heat/missing-file",
			"environments/neutron-ml2-ovn-dvr-ha.yaml:6:34 heat/missing-file",
			"environments/nonha-arch.yaml:9:38 heat/missing-file",
			"environments/services-baremetal/neutron-opendaylight.yaml:9:43 heat/missing-file",
			"environments/services-baremetal/neutron-ovn-dvr-ha.yaml:4:41 heat/missing-file",
			"environments/services/neutron-opendaylight.yaml:10:43 heat/missing-file",
			"environments/stdout-logging.yaml:5:46 heat/missing-file",
			"extraconfig/tasks/ssh/host_public_key.yaml:50:50 heat/undefined-output",
			"extraconfig/tasks/ssh/host_public_key.yaml:53:50 heat/undefined-output",
			"extraconfig/tasks/ssh/host_public_key.yaml:56:50 heat/undefined-output",
			"network/config/bond-with-vlans/controller-v6.j2.yaml:163:32 template/undefined-resource",
			"network/config/bond-with-vlans/controller-v6.j2.yaml:177:32 template/undefined-resource",
			"network/config/bond-with-vlans/controller-v6.j2.yaml:187:32 template/undefined-resource",
			"network/config/bond-with-vlans/controller-v6.j2.yaml:197:32 template/undefined-resource",
			"network/config/bond-with-vlans/controller-v6.j2.yaml:207:32 template/undefined-resource",
			"network/config/multiple-nics/role.role.j2.yaml:167:30 template/undefined-parameter",
			"network/config/multiple-nics/role.role.j2.yaml:188:32 template/undefined-parameter",
			"puppet/extraconfig/pre_deploy/controller/multiple.yaml:10:11 heat/missing-file",
			"puppet/extraconfig/pre_deploy/controller/multiple.yaml:16:11 heat/missing-file",
			"puppet/services/pacemaker/ovn-dbs.yaml:45:11 heat/missing-file",
		},
		counts: map[string]int{
			"container/unknown-key warning": 13, "puppet/volume-never-generated warning": 2, "schema/required warning": 1,
			"schema/unknown-key warning": 1, "service/config-image-parameter info": 1, "service/mysql-client warning": 1,
			"service/standard-parameters warning": 1, "template/function-key warning": 5,
			"template/parameter-mismatch warning": 22, "template/undefined-parameter error": 4,
			"template/undefined-parameter warning": 1, "template/undefined-resource error": 8,
			"template/unused-parameter warning": 592, "yaml/duplicate-key warning": 33, "yaml/unused-anchor info": 15,
			"heat/function-arguments error": 1, "heat/invalid-default warning": 4, "heat/missing-file error": 21,
			"heat/undeclared-parameter warning": 11, "heat/undefined-output error": 5, "heat/unknown-function error": 1, "service/evaluation-error error": 1,
		},
	},
	"train": {
		errors: []string{
			"ci/environments/multinode-3nodes-registry.yaml:15:38 heat/missing-file",
			"ci/environments/scenario001-multinode-containers.yaml:8:36 heat/missing-file",
			"ci/environments/scenario002-multinode-containers.yaml:22:38 heat/missing-file",
			"ci/environments/scenario003-multinode-containers.yaml:25:38 heat/missing-file",
			"ci/environments/scenario004-multinode-containers.yaml:35:38 heat/missing-file",
			"ci/environments/scenario006-multinode-containers.yaml:4:38 heat/missing-file",
			"ci/environments/scenario006-multinode-containers.yaml:5:37 heat/missing-file",
			"ci/environments/scenario006-multinode-containers.yaml:6:43 heat/missing-file",
			"ci/environments/scenario006-multinode-containers.yaml:7:37 heat/missing-file",
			"ci/environments/scenario012-multinode-containers.yaml:18:38 heat/missing-file",
			"deployed-server/deployed-server-roles-data.yaml:173:7 heat/unmapped-service",
			"deployed-server/deployed-server-roles-data.yaml:174:7 heat/unmapped-service",
			"deployed-server/deployed-server-roles-data.yaml:257:7 heat/unmapped-service",
			"deployment/cinder/cinder-backend-dellemc-sc-puppet.yaml:144:75 template/undefined-parameter",
			"deployment/logging/rsyslog-sidecar-container-puppet.yaml:40:11 heat/missing-file",
			"deployment/neutron/neutron-plugin-nsx-container-puppet.yaml:107:11 heat/function-arguments",
			"deployment/ovn/ovn-metadata-container-puppet.yaml:373:35 template/undefined-parameter",
			"deployment/pacemaker/ovn-dbs-baremetal-puppet.yaml:45:11 heat/missing-file",
			"deployment/rabbitmq/rabbitmq-messaging-pacemaker-puppet.yaml:118:44 template/undefined-resource",
			"deployment/tripleo-firewall/tripleo-firewall-baremetal-puppet.yaml:45:9 heat/unknown-function",
			"environments/cinder-dellemc-sc-config.yaml:25:3 heat/undeclared-parameter",
			"environments/cinder-dellemc-vxflexos-config.yaml:18:49 heat/missing-file",
			"environments/docker-uc-light.yaml:13:36 heat/missing-file",
			"environments/metrics/ceilometer-write-qdr.yaml:14:3 heat/undeclared-parameter",
			"environments/net-dpdkbond-with-vlans.j2.yaml:19:46 heat/missing-file",
			"environments/neutron-bgpvpn-bagpipe.yaml:11:48 heat/missing-file",
			"environments/nonha-arch.yaml:9:38 heat/missing-file",
			"environments/services-baremetal/neutron-ovn-dvr-ha.yaml:4:41 heat/missing-file",
			"environments/stdout-logging.yaml:5:46 heat/missing-file",
			"puppet/extraconfig/pre_deploy/controller/multiple.yaml:10:11 heat/missing-file",
			"puppet/extraconfig/pre_deploy/controller/multiple.yaml:16:11 heat/missing-file",
			"puppet/role.role.j2.yaml:655:33 yaml/syntax",
			"roles/ComputeAlt.yaml:27:7 heat/unmapped-service",
		},
		counts: map[string]int{
			"container/unknown-key warning": 3, "schema/required warning": 1, "service/config-image-parameter info": 1,
			"service/mysql-client warning": 1, "service/standard-parameters warning": 1, "template/function-key warning": 4,
			"template/parameter-mismatch warning": 21, "template/undefined-parameter error": 2,
			"template/undefined-parameter warning": 2, "template/undefined-resource error": 1,
			"template/unused-parameter warning": 577, "yaml/duplicate-key warning": 25, "yaml/syntax error": 1,
			"yaml/unused-anchor info":       18,
			"heat/function-arguments error": 1, "heat/invalid-default warning": 4, "heat/missing-file error": 21,
			"heat/undeclared-parameter error": 2, "heat/undeclared-parameter warning": 14, "heat/unknown-function error": 1, "heat/unmapped-service error": 4,
		},
	},
}

// TestLintReleaseTrees: hoist lint on the tree of each supported release
// reads it as that release (and says so), reports no heat_template_version
// of the release as an error, and finds exactly the audited set.
func TestLintReleaseTrees(t *testing.T) {
	for _, name := range release.Names() {
		t.Run(name, func(t *testing.T) {
			root := testenv.Tree(t, name)
			r := run(t, "", "lint", "--no-snippet", "--no-cache", "--format", "json", root)
			var out struct {
				Diagnostics []struct {
					Rule, File, Message, Severity string
					Line, Column                  int
				}
			}
			if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
				t.Fatalf("%v\n%s", err, r.err)
			}
			if want := "hoist lint: release " + name + " (detected: "; !strings.Contains(r.err, want) {
				t.Errorf("stderr does not say %q:\n%s", want, r.err)
			}
			counts := map[string]int{}
			var errs []string
			for _, d := range out.Diagnostics {
				counts[d.Rule+" "+d.Severity]++
				if strings.Contains(d.Message, "heat_template_version") && d.Severity == "error" {
					t.Errorf("heat_template_version error: %s:%d: %s", d.File, d.Line, d.Message)
				}
				if d.Severity == "error" {
					rel, _ := filepath.Rel(root, d.File)
					errs = append(errs, fmt.Sprintf("%s:%d:%d %s", filepath.ToSlash(rel), d.Line, d.Column, d.Rule))
				}
			}
			want := auditedLint[name]
			slices.Sort(errs)
			if !slices.Equal(errs, want.errors) {
				t.Errorf("errors:\n got %q\nwant %q", errs, want.errors)
			}
			if !maps.Equal(counts, want.counts) {
				t.Errorf("findings per rule and severity:\n got %v\nwant %v", counts, want.counts)
			}
			code := ExitOK
			if len(want.errors) > 0 {
				code = ExitFindings
			}
			if r.code != code {
				t.Errorf("exit %d, want %d", r.code, code)
			}
		})
	}
}

// TestLintUnsupportedTree: a tree of pike or of master (wallaby) is exit 2
// with the one message of release.UnsupportedError, and no findings;
// --release reads it as a supported release all the same.
func TestLintUnsupportedTree(t *testing.T) {
	dir := filepath.Join(testenv.RepoRoot(t), "testdata", "releases")
	for _, c := range []struct{ tree, name string }{{"pike", "pike"}, {"master", "wallaby"}} {
		r := runIn(t, dir, t.TempDir(), "", "lint", c.tree)
		want := fmt.Sprintf("hoist lint: %s is a tripleo-heat-templates tree of %s (templates declare heat_template_version %s", c.tree, c.name, c.name)
		if r.code != ExitUsage || !strings.HasPrefix(r.err, want) || r.stdout != "" ||
			!strings.Contains(r.err, "hoist supports the releases queens to train (queens, rocky, stein, train)") || strings.Count(r.err, "\n") != 1 {
			t.Errorf("%s: exit %d\nstdout %s\nstderr %s", c.tree, r.code, r.stdout, r.err)
		}
		// A file of the tree, and standard input named after one, are the
		// tree's too.
		r = runIn(t, dir, t.TempDir(), "", "lint", filepath.Join(c.tree, "roles_data.yaml"))
		if r.code != ExitUsage || !strings.HasPrefix(r.err, want) {
			t.Errorf("%s/roles_data.yaml: exit %d\n%s", c.tree, r.code, r.err)
		}
		r = runIn(t, dir, t.TempDir(), "- name: Controller\n", "lint", "--stdin-filename", filepath.Join(c.tree, "roles_data.yaml"), "-")
		if r.code != ExitUsage || !strings.HasPrefix(r.err, want) {
			t.Errorf("%s standard input: exit %d\n%s", c.tree, r.code, r.err)
		}
		r = runIn(t, dir, t.TempDir(), "", "lint", "--release", "queens", c.tree)
		if r.code == ExitUsage || !strings.Contains(r.err, "hoist lint: release queens (set by --release; the tree looks like "+c.name+" (") {
			t.Errorf("%s --release queens: exit %d\n%s", c.tree, r.code, r.err)
		}
	}
}

// TestLintReleaseChoice: which release a file is read as, and what
// standard error says: a tree's, detected; hoist.hcl's release and
// --release over it; a lone file by its heat_template_version (and its
// image parameters within the rocky alias); the default otherwise. The
// cache keeps results per release.
func TestLintReleaseChoice(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	stein := "[testenv]\ndeps = -c{env:UPPER_CONSTRAINTS_FILE:https://releases.openstack.org/constraints/upper/stein}\n"
	// external_upgrade_tasks is a role_data key from rocky on: queens'
	// aggregator ignores it (a warning of schema/unknown-key).
	svc := "heat_template_version: rocky\noutputs:\n  role_data:\n    value:\n      service_name: foo\n      external_upgrade_tasks: []\n"
	writeFiles(t, dir, map[string]string{
		"tht/tox.ini":           stein,
		"tht/overcloud.j2.yaml": "heat_template_version: rocky\n",
		"tht/deployment/foo/foo-container-puppet.yaml": svc,
		"lone/train.yaml":  "heat_template_version: rocky\nparameters:\n  ContainerFooImage: {type: string}\noutputs:\n  x: {value: {get_param: ContainerFooImage}}\n",
		"lone/queens.yaml": "heat_template_version: 2016-10-14\n",
		"lone/env.yaml":    "parameter_defaults: {}\n",
	})
	only := []string{"lint", "--no-snippet", "--only", "schema/unknown-key", "--only", "schema/value"}
	r := runIn(t, dir, cache, "", append(only, "tht")...)
	if r.code != ExitOK || r.stdout != "" || !strings.Contains(r.err, "hoist lint: release stein (detected: templates declare heat_template_version rocky (2 of 2), tox.ini's constraints name stable/stein)\n") {
		t.Errorf("tree: exit %d\n%s%s", r.code, r.stdout, r.err)
	}
	// The same file read as queens: rocky is not a version queens' Heat
	// knows, and its aggregator ignores external_upgrade_tasks. The cache
	// does not give the stein result.
	r = runIn(t, dir, cache, "", append(only, "--release", "queens", "tht")...)
	if r.code != ExitFindings || !strings.Contains(r.stdout, `heat_template_version: invalid value "rocky"`) ||
		!strings.Contains(r.stdout, `unknown key "external_upgrade_tasks"`) ||
		!strings.Contains(r.err, "hoist lint: release queens (set by --release; the tree looks like stein (") {
		t.Errorf("--release queens: exit %d\n%s%s", r.code, r.stdout, r.err)
	}
	writeFiles(t, dir, map[string]string{"hoist.hcl": "release = \"queens\"\n"})
	r = runIn(t, dir, cache, "", append(only, "tht")...)
	if r.code != ExitFindings || !strings.Contains(r.err, "hoist.hcl:1,11-19; the tree looks like stein (") {
		t.Errorf("hoist.hcl: exit %d\n%s%s", r.code, r.stdout, r.err)
	}
	r = runIn(t, dir, cache, "", append(only, "--release", "stein", "tht")...)
	if r.code != ExitOK || !strings.Contains(r.err, "hoist lint: release stein (set by --release)\n") {
		t.Errorf("--release over hoist.hcl: exit %d\n%s%s", r.code, r.stdout, r.err)
	}
	r = runIn(t, dir, cache, "", "lint", "--release", "kilo", "tht")
	if r.code != ExitUsage || !strings.Contains(r.err, `unknown --release "kilo": expected "queens", "rocky", "stein" or "train"`) {
		t.Errorf("--release kilo: exit %d\n%s", r.code, r.err)
	}
	writeFiles(t, dir, map[string]string{"hoist.hcl": "lint {}\n"})
	r = runIn(t, dir, cache, "", append(only, "lone")...)
	for _, want := range []string{
		"hoist lint: release queens for lone/env.yaml (outside a tripleo-heat-templates tree, nothing tells the release: the default)\n",
		"hoist lint: release queens for lone/queens.yaml (outside a tripleo-heat-templates tree: heat_template_version 2016-10-14, which queens accepts)\n",
		"hoist lint: release train for lone/train.yaml (outside a tripleo-heat-templates tree: heat_template_version rocky, Container*Image parameters)\n",
	} {
		if !strings.Contains(r.err, want) {
			t.Errorf("lone files: no %q in\n%s", want, r.err)
		}
	}
	if r.code != ExitOK {
		t.Errorf("lone files: exit %d\n%s", r.code, r.stdout)
	}
	// Standard input named after a file of the tree is read as the tree's.
	r = runIn(t, dir, cache, svc, append(only, "--stdin-filename", "tht/deployment/foo/bar.yaml", "-")...)
	if r.code != ExitOK || !strings.Contains(r.err, "hoist lint: release stein (detected: ") {
		t.Errorf("standard input: exit %d\n%s%s", r.code, r.stdout, r.err)
	}
}

// TestReleaseCountsDoc: docs/rules/README.md's table of findings per rule
// and release is the audited one (auditedLint, which TestLintReleaseTrees
// holds the trees to); -update-docs rewrites it.
func TestReleaseCountsDoc(t *testing.T) {
	names := release.Names()
	keys := map[string]bool{}
	for _, n := range names {
		for k := range auditedLint[n].counts {
			keys[k] = true
		}
	}
	var b strings.Builder
	b.WriteString("| rule | severity | " + strings.Join(names, " | ") + " |\n|---|---|" + strings.Repeat("---:|", len(names)) + "\n")
	totals := map[string]map[string]int{}
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		rule, sev, _ := strings.Cut(k, " ")
		fmt.Fprintf(&b, "| `%s` | %s |", rule, sev)
		for _, n := range names {
			c := auditedLint[n].counts[k]
			if totals[n] == nil {
				totals[n] = map[string]int{}
			}
			totals[n][sev] += c
			if c == 0 {
				b.WriteString(" |")
			} else {
				fmt.Fprintf(&b, " %d |", c)
			}
		}
		b.WriteString("\n")
	}
	for _, sev := range []string{"error", "warning", "info"} {
		fmt.Fprintf(&b, "| total | %s |", sev)
		for _, n := range names {
			fmt.Fprintf(&b, " %d |", totals[n][sev])
		}
		b.WriteString("\n")
	}
	p := filepath.Join(testenv.RepoRoot(t), "docs", "rules", "README.md")
	replaceBetween(t, p, "<!-- BEGIN RELEASE COUNTS -->\n", "<!-- END RELEASE COUNTS -->", b.String())
}

// TestLintFragmentSnippet: a finding a Jinja2 template's included fragment
// gives (stein's network/network.j2, which network.network.j2.yaml includes)
// is shown with the fragment's own line and caret, though the run never
// checks the fragment as a file.
func TestLintFragmentSnippet(t *testing.T) {
	dir := filepath.Join(testenv.Tree(t, "stein"), "network", "network.network.j2.yaml")
	r := run(t, "", "lint", "--no-cache", dir)
	want := "network/network.j2:69:3: warning: parameter \"StorageNetworkVlanID\" is declared but never used"
	i := strings.Index(r.stdout, want)
	if i < 0 {
		t.Fatalf("no finding %q:\n%s", want, r.stdout)
	}
	rest := r.stdout[i:]
	if !strings.Contains(rest, "\n  69 |   {{network.name}}NetworkVlanID:\n     |   ^~~") {
		t.Errorf("the finding has no snippet of network.j2:\n%s", rest[:min(len(rest), 600)])
	}
}
