package jinja

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	gonja "github.com/nikolalohinski/gonja/v2/exec"

	"hoist/internal/testenv"
	"hoist/pyyaml"
)

// pyCase is a template rendered by both hoist and Python's Jinja2.
type pyCase struct {
	Template string            `json:"template"`
	Vars     map[string]any    `json:"vars,omitempty"`
	Files    map[string]string `json:"files,omitempty"`
	// SearchPath, when set, is where includes are found (folders).
	SearchPath []string `json:"searchpath,omitempty"`
	// RawVars, when set, are the variables as JSON text (object order kept).
	RawVars json.RawMessage `json:"raw_vars,omitempty"`
}

// Data shaped like roles_data and network_data.
var (
	pyRoles = []any{
		map[string]any{"name": "Controller", "tags": []any{"primary", "controller"}, "networks": []any{"External", "InternalApi"}, "CountDefault": 1, "uses_deprecated_params": true, "deprecated_param_image": "controllerImage"},
		map[string]any{"name": "Compute", "networks": []any{"InternalApi"}, "RoleParametersDefault": map[string]any{"TunedProfileName": "virtual-host"}},
	}
	pyNetworks = []any{
		map[string]any{"name": "External", "name_lower": "external", "vip": true, "allocation_pools": []any{map[string]any{"start": "10.0.0.4", "end": "10.0.0.250"}}},
		map[string]any{"name": "InternalApi", "name_lower": "internal_api", "vip": true, "enabled": true},
		map[string]any{"name": "Tenant", "name_lower": "tenant", "vip": false, "enabled": false},
	}
	pyVars = map[string]any{"roles": pyRoles, "networks": pyNetworks, "role": pyRoles[0], "network": pyNetworks[0],
		"xs": []any{1, 2, 3}, "s": "Hello World", "f": 2.5, "big": 1e20, "small": 0.0001, "whole": 3.0,
		"weird": []any{"it's", `say "hi"`, "both ' and \"", "tab\there", "new\nline", "back\\slash", "ünï"},
		"d":     map[string]any{"b": 1, "a": 2, "c": []any{"x"}}, "t": true, "n": 0, "empty": []any{}}
)

// pyKnownDifferences are constructs where hoist (gonja) and Jinja2
// differ and that no extension point reaches; THT's templates use none of
// them. The test checks that they still differ, so that an engine upgrade
// that fixes one is noticed.
var pyKnownDifferences = []pyCase{
	{Template: "{{ none }}|{{ d.get('zz') }}"},       // None prints as "" (the engine's nil)
	{Template: "{{ 2 ** 10 }}"},                      // ** on integers gives a float
	{Template: "{{ {'k': \"it's\"} }}"},              // a dict prints without Python's quote escaping
	{Template: "{% if {} %}y{% else %}n{% endif %}"}, // an empty dict is true
	{Template: "{{ 'a' in ['a']|list and true }}"},   // in with a filter inside {{ }} (statements are fixed)
	{Template: "{{ s.endswith(['a']) }}"},            // a list literal is a tuple to the engine: no TypeError
	{Template: "{{ ('a', 'b') }}"},                   // a tuple literal prints as a list
}

// pyCases are the Jinja2 constructs THT's templates use, and their traps.
var pyCases = []pyCase{
	// printing: Python's str() of each kind
	{Template: "{{ xs }}|{{ s }}|{{ f }}|{{ big }}|{{ small }}|{{ whole }}|{{ t }}|{{ n }}|{{ empty }}"},
	{Template: "{{ weird }}"},
	{Template: "{{ role.tags }} {{ role.tags|default([]) }} {{ network.allocation_pools }}"},
	{Template: "{{ roles[1].RoleParametersDefault.TunedProfileName }} {{ role['name'] }} {{ xs[-1] + 2 }} {{ 7 // 2 }} {{ 1 + 2 * 3 }}"},
	// `in` with filters, in every statement
	{Template: "{% for r in roles %}{% for n in networks %}{% if n.name in r.networks|default([]) and n.enabled|default(true) %}{{ r.name }}:{{ n.name }},{% endif %}{% endfor %}{% endfor %}"},
	{Template: "{% for n in networks if n.name not in role.networks_skip_config|default([]) and n.enabled|default(true) %}{{ n.name }},{% endfor %}"},
	{Template: "{% for n in networks %}{% if n.name == 'Tenant' %}t{% elif n.name in role.networks|default([]) and n.vip %}in{% else %}out{% endif %},{% endfor %}"},
	{Template: "{% set b = 'External' in role.networks|default([]) and true %}{{ b }} {% set c = 'x' in d|default({}) %}{{ c }}"},
	{Template: "{% if 'primary' in role.tags and 'controller' in role.tags %}primary{% endif %} {% if 'b' in d %}has b{% endif %} {% if 'ell' in s %}sub{% endif %}"},
	// the loop-scope hacks of THT: mutate an outer list or dict in a loop
	{Template: "{%- set _networks = [] -%}{%- for n in networks -%}{%- set _networks = _networks.append(n.name) -%}{%- endfor -%}{{ _networks }} {{ 'InternalApi' in _networks }}"},
	{Template: "{%- set primary_role = [roles[1]] -%}{%- for r in roles -%}{%- if 'primary' in r.tags|default([]) -%}{%- set _ = primary_role.pop() -%}{%- set _ = primary_role.append(r) -%}{%- endif -%}{%- endfor -%}{{ primary_role[0].name }}"},
	{Template: "{%- set nets = {} -%}{%- for n in networks if n.enabled|default(true) -%}{%- set nets = nets.update({n.name_lower: n.name}) -%}{%- endfor -%}{{ nets.get('external', 'x') }} {{ nets.get('tenant', 'ctlplane') }} {{ nets|length }}"},
	{Template: "{%- set nics_used = [1] %}{% for n in networks %}{%- set _ = nics_used.append(loop.index) %}{% endfor %}{{ nics_used[-1] + 1 }} {{ nics_used }}"},
	{Template: "{% set y = 1 %}{% for x in xs %}{{ y }}{% set y = x %}{{ y }},{% endfor %}{{ y }}"},
	{Template: "{% set l = [3, 1] %}{% set _ = l.extend([5]) %}{% set _ = l.insert(0, 9) %}{% set _ = l.remove(1) %}{{ l }} {{ l.index(5) }} {{ l.count(3) }} {{ l.pop(0) }} {{ l }}"},
	{Template: "{% for k in d %}{{ k }},{% endfor %} {% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %} {{ d.keys()|list }} {{ d.get('zz', 'no') }}"},
	{Template: "{% for property in role %}{% if property.startswith('deprecated_param_') and not role[property].endswith('Hints') %}{{ role[property] }}{% endif %}{% endfor %}"},
	// loop variables
	{Template: "{% for x in xs %}{{ loop.index }}{{ loop.index0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}{{ loop.revindex }} {% endfor %}"},
	{Template: "{% for x in empty %}x{% else %}none{% endfor %}"},
	// strings and filters
	{Template: "{{ s.lower() }} {{ s.upper() }} {{ s|lower }} {{ s.startswith('He') }} {{ s.endswith('x') }} {{ s.replace('o', '0') }} {{ s ~ 1 }} {{ s|replace('l', 'L') }}"},
	{Template: "{{ role.name.lower() }}-{{ role.deprecated_nic_config_name|default(role.name.lower() ~ '.yaml') }} {{ role.CountDefault|default(0) }} {{ roles[1].CountDefault|default(0) }}"},
	{Template: "{{ xs|join(',') }} {{ xs|length }} {{ xs|first }} {{ xs|last }} {{ s|length }} {{ 'a,b'.split(',') }}"},
	{Template: "{{ role.missing is defined }} {{ role.name is defined }} {{ role.missing is not defined }} {{ role.missing|default('d') }} {{ 'yes' if t else 'no' }}"},
	// whitespace control, raw blocks, comments, the trailing newline
	{Template: "a:\n{%- for x in xs %}\n  - {{ x }}\n{%- endfor %}\nb: 1\n"},
	{Template: "x:\n  {%- if t -%}\n  y\n  {%- endif %}\nz {# comment #}\n{#- gone #}\nw\n\n"},
	{Template: "{% raw %}{{ ansible_var }} {% if x %}{% endraw %} {{ s }}\n{%- raw %}\n  {{- kept -}} {% endraw %}"},
	{Template: "x:\n  {% raw -%}\n  {{ a }}\n{% endraw %}\n"},
	{Template: "{% raw %}a {%- endraw %}|{% raw %}{% endraw %}|"},
	{Template: "line\n"},
	// includes see the context
	{Template: "{% for n in networks %}{% include 'frag.j2' %}\n{% endfor %}", Files: map[string]string{"frag.j2": "net {{ n.name }} of {{ roles|length }}"}},
	// errors are errors on both sides
	{Template: "{{ empty.pop() }}"},
}

// pythonRender renders cases with Python's Jinja2 (testdata/jinja2_render.py).
func pythonRender(t *testing.T, cases []pyCase) []pyResult {
	t.Helper()
	testenv.PythonModules(t, "jinja2")
	in, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(testenv.Python, filepath.Join("testdata", "jinja2_render.py"))
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	outText, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v: %s", err, stderr.String())
	}
	var out []pyResult
	if err := json.Unmarshal(outText, &out); err != nil {
		t.Fatal(err)
	}
	if len(out) != len(cases) {
		t.Fatalf("%d results for %d cases", len(out), len(cases))
	}
	return out
}

type pyResult struct {
	Out   *string `json:"out"`
	Error string  `json:"error"`
}

// hoistRender renders a case with hoist's engine.
func hoistRender(t *testing.T, c pyCase) ([]byte, error) {
	vars := jsonVars(t, c.Vars)
	fsys := fstest.MapFS{"t.j2.yaml": &fstest.MapFile{Data: []byte(c.Template)}}
	for name, text := range c.Files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	got, _, _, _, _, err := execute(fsys, "t.j2.yaml", vars)
	return got, err
}

func withVars(cases []pyCase) []pyCase {
	out := append([]pyCase(nil), cases...)
	for i := range out {
		if out[i].Vars == nil {
			out[i].Vars = pyVars
		}
	}
	return out
}

func TestAgainstPythonJinja2(t *testing.T) {
	cases := withVars(pyCases)
	want := pythonRender(t, cases)
	for i, c := range cases {
		got, err := hoistRender(t, c)
		w := want[i]
		switch {
		case w.Out == nil && err == nil:
			t.Errorf("case %d %q: Jinja2 fails (%s), hoist renders %q", i, c.Template, w.Error, got)
		case w.Out != nil && err != nil:
			t.Errorf("case %d %q: hoist fails (%v), Jinja2 renders %q", i, c.Template, err, *w.Out)
		case w.Out != nil && string(got) != *w.Out:
			t.Errorf("case %d %q:\nhoist:  %q\nJinja2: %q", i, c.Template, got, *w.Out)
		}
	}
}

// TestCorpusTextAgainstPythonJinja2 renders every output of the THT corpus
// that hoist can render with Python's Jinja2 too, from the same template
// and variables, and requires the same text, byte for byte.
func TestCorpusTextAgainstPythonJinja2(t *testing.T) {
	for _, release := range []string{"queens", "rocky", "stein", "train"} {
		t.Run(release, func(t *testing.T) {
			corpus := testenv.Tree(t, release)
			roles, err := pyyaml.LoadFile(filepath.Join(corpus, "roles_data.yaml"), pyyaml.DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			nets, err := pyyaml.LoadFile(filepath.Join(corpus, "network_data.yaml"), pyyaml.DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			r, err := New(os.DirFS(corpus), roles.Root, nets.Root, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var cases []pyCase
			var files []*File
			for _, j := range r.Jobs() {
				f, err := r.Render(j.Path)
				if err != nil {
					t.Errorf("render %s: %v", j.Path, err)
					continue
				}
				src, err := os.ReadFile(filepath.Join(corpus, j.Template))
				if err != nil {
					t.Fatal(err)
				}
				vars, err := json.Marshal(jsonOf(r.data(&j)))
				if err != nil {
					t.Fatal(err)
				}
				cases = append(cases, pyCase{Template: string(src), RawVars: vars,
					SearchPath: []string{filepath.Join(corpus, filepath.Dir(j.Template)), corpus}})
				files = append(files, f)
			}
			want := pythonRender(t, cases)
			same := 0
			for i, f := range files {
				switch w := want[i]; {
				case w.Out == nil:
					t.Errorf("%s: Jinja2 fails: %s", f.Path, w.Error)
				case string(f.Data) != *w.Out:
					t.Errorf("%s: text differs from Jinja2's at %s", f.Path, firstLineDiff(string(f.Data), *w.Out))
				default:
					same++
				}
			}
			t.Logf("%s: %d/%d outputs byte-identical to Jinja2's", release, same, len(files))
		})
	}
}

// firstLineDiff names the first line where two texts differ.
func firstLineDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(la) && i < len(lb); i++ {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d: %q vs %q", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("end: %d lines vs %d", len(la), len(lb))
}

// jsonOf turns template variables back into JSON-able values, mappings as
// ordered JSON objects.
func jsonOf(x any) any {
	switch v := plain(x).(type) {
	case map[string]any:
		out := orderedJSON{}
		for _, k := range slices.Sorted(maps.Keys(v)) {
			out = append(out, [2]any{k, jsonOf(v[k])})
		}
		return out
	case *pyList:
		out := make([]any, len(*v))
		for i, item := range *v {
			out[i] = jsonOf(item)
		}
		return out
	case *gonja.Dict:
		out := orderedJSON{}
		for _, p := range v.Pairs {
			out = append(out, [2]any{plain(p.Key), jsonOf(p.Value)})
		}
		return out
	}
	return plain(x)
}

// orderedJSON is a JSON object that keeps its key order.
type orderedJSON [][2]any

func (o orderedJSON) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, kv := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(fmt.Sprint(kv[0]))
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(kv[1])
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func TestKnownDifferencesFromPythonJinja2(t *testing.T) {
	cases := withVars(pyKnownDifferences)
	want := pythonRender(t, cases)
	for i, c := range cases {
		got, err := hoistRender(t, c)
		if w := want[i]; w.Out != nil && err == nil && string(got) == *w.Out {
			t.Errorf("case %q now renders as Jinja2 does (%q): move it to pyCases and update the package documentation", c.Template, got)
		}
	}
}

// jsonVars turns test variables into what templates see, through the YAML
// loader as roles_data would come.
func jsonVars(t *testing.T, vars map[string]any) map[string]any {
	t.Helper()
	out := map[string]any{}
	for k, v := range vars {
		text, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := pyyaml.Load(k, text, pyyaml.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		out[k] = toJinja(doc.Root)
	}
	return out
}
