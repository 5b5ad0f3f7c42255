package model_test

import (
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
