package executor_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"hoist/executor"
	"hoist/executor/executortest"
	"hoist/internal/testenv"
	"hoist/pyyaml"
)

// vector is one entry of paunch-vectors.json.
type vector struct {
	Source        string          `json:"source"`
	Runtime       string          `json:"runtime"`
	ContainerName string          `json:"container_name"`
	Config        json.RawMessage `json:"config"`
	ExpectedArgv  []string        `json:"expected_argv"`
	Notes         string          `json:"notes"`
	Test          struct {
		Name      string   `json:"name"`
		Function  string   `json:"function"`
		Assertion string   `json:"assertion"`
		CmdPrefix []string `json:"cmd_prefix"`
		Delegate  *string  `json:"delegate"`
		ConfigID  *string  `json:"config_id"`
		ManagedBy *string  `json:"managed_by"`
		Refs      []struct {
			Ref string `json:"ref"`
		} `json:"refs"`
	} `json:"test"`
}

func (v *vector) refs() []string {
	var out []string
	for _, r := range v.Test.Refs {
		out = append(out, r.Ref)
	}
	return out
}

// key names a vector in failure messages and in the list of vectors that
// do not apply.
func (v *vector) key() string {
	return fmt.Sprintf("%s/%s/%s@%s", v.Test.Name, v.Test.Function, v.ContainerName, strings.Join(v.refs(), ","))
}

// notApplicable are the vectors whose refs are all paunch releases hoist
// does not offer as a dialect (docs/executor.md explains each).
var notApplicable = []string{
	"test_docker_run_args/docker_run_args/one@1.5.5",
	"test_cont_exec_args/cont_exec_args/one@4.5.0",
	"test_apply_idempotency/apply/one@5.3.0",
	"test_cont_exec_args/cont_exec_args/one@5.3.0",
	"test_cont_run_args_validation_true/container_run_args/one@5.3.0,master",
}

func loadVectors(t *testing.T) []vector {
	t.Helper()
	p := filepath.Join(testenv.Shared(t), "reference", "paunch-vectors.json")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Skipf("skipping: paunch vectors not found at %s: %v", p, err)
	}
	var vs []vector
	if err := json.Unmarshal(b, &vs); err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return vs
}

// dialectsFor returns the dialects of the vector's refs: the vector holds
// for each of them.
func dialectsFor(v *vector) []*executor.Dialect {
	var out []*executor.Dialect
	for _, r := range v.refs() {
		if d := executor.LookupDialect(r); d != nil && d.Supports(executor.Runtime(v.Runtime)) && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

// host reproduces the test's mocks: psutil's cpu_affinity() (the CPUs the
// expected --cpuset-cpus lists, 0-3 when it has none) and /proc/cmdline
// (with isolcpus only where the test mocked open() to return it).
func host(v *vector) executor.Host {
	cpus := []int{0, 1, 2, 3}
	for _, a := range v.ExpectedArgv {
		if list, ok := strings.CutPrefix(a, "--cpuset-cpus="); ok {
			cpus = nil
			for _, s := range strings.Split(list, ",") {
				n, _ := strconv.Atoi(s)
				cpus = append(cpus, n)
			}
		}
	}
	cmdline := "BOOT_IMAGE=/vmlinuz root=/dev/vda1"
	if strings.Contains(v.Notes, "mocks open() to return 'isolcpus'") {
		cmdline += " isolcpus=2,3"
	}
	return executor.Host{
		CPUAffinity:   func() ([]int, error) { return cpus, nil },
		KernelCmdline: func() (string, error) { return cmdline, nil },
	}
}

func vectorConfig(t *testing.T, v *vector, name string) *executor.Config {
	t.Helper()
	src := fmt.Sprintf("{%q: %s}", name, v.Config)
	doc, err := pyyaml.Load("vector.json", []byte(src), pyyaml.DefaultLimits)
	if err != nil {
		t.Fatalf("%s: %v", v.key(), err)
	}
	cfg, err := executor.ParseConfig("vector.json", doc.Root)
	if err != nil {
		t.Fatalf("%s: %v", v.key(), err)
	}
	return cfg
}

// dryRun applies cfg in a dry run against a fake runtime whose name
// discovery answers <name>-12345678, as the paunch tests' mocks did, and
// returns the commands it would run.
func dryRun(t *testing.T, v *vector, d *executor.Dialect, cfg *executor.Config, configID, managedBy string, suffix bool) [][]string {
	t.Helper()
	eng := executortest.NewEngine()
	for _, c := range cfg.Containers {
		if img := c.Image.V; img != "" {
			eng.Images[img] = "0123"
		}
	}
	if suffix {
		// paunch's tests: every container is found under a suffixed name,
		// outside this config (discovery by label finds it there).
		var listing strings.Builder
		for _, c := range cfg.Containers {
			for _, name := range []string{c.Name, executor.ExecTarget(c)} {
				if name != "" {
					fmt.Fprintf(&listing, "%s-12345678\t\t\t%s\n", name, name)
				}
			}
		}
		eng.Hook = func(ctx context.Context, argv []string) (executor.Result, error, bool) {
			if argv[1] == "ps" && strings.Contains(argv[len(argv)-1], "\t") {
				return executor.Result{Stdout: []byte(listing.String())}, nil, true
			}
			return executor.Result{}, nil, false
		}
	}
	var cmds [][]string
	x := &executor.Executor{
		Runtime: executor.Runtime(v.Runtime), Dialect: d, Runner: eng, DryRun: true,
		ManagedBy: managedBy, Host: host(v),
		Emit: func(ev executor.Event) { cmds = append(cmds, ev.Argv) },
	}
	if err := x.Apply(context.Background(), cfg, configID); err != nil {
		t.Fatalf("%s: dry run: %v", v.key(), err)
	}
	if len(eng.Mutations()) != 0 {
		t.Fatalf("%s: the dry run changed something: %q", v.key(), eng.Mutations())
	}
	return cmds
}

// withoutLabels drops the --label pairs after --name <x>.
func withoutLabels(argv []string) []string {
	var out []string
	for i := 0; i < len(argv); i++ {
		if argv[i] == "--label" {
			i++
			continue
		}
		out = append(out, argv[i])
	}
	return out
}

func TestPaunchVectors(t *testing.T) {
	vs := loadVectors(t)
	var na []string
	checked, cases := 0, 0
	for i := range vs {
		v := &vs[i]
		ds := dialectsFor(v)
		if len(ds) == 0 {
			na = append(na, v.key())
			continue
		}
		for _, d := range ds {
			t.Run(fmt.Sprintf("%02d_%s_%s", i, v.Test.Name, d.Name), func(t *testing.T) {
				checkVector(t, v, d)
			})
			cases++
		}
		checked++
	}
	if !slices.Equal(na, notApplicable) {
		t.Errorf("vectors without a dialect:\n  %s\nwant (as docs/executor.md lists them):\n  %s", strings.Join(na, "\n  "), strings.Join(notApplicable, "\n  "))
	}
	t.Logf("%d of %d vectors checked (%d vector × dialect cases), %d not applicable", checked, len(vs), cases, len(na))
}

func checkVector(t *testing.T, v *vector, d *executor.Dialect) {
	rt := executor.Runtime(v.Runtime)
	want := v.ExpectedArgv
	var got []string
	switch v.Test.Function {
	case "apply":
		cfg := vectorConfig(t, v, v.ContainerName)
		cmds := dryRun(t, v, d, cfg, *v.Test.ConfigID, *v.Test.ManagedBy, true)
		for _, c := range cmds {
			if c[1] == "run" || c[1] == "create" || c[1] == "exec" {
				got = c
			}
		}
	case "label_arguments":
		var cfg *executor.Config
		if string(v.Config) != "null" {
			t.Fatalf("label vector with a config: %s", v.Config)
		}
		_ = cfg
		got = append(slices.Clone(v.Test.CmdPrefix), executor.LabelArgs(nil, *v.Test.ConfigID, v.ContainerName, *v.Test.ManagedBy, nil)...)
	case "docker_run_args", "container_run_args":
		cfg := vectorConfig(t, v, v.ContainerName)
		c := cfg.Containers[0]
		verb := "run"
		if slices.Contains(v.Test.CmdPrefix, "create") {
			verb = "create"
		}
		opts, err := d.RunOptions(c, cfg.File, executor.RunSpec{Runtime: rt, Verb: verb, Name: v.ContainerName, Root: "/", Host: host(v)})
		if err != nil {
			t.Fatalf("%s: %v", v.key(), err)
		}
		got = append(slices.Clone(v.Test.CmdPrefix), opts...)
		if v.Test.Assertion == "contains" {
			if !slices.Contains(got, want[0]) {
				t.Errorf("%s: argv %q does not contain %q", v.key(), got, want[0])
			}
			return
		}
		// The same options reach the dry run's output, after the labels,
		// when the dry run's verb is the test's.
		if len(v.Test.CmdPrefix) == 4 && executor.Verb(rt, c) == verb {
			cmds := dryRun(t, v, d, cfg, "vector", "tester", false)
			last := withoutLabels(cmds[len(cmds)-1])
			if !slices.Equal(last, want) {
				t.Errorf("%s: dry run (labels dropped)\n got %q\nwant %q", v.key(), last, want)
			}
		}
	case "docker_exec_args", "cont_exec_args":
		cfg := vectorConfig(t, v, v.ContainerName)
		target := v.ContainerName + "-12345678" // the mocked discovery
		if v.Test.Delegate != nil {
			target = *v.Test.Delegate
		}
		var err error
		got, err = d.ExecArgv(rt, cfg.Containers[0], cfg.File, target)
		if err != nil {
			t.Fatalf("%s: %v", v.key(), err)
		}
		if !slices.Equal(got[:2], v.Test.CmdPrefix) {
			t.Fatalf("%s: prefix %q", v.key(), v.Test.CmdPrefix)
		}
	default:
		t.Fatalf("%s: unknown function %q", v.key(), v.Test.Function)
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s (dialect %s)\n got %q\nwant %q", v.key(), d.Name, got, want)
	}
}
