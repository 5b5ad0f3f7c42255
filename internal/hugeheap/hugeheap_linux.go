//go:build linux

package hugeheap

import (
	"runtime"
	"syscall"
)

func reserve(n int) bool {
	if n <= 0 {
		return false
	}
	ok := advise(n)
	// The block is garbage now: collecting it gives its pages back to the
	// heap (mapped, untouched, marked), where the next allocations go.
	runtime.GC()
	return ok
}

func advise(n int) bool {
	b := make([]byte, n)
	return syscall.Madvise(b, syscall.MADV_HUGEPAGE) == nil
}
