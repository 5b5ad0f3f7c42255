package cli

import (
	"bytes"
	"encoding/json"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"hoist/internal/testenv"
	"hoist/pyyaml"
	"hoist/value"
)

// whyStep is a step of hoist why --format json.
type whyStep struct {
	Kind, Note, Key string
	Depth           int
	Place           *struct {
		File         string
		Line, Column int
	}
}

// lineAt opens file and returns its line from the column on.
func lineAt(t *testing.T, file string, line, col int) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	if line < 1 || line > len(lines) || col < 1 || col > len(lines[line-1])+1 {
		t.Fatalf("%s:%d:%d is not in the file", file, line, col)
	}
	return lines[line-1][col-1:]
}

// imagesEnv writes an operator's environment setting one image.
func imagesEnv(t *testing.T, dir, image string) string {
	t.Helper()
	p := filepath.Join(dir, "images.yaml")
	if err := os.WriteFile(p, []byte("parameter_defaults:\n  DockerNovaApiImage: "+image+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestWhy: hoist why on the queens build (with fluentd, and an
// environment that sets the nova-api image) for (a) an image from a
// Docker*Image parameter set in an environment file, (b) a hiera key of
// service_configs.json that a Compute service gives a Controller node,
// (c) a kolla command joined from a nested template's output through
// get_attr, (d) a list merged by the aggregation's yaql mergeWith. Each
// chain's steps are checked against the lines they name, opened here.
func TestWhy(t *testing.T) {
	tht := testenv.Corpus(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	images := imagesEnv(t, dir, "registry.example:8787/tripleo/centos-binary-nova-api:queens")
	build := queensBuild(tht, "-e", filepath.Join(tht, "environments", "services-docker", "fluentd.yaml"), "-e", images, "-o", out)
	if r := run(t, "", build...); r.code != ExitOK {
		t.Fatalf("exit %d\n%s", r.code, r.err)
	}
	tw, err := newTreeWhy(out)
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		kind, key string
		file      string // relative to the tree, or "images" for the environment
		text      string // what the line holds from the column on
	}
	for _, c := range []struct {
		name, file, path string
		want             []want
	}{
		{"a-image", "var/lib/tripleo-config/docker-container-startup-config-step_4.json", "nova_api.image", []want{
			{"literal", "", "images", "registry.example:8787/tripleo/centos-binary-nova-api:queens"},
			{"get_param", "", "docker/services/nova-api.yaml", "&nova_api_image {get_param: DockerNovaApiImage}"},
			{"part", "nova_api", "docker/services/nova-api.yaml", "start_order: 2"},
			{"aggregate", "", "common/services/role.role.j2.yaml", "yaql:"},
		}},
		{"b-hiera", "etc/puppet/hieradata/service_configs.json", "tripleo_fluentd_groups_nova_compute", []want{
			{"literal", "", "puppet/services/nova-compute.yaml", "- nova"},
			{"hiera", "", "overcloud.j2.yaml", "map_merge:"},
			{"part", "tripleo_fluentd_groups_nova_compute", "puppet/services/nova-compute.yaml", "- nova"},
		}},
		{"c-kolla-command", "var/lib/kolla/config_files/nova_scheduler.json", "command", []want{
			{"list_join", "", "docker/services/nova-scheduler.yaml", "list_join:"},
			{"part", "", "docker/services/nova-scheduler.yaml", "/usr/bin/nova-scheduler"},
			{"part", "", "docker/services/logging/files/nova-common.yaml", "''"},
			{"get_attr", "", "docker/services/nova-scheduler.yaml", "get_attr: [NovaLogging, cmd_extra_args]"},
			{"mergeWith", "", "common/services/role.role.j2.yaml", "yaql:"},
			{"part", "/var/lib/kolla/config_files/nova_scheduler.json", "docker/services/nova-scheduler.yaml", "command:"},
		}},
		{"d-mergewith", "var/lib/tripleo-config/docker-container-startup-config-step_3.json", "ceilometer_init_log.volumes", []want{
			{"literal", "", "docker/services/ceilometer-agent-notification.yaml", "- /var/log/containers/ceilometer:/var/log/ceilometer"},
			{"mergeWith", "", "common/services/role.role.j2.yaml", "yaql:"},
			{"part", "volumes", "docker/services/ceilometer-agent-central.yaml", "- /var/log/containers/ceilometer:/var/log/ceilometer"},
			{"part", "volumes", "docker/services/ceilometer-agent-notification.yaml", "- /var/log/containers/ceilometer:/var/log/ceilometer"},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			// The steps as --format json gives them (the compile done
			// once for the four cases).
			tr := tw.trace("overcloud-controller-0", c.file, c.path)
			if tr == nil {
				t.Fatalf("no value %s in %s", c.path, c.file)
			}
			stdout := string(value.MarshalIndent(tr.JSON(tw.in.Sources)))
			var got struct{ Steps []whyStep }
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatal(err)
			}
			// The wanted steps in order, each at the line it names.
			i := 0
			for _, s := range got.Steps {
				if i == len(c.want) {
					break
				}
				w := c.want[i]
				if s.Kind != w.kind || s.Key != w.key {
					continue
				}
				file := filepath.Join(tht, w.file)
				if w.file == "images" {
					file = images
				}
				if w.file != "" {
					if s.Place == nil || s.Place.File != file {
						continue
					}
					if w.text != "" && !strings.HasPrefix(lineAt(t, s.Place.File, s.Place.Line, s.Place.Column), w.text) {
						t.Errorf("step %s at %s:%d:%d: the line there is %q, not %q", s.Kind, s.Place.File, s.Place.Line, s.Place.Column, lineAt(t, s.Place.File, s.Place.Line, s.Place.Column), w.text)
					}
				}
				i++
			}
			if i < len(c.want) {
				t.Errorf("no step %+v in order in:\n%s", c.want[i], stdout)
			}
			if last := got.Steps[len(got.Steps)-1]; last.Kind != "file" || !strings.Contains(last.Note, "role Controller") {
				t.Errorf("last step %+v", last)
			}
			text := run(t, "", "why", out, "overcloud-controller-0", c.file, c.path)
			golden(t, filepath.Join(testenv.RepoRoot(t), "testdata", "why", c.name+".txt"),
				strings.NewReplacer(tht, "THT", dir, "TMP").Replace(text.stdout))
		})
	}

	// The command's --format json is the trace's JSON, with the node and
	// the file.
	j := run(t, "", "why", out, "overcloud-controller-0", "var/lib/kolla/config_files/nova_scheduler.json", "command", "--format", "json")
	if j.code != ExitOK || !strings.Contains(j.stdout, `"kind": "get_attr"`) || !strings.Contains(j.stdout, `"node": "overcloud-controller-0"`) {
		t.Errorf("--format json: exit %d\n%s%s", j.code, j.stdout, j.err)
	}

	// --role compiles from the flags, without the tree: the same way.
	roleArgs := append([]string{"why", "--role", "Controller"}, queensBuild(tht, "-e", filepath.Join(tht, "environments", "services-docker", "fluentd.yaml"), "-e", images)[1:]...)
	roleArgs = append(roleArgs, "var/lib/tripleo-config/docker-container-startup-config-step_4.json", "nova_api.image")
	a := run(t, "", roleArgs...)
	b := run(t, "", "why", out, "overcloud-controller-0", "var/lib/tripleo-config/docker-container-startup-config-step_4.json", "nova_api.image")
	if a.code != ExitOK || a.stdout != b.stdout {
		t.Errorf("--role: exit %d\n%s\n%s\nwant\n%s", a.code, a.err, a.stdout, b.stdout)
	}

	// Errors name what exists.
	for _, e := range []struct {
		args []string
		want string
	}{
		{[]string{"why", out, "overcloud-controller-9", "x.json"}, `has no node "overcloud-controller-9"`},
		{[]string{"why", out, "overcloud-controller-0", "var/lib/kolla/config_files/nova_scheduler.json", "commandx"}, `has no key "commandx"; its keys:`},
		{[]string{"why", out, "overcloud-controller-0", "nova_scheduler.json"}, "did you mean"},
	} {
		r := run(t, "", e.args...)
		if r.code != ExitUsage || !strings.Contains(r.err, e.want) {
			t.Errorf("%v: exit %d\n%s", e.args, r.code, r.err)
		}
	}
}

// TestDiffWhyEnvironmentChange: one parameter changed in an environment
// file changes exactly the values that read it, on exactly the nodes that
// have them, and --why traces each to that environment line.
func TestDiffWhyEnvironmentChange(t *testing.T) {
	tht := testenv.Corpus(t)
	dir := t.TempDir()
	oldEnv, newEnv := filepath.Join(dir, "old"), filepath.Join(dir, "new")
	for _, d := range []string{oldEnv, newEnv} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	oldOut, newOut := filepath.Join(dir, "out-old"), filepath.Join(dir, "out-new")
	for _, b := range []struct{ env, out, image string }{
		{oldEnv, oldOut, "registry.example:8787/tripleo/centos-binary-nova-api:queens"},
		{newEnv, newOut, "registry.example:8787/tripleo/centos-binary-nova-api:queens-hotfix"},
	} {
		if r := run(t, "", queensBuild(tht, "-e", imagesEnv(t, b.env, b.image), "-o", b.out)...); r.code != ExitOK {
			t.Fatalf("exit %d\n%s", r.code, r.err)
		}
	}
	r := run(t, "", "diff", oldOut, newOut, "--why", "--format", "json")
	if r.code != ExitFindings {
		t.Fatalf("exit %d\n%s", r.code, r.err)
	}
	var got struct {
		Changes []struct {
			Node, File string
			Values     []struct {
				Path string
				Old  any
				New  any
				Why  []whyStep
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	env := filepath.Join(newEnv, "images.yaml")
	places := map[string]bool{}
	for _, c := range got.Changes {
		if c.Node == "" {
			continue // plan.json
		}
		for _, v := range c.Values {
			places[c.Node+" "+c.File+" "+v.Path] = true
			if v.New != "registry.example:8787/tripleo/centos-binary-nova-api:queens-hotfix" {
				t.Errorf("%s %s %s: new value %v", c.Node, c.File, v.Path, v.New)
			}
			ok := false
			for _, s := range v.Why {
				if s.Kind == "get_param" {
					ok = true
				}
			}
			first := v.Why[0]
			if first.Place == nil || first.Place.File != env || !strings.HasPrefix(lineAt(t, env, first.Place.Line, first.Place.Column), "registry.example:8787/tripleo/centos-binary-nova-api:queens-hotfix") || !ok {
				t.Errorf("%s %s %s: the chain does not start at the environment line: %+v", c.Node, c.File, v.Path, v.Why)
			}
		}
	}
	// Every place of the old tree that holds the old image (on the
	// controllers' node files), and nothing else.
	var want []string
	for rel, data := range readTreeFiles(t, oldOut) {
		node, file, ok := strings.Cut(strings.TrimPrefix(rel, "nodes/"), "/")
		if !strings.HasPrefix(rel, "nodes/") || !ok || !strings.HasSuffix(file, ".json") {
			continue
		}
		doc, err := pyyaml.Load(rel, data, pyyaml.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		var walk func(p value.Path, v *value.Value)
		walk = func(p value.Path, v *value.Value) {
			switch v.Kind {
			case value.String:
				if v.Str == "registry.example:8787/tripleo/centos-binary-nova-api:queens" {
					want = append(want, node+" "+file+" "+p.String())
				}
			case value.Map:
				for _, e := range v.Map.Entries() {
					walk(p.Key(value.JSONKey(e.Key)), e.Val)
				}
			case value.List:
				for i, it := range v.List {
					walk(p.Index(i), it)
				}
			}
		}
		walk(nil, doc.Root)
	}
	if len(want) < 3 {
		t.Fatalf("the old tree holds the image in %d places", len(want))
	}
	for _, w := range want {
		if !places[w] {
			t.Errorf("the diff lacks %s", w)
		}
		delete(places, w)
	}
	for p := range places {
		t.Errorf("the diff has %s, which does not read DockerNovaApiImage", p)
	}
	t.Run("html", func(t *testing.T) { testDiffHTMLChromium(t, oldOut, newOut) })
}

// chromium returns the path of Debian's chromium, or skips.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium is not installed (Debian package chromium; .ci/run installs it)")
	return ""
}

// headless runs chromium headless on a page with flags, returning its
// standard output.
func headless(t *testing.T, bin, page string, flags ...string) []byte {
	t.Helper()
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + t.TempDir()}, flags...)
	cmd := exec.Command(bin, append(args, "file://"+page)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("chromium: %v\n%s", err, errb.String())
		}
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		t.Fatal("chromium did not finish in 2 minutes")
	}
	return out.Bytes()
}

// testDiffHTMLChromium: the reviewer's page of an environment change
// (hoist diff --format html), opened in headless Chromium: the DOM it
// parsed has the plan with the changed containers outlined and linked to
// their changes, and every why link leads to a chain on the page; its
// screenshot is a picture, not a blank page. HOIST_SCREENSHOT=FILE keeps
// the screenshot (docs/review.png is one).
func testDiffHTMLChromium(t *testing.T, oldOut, newOut string) {
	bin := chromium(t)
	dir := t.TempDir()
	r := run(t, "", "diff", oldOut, newOut, "--format", "html")
	if r.code != ExitFindings {
		t.Fatalf("exit %d\n%s", r.code, r.err)
	}
	page := filepath.Join(dir, "review.html")
	if err := os.WriteFile(page, []byte(r.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	dom := string(headless(t, bin, page, "--dump-dom"))
	for _, want := range []string{
		`<div class="op container changed"`,
		`<a href="#c-`, `>nova_api</a>`,
		`<section id="why-1">`, `<a class="why" href="#why-1">why</a>`,
		"get_param</b>: parameter DockerNovaApiImage, set by parameter_defaults",
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("the page Chromium parsed lacks %q", want)
		}
	}
	links := regexp.MustCompile(`href="#(why-\d+|c-\d+)"`).FindAllStringSubmatch(dom, -1)
	if len(links) < 10 {
		t.Errorf("%d links on the page", len(links))
	}
	for _, l := range links {
		if !strings.Contains(dom, `id="`+l[1]+`"`) {
			t.Errorf("link #%s leads nowhere", l[1])
		}
	}
	shot := filepath.Join(dir, "review.png")
	headless(t, bin, page, "--window-size=1400,1000", "--screenshot="+shot)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	colors := map[color.Color]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			colors[img.At(x, y)] = true
		}
	}
	if b.Dx() != 1400 || b.Dy() != 1000 || len(colors) < 20 {
		t.Errorf("screenshot %v with %d colours", b, len(colors))
	}
	if keep := os.Getenv("HOIST_SCREENSHOT"); keep != "" {
		data, _ := os.ReadFile(shot)
		if err := os.WriteFile(keep, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestWhyNestedBaseTemplate: (c) as the issue words it, a kolla_config
// command that a service takes whole from a nested base template through
// get_attr. In queens no puppet base template holds a kolla_config; the
// one service whose kolla_config is another template's is the DPDK OVS
// agent (docker/services/neutron-ovs-dpdk-agent.yaml takes
// [NeutronOvsAgentDockerBase, role_data, kolla_config] from
// neutron-ovs-agent.yaml), deployed with its environment on the
// ComputeOvsDpdk role. The chain goes from the base template's literal,
// through the get_attr hop, to the role's merge; each step is checked
// against the line it names.
func TestWhyNestedBaseTemplate(t *testing.T) {
	tht := testenv.Corpus(t)
	dir := t.TempDir()
	var roles []byte
	for _, r := range []string{"Controller", "ComputeOvsDpdk"} {
		b, err := os.ReadFile(filepath.Join(tht, "roles", r+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		roles = append(roles, b...)
	}
	rolesFile := filepath.Join(dir, "roles_data.yaml")
	if err := os.WriteFile(rolesFile, roles, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	r := run(t, "", "build", "--templates", tht, "-r", rolesFile, "--allow-missing", "--no-snippet",
		"-e", filepath.Join(tht, "environments", "docker.yaml"),
		"-e", filepath.Join(tht, "environments", "services-docker", "neutron-ovs-dpdk.yaml"), "-o", out)
	if r.code != ExitOK && r.code != ExitFindings {
		t.Fatalf("build: exit %d\n%s", r.code, r.err)
	}
	j := run(t, "", "why", out, "overcloud-computeovsdpdk-0", "var/lib/kolla/config_files/neutron_ovs_agent.json", "command", "--format", "json")
	if j.code != ExitOK {
		t.Fatalf("why: exit %d\n%s", j.code, j.err)
	}
	var got struct{ Steps []whyStep }
	if err := json.Unmarshal([]byte(j.stdout), &got); err != nil {
		t.Fatal(err)
	}
	want := []struct{ kind, file, text string }{
		{"literal", "docker/services/neutron-ovs-agent.yaml", "/neutron_ovs_agent_launcher.sh"},
		{"mergeWith", "common/services/role.role.j2.yaml", "yaql:"},
		{"part", "docker/services/neutron-ovs-agent.yaml", "command: /neutron_ovs_agent_launcher.sh"},
		{"get_attr", "docker/services/neutron-ovs-dpdk-agent.yaml", "get_attr: [NeutronOvsAgentDockerBase, role_data, kolla_config]"},
		{"aggregate", "common/services/role.role.j2.yaml", "yaql:"},
	}
	i := 0
	for _, s := range got.Steps {
		if i < len(want) && s.Kind == want[i].kind && s.Place != nil && s.Place.File == filepath.Join(tht, want[i].file) {
			if line := lineAt(t, s.Place.File, s.Place.Line, s.Place.Column); !strings.HasPrefix(line, want[i].text) {
				t.Errorf("step %s at %s:%d:%d: the line there is %q, not %q", s.Kind, s.Place.File, s.Place.Line, s.Place.Column, line, want[i].text)
			}
			i++
		}
	}
	if i < len(want) {
		t.Errorf("no step %+v in order in:\n%s", want[i], j.stdout)
	}
	text := run(t, "", "why", out, "overcloud-computeovsdpdk-0", "var/lib/kolla/config_files/neutron_ovs_agent.json", "command")
	golden(t, filepath.Join(testenv.RepoRoot(t), "testdata", "why", "c-kolla-base-template.txt"),
		strings.NewReplacer(tht, "THT", dir, "TMP").Replace(text.stdout))
}
