// Package plantest builds plan.Deployments for tests from real data: the
// per-role role data real Heat computed for the queens overcloud
// (../shared/heat-oracle/golden/queens-roles/), with the roles and
// networks of the queens corpus and the parameters the oracle gave.
package plantest

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"hoist/internal/testenv"
	"hoist/model"
	"hoist/pipeline"
	"hoist/pyyaml"
	"hoist/value"
)

// QueensRoles are the default roles of queens' roles_data.yaml, in order.
var QueensRoles = []string{"Controller", "Compute", "BlockStorage", "ObjectStorage", "CephStorage"}

// Queens returns the queens overcloud with the given node counts (roles
// not named have 0 nodes), stack name "overcloud", from the role data real
// Heat computed. Values carry positions in the golden files, which are
// named golden/queens-roles/<Role>.json. It skips when the shared material
// is absent.
func Queens(t testing.TB, counts map[string]int) *model.Deployment {
	t.Helper()
	shared := testenv.Shared(t)
	golden := filepath.Join(shared, "heat-oracle", "golden", "queens-roles")
	if _, err := os.Stat(golden); err != nil {
		t.Skipf("skipping: the Heat oracle's role goldens are not at %s", golden)
	}
	corpus := testenv.Corpus(t)
	d := &model.Deployment{Name: "overcloud", Parameters: map[string]*value.Value{}}

	rolesData := load(t, filepath.Join(corpus, "roles_data.yaml"), "roles_data.yaml")
	roles := map[string]*value.Value{}
	for _, r := range rolesData.List {
		if n, ok := r.Map.Get("name"); ok {
			roles[n.Str] = r
		}
	}
	for _, name := range QueensRoles {
		rd := load(t, filepath.Join(golden, name+".json"), "golden/queens-roles/"+name+".json")
		data, _ := rd.Map.Get("role_data")
		r := &model.Role{Name: name, Count: counts[name], Data: data}
		if def := roles[name]; def != nil {
			r.Range = def.Range
			if f, ok := def.Map.Get("HostnameFormatDefault"); ok {
				r.HostnameFormat = f.Str
			}
			r.Networks = value.StringItems(value.Get(def, "networks"))
			r.Tags = value.StringItems(value.Get(def, "tags"))
		}
		d.Roles = append(d.Roles, r)
	}

	networks := load(t, filepath.Join(corpus, "network_data.yaml"), "network_data.yaml")
	for _, n := range networks.List {
		if en, ok := n.Map.Get("enabled"); ok && en.Kind == value.Bool && !en.Bool {
			continue
		}
		nw := model.Network{}
		if v, ok := n.Map.Get("name"); ok {
			nw.Name = v.Str
		}
		if v, ok := n.Map.Get("name_lower"); ok {
			nw.NameLower = v.Str
		}
		if v, ok := n.Map.Get("vip"); ok && v.Kind == value.Bool {
			nw.VIP = v.Bool
		}
		if v, ok := n.Map.Get("ip_subnet"); ok && v.Kind == value.String {
			nw.IPSubnet = v.Str
		}
		d.Networks = append(d.Networks, nw)
	}

	inputs := load(t, filepath.Join(golden, "inputs.json"), "golden/queens-roles/inputs.json")
	if sp, ok := inputs.Map.Get("shared_parameters"); ok {
		d.ServiceNetMap, _ = sp.Map.Get("ServiceNetMap")
	}
	if filled, ok := inputs.Map.Get("parameter_defaults_filled"); ok {
		names := []string{}
		for _, e := range filled.Map.Entries() {
			names = append(names, e.Key.Str)
		}
		sort.Strings(names)
		for _, n := range names {
			v, _ := filled.Map.Get(n)
			d.Parameters[n] = v
			if model.IsSecretParameter(n, false) {
				d.SecretParameters = append(d.SecretParameters, n)
				if v.Kind == value.String && v.Str != "" {
					d.Secrets = append(d.Secrets, v.Str)
				}
			}
		}
	}
	if err := pipeline.MergeHiera(d); err != nil {
		t.Fatal(err)
	}
	return d
}

func load(t testing.TB, path, name string) *value.Value {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("skipping: %v", err)
	}
	doc, err := pyyaml.Load(name, src, pyyaml.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return doc.Root
}
