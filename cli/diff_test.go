package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hoist/plan"
	"hoist/plan/plantest"
	"hoist/source"
	"hoist/value"
)

// keystoneChange applies to the Controller role data what one change of
// docker/services/keystone.yaml does: the keystone container gets
// KOLLA_CONFIG_STRATEGY=COPY_ONCE and a new volume, and its hiera
// keystone::debug becomes true.
func keystoneChange(d *plan.Deployment) {
	r := source.Range{}
	c := d.Roles[0]
	dc, _ := c.Data.Map.Get("docker_config")
	st, _ := dc.Map.Get("step_3")
	ks, _ := st.Map.Get("keystone")
	ks.Map.SetString("environment", value.NewList([]*value.Value{value.NewString("KOLLA_CONFIG_STRATEGY=COPY_ONCE", r)}, r))
	vols, _ := ks.Map.Get("volumes")
	vols.List = append(vols.List, value.NewString("/var/lib/config-data/puppet-generated/keystone/etc/keystone/fernet-keys:/etc/keystone/fernet-keys:ro", r))
	cs, _ := c.Data.Map.Get("config_settings")
	cs.Map.SetString("keystone::debug", value.NewBool(true, r))
}

func TestDiffGoldens(t *testing.T) {
	counts := map[string]int{"Controller": 3, "Compute": 2}
	old := writeQueens(t, plantest.Queens(t, counts))
	d := plantest.Queens(t, counts)
	keystoneChange(d)
	changed := writeQueens(t, d)
	for _, format := range []string{"text", "json"} {
		r := run(t, "", "diff", old, changed, "--format", format)
		if r.code != ExitFindings || r.err != "" {
			t.Fatalf("%s: exit %d\n%s", format, r.code, r.err)
		}
		golden(t, planData(t, "diff-keystone."+map[string]string{"text": "txt", "json": "json"}[format]), r.stdout)
	}
	r := run(t, "", "diff", old, old)
	if r.code != ExitOK || r.stdout != "no differences\n" {
		t.Errorf("a tree against itself: exit %d\n%s%s", r.code, r.stdout, r.err)
	}
	text := run(t, "", "diff", old, changed).stdout
	for _, want := range []string{
		"nodes overcloud-controller-0, overcloud-controller-1, overcloud-controller-2:",
		"container changed keystone: environment, volumes",
		"environment changed: KOLLA_CONFIG_STRATEGY=COPY_ALWAYS → COPY_ONCE",
		`volume added: "/var/lib/config-data/puppet-generated/keystone/etc/keystone/fernet-keys:/etc/keystone/fernet-keys:ro"`,
		"hiera key changed keystone::debug",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the diff lacks %q", want)
		}
	}
	if strings.Contains(text, "novacompute") {
		t.Error("the computes did not change")
	}
}

func TestDiffErrors(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "x"), 0o755)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"diff", dir}, "expected two folders"},
		{[]string{"diff", filepath.Join(dir, "x"), dir}, "is not the output of hoist build -o"},
		{[]string{"diff", dir, dir, "--format", "html"}, `unknown format "html"`},
	} {
		r := run(t, "", c.args...)
		if r.code != ExitUsage || !strings.Contains(r.err, c.want) {
			t.Errorf("%v: exit %d\n%s", c.args, r.code, r.err)
		}
	}
}
