package deploy

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"hoist/internal/testenv"
)

// queensInputs are the queens corpus with its default roles and networks
// and the environments docker.yaml and docker-ha.yaml.
func queensInputs(tb testing.TB, root string) Inputs {
	tb.Helper()
	return Inputs{
		Templates: Path{Path: root},
		Environments: []Path{
			{Path: filepath.Join(root, "environments", "docker.yaml")},
			{Path: filepath.Join(root, "environments", "docker-ha.yaml")},
		},
		AllowMissing: true,
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCompileQueens compiles the full queens overcloud (all five
// default roles, docker.yaml and docker-ha.yaml) from the unrendered tree,
// as `hoist build` does: Jinja2 rendering of what is needed, environments,
// the overcloud's chain inputs, every service of every role (roles in
// parallel, templates parsed once per compile) and the merges. native
// merges with Aggregate, template evaluates the role templates' yaql.
// cpu-ms/op is the processor time of all goroutines, which the wall time
// exceeds when other work shares the machine.
func BenchmarkCompileQueens(b *testing.B) {
	in := queensInputs(b, testenv.Corpus(b))
	for _, how := range []Aggregation{Native, Template} {
		b.Run(how.String(), func(b *testing.B) {
			b.ReportAllocs()
			start := cpuTime()
			for i := 0; i < b.N; i++ {
				if _, err := Compile(in, Options{Aggregation: how}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		})
	}
}
