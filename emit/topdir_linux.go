package emit

import "golang.org/x/sys/unix"

// topDirFlag is FS_TOPDIR_FL (chattr +T): ext2/3/4's Orlov allocator takes
// the folder's subfolders for the tops of unrelated trees and spreads them
// over the disk's block groups instead of packing them beside it.
const topDirFlag = 0x00020000

// spreadSubfolders marks dir as the top of unrelated trees (the node
// folders), where the file system has the hint, and does nothing
// elsewhere. On ext4 without a journal the kernel passes over inodes
// freed in the last minute when it allocates one, and a tree deleted
// just before (the previous build's) leaves tens of thousands of them
// beside dir: spread, the node folders mostly miss them (docs/perf.md,
// "Scale").
func spreadSubfolders(dir string) {
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return
	}
	defer unix.Close(fd)
	flags, err := unix.IoctlGetUint32(fd, unix.FS_IOC_GETFLAGS)
	if err != nil {
		return
	}
	_ = unix.IoctlSetPointerInt(fd, unix.FS_IOC_SETFLAGS, int(flags|topDirFlag))
}
