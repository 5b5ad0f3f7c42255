package schema

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"hoist/internal/testenv"
	"hoist/pyyaml"
	"hoist/value"
)

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

// The benchmarks run Validate (the native check first, CUE where it
// cannot prove a value clean) and, as "cue-only", CUE alone: the figures of
// docs/perf.md, before and after the native check, on one machine state.

// roleData loads the role data real Heat computed for a queens role, and
// counts its containers.
func roleData(b testing.TB, role string) (*value.Value, int) {
	path := filepath.Join(testenv.Oracle(b), "golden", "queens-roles", role+".json")
	doc, err := pyyaml.LoadFile(path, pyyaml.Limits{})
	if err != nil {
		b.Fatal(err)
	}
	rd, ok := doc.Root.Map.Get("role_data")
	if !ok {
		b.Fatalf("no role_data in %s", path)
	}
	n := 0
	if dc, ok := rd.Map.Get("docker_config"); ok {
		for _, st := range dc.Map.Entries() {
			n += st.Val.Map.Len()
		}
	}
	return rd, n
}

// benchRole validates a role's role data, reporting the time per container:
// wall clock (µs/container) and CPU time of all threads, garbage collection
// included (cpu-µs/container).
func benchRole(b *testing.B, role string, findings int) {
	rd, n := roleData(b, role)
	s := Default()
	for _, c := range []struct {
		name   string
		native bool
	}{{"validate", true}, {"cue-only", false}} {
		b.Run(c.name, func(b *testing.B) {
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				if ds := s.validate(RoleAggregate, rd, Options{}, c.native); len(ds) != findings {
					b.Fatalf("%d findings, want %d", len(ds), findings)
				}
			}
			cpu := cpuTime() - cpu0
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(n), "µs/container")
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N)/float64(n), "cpu-µs/container")
		})
	}
}

// BenchmarkValidateControllerRoleData validates all role data of the queens
// Controller (112 containers, 63 kolla configs, hiera and task lists)
// against #RoleAggregate. It has one finding (panko_api_cron's test key),
// so CUE validates it in full.
func BenchmarkValidateControllerRoleData(b *testing.B) { benchRole(b, "Controller", 1) }

// BenchmarkValidateComputeRoleData validates the queens Compute role's role
// data (13 containers), which has no finding.
func BenchmarkValidateComputeRoleData(b *testing.B) { benchRole(b, "Compute", 0) }

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
	for _, c := range []struct {
		name   string
		native bool
	}{{"validate", true}, {"cue-only", false}} {
		b.Run(c.name, func(b *testing.B) {
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				for _, d := range docs {
					s.validate(ServiceTemplate, d, Options{Raw: true}, c.native)
				}
			}
			cpu := cpuTime() - cpu0
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(len(docs)), "µs/template")
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N)/float64(len(docs)), "cpu-µs/template")
		})
	}
}
