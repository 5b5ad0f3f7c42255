package executor_test

import (
	"slices"
	"testing"

	"hoist/executor"
)

func TestParseCPUList(t *testing.T) {
	got, err := executor.ParseCPUList("0-3,8,10-11")
	if err != nil || !slices.Equal(got, []int{0, 1, 2, 3, 8, 10, 11}) {
		t.Errorf("got %v, %v", got, err)
	}
	if _, err := executor.ParseCPUList("3-1"); err == nil {
		t.Error("3-1 accepted")
	}
	if cpus, err := executor.CPUAffinity(); err != nil || len(cpus) == 0 {
		t.Errorf("this process's affinity: %v, %v", cpus, err)
	}
}

func TestSameHost(t *testing.T) {
	for _, c := range []struct {
		machine, node, short string
		same                 bool
	}{
		{"overcloud-controller-0.localdomain", "overcloud-controller-0", "overcloud-controller-0", true},
		{"Overcloud-Controller-0", "overcloud-controller-0", "Overcloud-Controller-0", true},
		{"compute-3.localdomain", "overcloud-controller-0", "compute-3", false},
		{"overcloud-controller-0x", "overcloud-controller-0", "overcloud-controller-0x", false},
	} {
		short, same := executor.SameHost(c.machine, c.node)
		if short != c.short || same != c.same {
			t.Errorf("SameHost(%q, %q) = %q, %v; want %q, %v", c.machine, c.node, short, same, c.short, c.same)
		}
	}
}
