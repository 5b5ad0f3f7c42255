package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"hoist/executor/executortest"
	"hoist/internal/testenv"
)

// allParametersEnvironment gives every parameter the tree leaves without
// a value a value of its type (images a made-up name), so that a node
// folder holds nothing hoist build could not know but what only a live
// cloud generates.
func allParametersEnvironment(t testing.TB, tht string) string {
	t.Helper()
	r := run(t, "", "params", "missing", "--templates", tht)
	if r.code != ExitOK {
		t.Fatalf("params missing: exit %d\n%s", r.code, r.err)
	}
	var b strings.Builder
	b.WriteString("parameter_defaults:\n")
	typ := ""
	for _, l := range strings.Split(r.stdout, "\n") {
		tl := strings.TrimSpace(l)
		if strings.HasPrefix(tl, "# ") && strings.Contains(tl, ", declared at") {
			typ = strings.TrimPrefix(strings.Split(tl, ",")[0], "# ")
			continue
		}
		name, isParam := strings.CutSuffix(tl, ":")
		if !strings.HasPrefix(l, "  ") || !isParam || strings.HasPrefix(tl, "#") {
			continue
		}
		v := "x"
		switch {
		case strings.HasSuffix(name, "Image"):
			v = "registry.example/" + strings.ToLower(name) + ":1"
		case typ == "number":
			v = "1"
		case typ == "boolean":
			v = "false"
		case typ == "json":
			v = "{}"
		case strings.HasSuffix(name, "Key"):
			v = "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==" // CephClientKey's pattern
		}
		b.WriteString("  " + name + ": " + v + "\n")
	}
	return writeFile(t, t.TempDir(), "parameters.yaml", b.String())
}

// queensControllerNode builds the queens deployment with every missing
// parameter given a made-up value and returns the folder of its first
// controller, with what only a live cloud knows (generated passwords and
// cookies, the addresses) made up too, so that the node can be applied.
func queensControllerNode(t testing.TB) string {
	t.Helper()
	tht := testenv.Tree(t, "queens")
	out := filepath.Join(t.TempDir(), "out")
	r := run(t, "", releaseBuild(tht, "-e", allParametersEnvironment(t, tht), "-o", out)...)
	if r.code != ExitOK && r.code != ExitFindings {
		t.Fatalf("build: exit %d\n%s", r.code, r.err)
	}
	node := filepath.Join(out, "nodes", "overcloud-controller-0")
	unknown := regexp.MustCompile(`<unknown: [^>]*>`)
	err := filepath.WalkDir(node, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if nb := unknown.ReplaceAll(b, []byte("x")); len(nb) != len(b) {
			return os.WriteFile(p, nb, 0o600)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return node
}

// TestApplyAsksOnce applies the queens controller node on a fake runtime,
// then dry-runs it again: the runtime is asked at most twice per step
// plus once per container the run would change (the bound), and
// in fact two or three times in all.
func TestApplyAsksOnce(t *testing.T) {
	node := queensControllerNode(t)
	// A dry run changes nothing, so it asks once for all its steps: one
	// listing of the containers, one of the images, and with docker, whose
	// listing has no image ids, one inspect of the containers.
	for rt, want := range map[string]int{"docker": 3, "podman": 2} {
		t.Run(rt, func(t *testing.T) {
			eng := executortest.NewEngine()
			withFakeRuntime(t, eng)
			root := t.TempDir()
			if r := run(t, "", "apply", node, "--root", root, "--systemd", "no", "--runtime", rt); r.code != ExitOK {
				t.Fatalf("apply: exit %d\n%s", r.code, r.err)
			}
			eng.Reset()
			r := run(t, "", "apply", node, "--root", root, "--dry-run", "--systemd", "no", "--runtime", rt)
			if r.code != ExitOK {
				t.Fatalf("dry run: exit %d\n%s", r.code, r.err)
			}
			changes := strings.Count(r.stdout, "\n")
			const steps = 5
			var ps, other int
			for _, c := range eng.Calls() {
				if c[1] == "ps" {
					ps++
				} else {
					other++
				}
			}
			if calls := ps + other; calls > want {
				t.Errorf("the dry run of the applied node asked the runtime %d times (%d ps), want %d: %q", calls, ps, want, eng.Calls())
			}
			if calls := ps + other; calls > 2*steps+changes {
				t.Errorf("the dry run asked the runtime %d times; at most %d (2 per step, 1 per container it would change: %d) are allowed", calls, 2*steps+changes, changes)
			}
			for _, line := range strings.Split(r.stdout, "\n") {
				if strings.HasPrefix(line, rt+" pull ") {
					t.Errorf("the applied node's images would be pulled again: %s", line)
				}
			}
			t.Logf("%d runtime calls (%d ps), %d commands it would run", ps+other, ps, changes)

			// On a runtime with no images and no containers, the dry run
			// asks twice too: the images the node names in full are not
			// in the listing, so they are absent.
			empty := executortest.NewEngine()
			withFakeRuntime(t, empty)
			r = run(t, "", "apply", node, "--root", t.TempDir(), "--dry-run", "--systemd", "no", "--runtime", rt)
			if r.code != ExitOK {
				t.Fatalf("dry run on an empty runtime: exit %d\n%s", r.code, r.err)
			}
			if calls := empty.Calls(); len(calls) > 2 {
				t.Errorf("the dry run on an empty runtime asked %d times, want 2 (one listing of the containers, one of the images): %q", len(calls), calls)
			}
			if pulls := strings.Count(r.stdout, rt+" pull "); pulls == 0 {
				t.Errorf("the dry run on an empty runtime pulls nothing:\n%s", r.stdout)
			}
		})
	}
}
