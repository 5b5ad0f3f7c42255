package executor

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// Result is what one command did.
type Result struct {
	// ExitCode is the command's exit status (0 for success).
	ExitCode int
	Stdout   []byte
	Stderr   []byte
}

// Runner runs one command given as an argv. There is no shell anywhere:
// argv[0] is looked up on PATH and the rest are its arguments, verbatim.
//
// Run returns an error only when the command could not be run at all (the
// program is missing, or ctx ended while it ran); a command that ran and
// failed returns its non-zero ExitCode and a nil error.
type Runner interface {
	Run(ctx context.Context, argv []string) (Result, error)
}

// ErrNotFound is wrapped by the error a Runner returns when the program is
// not installed.
var ErrNotFound = exec.ErrNotFound

// ExecRunner runs commands with os/exec.
type ExecRunner struct {
	// Env, when not nil, is added to the process environment of every
	// command (for example CONTAINERS_CONF=...).
	Env []string
	// StopGrace is how long a command gets to exit after SIGTERM when its
	// context ends, before it is killed (default 10s).
	StopGrace time.Duration
}

// Run implements Runner. Each command runs in its own process group, so a
// Ctrl-C at the terminal reaches hoist only: hoist then ends the command
// itself (SIGTERM, then SIGKILL after StopGrace) and cleans up after it.
func (r *ExecRunner) Run(ctx context.Context, argv []string) (Result, error) {
	if len(argv) == 0 {
		return Result{}, errors.New("empty command")
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	if r.Env != nil {
		cmd.Env = append(os.Environ(), r.Env...)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = r.StopGrace
	if cmd.WaitDelay <= 0 {
		cmd.WaitDelay = 10 * time.Second
	}
	err := cmd.Run()
	res := Result{Stdout: stdout.Bytes(), Stderr: stderr.Bytes()}
	if ctx.Err() != nil {
		res.ExitCode = -1
		return res, ctx.Err()
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		res.ExitCode = ee.ExitCode()
		if res.ExitCode < 0 { // killed by a signal
			res.ExitCode = 128 + int(ee.Sys().(syscall.WaitStatus).Signal())
		}
	default:
		return res, err
	}
	return res, nil
}
