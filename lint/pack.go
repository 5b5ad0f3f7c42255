package lint

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"

	"hoist/diag"
	"hoist/source"
)

// The pack's shard format. A warm run reads every entry of the pack
// before it checks anything, in a fresh process whose heap starts empty,
// so the format is made to be read with few allocations: lengths and
// numbers are varints, and an entry's result stays encoded, a slice of
// the shard as read, until a lookup hits it (decodeResult). Each hit
// decodes a result of its own: the run goes on to change the findings it
// is given (merging, renaming, moving them to template lines), and none
// of that reaches the pack, which a later run reads again. encoding/gob,
// used before, decoded every result up front, 2.5 times the shard's size
// in memory.
//
// A shard is packMagic, then the number of entries, then per entry its
// file name, content hash, stamp, tag and dependencies (what a lookup
// compares), then its result as one length-prefixed blob.

// packMagic opens every shard; its last byte is the format's version.
const packMagic = "hoist-lint-pack\x03"

var errPack = errors.New("malformed pack")

type packWriter struct{ b []byte }

func (w *packWriter) uint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }
func (w *packWriter) int(v int64)   { w.b = binary.AppendVarint(w.b, v) }
func (w *packWriter) bytes(b []byte) {
	w.uint(uint64(len(b)))
	w.b = append(w.b, b...)
}
func (w *packWriter) string(s string) {
	w.uint(uint64(len(s)))
	w.b = append(w.b, s...)
}
func (w *packWriter) bool(v bool) {
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

func (w *packWriter) strings(ss []string) {
	w.uint(uint64(len(ss)))
	for _, s := range ss {
		w.string(s)
	}
}

func (w *packWriter) pos(p source.Pos) {
	w.int(int64(p.Line))
	w.int(int64(p.Col))
}

func (w *packWriter) rng(r source.Range) {
	w.string(r.File)
	w.pos(r.Start)
	w.pos(r.End)
}

// facts writes each rule's facts and their content hash (sums', else
// computed).
func (w *packWriter) facts(m map[string]json.RawMessage, sums map[string][32]byte) {
	w.uint(uint64(len(m)))
	for _, k := range sortedKeys(m) {
		w.string(k)
		w.bytes(m[k])
		s := factSum(sums, k, m[k])
		w.b = append(w.b, s[:]...)
	}
}

func (w *packWriter) reads(rs []RoleDataRead) {
	w.uint(uint64(len(rs)))
	for _, r := range rs {
		w.string(r.File)
		w.string(r.Key)
	}
}

func (w *packWriter) diagnostic(d *diag.Diagnostic) {
	w.uint(uint64(d.Severity))
	w.string(d.Rule)
	w.string(d.Message)
	w.rng(d.Range)
	w.uint(uint64(len(d.Related)))
	for _, r := range d.Related {
		w.rng(r.Range)
		w.string(r.Message)
	}
	w.uint(uint64(len(d.Chain)))
	for _, f := range d.Chain {
		w.rng(f.Range)
		w.string(f.Label)
	}
	w.string(d.Path)
}

func (w *packWriter) stamp(s fileStamp) {
	w.int(s.Size)
	w.int(s.Mtime)
	w.int(s.Ctime)
	w.uint(s.Ino)
	w.uint(s.Dev)
}

func (w *packWriter) entry(name string, e *cacheEntry) {
	w.string(name)
	w.b = append(w.b, e.Hash[:]...)
	w.stamp(e.Stamp)
	w.string(e.Tag)
	w.uint(uint64(len(e.Deps)))
	for _, p := range sortedKeys(e.Deps) {
		h := e.Deps[p]
		w.string(p)
		w.b = append(w.b, h[:]...)
	}
	w.bytes(e.result)
}

// encodeResult encodes what a result holds besides its dependencies
// (which the entry keeps beside it).
func encodeResult(r *fileResult) []byte {
	w := &packWriter{}
	w.uint(uint64(len(r.Diags)))
	for _, d := range r.Diags {
		w.diagnostic(d)
	}
	w.uint(uint64(len(r.Directives)))
	for _, d := range r.Directives {
		w.rng(d.Range)
		w.bool(d.FileWide)
		w.strings(d.IDs)
		w.string(d.Reason)
		w.int(int64(d.From))
		w.int(int64(d.To))
		w.string(d.Problem)
		w.bool(d.NotRendered)
	}
	w.facts(r.Facts, r.FactSums)
	w.string(r.Release)
	w.string(r.ReleaseWhy)
	w.reads(r.RoleDataReads)
	w.uint(uint64(len(r.Rendered)))
	for _, ro := range r.Rendered {
		w.string(ro.Name)
		w.string(ro.Path)
		w.string(ro.Template)
		w.facts(ro.Facts, ro.FactSums)
		w.reads(ro.RoleDataReads)
	}
	return w.b
}

// encodePack encodes one shard's entries, in the order of their names.
func encodePack(entries map[string]*cacheEntry) []byte {
	w := &packWriter{b: []byte(packMagic)}
	w.uint(uint64(len(entries)))
	for _, name := range sortedKeys(entries) {
		w.entry(name, entries[name])
	}
	return w.b
}

// packReader reads a shard. The first malformed field sets err, after
// which every read gives a zero value: decodePack checks err once per
// entry, and a shard cut short or garbled never panics.
type packReader struct {
	b   []byte
	err error
}

func (r *packReader) fail() {
	if r.err == nil {
		r.err = errPack
	}
	r.b = nil
}

func (r *packReader) uint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *packReader) int() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *packReader) int32() int32 {
	v := r.int()
	if v < math.MinInt32 || v > math.MaxInt32 {
		r.fail()
		return 0
	}
	return int32(v)
}

// count reads a number of items, each at least one byte long.
func (r *packReader) count() int {
	n := r.uint()
	if n > uint64(len(r.b)) {
		r.fail()
		return 0
	}
	return int(n)
}

// bytes returns the next byte string as a slice of the shard (not copied).
func (r *packReader) bytes() []byte {
	n := r.uint()
	if n > uint64(len(r.b)) {
		r.fail()
		return nil
	}
	b := r.b[:n:n]
	r.b = r.b[n:]
	return b
}

func (r *packReader) string() string { return string(r.bytes()) }

func (r *packReader) bool() bool {
	if len(r.b) == 0 || r.b[0] > 1 {
		r.fail()
		return false
	}
	v := r.b[0] == 1
	r.b = r.b[1:]
	return v
}

func (r *packReader) hash() (h [32]byte) {
	if len(r.b) < len(h) {
		r.fail()
		return h
	}
	copy(h[:], r.b)
	r.b = r.b[len(h):]
	return h
}

func (r *packReader) strings() []string {
	n := r.count()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.string()
	}
	return out
}

func (r *packReader) pos() source.Pos { return source.Pos{Line: r.int32(), Col: r.int32()} }

func (r *packReader) rng() source.Range {
	return source.Range{File: r.string(), Start: r.pos(), End: r.pos()}
}

func (r *packReader) facts() (map[string]json.RawMessage, map[string][32]byte) {
	n := r.count()
	if n == 0 {
		return nil, nil
	}
	m := make(map[string]json.RawMessage, n)
	sums := make(map[string][32]byte, n)
	for range n {
		k := r.string()
		m[k] = r.bytes()
		sums[k] = r.hash()
	}
	return m, sums
}

func (r *packReader) reads() []RoleDataRead {
	n := r.count()
	if n == 0 {
		return nil
	}
	out := make([]RoleDataRead, n)
	for i := range out {
		out[i] = RoleDataRead{File: r.string(), Key: r.string()}
	}
	return out
}

func (r *packReader) diagnostic() *diag.Diagnostic {
	sev := r.uint()
	if sev > math.MaxUint8 {
		r.fail()
	}
	d := &diag.Diagnostic{Severity: diag.Severity(sev), Rule: r.string(), Message: r.string(), Range: r.rng()}
	if n := r.count(); n > 0 {
		d.Related = make([]diag.Related, n)
		for i := range d.Related {
			d.Related[i] = diag.Related{Range: r.rng(), Message: r.string()}
		}
	}
	if n := r.count(); n > 0 {
		d.Chain = make([]diag.Frame, n)
		for i := range d.Chain {
			d.Chain[i] = diag.Frame{Range: r.rng(), Label: r.string()}
		}
	}
	d.Path = r.string()
	return d
}

func (r *packReader) stamp() fileStamp {
	return fileStamp{Size: r.int(), Mtime: r.int(), Ctime: r.int(), Ino: r.uint(), Dev: r.uint()}
}

func (r *packReader) entry() (string, *cacheEntry) {
	name := r.string()
	e := &cacheEntry{Hash: r.hash()}
	e.Stamp = r.stamp()
	e.Tag = r.string()
	if n := r.count(); n > 0 {
		e.Deps = make(map[string][32]byte, n)
		for range n {
			p := r.string()
			e.Deps[p] = r.hash()
		}
	}
	e.result = r.bytes()
	return name, e
}

// decodeResult decodes a result that encodeResult encoded, with the
// dependencies deps. Its facts are slices of b.
func decodeResult(b []byte, deps map[string][32]byte) (fileResult, error) {
	r := &packReader{b: b}
	res := fileResult{Deps: deps}
	if n := r.count(); n > 0 {
		res.Diags = make([]*diag.Diagnostic, n)
		for i := range res.Diags {
			res.Diags[i] = r.diagnostic()
		}
	}
	if n := r.count(); n > 0 {
		res.Directives = make([]Directive, n)
		for i := range res.Directives {
			res.Directives[i] = Directive{Range: r.rng(), FileWide: r.bool(), IDs: r.strings(), Reason: r.string(),
				From: r.int32(), To: r.int32(), Problem: r.string(), NotRendered: r.bool()}
		}
	}
	res.Facts, res.FactSums = r.facts()
	res.Release = r.string()
	res.ReleaseWhy = r.string()
	res.RoleDataReads = r.reads()
	if n := r.count(); n > 0 {
		res.Rendered = make([]renderedResult, n)
		for i := range res.Rendered {
			ro := renderedResult{Name: r.string(), Path: r.string(), Template: r.string()}
			ro.Facts, ro.FactSums = r.facts()
			ro.RoleDataReads = r.reads()
			res.Rendered[i] = ro
		}
	}
	if r.err == nil && len(r.b) > 0 {
		r.err = errPack
	}
	if r.err != nil {
		return fileResult{}, r.err
	}
	return res, nil
}

// afterMagic reads b after its magic, false when b does not open with it
// (another file, or another version of the format).
func afterMagic(b []byte, magic string) (*packReader, bool) {
	if len(b) < len(magic) || string(b[:len(magic)]) != magic {
		return nil, false
	}
	return &packReader{b: b[len(magic):]}, true
}

// decodePack decodes a shard that encodePack wrote. The facts of the
// entries are slices of b, which must not change afterwards.
func decodePack(b []byte) (map[string]*cacheEntry, error) {
	r, ok := afterMagic(b, packMagic)
	if !ok {
		return nil, errPack
	}
	n := r.count()
	out := make(map[string]*cacheEntry, n)
	for range n {
		name, e := r.entry()
		if r.err != nil {
			return nil, r.err
		}
		out[name] = e
	}
	if r.err == nil && len(r.b) > 0 {
		return nil, errPack
	}
	return out, r.err
}
