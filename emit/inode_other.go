//go:build !unix

package emit

import "io/fs"

// inode is unknown here: every file is read.
func inode(fs.FileInfo) (uint64, bool) { return 0, false }
