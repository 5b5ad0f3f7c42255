// Package hugeheap asks the kernel to back the heap a process is about to
// grow with transparent huge pages.
//
// Where the kernel gives transparent huge pages only to memory that asks
// for them (Linux's "madvise" mode, the default of many distributions),
// the Go runtime's heap is made of 4 KiB pages, each faulted in on first
// touch. A hoist run is short and allocates a heap of tens to hundreds of
// megabytes that it touches once: on virtual machines, where a page fault
// costs 10-15 µs, the faults were a third of a cold lint's time
// (docs/perf.md, "Huge pages"). A 2 MiB page is one fault.
package hugeheap

// Reserve marks the next n bytes of heap the runtime hands out for huge
// pages: it allocates them as one block, which the runtime maps fresh and
// does not touch, asks for huge pages on it, and frees it again, so that
// the allocations that follow fill that region. It must run first thing
// in the process, before the heap is grown otherwise. It reports whether
// the kernel took the advice; it changes nothing where huge pages are not
// to be had (other systems, or a kernel with them disabled).
func Reserve(n int) bool { return reserve(n) }
