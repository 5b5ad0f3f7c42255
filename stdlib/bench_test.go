package stdlib_test

import (
	"path/filepath"
	"testing"

	"hoist/compiler/deploy"
	"hoist/config"
	"hoist/emit"
	"hoist/pipeline"
	"hoist/plan"
)

// BenchmarkBuildExample compiles the example deployment (9 services, 3 of
// them Jsonnet, a Jsonnet environment; 2 roles, 3 nodes) and builds its
// artifact tree in memory: what hoist build -o costs before the writes.
func BenchmarkBuildExample(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "project")
	if _, err := stdlibWrite(dir); err != nil {
		b.Fatal(err)
	}
	cfg, err := config.Load(filepath.Join(dir, config.FileName), "dev")
	if err != nil {
		b.Fatal(err)
	}
	in := pipeline.DeployInputs(cfg.Deployments[0])
	b.ReportAllocs()
	for b.Loop() {
		d, err := deploy.Compile(in, deploy.Options{Base: dir})
		if err != nil {
			b.Fatal(err)
		}
		if _, ds := emit.Build(plan.Build(d.Model()), emit.Options{Strict: true}); len(ds) > 0 {
			b.Fatal(ds)
		}
	}
}
