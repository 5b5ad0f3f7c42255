package provenance

import (
	"strings"
	"testing"

	"hoist/pyyaml"
	"hoist/source"
	"hoist/value"
)

func load(t *testing.T, text string) *value.Value {
	t.Helper()
	doc, err := pyyaml.Load("f.yaml", []byte(text), pyyaml.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	return doc.Root
}

func TestFind(t *testing.T) {
	root := load(t, `
tripleo.memcached.firewall_rules: {"121 memcached": {dport: 11211}}
tripleo: {memcached: 1}
"nova::cell": [a, {b: c}]
nova_api: {volumes: [x, y]}
`)
	for _, c := range []struct{ path, want, value string }{
		{"tripleo.memcached.firewall_rules", `["tripleo.memcached.firewall_rules"]`, `{"121 memcached": {"dport": 11211}}`},
		{`tripleo.memcached.firewall_rules["121 memcached"].dport`, `["tripleo.memcached.firewall_rules"]["121 memcached"].dport`, "11211"},
		{"tripleo.memcached", "tripleo.memcached", "1"},
		{"nova::cell[1].b", `["nova::cell"][1].b`, `"c"`},
		{"nova_api.volumes[1]", "nova_api.volumes[1]", `"y"`},
		{"", "", ""},
	} {
		p, values, err := Find(root, c.path)
		if err != nil {
			t.Errorf("%s: %v", c.path, err)
			continue
		}
		if p.String() != c.want || len(values) != len(p)+1 {
			t.Errorf("%s: path %s, %d values", c.path, p, len(values))
		}
		if c.value != "" && value.Dumps(values[len(values)-1]) != c.value {
			t.Errorf("%s: %s", c.path, value.Dumps(values[len(values)-1]))
		}
	}
	for _, c := range []struct{ path, want string }{
		{"nova_api.image", `nova_api has no key "image"; its keys: "volumes"`},
		{"nova_api.volumes[2]", "nova_api.volumes is not a list with an item 2 (it is a list of 2 items)"},
		{"tripleo.memcached.x", `tripleo.memcached has no key "x": it is the int 1`},
		{`["unterminated`, "unterminated"},
	} {
		if _, _, err := Find(root, c.path); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.path, err, c.want)
		}
	}
}

// TestOf: the literal first, then the value's own steps, then those of
// the maps around it for the key that leads to it; a merge's
// contributors of other keys are left out.
func TestOf(t *testing.T) {
	r := func(line int) source.Range {
		return source.Range{File: "t.yaml", Start: source.Pos{Line: int32(line), Col: 1}}
	}
	leaf := value.NewString("img", r(1)).WithOrigin(value.Origin{Kind: "get_param", At: r(2), Decl: r(3), Set: r(1), Note: "parameter P"})
	m := value.NewMapping(2)
	m.SetString("image", leaf)
	m.SetString("user", value.NewString("root", r(9)))
	c := value.NewMap(m, r(4))
	c.Origin = &value.Origin{Kind: "mergeWith", At: r(5), Parts: []value.Part{
		{Key: "image", At: r(6), Note: "discarded: a later one"},
		{Key: "image", At: r(1), Note: "service a"},
		{Key: "user", At: r(9), Note: "service b"},
	}}
	tr, err := Of(c, "image")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range tr.Steps {
		got = append(got, s.Kind+"@"+s.At.String()+"/"+s.Key)
	}
	want := "literal@t.yaml:1:1/ get_param@t.yaml:2:1/ mergeWith@t.yaml:5:1/ part@t.yaml:6:1/image part@t.yaml:1:1/image"
	if strings.Join(got, " ") != want {
		t.Errorf("steps %s\nwant  %s", strings.Join(got, " "), want)
	}
}
