package schema

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"

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

// cpuTime returns the CPU time the process has used (user and system, all
// threads): on a busy machine it measures the work better than the wall
// clock does.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkValidateControllerRoleData validates all role data of the queens
// Controller (112 containers, 63 kolla configs, hiera and task lists)
// against #RoleAggregate, and reports the time per container: wall clock
// (µs/container) and CPU time of all threads, garbage collection included
// (cpu-µs/container).
func BenchmarkValidateControllerRoleData(b *testing.B) {
	rd, n := controllerRoleData(b)
	s := Default()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		if ds := s.Validate(RoleAggregate, rd, Options{}); len(ds) != 1 {
			b.Fatalf("%d findings, want the one real defect (panko_api_cron's test key)", len(ds))
		}
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(n), "µs/container")
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N)/float64(n), "cpu-µs/container")
}

// BenchmarkValidateServiceTemplates validates the 119 raw docker service
// templates of the queens tree, one after the other.
func BenchmarkValidateServiceTemplates(b *testing.B) {
	root := filepath.Join(testenv.Corpus(b), "docker", "services")
	var docs []*value.Value
	matches, _ := filepath.Glob(filepath.Join(root, "*.yaml"))
	more, _ := filepath.Glob(filepath.Join(root, "*", "*.yaml"))
	for _, f := range append(matches, more...) {
		doc, err := pyyaml.LoadFile(f, pyyaml.Limits{})
		if err != nil {
			continue
		}
		if k, _ := Detect(f, doc.Root); k == ServiceTemplate {
			docs = append(docs, doc.Root)
		}
	}
	s := Default()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		for _, d := range docs {
			s.Validate(ServiceTemplate, d, Options{Raw: true})
		}
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(len(docs)), "µs/template")
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N)/float64(len(docs)), "cpu-µs/template")
}
