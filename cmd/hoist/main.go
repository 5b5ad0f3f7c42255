// Command hoist compiles and lints TripleO containerized service templates.
package main

import (
	"os"

	"hoist/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}))
}
