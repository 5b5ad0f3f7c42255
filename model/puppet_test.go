package model_test

import (
	"testing"

	"hoist/model"
	"hoist/value"
)

func TestPuppetEntries(t *testing.T) {
	pc := load(t, `
- {config_volume: keystone, puppet_tags: keystone_config, step_config: "include ::tripleo::profile::base::keystone", config_image: k:1, volumes: [/a:/a]}
- [nova, nova_config, "include nova", n:1, [/b:/b]]
- {config_volume: crond, step_config: "", config_image: c:1}
- {config_volume: bad, step_config: [not, a, string], config_image: b:1}
- {config_volume: noimage, step_config: "include x", config_image: null}
- "<unknown: not an entry>"
`)
	es := model.PuppetEntries(pc)
	if len(es) != 6 {
		t.Fatalf("%d entries", len(es))
	}
	k, n := es[0], es[1]
	if k.Legacy || k.ConfigVolume.V != "keystone" || k.PuppetTags.V != "keystone_config" || k.ConfigImage.V != "k:1" || len(k.Volumes.V) != 1 || !k.Generates() {
		t.Errorf("mapping entry: %+v", k)
	}
	if !n.Legacy || n.ConfigVolume.V != "nova" || n.StepConfig.V != "include nova" || n.ConfigImage.V != "n:1" || n.Volumes.V[0] != "/b:/b" || !n.Generates() {
		t.Errorf("legacy entry: %+v", n)
	}
	if es[2].Generates() || es[4].Generates() || es[4].ConfigImage.Set() {
		t.Error("an entry without a manifest or an image generates nothing")
	}
	if es[3].StepConfig.Bad == "" || es[3].Generates() {
		t.Errorf("an ill-typed step_config: %+v", es[3].StepConfig)
	}
	if es[5].ConfigVolume.Set() || es[5].Generates() {
		t.Error("a string is not an entry")
	}
	// A value only a live cloud knows counts as given.
	raw := value.NewObject()
	raw.Set("config_volume", value.Text("heat"))
	raw.Set("step_config", value.NewUnknown("a yaql result", value.Value{}.Range))
	raw.Set("config_image", value.NewUnknown("parameter DockerHeatConfigImage", value.Value{}.Range))
	if e := model.NewPuppetEntry(raw.Value()); !e.Generates() || e.StepConfig.Bad != "" {
		t.Errorf("unknown manifest and image: %+v", e)
	}
}
