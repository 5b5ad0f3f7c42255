package lint

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"hoist/internal/atomicfile"
	"os"
	"path/filepath"
	"sync"
)

// Cache keeps the results of checking each file, keyed by the file's
// content hash, under a key made of hoist's version, the configuration and
// the run's arguments. A warm run of an unchanged tree reads and hashes the
// files and takes their findings from the cache without loading any YAML.
//
// One cache file (a "pack") holds every file of one kind of run: the packs
// live in Dir, named by the key. A pack is read once at the start and
// written once at the end, through a temporary file and a rename, so that
// concurrent runs never see half a pack.
type Cache struct {
	Dir string
	key string

	mu      sync.Mutex
	entries map[string]*cacheEntry
	dirty   bool
	// Hits and Misses count lookups.
	Hits, Misses int
}

type cacheEntry struct {
	Hash [32]byte
	// Tag is what else the result depends on: the release the file was
	// read as and its tree's root ("" for a file outside a tree, whose
	// release its contents tell).
	Tag    string
	Result fileResult
	used   bool
}

// OpenCache opens the pack for the key made of parts (hoist's version, the
// settings, the arguments). A missing or unreadable pack is an empty one:
// the cache only ever saves work.
func OpenCache(dir string, parts ...string) *Cache {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	c := &Cache{Dir: dir, key: hex.EncodeToString(h.Sum(nil))[:32], entries: map[string]*cacheEntry{}}
	if b, err := os.ReadFile(c.path()); err == nil {
		var packed map[string]*cacheEntry
		if gob.NewDecoder(bytes.NewReader(b)).Decode(&packed) == nil && packed != nil {
			c.entries = packed
		}
	}
	return c
}

func (c *Cache) path() string { return filepath.Join(c.Dir, "lint-"+c.key+".gob") }

// get returns the cached result of the file name whose content hashes to
// h, read as tag says (input.cacheTag).
func (c *Cache) get(name string, h [32]byte, tag string, hashes *fileHashes) (fileResult, bool) {
	if c == nil {
		return fileResult{}, false
	}
	c.mu.Lock()
	e, ok := c.entries[name]
	c.mu.Unlock()
	// The dependencies are read outside the lock: the workers check
	// theirs at once.
	if ok && e.Hash == h && e.Tag == tag && hashes.depsUnchanged(e.Result.Deps) {
		c.mu.Lock()
		e.used = true
		c.Hits++
		c.mu.Unlock()
		return e.Result, true
	}
	c.mu.Lock()
	c.Misses++
	c.mu.Unlock()
	return fileResult{}, false
}

func (c *Cache) put(name string, h [32]byte, tag string, r fileResult) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[name] = &cacheEntry{Hash: h, Tag: tag, Result: r, used: true}
	c.dirty = true
}

// Save writes the pack when it changed, dropping the files this run did
// not see.
func (c *Cache) Save() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.entries {
		if !e.used {
			delete(c.entries, k)
			c.dirty = true
		}
	}
	if !c.dirty {
		return nil
	}
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return err
	}
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(c.entries); err != nil {
		return err
	}
	c.dirty = false
	return atomicfile.Write(c.path(), b.Bytes(), 0o644)
}

// CacheDir returns hoist's default cache folder: $HOIST_CACHE_DIR, else
// hoist/ under the user cache folder ($XDG_CACHE_HOME, ~/.cache).
func CacheDir(getenv func(string) string) (string, error) {
	if d := getenv("HOIST_CACHE_DIR"); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "hoist"), nil
}
