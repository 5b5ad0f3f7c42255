package deploy

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"hoist/compiler/environment"
	"hoist/compiler/jinja"
	"hoist/compiler/stack"
	"hoist/internal/testenv"
	"hoist/pyyaml"
	"hoist/value"
)

// compiled caches one compile per configuration: several tests read the
// same deployment.
var compiled sync.Map

type compileKey struct {
	root, env string
	how       Aggregation
}

type compileResult struct {
	d   *Deployment
	err error
}

func compileCached(t *testing.T, in Inputs, how Aggregation) *Deployment {
	t.Helper()
	key := compileKey{root: in.Templates.Path, how: how}
	for _, e := range in.Environments {
		key.env += e.Path + "\x00"
	}
	if r, ok := compiled.Load(key); ok {
		res := r.(compileResult)
		if res.err != nil {
			t.Fatal(res.err)
		}
		return res.d
	}
	d, err := Compile(in, Options{Aggregation: how})
	compiled.Store(key, compileResult{d, err})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// oracleEnv writes the parameter_defaults the per-role Heat goldens were
// computed with (heat-oracle/roles_env.py: the filled placeholders plus
// <Role>Services, <Role>Parameters, ServiceNetMap, EndpointMapOverride and
// the password parameters) and returns its path.
func oracleEnv(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(testenv.Shared(t), "heat-oracle", "golden", "queens-roles")
	raw, err := os.ReadFile(filepath.Join(dir, "inputs.json"))
	if err != nil {
		t.Skipf("skipping: the per-role goldens' inputs.json is not available: %v", err)
	}
	var inp struct {
		Filled map[string]any `json:"parameter_defaults_filled"`
		Shared struct {
			ServiceNetMap    any               `json:"ServiceNetMap"`
			EndpointMap      any               `json:"EndpointMap"`
			DefaultPasswords map[string]string `json:"DefaultPasswords"`
		} `json:"shared_parameters"`
		Roles map[string]struct {
			Parameters struct {
				Services       []string       `json:"Services"`
				RoleParameters map[string]any `json:"RoleParameters"`
			} `json:"parameters"`
		} `json:"roles"`
	}
	if err := json.Unmarshal(raw, &inp); err != nil {
		t.Fatal(err)
	}
	pd := map[string]any{}
	for k, v := range inp.Filled {
		pd[k] = v
	}
	for name, r := range inp.Roles {
		pd[name+"Services"] = r.Parameters.Services
		pd[name+"Parameters"] = r.Parameters.RoleParameters
	}
	pd["ServiceNetMap"] = inp.Shared.ServiceNetMap
	pd["EndpointMapOverride"] = inp.Shared.EndpointMap
	for key, param := range map[string]string{"mysql_root_password": "MysqlRootPassword", "rabbit_cookie": "RabbitCookie",
		"heat_auth_encryption_key": "HeatAuthEncryptionKey", "pcsd_password": "PcsdPassword", "horizon_secret": "HorizonSecret"} {
		if _, ok := pd[param]; !ok {
			pd[param] = inp.Shared.DefaultPasswords[key]
		}
	}
	b, err := json.Marshal(map[string]any{"parameter_defaults": pd})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "oracle-env.yaml")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func mapGet(t *testing.T, v *value.Value, path ...string) *value.Value {
	t.Helper()
	for _, k := range path {
		if value.KindOf(v) != value.Map {
			t.Fatalf("%s: not a map at %q", strings.Join(path, "."), k)
		}
		next, ok := v.Map.Get(k)
		if !ok {
			t.Fatalf("%s: no key %q", strings.Join(path, "."), k)
		}
		v = next
	}
	return v
}

func jsonText(v *value.Value) string {
	var b strings.Builder
	_ = value.WriteJSON(&b, v, value.JSONOptions{SortKeys: true, Indent: " "})
	return b.String()
}

// TestCompileQueens is the acceptance compile: the unrendered queens tree
// with its roles_data.yaml, docker.yaml and docker-ha.yaml, with
// --allow-missing. Every role compiles; each lists its enabled services
// and its containers per step.
func TestCompileQueens(t *testing.T) {
	root := testenv.Corpus(t)
	d := compileCached(t, queensInputs(t, root), Native)
	doc, err := pyyaml.LoadFile(filepath.Join(root, "roles_data.yaml"), pyyaml.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, r := range doc.Root.List {
		n, _ := r.Map.Get("name")
		want = append(want, n.Str)
	}
	var got []string
	for _, r := range d.Roles {
		got = append(got, r.Name)
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("roles %v, want those of roles_data.yaml %v", got, want)
	}
	if len(d.Missing) == 0 {
		t.Error("the corpus has image and password parameters without a value; none were reported")
	}
	for _, r := range d.Roles {
		if got := mapKeys(r.Data); strings.Join(got, ",") != strings.Join(sortedCopy(RoleDataKeys), ",") {
			t.Errorf("%s: role_data keys %v, want %v", r.Name, got, sortedCopy(RoleDataKeys))
		}
		names := mapGet(t, r.Data, "service_names")
		enabled := 0
		for _, s := range r.Services {
			if s.Enabled() {
				enabled++
			}
		}
		if enabled == 0 || len(names.List) != enabled {
			t.Errorf("%s: %d service names for %d enabled services", r.Name, len(names.List), enabled)
		}
		dc := mapGet(t, r.Data, "docker_config")
		containers := 0
		for _, step := range dc.Map.Entries() {
			if !strings.HasPrefix(step.Key.Str, "step_") {
				t.Errorf("%s: docker_config key %q is not a step", r.Name, step.Key.Str)
			}
			for _, c := range step.Val.Map.Entries() {
				containers++
				if c.Val.Kind != value.Map {
					t.Errorf("%s: container %s is not a map", r.Name, c.Key.Str)
				}
			}
		}
		if containers == 0 {
			t.Errorf("%s: no containers", r.Name)
		}
		t.Logf("%-14s %3d services listed, %3d enabled, %3d containers in %d steps, %d puppet_config entries",
			r.Name, len(r.Services), enabled, containers, dc.Map.Len(), len(mapGet(t, r.Data, "puppet_config").List))
	}
	ctl := d.Roles[0]
	if ctl.Name != "Controller" || !ctl.Primary {
		t.Fatalf("first role %s primary=%v", ctl.Name, ctl.Primary)
	}
	// Known containers of a default queens controller, with an image that
	// is unknown (its parameter has no value) and known volumes.
	ks := mapGet(t, ctl.Data, "docker_config", "step_3", "keystone")
	if img := mapGet(t, ks, "image"); img.Kind != value.Unknown || img.Str != UnknownReason("DockerKeystoneImage") {
		t.Errorf("keystone image = %s", jsonText(img))
	}
	if v := mapGet(t, ks, "volumes"); v.Kind != value.List || len(v.List) < 5 {
		t.Errorf("keystone volumes = %s", jsonText(v))
	}
	for _, want := range []string{"keystone", "mysql", "rabbitmq", "haproxy", "nova_api", "glance_api"} {
		if !slices.Contains(stringsOf(mapGet(t, ctl.Data, "service_names")), want) {
			t.Errorf("Controller does not enable %s", want)
		}
	}
	// The rendered outputs read are those the compile needs, never one of
	// the 37 the corpus cannot render (network/*, network/ports/*,
	// common/post.yaml).
	for _, p := range d.Rendered {
		if strings.HasPrefix(p, "network/ports/") && p != "network/ports/net_ip_map.yaml" && p != "network/ports/net_ip_list_map.yaml" ||
			p == "common/post.yaml" || strings.HasPrefix(p, "network/") && strings.Count(p, "/") == 1 && p != "network/service_net_map.yaml" && p != "network/networks.yaml" {
			t.Errorf("the compile rendered %s", p)
		}
	}
	t.Logf("rendered %d outputs: %s", len(d.Rendered), strings.Join(d.Rendered, " "))
}

func stringsOf(v *value.Value) []string {
	var out []string
	for _, it := range v.List {
		out = append(out, it.Str)
	}
	return out
}

func mapKeys(v *value.Value) []string {
	var out []string
	for _, e := range v.Map.Entries() {
		out = append(out, e.Key.Str)
	}
	sort.Strings(out)
	return out
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// TestCeilometerInitLogMerge: several ceilometer services define the
// container ceilometer_init_log with their own image; the role's
// docker_config has one, merged key by key (yaql mergeWith): the image of
// the last service, the lists (command, volumes) as distinct(a + b).
func TestCeilometerInitLogMerge(t *testing.T) {
	root := testenv.Corpus(t)
	in := queensInputs(t, root)
	in.Environments = append(in.Environments, Path{Path: oracleEnv(t)})
	d := compileCached(t, in, Native)
	ctl := d.Roles[0]
	var defs []*value.Value
	var from []string
	var step string
	for _, s := range ctl.Services {
		if !s.Enabled() {
			continue
		}
		dc, ok := s.Data.Map.Get("docker_config")
		if !ok || dc.Kind != value.Map {
			continue
		}
		for _, st := range dc.Map.Entries() {
			if c, ok := st.Val.Map.Get("ceilometer_init_log"); ok {
				defs = append(defs, c)
				from = append(from, s.Type)
				step = st.Key.Str
			}
		}
	}
	if len(defs) < 2 {
		t.Fatalf("expected several services defining ceilometer_init_log, found %v", from)
	}
	images := map[string]bool{}
	for _, c := range defs {
		images[mapGet(t, c, "image").Str] = true
	}
	if len(images) != len(defs) {
		t.Fatalf("the services should define it with different images: %v", images)
	}
	got := mapGet(t, ctl.Data, "docker_config", step, "ceilometer_init_log")
	last := defs[len(defs)-1]
	if img := mapGet(t, got, "image"); img.Str != mapGet(t, last, "image").Str {
		t.Errorf("merged image %s, want the last service's (%s) %s", img.Str, from[len(from)-1], mapGet(t, last, "image").Str)
	}
	want := `["/bin/bash", "-c", "chown -R ceilometer:ceilometer /var/log/ceilometer"]`
	var b strings.Builder
	_ = value.WriteJSON(&b, mapGet(t, got, "command"), value.JSONOptions{})
	if b.String() != want {
		t.Errorf("merged command %s, want %s (identical items kept once)", b.String(), want)
	}
	if v := mapGet(t, got, "volumes"); len(v.List) != 1 {
		t.Errorf("merged volumes %s", jsonText(v))
	}
	// It is exactly the left fold of mergeWith over the definitions.
	acc := value.NewMap(nil, got.Range)
	for _, c := range defs {
		m := value.NewMapping(1)
		m.SetString("c", c)
		merged, err := mergeWith(acc, value.NewMap(m, c.Range), mergeCtx{key: "docker_config", service: &Member{}})
		if err != nil {
			t.Fatal(err)
		}
		acc = merged
	}
	if jsonText(mapGet(t, acc, "c")) != jsonText(got) {
		t.Errorf("merged %s, want %s", jsonText(got), jsonText(mapGet(t, acc, "c")))
	}
	t.Logf("ceilometer_init_log in %s from %s: image %s", step, strings.Join(from, ", "), mapGet(t, got, "image").Str)
}

// heatRoute evaluates the whole deployment the other way: the rendered
// overcloud.yaml as a (lazy) top-level stack, whose <Role>ServiceChain
// resources instantiate the role templates, whose ResourceChain and yaql
// outputs give role_data, and whose <Role>ServiceConfigSettings give the
// cross-role hiera. Nothing of Compile is used but its inputs.
func heatRoute(t *testing.T, d *Deployment) (data, configs map[string]*value.Value) {
	t.Helper()
	loader := stack.NewLoader()
	root := d.Templates
	roles, err := pyyaml.LoadFile(d.RolesFile, pyyaml.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	nets, err := pyyaml.LoadFile(d.NetworkFile, pyyaml.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	r, err := jinja.New(os.DirFS(root), roles.Root, nets.Root, jinja.Options{})
	if err != nil {
		t.Fatal(err)
	}
	loader.ReadFile = newFiles(root, r).ReadFile
	var envs []*environment.Env
	for _, p := range d.Environments {
		e, err := environment.LoadFileFS(p, loader.ReadFile)
		if err != nil {
			t.Fatal(err)
		}
		envs = append(envs, e)
	}
	env, err := environment.Merge(envs...)
	if err != nil {
		t.Fatal(err)
	}
	ms := newMissingSet()
	ov, err := stack.Top(filepath.Join(root, OvercloudFile), stack.Options{Loader: loader, Env: env, LazyDepth: 1, Missing: ms.value})
	if err != nil {
		t.Fatal(err)
	}
	data, configs = map[string]*value.Value{}, map[string]*value.Value{}
	for _, role := range d.Roles {
		v, err := ov.Attr(role.Name+"ServiceChain", "role_data")
		if err != nil {
			t.Fatal(err)
		}
		data[role.Name] = v
	}
	for _, role := range d.Roles {
		v, err := ov.Attr(role.Name+"ServiceConfigSettings", "value")
		if err != nil {
			t.Fatal(err)
		}
		configs[role.Name] = v
	}
	return data, configs
}

// TestNativeEqualsTemplate holds the native merge (Aggregate,
// ServiceConfigs) against the HOT evaluation of the real templates, on
// every role of the queens deployment with the oracle's inputs (every
// value known): Compile with Native, Compile with Template (the role
// template's ResourceChain and yaql), and the whole overcloud.yaml
// evaluated as Heat would (heatRoute) give the same role_data and hiera.
func TestNativeEqualsTemplate(t *testing.T) {
	root := testenv.Corpus(t)
	in := queensInputs(t, root)
	in.Environments = append(in.Environments, Path{Path: oracleEnv(t)})
	in.AllowMissing = false
	native := compileCached(t, in, Native)
	tmpl := compileCached(t, in, Template)
	heatData, heatConfigs := heatRoute(t, native)
	for i, r := range native.Roles {
		if r.AggregatedBy != Native || tmpl.Roles[i].AggregatedBy != Template {
			t.Fatalf("%s aggregated by %s and %s", r.Name, r.AggregatedBy, tmpl.Roles[i].AggregatedBy)
		}
		n, tm, h := jsonText(r.Data), jsonText(tmpl.Roles[i].Data), jsonText(heatData[r.Name])
		if n != tm {
			t.Errorf("%s: native and template role_data differ: %s", r.Name, firstDiff(n, tm))
		}
		if n != h {
			t.Errorf("%s: native role_data and overcloud.yaml's differ: %s", r.Name, firstDiff(n, h))
		}
		if a, b := jsonText(r.ServiceConfigs), jsonText(heatConfigs[r.Name]); a != b {
			t.Errorf("%s: ServiceConfigs and overcloud.yaml's %sServiceConfigSettings differ: %s", r.Name, r.Name, firstDiff(a, b))
		}
		if a, b := jsonText(r.ServiceConfigs), jsonText(tmpl.Roles[i].ServiceConfigs); a != b {
			t.Errorf("%s: ServiceConfigs differ between the routes: %s", r.Name, firstDiff(a, b))
		}
	}
}

// TestNativeKeepsUnknownsLocal: with parameters left unknown
// (--allow-missing), the template's yaql turns a whole aggregate unknown
// as soon as it de-duplicates or merges an unknown; the native merge keeps
// the unknown where it is. Wherever the template's result is known, the
// two are equal.
func TestNativeKeepsUnknownsLocal(t *testing.T) {
	root := testenv.Corpus(t)
	native := compileCached(t, queensInputs(t, root), Native)
	tmpl := compileCached(t, queensInputs(t, root), Template)
	wholeUnknown := 0
	for i, r := range native.Roles {
		for _, k := range RoleDataKeys {
			nv, tv := mapGet(t, r.Data, k), mapGet(t, tmpl.Roles[i].Data, k)
			if tv.Kind == value.Unknown {
				wholeUnknown++
				if nv.Kind == value.Unknown {
					t.Errorf("%s.%s: unknown both ways", r.Name, k)
				}
				continue
			}
			if a, b := jsonText(nv), jsonText(tv); a != b {
				t.Errorf("%s.%s: native and template differ: %s", r.Name, k, firstDiff(a, b))
			}
		}
	}
	t.Logf("%d role_data keys are unknown as a whole through the template and known natively", wholeUnknown)
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return "line " + itoa(i+1) + ": " + strings.TrimSpace(al[i]) + " vs " + strings.TrimSpace(bl[i])
		}
	}
	return "lengths " + itoa(len(al)) + " vs " + itoa(len(bl))
}

func itoa(n int) string { return strconv.Itoa(n) }
