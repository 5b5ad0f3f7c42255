package lint

import "errors"

// The heads the release detection read: every YAML file's
// heat_template_version (release.Source), kept in the cache with the
// file's stamp, so that a warm run whose tree changed reads the heads of
// the changed files only (the detection reads a thousand of them on a
// THT tree). A file whose stamp is not settled (stamp.go) is read every
// time.

type headEntry struct {
	Stamp   fileStamp
	Version string
	used    bool
}

// head returns the version kept for the file at abs if its stamp is still
// stamp.
func (c *Cache) head(abs string, stamp fileStamp) (string, bool) {
	if c == nil || stamp == (fileStamp{}) {
		return "", false
	}
	c.load()
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.heads[abs]
	if e == nil || e.Stamp != stamp {
		return "", false
	}
	e.used = true
	return e.Version, true
}

// putHead keeps the version read of the file at abs, whose stamp is
// stamp (nothing when it is not settled).
func (c *Cache) putHead(abs string, stamp fileStamp, version string) {
	if c == nil || stamp == (fileStamp{}) {
		return
	}
	c.load()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.heads[abs] = &headEntry{Stamp: stamp, Version: version, used: true}
	c.headsDirty = true
}

func (c *Cache) headsPath() string { return c.sidePath("heads") }

// readHeads reads the kept heads; a missing or malformed file is none.
func (c *Cache) readHeads() map[string]*headEntry { return readSide(c.headsPath(), decodeHeads) }

// saveHeads writes the heads when they changed, dropping those of the
// files this run did not ask for. c.mu is held.
func (c *Cache) saveHeads() error {
	return saveSide(c.Dir, c.headsPath(), c.heads, &c.headsDirty, func(e *headEntry) bool { return e.used }, encodeHeads)
}

// headsMagic opens the heads' file; its last byte is the format's
// version. Then the number of entries, and per entry the file's absolute
// path, its stamp and its version.
const headsMagic = "hoist-lint-head\x01"

var errHeads = errors.New("malformed heads")

func encodeHeads(m map[string]*headEntry) []byte {
	w := &packWriter{b: []byte(headsMagic)}
	w.uint(uint64(len(m)))
	for _, p := range sortedKeys(m) {
		e := m[p]
		w.string(p)
		w.stamp(e.Stamp)
		w.string(e.Version)
	}
	return w.b
}

func decodeHeads(b []byte) (map[string]*headEntry, error) {
	r, ok := afterMagic(b, headsMagic)
	if !ok {
		return nil, errHeads
	}
	n := r.count()
	out := make(map[string]*headEntry, n)
	for range n {
		p := r.string()
		e := &headEntry{Stamp: r.stamp(), Version: r.string()}
		if r.err != nil {
			return nil, errHeads
		}
		out[p] = e
	}
	if r.err != nil || len(r.b) > 0 {
		return nil, errHeads
	}
	return out, nil
}
