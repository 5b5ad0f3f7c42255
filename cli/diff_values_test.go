package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hoist/internal/testenv"
	"hoist/pyyaml"
	"hoist/value"
)

// addServiceEnv writes an environment that adds one service to the
// Compute role: ComputeServices as the corpus's roles_data lists them,
// and the service.
func addServiceEnv(t *testing.T, tht, service string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(tht, "roles_data.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := pyyaml.Load("roles_data.yaml", data, pyyaml.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	var services []string
	for _, r := range value.ItemsOf(doc.Root) {
		if n, _ := value.StringOf(value.Get(r, "name")); n == "Compute" {
			services = value.StringItems(value.Get(r, "ServicesDefault"))
		}
	}
	if len(services) < 10 {
		t.Fatalf("roles_data.yaml: Compute has %d services", len(services))
	}
	var b strings.Builder
	b.WriteString("parameter_defaults:\n  ComputeServices:\n")
	for _, s := range append(services, service) {
		b.WriteString("    - " + s + "\n")
	}
	env := filepath.Join(t.TempDir(), "add-service.yaml")
	if err := os.WriteFile(env, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return env
}

// TestDiffServiceAdded: one service added to Compute (multipathd, which
// no role of the default deployment has) is, in hoist diff, that one name
// added to enabled_services on every node and to service_names on every
// Compute node, nothing else of those two lists.
func TestDiffServiceAdded(t *testing.T) {
	tht := testenv.Corpus(t)
	dir := t.TempDir()
	old, changed := filepath.Join(dir, "old"), filepath.Join(dir, "new")
	if r := run(t, "", queensBuild(tht, "-o", old)...); r.code != ExitOK {
		t.Fatalf("exit %d\n%s", r.code, r.err)
	}
	env := addServiceEnv(t, tht, "OS::TripleO::Services::Multipathd")
	if r := run(t, "", queensBuild(tht, "-e", env, "-o", changed)...); r.code != ExitOK {
		t.Fatalf("exit %d\n%s", r.code, r.err)
	}
	r := run(t, "", "diff", old, changed, "--format", "json")
	if r.code != ExitFindings {
		t.Fatalf("exit %d\n%s", r.code, r.err)
	}
	var got struct {
		Changes []struct {
			Node, File, Kind, Name string
			Values                 []struct {
				Path, Kind     string
				Added, Removed []any
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	enabled, names := map[string]string{}, map[string]string{}
	for _, c := range got.Changes {
		for _, v := range c.Values {
			var into map[string]string
			switch {
			case c.File == "etc/puppet/hieradata/all_nodes.json" && v.Path == "enabled_services":
				into = enabled
			case c.File == "etc/puppet/hieradata/service_names.json" && v.Path == "service_names":
				into = names
			default:
				continue
			}
			b, _ := json.Marshal([]any{v.Kind, v.Added, v.Removed})
			into[c.Node] = string(b)
		}
	}
	want := `["list changed",["multipathd"],[]]`
	all := []string{"overcloud-controller-0", "overcloud-controller-1", "overcloud-controller-2", "overcloud-novacompute-0", "overcloud-novacompute-1"}
	for _, n := range all {
		if enabled[n] != want {
			t.Errorf("%s: enabled_services change %s, want %s", n, enabled[n], want)
		}
		compute := strings.Contains(n, "novacompute")
		if compute && names[n] != want || !compute && names[n] != "" {
			t.Errorf("%s: service_names change %q", n, names[n])
		}
	}
	if len(enabled) != len(all) {
		t.Errorf("enabled_services changed on %d nodes", len(enabled))
	}

	// The text and the review comment say it the same way.
	text := run(t, "", "diff", old, changed).stdout
	if !strings.Contains(text, "nodes overcloud-novacompute-0, overcloud-novacompute-1:\n  etc/puppet/hieradata/all_nodes.json\n    hiera key changed enabled_services\n      added: \"multipathd\"\n") {
		t.Errorf("text:\n%s", text)
	}
	md := run(t, "", "diff", old, changed, "--format", "markdown")
	if md.code != ExitFindings {
		t.Fatalf("markdown: exit %d\n%s", md.code, md.err)
	}
	golden(t, planData(t, "diff-service-added.md"), strings.ReplaceAll(md.stdout, changed, "NEW"))
}
