package stack

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hoist/compiler/environment"
	"hoist/compiler/hot"
	"hoist/internal/testenv"
	"hoist/source"
	"hoist/value"
)

// fuzzTree serves the fuzzed template as docker/services/fuzz.yaml inside
// the rendered queens tree (when present), so that its nested templates
// and registry aliases reach real THT templates.
type fuzzTree struct {
	root string
	src  []byte
}

func (f *fuzzTree) read(name string) ([]byte, error) {
	if name == "/t/docker/services/fuzz.yaml" {
		return f.src, nil
	}
	rel, err := filepath.Rel("/t", name)
	if err != nil || strings.HasPrefix(rel, "..") || f.root == "" {
		return nil, os.ErrNotExist
	}
	return os.ReadFile(filepath.Join(f.root, rel))
}

func fuzzSeeds(f *testing.F) string {
	root := filepath.Join(testenv.Shared(f), "corpus", "tht-queens-rendered")
	if st, err := os.Stat(root); err != nil || !st.IsDir() {
		root = ""
	}
	for _, tc := range traps {
		if s, ok := tc.files["x.yaml"]; ok {
			f.Add([]byte(s))
		}
	}
	for _, tc := range badInputs {
		if s, ok := tc.files["x.yaml"]; ok {
			f.Add([]byte(s))
		}
	}
	if root != "" {
		matches, _ := filepath.Glob(filepath.Join(root, "docker", "services", "*.yaml"))
		for i, m := range matches {
			if i%3 != 0 {
				continue
			}
			if b, err := os.ReadFile(m); err == nil {
				f.Add(b)
			}
		}
	}
	return root
}

// FuzzEvalTemplate evaluates arbitrary templates (seeded from the corpus
// and the tests) as a docker service with the queens registry: any input
// must end in outputs or an error with a position, never a panic or a hang.
func FuzzEvalTemplate(f *testing.F) {
	root := fuzzSeeds(f)
	var base *environment.Env
	if root != "" {
		var envs []*environment.Env
		for _, e := range []string{"overcloud-resource-registry-puppet.yaml", "environments/docker.yaml"} {
			env, err := environment.LoadFile(filepath.Join(root, e))
			if err != nil {
				f.Fatal(err)
			}
			// Re-root the registry paths under /t, where fuzzTree serves them.
			envs = append(envs, reRoot(f, root, env))
		}
		var err error
		if base, err = environment.Merge(envs...); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		tree := &fuzzTree{root: root, src: src}
		loader := &Loader{ReadFile: tree.read, Base: "/t"}
		st, err := Nested("/t/docker/services/fuzz.yaml", "Service", nil, Options{Env: base, Loader: loader})
		if err != nil {
			checkPositioned(t, err)
			return
		}
		for _, name := range st.OutputNames() {
			if _, err := st.Output(name); err != nil {
				checkPositioned(t, err)
			}
		}
	})
}

// reRoot rewrites the absolute registry paths of env from root to /t.
func reRoot(f *testing.F, root string, env *environment.Env) *environment.Env {
	var b strings.Builder
	_ = value.WriteJSON(&b, env.Root, value.JSONOptions{})
	text := strings.ReplaceAll(b.String(), root, "/t")
	v, err := hot.ParseJSON(text, source.Range{File: env.Files[0]})
	if err != nil {
		f.Fatal(err)
	}
	out, err := environment.Parse(env.Files[0], v)
	if err != nil {
		f.Fatal(err)
	}
	return out
}

// checkPositioned fails unless err is a diagnostic with a file.
func checkPositioned(t *testing.T, err error) {
	t.Helper()
	if s := err.Error(); !strings.HasPrefix(s, "/t/") && !strings.HasPrefix(s, "docker/") && !strings.HasPrefix(s, "puppet/") && !strings.Contains(s, ".yaml") {
		t.Fatalf("error without a position: %v", err)
	}
}

// FuzzEnvironment loads arbitrary environment files and resolves types
// through their registry.
func FuzzEnvironment(f *testing.F) {
	f.Add([]byte("resource_registry: {OS::A: a.yaml, OS::B: OS::A, OS::C*: OS::Heat::None, resources: {r: {OS::A: b.yaml}}}\nparameter_defaults: {X: {a: 1}}"))
	f.Add([]byte("resource_registry: {OS::A: OS::B, OS::B: OS::A}"))
	f.Add([]byte("parameters: {a: 1}\nparameter_defaults: null"))
	f.Add([]byte("- a"))
	f.Fuzz(func(t *testing.T, src []byte) {
		fs := vfs{"env.yaml": string(src), "env2.yaml": "parameter_defaults: {X: {b: 2}}\nresource_registry: {OS::D: OS::Heat::None}"}
		e1, err := environment.LoadFileFS("/t/env.yaml", fs.read)
		if err != nil {
			return
		}
		e2, err := environment.LoadFileFS("/t/env2.yaml", fs.read)
		if err != nil {
			t.Fatal(err)
		}
		m, err := environment.Merge(e1, e2)
		if err != nil {
			return
		}
		reg := m.Registry()
		for _, typ := range []string{"OS::A", "OS::B", "OS::C::x", "OS::D", "x.yaml", "OS::Heat::None"} {
			res, err := reg.Resolve(typ, "r")
			if err == nil && res.Template == "" && res.Builtin == "" {
				t.Fatalf("%s resolved to nothing", typ)
			}
			if err == nil {
				reg.Child(res, "r")
			}
		}
	})
}
