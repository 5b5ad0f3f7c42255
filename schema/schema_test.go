package schema

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"

	"hoist/diag"
	"hoist/pyyaml"
	"hoist/source"
	"hoist/value"
)

func TestDefinitionsCompile(t *testing.T) {
	for _, r := range Releases() {
		s, err := For(r)
		if err != nil {
			t.Fatalf("%s: %v", r, err)
		}
		if s.Release() != r {
			t.Errorf("release %q, want %q", s.Release(), r)
		}
		again, _ := For(r)
		if again != s {
			t.Errorf("For(%q) compiled twice", r)
		}
	}
	if _, err := For("kilo"); err == nil || !strings.Contains(err.Error(), `"queens"`) {
		t.Errorf("unknown release: %v", err)
	}
}

func TestKindNames(t *testing.T) {
	for _, k := range Kinds() {
		got, err := ParseKind(k.String())
		if err != nil || got != k {
			t.Errorf("ParseKind(%q) = %v, %v", k.String(), got, err)
		}
		if !strings.HasPrefix(k.Definition(), "#") {
			t.Errorf("kind %s has no definition", k)
		}
	}
	if _, err := ParseKind("nope"); err == nil {
		t.Error("ParseKind accepted an unknown kind")
	}
}

func validate(t *testing.T, k Kind, raw bool, src string) []*diag.Diagnostic {
	t.Helper()
	doc, err := pyyaml.Load("t.yaml", []byte(src), pyyaml.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return Default().Validate(k, doc.Root, Options{Raw: raw})
}

func lines(ds []*diag.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.Line())
		b.WriteByte('\n')
	}
	return b.String()
}

func TestValidContainerHasNoFindings(t *testing.T) {
	ds := validate(t, Container, false, `
image: registry:8787/tripleo/centos-binary-keystone:queens
net: host
privileged: false
restart: always
volumes: ["/etc/hosts:/etc/hosts:ro", ""]
environment: [KOLLA_CONFIG_STRATEGY=COPY_ALWAYS]
healthcheck: {test: /openstack/healthcheck}
`)
	if len(ds) != 0 {
		t.Errorf("findings on a valid container:\n%s", lines(ds))
	}
}

// TestMaskedErrors: CUE hides a map's own errors (an unknown key, a
// missing one) behind the errors of its entries; every one is reported
// (the missing image with the key that misspells it, at that key).
func TestMaskedErrors(t *testing.T) {
	ds := validate(t, StartupConfig, false, `
a:
  imagee: x
  privileged: "yes"
  restart: sometimes
`)
	want := []string{
		`t.yaml:3:3: error: unknown key "imagee" in a: did you mean "image"? That key is required there and missing: a container that is run needs an image [schema/unknown-key]`,
		`t.yaml:4:15: error: a.privileged: expected a bool, got string "yes"; paunch passes str(value).lower() to --privileged, which docker parses as a bool [schema/type]`,
		`t.yaml:5:12: error: a.restart: invalid value "sometimes": expected one of "always", "unless-stopped", "no", "on-failure" or "on-failure:<max-retries>" [schema/value]`,
	}
	got := lines(ds)
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in\n%s", w, got)
		}
	}
	if len(ds) != len(want) {
		t.Errorf("%d findings, want %d:\n%s", len(ds), len(want), got)
	}
}

// TestRawFunctionsStandForAnyValue: in a raw template, a function call is
// accepted wherever Heat evaluates functions, and only there.
func TestRawFunctionsStandForAnyValue(t *testing.T) {
	src := `
heat_template_version: queens
parameters:
  P: {type: string}
outputs:
  role_data:
    value:
      service_name: x
      docker_config:
        step_1:
          a:
            image: {get_param: P}
            privileged: {if: [c, true, false]}
          b: {get_attr: [Base, role_data, docker_config, step_1, b]}
        step_2: {map_merge: [{}, {}]}
`
	if ds := validate(t, ServiceTemplate, true, src); len(ds) != 0 {
		t.Errorf("findings on function calls in raw mode:\n%s", lines(ds))
	}
	ds := validate(t, ServiceTemplate, false, src)
	if len(ds) == 0 {
		t.Error("evaluated mode accepted function calls as data")
	}
	ds = validate(t, Template, true, "heat_template_version: {get_param: V}\n")
	if len(ds) != 1 || ds[0].Rule != RuleType {
		t.Errorf("a function outside resources/outputs is data:\n%s", lines(ds))
	}
}

func TestSuggest(t *testing.T) {
	known := []string{"image", "command", "step_1", "step_2", "gateway_ipv6", "net"}
	for key, want := range map[string]string{
		"imagee": "image", "comand": "command", "Image": "image", "ipv6_gateway": "gateway_ipv6",
		"step_7": "", "zzzzzz": "", "nett": "net",
	} {
		if got := suggest(key, known); got != want {
			t.Errorf("suggest(%q) = %q, want %q", key, got, want)
		}
	}
}

// TestUnknownsAreAccepted: in evaluated data, a value only a live cloud
// knows stands for any value, down to a whole map the schema requires keys
// of.
func TestUnknownsAreAccepted(t *testing.T) {
	r := source.Range{File: "u.json", Start: source.Pos{Line: 1, Col: 1}}
	str := func(s string) *value.Value { return value.NewString(s, r) }
	unknown := value.NewUnknown("the IP of the server", r)
	container := value.NewMapping(2)
	container.Set(str("image"), unknown)
	container.Set(str("volumes"), value.NewList([]*value.Value{str("/a:/b"), unknown}, r))
	step := value.NewMapping(2)
	step.Set(str("x"), value.NewMap(container, r))
	step.Set(str("y"), unknown) // a whole container
	dc := value.NewMapping(1)
	dc.Set(str("step_1"), value.NewMap(step, r))
	kolla := value.NewMapping(1)
	kolla.Set(str("/var/lib/kolla/config_files/x.json"), unknown) // lacks command, maybe
	rd := value.NewMapping(3)
	rd.Set(str("service_name"), str("x"))
	rd.Set(str("docker_config"), value.NewMap(dc, r))
	rd.Set(str("kolla_config"), value.NewMap(kolla, r))
	if ds := Default().Validate(RoleData, value.NewMap(rd, r), Options{}); len(ds) != 0 {
		t.Errorf("findings on unknowns:\n%s", lines(ds))
	}
	// A known wrong value next to an unknown is still found.
	container.Set(str("privileged"), str("yes"))
	ds := Default().Validate(RoleData, value.NewMap(rd, r), Options{})
	if len(ds) != 1 || ds[0].Rule != RuleType {
		t.Errorf("want one type error:\n%s", lines(ds))
	}
}

// TestContainerOptionNames: #ContainerOptionName, the pattern through which
// a container reaches #ContainerOptions, names exactly its keys, and no key
// is both a field of #Container and an option.
func TestContainerOptionNames(t *testing.T) {
	s := Default()
	re := s.root.LookupPath(cue.ParsePath("#ContainerOptionName"))
	opts := s.root.LookupPath(cue.ParsePath("#ContainerOptions"))
	it, err := opts.Fields(cue.Optional(true))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for it.Next() {
		k := it.Selector().Unquoted()
		n++
		if err := re.Unify(cuecontext.New().CompileString(strconv.Quote(k))).Err(); err != nil {
			t.Errorf("#ContainerOptionName does not match option %q", k)
		}
	}
	src := fmt.Sprint(re)
	if got := strings.Count(src, "|") + 1; got != n {
		t.Errorf("#ContainerOptionName names %d keys, #ContainerOptions has %d", got, n)
	}
	keys, read := s.ContainerKeys()
	if len(keys) < 55 || !read["image"] || read["entrypoint"] || !slices.Contains(keys, "entrypoint") {
		t.Errorf("ContainerKeys: %d keys, read %v", len(keys), read)
	}
	if len(slices.Compact(slices.Clone(keys))) != len(keys) {
		t.Errorf("a container key is declared twice")
	}
}

// TestOddValues: a nil value, a bare scalar where a map is expected, and
// non-string map keys give findings, not panics.
func TestOddValues(t *testing.T) {
	for _, k := range Kinds() {
		_ = Default().Validate(k, nil, Options{})
	}
	ds := validate(t, Container, false, "1: x\n2.5: y\nimage: z\n") // 1 and true would be one key, as in Python
	if len(ds) != 2 || ds[0].Rule != RuleUnknownKey {
		t.Errorf("non-string keys:\n%s", lines(ds))
	}
	ds = validate(t, Environment, false, "just a string\n")
	if len(ds) != 1 || ds[0].Rule != RuleType || !strings.Contains(ds[0].Message, "expected a map") {
		t.Errorf("scalar document:\n%s", lines(ds))
	}
}

// TestSeverities: each finding has the severity of its constraint
// (@severity, @ignored in the .cue files): what the consumer does with
// the input.
func TestSeverities(t *testing.T) {
	cases := []struct {
		kind Kind
		src  string
		want []string // "severity rule" per finding, in order
	}{
		// paunch ignores an unknown container key: a warning.
		{StartupConfig, "a: {image: x, tset: y}\n", []string{"warning schema/unknown-key"}},
		// docker refuses a bad container name: an error.
		{StartupConfig, "'a b': {image: x}\n", []string{"error schema/unknown-key"}},
		// Python truth: a warning; a string privileged docker parses: info;
		// one it refuses: an error.
		{Container, "image: x\ndetach: 'false'\n", []string{"warning schema/type"}},
		{Container, "image: x\nprivileged: 'False'\n", []string{"info schema/type"}},
		{Container, "image: x\nprivileged: 'yes'\n", []string{"error schema/type"}},
		// paunch iterates a string volumes: an error.
		{Container, "image: x\nvolumes: /a:/b\n", []string{"error schema/type"}},
		// kolla: "600" is read as decimal (warning), "2755" fails (error), a
		// number fails (error), a missing perm without
		// preserve_properties fails (error).
		{KollaConfig, "command: x\nconfig_files: [{source: a, dest: b, owner: o, perm: '600'}]\n", []string{"warning schema/value"}},
		{KollaConfig, "command: x\nconfig_files: [{source: a, dest: b, owner: o, perm: '2755'}]\n", []string{"error schema/value"}},
		{KollaConfig, "command: x\nconfig_files: [{source: a, dest: b, owner: o, perm: 0600}]\n", []string{"error schema/type"}},
		{KollaConfig, "command: x\nconfig_files: [{source: a, dest: b, owner: o}]\n", []string{"error schema/required"}},
		// kolla fails on an unknown config_files key, ignores an unknown
		// top-level key; a missing command matters only to kolla_start.
		{KollaConfig, "command: x\nconfig_files: [{source: a, dest: b, preserve_properties: true, mode: x}]\n", []string{"error schema/unknown-key"}},
		{KollaConfig, "command: x\nextra: 1\n", []string{"warning schema/unknown-key"}},
		{KollaConfig, "config_files: []\n", []string{"warning schema/required"}},
		// docker-puppet.py skips an entry without step_config.
		{DockerPuppetEntry, "config_volume: a\nconfig_image: b\n", []string{"warning schema/required"}},
		// Heat refuses an unknown resource key and an unknown environment
		// section.
		{Template, "heat_template_version: queens\nresources:\n  r: {type: x, propertiess: {}}\n", []string{"error schema/unknown-key"}},
		{Environment, "parameters_default: {}\n", []string{"error schema/unknown-key"}},
		// The deploy steps never apply step_6.
		{RoleData, "service_name: s\ndocker_config: {step_6: {}}\n", []string{"warning schema/unknown-key"}},
	}
	for _, c := range cases {
		ds := validate(t, c.kind, false, c.src)
		var got []string
		for _, d := range ds {
			got = append(got, d.Severity.String()+" "+d.Rule)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s %q: got %v, want %v\n%s", c.kind, c.src, got, c.want, lines(ds))
		}
	}
}

// TestReleaseFacts: what differs between the releases' definitions, as the
// trees say (schema/cue/<release>.cue).
func TestReleaseFacts(t *testing.T) {
	for _, c := range []struct {
		r        Release
		own      []string
		knows    string // a version the release's Heat knows
		envMap   bool
		reads    []string // container options its paunch reads
		notReads []string
	}{
		{Queens, []string{"2018-03-02", "queens"}, "queens", false, []string{"cpuset_cpus"}, []string{"depends_on", "stop_signal"}},
		{Rocky, []string{"2018-08-31", "rocky"}, "rocky", false, []string{"stop_signal", "group_add"}, []string{"cpuset_cpus", "depends_on"}},
		{Stein, []string{"2018-08-31", "rocky"}, "2018-08-31", true, []string{"depends_on", "cap_add", "systemd_exec_flags"}, []string{"pids_limit", "kill_mode"}},
		{Train, []string{"2018-08-31", "rocky"}, "ocata", true, []string{"hostname", "extra_hosts", "check_interval", "pids_limit"}, []string{"kill_mode"}},
	} {
		s, err := For(c.r)
		if err != nil {
			t.Fatal(err)
		}
		known, own := s.TemplateVersions()
		if !slices.Equal(own, c.own) || !slices.Contains(known, c.knows) {
			t.Errorf("%s: versions %v (own %v)", c.r, known, own)
		}
		if c.r == Queens && slices.Contains(known, "rocky") {
			t.Errorf("queens Heat does not know rocky")
		}
		if s.EnvironmentMap() != c.envMap {
			t.Errorf("%s: environment as a map %v, want %v", c.r, s.EnvironmentMap(), c.envMap)
		}
		keys, read := s.ContainerKeys()
		for _, k := range c.reads {
			if !read[k] || !slices.Contains(keys, k) {
				t.Errorf("%s's paunch reads %s", c.r, k)
			}
		}
		for _, k := range c.notReads {
			if read[k] {
				t.Errorf("%s's paunch does not read %s", c.r, k)
			}
		}
	}
}
