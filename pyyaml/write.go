package pyyaml

import (
	"io"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"hoist/value"
)

// Write writes v as one YAML document with sorted keys and a two-space
// indent, the way hoist eval --format yaml prints values: strings that
// YAML 1.1 (the PyYAML that TripleO's tools use) would read as something
// else are quoted, and an unknown value is written as its
// {"<unknown>": reason} mapping.
func Write(w io.Writer, v *value.Value) error {
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(yamlNode(v)); err != nil {
		return err
	}
	return enc.Close()
}

func yamlNode(v *value.Value) *yaml.Node {
	switch value.KindOf(v) {
	case value.Null:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	case value.Bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: map[bool]string{true: "true", false: "false"}[v.Bool]}
	case value.Int:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: value.Str(v)}
	case value.Float:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: value.PyFloatRepr(v.Float)}
	case value.String:
		n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v.Str}
		if yaml11Ambiguous(v.Str) {
			n.Style = yaml.DoubleQuotedStyle
		}
		return n
	case value.List:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, it := range v.List {
			n.Content = append(n.Content, yamlNode(it))
		}
		return n
	case value.Map:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		ents := append([]value.Entry(nil), v.Map.Entries()...)
		sort.SliceStable(ents, func(i, j int) bool { return value.JSONKey(ents[i].Key) < value.JSONKey(ents[j].Key) })
		for _, e := range ents {
			n.Content = append(n.Content, yamlNode(value.NewString(value.JSONKey(e.Key), e.Key.Range)), yamlNode(e.Val))
		}
		return n
	case value.Unknown:
		m := value.NewMapping(1)
		m.Set(value.NewString(value.UnknownKey, v.Range), value.NewString(v.Str, v.Range))
		return yamlNode(value.NewMap(m, v.Range))
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
}

var yaml11Words = map[string]bool{
	"y": true, "yes": true, "n": true, "no": true, "true": true, "false": true,
	"on": true, "off": true, "null": true, "~": true,
}

// yaml11Ambiguous reports whether a plain scalar with this text could read
// back as something other than a string under YAML 1.1.
func yaml11Ambiguous(s string) bool {
	if s == "" || yaml11Words[strings.ToLower(s)] {
		return true
	}
	return strings.ContainsAny(s[:1], "0123456789+-.:<=")
}
