//go:build linux

package hugeheap

import (
	"bufio"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestReserveMarksTheHeap: after Reserve, a block the heap hands out lies
// in memory marked for huge pages ("hg" among the VmFlags of its mapping
// in /proc/self/smaps), where one handed out before did not. Reserve is
// made for the start of a process, before the heap grows otherwise: the
// check runs in a fresh process (this test binary again), as cli.Main
// calls it.
func TestReserveMarksTheHeap(t *testing.T) {
	if os.Getenv("HOIST_HUGEHEAP_CHILD") == "1" {
		reserveAndCheck(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestReserveMarksTheHeap$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), "HOIST_HUGEHEAP_CHILD=1")
	out, err := cmd.CombinedOutput()
	switch {
	case err != nil:
		t.Errorf("in a fresh process: %v\n%s", err, out)
	case strings.Contains(string(out), "--- SKIP"):
		t.Skipf("in a fresh process:\n%s", out)
	default:
		for _, l := range strings.Split(string(out), "\n") {
			if strings.Contains(l, "of 48 MiB") {
				t.Log(strings.TrimSpace(l))
			}
		}
	}
}

func reserveAndCheck(t *testing.T) {
	// Kept alive to the end, so that the block below cannot reuse it.
	before := make([]byte, 16<<20)
	defer runtime.KeepAlive(before)
	if flags, ok := vmFlags(t, uintptr(unsafe.Pointer(&before[0]))); !ok || strings.Contains(flags+" ", " hg ") {
		t.Skipf("the heap is marked before Reserve (VmFlags %q): nothing to tell", flags)
	}
	if !Reserve(64 << 20) {
		t.Skip("the kernel does not take MADV_HUGEPAGE")
	}
	// The largest free range of the heap is the reserved one: the block
	// lies in it, but in a few runs in a hundred for its start (a free
	// range just below the region: 47, once 26, of 48 MiB marked).
	b := make([]byte, 48<<20)
	marked := 0
	for off := 0; off < len(b); off += 1 << 20 {
		flags, ok := vmFlags(t, uintptr(unsafe.Pointer(&b[off])))
		if ok && strings.Contains(flags+" ", " hg ") {
			marked++
		}
	}
	if marked == 0 {
		t.Errorf("no MiB of the block lies in a mapping marked for huge pages")
	}
	t.Logf("%d of 48 MiB of the block marked", marked)
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
