// Package pyyaml loads YAML exactly as Heat's template loader did: PyYAML's
// SafeLoader (YAML 1.1) with timestamps kept as strings.
//
// gopkg.in/yaml.v3 parses the text into nodes, which carry positions; this
// package resolves the scalars itself with PyYAML's rules (yes/no/on/off are
// booleans, 0600 is octal, 1:30 is 90, 1e3 is a string, dates stay strings),
// applies << merge keys, expands aliases into independent copies that
// remember their alias site, and keeps the last of duplicate keys while
// recording both positions. Hostile input (alias bombs, deep nesting, huge
// files, binary data) is refused with an error naming the limit.
//
// Write is the way back: a value as YAML that PyYAML reads as that value
// (strings it would resolve otherwise are quoted).
package pyyaml

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"hoist/diag"
	"hoist/source"
	"hoist/value"
)

// Rule ids of the loader's diagnostics.
const (
	RuleSyntax       = "yaml/syntax"
	RuleLimit        = "yaml/limit"
	RuleDuplicateKey = "yaml/duplicate-key"
)

// Duplicate is a key written twice in one mapping. As PyYAML does, the
// later value wins and the earlier one is discarded.
type Duplicate struct {
	Key string
	// Path is the path of the mapping that holds the key twice.
	Path value.Path
	// First is the key whose value was discarded; Second the one kept.
	First, Second source.Range
}

// Anchor is a YAML anchor with the aliases that use it.
type Anchor struct {
	Name  string
	Range source.Range
	Uses  []source.Range
}

// Document is one loaded YAML file.
type Document struct {
	File string
	// Root is the loaded value; an empty document is a null.
	Root       *value.Value
	Duplicates []Duplicate
	// Anchors lists the anchors in the order they are defined.
	Anchors []*Anchor
}

// LoadFile reads and loads a file, refusing it before reading when it is
// larger than the limit.
func LoadFile(path string, lim Limits) (*Document, error) {
	lim = lim.withDefaults()
	f, err := os.Open(path)
	if err != nil {
		return nil, fileError(path, err)
	}
	defer f.Close()
	size := regularSize(f)
	if size > lim.MaxFileSize {
		return nil, sizeError(path, size, lim, true)
	}
	src, err := readLimited(path, f, lim, size)
	if err != nil {
		return nil, err
	}
	return Load(path, src, lim)
}

// ReadLimited reads r up to the file size limit; a longer input is an error.
func ReadLimited(name string, r io.Reader, lim Limits) ([]byte, error) {
	size := int64(-1)
	if f, ok := r.(*os.File); ok {
		size = regularSize(f)
	}
	return readLimited(name, r, lim.withDefaults(), size)
}

// regularSize is the size of f when it is a regular file, -1 otherwise.
func regularSize(f *os.File) int64 {
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		return st.Size()
	}
	return -1
}

// readLimited is ReadLimited with the input's size when known (-1
// otherwise): a regular file is read into a buffer of its size (and one
// byte, to see the end without growing), as os.ReadFile does; io.ReadAll
// would grow one from 512 bytes, copying it each time.
func readLimited(name string, r io.Reader, lim Limits, size int64) ([]byte, error) {
	capacity := 512
	if size >= 0 && size < lim.MaxFileSize {
		capacity = int(size) + 1
	}
	src := make([]byte, 0, capacity)
	lr := io.LimitReader(r, lim.MaxFileSize+1)
	for {
		if len(src) == cap(src) {
			src = append(src, 0)[:len(src)]
		}
		n, err := lr.Read(src[len(src):cap(src)])
		src = src[:len(src)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fileError(name, err)
		}
	}
	if int64(len(src)) > lim.MaxFileSize {
		return nil, sizeError(name, int64(len(src)), lim, false)
	}
	return src, nil
}

func fileError(name string, err error) *diag.Diagnostic {
	msg := err.Error()
	var pe *os.PathError
	if errors.As(err, &pe) {
		msg = pe.Err.Error()
	}
	return &diag.Diagnostic{Severity: diag.Error, Rule: RuleSyntax, Range: source.Range{File: name},
		Message: "cannot read file: " + msg}
}

// sizeError reports a file over the size limit; exact tells whether size
// is the file's size or only what was read before stopping.
func sizeError(name string, size int64, lim Limits, exact bool) *diag.Diagnostic {
	at := "is"
	if !exact {
		at = "is more than"
		size = lim.MaxFileSize
	}
	return &diag.Diagnostic{Severity: diag.Error, Rule: RuleLimit, Range: source.Range{File: name, Start: source.Pos{Line: 1, Col: 1}},
		Message: fmt.Sprintf("file %s %s, over the limit of %s on YAML file size (max-file-size)", at, humanBytes(size), humanBytes(lim.MaxFileSize))}
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Load parses src, named file in positions, into a Document. Errors are
// *diag.Diagnostic values with the file, line and column.
func Load(file string, src []byte, lim Limits) (doc *Document, err error) {
	lim = lim.withDefaults()
	if int64(len(src)) > lim.MaxFileSize {
		return nil, sizeError(file, int64(len(src)), lim, true)
	}
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	if d := checkText(file, src); d != nil {
		return nil, d
	}
	root, err := parse(file, src)
	if err != nil {
		return nil, err
	}
	c := &converter{file: file, src: src, lim: lim, cur: lineCursor{line: -1}, done: map[*node]*value.Value{},
		busy: map[*node]bool{}, anchors: map[*node]*Anchor{}}
	doc = &Document{File: file}
	defer func() {
		if r := recover(); r != nil {
			d, ok := r.(*diag.Diagnostic)
			if !ok {
				panic(r)
			}
			doc, err = nil, d
		}
	}()
	if root == nil || len(root.Content) == 0 {
		doc.Root = value.NewNull(source.Range{File: file, Start: source.Pos{Line: 1, Col: 1}})
	} else {
		doc.Root = c.convert(root.Content[0], 0)
	}
	doc.Duplicates = c.dups
	doc.Anchors = c.anchorList
	return doc, nil
}

// parse returns the nodes of src: fastParse's for the YAML it knows,
// yaml.v3's for the rest.
func parse(file string, src []byte) (root *node, err error) {
	if n, ok := fastParse(src); ok {
		return n, nil
	}
	return parseV3(file, src)
}

// parseV3 runs yaml.v3 and refuses streams of more than one document, as
// PyYAML's single-document load does. A syntax error is located with
// syntaxError, since yaml.v3 reports no column.
func parseV3(file string, src []byte) (root *node, err error) {
	defer func() {
		if r := recover(); r != nil {
			root, err = nil, syntaxError(file, src, fmt.Errorf("%v", r))
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var n yaml.Node
	if err := dec.Decode(&n); err != nil {
		if err == io.EOF {
			return nil, nil
		}
		return nil, syntaxError(file, src, err)
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == io.EOF:
	case err != nil:
		return nil, syntaxError(file, src, err)
	default:
		return nil, &diag.Diagnostic{Severity: diag.Error, Rule: RuleSyntax,
			Range:   source.Range{File: file, Start: source.Pos{Line: int32(next.Line), Col: int32(next.Column)}},
			Message: "expected a single document in the stream, but found another document"}
	}
	return fromV3(&n), nil
}

// converter turns yaml.v3 nodes into values.
type converter struct {
	file  string
	src   []byte
	lines []int // byte offset of each line start
	// cur is where scalarWidth last found a column.
	cur lineCursor
	lim Limits

	done       map[*node]*value.Value // anchored nodes already converted
	busy       map[*node]bool         // anchored nodes being converted
	anchors    map[*node]*Anchor
	anchorList []*Anchor
	copied     int // nodes created by alias expansion
	dups       []Duplicate
	path       value.Path
	// flow counts the flow collections ({...}, [...]) around the node
	// being converted.
	flow int
}

// lineCursor is a byte offset in the source and the line (0-based) and
// column (1-based, in characters) it is at.
type lineCursor struct{ line, col, off int }

func (c *converter) fail(n *node, rule, format string, args ...any) {
	panic(&diag.Diagnostic{Severity: diag.Error, Rule: rule, Range: c.rangeOf(n), Message: fmt.Sprintf(format, args...)})
}

func (c *converter) convert(n *node, depth int) *value.Value {
	if depth > c.lim.MaxDepth {
		c.fail(n, RuleLimit, "nesting is deeper than the limit of %d levels (max-depth)", c.lim.MaxDepth)
	}
	if n.Kind == yaml.AliasNode {
		return c.alias(n)
	}
	if n.Anchor != "" {
		a := &Anchor{Name: n.Anchor, Range: c.rangeOf(n)}
		c.anchors[n] = a
		c.anchorList = append(c.anchorList, a)
		c.busy[n] = true
	}
	var v *value.Value
	if (n.Kind == yaml.SequenceNode || n.Kind == yaml.MappingNode) && n.Style&yaml.FlowStyle != 0 {
		c.flow++
		defer func() { c.flow-- }()
	}
	switch n.Kind {
	case yaml.ScalarNode:
		v = c.scalar(n)
	case yaml.SequenceNode:
		v = c.sequence(n, depth)
	case yaml.MappingNode:
		v = c.mapping(n, depth)
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			v = value.NewNull(c.rangeOf(n))
		} else {
			v = c.convert(n.Content[0], depth)
		}
	default:
		c.fail(n, RuleSyntax, "unexpected YAML node kind %d", n.Kind)
	}
	if n.Anchor != "" {
		delete(c.busy, n)
		c.done[n] = v
	}
	return v
}

func (c *converter) alias(n *node) *value.Value {
	target := n.Alias
	if target == nil {
		c.fail(n, RuleSyntax, "found undefined alias %q", n.Value)
	}
	if c.busy[target] {
		c.fail(n, RuleSyntax, "alias *%s refers to a node that contains the alias itself", n.Value)
	}
	v, ok := c.done[target]
	if !ok {
		c.fail(n, RuleSyntax, "found undefined alias %q", n.Value)
	}
	site := c.rangeOf(n)
	if a := c.anchors[target]; a != nil {
		a.Uses = append(a.Uses, site)
	}
	return c.copyVia(v, &value.Via{Alias: site}, n)
}

// copyVia deep-copies v for an alias site, counting the nodes it creates
// against the alias expansion limit.
func (c *converter) copyVia(v *value.Value, via *value.Via, at *node) *value.Value {
	c.copied++
	if c.copied > c.lim.MaxAliasNodes {
		c.fail(at, RuleLimit, "aliases expand to more than %d nodes (max-alias-nodes); is this an alias bomb?", c.lim.MaxAliasNodes)
	}
	out := *v
	out.Via = chainVia(via, v.Via)
	switch v.Kind {
	case value.List:
		out.List = make([]*value.Value, len(v.List))
		for i, it := range v.List {
			out.List[i] = c.copyVia(it, via, at)
		}
	case value.Map:
		m := value.NewMapping(v.Map.Len())
		for _, e := range v.Map.Entries() {
			m.Set(c.copyVia(e.Key, via, at), c.copyVia(e.Val, via, at))
		}
		out.Map = m
	}
	return &out
}

// chainVia puts the new alias site outermost: the value's own alias sites
// (from aliases inside the anchored node) come first.
func chainVia(outer, inner *value.Via) *value.Via {
	if inner == nil {
		return outer
	}
	return &value.Via{Alias: inner.Alias, Next: chainVia(outer, inner.Next)}
}

func (c *converter) sequence(n *node, depth int) *value.Value {
	tag := n.Tag
	switch tag {
	case "", "!!seq":
	case "!!omap", "!!pairs":
		return c.pairs(n, depth, tag)
	default:
		c.badTag(n, tag)
	}
	items := make([]*value.Value, len(n.Content))
	for i, ch := range n.Content {
		c.path = append(c.path, value.PathElem{Index: i, IsIndex: true})
		items[i] = c.convert(ch, depth+1)
		c.path = c.path[:len(c.path)-1]
	}
	v := value.NewList(items, c.rangeOf(n))
	if len(items) > 0 {
		v.Range.End = items[len(items)-1].Range.End
	}
	return v
}

// pairs builds !!omap and !!pairs: a list of [key, value] lists, which is
// how their Python tuples reach JSON.
func (c *converter) pairs(n *node, depth int, tag string) *value.Value {
	items := make([]*value.Value, 0, len(n.Content))
	for _, ch := range n.Content {
		if ch.Kind != yaml.MappingNode || len(ch.Content) != 2 {
			c.fail(ch, RuleSyntax, "while constructing an ordered map (%s): expected a mapping of length 1", tag)
		}
		k := c.convert(ch.Content[0], depth+2)
		v := c.convert(ch.Content[1], depth+2)
		items = append(items, value.NewList([]*value.Value{k, v}, c.rangeOf(ch)))
	}
	return value.NewList(items, c.rangeOf(n))
}

type mapItem struct {
	key, val *node
	merged   bool
}

// flatten applies << merge keys the way PyYAML's flatten_mapping does:
// merged entries come first, then the mapping's own entries, and of a list
// of mappings to merge the first one wins.
func (c *converter) flatten(n *node, depth int) []mapItem {
	var merge []mapItem
	own := make([]mapItem, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !isMergeKey(k) {
			own = append(own, mapItem{key: k, val: v})
			continue
		}
		if depth > c.lim.MaxDepth {
			c.fail(n, RuleLimit, "nesting is deeper than the limit of %d levels (max-depth)", c.lim.MaxDepth)
		}
		src := v
		if src.Kind == yaml.AliasNode {
			src = c.resolveAliasNode(v)
		}
		switch src.Kind {
		case yaml.MappingNode:
			merge = append(merge, c.flattenMerged(src, depth+1)...)
		case yaml.SequenceNode:
			var sub [][]mapItem
			for _, s := range src.Content {
				if s.Kind == yaml.AliasNode {
					s = c.resolveAliasNode(s)
				}
				if s.Kind != yaml.MappingNode {
					c.fail(s, RuleSyntax, "while constructing a mapping: expected a mapping for merging, but found %s", nodeKindName(s))
				}
				sub = append(sub, c.flattenMerged(s, depth+1))
			}
			for i := len(sub) - 1; i >= 0; i-- {
				merge = append(merge, sub[i]...)
			}
		default:
			c.fail(v, RuleSyntax, "while constructing a mapping: expected a mapping or list of mappings for merging, but found %s", nodeKindName(src))
		}
	}
	return append(merge, own...)
}

func (c *converter) flattenMerged(n *node, depth int) []mapItem {
	items := c.flatten(n, depth)
	for i := range items {
		items[i].merged = true
	}
	return items
}

// resolveAliasNode follows an alias used as a merge source, counting it as
// a use of the anchor.
func (c *converter) resolveAliasNode(n *node) *node {
	if n.Alias == nil {
		c.fail(n, RuleSyntax, "found undefined alias %q", n.Value)
	}
	if c.busy[n.Alias] {
		c.fail(n, RuleSyntax, "alias *%s refers to a node that contains the alias itself", n.Value)
	}
	if a := c.anchors[n.Alias]; a != nil {
		a.Uses = append(a.Uses, c.rangeOf(n))
	}
	c.copied += len(n.Alias.Content)
	if c.copied > c.lim.MaxAliasNodes {
		c.fail(n, RuleLimit, "aliases expand to more than %d nodes (max-alias-nodes); is this an alias bomb?", c.lim.MaxAliasNodes)
	}
	return n.Alias
}

func isMergeKey(k *node) bool {
	if k.Kind != yaml.ScalarNode || k.Value != "<<" {
		return false
	}
	if t := k.Tag; t != "" {
		return t == "!!merge"
	}
	return isPlain(k)
}

func (c *converter) mapping(n *node, depth int) *value.Value {
	switch tag := n.Tag; tag {
	case "", "!!map":
	case "!!set":
	default:
		c.badTag(n, tag)
	}
	items := c.flatten(n, depth)
	m := value.NewMapping(len(items))
	// Duplicates are rare: the bookkeeping below allocates only in
	// mappings that have merge keys or a repeated key.
	var own, last map[string]source.Range
	for _, it := range items {
		var k *value.Value
		if it.key.Kind == yaml.ScalarNode && isPlain(it.key) && it.key.Value == "=" && it.key.Tag == "" {
			// PyYAML turns a "=" key into a string.
			k = value.NewString("=", c.rangeOf(it.key))
		} else {
			k = c.convert(it.key, depth+1)
		}
		if !value.Hashable(k) {
			c.fail(it.key, RuleSyntax, "while constructing a mapping: found unhashable key (a %s)", k.Kind)
		}
		c.path = append(c.path, value.PathElem{Key: it.key.Value})
		v := c.convert(it.val, depth+1)
		c.path = c.path[:len(c.path)-1]
		old, replaced := m.Set(k, v)
		switch {
		case it.merged:
		case !replaced:
			if own != nil {
				own[value.HashKey(k)] = k.Range
			}
		default:
			hk := value.HashKey(k)
			prev, seen := last[hk]
			if !seen {
				prev = old.Key.Range
			}
			if own != nil {
				prev, seen = own[hk]
			} else {
				seen = true
			}
			if seen {
				c.dups = append(c.dups, Duplicate{Key: value.JSONKey(k), Path: append(value.Path(nil), c.path...), First: prev, Second: k.Range})
			}
			if last == nil {
				last = map[string]source.Range{}
			}
			last[hk] = k.Range
			if own != nil {
				own[hk] = k.Range
			}
		}
		if it.merged && own == nil {
			own = map[string]source.Range{}
		}
	}
	v := value.NewMap(m, c.rangeOf(n))
	if ents := m.Entries(); len(ents) > 0 {
		if end := ents[len(ents)-1].Val.Range.End; !end.IsZero() && v.Range.Start.Before(end) {
			v.Range.End = end
		}
	}
	return v
}

func nodeKindName(n *node) string {
	switch n.Kind {
	case yaml.ScalarNode:
		return "a scalar"
	case yaml.SequenceNode:
		return "a sequence"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.AliasNode:
		return "an alias"
	}
	return "a document"
}

func isPlain(n *node) bool {
	return n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0
}

func (c *converter) badTag(n *node, tag string) {
	c.fail(n, RuleSyntax, "could not determine a constructor for the tag %q on %s (Heat's safe loader accepts only the standard YAML tags)", tag, nodeKindName(n))
}

func (c *converter) scalar(n *node) *value.Value {
	r := c.rangeOf(n)
	s := n.Value
	if c.flow > 0 && isPlain(n) {
		c.checkFlowColon(n, r)
	}
	tag := n.Tag
	if tag == "" {
		if !isPlain(n) {
			return value.NewString(s, r)
		}
		switch resolvePlain(s) {
		case tagNull:
			return value.NewNull(r)
		case tagBool:
			b, _ := constructBool(s)
			return value.NewBool(b, r)
		case tagInt:
			return c.intValue(n, s, r)
		case tagFloat:
			return c.floatValue(n, s, r)
		case tagValue:
			c.fail(n, RuleSyntax, "could not determine a constructor for the tag 'tag:yaml.org,2002:value' (a plain \"=\"); quote it")
		}
		// Merge keys outside a mapping key, timestamps and the rest are
		// strings.
		return value.NewString(s, r)
	}
	switch tag {
	case "!!str", "!!timestamp":
		return value.NewString(s, r)
	case "!!null":
		return value.NewNull(r)
	case "!!bool":
		b, err := constructBool(s)
		if err != nil {
			c.fail(n, RuleSyntax, "%v", err)
		}
		return value.NewBool(b, r)
	case "!!int":
		return c.intValue(n, s, r)
	case "!!float":
		return c.floatValue(n, s, r)
	case "!!binary":
		c.fail(n, RuleSyntax, "binary (!!binary) values are not supported: Heat cannot represent them")
	case "!!merge":
		return value.NewString(s, r)
	}
	c.badTag(n, tag)
	return nil
}

// checkFlowColon refuses what libyaml (Heat's loader, PyYAML's
// CSafeLoader) refuses in a plain scalar inside a flow collection: a ':'
// followed by a flow indicator (`{k:}`, `[a:]`, `{k:[1]}`, `{x:?y}`).
// yaml.v3 makes the colon part of the scalar (or stops at it); libyaml
// stops with "found unexpected ':'". A colon followed by any other
// character stays in the scalar in both (`{x:1}` is the key "x:1").
func (c *converter) checkFlowColon(n *node, r source.Range) {
	i := strings.Index(n.Value, ":?")
	if i < 0 && strings.HasSuffix(n.Value, ":") {
		i = len(n.Value) - 1
	}
	if i < 0 {
		return
	}
	at := r
	if !strings.Contains(n.Value[:i], "\n") {
		at.Start.Col += int32(utf8.RuneCountInString(n.Value[:i]))
	}
	at.End = at.Start
	at.End.Col++
	panic(&diag.Diagnostic{Severity: diag.Error, Rule: RuleSyntax, Range: at,
		Message: fmt.Sprintf("found unexpected ':' in the plain scalar %q inside a flow collection: Heat's YAML loader (libyaml) refuses a ':' followed by a flow indicator there; quote the scalar, or put a space after the colon if it separates a key from its value", n.Value)})
}

func (c *converter) intValue(n *node, s string, r source.Range) *value.Value {
	b, err := constructInt(s)
	if err != nil {
		c.fail(n, RuleSyntax, "%v", err)
	}
	return value.NewBigInt(b, r)
}

func (c *converter) floatValue(n *node, s string, r source.Range) *value.Value {
	f, err := constructFloat(s)
	if err != nil {
		c.fail(n, RuleSyntax, "%v", err)
	}
	return value.NewFloat(f, r)
}

// rangeOf returns the node's range. yaml.v3 gives only the start; the end
// is computed for scalars written on one line.
func (c *converter) rangeOf(n *node) source.Range {
	r := source.Range{File: c.file, Start: source.Pos{Line: int32(n.Line), Col: int32(n.Column)}}
	if n.Kind == yaml.ScalarNode || n.Kind == yaml.AliasNode {
		if w := c.scalarWidth(n); w > 0 {
			r.End = source.Pos{Line: r.Start.Line, Col: r.Start.Col + int32(w)}
		}
	}
	return r
}

// scalarWidth returns the width in characters of a scalar written on one
// line, or 0 when it spans lines or cannot be measured.
func (c *converter) scalarWidth(n *node) int {
	if n.Kind == yaml.AliasNode {
		return 1 + utf8.RuneCountInString(n.Value)
	}
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return 0
	}
	if isPlain(n) && n.Tag == "" && n.Anchor == "" {
		if strings.IndexByte(n.Value, '\n') >= 0 {
			return 0
		}
		return utf8.RuneCountInString(n.Value)
	}
	// Quoted or tagged: find the end on the source line.
	line := int(n.Line) - 1
	if c.lines == nil {
		c.lines = lineStarts(c.src)
	}
	if line < 0 || line >= len(c.lines) {
		return 0
	}
	end := len(c.src)
	if line+1 < len(c.lines) {
		end = c.lines[line+1] - 1
	}
	// Skip to the start column, counting on from the last scalar measured
	// on this line when it lies before: nodes come in order, and a long
	// line of quoted scalars is then counted once, not once per scalar.
	off, col := c.lines[line], 1
	if c.cur.line == line && c.cur.col <= int(n.Column) {
		off, col = c.cur.off, c.cur.col
	}
	for off < end && col < int(n.Column) {
		_, size := utf8.DecodeRune(c.src[off:end])
		off += size
		col++
	}
	c.cur = lineCursor{line: line, col: col, off: off}
	text := c.src[off:end]
	// Skip anchor and tag properties.
	for len(text) > 0 && (text[0] == '&' || text[0] == '!') {
		i := bytes.IndexAny(text, " \t")
		if i < 0 {
			return 0
		}
		for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
			i++
		}
		col += utf8.RuneCount(text[:i])
		text = text[i:]
	}
	w := 0
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		w = quotedWidth(text, '"')
	case n.Style&yaml.SingleQuotedStyle != 0:
		w = quotedWidth(text, '\'')
	default:
		if strings.IndexByte(n.Value, '\n') >= 0 {
			return 0
		}
		w = utf8.RuneCountInString(n.Value)
	}
	if w == 0 {
		return 0
	}
	return col - int(n.Column) + w
}

// quotedWidth returns the width of a quoted scalar at the start of text,
// 0 when it does not close on this line.
func quotedWidth(text []byte, q byte) int {
	if len(text) == 0 || text[0] != q {
		return 0
	}
	n := 1
	for i := 1; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		switch {
		case q == '"' && r == '\\':
			if i+1 < len(text) {
				_, s2 := utf8.DecodeRune(text[i+1:])
				i += size + s2
				n += 2
				continue
			}
		case q == '\'' && r == '\'' && i+1 < len(text) && text[i+1] == '\'':
			i += 2
			n += 2
			continue
		case rune(q) == r:
			return n + 1
		}
		i += size
		n++
	}
	return 0
}

func lineStarts(src []byte) []int {
	starts := make([]int, 1, bytes.Count(src, []byte("\n"))+1)
	for i, b := range src {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}
