package stack

import (
	"errors"
	"strings"
	"testing"

	"hoist/diag"
)

// badInput is input Heat rejects: hoist must report a diagnostic at the
// failing call, with the chain of nested templates, never panic or hang.
type badInput struct {
	name  string
	files vfs
	envs  []string
	// at is where the diagnostic must point (file:line:col), chain its
	// ChainString when the error is in a nested template.
	at, rule, msg, chain string
}

var badInputs = []badInput{
	{name: "get_attr with a string argument", files: one(`
resources: {r: {type: OS::Heat::None}}
outputs:
  o:
    value: {get_attr: rr}`), at: "x.yaml:5:12", rule: "hot/function", msg: "get_attr: argument must be a list"},
	{name: "str_replace with a list argument", files: one(`
outputs:
  o:
    value: {str_replace: [a, b]}`), at: "x.yaml:4:12", rule: "hot/function", msg: "str_replace: arguments must be a map"},
	{name: "list_join with a map argument", files: one(`
outputs:
  o:
    value:
      list_join: {a: b}`), at: "x.yaml:5:7", rule: "hot/function", msg: "list_join: arguments must be [delimiter, list, ...]"},
	{name: "if with two arguments", files: one(`
outputs:
  o:
    value: [1, {if: [true, x]}]`), at: "x.yaml:4:16", rule: "hot/function", msg: "if: arguments must be of the form [condition, value_if_true, value_if_false]"},
	{name: "repeat without template", files: one(`
outputs:
  o:
    value: {repeat: {for_each: {X: [a]}}}`), at: "x.yaml:4:12", rule: "hot/function", msg: `missing "template"`},
	{name: "equals with three arguments", files: one(`
conditions:
  c: {equals: [a, b, c]}
outputs:
  o:
    value: {if: [c, 1, 2]}`), at: "x.yaml:3:6", rule: "hot/function", msg: "equals: arguments must be a list of two values"},
	{name: "a normal function inside a condition", files: one(`
conditions:
  c: {equals: [{get_attr: [r, a]}, b]}
outputs:
  o:
    value: 1`), at: "x.yaml:3:16", rule: "hot/function", msg: `the function "get_attr" is invalid in a condition`},
	{name: "a cycle between conditions", files: one(`
conditions:
  a: {not: b}
  b: {and: [true, a]}
outputs:
  o:
    value: {if: [a, 1, 2]}`), at: "x.yaml:3:3", rule: "hot/condition", msg: `circular definition for condition "a"`},
	{name: "a cycle between resources", files: one(`
resources:
  a:
    type: OS::Heat::Value
    properties: {value: {get_attr: [b, value]}}
  b:
    type: OS::Heat::Value
    properties: {value: {get_attr: [a, value]}}
outputs:
  o:
    value: 1`), at: "x.yaml:4:11", rule: "hot/resource", msg: `circular dependency: resource "a"`},
	{name: "a nested template that includes itself", files: vfs{
		"x.yaml": hdr + "resources: {n: {type: loop.yaml}}\n",
		"loop.yaml": hdr + `
resources:
  again:
    type: loop.yaml`}, at: "loop.yaml:5:11", rule: "hot/resource", msg: "loop.yaml includes itself",
		chain: "loop.yaml:5:11 ← loop.yaml:5:5 (again) ← loop.yaml:5:5 (again) ← loop.yaml:5:5 (again) ← loop.yaml:5:5 (again) ← loop.yaml:5:5 (again) ← x.yaml:2:16 (n)"},
	{name: "a registry alias that maps to itself through another", files: vfs{
		"x.yaml":   hdr + "resources:\n  n:\n    type: OS::A\n",
		"env.yaml": "resource_registry: {OS::A: OS::B, OS::B: OS::A}"}, envs: []string{"env.yaml"},
		at: "x.yaml:4:11", rule: "hot/resource", msg: "resource registry mapping loop"},
	{name: "a yaql expression past the item limit", files: one(`
outputs:
  o:
    value:
      yaql:
        expression: range(0, 5000).select($ * 2)
        data: {}`), at: "x.yaml:6:21", rule: "hot/yaql", msg: "1000"},
	{name: "a yaql expression past the memory limit", files: one(`
outputs:
  o:
    value:
      yaql:
        expression: $.data + $.data
        data: ` + strings.Repeat("x", 60000)), at: "x.yaml:6:21", rule: "hot/yaql", msg: "too much memory"},
	{name: "a yaql syntax error", files: one(`
outputs:
  o:
    value: {yaql: {expression: "$.data.(", data: {}}}`), at: "x.yaml:4:32", rule: "hot/yaql"},
	{name: "an error in a nested template names the chain", files: vfs{
		"docker.yaml": hdr + `
resources:
  Base:
    type: puppet.yaml
outputs:
  role_data:
    value: {get_attr: [Base, role_data]}`,
		"puppet.yaml": hdr + `
parameters: {Port: {type: number, default: 8080}}
outputs:
  role_data:
    value:
      config: {list_join: [":", [host, {get_param: Port}]]}`},
		at: "puppet.yaml:7:15", rule: "hot/function", msg: "items to join must be strings", chain: "puppet.yaml:7:15 ← docker.yaml:5:5 (Base)"},
	{name: "an undeclared property", files: vfs{
		"x.yaml": hdr + `
resources:
  n:
    type: n.yaml
    properties:
      Nope: 1`,
		"n.yaml": hdr + "parameters: {A: {type: string, default: a}}"}, at: "x.yaml:7:7", rule: "hot/resource", msg: `unknown property "Nope"`},
	{name: "a nested template that does not exist", files: one(`
resources:
  n:
    type: missing.yaml`), at: "x.yaml:4:11", rule: "hot/resource", msg: "missing.yaml: cannot read template"},
	{name: "an unknown resource type", files: one(`
resources:
  n:
    type: OS::Nope::Thing`), at: "x.yaml:4:11", rule: "hot/resource", msg: `the resource type "OS::Nope::Thing" could not be found`},
	{name: "an undeclared parameter", files: one(`
outputs:
  o:
    value: {get_param: Nope}`), at: "x.yaml:4:24", rule: "hot/parameter", msg: `parameter "Nope" is not declared`},
	{name: "a constraint violated by a default", files: one(`
parameters:
  S: {type: string, default: abc, constraints: [{allowed_values: [x, y]}]}`), at: "x.yaml:3:30", rule: "hot/parameter", msg: `"abc" is not an allowed value ["x", "y"]`},
	{name: "an unknown template version", files: vfs{"x.yaml": "heat_template_version: 2030-01-01\n"}, at: "x.yaml:1:24", rule: "hot/template", msg: `unknown heat_template_version "2030-01-01"`},
	{name: "an unknown section", files: vfs{"x.yaml": hdr + "mappings: {}\n"}, at: "x.yaml:2:1", rule: "hot/template", msg: `unknown template section "mappings"`},
	{name: "an invalid environment section", files: vfs{"x.yaml": hdr, "env.yaml": "parameters: {}\nresource_registy: {}\n"}, envs: []string{"env.yaml"},
		at: "/t/env.yaml:2:1", rule: "hot/environment", msg: `environment has wrong section "resource_registy"`},
	{name: "deep functions", files: one("outputs:\n  o:\n    value: " + strings.Repeat("{list_concat: [", 300) + "[]" + strings.Repeat("]}", 300) + "\n"), rule: "", msg: ""},
}

func TestBadInputIsAnErrorWithAPosition(t *testing.T) {
	for _, tc := range badInputs {
		t.Run(tc.name, func(t *testing.T) {
			top := "x.yaml"
			if _, ok := tc.files[top]; !ok {
				top = "docker.yaml"
			}
			_, err := evalVFS(t, tc.files, top, tc.envs, "")
			if tc.rule == "" {
				// must not panic or hang; success or an error are both fine
				return
			}
			if err == nil {
				t.Fatal("want an error")
			}
			var d *diag.Diagnostic
			if !errors.As(err, &d) {
				t.Fatalf("want a *diag.Diagnostic, got %T: %v", err, err)
			}
			if got := d.Range.String(); got != tc.at {
				t.Errorf("at %s, want %s (%s)", got, tc.at, d.Message)
			}
			if d.Rule != tc.rule {
				t.Errorf("rule %s, want %s (%s)", d.Rule, tc.rule, d.Message)
			}
			if !strings.Contains(d.Message, tc.msg) {
				t.Errorf("message %q does not contain %q", d.Message, tc.msg)
			}
			if tc.chain != "" && d.ChainString() != tc.chain {
				t.Errorf("chain %q, want %q", d.ChainString(), tc.chain)
			}
		})
	}
}
