//go:build !linux

package lint

import "os"

// stampOf gives no stamp where the status-change time is not at hand: a
// cached result is then found by the file's content hash only.
func stampOf(os.FileInfo) fileStamp { return fileStamp{} }
