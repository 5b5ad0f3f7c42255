package jinja_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"hoist/compiler/jinja"
	"hoist/diag"
	"hoist/pyyaml"
	"hoist/value"
)

func load(t testing.TB, name, src string) *value.Value {
	t.Helper()
	doc, err := pyyaml.Load(name, []byte(src), pyyaml.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	return doc.Root
}

const testRoles = `
- name: Controller
  tags: [primary, controller]
  networks: [External, InternalApi]
  deprecated_nic_config_name: controller.yaml
- name: Compute
  networks: [InternalApi]
- name: CephStorage
  networks: [Storage]
  disable_constraints: true
`

const testNetworks = `
- name: External
  name_lower: external
- name: InternalApi
- name: Storage
  enabled: false
`

func newRenderer(t *testing.T, files fstest.MapFS) *jinja.Renderer {
	t.Helper()
	r, err := jinja.New(files, load(t, "roles_data.yaml", testRoles), load(t, "network_data.yaml", testNetworks), jinja.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

func TestOutputNames(t *testing.T) {
	r := newRenderer(t, fstest.MapFS{
		"common/services/role.role.j2.yaml":            file("name: {{role.name}}\n"),
		"puppet/role.role.j2.yaml":                     file("name: {{role.name}}\n"),
		"network/config/bond/role.role.j2.yaml":        file("name: {{role.name}}\n"),
		"network/network.network.j2.yaml":              file("name: {{network.name}}\n"),
		"network/network_v6.network.j2.yaml":           file("name: {{network.name}}\n"),
		"network/ports/port_from_pool.network.j2.yaml": file("name: {{network.name}}\n"),
		"overcloud.j2.yaml":                            file("n: {{roles|length}}\n"),
		"environments/x.j2.yaml":                       file("n: 1\n"),
		"plain.yaml":                                   file("a: 1\n"),
		".hidden/skip.j2.yaml":                         file("{{ broken\n"),
		"docs/.skip.j2.yaml":                           file("{{ broken\n"),
	})
	var got []string
	for _, j := range r.Jobs() {
		got = append(got, j.Path+" <- "+j.Template+" "+j.Kind.String()+" "+j.Role+j.Network)
	}
	want := []string{
		"common/services/controller-role.yaml <- common/services/role.role.j2.yaml role Controller",
		"common/services/compute-role.yaml <- common/services/role.role.j2.yaml role Compute",
		"common/services/cephstorage-role.yaml <- common/services/role.role.j2.yaml role CephStorage",
		"environments/x.yaml <- environments/x.j2.yaml plain ",
		// network/config: deprecated_nic_config_name, else <role lower>.yaml
		"network/config/bond/controller.yaml <- network/config/bond/role.role.j2.yaml role Controller",
		"network/config/bond/compute.yaml <- network/config/bond/role.role.j2.yaml role Compute",
		"network/config/bond/cephstorage.yaml <- network/config/bond/role.role.j2.yaml role CephStorage",
		// disabled networks are not rendered; name_lower defaults to the name in lower case
		"network/external.yaml <- network/network.network.j2.yaml network External",
		"network/internalapi.yaml <- network/network.network.j2.yaml network InternalApi",
		"network/external_v6.yaml <- network/network_v6.network.j2.yaml network External",
		"network/internalapi_v6.yaml <- network/network_v6.network.j2.yaml network InternalApi",
		// in a ports folder "port" is replaced, not "network"
		"network/ports/external_from_pool.yaml <- network/ports/port_from_pool.network.j2.yaml network External",
		"network/ports/internalapi_from_pool.yaml <- network/ports/port_from_pool.network.j2.yaml network InternalApi",
		"overcloud.yaml <- overcloud.j2.yaml plain ",
		"puppet/controller-role.yaml <- puppet/role.role.j2.yaml role Controller",
		"puppet/compute-role.yaml <- puppet/role.role.j2.yaml role Compute",
		"puppet/cephstorage-role.yaml <- puppet/role.role.j2.yaml role CephStorage",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("jobs:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestKindOf(t *testing.T) {
	for name, want := range map[string]jinja.Kind{
		"a/role.role.j2.yaml":       jinja.Role,
		"port.network.j2.yaml":      jinja.Network,
		"overcloud.j2.yaml":         jinja.Plain,
		"overcloud.yaml":            0,
		"network.j2":                0,
		"x.role.yaml":               0,
		"dir.j2.yaml/plain.yaml":    0,
		"roles.role.j2.yaml.orig":   0,
		"network/x.network.j2.yaml": jinja.Network,
	} {
		if got := jinja.KindOf(name); got != want {
			t.Errorf("KindOf(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestVariablesOfEachKind(t *testing.T) {
	r := newRenderer(t, fstest.MapFS{
		"r/role.role.j2.yaml": file("{{role.name}} {{role.tags|default([])}} {{networks|length}} " +
			"{% for n in networks %}{{n.name_lower|default('-')}},{% endfor %} {{roles is defined}} {{network is defined}}"),
		"n/network.network.j2.yaml": file("{{network.name}} {{network.name_lower}} {{networks is defined}} {{role is defined}}"),
		"p.j2.yaml":                 file("{% for r in roles %}{{r.name}},{% endfor %} {{networks|length}} {{role is defined}}"),
		// no {{role.name}} in the text: role is the name, and disable_constraints is passed
		"legacy/old.role.j2.yaml": file("{{role}} {{disable_constraints|default(false)}} {{networks|length}}"),
	})
	cases := map[string]string{
		"r/controller-role.yaml":      "Controller ['primary', 'controller'] 3 external,internalapi,-, False False",
		"r/compute-role.yaml":         "Compute [] 3 external,internalapi,-, False False",
		"n/external.yaml":             "External external False False",
		"n/internalapi.yaml":          "InternalApi internalapi False False",
		"p.yaml":                      "Controller,Compute,CephStorage, 3 False",
		"legacy/controller-old.yaml":  "Controller False 3",
		"legacy/cephstorage-old.yaml": "CephStorage True 3",
	}
	for p, want := range cases {
		f, err := r.Render(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if string(f.Data) != want {
			t.Errorf("%s = %q, want %q", p, f.Data, want)
		}
	}
	if _, err := r.Render("nope.yaml"); err == nil {
		t.Error("rendering an unknown output succeeded")
	}
}

func TestExcludes(t *testing.T) {
	fsys := fstest.MapFS{
		"j2_excludes.yaml":                file("name:\n  - puppet/compute-role.yaml\n  - ./network/external.yaml\n  - overcloud.yaml\n"),
		"puppet/role.role.j2.yaml":        file("{{role.name}}"),
		"network/network.network.j2.yaml": file("{{network.name}}"),
		"overcloud.j2.yaml":               file("x"),
	}
	r := newRenderer(t, fsys)
	tree, err := r.RenderAll()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(tree.Paths(), " ")
	// process-templates applies the excludes to role and network outputs
	// only: overcloud.yaml is still rendered.
	want := "network/internalapi.yaml overcloud.yaml puppet/cephstorage-role.yaml puppet/controller-role.yaml"
	if got != want {
		t.Errorf("rendered %s, want %s", got, want)
	}
	if ex := strings.Join(tree.Excluded, " "); ex != "network/external.yaml puppet/compute-role.yaml" {
		t.Errorf("excluded %s", ex)
	}
	if f := tree.Get("puppet/controller-role.yaml"); f == nil || string(f.Data) != "Controller" {
		t.Errorf("Get: %+v", f)
	}
	if tree.Get("puppet/compute-role.yaml") != nil {
		t.Error("Get found an excluded file")
	}

	// THT's own file: "name: [None]" excludes nothing; an empty file too.
	for _, src := range []string{"name:\n  - None\n", "", "name:\n"} {
		fsys["j2_excludes.yaml"] = file(src)
		if n := len(newRenderer(t, fsys).Excluded()); n != 0 {
			t.Errorf("%q excluded %d files", src, n)
		}
	}
	fsys["j2_excludes.yaml"] = file("name: puppet/compute-role.yaml\n")
	_, err = jinja.New(fsys, load(t, "r", testRoles), nil, jinja.Options{})
	wantDiag(t, err, jinja.RuleExcludes, "j2_excludes.yaml:1:7", `"name" in j2_excludes.yaml must be a list of paths, not a string`)
}

// wantDiag checks that err is one diagnostic with the rule, position
// (file:line:col, or a prefix of it ending in ":") and message.
func wantDiag(t *testing.T, err error, rule, pos, msg string) {
	t.Helper()
	var d *diag.Diagnostic
	if !errors.As(err, &d) {
		t.Fatalf("error %v (%T) is not a diagnostic", err, err)
	}
	posOK := d.Range.String() == pos || strings.HasSuffix(pos, ":") && strings.HasPrefix(d.Range.String(), pos)
	if d.Rule != rule || !posOK || !strings.Contains(d.Message, msg) {
		t.Errorf("got %s\nwant %s: error: ...%s... [%s]", d.Line(), pos, msg, rule)
	}
}

func TestBadRolesAndNetworks(t *testing.T) {
	fsys := fstest.MapFS{"a.j2.yaml": file("x")}
	cases := []struct {
		roles, networks string
		rule, pos, msg  string
	}{
		{"- description: no name\n", "", jinja.RuleRolesData, "roles_data.yaml:1:3", `role 1 has no "name"`},
		{"- name: A\n- name: [x]\n", "", jinja.RuleRolesData, "roles_data.yaml:2:9", `role 2: "name" must be a non-empty string, not a list`},
		{"- name: A\n- name: A\n", "", jinja.RuleRolesData, "roles_data.yaml:2:9", `role name "A" is used twice`},
		{"name: A\n", "", jinja.RuleRolesData, "roles_data.yaml:1:1", "roles data must be a list of roles, not a mapping"},
		{"- A\n", "", jinja.RuleRolesData, "roles_data.yaml:1:3", "role 1 must be a mapping, not a string"},
		{"- name: A\n  deprecated_nic_config_name: ../x.yaml\n", "", jinja.RuleRolesData, "roles_data.yaml:2:31", "deprecated_nic_config_name must be a file name"},
		{"- name: A\n", "- vip: true\n", jinja.RuleNetworkData, "network_data.yaml:1:3", `network 1 has no "name"`},
		{"- name: A\n", "- name: N\n- name: N\n", jinja.RuleNetworkData, "network_data.yaml:2:9", `network name "N" is used twice`},
		{"- name: A\n", "{}\n", jinja.RuleNetworkData, "network_data.yaml:1:1", "network data must be a list of networks, not a mapping"},
	}
	for _, c := range cases {
		var nets *value.Value
		if c.networks != "" {
			nets = load(t, "network_data.yaml", c.networks)
		}
		_, err := jinja.New(fsys, load(t, "roles_data.yaml", c.roles), nets, jinja.Options{})
		wantDiag(t, err, c.rule, c.pos, c.msg)
	}
	// Two disabled networks may share a name: process-templates ignores them.
	if _, err := jinja.New(fsys, load(t, "r", "- name: A\n"), load(t, "n", "- {name: N, enabled: false}\n- {name: N, enabled: false}\n"), jinja.Options{}); err != nil {
		t.Error(err)
	}
}

func TestOutputClash(t *testing.T) {
	fsys := fstest.MapFS{
		"network/network.network.j2.yaml": file("a"),
		"network/external.j2.yaml":        file("b"),
		"network/internalapi.j2.yaml":     file("c"),
	}
	_, err := jinja.New(fsys, load(t, "r", "- name: A\n"), load(t, "n", testNetworks), jinja.Options{})
	var errs jinja.Errors
	if !errors.As(err, &errs) || len(errs) != 2 {
		t.Fatalf("want two clash diagnostics, got %v", err)
	}
	if errs[0].Rule != jinja.RuleOutputClash || !strings.Contains(errs[0].Message, `network/external.j2.yaml and network/network.network.j2.yaml for network "External" both render to "network/external.yaml"`) {
		t.Errorf("got %s", errs[0].Line())
	}
}

func TestSyntaxErrorPosition(t *testing.T) {
	cases := []struct {
		src, pos, msg string
	}{
		{"a: 1\nb: {{ x.y( }}\n", "t.j2.yaml:2:", ""},
		{"a: 1\n{% if %}x{% endif %}\n", "t.j2.yaml:2:", "if needs a condition"},
		{"a: 1\n\n{% if a == 1 b %}x{% endif %}\n", "t.j2.yaml:3:14", `unexpected "b" in the if condition`},
		{"{% if a %}x{% elif b c %}{% endif %}", "t.j2.yaml:1:22", `unexpected "c" in the elif condition`},
		{"x\n{% for x in %}{% endfor %}", "t.j2.yaml:2:", ""},
		{"{% if a %}\nx\n", "t.j2.yaml:", ""},
		{"{% frobnicate %}", "t.j2.yaml:1:4", "frobnicate"},
	}
	for _, c := range cases {
		r := newRenderer(t, fstest.MapFS{"t.j2.yaml": file(c.src)})
		_, err := r.Render("t.yaml")
		var d *diag.Diagnostic
		if !errors.As(err, &d) {
			t.Errorf("%q: error %v is not a diagnostic", c.src, err)
			continue
		}
		if d.Rule != jinja.RuleSyntax || !strings.HasPrefix(d.Range.String(), c.pos) || !strings.Contains(d.Message, c.msg) {
			t.Errorf("%q: got %s, want %s...: %s [jinja/syntax]", c.src, d.Line(), c.pos, c.msg)
		}
		if strings.Contains(d.Message, c.src) && len(c.src) > 10 {
			t.Errorf("%q: the message quotes the whole template: %s", c.src, d.Message)
		}
	}
}

func TestMissingInclude(t *testing.T) {
	r := newRenderer(t, fstest.MapFS{
		"network/ports/port.network.j2.yaml": file("# ports\n  {%- include 'port.j2' %}\n"),
		"common/post.j2.yaml":                file("{% include 'common/here.j2' %}\n{% include 'deploy-steps.j2' %}"),
		"common/here.j2":                     file("ok"),
		"a/outer.j2.yaml":                    file("x\n{% include 'inner.j2' %}"),
		"a/inner.j2":                         file("{% include \"nowhere.j2\" %}"),
		"b/up.j2.yaml":                       file("{% include '../a/inner.j2' %}"),
	})
	_, err := r.Render("network/ports/external.yaml")
	wantDiag(t, err, jinja.RuleMissingInclude, "network/ports/port.network.j2.yaml:2:3",
		`template "port.j2" not found: network/ports/port.network.j2.yaml for network "External" looks it up in "network/ports" and "."`)
	_, err = r.Render("common/post.yaml")
	wantDiag(t, err, jinja.RuleMissingInclude, "common/post.j2.yaml:2:1", `template "deploy-steps.j2" not found`)
	_, err = r.Render("a/outer.yaml")
	wantDiag(t, err, jinja.RuleMissingInclude, "a/outer.j2.yaml:2:1", `template "nowhere.j2" not found: a/outer.j2.yaml looks it up in "a" and "." (from a template that this one includes)`)
	// Jinja2 refuses ".." in template names.
	_, err = r.Render("b/up.yaml")
	wantDiag(t, err, jinja.RuleMissingInclude, "b/up.j2.yaml:1:1", `template "../a/inner.j2" not found`)
}

func TestIncludeLookupOrder(t *testing.T) {
	r := newRenderer(t, fstest.MapFS{
		"net/network.network.j2.yaml": file("{% include 'frag.j2' %}|{% include 'net/deep/d.j2' %}|{% include 'top.j2' %}"),
		"net/frag.j2":                 file("local {{network.name}}"),
		"frag.j2":                     file("root"),
		"net/deep/d.j2":               file("{% include 'frag.j2' %}"),
		"top.j2":                      file("top"),
	})
	f, err := r.Render("net/external.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// the template's folder first, then the root; an included template's
	// own includes use the same search path.
	if got := string(f.Data); got != "local External|local External|top" {
		t.Errorf("got %q", got)
	}
}

func TestRenderErrors(t *testing.T) {
	r := newRenderer(t, fstest.MapFS{
		"e.j2.yaml": file("a: 1\n{% for r in roles %}\n  {%- set _ = r.networks.pop(7) %}\n{% endfor %}\n"),
		"u.j2.yaml": file("{{ roles.frobnicate() }}"),
	})
	_, err := r.Render("e.yaml")
	wantDiag(t, err, jinja.RuleRender, "e.j2.yaml:3:", "pop index out of range")
	_, err = r.Render("u.yaml")
	// an expression's error is at the expression
	wantDiag(t, err, jinja.RuleRender, "u.j2.yaml:1:4", "frobnicate")
	// RenderAll reports every failing template.
	_, err = r.RenderAll()
	var errs jinja.Errors
	if !errors.As(err, &errs) || len(errs) != 2 {
		t.Fatalf("RenderAll: %v", err)
	}
}

func TestRenderAllIsDeterministicAndConcurrent(t *testing.T) {
	fsys := fstest.MapFS{
		"a.j2.yaml":                 file("{% set l = [] %}{% for r in roles %}{% set _ = l.append(r.name) %}{% endfor %}{{ l }}"),
		"r/x.role.j2.yaml":          file("{% set _ = role.networks.append('Added') %}{{role.name}} {{ role.networks }}"),
		"n/network.network.j2.yaml": file("{{ network }}"),
	}
	r := newRenderer(t, fsys)
	first, err := r.RenderAll()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			again, err := r.RenderAll()
			if err != nil {
				t.Error(err)
				return
			}
			for i, f := range again.Files {
				if string(f.Data) != string(first.Files[i].Data) {
					t.Errorf("%s differs between renders: %q vs %q", f.Path, f.Data, first.Files[i].Data)
				}
			}
		}()
	}
	wg.Wait()
	// A template that changes a role's data does not change what another
	// render sees.
	if got := string(first.Get("r/compute-x.yaml").Data); got != "Compute ['InternalApi', 'Added']" {
		t.Errorf("got %q", got)
	}
	if got := string(first.Get("a.yaml").Data); got != "['Controller', 'Compute', 'CephStorage']" {
		t.Errorf("got %q", got)
	}
}
