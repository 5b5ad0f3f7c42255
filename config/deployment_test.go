package config

import "testing"

// TestDeploymentRanges checks that the compile can point at the attribute,
// the environment and the role block a deployment input came from.
func TestDeploymentRanges(t *testing.T) {
	src := `deployment "overcloud" {
  templates    = "tht"
  environments = [
    "environments/docker.yaml",
    "site.yaml",
  ]
  role "Controller" { count = 3 }
  role "Compute"    { count = 2 }
}
`
	f, err := Parse("hoist.hcl", []byte(src), "dev")
	if err != nil {
		t.Fatal(err)
	}
	d := f.Deployments[0]
	checks := []struct {
		name      string
		line, col int
	}{
		{"templates", 2, 18},
		{"env0", 4, 5},
		{"env1", 5, 5},
		{"Controller", 7, 8},
		{"Compute", 8, 8},
		{"roles_file", 1, 1}, // unset: the block
	}
	for _, c := range checks {
		var line, col int
		switch c.name {
		case "env0", "env1":
			r := d.EnvironmentRange(int(c.name[3] - '0'))
			line, col = r.Start.Line, r.Start.Column
		case "Controller":
			r := d.Roles[0].LabelRange()
			line, col = r.Start.Line, r.Start.Column
		case "Compute":
			r := d.Roles[1].LabelRange()
			line, col = r.Start.Line, r.Start.Column
		default:
			r := d.AttrRange(c.name)
			line, col = r.Start.Line, r.Start.Column
		}
		if line != c.line || col != c.col {
			t.Errorf("%s at %d:%d, want %d:%d", c.name, line, col, c.line, c.col)
		}
	}
	if r := d.EnvironmentRange(7); r != d.AttrRange("environments") {
		t.Errorf("an environment beyond the list should point at the attribute, got %s", r)
	}
}

// TestRelease: a deployment's own release wins; otherwise it inherits the
// top-level one, located where that is written.
func TestRelease(t *testing.T) {
	src := `release = "stein"
deployment "a" {
  templates = "tht"
}
deployment "b" {
  templates = "tht-train"
  release   = "train"
}
`
	f, err := Parse("hoist.hcl", []byte(src), "dev")
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []struct {
		name string
		line int
	}{{"stein", 1}, {"train", 7}} {
		name, rng := f.ReleaseOf(f.Deployments[i])
		if name != want.name || rng.Start.Line != want.line {
			t.Errorf("deployment %d: release %q at line %d, want %q at line %d", i, name, rng.Start.Line, want.name, want.line)
		}
	}
	if name, _ := f.ReleaseOf(nil); name != "stein" {
		t.Errorf("file release %q", name)
	}
}
