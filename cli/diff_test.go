package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDiffErrors(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "x"), 0o755)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"diff", dir}, "expected two folders"},
		{[]string{"diff", filepath.Join(dir, "x"), dir}, "is not the output of hoist build -o"},
		{[]string{"diff", dir, dir, "--format", "xml"}, `unknown format "xml"`},
	} {
		r := run(t, "", c.args...)
		if r.code != ExitUsage || !strings.Contains(r.err, c.want) {
			t.Errorf("%v: exit %d\n%s", c.args, r.code, r.err)
		}
	}
}
