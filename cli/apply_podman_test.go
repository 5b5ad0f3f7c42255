package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"hoist/executor/executortest"
)

// TestApplyHelperProcess is hoist itself when the podman interrupt test
// runs this test binary as a child process; otherwise it does nothing.
func TestApplyHelperProcess(t *testing.T) {
	if os.Getenv("HOIST_APPLY_HELPER") != "1" {
		return
	}
	var args []string
	if err := json.Unmarshal([]byte(os.Getenv("HOIST_APPLY_ARGS")), &args); err != nil {
		os.Exit(ExitInternal)
	}
	os.Exit(Main(args, Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}))
}

// TestApplyPodmanInterrupt sends SIGINT, then SIGTERM, to a real
// `hoist apply` while a foreground container runs: each time hoist exits
// 1 and leaves no half-created container; the containers already applied
// stay; applying again resumes.
func TestApplyPodmanInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the podman test in -short mode")
	}
	p := executortest.NewPodman(t)
	const image = "localhost/hoist-test/busybox:1"
	p.BuildImage(t, image, nil)
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	os.MkdirAll(data, 0o755)
	forever := []string{"sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"}
	cfg := map[string]any{
		"first":   map[string]any{"image": image, "net": "host", "restart": "always", "command": forever},
		"sleeper": map[string]any{"image": image, "net": "host", "detach": false, "start_order": 1, "volumes": []string{data + ":/data"}, "command": []string{"sh", "-c", "test -e /data/go || sleep 600"}},
		"never":   map[string]any{"image": image, "net": "host", "start_order": 2, "command": forever},
	}
	b, _ := json.Marshal(cfg)
	file := writeFile(t, dir, "startup.json", string(b))
	args := []string{"apply", "--file", file, "--config-id", "intr", "--runtime", "podman", "--root", filepath.Join(dir, "root"), "--systemd", "no"}

	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		argsJSON, _ := json.Marshal(args)
		cmd := exec.Command(os.Args[0], "-test.run=^TestApplyHelperProcess$")
		cmd.Env = append(append(os.Environ(), p.Env...), "HOIST_APPLY_HELPER=1", "HOIST_APPLY_ARGS="+string(argsJSON))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(2 * time.Minute)
		for {
			out, _ := p.Run("ps", "--filter", "name=^sleeper$", "--format", "{{.Names}}")
			if strings.TrimSpace(out) == "sleeper" {
				break
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatalf("sleeper never ran:\n%s", stderr.String())
			}
			time.Sleep(200 * time.Millisecond)
		}
		cmd.Process.Signal(sig)
		err := cmd.Wait()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != ExitFindings {
			t.Fatalf("%v: hoist apply ended with %v, want exit code 1\n%s", sig, err, stderr.String())
		}
		if !strings.Contains(stderr.String(), "interrupted; nothing half-created was left behind") {
			t.Errorf("%v: stderr:\n%s", sig, stderr.String())
		}
		ids := p.ContainerIDs(t)
		if _, ok := ids["sleeper"]; ok {
			t.Errorf("%v: the interrupted container is still there", sig)
		}
		if _, ok := ids["never"]; ok {
			t.Errorf("%v: the apply went on after the interrupt", sig)
		}
		if _, ok := ids["first"]; !ok {
			t.Errorf("%v: the container applied before the interrupt is gone", sig)
		}
	}

	// Resumed in-process: first is left alone, sleeper and never created.
	for _, kv := range p.Env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	before := p.ContainerIDs(t)["first"]
	os.WriteFile(filepath.Join(data, "go"), nil, 0o644)
	r := run(t, "", args...)
	if r.code != ExitOK {
		t.Fatalf("resume: exit code %d\n%s", r.code, r.err)
	}
	ids := p.ContainerIDs(t)
	if ids["first"] != before || ids["sleeper"] == "" || ids["never"] == "" {
		t.Errorf("after resuming: %v (first was %s)", ids, before)
	}
}
