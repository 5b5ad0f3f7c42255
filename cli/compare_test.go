package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"hoist/internal/testenv"
)

// buildHoist builds cmd/hoist into a temporary folder.
func buildHoist(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "hoist")
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", bin, "./cmd/hoist")
	cmd.Dir = testenv.RepoRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/hoist: %v\n%s", err, out)
	}
	return bin
}

// TestCompareWithRealHeat runs the Heat oracle's compare.sh, which runs
// hoist eval on the 119 queens container services with the inputs real
// Heat used and compares role_data with what Heat computed.
//
// The oracle stubs the attributes of resource types it does not run with
// the string STUB:<type>:<resource>:<attribute>; hoist prints an unknown
// value there ({"<unknown>": reason}), never a made-up value. So by
// default exactly one value differs (octavia-deployment-config's
// amp_ssh_key_data, an OS::Nova::KeyPair's public_key), and with
// HOIST_EVAL_UNKNOWNS=oracle, which prints unknown attributes in the
// oracle's stub form, all 119 are equal.
func TestCompareWithRealHeat(t *testing.T) {
	oracle := testenv.Oracle(t)
	testenv.CorpusRendered(t)
	bin := buildHoist(t)
	run := func(style string) string {
		cmd := exec.Command(filepath.Join(oracle, "compare.sh"), bin)
		cmd.Env = append(os.Environ(), "HOIST_EVAL_UNKNOWNS="+style)
		out, err := cmd.CombinedOutput()
		if err != nil && style == "oracle" {
			t.Errorf("compare.sh (unknowns %s): %v", style, err)
		}
		return strings.TrimSpace(string(out))
	}

	got := run("oracle")
	if last := lastLine(got); last != "119/119 equal to real Heat" {
		t.Errorf("with HOIST_EVAL_UNKNOWNS=oracle compare.sh printed:\n%s", got)
	}

	got = run("object")
	lines := strings.Split(got, "\n")
	if lastLine(got) != "118/119 equal to real Heat" || len(lines) != 2 ||
		!strings.HasPrefix(lines[0], "docker/services/octavia/octavia-deployment-config.yaml: /workflow_tasks/step5[0]/input/amp_ssh_key_data: {\"<unknown>\"") ||
		!strings.Contains(lines[0], "STUB:OS::Nova::KeyPair:default_key_pair:public_key") {
		t.Errorf("by default compare.sh should differ only at the unknown public_key of octavia's key pair; it printed:\n%s", got)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
