package deploy

import (
	"strings"
	"testing"

	"hoist/diag"
	"hoist/pyyaml"
	"hoist/source"
	"hoist/value"
)

func yamlValue(t *testing.T, src string) *value.Value {
	t.Helper()
	doc, err := pyyaml.Load("test.yaml", []byte(src), pyyaml.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	return doc.Root
}

func compact(v *value.Value) string {
	var b strings.Builder
	_ = value.WriteJSON(&b, v, value.JSONOptions{SortKeys: true, Compact: true})
	return b.String()
}

// members builds a chain from a YAML list: null for an OS::Heat::None
// member, else the member's role_data.
func members(t *testing.T, src string) []Member {
	t.Helper()
	var out []Member
	for i, v := range yamlValue(t, src).List {
		m := Member{Type: "OS::TripleO::Services::S" + string(rune('A'+i))}
		if v.Kind != value.Null {
			m.Data = v
		}
		out = append(out, m)
	}
	return out
}

func aggregate(t *testing.T, src string) *value.Value {
	t.Helper()
	logging := value.NewMapping(0)
	for k, v := range map[string]string{
		"LoggingDefaultSources": `[{type: tail, path: /var/log/a}]`,
		"LoggingExtraSources":   `[]`,
		"LoggingDefaultGroups":  `[root]`,
		"LoggingExtraGroups":    `[]`,
	} {
		logging.SetString(k, yamlValue(t, v))
	}
	out, err := Aggregate(AggregateInput{
		Members:    members(t, src),
		CommonStep: value.NewString("include common", source.Range{}),
		Logging:    logging,
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAggregateRules(t *testing.T) {
	rd := aggregate(t, `
- service_name: a
  config_settings: {k: 1, deep: {x: 1}}
  global_config_settings: {g: a}
  service_config_settings: {mysql: {users: [a], opts: {x: 1}}}
  step_config: include a
  puppet_config: {config_volume: a, step_config: x}
  kolla_config: {/var/lib/kolla/config_files/a.json: {command: a, permissions: [{path: /a}]}}
  docker_config:
    step_2: {c: {image: img-a, volumes: [/x:/x, /y:/y], command: [sh, -c, run]}}
  docker_puppet_tasks: {step_3: {config_volume: a}}
  host_prep_tasks: [{name: t1}, [{name: nested}]]
  upgrade_tasks: [{name: u}]
  logging_source: {tag: a}
  logging_groups: [a-group]
  monitoring_subscription: overcloud-a
- null
- service_name: b
  config_settings: {k: 2, deep: {y: 2}}
  service_config_settings: {mysql: {users: [b, a], opts: {y: 2}}, keystone: {z: 1}}
  step_config: include b
  puppet_config: {config_volume: a, step_config: x}
  docker_config:
    step_2: {c: {image: img-b, volumes: [/y:/y, /z:/z], command: [sh, -c, run], user: root}}
    step_4: {d: {image: d}}
  docker_puppet_tasks: {step_3: {config_volume: b}, step_5: {config_volume: b5}}
  host_prep_tasks: [{name: t1}, {name: t2}]
  upgrade_tasks: [{name: u}]
  logging_groups: [a-group, '', b-group]
- service_name: c
  step_config: include c (no docker_config, so kept)
- service_name: d
  step_config: include d (dropped, docker_config is {})
  docker_config: {}
`)
	want := map[string]string{
		"service_names":             `["a","b","c","d"]`,
		"config_settings":           `{"deep":{"y":2},"k":2}`,
		"global_config_settings":    `{"g":"a"}`,
		"service_config_settings":   `{"keystone":{"z":1},"mysql":{"opts":{"x":1,"y":2},"users":["a","b"]}}`,
		"step_config":               `"include common\ninclude c (no docker_config, so kept)"`,
		"puppet_config":             `[{"config_volume":"a","step_config":"x"}]`,
		"kolla_config":              `{"/var/lib/kolla/config_files/a.json":{"command":"a","permissions":[{"path":"/a"}]}}`,
		"docker_config":             `{"step_2":{"c":{"command":["sh","-c","run"],"image":"img-b","user":"root","volumes":["/x:/x","/y:/y","/z:/z"]}},"step_4":{"d":{"image":"d"}}}`,
		"docker_config_scripts":     `{}`,
		"docker_puppet_tasks":       `{"step_3":[{"config_volume":"a"},{"config_volume":"b"}],"step_5":[{"config_volume":"b5"}]}`,
		"host_prep_tasks":           `[{"name":"t1"},{"name":"nested"},{"name":"t2"}]`,
		"upgrade_tasks":             `[{"name":"u"}]`,
		"update_tasks":              `[]`,
		"logging_sources":           `[{"path":"/var/log/a","type":"tail"},{"tag":"a"}]`,
		"logging_groups":            `["root","a-group","b-group"]`,
		"monitoring_subscriptions":  `["overcloud-a"]`,
		"workflow_tasks":            `{}`,
		"service_metadata_settings": `null`,
	}
	for k, w := range want {
		v, ok := rd.Map.Get(k)
		if !ok {
			t.Errorf("no %s", k)
			continue
		}
		if got := compact(v); got != w {
			t.Errorf("%s = %s\n want %s", k, got, w)
		}
	}
	if rd.Map.Len() != len(RoleDataKeys) {
		t.Errorf("%d keys, want %d", rd.Map.Len(), len(RoleDataKeys))
	}
}

func TestMergeWith(t *testing.T) {
	cases := []struct{ a, b, want, err string }{
		{`{}`, `{l: [1, 1]}`, `{"l":[1,1]}`, ""},                      // b's new keys are taken as they are
		{`{l: [1, 1, 2]}`, `{l: [2, 3]}`, `{"l":[1,2,3]}`, ""},        // distinct(a + b), a's duplicates too
		{`{l: [1, 2.0]}`, `{l: [true, 2, 3]}`, `{"l":[1,2.0,3]}`, ""}, // Python equality: 1 = true, 2.0 = 2
		{`{m: {x: 1, y: [a]}}`, `{m: {y: [b], z: 3}}`, `{"m":{"x":1,"y":["a","b"],"z":3}}`, ""},
		{`{s: 1}`, `{s: null}`, `{"s":null}`, ""}, // a later null wins
		{`{m: {x: 1}}`, `{m: 2}`, `{"m":2}`, ""},  // a scalar replaces a map
		{`{s: 1}`, `{s: {x: 1}}`, "", "sets d.s to a map where an earlier service set a int"},
		{`{s: abc}`, `{s: [x]}`, "", "sets d.s to a list where an earlier service set a string"},
		{`{l: [{a: 1}, {a: 1.0}]}`, `{l: [{a: true}]}`, `{"l":[{"a":1}]}`, ""},
	}
	for _, c := range cases {
		got, err := mergeWith(yamlValue(t, c.a), yamlValue(t, c.b), mergeCtx{key: "d", service: &Member{Type: "S"}})
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s.mergeWith(%s): error %v, want %q", c.a, c.b, err, c.err)
			}
			var d *diag.Diagnostic
			if d, _ = err.(*diag.Diagnostic); d == nil || d.Range.Start.Line == 0 || len(d.Related) != 1 {
				t.Errorf("the error should point at both values: %#v", err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s.mergeWith(%s): %v", c.a, c.b, err)
			continue
		}
		if compact(got) != c.want {
			t.Errorf("%s.mergeWith(%s) = %s, want %s", c.a, c.b, compact(got), c.want)
		}
	}
}

// TestAggregateUnknowns: unknowns with the same reason are one value (the
// same missing parameter), so de-duplication and merging go on around them.
func TestAggregateUnknowns(t *testing.T) {
	u := func(r string) *value.Value { return value.NewUnknown(UnknownReason(r), source.Range{}) }
	pc := func(img *value.Value) *value.Value {
		m := value.NewMapping(2)
		m.SetString("config_volume", value.NewString("nova", source.Range{}))
		m.SetString("config_image", img)
		return value.NewMap(m, source.Range{})
	}
	rd := func(name string, p *value.Value) *value.Value {
		m := value.NewMapping(2)
		m.SetString("service_name", value.NewString(name, source.Range{}))
		m.SetString("puppet_config", p)
		return value.NewMap(m, source.Range{})
	}
	out, err := Aggregate(AggregateInput{Members: []Member{
		{Type: "A", Data: rd("a", pc(u("DockerNovaConfigImage")))},
		{Type: "B", Data: rd("b", pc(u("DockerNovaConfigImage")))},
		{Type: "C", Data: rd("c", pc(u("DockerOtherImage")))},
	}, CommonStep: value.NewString("", source.Range{})})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := out.Map.Get("puppet_config")
	if p.Kind != value.List || len(p.List) != 2 {
		t.Fatalf("puppet_config = %s, want the two distinct entries", compact(p))
	}
}

func TestAggregateErrors(t *testing.T) {
	cases := []struct{ src, msg string }{
		{`[{service_name: a, config_settings: [1]}]`, "config_settings of service a must be a map"},
		{`[{service_name: a, docker_config: x}]`, "docker_config of service a must be a map"},
		{`[{service_name: a, docker_config: {s: {c: {v: 1}}}}, {service_name: b, docker_config: {s: {c: {v: [1]}}}}]`,
			"cannot merge docker_config.s.c.v into the role's docker_config: service b sets docker_config.s.c.v to a list where an earlier service set a int"},
		{`[{service_name: a, docker_puppet_tasks: [x]}]`, "docker_puppet_tasks of service a must be a map of steps"},
		{`[abc]`, "the role_data of OS::TripleO::Services::SA must be a map"},
	}
	for _, c := range cases {
		_, err := Aggregate(AggregateInput{Members: members(t, c.src), CommonStep: value.NewString("", source.Range{})})
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: error %v, want %q", c.src, err, c.msg)
		}
	}
}

func TestServiceConfigs(t *testing.T) {
	roles := []*value.Value{
		yamlValue(t, `{service_names: [keystone, mysql], config_settings: {own: c, shared: c},
  global_config_settings: {g1: c},
  service_config_settings: {keystone: {k: c, l: [1]}, nova_compute: {n: c}}}`),
		yamlValue(t, `{service_names: [nova_compute], config_settings: {own: n},
  global_config_settings: {g2: n, shared: n},
  service_config_settings: {keystone: {k: n, l: [2]}, nova_compute: {m: n}}}`),
	}
	out, err := ServiceConfigs(roles, []source.Range{{}, {}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		// own config_settings, then every role's global settings (a later
		// role's "shared" wins), then keystone's merged across roles.
		`{"g1":"c","g2":"n","k":"n","l":[1,2],"own":"c","shared":"n"}`,
		`{"g1":"c","g2":"n","m":"n","n":"c","own":"n","shared":"n"}`,
	}
	for i, w := range want {
		if got := compact(out[i]); got != w {
			t.Errorf("role %d: %s\n want %s", i, got, w)
		}
	}
}
