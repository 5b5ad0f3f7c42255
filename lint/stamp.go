package lint

import "time"

// fileStamp identifies a version of a file by its metadata, so that a warm
// run finds the cached result of an unchanged file without reading it
// (as git's index does). The zero stamp matches nothing.
type fileStamp struct {
	Size         int64
	Mtime, Ctime int64
	Ino, Dev     uint64
}

// settleTime is how old a file's last change must be for its stamp to be
// recorded: a file changed again within the same clock tick as a check
// could keep its stamp with other contents ("racily clean" in git).
var settleTime = 2 * time.Second

// settled returns s when the file last changed at least settleTime before
// now, else the zero stamp.
func (s fileStamp) settled(now time.Time) fileStamp {
	if s.Ctime == 0 || now.UnixNano()-max(s.Mtime, s.Ctime) < int64(settleTime) {
		return fileStamp{}
	}
	return s
}
