package schema

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"hoist/compiler/environment"
	"hoist/compiler/stack"
	"hoist/diag"
	"hoist/internal/testenv"
	"hoist/pyyaml"
	"hoist/value"
)

// The corpus tests hold the schema against real data: every finding on the
// queens tree, on the role data real Heat computed, and on the role data
// hoist's evaluator computes, must be a real defect of THT. The findings
// are kept in testdata/schema-corpus/*.out (go test ./schema -update
// rewrites them) and each one is explained in docs/schema.md.

// checkCorpusGolden compares findings, rendered one per line with paths
// relative to root, with testdata/schema-corpus/<name>.out.
func checkCorpusGolden(t *testing.T, name string, roots []string, ds []*diag.Diagnostic) {
	t.Helper()
	var lines []string
	for _, d := range ds {
		c := *d
		for _, r := range roots {
			if rel, err := filepath.Rel(r, c.Range.File); err == nil && !strings.HasPrefix(rel, "..") {
				c.Range.File = filepath.ToSlash(rel)
				break
			}
		}
		lines = append(lines, c.Line())
	}
	slices.Sort(lines)
	lines = slices.Compact(lines)
	got := strings.Join(lines, "\n")
	if got != "" {
		got += "\n"
	}
	golden := filepath.Join(testenv.RepoRoot(t), "testdata", "schema-corpus", name+".out")
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("missing golden file (run go test ./schema -update): %v", err)
	}
	if got != string(want) {
		t.Errorf("findings differ from %s:\n--- got\n%s--- want\n%s", golden, got, want)
	}
}

// yamlFiles lists the YAML files under root that are not Jinja2 templates.
func yamlFiles(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && p != root {
			return filepath.SkipDir
		}
		n := d.Name()
		if !d.IsDir() && (strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml")) &&
			!strings.HasSuffix(n, ".j2.yaml") {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// validateFiles detects and validates files in parallel, raw.
func validateFiles(t *testing.T, files []string) (ds []*diag.Diagnostic, kinds map[Kind]int) {
	t.Helper()
	var mu sync.Mutex
	kinds = map[Kind]int{}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for _, f := range files {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			doc, err := pyyaml.LoadFile(f, pyyaml.Limits{})
			if err != nil {
				return // not YAML Heat would load: the loader's business
			}
			k, ok := Detect(f, doc.Root)
			if !ok {
				return
			}
			got := Default().Validate(k, doc.Root, Options{Raw: true})
			mu.Lock()
			kinds[k]++
			ds = append(ds, got...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return ds, kinds
}

// TestCorpusTemplates validates every template, environment, roles and
// network data file of the queens tree, and the files THT's
// process-templates.py generated from its Jinja2 templates.
func TestCorpusTemplates(t *testing.T) {
	root := testenv.Corpus(t)
	files := yamlFiles(t, root)
	rendered := testenv.CorpusRendered(t)
	gen, err := os.ReadFile(filepath.Join(rendered, "GENERATED.txt"))
	if err != nil {
		t.Fatal(err)
	}
	ngen := 0
	sc := bufio.NewScanner(strings.NewReader(string(gen)))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasSuffix(line, ".yaml") {
			files = append(files, filepath.Join(rendered, line))
			ngen++
		}
	}
	if ngen < 100 {
		t.Fatalf("only %d generated files listed in GENERATED.txt", ngen)
	}
	ds, kinds := validateFiles(t, files)
	t.Logf("validated %v", kinds)
	if kinds[ServiceTemplate] < 300 || kinds[Environment] < 300 || kinds[RoleTemplate] != 5 || kinds[RolesData] < 40 {
		t.Errorf("the corpus was not recognised: %v", kinds)
	}
	checkCorpusGolden(t, "queens-templates", []string{root, rendered}, ds)
}

// TestOracleRoleData validates the role data real Heat computed for every
// queens container service, and for every role.
func TestOracleRoleData(t *testing.T) {
	oracle := filepath.Join(testenv.Shared(t), "heat-oracle", "golden")
	if _, err := os.Stat(oracle); err != nil {
		t.Skipf("skipping: the Heat oracle's goldens are not at %s", oracle)
	}
	var ds []*diag.Diagnostic
	n := 0
	err := filepath.WalkDir(filepath.Join(oracle, "queens"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") || filepath.Base(p) == "inputs.json" {
			return err
		}
		doc, err := pyyaml.LoadFile(p, pyyaml.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		n++
		ds = append(ds, Default().Validate(RoleData, doc.Root, Options{})...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 119 {
		t.Errorf("only %d service goldens", n)
	}
	roles, _ := filepath.Glob(filepath.Join(oracle, "queens-roles", "*.json"))
	for _, p := range roles {
		if filepath.Base(p) == "inputs.json" {
			continue
		}
		doc, err := pyyaml.LoadFile(p, pyyaml.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		rd, ok := doc.Root.Map.Get("role_data")
		if !ok {
			t.Fatalf("%s: no role_data", p)
		}
		ds = append(ds, Default().Validate(RoleAggregate, rd, Options{Base: value.Path{}.Key("role_data")})...)
	}
	checkCorpusGolden(t, "queens-oracle-role-data", []string{oracle}, ds)
}

// TestEvaluatedRoleData evaluates every queens service template (docker
// and puppet) with hoist's own evaluator (compiler/stack), as a role's
// ResourceChain instantiates it, and validates the role data. The findings
// point into the templates the values came from.
func TestEvaluatedRoleData(t *testing.T) {
	root := testenv.CorpusRendered(t)
	var envs []*environment.Env
	for _, f := range []string{"overcloud-resource-registry-puppet.yaml", "environments/docker.yaml"} {
		e, err := environment.LoadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		envs = append(envs, e)
	}
	base, err := environment.Merge(envs...)
	if err != nil {
		t.Fatal(err)
	}
	// The chain parameters a role passes, as the Heat oracle computed them.
	chain := map[string]any{}
	if b, err := os.ReadFile(filepath.Join(testenv.Shared(t), "heat-oracle", "golden", "queens", "inputs.json")); err == nil {
		var inp struct {
			StackParameters map[string]any `json:"stack_parameters"`
		}
		if err := json.Unmarshal(b, &inp); err != nil {
			t.Fatal(err)
		}
		chain = inp.StackParameters
	}
	chain["RoleName"] = "Controller"
	var templates []string
	count := map[string]int{}
	for _, dir := range []string{"docker", "puppet"} {
		for _, f := range yamlFiles(t, filepath.Join(root, dir, "services")) {
			doc, err := pyyaml.LoadFile(f, pyyaml.Limits{})
			if err != nil {
				continue
			}
			if k, _ := Detect(f, doc.Root); k == ServiceTemplate {
				templates = append(templates, f)
				count[dir]++
			}
		}
	}
	if count["docker"] != 119 || count["puppet"] < 195 {
		t.Errorf("service templates: %v, want 119 docker and about 200 puppet", count)
	}
	loader := stack.NewLoader()
	var mu sync.Mutex
	var ds []*diag.Diagnostic
	var failed []string
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for _, tmpl := range templates {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			rd, err := evalRoleData(tmpl, base, chain, loader)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failed = append(failed, tmpl+": "+err.Error())
				return
			}
			ds = append(ds, Default().Validate(RoleData, rd, Options{})...)
		}()
	}
	wg.Wait()
	if len(failed) > 0 {
		slices.Sort(failed)
		t.Logf("%d templates did not evaluate (the evaluator's business, not the schema's):\n%s", len(failed), strings.Join(failed, "\n"))
	}
	if len(failed) > len(templates)/10 {
		t.Fatalf("%d of %d templates did not evaluate", len(failed), len(templates))
	}
	checkCorpusGolden(t, "queens-evaluated-role-data", []string{root}, ds)
}

// evalRoleData evaluates tmpl as a nested stack with placeholders for the
// parameters that have no value, and returns its role_data output.
func evalRoleData(tmpl string, base *environment.Env, chain map[string]any, loader *stack.Loader) (*value.Value, error) {
	opts := stack.Options{Env: base, Loader: loader}
	missing, err := stack.MissingParams(tmpl, []string{"RoleName"}, opts)
	if err != nil {
		return nil, err
	}
	pd := value.NewMapping(len(missing))
	for _, m := range missing {
		pd.Set(value.NewString(m.Param.Name, m.Param.NameRange), stack.Placeholder(m.Param))
	}
	b, err := json.Marshal(map[string]any{"parameters": chain})
	if err != nil {
		return nil, err
	}
	doc, err := pyyaml.Load("chain.json", b, pyyaml.Limits{})
	if err != nil {
		return nil, err
	}
	doc.Root.Map.Set(value.NewString("parameter_defaults", doc.Root.Range), value.NewMap(pd, doc.Root.Range))
	extra, err := environment.Parse("chain.json", doc.Root)
	if err != nil {
		return nil, err
	}
	env, err := environment.Merge(base, extra)
	if err != nil {
		return nil, err
	}
	opts.Env = env
	st, err := stack.Nested(tmpl, "Service", env.Parameters(), opts)
	if err != nil {
		return nil, err
	}
	return st.Output("role_data")
}
