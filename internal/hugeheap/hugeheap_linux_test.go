//go:build linux

package hugeheap

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestReserveMarksTheHeap: after Reserve, a block the heap hands out lies
// in memory marked for huge pages ("hg" among the VmFlags of its mapping
// in /proc/self/smaps), and one handed out before did not.
func TestReserveMarksTheHeap(t *testing.T) {
	before := make([]byte, 16<<20)
	if flags, ok := vmFlags(t, uintptr(unsafe.Pointer(&before[0]))); !ok || strings.Contains(flags, " hg") {
		t.Skipf("the heap is marked before Reserve (VmFlags %q): nothing to tell", flags)
	}
	before = nil
	if !Reserve(64 << 20) {
		t.Skip("the kernel does not take MADV_HUGEPAGE")
	}
	// The largest free range of the heap is the reserved one.
	b := make([]byte, 48<<20)
	flags, ok := vmFlags(t, uintptr(unsafe.Pointer(&b[0])))
	if !ok {
		t.Fatal("the block lies in no mapping of /proc/self/smaps")
	}
	if !strings.Contains(flags+" ", " hg ") {
		t.Errorf("the block's mapping is not marked for huge pages: VmFlags %q", flags)
	}
}

// TestReserveNothing: Reserve of nothing does nothing.
func TestReserveNothing(t *testing.T) {
	if Reserve(0) || Reserve(-1) {
		t.Error("Reserve of no bytes took advice")
	}
}

// vmFlags returns the VmFlags of the mapping that holds addr.
func vmFlags(t *testing.T, addr uintptr) (string, bool) {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if rng, _, ok := strings.Cut(line, " "); ok && strings.Contains(rng, "-") && !strings.HasSuffix(rng, ":") {
			lo, hi, _ := strings.Cut(rng, "-")
			l, err1 := strconv.ParseUint(lo, 16, 64)
			h, err2 := strconv.ParseUint(hi, 16, 64)
			in = err1 == nil && err2 == nil && uint64(addr) >= l && uint64(addr) < h
			continue
		}
		if in && strings.HasPrefix(line, "VmFlags:") {
			return strings.TrimPrefix(line, "VmFlags:"), true
		}
	}
	return "", false
}
