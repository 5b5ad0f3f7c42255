package lint

import (
	"crypto/sha256"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"hoist/diag"
	"hoist/internal/testenv"
	"hoist/source"
)

// fullResult is a result with every field the pack stores set to a
// value other than its zero.
func fullResult() fileResult {
	rng := func(f string, l int32) source.Range {
		return source.Range{File: f, Start: source.Pos{Line: l, Col: 3}, End: source.Pos{Line: l + 1, Col: -1}}
	}
	return fileResult{
		Diags: []*diag.Diagnostic{{
			Severity: diag.Warning, Rule: "heat/undeclared-parameter", Message: "parameter \"x\"\nis unknown",
			Range:   rng("a.yaml", 4),
			Related: []diag.Related{{Range: rng("b.yaml", 9), Message: "anchor here"}},
			Chain:   []diag.Frame{{Range: rng("c.yaml", 2), Label: "KeystoneBase"}},
			Path:    "outputs.role_data.value",
		}, {Severity: diag.Error, Rule: "yaml/syntax", Message: "ü", Range: rng("a.yaml", 1)}},
		Directives: []Directive{{Range: rng("a.yaml", 7), FileWide: true, IDs: []string{"a/b", "c/d"}, Reason: "why",
			From: 7, To: 8, Problem: "unknown rule", NotRendered: true}},
		Facts:         map[string]json.RawMessage{"heat/missing-file": json.RawMessage(`{"refs":[1]}`), "b": json.RawMessage(`[]`)},
		FactSums:      map[string][32]byte{"heat/missing-file": {7}, "b": {8, 31: 2}},
		Deps:          map[string][32]byte{"/t/x.yaml": {4}, "/t/y.yaml": {5, 31: 1}},
		Release:       "queens",
		ReleaseWhy:    "detected",
		RoleDataReads: []RoleDataRead{{File: "/t/h.yaml", Key: "puppet_tags"}},
		Rendered: []renderedResult{{Name: "t/overcloud.yaml", Path: "overcloud.yaml", Template: "overcloud.j2.yaml",
			Facts:         map[string]json.RawMessage{"r": json.RawMessage(`{}`)},
			FactSums:      map[string][32]byte{"r": {9}},
			RoleDataReads: []RoleDataRead{{File: "/t/z.yaml", Key: "k"}}}},
	}
}

// fullEntry is a cache entry of fullResult with every field set.
func fullEntry() *cacheEntry {
	r := fullResult()
	return &cacheEntry{
		Hash:   [32]byte{1, 2, 3, 31: 9},
		Stamp:  fileStamp{Size: 1 << 40, Mtime: -5, Ctime: 1_700_000_000_123_456_789, Ino: 1<<63 + 7, Dev: 66},
		Tag:    "queens@/t",
		Deps:   r.Deps,
		result: encodeResult(&r),
	}
}

// unset lists the fields of v (a struct, followed through pointers,
// slices' first elements and maps' values) that are zero, except those
// the pack does not store.
func unset(v reflect.Value, path string, skip map[string]bool) []string {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return []string{path}
		}
		return unset(v.Elem(), path, skip)
	case reflect.Slice, reflect.Map:
		if v.Len() == 0 {
			return []string{path}
		}
		if v.Kind() == reflect.Slice {
			return unset(v.Index(0), path+"[0]", skip)
		}
		return unset(v.MapIndex(v.MapKeys()[0]), path+"[]", skip)
	case reflect.Struct:
		var out []string
		for i := range v.NumField() {
			name := v.Type().Field(i).Name
			if skip[name] {
				continue
			}
			out = append(out, unset(v.Field(i), path+"."+name, skip)...)
		}
		return out
	}
	if v.IsZero() {
		return []string{path}
	}
	return nil
}

func TestPackRoundTrip(t *testing.T) {
	// A field added to the entry, its result or a diagnostic must be
	// given a value here and a place in the pack: noCache and used are
	// never stored (a result that is not cached, a flag of the run).
	res, e := fullResult(), fullEntry()
	for _, v := range []any{res, e} {
		if z := unset(reflect.ValueOf(v), "", map[string]bool{"noCache": true, "used": true}); len(z) > 0 {
			t.Fatalf("%T leaves fields unset, which the round trip would not test: %s", v, strings.Join(z, ", "))
		}
	}
	in := map[string]*cacheEntry{"t/a.yaml": e, "t/empty.yaml": {Tag: "", result: encodeResult(&fileResult{})}}
	b := encodePack(in)
	out, err := decodePack(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Errorf("decoded pack differs:\n got %#v\nwant %#v", out["t/a.yaml"], e)
	}
	if again := encodePack(out); string(again) != string(b) {
		t.Error("the pack of the decoded entries is not the same bytes")
	}
	got, err := decodeResult(out["t/a.yaml"].result, out["t/a.yaml"].Deps)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, res) {
		t.Errorf("decoded result differs:\n got %#v\nwant %#v", got, res)
	}
	// What the run does to the findings it is given (merging notes,
	// moving ranges to template lines) does not reach the pack.
	got.Diags[0].Related[0].Message += ", and at 5 more places"
	got.Diags[0].Range.File = "moved.j2.yaml"
	got.Directives[0].IDs[0] = "x"
	again, _ := decodeResult(out["t/a.yaml"].result, out["t/a.yaml"].Deps)
	if !reflect.DeepEqual(again, res) {
		t.Errorf("a change to a decoded result reached the pack:\n got %#v\nwant %#v", again, res)
	}
}

// TestPackMalformed: a shard cut short or with any byte changed decodes
// to an error or to entries, never a panic; one cut short or with bytes
// after its end is an error; so are an old gob shard and an empty file.
func TestPackMalformed(t *testing.T) {
	b := encodePack(map[string]*cacheEntry{"t/a.yaml": fullEntry(), "t/b.yaml": fullEntry()})
	r := fullEntry().result
	for n := range len(r) {
		if _, err := decodeResult(r[:n], nil); err == nil {
			t.Fatalf("a result cut at byte %d of %d decodes", n, len(r))
		}
	}
	for i := range r {
		c := append([]byte(nil), r...)
		c[i] = 0xff
		decodeResult(c, nil) // must not panic
	}
	for n := range len(b) {
		if _, err := decodePack(b[:n]); err == nil {
			t.Fatalf("a pack cut at byte %d of %d decodes", n, len(b))
		}
	}
	if _, err := decodePack(append(b[:len(b):len(b)], 0)); err == nil {
		t.Error("a pack with a byte after its end decodes")
	}
	for i := len(packMagic); i < len(b); i++ {
		for _, x := range []byte{0x00, 0x7f, 0x80, 0xff} {
			c := append([]byte(nil), b...)
			c[i] = x
			decodePack(c) // must not panic
		}
	}
	for _, bad := range [][]byte{nil, []byte("\x0e\xff\x81\x04\x01\x02\xff\x82"), []byte(packMagic[:len(packMagic)-1] + "\x00")} {
		if _, err := decodePack(bad); err == nil {
			t.Errorf("%q decodes", bad)
		}
	}
}

func FuzzDecodePack(f *testing.F) {
	f.Add(encodePack(map[string]*cacheEntry{"t/a.yaml": fullEntry()}))
	f.Add(fullEntry().result)
	f.Add([]byte(packMagic + "\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		out, err := decodePack(b)
		if err != nil {
			return
		}
		// What decodes encodes to the same entries, and their results
		// decode or fail without a panic.
		again, err := decodePack(encodePack(out))
		if err != nil || !reflect.DeepEqual(again, out) {
			t.Fatalf("entries do not survive a round trip: %v", err)
		}
		for _, e := range out {
			decodeResult(e.result, e.Deps)
		}
	})
}

// TestCacheHitsGiveTheColdFindings: the findings of a tree are the same
// cold, from results hit by content (every file touched since: a
// checkout), and from results hit by stamp (nothing changed, the run
// memo left aside). The run changes the findings it is given (Jinja2
// templates that include one fragment merge their notes, "rendered here,
// and at 11 more places"); results taken from the cache must not carry
// the changes of the run that stored them.
func TestCacheHitsGiveTheColdFindings(t *testing.T) {
	defer func(d time.Duration) { settleTime = d }(settleTime)
	settleTime = 0
	dir := copyCorpus(t)
	cold := full(runIn(t, dir, Options{}).Diagnostics)
	if !strings.Contains(cold, "more places") {
		t.Fatal("the tree has no merged notes: the test tests nothing")
	}
	cache := t.TempDir()
	run := func(what string, wantHits bool) {
		t.Helper()
		c := OpenCache(cache, "t")
		// No run memo: it would answer for the tree as a whole.
		res := runIn(t, dir, Options{Cache: c, Baseline: &Baseline{}})
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
		if wantHits && c.Hits == 0 {
			t.Errorf("%s: no cache hits", what)
		}
		if got := full(res.Diagnostics); got != cold {
			t.Errorf("%s: findings differ from the cold run's", what)
		}
	}
	run("first run with a cache", false)
	run("hits by stamp", true)
	later := time.Now().Add(time.Minute)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			err = os.Chtimes(p, later, later)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	run("hits by content, every file touched", true)
	run("hits by stamp after the touch", true)
}

// copyCorpus copies the queens corpus into a temporary folder.
func copyCorpus(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	src := testenv.Corpus(t)
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// full gives the findings with their notes (where merged counts are), one
// per line.
func full(ds []*diag.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.Line() + "\n")
		for _, r := range d.Related {
			b.WriteString("\t" + r.Range.String() + ": " + r.Message + "\n")
		}
	}
	return b.String()
}

// TestPackFactSums: a result stored without the hashes of its facts (one
// the run just computed) is read back with them, the hashes the tree memo
// computes for a fresh result: a file's facts sum the same whether its
// result came from the cache or not.
func TestPackFactSums(t *testing.T) {
	data := json.RawMessage(`{"abs":"/t/a.yaml","declared":["A"]}`)
	in := fileResult{Facts: map[string]json.RawMessage{"heat/undeclared-parameter": data},
		Rendered: []renderedResult{{Name: "t/o.yaml", Facts: map[string]json.RawMessage{"r": data}}}}
	got, err := decodeResult(encodeResult(&in), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256(data)
	if s := got.FactSums["heat/undeclared-parameter"]; s != want || factSum(in.FactSums, "heat/undeclared-parameter", data) != want {
		t.Errorf("the facts' hash read back is %x, want %x", s, want)
	}
	if s := got.Rendered[0].FactSums["r"]; s != want {
		t.Errorf("an output's facts' hash read back is %x, want %x", s, want)
	}
}

// holdsAgainstDamage checks a format's decoder on damaged input: b cut at
// any byte, or with a byte after its end, is an error; b with any byte
// changed decodes to an error or to a value, never a panic.
func holdsAgainstDamage(t *testing.T, what string, b []byte, decode func([]byte) error) {
	t.Helper()
	for n := range len(b) {
		if decode(b[:n]) == nil {
			t.Fatalf("%s cut at byte %d of %d decodes", what, n, len(b))
		}
	}
	if decode(append(b[:len(b):len(b)], 0)) == nil {
		t.Errorf("%s with a byte after its end decodes", what)
	}
	for i := range b {
		c := append([]byte(nil), b...)
		c[i] ^= 0xff
		decode(c) // must not panic
	}
}
