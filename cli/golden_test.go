package cli

import "flag"

// update makes the golden tests of this package rewrite their files:
// go test ./cli -update.
var update = flag.Bool("update", false, "rewrite golden files")

func updating() bool { return *update }
