//go:build linux

package lint

import (
	"os"
	"syscall"
)

// readShard returns a shard's bytes, mapped read-only rather than read
// into the heap: a warm run reads every shard of the pack (megabytes) and
// keeps slices of them (the entries' results, decoded per hit), and the
// pages of a mapping come from the page cache without being copied or
// touched one by one as fresh heap memory is. The mapping lives as long
// as the process: shards are replaced by a rename (atomicfile), never
// written in place, so a mapped shard never changes under the run.
func readShard(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := st.Size()
	if size == 0 || size != int64(int(size)) {
		return os.ReadFile(path)
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_PRIVATE)
	if err != nil {
		return os.ReadFile(path)
	}
	return b, nil
}
