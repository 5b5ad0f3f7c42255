package stack

import (
	"strings"
	"testing"
)

// trap is one item of heat-intrinsics.md's "Easy to get subtly wrong",
// with the value the reference gives (compact sorted JSON) or, when the
// reference says it fails, "error: <part of the message>".
type trap struct {
	name  string
	files vfs
	envs  []string
	props string
	// top instantiates the template as a top-level stack (nested
	// otherwise, as hoist eval does).
	top  bool
	want string // JSON of output o, or "error: ..."
}

const hdr = "heat_template_version: queens\n"

func one(body string) vfs { return vfs{"x.yaml": hdr + strings.TrimPrefix(body, "\n")} }

var traps = []trap{
	// Type coercion
	{name: "get_param failing path is ''", files: one(`
parameters: {M: {type: json, default: {a: 1}}}
outputs: {o: {value: [{get_param: [M, zz]}, {get_param: [M, a, b]}, {get_param: [M, a]}]}}`), want: `["", "", 1]`},
	{name: "get_attr failing path is null", files: one(`
resources: {v: {type: OS::Heat::Value, properties: {value: {a: [1]}}}}
outputs: {o: {value: [{get_attr: [v, value, zz]}, {get_attr: [v, value, a, 5]}, {get_attr: [v, value, a, "0"]}, {get_attr: [v, value, a, 0]}]}}`), want: `[null, null, null, 1]`},
	{name: "get_attr failing path into a nested output is null", files: vfs{
		"x.yaml": hdr + `
resources: {n: {type: n.yaml}}
outputs: {o: {value: [{get_attr: [n, out, missing]}, {get_attr: [n, out, k]}]}}`,
		"n.yaml": hdr + `outputs: {out: {value: {k: v}}}`}, want: `[null, "v"]`},
	{name: "list_join of a number fails", files: one(`outputs: {o: {value: {list_join: [",", [a, 5]]}}}`), want: "error: items to join must be strings, maps or lists"},
	{name: "list_join of a bool fails", files: one(`outputs: {o: {value: {list_join: [",", [a, true]]}}}`), want: "error: items to join"},
	{name: "list_join null item is '' and not skipped", files: one(`outputs: {o: {value: {list_join: ["\n", [a, null, b]]}}}`), want: `"a\n\nb"`},
	{name: "list_join list and map items are sorted JSON with spaces", files: one(`outputs: {o: {value: {list_join: ["|", [{k: v, a: [1, 2]}, [x, 1]]]}}}`), want: `"{\"a\": [1, 2], \"k\": \"v\"}|[\"x\", 1]"`},
	{name: "str_replace bool gives True/False", files: one(`outputs: {o: {value: {str_replace: {template: "A B", params: {A: true, B: false}}}}}`), want: `"True False"`},
	{name: "str_replace list and map give sorted JSON", files: one(`outputs: {o: {value: {str_replace: {template: "L M", params: {L: [1, a], M: {z: 1, b: [null]}}}}}}`), want: `"[1, \"a\"] {\"b\": [null], \"z\": 1}"`},
	{name: "string parameter with a bool default is 'False'", files: one(`
parameters: {S: {type: string, default: false}}
outputs: {o: {value: {get_param: S}}}`), want: `"False"`},
	{name: "json parameter with default '' is ''", files: one(`
parameters: {J: {type: json, default: ''}}
outputs: {o: {value: {get_param: J}}}`), want: `""`},
	{name: "comma_delimited_list splits without trimming", files: one(`
parameters: {L: {type: comma_delimited_list, default: 'a, b ,c'}}
outputs: {o: {value: {get_param: L}}}`), want: `["a", " b ", "c"]`},
	{name: "comma_delimited_list list values are stringified, None is 'None'", files: one(`
parameters: {L: {type: comma_delimited_list, default: [1, null, true]}}
outputs: {o: {value: {get_param: L}}}`), want: `["1", "None", "True"]`},
	{name: "a List property is re-joined and re-split: commas inside items split them", files: vfs{
		"x.yaml": hdr + `
resources: {n: {type: n.yaml, properties: {L: ["a,b", c]}}}
outputs: {o: {value: {get_attr: [n, l]}}}`,
		"n.yaml": hdr + `
parameters: {L: {type: comma_delimited_list}}
outputs: {l: {value: {get_param: L}}}`}, want: `["a", "b", "c"]`},
	{name: "a property given as null is passed empty and overrides parameter_defaults", files: vfs{
		"x.yaml": hdr + `
resources: {n: {type: n.yaml, properties: {S: null, N: null, B: null, J: null, L: null}}}
outputs: {o: {value: {get_attr: [n, all]}}}`,
		"n.yaml": hdr + `
parameters:
  S: {type: string, default: d}
  N: {type: number, default: 5}
  B: {type: boolean, default: true}
  J: {type: json, default: {a: 1}}
  L: {type: comma_delimited_list, default: [x]}
outputs: {all: {value: [{get_param: S}, {get_param: N}, {get_param: B}, {get_param: J}, {get_param: L}]}}`,
		"env.yaml": `parameter_defaults: {S: pd, N: 7, B: true, J: {b: 2}, L: [y]}`},
		envs: []string{"env.yaml"}, want: `["", 0, false, {}, []]`},
	{name: "an omitted property leaves parameter_defaults in force", files: vfs{
		"x.yaml": hdr + `
resources: {n: {type: n.yaml}}
outputs: {o: {value: {get_attr: [n, s]}}}`,
		"n.yaml": hdr + `
parameters: {S: {type: string, default: d}}
outputs: {s: {value: {get_param: S}}}`,
		"env.yaml": `parameter_defaults: {S: pd}`}, envs: []string{"env.yaml"}, want: `"pd"`},
	{name: "a boolean property rejects 'yes'", files: vfs{
		"x.yaml": hdr + `
resources: {n: {type: n.yaml, properties: {B: 'yes'}}}
outputs: {o: {value: 1}}`,
		"n.yaml": hdr + `parameters: {B: {type: boolean}}`}, want: `error: "yes" is not a valid boolean`},
	{name: "a boolean property accepts 'TRUE'", files: vfs{
		"x.yaml": hdr + `
resources: {n: {type: n.yaml, properties: {B: 'TRUE'}}}
outputs: {o: {value: {get_attr: [n, b]}}}`,
		"n.yaml": hdr + `
parameters: {B: {type: boolean}}
outputs: {b: {value: {get_param: B}}}`}, want: `true`},
	{name: "boolean parameters accept yes, on, 1, t, y and their negatives", files: one(`
parameters:
  A: {type: boolean, default: 'yes'}
  B: {type: boolean, default: 'on'}
  C: {type: boolean, default: 1}
  D: {type: boolean, default: t}
  E: {type: boolean, default: Y}
  F: {type: boolean, default: 'no'}
  G: {type: boolean, default: 'off'}
  H: {type: boolean, default: 0}
  I: {type: boolean, default: f}
  J: {type: boolean, default: n}
outputs: {o: {value: [{get_param: A}, {get_param: B}, {get_param: C}, {get_param: D}, {get_param: E}, {get_param: F}, {get_param: G}, {get_param: H}, {get_param: I}, {get_param: J}]}}`),
		want: `[true, true, true, true, true, false, false, false, false, false]`},
	{name: "equals: a string 'true' is not true, a boolean parameter is", files: one(`
parameters:
  S: {type: string, default: 'true'}
  B: {type: boolean, default: 'true'}
conditions:
  s: {equals: [{get_param: S}, true]}
  b: {equals: [{get_param: B}, true]}
outputs: {o: {value: [{if: [s, Y, N]}, {if: [b, Y, N]}]}}`), want: `["N", "Y"]`},
	// Shapes and ordering
	{name: "map_merge is shallow", files: one(`outputs: {o: {value: {map_merge: [{a: {x: 1}}, {a: {y: 2}}]}}}`), want: `{"a": {"y": 2}}`},
	{name: "mergeWith is deep and unions lists with distinct", files: one(`
outputs: {o: {value: {yaql: {expression: $.data.a.mergeWith($.data.b), data: {a: {x: [1, 1, 2], m: {p: 1}}, b: {x: [2, 3], m: {q: 2}}}}}}}`), want: `{"m": {"p": 1, "q": 2}, "x": [1, 2, 3]}`},
	{name: "mergeWith raises when a scalar meets a map", files: one(`
outputs: {o: {value: {yaql: {expression: $.data.a.mergeWith($.data.b), data: {a: {x: 1}, b: {x: {y: 2}}}}}}}`), want: "error: "},
	{name: "map_replace matches whole values, skips unhashable ones, null key keeps", files: one(`
outputs: {o: {value: {map_replace: [{k1: abc, k2: a, k3: [a], k4: x}, {keys: {k4: null}, values: {a: A}}]}}}`), want: `{"k1": "abc", "k2": "A", "k3": ["a"], "k4": "x"}`},
	{name: "str_replace never rescans and prefers the longest key", files: one(`
outputs: {o: {value: [{str_replace: {template: AB, params: {A: B, B: x}}}, {str_replace: {template: foobar foo, params: {foo: "1", foobar: "2"}}}]}}`), want: `["Bx", "2 1"]`},
	{name: "repeat rescans and resolves its template first", files: one(`
parameters: {P: {type: string, default: X}}
outputs: {o: {value: [{repeat: {template: AB, for_each: {A: [B], B: [x]}}}, {repeat: {template: {get_param: P}, for_each: {X: ["1", "2"]}}}]}}`), want: `[["xx"], ["1", "2"]]`},
	{name: "list_concat_unique keeps the last occurrence (queens)", files: one(`outputs: {o: {value: {list_concat_unique: [[1, 2, 1, 3]]}}}`), want: `[2, 1, 3]`},
	{name: "list_concat_unique can leave duplicates (queens)", files: one(`outputs: {o: {value: {list_concat_unique: [[0, 1, 0, 2, 1, 2]]}}}`), want: `[1, 0, 1, 2]`},
	{name: "filter of a null list is null", files: one(`outputs: {o: {value: {filter: [[a], null]}}}`), want: `null`},
	{name: "str_split of null is null", files: one(`outputs: {o: {value: {str_split: [",", null]}}}`), want: `null`},
	{name: "contains on a string is a substring test", files: one(`outputs: {o: {value: {contains: [ell, hello]}}}`), want: `true`},
	{name: "a null produced by if stays in maps and lists", files: one(`
conditions: {c: false}
outputs: {o: {value: {m: {a: {if: [c, 1, null]}}, l: [{if: [c, 1, null]}]}}}`), want: `{"l": [null], "m": {"a": null}}`},
	// Conditions and references
	{name: "an output whose condition is false is null and its value is not evaluated", files: one(`
conditions: {off: false}
outputs:
  o: {value: {get_param: Undefined}, condition: off}`), want: `null`},
	{name: "if never evaluates the branch not taken", files: one(`
conditions: {c: true}
outputs: {o: {value: {if: [c, ok, {get_param: Undefined}]}}}`), want: `"ok"`},
	{name: "strings inside and/or/not are condition names", files: one(`
conditions: {a: true, b: false, c: {and: [a, {not: b}]}, d: {or: [b, {not: a}]}}
outputs: {o: {value: [{if: [c, C, notC]}, {if: [d, D, notD]}]}}`), want: `["C", "notD"]`},
	{name: "a condition of get_param works only for a boolean parameter", files: one(`
parameters: {S: {type: string, default: x}}
conditions: {c: {get_param: S}}
outputs: {o: {value: {if: [c, T, F]}}}`), want: `error: the definition of condition "c" is invalid`},
	{name: "a condition of get_param of a boolean parameter", files: one(`
parameters: {B: {type: boolean, default: 'yes'}}
conditions: {c: {get_param: B}}
outputs: {o: {value: {if: [c, T, F]}}}`), want: `"T"`},
	{name: "equals, not, and, or are data outside conditions; unknown functions are data", files: one(`
outputs: {o: {value: [{equals: [1, 1]}, {not: true}, {and: [a, b]}, {or: [a, b]}, {my_function: [1]}]}}`), want: `[{"equals": [1, 1]}, {"not": true}, {"and": ["a", "b"]}, {"or": ["a", "b"]}, {"my_function": [1]}]`},
	{name: "a function unknown to the version is data (list_concat in ocata)", files: vfs{"x.yaml": "heat_template_version: ocata\noutputs: {o: {value: {list_concat: [[a], [b]]}}}"}, want: `{"list_concat": [["a"], ["b"]]}`},
	{name: "get_attr of an OS::Heat::None resource is null for every attribute", files: one(`
resources: {n: {type: OS::Heat::None, properties: {anything: {get_param: NotEvenDeclared}}}}
outputs: {o: {value: [{get_attr: [n, x]}, {get_attr: [n, y, z, 0]}]}}`), want: `[null, null]`},
	{name: "get_attr of a ResourceChain is a list with null holes", files: vfs{
		"x.yaml": hdr + `
resources:
  chain:
    type: OS::Heat::ResourceChain
    properties:
      resources: [OS::Svc::A, OS::Svc::Off, OS::Svc::B]
      resource_properties: {Name: n}
outputs: {o: {value: {get_attr: [chain, role_data, name]}}}`,
		"a.yaml":   hdr + "parameters: {Name: {type: string}}\noutputs: {role_data: {value: {name: {get_param: Name}}}}",
		"b.yaml":   hdr + "parameters: {Name: {type: string}}\noutputs: {role_data: {value: {other: 1}}}",
		"env.yaml": "resource_registry: {OS::Svc::A: a.yaml, OS::Svc::B: b.yaml, OS::Svc::Off: OS::Heat::None}"},
		envs: []string{"env.yaml"}, want: `["n", null, null]`},
	// yaql
	{name: "yaql: a missing dict key raises", files: one(`outputs: {o: {value: {yaql: {expression: $.data.nope, data: {a: 1}}}}}`), want: "error: "},
	{name: "yaql: str(null) is 'null' and join turns null into 'null'", files: one(`
outputs: {o: {value: [{yaql: {expression: str($.data), data: null}}, {yaql: {expression: "$.data.join(',')", data: [a, null]}}]}}`), want: `["null", "a,null"]`},
	{name: "yaql: first() of an empty collection raises", files: one(`outputs: {o: {value: {yaql: {expression: $.data.first(), data: []}}}}`), want: "error: "},
	{name: "yaql: / between ints floors", files: one(`outputs: {o: {value: {yaql: {expression: 7 / 2, data: {}}}}}`), want: `3`},
	{name: "yaql: list() and set() unpack only lazy iterators", files: one(`
outputs: {o: {value: [{yaql: {expression: list($.data), data: [1, 2]}}, {yaql: {expression: list($.data.where(true)), data: [1, 2]}}]}}`), want: `[[[1, 2]], [1, 2]]`},
	{name: "yaql: 1000 items is the limit", files: one(`outputs: {o: {value: {yaql: {expression: range(0, 1001).select($), data: {}}}}}`), want: "error: "},
	// Environments, YAML and ordering
	{name: "environments deep-merge map parameter_defaults and replace lists", files: vfs{
		"x.yaml": hdr + `
parameters: {M: {type: json}, L: {type: comma_delimited_list}}
outputs: {o: {value: [{get_param: M}, {get_param: L}]}}`,
		"e1.yaml": "parameter_defaults: {M: {a: {x: 1}, b: 1}, L: [a, b]}",
		"e2.yaml": "parameter_defaults: {M: {a: {y: 2}}, L: [c]}"},
		envs: []string{"e1.yaml", "e2.yaml"}, want: `[{"a": {"x": 1, "y": 2}, "b": 1}, ["c"]]`},
	{name: "a later null keeps an earlier map but resets a scalar to the template default", files: vfs{
		"x.yaml": hdr + `
parameters: {M: {type: json, default: {d: 1}}, S: {type: string, default: tmpl}}
outputs: {o: {value: [{get_param: M}, {get_param: S}]}}`,
		"e1.yaml": "parameter_defaults: {M: {a: 1}, S: env}",
		"e2.yaml": "parameter_defaults: {M: null, S: null}"},
		envs: []string{"e1.yaml", "e2.yaml"}, top: true, want: `[{"a": 1}, "tmpl"]`},
	{name: "in a nested stack a null parameter_defaults entry replaces the schema default: the parameter is required", files: vfs{
		"x.yaml": hdr + `
parameters: {S: {type: string, default: tmpl}}
outputs: {o: {value: {get_param: S}}}`,
		"e1.yaml": "parameter_defaults: {S: env}",
		"e2.yaml": "parameter_defaults: {S: null}"},
		envs: []string{"e1.yaml", "e2.yaml"}, want: `error: property "S" not assigned`},
	{name: "resource_registry paths are relative to the env file; type: and get_file to the template", files: vfs{
		"x.yaml":          hdr + "resources: {s: {type: OS::My::Svc}}\noutputs: {o: {value: {get_attr: [s, out]}}}",
		"envs/env.yaml":   "resource_registry: {OS::My::Svc: ../svc/svc.yaml}",
		"svc/svc.yaml":    hdr + "resources: {b: {type: base/b.yaml}}\noutputs: {out: {value: [{get_file: files/f.txt}, {get_attr: [b, x]}]}}",
		"svc/files/f.txt": "content\n",
		"svc/base/b.yaml": hdr + "outputs: {x: {value: {get_file: ../files/f.txt}}}",
		"svc/base/unused": ""},
		envs: []string{"envs/env.yaml"}, want: `["content\n", "content\n"]`},
	{name: "YAML 1.1: yes is a bool, 0600 is 384, 1e3 a string, duplicate keys keep the last, 0.0 a float", files: one(`
outputs: {o: {value: {a: yes, b: 0600, c: 1e3, d: 1, d: 2, e: 0.0}}}`), want: `{"a": true, "b": 384, "c": "1e3", "d": 2, "e": 0.0}`},
	{name: "make_url query order follows the template (py3 / golden order, not py2 hash order)", files: one(`
outputs: {o: {value: {make_url: {scheme: mysql+pymysql, username: keystone, password: 'p@ss', host: '[fd00::5]', path: /keystone, query: {read_default_file: /etc/my.cnf.d/tripleo.cnf, read_default_group: tripleo}}}}}`),
		want: `"mysql+pymysql://keystone:p%40ss@[fd00::5]/keystone?read_default_file=/etc/my.cnf.d/tripleo.cnf&read_default_group=tripleo"`},
}

func TestEasyToGetSubtlyWrong(t *testing.T) {
	for _, tc := range traps {
		t.Run(tc.name, func(t *testing.T) {
			props := tc.props
			eval := evalVFS
			if tc.top {
				eval = evalTopVFS
			}
			out, err := eval(t, tc.files, "x.yaml", tc.envs, props)
			if want, isErr := strings.CutPrefix(tc.want, "error: "); isErr {
				if err == nil {
					v, _ := out.Map.Get("o")
					t.Fatalf("want an error containing %q, got %s", want, js(v))
				}
				if !strings.Contains(err.Error(), want) {
					t.Fatalf("want an error containing %q, got %v", want, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("want %s, got error %v", tc.want, err)
			}
			v, _ := out.Map.Get("o")
			if got := js(v); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
