package pyyaml

import "gopkg.in/yaml.v3"

// node is a parsed YAML node: the part of yaml.v3's yaml.Node that the
// converter reads (kind, style, value, explicit tag, anchor, alias,
// position, children), in 96 bytes instead of 152 and without the
// comments. fastParse builds these directly; a tree yaml.v3 parsed is
// copied into them (fromV3).
type node struct {
	Kind         yaml.Kind
	Style        yaml.Style
	Line, Column int32
	Value        string
	// Tag is set only for a node whose tag is written in the source
	// (Style has yaml.TaggedStyle).
	Tag     string
	Anchor  string
	Alias   *node
	Content []*node
}

// fromV3 copies a yaml.v3 tree; aliases point at the copies of their
// anchored nodes.
func fromV3(n *yaml.Node) *node {
	seen := map[*yaml.Node]*node{}
	var walk func(n *yaml.Node) *node
	walk = func(n *yaml.Node) *node {
		if c, ok := seen[n]; ok {
			return c
		}
		c := &node{Kind: n.Kind, Style: n.Style, Line: int32(n.Line), Column: int32(n.Column), Value: n.Value, Anchor: n.Anchor}
		if n.Style&yaml.TaggedStyle != 0 {
			c.Tag = n.Tag
		}
		seen[n] = c
		if n.Alias != nil {
			c.Alias = walk(n.Alias)
		}
		if len(n.Content) > 0 {
			c.Content = make([]*node, len(n.Content))
			for i, ch := range n.Content {
				c.Content[i] = walk(ch)
			}
		}
		return c
	}
	return walk(n)
}
