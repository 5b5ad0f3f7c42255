package model_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"hoist/model"
	"hoist/pyyaml"
	"hoist/value"
)

func load(t *testing.T, src string) *value.Value {
	t.Helper()
	doc, err := pyyaml.Load("docker_config.yaml", []byte(src), pyyaml.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	return doc.Root
}

func names(cs []*model.Container) string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s:%d", c.Name, c.Order))
	}
	return strings.Join(out, " ")
}

func TestStepsOrder(t *testing.T) {
	dc := load(t, `
step_10: {z: {}}
post: {p: {}}
step_2:
  b: {start_order: 1}
  a: {start_order: 1}
  c: {}
  d: {start_order: 99999999999999999999999}
  e: {start_order: "3"}
  f: {start_order: -1}
step_1: not a mapping
`)
	steps := model.Steps(dc, value.Path{}.Key("docker_config"))
	var keys []string
	for _, s := range steps {
		keys = append(keys, s.Key)
	}
	if got, want := strings.Join(keys, " "), "step_1 step_2 step_10 post"; got != want {
		t.Errorf("steps: %s, want %s", got, want)
	}
	// start_order, then name; a big or a string start_order counts as 0.
	if got, want := names(steps[1].Containers), "f:0 c:1 d:2 e:3 a:4 b:5"; got != want {
		t.Errorf("step_2 order: %s, want %s", got, want)
	}
	if len(steps[0].Containers) != 0 || steps[0].Raw.Kind != value.String {
		t.Errorf("step_1 is not a mapping: %+v", steps[0])
	}
	a := steps[1].Lookup("a")
	if a == nil || a.Step != 2 || a.StepKey != "step_2" || a.Path.String() != "docker_config.step_2.a" {
		t.Fatalf("a: %+v", a)
	}
	if a.Raw != value.Get(steps[1].Raw, "a") {
		t.Error("a container's Raw is not the value as written")
	}
	if a.NameAt().Start.Line != 6 {
		t.Errorf("a is named at %v, want line 6", a.NameAt())
	}
	d := steps[1].Lookup("d")
	if d.StartOrder.Bad == "" || d.StartsAt() != 0 {
		t.Errorf("a big start_order reads %+v", d.StartOrder)
	}
	if steps[1].Lookup("nope") != nil {
		t.Error("Lookup found a container that is not there")
	}
}

func TestStepNumber(t *testing.T) {
	for k, want := range map[string]int{"step_1": 1, "step_10": 10, "step_0": 0, "step_01": 0, "step_x": 0, "step4": 0, "step_-1": 0, "": 0} {
		if got := model.StepNumber(k); got != want {
			t.Errorf("StepNumber(%q) = %d, want %d", k, got, want)
		}
	}
}

func TestOptions(t *testing.T) {
	dc := load(t, `
step_3:
  c:
    image: registry/keystone:latest
    command: [/bin/bash, -c, "echo hi"]
    detach: false
    exit_codes: [0, 2]
    privileged: true
    user: root
    net: host
    restart: always
    volumes: [/a:/a, /b:/b:ro]
    config_volume: keystone
  bad:
    image: [not, a, string]
    detach: "no"
    exit_codes: [0, "1"]
    volumes: /a:/a
    start_order: 1.5
  unknown:
    image: "<unknown: parameter DockerKeystoneImage is not set>"
    command: "kolla_start now"
`)
	s := model.Steps(dc, nil)[0]
	c := s.Lookup("c")
	if !c.Image.OK() || c.Image.V != "registry/keystone:latest" || c.Image.At().Start.Line != 4 {
		t.Errorf("image: %+v", c.Image)
	}
	if !slices.Equal(c.Command.V, []string{"/bin/bash", "-c", "echo hi"}) || c.Detached() || !slices.Equal(c.Accepted(), []int{0, 2}) {
		t.Errorf("command %v, detached %v, exit codes %v", c.Command.V, c.Detached(), c.Accepted())
	}
	if !c.Privileged.V || c.User.V != "root" || c.Net.V != "host" || c.Restart.V != "always" || c.ConfigVolume.V != "keystone" || len(c.Volumes.V) != 2 {
		t.Errorf("options: %+v", c)
	}
	if c.ActionName() != model.ActionRun || c.IsExec() {
		t.Errorf("the default action is run, got %q", c.ActionName())
	}
	b := s.Lookup("bad")
	for what, o := range map[string]string{"image": b.Image.Bad, "detach": b.Detach.Bad, "exit_codes": b.ExitCodes.Bad, "volumes": b.Volumes.Bad, "start_order": b.StartOrder.Bad} {
		if o == "" {
			t.Errorf("%s: no reason for an ill-typed option", what)
		}
	}
	if b.Image.Bad != "a list, not a string" || b.ExitCodes.Bad != "a list holding string, not integers" {
		t.Errorf("reasons: %q, %q", b.Image.Bad, b.ExitCodes.Bad)
	}
	if !b.Detached() || b.Image.Or("x") != "x" || b.ExitCodes.V != nil {
		t.Errorf("an ill-typed option reads as its default: detached %v, image %q, exit codes %v", b.Detached(), b.Image.Or("x"), b.ExitCodes.V)
	}
	u := s.Lookup("unknown")
	if r, ok := u.Image.Unknown(); !ok || r != "parameter DockerKeystoneImage is not set" || u.Image.OK() || u.Image.V == "" {
		t.Errorf("the text of an unknown value: %q %v, OK %v, V %q", r, ok, u.Image.OK(), u.Image.V)
	}
	if !slices.Equal(u.Command.V, []string{"kolla_start", "now"}) {
		t.Errorf("a string command is split as paunch did: %q", u.Command.V)
	}
	if !b.Has("volumes") || b.Has("user") || b.Option("user") != nil {
		t.Error("Has/Option")
	}
}

func TestUnknownValue(t *testing.T) {
	raw := value.NewMap(value.NewMapping(1), value.Value{}.Range)
	raw.Map.SetString("image", value.NewUnknown("a server's IP", value.Value{}.Range))
	c := model.NewContainer("step_1", value.NewString("x", value.Value{}.Range), raw, nil)
	if r, ok := c.Image.Unknown(); !ok || r != "a server's IP" || c.Image.Bad != "" || c.Image.OK() {
		t.Errorf("unknown image: %+v", c.Image)
	}
	if got := model.UnknownText("x"); got != "<unknown: x>" {
		t.Errorf("UnknownText: %q", got)
	}
	if r, ok := model.ParseUnknownText("<unknown: a b>"); !ok || r != "a b" {
		t.Errorf("ParseUnknownText: %q %v", r, ok)
	}
	if _, ok := model.ParseUnknownText("<unknown: a b"); ok {
		t.Error("ParseUnknownText read a string without its end")
	}
	if !model.IsUnknownText("<unknown: x> and more") || model.IsUnknownText("x <unknown: y>") || !model.HasUnknownText("x <unknown: y>") {
		t.Error("IsUnknownText/HasUnknownText")
	}
}

func TestNeeds(t *testing.T) {
	dc := load(t, `
step_4:
  e1: {action: exec, command: "nova_api nova-manage db sync"}
  e2: {action: exec, command: [keystone, bash]}
  e3: {action: exec}
  v: {volumes_from: [a, "b:ro", "c:z", ""], depends_on: d, net: container:n, ipc: host, pid: "container:"}
  notexec: {command: "x y"}
`)
	s := model.Steps(dc, value.Path{}.Key("docker_config"))[0]
	got := map[string][]string{}
	for _, c := range s.Containers {
		for _, n := range c.Needs {
			got[c.Name] = append(got[c.Name], n.Kind+"="+n.Target+"@"+n.Path.String())
		}
	}
	want := map[string][]string{
		"e1": {"exec=nova_api@docker_config.step_4.e1.command"},
		"e2": {"exec=keystone@docker_config.step_4.e2.command[0]"},
		"v": {
			"volumes_from=a@docker_config.step_4.v.volumes_from[0]",
			"volumes_from=b@docker_config.step_4.v.volumes_from[1]",
			"volumes_from=c:z@docker_config.step_4.v.volumes_from[2]",
			"depends_on=d@docker_config.step_4.v.depends_on",
			"net=n@docker_config.step_4.v.net",
		},
	}
	for k, w := range want {
		if !slices.Equal(got[k], w) {
			t.Errorf("%s needs %q, want %q", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("needs: %q", got)
	}
	if !s.Lookup("e1").IsExec() || s.Lookup("e1").ActionName() != model.ActionExec {
		t.Error("e1 is an exec")
	}
}
