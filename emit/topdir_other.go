//go:build !linux

package emit

// spreadSubfolders is a hint only Linux's ext2/3/4 take (topdir_linux.go).
func spreadSubfolders(string) {}
