package lint

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"hoist/diag"
)

// The tree memo: the findings of each tree rule, kept with what they were
// computed from, so that a warm run whose files' facts did not change (an
// edit that moves no declared name, output or reference, a comment, a
// changed value) takes them instead of running the rule again.
//
// A tree rule's findings are a function of its facts (every file's, in
// file order), of the run (its files, their trees and releases, the
// working folder, the limits; the configuration is the cache's key) and,
// for the rules that look at the trees themselves (treeViewChecker), of
// what they read through the views. The views record each such read, its
// kind, its argument and a sum of what it gave (viewReads); a kept result
// is taken only when the facts' sum is the same and every recorded read
// gives the same sum again. A read that cannot be repeated cheaply and
// exactly, the tree's deployment view (renders, the merged registry), is
// not recorded: a rule that used it is not kept, and runs every time.

// Kinds of view reads.
const (
	readText   = 't' // a file's contents: its content hash
	readFiles  = 'f' // a tree's YAML files and Jinja2 templates
	readGlob   = 'g' // the files a pattern matches
	readExists = 'e' // whether a file exists
	readBeside = 'b' // whether a Jinja2 template lies in a file's folder
	readNear   = 'n' // the did-you-mean of a missing file's folder
	readBroken = 'x' // whether a tree's deployment view fails to open
	// whether the tree's deployment view renders a file (true without
	// one); the argument is the tree's root and the file, NUL-separated
	readRendered = 'r'
	// the outputs of a template (read, or rendered by the deployment
	// view); the argument is the tree's root and the template
	readOutputs = 'o'
)

// viewRead is one read through the views and the sum of what it gave.
type viewRead struct {
	Kind byte
	Arg  string
	Sum  [32]byte
}

// viewReads records the reads of one tree rule.
type viewReads struct {
	mu    sync.Mutex
	reads map[string]viewRead
	// opaque is set when the rule read what cannot be recorded.
	opaque bool
}

func (r *viewReads) add(kind byte, arg string, sum [32]byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.reads == nil {
		r.reads = map[string]viewRead{}
	}
	k := string(kind) + arg
	if old, ok := r.reads[k]; ok && old.Sum != sum {
		// The same read gave two answers (a file changed during the
		// run): nothing to keep.
		r.opaque = true
	}
	r.reads[k] = viewRead{Kind: kind, Arg: arg, Sum: sum}
}

// list gives the reads in a stable order.
func (r *viewReads) list() []viewRead {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]viewRead, 0, len(r.reads))
	for _, k := range sortedKeys(r.reads) {
		out = append(out, r.reads[k])
	}
	return out
}

// note records a read of the rule being checked, if one is.
func (v *treeViews) note(kind byte, arg string, sum [32]byte) {
	if v != nil && v.rec != nil {
		v.rec.add(kind, arg, sum)
	}
}

// opaque marks the rule being checked as having read what no record can
// check again.
func (v *treeViews) opaque() {
	if v != nil && v.rec != nil {
		v.rec.mu.Lock()
		v.rec.opaque = true
		v.rec.mu.Unlock()
	}
}

// again repeats a recorded read and sums what it gives now; false for a
// kind it does not know (a memo written by another version).
func (v *treeViews) again(r viewRead) ([32]byte, bool) {
	switch r.Kind {
	case readText:
		return v.contentSum(r.Arg), true
	case readFiles:
		return filesSum(v.walked(r.Arg)), true
	case readGlob:
		m, _ := filepath.Glob(r.Arg)
		return listSum(m), true
	case readExists:
		return boolSum(fileExists(r.Arg)), true
	case readBeside:
		return boolSum(jinjaBeside(r.Arg)), true
	case readNear:
		return sha256.Sum256([]byte(nearFile(r.Arg))), true
	case readBroken:
		return boolSum(v.broken(r.Arg)), true
	case readRendered:
		root, p, ok := strings.Cut(r.Arg, "\x00")
		if !ok {
			return [32]byte{}, false
		}
		return boolSum(v.rendersTo(root, p)), true
	case readOutputs:
		root, p, ok := strings.Cut(r.Arg, "\x00")
		if !ok {
			return [32]byte{}, false
		}
		return outputsSum(v.templateOutputs(root, p)), true
	}
	return [32]byte{}, false
}

// contentSum is the content hash of a file (the run's, for its own
// files: no read), zero when it cannot be read.
func (v *treeViews) contentSum(abs string) [32]byte {
	s, ok := v.o.hashes.sum(abs)
	if !ok {
		return [32]byte{}
	}
	return s
}

func filesSum(files, jinja []string) [32]byte {
	return listSum(append(append(slices.Clip(files), "\x00"), jinja...))
}

func listSum(ss []string) [32]byte {
	h := sha256.New()
	for _, s := range ss {
		fmt.Fprintf(h, "%d:%s", len(s), s)
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

func outputsSum(outs []string, ok bool) [32]byte {
	if !ok {
		return [32]byte{}
	}
	return listSum(append([]string{"ok"}, outs...))
}

func boolSum(b bool) (s [32]byte) {
	if b {
		s[0] = 1
	}
	return s
}

// The views' reads, recorded.

func (v *treeViews) exists(p string) bool {
	e := fileExists(p)
	v.note(readExists, p, boolSum(e))
	return e
}

func (v *treeViews) jinjaBeside(p string) bool {
	b := jinjaBeside(p)
	v.note(readBeside, p, boolSum(b))
	return b
}

func (v *treeViews) nearFile(p string) string {
	s := nearFile(p)
	v.note(readNear, p, sha256.Sum256([]byte(s)))
	return s
}

// isRendered reports whether the deployment view of the tree at root
// renders p, true when the tree has no view that opens (nothing tells).
func (v *treeViews) isRendered(root, p string) bool {
	r := v.rendersTo(root, p)
	v.note(readRendered, root+"\x00"+p, boolSum(r))
	return r
}

func (v *treeViews) rendersTo(root, p string) bool {
	t := v.trees[root]
	if t == nil {
		return true
	}
	dt, err := t.deployTree(v.o)
	if err != nil {
		return true
	}
	return dt.IsRendered(p)
}

func (v *treeViews) glob(pattern string) []string {
	m, _ := filepath.Glob(pattern)
	v.note(readGlob, pattern, listSum(m))
	return m
}

// jinjaSource reports whether a Jinja2 template beside p renders to it
// (X.j2.yaml for X.yaml), for trees without a deployment view.
func (v *treeViews) jinjaSource(p string) bool {
	if !strings.HasSuffix(p, ".yaml") {
		return false
	}
	return v.exists(strings.TrimSuffix(p, ".yaml") + ".j2.yaml")
}

// runSum is what every tree rule's findings depend on besides its facts
// and its reads: the run's files as the run reads them (name, release,
// tree), the working folder and the limits.
func runSum(inputs []input, o Options) [32]byte {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%+v\x00", o.wd, o.Limits)
	for i := range inputs {
		in := &inputs[i]
		fmt.Fprintf(h, "%s\x00%s\x00", in.name, in.cacheTag())
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// factsSum is the sum of one tree rule's facts in the run: each file's
// name and the content hash of its facts (sums).
func factsSum(run [32]byte, id string, facts []Facts, sums [][32]byte) [32]byte {
	w := &packWriter{b: append(make([]byte, 0, 64*len(facts)+64), run[:]...)}
	w.string(id)
	w.uint(uint64(len(facts)))
	for i, f := range facts {
		w.string(f.File)
		w.b = append(w.b, sums[i][:]...)
	}
	return sha256.Sum256(w.b)
}

// factSum is the content hash of a rule's facts of one file: as sums
// holds it (a result from the cache), else computed.
func factSum(sums map[string][32]byte, id string, data []byte) [32]byte {
	if s, ok := sums[id]; ok {
		return s
	}
	return sha256.Sum256(data)
}

// treeEntry is a tree rule's kept findings.
type treeEntry struct {
	Sum   [32]byte
	Reads []viewRead
	// result holds the findings as the pack encodes a file's result;
	// each hit decodes its own copy (the run changes them).
	result []byte
	used   bool
}

// checkTreeReads repeats, in the background, the reads of every kept
// tree rule's findings; the function it returns waits and tells, by rule
// ID, those whose every read gives what it gave.
func (c *Cache) checkTreeReads(v *treeViews) func() map[string]bool {
	if c == nil {
		return func() map[string]bool { return nil }
	}
	c.load()
	c.mu.Lock()
	entries := make(map[string]*treeEntry, len(c.trees))
	for id, e := range c.trees {
		entries[id] = e
	}
	c.mu.Unlock()
	done := make(chan map[string]bool, 1)
	go func() {
		valid := map[string]bool{}
		for id, e := range entries {
			valid[id] = v.readsSame(e.Reads)
		}
		done <- valid
	}()
	return sync.OnceValue(func() map[string]bool { return <-done })
}

// readsSame reports whether every read gives what it gave.
func (v *treeViews) readsSame(reads []viewRead) bool {
	for _, r := range reads {
		if got, ok := v.again(r); !ok || got != r.Sum {
			return false
		}
	}
	return true
}

// treeFindings returns the kept findings of the rule id when its facts
// sum to sum and its reads give what they gave (valid, from
// checkTreeReads).
func (c *Cache) treeFindings(id string, sum [32]byte, valid map[string]bool) ([]*diag.Diagnostic, bool) {
	if c == nil {
		return nil, false
	}
	c.load()
	c.mu.Lock()
	e := c.trees[id]
	c.mu.Unlock()
	if e == nil || e.Sum != sum || !valid[id] {
		return nil, false
	}
	res, err := decodeResult(e.result, nil)
	if err != nil {
		return nil, false
	}
	c.mu.Lock()
	e.used = true
	c.mu.Unlock()
	return res.Diags, true
}

// putTree keeps the findings of the rule id (encoded now: the run goes on
// to change them).
func (c *Cache) putTree(id string, sum [32]byte, reads []viewRead, ds []*diag.Diagnostic) {
	if c == nil {
		return
	}
	c.load()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.trees[id] = &treeEntry{Sum: sum, Reads: reads, result: encodeResult(&fileResult{Diags: ds}), used: true}
	c.treesDirty = true
}

func (c *Cache) treePath() string { return c.sidePath("tree") }

// readTrees reads the tree memo; a missing or malformed one is empty.
func (c *Cache) readTrees() map[string]*treeEntry { return readSide(c.treePath(), decodeTrees) }

// saveTrees writes the tree memo when it changed, dropping the rules this
// run did not look up. c.mu is held.
func (c *Cache) saveTrees() error {
	return saveSide(c.Dir, c.treePath(), c.trees, &c.treesDirty, func(e *treeEntry) bool { return e.used }, encodeTrees)
}

// treeMagic opens the tree memo's file; its last byte is the format's
// version. Then the number of entries, and per entry the rule's ID, the
// sum of its facts, its reads (kind, argument, sum) and its findings as
// one length-prefixed blob (encodeResult).
const treeMagic = "hoist-lint-tree\x01"

func encodeTrees(m map[string]*treeEntry) []byte {
	w := &packWriter{b: []byte(treeMagic)}
	w.uint(uint64(len(m)))
	for _, id := range sortedKeys(m) {
		e := m[id]
		w.string(id)
		w.b = append(w.b, e.Sum[:]...)
		w.uint(uint64(len(e.Reads)))
		for _, r := range e.Reads {
			w.b = append(w.b, r.Kind)
			w.string(r.Arg)
			w.b = append(w.b, r.Sum[:]...)
		}
		w.bytes(e.result)
	}
	return w.b
}

var errTrees = errors.New("malformed tree memo")

func decodeTrees(b []byte) (map[string]*treeEntry, error) {
	r, ok := afterMagic(b, treeMagic)
	if !ok {
		return nil, errTrees
	}
	n := r.count()
	out := make(map[string]*treeEntry, n)
	for range n {
		id := r.string()
		e := &treeEntry{Sum: r.hash()}
		if k := r.count(); k > 0 {
			e.Reads = make([]viewRead, k)
			for i := range e.Reads {
				if len(r.b) == 0 {
					r.fail()
					break
				}
				kind := r.b[0]
				r.b = r.b[1:]
				e.Reads[i] = viewRead{Kind: kind, Arg: r.string(), Sum: r.hash()}
			}
		}
		e.result = r.bytes()
		if r.err != nil {
			return nil, errTrees
		}
		out[id] = e
	}
	if r.err != nil || len(r.b) > 0 {
		return nil, errTrees
	}
	return out, nil
}
