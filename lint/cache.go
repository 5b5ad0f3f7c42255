package lint

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"hoist/internal/atomicfile"
)

// Cache keeps the results of checking each file, keyed by the file's
// content hash, under a key made of hoist's version, the configuration and
// the run's arguments. A warm run of an unchanged tree reads and hashes the
// files and takes their findings from the cache without loading any YAML.
//
// One pack holds every file of one kind of run: the packs live in Dir,
// named by the key, each split into packShards files by the hash of the
// file names. A pack is read once at the start (its shards in parallel)
// and its changed shards written once at the end, each through a
// temporary file and a rename, so that concurrent runs never see half a
// shard.
type Cache struct {
	Dir string
	key string

	mu      sync.Mutex
	entries map[string]*cacheEntry
	// dirty marks the shards to write.
	dirty    [packShards]bool
	loadOnce sync.Once
	// trees is the tree memo (treememo.go): each tree rule's findings.
	trees      map[string]*treeEntry
	treesDirty bool
	// heads are the files' heat_template_version by absolute path
	// (heads.go).
	heads      map[string]*headEntry
	headsDirty bool
	// Hits and Misses count lookups.
	Hits, Misses int
	// Memoized is set when the run's whole result came from the run memo
	// (memo.go): no file was looked up.
	Memoized bool
}

type cacheEntry struct {
	Hash [32]byte
	// Stamp is the file's metadata when its result was stored (the zero
	// stamp when it had just changed, fileStamp.settled).
	Stamp fileStamp
	// Tag is what else the result depends on: the release the file was
	// read as and its tree's root ("" for a file outside a tree, whose
	// release its contents tell).
	Tag string
	// Deps are the result's dependencies (fileResult.Deps), compared
	// before the result is decoded.
	Deps map[string][32]byte
	// result is the result as the pack holds it (encodeResult): each hit
	// decodes its own copy, which the run may change.
	result []byte
	used   bool
}

// packShards is how many files a pack is split into, by the hash of the
// file names: a run that checks one file again writes one shard, and the
// shards of a warm run are decoded in parallel.
const packShards = 16

// OpenCache opens the pack for the key made of parts (hoist's version, the
// settings, the arguments). A missing or unreadable shard is an empty one:
// the cache only ever saves work.
func OpenCache(dir string, parts ...string) *Cache {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return &Cache{Dir: dir, key: hex.EncodeToString(h.Sum(nil))[:32], entries: map[string]*cacheEntry{}}
}

// load reads the pack, once, on first use: a run the run memo answers
// (memo.go) never reads it.
func (c *Cache) load() {
	c.loadOnce.Do(c.read)
}

func (c *Cache) read() {
	shards := make([]map[string]*cacheEntry, packShards)
	var trees map[string]*treeEntry
	var heads map[string]*headEntry
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		trees = c.readTrees()
	}()
	go func() {
		defer wg.Done()
		heads = c.readHeads()
	}()
	for i := range shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, err := readShard(c.shardPath(i))
			if err != nil {
				return
			}
			if packed, err := decodePack(b); err == nil {
				shards[i] = packed
			}
		}()
	}
	wg.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	if trees == nil {
		trees = map[string]*treeEntry{}
	}
	c.trees = trees
	if heads == nil {
		heads = map[string]*headEntry{}
	}
	c.heads = heads
	for i, sh := range shards {
		for name, e := range sh {
			if shardOf(name) == i {
				c.entries[name] = e
			}
		}
	}
}

// shardOf is the shard a file's entry lives in.
func shardOf(name string) int {
	h := fnv.New32a()
	h.Write([]byte(name))
	return int(h.Sum32() % packShards)
}

func (c *Cache) shardPath(i int) string {
	return filepath.Join(c.Dir, fmt.Sprintf("lint-%s-%02d.pack", c.key, i))
}

// get returns the cached result of the file name whose content hashes to
// h, read as tag says (input.cacheTag).
func (c *Cache) get(name string, h [32]byte, tag string, stamp fileStamp, hashes *fileHashes) (fileResult, bool) {
	if c == nil {
		return fileResult{}, false
	}
	// The dependencies are read outside the lock: the workers check
	// theirs at once.
	if e := c.entry(name); e != nil && e.Hash == h && e.Tag == tag && hashes.depsUnchanged(e.Deps) {
		// The same contents with new metadata (a checkout, a touch) get
		// the new stamp: the next run finds them by it.
		if r, ok := c.use(name, e, stamp); ok {
			return r, true
		}
	}
	c.mu.Lock()
	c.Misses++
	c.mu.Unlock()
	return fileResult{}, false
}

// entry returns the entry of the file name, nil for none.
func (c *Cache) entry(name string) *cacheEntry {
	c.load()
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.entries[name]
}

// use decodes the result of the entry e of the file name for a hit, and
// records the hit and the file's stamp now.
func (c *Cache) use(name string, e *cacheEntry, stamp fileStamp) (fileResult, bool) {
	r, err := decodeResult(e.result, e.Deps)
	if err != nil {
		return fileResult{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e.used = true
	c.Hits++
	if e.Stamp != stamp {
		e.Stamp = stamp
		c.dirty[shardOf(name)] = true
	}
	return r, true
}

// seedHashes gives hashes the content hash of every input whose stamp is
// the one its cache entry recorded: the file did not change, so its hash
// is the entry's, and the results that depend on it (an evaluated service
// on the templates it nests) are checked without reading it.
func (c *Cache) seedHashes(inputs []input, wd string, hashes *fileHashes) {
	if c == nil || hashes == nil {
		return
	}
	c.load()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, in := range inputs {
		if in.stamp == (fileStamp{}) {
			continue
		}
		e, ok := c.entries[in.name]
		if !ok || e.Stamp != in.stamp {
			continue
		}
		hashes.m.Store(absFrom(wd, in.name), fileHash{sum: e.Hash, ok: true})
	}
}

// getByStamp returns the cached result of the file name when the file's
// stamp is the one recorded with it: the file was not changed since, and
// need not be read.
func (c *Cache) getByStamp(name string, stamp fileStamp, tag string, hashes *fileHashes) (fileResult, bool) {
	if c == nil || stamp == (fileStamp{}) {
		return fileResult{}, false
	}
	e := c.entry(name)
	if e == nil || e.Stamp != stamp || e.Tag != tag || !hashes.depsUnchanged(e.Deps) {
		return fileResult{}, false
	}
	return c.use(name, e, stamp)
}

func (c *Cache) put(name string, h [32]byte, tag string, stamp fileStamp, r fileResult) {
	if c == nil {
		return
	}
	c.load()
	c.mu.Lock()
	defer c.mu.Unlock()
	// Encoded now: the run goes on to change the findings of r.
	c.entries[name] = &cacheEntry{Hash: h, Stamp: stamp, Tag: tag, Deps: r.Deps, result: encodeResult(&r), used: true}
	c.dirty[shardOf(name)] = true
}

// Save writes the pack when it changed, dropping the files this run did
// not see.
func (c *Cache) Save() error {
	if c == nil {
		return nil
	}
	if c.Memoized {
		return nil // the run looked up no file: the pack stays as it was
	}
	c.load()
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.entries {
		if !e.used {
			delete(c.entries, k)
			c.dirty[shardOf(k)] = true
		}
	}
	treesErr := errors.Join(c.saveTrees(), c.saveHeads())
	if !slices.Contains(c.dirty[:], true) {
		return treesErr
	}
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return err
	}
	shards := make([]map[string]*cacheEntry, packShards)
	for k, e := range c.entries {
		if i := shardOf(k); c.dirty[i] {
			if shards[i] == nil {
				shards[i] = map[string]*cacheEntry{}
			}
			shards[i][k] = e
		}
	}
	errs := make([]error, packShards)
	var wg sync.WaitGroup
	for i, sh := range shards {
		if !c.dirty[i] {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = atomicfile.Write(c.shardPath(i), encodePack(sh), 0o644)
		}()
	}
	wg.Wait()
	c.dirty = [packShards]bool{}
	return errors.Join(append(errs, treesErr)...)
}

// The pack's side files (the tree memo, the heads) each hold one map,
// read whole with the pack and written whole when it changed.

// sidePath is the side file named what, beside the pack's shards.
func (c *Cache) sidePath(what string) string {
	return filepath.Join(c.Dir, fmt.Sprintf("lint-%s-%s.pack", c.key, what))
}

// readSide reads a side file; a missing or malformed one holds nothing.
func readSide[E any](path string, decode func([]byte) (map[string]*E, error)) map[string]*E {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	m, err := decode(b)
	if err != nil {
		return nil
	}
	return m
}

// saveSide writes the side file at path in the cache folder dir when
// *dirty, first dropping the entries this run did not use. The cache's
// lock is held.
func saveSide[E any](dir, path string, m map[string]*E, dirty *bool, used func(*E) bool, encode func(map[string]*E) []byte) error {
	for k, e := range m {
		if !used(e) {
			delete(m, k)
			*dirty = true
		}
	}
	if !*dirty {
		return nil
	}
	*dirty = false
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return atomicfile.Write(path, encode(m), 0o644)
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
