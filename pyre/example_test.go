package pyre_test

import (
	"fmt"

	"hoist/pyre"
)

// Heat's allowed_pattern: re.match, and the match must cover the value.
func Example_allowedPattern() {
	re, err := pyre.Compile(`^((?!balance.tcp).)*$`, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range []string{"balance-slb", "balance-tcp"} {
		m, err := re.Match(v, 0)
		fmt.Println(v, err == nil && m != nil && m.End(0) == len([]rune(v)))
	}
	_, err = pyre.Compile(`(abc`, 0)
	fmt.Println(err)
	// Output:
	// balance-slb true
	// balance-tcp false
	// missing ), unterminated subpattern at position 0
}

// yaql's regex functions: regex() compiles with re.UNICODE.
func Example_yaql() {
	re, _ := pyre.Compile(`(?:https?://)?(.*?)/(.*)`, pyre.Unicode)
	parts, _ := re.SplitStrings("192.168.24.1:8787/tripleomaster/nova-api", 0)
	var texts []string
	for _, p := range parts {
		texts = append(texts, *p) // nil for a group that did not take part
	}
	fmt.Printf("%q\n", texts)

	re, _ = pyre.Compile(`([a-z0-9])([A-Z])`, pyre.Unicode)
	s, _ := re.Sub("NovaComputeDPDK", `\1_\2`, 0)
	fmt.Println(s)

	re, _ = pyre.Compile(`(?P<n>[0-9]+)(?P<unit>[KMG])`, pyre.Unicode)
	m, _ := re.Search("hugepages 1G", 0)
	unit, _ := m.Named("unit")
	fmt.Println(m.String(), m.Group(1).Text, unit.Text, unit.Start, unit.End)

	fmt.Println(pyre.Escape("a.b_c"))
	// Output:
	// ["" "192.168.24.1:8787" "tripleomaster/nova-api" ""]
	// Nova_Compute_DPDK
	// 1G 1 G 11 12
	// a\.b\_c
}
