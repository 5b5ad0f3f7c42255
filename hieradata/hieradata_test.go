package hieradata_test

import (
	"strings"
	"testing"

	"hoist/hieradata"
	"hoist/model"
	"hoist/plan"
	"hoist/pyyaml"
	"hoist/value"
)

func deployment(t *testing.T) *model.Deployment {
	t.Helper()
	doc, err := pyyaml.Load("role-data.yaml", []byte(`roles:
  Controller:
    service_names: [keystone, mysql]
    config_settings: {a: 1}
  Compute:
    service_names: [nova_compute]
`), pyyaml.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	d, ok := model.FromRoleData(doc.Root)
	if !ok {
		t.Fatal("not a role-data document")
	}
	return d
}

func TestUnmergedHieraIsAnError(t *testing.T) {
	_, ds := hieradata.New(plan.Build(deployment(t)))
	if len(ds) == 0 || ds[0].Rule != hieradata.Rule || !strings.Contains(ds[0].Message, "role Controller") {
		t.Fatalf("diagnostics: %v", ds)
	}
}

func TestFiles(t *testing.T) {
	d := deployment(t)
	for _, r := range d.Roles {
		r.ConfigSettings = value.Get(r.Data, "config_settings")
		if r.ConfigSettings == nil {
			r.ConfigSettings = value.NewObject().Value()
		}
	}
	p := plan.Build(d)
	h, ds := hieradata.New(p)
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	ctl := p.Role("Controller")
	var names []string
	files := map[string]*value.Value{}
	for _, f := range h.Role(ctl) {
		names = append(names, f.Name)
		files[f.Name] = f.Data
	}
	if got, want := strings.Join(names, " "), "service_configs service_names bootstrap_node all_nodes vip_data extraconfig controller_extraconfig"; got != want {
		t.Errorf("role files: %s, want %s", got, want)
	}
	if got := value.Dumps(files["bootstrap_node"]); got != `{"bootstrap_nodeid": "overcloud-controller-0", "bootstrap_nodeid_ip": {"<unknown>": "the ctlplane IP address of overcloud-controller-0, assigned by Neutron when the node is deployed (ControllerIPs.ctlplane fixes it)"}}` {
		t.Errorf("bootstrap_node: %s", got)
	}
	if got := value.Dumps(value.Get(files["all_nodes"], "keystone_short_bootstrap_node_name")); got != `"overcloud-controller-0"` {
		t.Errorf("keystone's bootstrap node: %s", got)
	}
	var nodeFiles []string
	for _, f := range h.Node(ctl, ctl.Nodes[0]) {
		nodeFiles = append(nodeFiles, f.Name)
	}
	if got := strings.Join(nodeFiles, " "); got != "controller net_ip_map" {
		t.Errorf("node files: %s", got)
	}
}
