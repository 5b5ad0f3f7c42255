package emit_test

import (
	"testing"

	"hoist/emit"
	"hoist/model"
	"hoist/plan"
	"hoist/pyyaml"
)

// FuzzEmitRoleData: any role-data document gives a tree or diagnostics,
// never a panic, and a tree's files stay under nodes/<hostname>/.
func FuzzEmitRoleData(f *testing.F) {
	f.Add([]byte(small))
	f.Add([]byte("roles: {R: {service_names: [a], docker_config: {step_1: {a: {image: x, volumes_from: [b], net: 'container:a'}}}, docker_puppet_tasks: {step_2: [{config_volume: v}]}}}"))
	f.Add([]byte("roles: {R: {kolla_config: {'/a/../b': {}}, docker_config_scripts: {x: {mode: 0700, content: 1}}}}"))
	f.Add([]byte("roles: {R: {step_config: [1], puppet_config: {a: 1}, config_settings: 3, service_config_settings: {x: [1]}, service_names: [x, 1]}}\nservices: {R: [1, {docker_config: 2}]}"))
	f.Fuzz(func(t *testing.T, src []byte) {
		doc, err := pyyaml.Load("d.yaml", src, pyyaml.Limits{MaxFileSize: 1 << 16, MaxDepth: 50, MaxAliasNodes: 1000})
		if err != nil {
			return
		}
		d, ok := model.FromRoleData(doc.Root)
		if !ok {
			return
		}
		for _, r := range d.Roles {
			r.Count = 2
		}
		p := plan.Build(d)
		tree, ds := emit.Build(p, emit.Options{Jobs: 2})
		if tree == nil {
			if len(ds) == 0 {
				t.Fatal("no tree and no diagnostic")
			}
			return
		}
		for _, f := range tree.Files {
			if _, _, ok := emit.NodeOf(f.Path); !ok && f.Path != emit.ManifestFile && f.Path != emit.PlanFile {
				t.Fatalf("file outside the node folders: %q", f.Path)
			}
		}
	})
}
