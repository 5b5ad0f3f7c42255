package pipeline

import (
	"strings"
	"testing"

	"hoist/compiler/deploy"
)

// TestSkeleton: without the example's images environment, its image
// parameters are missing and the skeleton lists them under
// parameter_defaults; with it, the skeleton is empty.
func TestSkeleton(t *testing.T) {
	in := exampleInputs(t)
	skel, err := Skeleton(compiledExample(t))
	if err != nil || !strings.Contains(string(skel), "parameter_defaults: {}") {
		t.Errorf("the whole example: %v\n%s", err, skel)
	}
	var envs []deploy.Path
	for _, e := range in.Environments {
		if !strings.HasSuffix(e.Path, "images.jsonnet") {
			envs = append(envs, e)
		}
	}
	in.Environments, in.AllowMissing = envs, true
	d, err := deploy.Compile(in, deploy.Options{Base: in.Templates.Path})
	if err != nil {
		t.Fatal(err)
	}
	skel, err = Skeleton(d)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Missing) == 0 || !strings.Contains(string(skel), "parameter_defaults:\n") || !strings.Contains(string(skel), "  DockerGlanceApiImage:\n") {
		t.Errorf("%d missing; skeleton:\n%s", len(d.Missing), skel)
	}
}
