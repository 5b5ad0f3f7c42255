package executor_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hoist/diag"
	"hoist/executor"
	"hoist/executor/executortest"
)

// copyTree copies the fixture node folder so that a test can change it.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestUnknownValuesRefuseARealApply: a node folder built with
// --allow-missing holds "<unknown: ...>" where an image name or a password
// should be. A real apply refuses it before touching anything; a dry run
// shows the commands and warns.
func TestUnknownValuesRefuseARealApply(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "overcloud-controller-0")
	copyTree(t, fixtureNode(t), dir)
	step := filepath.Join(dir, executor.StepConfigFile(2))
	b, err := os.ReadFile(step)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(b), `"image": "`)
	if i < 0 {
		t.Fatalf("no image in %s", step)
	}
	j := i + len(`"image": "`)
	k := j + strings.IndexByte(string(b[j:]), '"')
	changed := string(b[:j]) + "<unknown: parameter DockerMysqlImage has no value>" + string(b[k:])
	if err := os.WriteFile(step, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	n, err := executor.OpenNode(dir, "")
	if err != nil {
		t.Fatal(err)
	}

	root := t.TempDir()
	eng := executortest.NewEngine()
	x := nodeExecutor(t, eng, root)
	err = x.ApplyNode(context.Background(), n, allSteps())
	var ds diag.List
	if !errors.As(err, &ds) && !errors.As(err, new(*diag.Diagnostic)) {
		t.Fatalf("err = %v, want input diagnostics", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "docker-container-startup-config-step_2.json holds 1 value hoist build could not know") ||
		!strings.Contains(msg, "[apply/input]") {
		t.Errorf("err = %v", err)
	}
	if calls := eng.Calls(); len(calls) != 0 {
		t.Errorf("a refused apply ran %d commands: %v", len(calls), calls)
	}
	if ents, _ := os.ReadDir(root); len(ents) != 0 {
		t.Errorf("a refused apply wrote under the root: %v", ents)
	}

	dry := nodeExecutor(t, executortest.NewEngine(), t.TempDir())
	dry.DryRun = true
	if err := dry.ApplyNode(context.Background(), n, allSteps()); err != nil {
		t.Errorf("dry run: %v", err)
	}
}
