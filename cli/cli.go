// Package cli is the hoist command line. It is a library so that every
// command can be tested in-process: Main takes the arguments and the three
// standard streams and returns the exit code.
//
// Exit codes: 0 clean, 1 findings at or above the fail level, 2 usage or
// input error, 3 internal error.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"

	"github.com/spf13/pflag"

	"hoist/diag"
	"hoist/internal/hugeheap"
)

// Exit codes.
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitUsage    = 2
	ExitInternal = 3
)

// Stdio holds the standard streams a command reads and writes. Output for
// machines goes to Out; logs, progress and errors to Err.
type Stdio struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

// Env is what a command runs with: its streams and its environment
// variables. Paths are relative to the process's working directory.
type Env struct {
	Stdio
	// Getenv reads an environment variable.
	Getenv func(string) string
}

// Main runs hoist with the process environment.
//
// HOIST_CPUPROFILE=FILE writes a CPU profile of the run to FILE, and
// HOIST_MEMPROFILE=FILE a profile of its allocations (go tool pprof reads
// both), for measuring a command as users run it.
//
// A command that loads templates first asks for transparent huge pages
// for its heap (hugeheap.Reserve; docs/perf.md, "Huge pages");
// HOIST_HUGE_PAGES=off leaves the heap as the runtime makes it.
func Main(args []string, stdio Stdio) int {
	if len(args) > 0 && heapCommands[args[0]] && os.Getenv("HOIST_HUGE_PAGES") != "off" {
		hugeheap.Reserve(heapReserve)
	}
	if p := os.Getenv("HOIST_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			if pprof.StartCPUProfile(f) == nil {
				defer f.Close()
				defer pprof.StopCPUProfile()
			}
		}
	}
	if p := os.Getenv("HOIST_MEMPROFILE"); p != "" {
		runtime.MemProfileRate = 64 << 10
		defer func() {
			if f, err := os.Create(p); err == nil {
				pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
		}()
	}
	return Run(&Env{Stdio: stdio, Getenv: os.Getenv}, args)
}

// heapCommands are the commands that load templates, whose heap grows to
// tens or hundreds of megabytes; heapReserve is how much of it is asked
// for in huge pages (a cold lint of a THT tree holds about 150 MB).
var heapCommands = map[string]bool{"apply": true, "build": true, "debug": true, "diff": true, "eval": true,
	"lint": true, "params": true, "plan": true, "schema": true, "why": true}

const heapReserve = 256 << 20

// Run runs one hoist command line. A panic inside a command is reported as
// an internal error (exit 3), never a crash.
func Run(env *Env, args []string) (code int) {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(env.Err, "hoist: internal error: %v\n%s\nplease report this with the command line and input that caused it\n", r, debug.Stack())
			code = ExitInternal
		}
	}()
	if len(args) == 0 {
		writeOverview(env.Err)
		return ExitUsage
	}
	name := args[0]
	switch name {
	case "-h", "--help":
		writeOverview(env.Out)
		return ExitOK
	case "-v", "--version":
		name = "version"
	}
	cmd := findCommand(name)
	if cmd == nil {
		fmt.Fprintf(env.Err, "hoist: unknown command %q; expected one of %s\nRun 'hoist help' for usage.\n", name, diag.QuoteList(commandNames()))
		return ExitUsage
	}
	return cmd.run(env, args[1:])
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	// usage is the synopsis after "hoist ".
	usage string
	// long is the help text after the synopsis.
	long string
	// flags declares the command's flags on fs and returns what its run
	// function needs; run is called after parsing.
	setup func(fs *pflag.FlagSet) func(env *Env, args []string) int
}

func (c *command) flagSet() (*pflag.FlagSet, func(env *Env, args []string) int) {
	fs := pflag.NewFlagSet("hoist "+c.name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	run := c.setup(fs)
	return fs, run
}

func (c *command) run(env *Env, args []string) int {
	fs, run := c.flagSet()
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			c.writeHelp(env.Out)
			return ExitOK
		}
		fmt.Fprintf(env.Err, "hoist %s: %v\nRun 'hoist help %s' for usage.\n", c.name, err, c.name)
		return ExitUsage
	}
	return run(env, fs.Args())
}

func (c *command) writeHelp(w io.Writer) {
	fs, _ := c.flagSet()
	fmt.Fprintf(w, "Usage: hoist %s\n\n%s\n", c.usage, strings.TrimSpace(c.long))
	if fs.HasFlags() {
		fmt.Fprintf(w, "\nFlags:\n%s", fs.FlagUsagesWrapped(100))
	}
}

func findCommand(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

func commandNames() []string {
	var out []string
	for _, c := range commands() {
		out = append(out, c.name)
	}
	return out
}

func writeOverview(w io.Writer) {
	fmt.Fprintf(w, "hoist compiles and lints TripleO containerized service templates, offline.\n\nUsage: hoist <command> [flags] [arguments]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'hoist help <command>' for the flags of a command.\nExit codes: 0 clean, 1 findings at or above the fail level, 2 usage or input error, 3 internal error.\n")
}

// usageError prints a usage error for a command and returns ExitUsage.
func usageError(env *Env, cmd, format string, args ...any) int {
	fmt.Fprintf(env.Err, "hoist %s: %s\nRun 'hoist help %s' for usage.\n", cmd, fmt.Sprintf(format, args...), cmd)
	return ExitUsage
}
