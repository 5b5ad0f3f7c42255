package plan_test

import (
	"path/filepath"
	"strings"
	"testing"

	"hoist/compiler/deploy"
	"hoist/internal/testenv"
	"hoist/lint"
	"hoist/model"
	"hoist/plan"
)

// compileQueens compiles the queens overcloud of the acceptance: the
// default roles, 3 controllers and 2 computes, docker.yaml and
// docker-ha.yaml, parameters without a value left unknown.
func compileQueens(t testing.TB) *deploy.Deployment {
	t.Helper()
	tht := testenv.Corpus(t)
	in := deploy.Inputs{
		Templates:    deploy.Path{Path: tht},
		Environments: []deploy.Path{{Path: filepath.Join(tht, "environments", "docker.yaml")}, {Path: filepath.Join(tht, "environments", "docker-ha.yaml")}},
		Counts:       []deploy.Count{{Role: "Controller", N: 3}, {Role: "Compute", N: 2}},
		AllowMissing: true,
	}
	d, err := deploy.Compile(in, deploy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestCompiledModel(t *testing.T) {
	c := compileQueens(t)
	d := c.Model()
	p := plan.Build(d)
	ctl := p.Role("Controller")
	if ctl == nil || len(ctl.Nodes) != 3 || ctl.Bootstrap() != "overcloud-controller-0" {
		t.Fatalf("controllers: %+v", ctl)
	}
	if cp := p.Role("Compute"); len(cp.Nodes) != 2 || cp.Nodes[1].Hostname != "overcloud-novacompute-1" {
		t.Errorf("computes: %+v", cp.Nodes)
	}
	var kdb *model.Container
	for _, c := range ctl.Named("keystone_db_sync") {
		kdb = c
	}
	if kdb == nil || kdb.StepKey != "step_3" || kdb.Detached() {
		t.Errorf("keystone_db_sync: %+v", kdb)
	}
	if len(ctl.Role.Services) == 0 || ctl.Role.ConfigSettings == nil {
		t.Error("the services' own role data and the merged hiera did not come through")
	}
	if len(d.Networks) == 0 || d.ServiceNetMap == nil || len(d.SecretParameters) == 0 {
		t.Errorf("networks %d, ServiceNetMap %v, secret parameters %v", len(d.Networks), d.ServiceNetMap != nil, d.SecretParameters)
	}
	// The compiled queens overcloud is clean but for the three ceilometer
	// services that define ceilometer_init_log with different images
	// (tht.md §3.3), which plan/container-merged reports.
	merged := 0
	for _, f := range lint.CheckPlan(p, lint.Options{}) {
		if f.Rule == "plan/container-merged" && strings.Contains(f.Message, `define container "ceilometer_init_log" in step_3`) &&
			strings.Contains(f.Message, "image is the second's <unknown: parameter DockerCeilometerNotificationImage has no value>") {
			merged++
			continue
		}
		t.Errorf("finding on queens: %v", f)
	}
	if merged != 1 {
		t.Errorf("ceilometer_init_log merged %d times on the controllers, want 1", merged)
	}
}
