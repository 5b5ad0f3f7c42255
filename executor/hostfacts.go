package executor

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// LocalHost answers a dialect's questions about this machine: the CPUs
// hoist may run on and the kernel command line, read from /proc.
func LocalHost() Host {
	return Host{CPUAffinity: CPUAffinity, KernelCmdline: KernelCmdline}
}

// CPUAffinity reads the CPUs this process may run on (what paunch took
// from psutil's cpu_affinity()) from /proc/self/status.
func CPUAffinity() ([]int, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		list, ok := strings.CutPrefix(line, "Cpus_allowed_list:")
		if !ok {
			continue
		}
		return ParseCPUList(strings.TrimSpace(list))
	}
	return nil, errors.New("no Cpus_allowed_list in /proc/self/status")
}

// ParseCPUList reads a kernel CPU list such as "0-3,8,10-11".
func ParseCPUList(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		if !isRange {
			hi = lo
		}
		a, err1 := strconv.Atoi(lo)
		b, err2 := strconv.Atoi(hi)
		if err1 != nil || err2 != nil || a > b {
			return nil, fmt.Errorf("cannot read the CPU list %q", s)
		}
		for i := a; i <= b; i++ {
			out = append(out, i)
		}
	}
	return out, nil
}

// KernelCmdline returns this machine's kernel command line
// (/proc/cmdline).
func KernelCmdline() (string, error) {
	b, err := os.ReadFile("/proc/cmdline")
	return string(b), err
}

// SystemdBooted reports whether this machine runs systemd as its init
// (/run/systemd/system is a folder, sd_booted's test): podman containers
// with a restart policy can then be handed to systemd units.
func SystemdBooted() bool {
	st, err := os.Stat("/run/systemd/system")
	return err == nil && st.IsDir()
}

// SameHost reports whether the machine whose hostname is machine
// (os.Hostname, possibly fully qualified) is the node named node: its
// short name (up to the first dot) equal to node without regard to case.
// It returns the short name.
func SameHost(machine, node string) (short string, same bool) {
	short, _, _ = strings.Cut(machine, ".")
	return short, strings.EqualFold(short, node)
}
