package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"hoist/compiler/environment"
	"hoist/compiler/hot"
	"hoist/compiler/stack"
	"hoist/internal/testenv"
	"hoist/pyyaml"
	"hoist/value"
)

// serviceTemplates lists the templates under dir that have
// outputs.role_data, as paths relative to root.
func serviceTemplates(t *testing.T, root, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".j2.yaml") {
			return err
		}
		doc, err := pyyaml.LoadFile(p, pyyaml.DefaultLimits)
		if err != nil || value.KindOf(doc.Root) != value.Map {
			return nil
		}
		if o, ok := doc.Root.Map.Get("outputs"); ok && o.Kind == value.Map && o.Map.Has("role_data") {
			rel, _ := filepath.Rel(root, p)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// placeholderEnv writes an environment whose parameter_defaults give every
// parameter of the template's closure that has no usable value a
// placeholder (string parameters get their own name, image parameters an
// image reference with their name) and every secret (a hidden string
// parameter whose default is empty: passwords, cookies) its own name; its
// parameters are the chain parameters the template declares.
func placeholderEnv(t *testing.T, dir, tmpl string, merged *environment.Env, chain map[string]any) (string, int) {
	t.Helper()
	opts := stack.Options{Env: merged}
	missing, err := stack.MissingParams(tmpl, []string{"RoleName"}, opts)
	if err != nil {
		t.Fatalf("%s: %v", tmpl, err)
	}
	pd := map[string]any{}
	set := func(p *hot.Param, v *value.Value) {
		var x any
		if err := json.Unmarshal(value.MarshalIndent(v), &x); err != nil {
			t.Fatal(err)
		}
		pd[p.Name] = x
	}
	for _, m := range missing {
		set(m.Param, stack.Placeholder(m.Param))
	}
	closure, err := stack.Closure(tmpl, opts)
	if err != nil {
		t.Fatal(err)
	}
	params := map[string]any{}
	for i, ct := range closure {
		for _, p := range ct.Params {
			if p.Type == hot.TypeString && p.Hidden && (p.Default == nil || value.Str(p.Default) == "") {
				v := value.NewString(p.Name, p.NameRange)
				if p.ValidateValue(v) != "" {
					v = stack.Placeholder(p)
				}
				set(p, v)
			}
			if v, ok := chain[p.Name]; ok && i == 0 {
				params[p.Name] = v
			}
		}
	}
	b, _ := json.Marshal(map[string]any{"parameter_defaults": pd, "parameters": params})
	f, err := os.CreateTemp(dir, "placeholders-*.json")
	if err != nil {
		t.Fatal(err)
	}
	f.Write(b)
	f.Close()
	return f.Name(), len(missing)
}

// TestEvalCorpusServices is the acceptance walk: hoist eval X -e
// overcloud-resource-registry-puppet.yaml -e environments/docker.yaml -p
// RoleName=Controller --output role_data succeeds for every service
// template under docker/services (119) and puppet/services of the rendered
// queens tree, with placeholders for the parameters that have no default.
func TestEvalCorpusServices(t *testing.T) {
	root := testenv.CorpusRendered(t)
	reg := filepath.Join(root, "overcloud-resource-registry-puppet.yaml")
	docker := filepath.Join(root, "environments", "docker.yaml")
	var envs []*environment.Env
	for _, f := range []string{reg, docker} {
		e, err := environment.LoadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		envs = append(envs, e)
	}
	merged, err := environment.Merge(envs...)
	if err != nil {
		t.Fatal(err)
	}
	dockerTemplates := serviceTemplates(t, root, "docker/services")
	puppetTemplates := serviceTemplates(t, root, "puppet/services")
	if len(dockerTemplates) != 119 {
		t.Errorf("found %d docker service templates with role_data, want 119", len(dockerTemplates))
	}
	if len(puppetTemplates) < 195 {
		t.Errorf("found only %d puppet service templates with role_data", len(puppetTemplates))
	}
	// The chain parameters (EndpointMap, ServiceNetMap, ServiceData,
	// DefaultPasswords, RoleParameters) the role's ResourceChain passes,
	// as the Heat oracle computed them from THT's network templates.
	chain := map[string]any{}
	if b, err := os.ReadFile(filepath.Join(testenv.Shared(t), "heat-oracle", "golden", "queens", "inputs.json")); err == nil {
		var inp struct {
			StackParameters map[string]any `json:"stack_parameters"`
		}
		if err := json.Unmarshal(b, &inp); err != nil {
			t.Fatal(err)
		}
		chain = inp.StackParameters
		delete(chain, "RoleName")
	} else {
		t.Logf("no oracle inputs (%v): the chain parameters keep their defaults", err)
	}
	dir := t.TempDir()
	var mu sync.Mutex
	var failures []string
	all := append(append([]string(nil), dockerTemplates...), puppetTemplates...)
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for _, rel := range all {
		wg.Add(1)
		sem <- struct{}{}
		go func(rel string) {
			defer wg.Done()
			defer func() { <-sem }()
			tmpl := filepath.Join(root, rel)
			ph, _ := placeholderEnv(t, dir, tmpl, merged, chain)
			var out, errb bytes.Buffer
			code := Run(&Env{Stdio: Stdio{Out: &out, Err: &errb}}, []string{"eval", tmpl, "-e", reg, "-e", docker, "-e", ph,
				"-p", "RoleName=Controller", "--output", "role_data", "--no-snippet"})
			var why string
			switch {
			case code != 0:
				why = strings.TrimSpace(errb.String())
			default:
				var v map[string]any
				if err := json.Unmarshal(out.Bytes(), &v); err != nil {
					why = "output is not a JSON object: " + err.Error()
				} else if _, ok := v["service_name"]; !ok {
					why = "role_data has no service_name"
				}
			}
			if why != "" {
				mu.Lock()
				failures = append(failures, rel+": "+why)
				mu.Unlock()
			}
		}(rel)
	}
	wg.Wait()
	sort.Strings(failures)
	for _, f := range failures {
		t.Error(f)
	}
	t.Logf("evaluated %d docker and %d puppet service templates, %d failed", len(dockerTemplates), len(puppetTemplates), len(failures))
}
