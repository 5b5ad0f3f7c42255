package model_test

import (
	"maps"
	"slices"
	"testing"

	"hoist/model"
)

func TestHostnames(t *testing.T) {
	hostnameMap := load(t, `{overcloud-controller-1: Ctl-One, overcloud-controller-2: [not, a, name]}`)
	for _, c := range []struct {
		stack, format, role string
		i                   int
		want                string
	}{
		{"overcloud", "%stackname%-controller-%index%", "Controller", 2, "overcloud-controller-2"},
		{"overcloud", "%stackname%-controller-%index%", "Controller", 1, "ctl-one"},
		{"overcloud", "", "BlockStorage", 0, "overcloud-blockstorage-0"},
		{"Prod", "%stackname%-NovaCompute-%index%", "Compute", 10, "prod-novacompute-10"},
	} {
		if got := model.Hostname(c.stack, c.format, c.role, c.i, hostnameMap); got != c.want {
			t.Errorf("%q %d: %q, want %q", c.format, c.i, got, c.want)
		}
	}
}

func TestServiceBootstraps(t *testing.T) {
	roles := []model.RoleNodes{
		{Services: []string{"keystone", "mysql"}, Hostnames: []string{"c-1", "c-0"}},
		{Services: []string{"nova_compute"}, Hostnames: nil},
		{Services: []string{"mysql", "nova_compute"}, Hostnames: []string{"b-0"}},
	}
	for _, c := range []struct {
		sorted bool
		want   map[string]string
	}{
		{false, map[string]string{"keystone": "c-1", "mysql": "c-1", "nova_compute": "b-0"}},
		{true, map[string]string{"keystone": "c-0", "mysql": "b-0", "nova_compute": "b-0"}},
	} {
		services, node := model.ServiceBootstraps(roles, c.sorted)
		if !slices.Equal(services, []string{"keystone", "mysql", "nova_compute"}) || !maps.Equal(node, c.want) {
			t.Errorf("sorted %v: %q %v, want %v", c.sorted, services, node, c.want)
		}
	}
}

func TestPrimaryRole(t *testing.T) {
	for _, c := range []struct {
		tags [][]string
		want int
	}{
		{nil, -1},
		{[][]string{{"compute"}, {"primary"}}, 0},
		{[][]string{{"compute"}, {"controller"}, {"primary", "controller"}, {"primary", "controller"}}, 2},
	} {
		if got := model.PrimaryRole(c.tags); got != c.want {
			t.Errorf("PrimaryRole(%q) = %d, want %d", c.tags, got, c.want)
		}
	}
}
