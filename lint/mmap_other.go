//go:build !linux

package lint

import "os"

// readShard reads a shard of the pack.
func readShard(path string) ([]byte, error) { return os.ReadFile(path) }
