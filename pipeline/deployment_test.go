package pipeline

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hoist/compiler/deploy"
	"hoist/value"
)

// compiledExample compiles the embedded example deployment.
func compiledExample(t *testing.T) *deploy.Deployment {
	t.Helper()
	in := exampleInputs(t)
	d, err := deploy.Compile(in, deploy.Options{Base: in.Templates.Path})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestRoleDataInput reads the example's role-data document back with a
// stack name, counts and a release, and refuses counts and releases that
// do not fit as usage errors.
func TestRoleDataInput(t *testing.T) {
	doc := filepath.Join(t.TempDir(), "roles.json")
	if err := os.WriteFile(doc, value.MarshalIndent(compiledExample(t).Dump()), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := LoadRoleData(doc, RoleDataOptions{StackName: "s", Counts: []string{"Compute=3"}, Release: "stein"})
	if err != nil {
		t.Fatal(err)
	}
	p := in.Plan()
	if p.Stack != "s" || p.Release.Name != "stein" || len(p.Role("Compute").Nodes) != 3 || len(p.Role("Controller").Nodes) != 1 {
		t.Errorf("stack %q, release %s, nodes %d and %d", p.Stack, p.Release.Name, len(p.Role("Compute").Nodes), len(p.Role("Controller").Nodes))
	}
	if got := p.Role("Compute").Nodes[2].Hostname; got != "s-compute-2" {
		t.Errorf("third compute node %q", got)
	}
	if p.Role("Controller").Role.ConfigSettings == nil {
		t.Error("the hiera of the roles is not merged")
	}
	for _, c := range []struct {
		o    RoleDataOptions
		want string
	}{
		{RoleDataOptions{Counts: []string{"Networker=1"}}, `the deployment has no role "Networker"; its roles are "Compute" or "Controller"`},
		{RoleDataOptions{Counts: []string{"Compute"}}, `--count "Compute": expected Role=N`},
		{RoleDataOptions{Release: "zed"}, `unknown --release "zed"`},
	} {
		_, err := LoadRoleData(doc, c.o)
		var u UsageError
		if !errors.As(err, &u) || !strings.Contains(string(u), c.want) {
			t.Errorf("%+v: %v, want a usage error saying %s", c.o, err, c.want)
		}
	}
}

// TestSelect: a selection of roles keeps those roles; an unknown one is a
// usage error.
func TestSelect(t *testing.T) {
	in := Compiled(compiledExample(t))
	sel, err := in.Select([]string{"Compute"})
	if err != nil || len(sel.Roles) != 1 || sel.Roles[0].Role.Name != "Compute" {
		t.Fatalf("select Compute: %v, %v", sel, err)
	}
	var u UsageError
	if _, err := in.Select([]string{"Nope"}); !errors.As(err, &u) {
		t.Errorf("select Nope: %v", err)
	}
}
