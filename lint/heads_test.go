package lint

import (
	"reflect"
	"testing"
)

// TestHeadsFormat: the kept heads round-trip to the same bytes, hold
// against damage, and another file is refused.
func TestHeadsFormat(t *testing.T) {
	in := map[string]*headEntry{
		"/t/a.yaml":      {Stamp: fileStamp{Size: 1 << 40, Mtime: -5, Ctime: 1_700_000_000_123_456_789, Ino: 1<<63 + 7, Dev: 66}, Version: "queens"},
		"/t/b.yaml":      {Stamp: fileStamp{Size: 3}, Version: ""},
		"/t/c/ü.j2.yaml": {Stamp: fileStamp{Mtime: 9}, Version: "2016-10-14"},
	}
	b := encodeHeads(in)
	out, err := decodeHeads(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Errorf("decoded heads differ:\n got %#v\nwant %#v", out, in)
	}
	if string(encodeHeads(out)) != string(b) {
		t.Error("the heads of the decoded entries are not the same bytes")
	}
	holdsAgainstDamage(t, "the heads", b, func(b []byte) error { _, err := decodeHeads(b); return err })
	if _, err := decodeHeads(encodeTrees(map[string]*treeEntry{})); err == nil {
		t.Error("a tree memo decodes as heads")
	}
}
