package stack

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hoist/compiler/environment"
	"hoist/pyyaml"
	"hoist/value"
)

// vfs is a set of files under /t for tests: name (relative) → content.
type vfs map[string]string

func (fs vfs) read(name string) ([]byte, error) {
	rel, err := filepath.Rel("/t", name)
	if err != nil {
		return nil, os.ErrNotExist
	}
	if s, ok := fs[rel]; ok {
		return []byte(s), nil
	}
	return nil, os.ErrNotExist
}

// evalVFS instantiates /t/<top> as a nested stack (as hoist eval does)
// with the given environment files and properties (YAML), and returns its
// outputs, or the error.
func evalVFS(t *testing.T, fs vfs, top string, envs []string, props string) (*value.Value, error) {
	t.Helper()
	var es []*environment.Env
	for _, e := range envs {
		env, err := environment.LoadFileFS("/t/"+e, fs.read)
		if err != nil {
			return nil, err
		}
		es = append(es, env)
	}
	merged, err := environment.Merge(es...)
	if err != nil {
		return nil, err
	}
	pm := value.NewMapping(0)
	if props != "" {
		doc, err := pyyaml.Load("props.yaml", []byte(props), pyyaml.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		pm = doc.Root.Map
	}
	st, err := Nested("/t/"+top, "Service", pm, Options{Env: merged, Loader: &Loader{ReadFile: fs.read, Base: "/t"}})
	if err != nil {
		return nil, err
	}
	return st.Outputs()
}

// evalTopVFS is evalVFS for a top-level stack (props are not used).
func evalTopVFS(t *testing.T, fs vfs, top string, envs []string, _ string) (*value.Value, error) {
	t.Helper()
	var es []*environment.Env
	for _, e := range envs {
		env, err := environment.LoadFileFS("/t/"+e, fs.read)
		if err != nil {
			return nil, err
		}
		es = append(es, env)
	}
	merged, err := environment.Merge(es...)
	if err != nil {
		return nil, err
	}
	st, err := Top("/t/"+top, Options{Env: merged, Loader: &Loader{ReadFile: fs.read, Base: "/t"}})
	if err != nil {
		return nil, err
	}
	return st.Outputs()
}

// js renders a value as compact sorted JSON.
func js(v *value.Value) string {
	var b strings.Builder
	_ = value.WriteJSON(&b, v, value.JSONOptions{SortKeys: true, Unicode: true})
	return b.String()
}
