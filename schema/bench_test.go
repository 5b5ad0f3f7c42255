package schema

import (
	"path/filepath"
	"testing"

	"hoist/compiler/pyyaml"
	"hoist/internal/testenv"
	"hoist/value"
)

// controllerRoleData loads the role data real Heat computed for the queens
// Controller, and counts its containers.
func controllerRoleData(b testing.TB) (*value.Value, int) {
	path := filepath.Join(testenv.Oracle(b), "golden", "queens-roles", "Controller.json")
	doc, err := pyyaml.LoadFile(path, pyyaml.Limits{})
	if err != nil {
		b.Fatal(err)
	}
	rd, ok := doc.Root.Map.Get("role_data")
	if !ok {
		b.Fatal("no role_data in Controller.json")
	}
	n := 0
	if dc, ok := rd.Map.Get("docker_config"); ok {
		for _, st := range dc.Map.Entries() {
			n += st.Val.Map.Len()
		}
	}
	return rd, n
}

// BenchmarkValidateControllerRoleData validates all role data of the queens
// Controller (112 containers) against #RoleAggregate, and reports the time
// per container.
func BenchmarkValidateControllerRoleData(b *testing.B) {
	rd, n := controllerRoleData(b)
	s := Default()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if ds := s.Validate(RoleAggregate, rd, Options{}); len(ds) != 1 {
			b.Fatalf("%d findings, want the one real defect (panko_api_cron's test key)", len(ds))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(n), "µs/container")
}
