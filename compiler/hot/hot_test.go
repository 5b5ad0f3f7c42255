package hot

import (
	"errors"
	"strings"
	"testing"

	"hoist/diag"
	"hoist/pyyaml"
	"hoist/source"
	"hoist/value"
)

// noHost is a Host for templates without resources or files.
type noHost struct{}

func (noHost) GetAttr(r *Resource, attr *value.Value, path []*value.Value, call source.Range) (*value.Value, error) {
	return value.NewUnknown("attribute of "+r.Name, call), nil
}
func (noHost) GetResource(r *Resource, call source.Range) (*value.Value, error) {
	return value.NewUnknown("id of "+r.Name, call), nil
}
func (noHost) GetFile(p string, literal bool, call source.Range) (*value.Value, error) {
	return nil, errors.New("no files")
}
func (noHost) ResourceFacade(what string, call source.Range) (*value.Value, error) {
	return value.NewNull(call), nil
}

func scope(t *testing.T, src string) (*Scope, error) {
	t.Helper()
	doc, err := pyyaml.Load("t.yaml", []byte(src), pyyaml.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	tm, err := Parse("t.yaml", doc.Root)
	if err != nil {
		return nil, err
	}
	return NewScope(tm, ScopeOptions{Host: noHost{}})
}

func out(t *testing.T, src string) string {
	t.Helper()
	s, err := scope(t, src)
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.Output("o")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	_ = value.WriteJSON(&b, v, value.JSONOptions{SortKeys: true})
	return b.String()
}

func TestVersions(t *testing.T) {
	for _, k := range []string{"2013-05-23", "2014-10-16", "2015-04-30", "2015-10-15", "2016-04-08", "2016-10-14", "newton",
		"2017-02-24", "ocata", "2017-09-01", "pike", "2018-03-02", "queens", "2018-08-31", "rocky"} {
		if _, ok := LookupVersion(k); !ok {
			t.Errorf("version %s is missing", k)
		}
	}
	if _, ok := LookupVersion("2021-04-16"); ok {
		t.Error("versions after rocky are not accepted")
	}
	q, _ := LookupVersion("queens")
	if q.Functions["list_concat"] != fnListConcat || q.Functions["Fn::Select"] != fnRemoved || q.CondFunctions["get_attr"] != fnInvalid || q.CondFunctions["yaql"] != fnYaql {
		t.Error("queens table is wrong")
	}
	n, _ := LookupVersion("newton")
	if _, ok := n.Functions["list_concat"]; ok || n.CondFunctions["yaql"] != fnInvalid {
		t.Error("newton table is wrong")
	}
}

func TestUnknownsPropagate(t *testing.T) {
	got := out(t, `heat_template_version: queens
resources: {k: {type: OS::Nova::KeyPair}}
outputs:
  o:
    value:
      joined: {list_join: [",", [a, {get_attr: [k, public_key]}]]}
      replaced: {str_replace: {template: "x=X", params: {X: {get_attr: [k, public_key]}}}}
      kept: [{get_attr: [k, public_key]}]
      merged: {map_merge: [{a: {get_attr: [k, public_key]}}]}`)
	want := `{"joined": {"<unknown>": "attribute of k"}, "kept": [{"<unknown>": "attribute of k"}], "merged": {"a": {"<unknown>": "attribute of k"}}, "replaced": {"<unknown>": "attribute of k"}}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestResultRanges(t *testing.T) {
	s, err := scope(t, `heat_template_version: queens
parameters:
  P: {type: string, default: written-here}
outputs:
  o:
    value: [{get_param: P}, {list_join: [",", [a]]}]`)
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.Output("o")
	if err != nil {
		t.Fatal(err)
	}
	if got := v.List[0].Range.String(); got != "t.yaml:3:30" {
		t.Errorf("a get_param result is where the value is written: %s", got)
	}
	if got := v.List[1].Range.String(); got != "t.yaml:6:29" {
		t.Errorf("a computed value is at its call: %s", got)
	}
}

func TestParseJSON(t *testing.T) {
	for in, want := range map[string]string{
		`{"b": 1, "a": [1.0, 2, -0.5e3, true, null], "b": 3}`: `{"b": 3, "a": [1.0, 2, -500.0, true, null]}`, // a repeated key keeps its place, takes the last value
		`"\u00e9\ud83d\ude00\n"`:                              `"\u00e9\ud83d\ude00\n"`,
		` 123456789012345678901234567890 `:                    `123456789012345678901234567890`,
		`[NaN, Infinity, -Infinity]`:                          `[NaN, Infinity, -Infinity]`,
	} {
		v, err := ParseJSON(in, source.Range{})
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		var b strings.Builder
		_ = value.WriteJSON(&b, v, value.JSONOptions{})
		if got := b.String(); got != want {
			t.Errorf("%s → %s", in, got)
		}
	}
	for _, bad := range []string{`{`, `[1,]`, `{"a" 1}`, `"\x"`, "\"a\tb\"", `01`, `1 2`, `tru`} {
		if _, err := ParseJSON(bad, source.Range{}); err == nil {
			t.Errorf("%q must not parse", bad)
		}
	}
}

func TestTemplateErrors(t *testing.T) {
	for src, want := range map[string]string{
		"a: 1": "template version was not provided",
		"heat_template_version: 2018-03-02\nbad: 1":                                                        `unknown template section "bad"`,
		"heat_template_version: newton\nparameters: {P: {type: string, tags: [a]}}":                        `invalid key "tags"`,
		"heat_template_version: queens\nparameters: {P: {type: list}}":                                     "invalid type",
		"heat_template_version: queens\nresources: {r: {type: OS::Heat::None, foo: 1}}":                    `invalid keyword "foo"`,
		"heat_template_version: queens\noutputs: {o: {description: x}}":                                    "must contain a value",
		"heat_template_version: queens\nparameters: {P: {type: string, constraints: [{range: {min: 1}}]}}": "range constraint invalid for string",
		"heat_template_version: 2016-04-08\nconditions: {}":                                                `unknown template section "conditions"`,
	} {
		doc, err := pyyaml.Load("t.yaml", []byte(src), pyyaml.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Parse("t.yaml", doc.Root)
		var d *diag.Diagnostic
		if !errors.As(err, &d) || !strings.Contains(d.Message, want) {
			t.Errorf("%q: want %q, got %v", src, want, err)
		}
	}
}

func TestQueensUnique(t *testing.T) {
	mk := func(xs ...int64) []*value.Value {
		var out []*value.Value
		for _, x := range xs {
			out = append(out, value.NewInt(x, source.Range{}))
		}
		return out
	}
	for _, tc := range []struct{ in, want []int64 }{
		{[]int64{1, 2, 1, 3}, []int64{2, 1, 3}},
		{[]int64{0, 1, 0, 2, 1, 2}, []int64{1, 0, 1, 2}},
		{[]int64{1, 1, 1}, []int64{1}},
		{nil, nil},
	} {
		got := queensUnique(mk(tc.in...))
		if value.Dumps(value.NewList(got, source.Range{})) != value.Dumps(value.NewList(mk(tc.want...), source.Range{})) {
			t.Errorf("%v → %s, want %v", tc.in, value.Dumps(value.NewList(got, source.Range{})), tc.want)
		}
	}
}
