package deploy

import (
	"path/filepath"
	"strings"
	"testing"

	"hoist/internal/testenv"
	"hoist/value"
)

// TestDeploymentFacts checks what the artifact tree builds on: counts,
// stack name, hostnames, the chain inputs per role and the hiera.
func TestDeploymentFacts(t *testing.T) {
	root := testenv.Corpus(t)
	dir := writeFiles(t, map[string]string{"site.yaml": `parameter_defaults:
  HostnameMap: {mycloud-novacompute-1: Special-Compute}
  ComputeHostnameFormat: '%stackname%-novacompute-%index%'
  ComputeParameters: {NovaReservedHostMemory: 4096}
  ControllerExtraConfig: {foo::bar: 1}
  ExtraConfig: {everywhere: true}
`})
	in := queensInputs(t, root)
	in.Name = "mycloud"
	in.Environments = append(in.Environments, Path{Path: filepath.Join(dir, "site.yaml")})
	in.Counts = []Count{{Role: "Controller", N: 3}, {Role: "Compute", N: 2}}
	d, err := Compile(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*Role{}
	for _, r := range d.Roles {
		byName[r.Name] = r
	}
	ctl, cmp, ceph := byName["Controller"], byName["Compute"], byName["CephStorage"]
	if ctl.Count != 3 || cmp.Count != 2 || ceph.Count != 0 {
		t.Errorf("counts %d %d %d", ctl.Count, cmp.Count, ceph.Count)
	}
	if !ctl.Primary || cmp.Primary {
		t.Error("Controller is the primary role (tags primary, controller)")
	}
	if got := strings.Join(ctl.Hostnames(), ","); got != "mycloud-controller-0,mycloud-controller-1,mycloud-controller-2" {
		t.Errorf("controller hostnames %s", got)
	}
	if got := strings.Join(cmp.Hostnames(), ","); got != "mycloud-novacompute-0,special-compute" {
		t.Errorf("compute hostnames %s", got)
	}
	if got := strings.Join(cmp.Networks, ","); got != "InternalApi,Tenant,Storage" {
		t.Errorf("compute networks %s", got)
	}
	rp := cmp.Input("RoleParameters")
	if compact(rp) != `{"NovaReservedHostMemory":4096,"TunedProfileName":"virtual-host"}` {
		t.Errorf("Compute RoleParameters = %s (RoleParametersDefault merged with ComputeParameters)", compact(rp))
	}
	if v := mapGet(t, cmp.Inputs, "RoleName"); v.Str != "Compute" {
		t.Errorf("RoleName %s", compact(v))
	}
	for _, k := range []string{"ServiceNetMap", "EndpointMap", "ServiceData", "DefaultPasswords", "Services"} {
		mapGet(t, ctl.Inputs, k)
	}
	// EndpointMap: ports and protocols are known, addresses only when
	// deployed.
	ks := mapGet(t, ctl.Inputs, "EndpointMap", "KeystoneInternal")
	if mapGet(t, ks, "port").Str != "5000" || mapGet(t, ks, "host").Kind != value.Unknown {
		t.Errorf("KeystoneInternal = %s", compact(ks))
	}
	if v := mapGet(t, ctl.Inputs, "ServiceNetMap", "KeystoneAdminApiNetwork"); v.Str != "ctlplane" {
		t.Errorf("ServiceNetMap.KeystoneAdminApiNetwork = %s", compact(v))
	}
	if compact(ctl.ExtraConfig) != `{"foo::bar":1}` || compact(d.ExtraConfig) != `{"everywhere":true}` {
		t.Errorf("extra config %s %s", compact(ctl.ExtraConfig), compact(d.ExtraConfig))
	}
	// The hiera of the controller has keystone's service_config_settings
	// (from every role) and every role's global_config_settings.
	if _, ok := ctl.ServiceConfigs.Map.Get("keystone::admin_token"); !ok {
		t.Error("controller hiera lacks keystone::admin_token")
	}
	if d.Name != "mycloud" || d.Param("ControllerCount").Int != 3 {
		t.Errorf("stack name %s, ControllerCount %s", d.Name, compact(d.Param("ControllerCount")))
	}
}

// TestCompileConcurrent: the result does not depend on how many roles
// compile at once (run under -race by make test).
func TestCompileConcurrent(t *testing.T) {
	in := queensInputs(t, testenv.Corpus(t))
	one, err := Compile(in, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	many, err := Compile(in, Options{Workers: 8})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := jsonText(one.Dump()), jsonText(many.Dump()); a != b {
		t.Errorf("1 and 8 workers differ: %s", firstDiff(a, b))
	}
	if len(one.Missing) != len(many.Missing) {
		t.Errorf("%d and %d missing parameters", len(one.Missing), len(many.Missing))
	}
	for i := range one.Missing {
		if *one.Missing[i] != *many.Missing[i] {
			t.Errorf("missing %+v vs %+v", one.Missing[i], many.Missing[i])
		}
	}
}

// TestNestingDepth: stacks nest as deeply as in Heat, counted from
// overcloud.yaml. The Controller's pacemaker MySQL service is 6 levels
// below it (overcloud > role > chain > service > puppet service > base >
// ...), which stock Heat's max_nested_stack_depth of 5 refuses and the
// undercloud's 7 allows.
func TestNestingDepth(t *testing.T) {
	in := queensInputs(t, testenv.Corpus(t))
	if _, err := Compile(in, Options{MaxDepth: 6}); err != nil {
		t.Errorf("depth 6 is enough: %v", err)
	}
	_, err := Compile(in, Options{MaxDepth: 5})
	if err == nil || !strings.Contains(err.Error(), "deeper than 5 levels") {
		t.Fatalf("depth 5 must fail as in Heat, got %v", err)
	}
	t.Log(err)
}
