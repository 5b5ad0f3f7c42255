package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"hoist/compiler/deploy"
)

// TestInputsFlagsOverBlock: the flags replace the deployment block's
// templates, name, count of a role and ctlplane subnets, and add
// environments after the block's.
func TestInputsFlagsOverBlock(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "hoist.hcl")
	src := `deployment "mycloud" {
  templates       = "tht"
  environments    = ["a.yaml"]
  ctlplane_subnets = ["10.0.0.0/24"]
  role "Controller" { count = 3 }
  role "Compute"    { count = 2 }
}
`
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(p, "dev")
	if err != nil {
		t.Fatal(err)
	}
	in, err := Inputs(cfg, DeployFlags{})
	if err != nil {
		t.Fatal(err)
	}
	if in.Name != "mycloud" || in.Templates.Path != filepath.Join(dir, "tht") || len(in.Counts) != 2 {
		t.Errorf("the block's inputs: %+v", in)
	}
	in, err = Inputs(cfg, DeployFlags{Templates: "other", StackName: "s", Environments: []string{"b.yaml"},
		Counts: []string{"Compute=5", "Networker=1"}, CtlplaneSubnets: []string{"192.168.24.7/24"}})
	if err != nil {
		t.Fatal(err)
	}
	if in.Templates.Path != "other" || in.Templates.At.File != "<command line>" || in.Name != "s" {
		t.Errorf("templates %+v, name %q", in.Templates, in.Name)
	}
	var envs, counts []string
	for _, e := range in.Environments {
		envs = append(envs, filepath.Base(e.Path))
	}
	for _, c := range in.Counts {
		counts = append(counts, fmt.Sprintf("%s=%d", c.Role, c.N))
	}
	if !slices.Equal(envs, []string{"a.yaml", "b.yaml"}) {
		t.Errorf("environments %v", envs)
	}
	if !slices.Equal(counts, []string{"Controller=3", "Compute=5", "Networker=1"}) {
		t.Errorf("counts %v", counts)
	}
	if !slices.Equal(in.CtlplaneSubnets, []string{"192.168.24.0/24"}) {
		t.Errorf("ctlplane subnets %v", in.CtlplaneSubnets)
	}
}

// TestInputsUsageErrors: mistakes in the flags are usage errors that
// quote the value.
func TestInputsUsageErrors(t *testing.T) {
	for _, c := range []struct {
		f    DeployFlags
		want string
	}{
		{DeployFlags{Templates: "t", Counts: []string{"Controller"}}, `--count "Controller": expected Role=N`},
		{DeployFlags{Templates: "t", Counts: []string{"Controller=-1"}}, `--count "Controller=-1"`},
		{DeployFlags{Templates: "t", Release: "zed"}, `unknown --release "zed"`},
		{DeployFlags{Templates: "t", CtlplaneSubnets: []string{"10.0.0.1"}}, `--ctlplane-subnet "10.0.0.1": expected a CIDR`},
		{DeployFlags{Deployment: "d"}, `--deployment "d": no hoist.hcl`},
		{DeployFlags{}, "no templates"},
	} {
		_, err := Inputs(nil, c.f)
		var u UsageError
		if !errors.As(err, &u) || !strings.Contains(string(u), c.want) {
			t.Errorf("%+v: %v, want a usage error saying %s", c.f, err, c.want)
		}
	}
	if _, err := Compile(nil, DeployFlags{Templates: "t", Aggregation: "some"}, deploy.Options{}); err == nil || !strings.Contains(err.Error(), `unknown --aggregation "some"`) {
		t.Errorf("aggregation: %v", err)
	}
}
