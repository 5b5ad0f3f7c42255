package stack

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"hoist/compiler/environment"
	"hoist/compiler/hot"
	"hoist/internal/testenv"
	"hoist/source"
	"hoist/value"
)

// serviceInput is what one docker service is evaluated with: the inputs
// the Heat oracle used (oracle/golden/queens/inputs.json).
type serviceInput struct {
	path  string
	props *value.Mapping
	env   *environment.Env
}

// dockerServiceInputs prepares the 119 queens docker services with the
// environments, chain parameters and placeholders the oracle used.
func dockerServiceInputs(tb testing.TB) []serviceInput {
	tb.Helper()
	root := testenv.CorpusRendered(tb)
	raw, err := os.ReadFile(filepath.Join(testenv.Shared(tb), "heat-oracle", "golden", "queens", "inputs.json"))
	if err != nil {
		tb.Skipf("skipping: the oracle's inputs.json is not available: %v", err)
	}
	var inp struct {
		Environments    []string                   `json:"environments"`
		StackParameters map[string]json.RawMessage `json:"stack_parameters"`
		Templates       map[string]struct {
			OK              any                        `json:"ok"`
			StackParameters []string                   `json:"stack_parameters"`
			Filled          map[string]json.RawMessage `json:"filled_parameter_defaults"`
		} `json:"templates"`
	}
	if err := json.Unmarshal(raw, &inp); err != nil {
		tb.Fatal(err)
	}
	var envs []*environment.Env
	for _, e := range inp.Environments {
		env, err := environment.LoadFile(filepath.Join(root, e))
		if err != nil {
			tb.Fatal(err)
		}
		envs = append(envs, env)
	}
	base, err := environment.Merge(envs...)
	if err != nil {
		tb.Fatal(err)
	}
	parse := func(m json.RawMessage) *value.Value {
		v, err := hot.ParseJSON(string(m), source.Range{File: "inputs.json"})
		if err != nil {
			tb.Fatal(err)
		}
		return v
	}
	var out []serviceInput
	for path, t := range inp.Templates {
		props := value.NewMapping(len(t.StackParameters))
		for _, p := range t.StackParameters {
			props.Set(value.NewString(p, source.Range{}), parse(inp.StackParameters[p]))
		}
		pd := value.NewMapping(len(t.Filled))
		for k, v := range t.Filled {
			pd.Set(value.NewString(k, source.Range{}), parse(v))
		}
		sec := value.NewMapping(1)
		sec.Set(value.NewString("parameter_defaults", source.Range{}), value.NewMap(pd, source.Range{}))
		filled, err := environment.Parse("filled.json", value.NewMap(sec, source.Range{}))
		if err != nil {
			tb.Fatal(err)
		}
		env, err := environment.Merge(base, filled)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, serviceInput{path: filepath.Join(root, path), props: props, env: env})
	}
	if len(out) != 119 {
		tb.Fatalf("inputs.json has %d templates, want 119", len(out))
	}
	return out
}

func evalServices(tb testing.TB, ins []serviceInput, loader *Loader) {
	for _, in := range ins {
		st, err := Nested(in.path, "Service", in.props, Options{Env: in.env, Loader: loader})
		if err != nil {
			tb.Fatalf("%s: %v", in.path, err)
		}
		if _, err := st.Output("role_data"); err != nil {
			tb.Fatalf("%s: %v", in.path, err)
		}
	}
}

// BenchmarkDockerServices evaluates role_data of all 119 queens docker
// service templates for one role (Controller), with the oracle's inputs.
// cold reads and parses every template in each iteration; warm shares one
// loader, as a whole-deployment compile does for all the roles; parallel
// evaluates the services on every CPU with a shared loader.
func BenchmarkDockerServices(b *testing.B) {
	ins := dockerServiceInputs(b)
	b.Run("cold", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			evalServices(b, ins, NewLoader())
		}
	})
	b.Run("warm", func(b *testing.B) {
		loader := NewLoader()
		evalServices(b, ins, loader)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			evalServices(b, ins, loader)
		}
	})
	b.Run("parallel", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			loader := NewLoader()
			var wg sync.WaitGroup
			ch := make(chan serviceInput)
			for w := 0; w < 4; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for in := range ch {
						evalServices(b, []serviceInput{in}, loader)
					}
				}()
			}
			for _, in := range ins {
				ch <- in
			}
			close(ch)
			wg.Wait()
		}
	})
}

// TestDockerServicesConcurrently evaluates the 119 services on several
// goroutines sharing one loader (run it with -race) and checks the results
// equal a sequential evaluation.
func TestDockerServicesConcurrently(t *testing.T) {
	ins := dockerServiceInputs(t)
	want := map[string]string{}
	for _, in := range ins {
		st, err := Nested(in.path, "Service", in.props, Options{Env: in.env})
		if err != nil {
			t.Fatal(err)
		}
		v, err := st.Output("role_data")
		if err != nil {
			t.Fatal(err)
		}
		want[in.path] = js(v)
	}
	loader := NewLoader()
	var wg sync.WaitGroup
	var mu sync.Mutex
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(ins)*2; i += 8 {
				in := ins[i%len(ins)]
				st, err := Nested(in.path, "Service", in.props, Options{Env: in.env, Loader: loader})
				if err != nil {
					t.Error(err)
					return
				}
				v, err := st.Output("role_data")
				if err != nil {
					t.Error(err)
					return
				}
				if got := js(v); got != want[in.path] {
					mu.Lock()
					t.Errorf("%s: concurrent result differs", in.path)
					mu.Unlock()
				}
			}
		}(w)
	}
	wg.Wait()
}
