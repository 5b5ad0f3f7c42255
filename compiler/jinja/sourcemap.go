package jinja

import (
	"bytes"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	gonjacs "github.com/nikolalohinski/gonja/v2/builtins/control_structures"
	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/tokens"
)

// A SourceMap tells, for a place in a rendered output, the template (the
// *.j2.yaml or a file it includes) and the line and column that produced
// the text there, and for which role or network a loop body was rendered.
// Diagnostics about a rendered file point with it at the file the author
// edits.
//
// It is built while rendering: the recording writer knows every literal
// text of the templates (a Data node, whose trimming is applied before
// rendering) by the address of its string, which the renderer writes
// unchanged, and notes where it landed; text an expression writes is
// attributed to
// where the expression starts (the end of the text before it); a loop
// body notes its loop variable when its value is a role or network (a
// mapping with a name); an include notes the included file.
type SourceMap struct {
	files    []mapFile
	segs     []segment
	contexts []string
	out      []byte

	once  sync.Once
	lines []int // byte offset of each output line's start
}

type mapFile struct {
	name  string
	src   []byte
	lines []int // byte offset of each template line's start
}

// index finds the line starts of the output and the templates, once: most
// renders are never looked up.
func (m *SourceMap) index() {
	m.once.Do(func() {
		m.lines = lineStarts(m.out)
		for i := range m.files {
			m.files[i].lines = lineStarts(m.files[i].src)
		}
	})
}

func lineStarts(b []byte) []int {
	out := []int{0}
	for i, c := range b {
		if c == '\n' {
			out = append(out, i+1)
		}
	}
	return out
}

// segment is a run of output that came from one literal text of a
// template (len > 0), or an anchor (len 0) that attributes what follows
// to a place (the start of a loop body, an included file).
type segment struct {
	out, len int32  // where in the output, how long
	at       int32  // byte offset in the template of the text's start
	file     uint16 // index in files
	ctx      uint16 // index in contexts: "role Controller", ...
}

// SourcePos is a place in a template.
type SourcePos struct {
	// File is the template's path in the tree (slash-separated).
	File string
	// Line and Col are 1-based; Col counts characters.
	Line, Col int
	// Context names the roles and networks of the loops around the text,
	// innermost last ("role Controller, network InternalApi"), empty
	// outside loops.
	Context string
}

// At returns the template place of the output's line and column (1-based,
// the column in characters), false when the map knows nothing there.
func (m *SourceMap) At(line, col int) (SourcePos, bool) {
	if m == nil {
		return SourcePos{}, false
	}
	m.index()
	if line < 1 || line > len(m.lines) {
		return SourcePos{}, false
	}
	off := m.lines[line-1]
	for c := 1; c < col && off < len(m.out) && m.out[off] != '\n'; c++ {
		_, w := utf8.DecodeRune(m.out[off:])
		off += w
	}
	i := sort.Search(len(m.segs), func(i int) bool { return int(m.segs[i].out) > off }) - 1
	if i < 0 {
		return SourcePos{}, false
	}
	s := m.segs[i]
	f := &m.files[s.file]
	tpl := int(s.at + s.len) // past the literal text: where the expression starts
	if off < int(s.out+s.len) {
		tpl = int(s.at) + (off - int(s.out)) // inside it: the same bytes
	}
	tpl = min(tpl, len(f.src))
	l := sort.Search(len(f.lines), func(k int) bool { return f.lines[k] > tpl }) - 1
	l = max(l, 0)
	col = utf8.RuneCount(f.src[f.lines[l]:tpl]) + 1
	return SourcePos{File: f.name, Line: l + 1, Col: col, Context: m.contexts[s.ctx]}, true
}

// Templates lists the templates (the rendered one and the files it
// includes) that wrote text into the output, by their slash paths.
func (m *SourceMap) Templates() []string {
	if m == nil {
		return nil
	}
	out := make([]string, len(m.files))
	for i, f := range m.files {
		out[i] = f.name
	}
	return out
}

// Position is At for a position given as the output's line and column,
// for callers holding a source.Pos.
func (m *SourceMap) Position(line, col int32) (SourcePos, bool) { return m.At(int(line), int(col)) }

// recorder is the render's output writer: it keeps the segments, the loop
// contexts and the templates they refer to.
type recorder struct {
	buf    bytes.Buffer
	source func(name string) []byte
	nodes  map[*byte]markedNode
	files  []mapFile
	byFile map[string]int
	segs   []segment
	ctx    []string
	cur    uint16   // ctx joined, as an index in contexts
	ctxs   []string // the distinct contexts, "" first
	// undefined lists the undefined values the templates printed
	// (undefined.go).
	undefined []undefinedUse
}

type markedNode struct {
	file, at int
}

func newRecorder(source func(name string) []byte) *recorder {
	return &recorder{source: source, byFile: map[string]int{}, nodes: map[*byte]markedNode{}, ctxs: []string{""}}
}

func (w *recorder) Write(p []byte) (int, error) { return w.buf.Write(p) }

// WriteString is how the renderer writes: a literal text arrives as the
// very string the node holds.
func (w *recorder) WriteString(s string) (int, error) {
	if len(s) > 0 {
		if nd, ok := w.nodes[unsafe.StringData(s)]; ok {
			w.segs = append(w.segs, segment{out: int32(w.buf.Len()), len: int32(len(s)), file: uint16(nd.file), at: int32(nd.at), ctx: w.cur})
		}
	}
	return w.buf.WriteString(s)
}

// context returns the index of the joined loop contexts.
func (w *recorder) context() uint16 {
	var out []string
	for _, c := range w.ctx {
		if c != "" {
			out = append(out, c)
		}
	}
	s := strings.Join(out, ", ")
	for i, c := range w.ctxs {
		if c == s {
			return uint16(i)
		}
	}
	w.ctxs = append(w.ctxs, s)
	return uint16(len(w.ctxs) - 1)
}

// anchor attributes what follows to a place of a template.
func (w *recorder) anchor(file string, at int) {
	fi := w.file(file)
	w.segs = append(w.segs, segment{out: int32(w.buf.Len()), file: uint16(fi), at: int32(at), ctx: w.cur})
}

// file returns the index of a template, reading it for line numbers.
func (w *recorder) file(name string) int {
	if i, ok := w.byFile[name]; ok {
		return i
	}
	w.files = append(w.files, mapFile{name: name, src: w.source(name)})
	w.byFile[name] = len(w.files) - 1
	return len(w.files) - 1
}

// sourceMap returns the map of what was written.
func (w *recorder) sourceMap() *SourceMap {
	return &SourceMap{files: w.files, segs: w.segs, contexts: w.ctxs, out: w.buf.Bytes()}
}

// mark prepares a parsed template for recording: each literal text gets
// its marker (with gonja's trimming applied now, so that the marker does
// not change what is trimmed), each for body notes its loop variable.
func (w *recorder) mark(name string, root *nodes.Template) {
	fi := w.file(name)
	seen := map[any]bool{}
	var walk func(n any)
	walkWrapper := func(wr *nodes.Wrapper) {
		if wr == nil || seen[wr] {
			return
		}
		seen[wr] = true
		for _, n := range wr.Nodes {
			walk(n)
		}
	}
	walk = func(n any) {
		switch n := n.(type) {
		case *nodes.Data:
			w.markData(fi, n)
		case *nodes.ControlStructureBlock:
			walk(n.ControlStructure)
		case *ifStatement:
			for _, wr := range n.wrappers {
				walkWrapper(wr)
			}
		case *includeStatement:
			n.file = name
		case *rawStatement:
			if n.data != nil {
				w.markData(fi, n.data)
			}
		case *gonjacs.ForControlStructure:
			walkWrapper(n.BodyWrapper)
			walkWrapper(n.EmptyWrapper)
			if n.BodyWrapper != nil {
				at := 0
				if t := n.BodyWrapper.Position(); t != nil {
					at = t.Pos
				}
				open := &nodes.ControlStructureBlock{ControlStructure: &loopMark{key: n.Key, file: name, at: at}}
				shut := &nodes.ControlStructureBlock{ControlStructure: &loopMark{pop: true}}
				n.BodyWrapper.Nodes = append(append([]nodes.Node{open}, n.BodyWrapper.Nodes...), shut)
			}
		case *nodes.Wrapper:
			walkWrapper(n)
		}
	}
	for _, n := range root.Nodes {
		walk(n)
	}
	for _, wr := range root.Blocks {
		walkWrapper(wr)
	}
	guard(name, root)
}

// markData applies the node's trimming as gonja's renderer would, so that
// the renderer writes the node's own string, and notes where that string
// starts in the template.
func (w *recorder) markData(file int, n *nodes.Data) {
	if n.Data == nil {
		return
	}
	orig := n.Data.Val
	out := orig
	if n.RemoveFirstLineReturn {
		out = strings.TrimPrefix(out, "\r\n")
		out = strings.TrimPrefix(out, "\n")
	}
	if n.Trim.Left {
		out = strings.TrimLeft(out, " \r\n\t")
	}
	if n.Trim.Right {
		out = strings.TrimRight(out, " \r\n\t")
	}
	if n.RemoveTrailingWhiteSpaceFromLastLine {
		lines := strings.Split(out, "\n")
		lines = append(lines[0:len(lines)-1], strings.TrimRight(lines[len(lines)-1], " \n\t\r"))
		out = strings.Join(lines, "\n")
	}
	// Trimming removes from the ends only: the output is orig[skip:skip+len].
	skip := len(orig) - len(strings.TrimLeft(orig, " \r\n\t"))
	if !n.Trim.Left {
		skip = len(orig) - len(strings.TrimPrefix(strings.TrimPrefix(orig, "\r\n"), "\n"))
		if !n.RemoveFirstLineReturn {
			skip = 0
		}
	}
	if out != orig {
		// The template is parsed for this render alone: its tokens are
		// ours to change.
		n.Data.Val = out
		n.RemoveFirstLineReturn, n.Trim.Left, n.Trim.Right, n.RemoveTrailingWhiteSpaceFromLastLine = false, false, false, false
	}
	if out != "" {
		w.nodes[unsafe.StringData(out)] = markedNode{file: file, at: n.Data.Pos + skip}
	}
}

// loopMark is a statement the recorder puts at the start (and, with pop,
// the end) of a for body: it notes the loop variable's role or network.
type loopMark struct {
	key  string
	file string
	at   int
	pop  bool
}

func (l *loopMark) Position() *tokens.Token { return &tokens.Token{} }
func (l *loopMark) String() string          { return "loopMark" }

func (l *loopMark) Execute(r *exec.Renderer, _ *nodes.ControlStructureBlock) error {
	w, ok := r.Output.(*recorder)
	if !ok {
		return nil
	}
	if l.pop {
		if len(w.ctx) > 0 {
			w.ctx = w.ctx[:len(w.ctx)-1]
			w.cur = w.context()
		}
		return nil
	}
	desc := ""
	if v, ok := r.Environment.Context.Get(l.key); ok {
		if d := dictOf(exec.AsValue(plain(v))); d != nil {
			if i := dictFind(d, "name"); i >= 0 {
				if name, ok := plain(d.Pairs[i].Value).(string); ok {
					desc = l.key + " " + name
				}
			}
		}
	}
	w.ctx = append(w.ctx, desc)
	w.cur = w.context()
	w.anchor(l.file, l.at)
	return nil
}
