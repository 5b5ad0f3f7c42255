package deploy

import (
	"strings"
	"testing"

	"hoist/compiler/hot"
	"hoist/pyyaml"
	"hoist/source"
	"hoist/value"
)

func TestMissingSetAndSkeleton(t *testing.T) {
	tmpl, err := pyyaml.Load("svc.yaml", []byte(`heat_template_version: queens
parameters:
  DockerFooImage:
    type: string
    description: image of
      foo
  FooKey:
    type: string
    hidden: true
    constraints:
    - allowed_pattern: "^[a-z]{4}$"
    - length: {min: 4, max: 4}
  FooPort:
    type: number
    constraints: [{allowed_values: [1, 2]}]
`), pyyaml.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := hot.Parse("svc.yaml", tmpl.Root)
	if err != nil {
		t.Fatal(err)
	}
	other := *parsed.Params[0]
	other.NameRange = source.Range{File: "a-first.yaml", Start: source.Pos{Line: 9, Col: 3}}
	s := newMissingSet()
	for _, p := range append(parsed.Params, &other, parsed.Params[0]) {
		v := s.value(p)
		if v.Kind != value.Unknown || v.Str != UnknownReason(p.Name) {
			t.Errorf("value of %s = %v", p.Name, v)
		}
	}
	ms := s.list()
	if len(ms) != 3 || ms[0].Name != "DockerFooImage" || ms[0].Templates != 2 || ms[0].Declared.File != "a-first.yaml" {
		t.Fatalf("missing %+v", ms[0])
	}
	var b strings.Builder
	if err := WriteSkeleton(&b, ms); err != nil {
		t.Fatal(err)
	}
	want := `# Parameters the deployment needs that have no value anywhere.
# Give each a value of its type and pass this file with -e; see the
# README on producing image parameters and passwords as TripleO did.
parameter_defaults:
  # string, declared at a-first.yaml:9:3 (and 1 more template)
  # image of foo
  DockerFooImage:
  # string, declared at svc.yaml:7:3; hidden (a secret)
  # constraints: matching ^[a-z]{4}$; length 4 to 4
  FooKey:
  # number, declared at svc.yaml:13:3
  # constraints: one of 1, 2
  FooPort:
`
	if b.String() != want {
		t.Errorf("skeleton:\n%s\nwant:\n%s", b.String(), want)
	}
	e := MissingError(ms)
	if e.Rule != RuleMissing || len(e.Related) != 3 || !strings.HasPrefix(e.Message, "3 parameters have no value: DockerFooImage, FooKey, FooPort;") {
		t.Errorf("error: %v %+v", e, e.Related)
	}
	var empty strings.Builder
	_ = WriteSkeleton(&empty, nil)
	if !strings.HasSuffix(empty.String(), "parameter_defaults: {}\n") {
		t.Errorf("empty skeleton: %q", empty.String())
	}
}
