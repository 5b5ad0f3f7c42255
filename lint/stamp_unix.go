//go:build linux

package lint

import (
	"os"
	"syscall"
	"time"
)

// stampOf is the stamp of a file's metadata that a change to its contents
// changes: size, modification and status-change times, inode and device
// (the fields git's index compares). The status-change time cannot be set
// by the tools that set a modification time back (touch -d, tar, rsync
// -t).
func stampOf(fi os.FileInfo) fileStamp {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileStamp{}
	}
	return fileStamp{
		Size:  st.Size,
		Mtime: time.Unix(st.Mtim.Unix()).UnixNano(),
		Ctime: time.Unix(st.Ctim.Unix()).UnixNano(),
		Ino:   st.Ino,
		Dev:   uint64(st.Dev),
	}
}
