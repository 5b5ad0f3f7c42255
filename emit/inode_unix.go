//go:build unix

package emit

import (
	"io/fs"
	"syscall"
)

// inode returns a file's inode number, and whether it has other links
// (so that its contents may already have been read under another name).
func inode(info fs.FileInfo) (uint64, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return uint64(st.Ino), st.Nlink > 1
}
