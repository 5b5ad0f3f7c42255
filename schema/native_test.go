package schema

import (
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hoist/diag"
	"hoist/internal/testenv"
	"hoist/pyyaml"
	"hoist/source"
	"hoist/value"
)

// validateCUE validates without the native check: CUE alone.
func validateCUE(s *Schema, k Kind, v *value.Value, o Options) []*diag.Diagnostic {
	return s.validate(k, v, o, false)
}

// nativeCase is one value to hold the native check against CUE.
type nativeCase struct {
	name string
	kind Kind
	v    *value.Value
	o    Options
}

// agree checks one case: the native check may say "clean" only when CUE
// reports nothing, and Validate (CUE on the faulty parts) reports what CUE
// on the whole value reports. It returns whether CUE found it clean and whether the
// native check proved it.
func agree(t *testing.T, s *Schema, c nativeCase) (cueClean, nativeProved bool) {
	t.Helper()
	ds := validateCUE(s, c.kind, c.v, c.o)
	template := c.kind == Template || c.kind == ServiceTemplate || c.kind == RoleTemplate
	proved := s.nativeClean(c.kind, c.v, c.o, template)
	if proved && len(ds) > 0 {
		t.Errorf("%s (%s): the native check says clean, CUE reports:\n%s", c.name, c.kind, lines(ds))
	}
	// Validate, which asks CUE about the faulty parts only, finds
	// exactly what CUE finds on the whole value.
	if got := s.Validate(c.kind, c.v, c.o); lines(got) != lines(ds) {
		t.Errorf("%s (%s): Validate differs from CUE on the whole value:\n--- Validate\n%s--- CUE\n%s", c.name, c.kind, lines(got), lines(ds))
	}
	return len(ds) == 0, proved
}

// corpusCases are the files of the queens tree hoist lint validates, the
// role data real Heat computed for every service and role, and the
// fixtures of testdata/schema.
func corpusCases(t *testing.T) []nativeCase {
	var out []nativeCase
	for _, p := range yamlFiles(t, testenv.Corpus(t)) {
		doc, err := pyyaml.LoadFile(p, pyyaml.Limits{})
		if err != nil {
			continue
		}
		if k, ok := Detect(p, doc.Root); ok {
			out = append(out, nativeCase{p, k, doc.Root, Options{Raw: true}})
		}
	}
	oracle := testenv.Oracle(t)
	svc, _ := filepath.Glob(filepath.Join(oracle, "golden", "queens", "*.json"))
	for _, p := range svc {
		if filepath.Base(p) == "inputs.json" {
			continue
		}
		if doc, err := pyyaml.LoadFile(p, pyyaml.Limits{}); err == nil {
			out = append(out, nativeCase{p, RoleData, doc.Root, Options{}})
		}
	}
	roles, _ := filepath.Glob(filepath.Join(oracle, "golden", "queens-roles", "*.json"))
	for _, p := range roles {
		if doc, err := pyyaml.LoadFile(p, pyyaml.Limits{}); err == nil {
			if rd, ok := doc.Root.Map.Get("role_data"); ok {
				out = append(out, nativeCase{p, RoleAggregate, rd, Options{}})
			}
		}
	}
	files, _ := filepath.Glob(filepath.Join(testenv.RepoRoot(t), "testdata", "schema", "*", "*"))
	for _, p := range files {
		if strings.HasSuffix(p, ".out") {
			continue
		}
		k, err := ParseKind(filepath.Base(filepath.Dir(p)))
		if err != nil {
			continue
		}
		if doc, err := pyyaml.LoadFile(p, pyyaml.Limits{}); err == nil {
			out = append(out, nativeCase{p, k, doc.Root, Options{Raw: rawKind(k)}})
		}
	}
	return out
}

// TestNativeAgreesWithCUE holds the native check to CUE on real data: it
// never calls a value clean that CUE faults, and it proves nearly every
// clean one (else Validate would be slow for nothing).
func TestNativeAgreesWithCUE(t *testing.T) {
	s := Default()
	clean, proved := 0, 0
	var missed []string
	for _, c := range corpusCases(t) {
		cc, np := agree(t, s, c)
		if cc {
			clean++
			if np {
				proved++
			} else {
				missed = append(missed, c.name+" ("+c.kind.String()+")")
			}
		}
	}
	t.Logf("%d clean values, %d proved natively", clean, proved)
	if clean == 0 || len(missed) > 0 {
		t.Errorf("the native check does not prove %d of %d clean values (CUE validates them at full cost):\n%s",
			len(missed), clean, strings.Join(missed, "\n"))
	}
}

// TestNativeAgreesOnMutations: broken variants of the corpus values (a
// value of another kind, a key removed, an unknown or misspelt key, a
// string where a list was, a discriminator flipped) are judged as CUE
// judges them, or left to CUE.
func TestNativeAgreesOnMutations(t *testing.T) {
	s := Default()
	rng := rand.New(rand.NewPCG(*nativeSeedFlag, 2))
	perValue := *nativePerValueFlag
	if testing.Short() {
		perValue = 2
	}
	n, faulted := 0, 0
	for _, c := range corpusCases(t) {
		for range perValue {
			m, ok := mutate(rng, c.v)
			if !ok {
				continue
			}
			n++
			if cc, _ := agree(t, s, nativeCase{c.name + " (mutated)", c.kind, m, c.o}); !cc {
				faulted++
			}
		}
	}
	t.Logf("%d mutations, %d of them faulted by CUE", n, faulted)
	if n == 0 || faulted == 0 {
		t.Errorf("%d mutations, %d faulted: the mutations test nothing", n, faulted)
	}
}

// The mutation suite's seed and size (a longer run: go test ./schema -run
// Mutations -args -native-seed N -native-per-value 40).
var (
	nativeSeedFlag     = flag.Uint64("native-seed", 1, "seed of TestNativeAgreesOnMutations")
	nativePerValueFlag = flag.Int("native-per-value", 6, "mutations per value in TestNativeAgreesOnMutations")
)

// mutate returns a copy of v with one change at a random node.
func mutate(rng *rand.Rand, v *value.Value) (*value.Value, bool) {
	var nodes []*value.Value
	var walk func(x *value.Value)
	walk = func(x *value.Value) {
		nodes = append(nodes, x)
		switch value.KindOf(x) {
		case value.List:
			for _, it := range x.List {
				walk(it)
			}
		case value.Map:
			for _, e := range x.Map.Entries() {
				walk(e.Val)
			}
		}
	}
	walk(v)
	if len(nodes) < 2 {
		return nil, false
	}
	target := nodes[1+rng.IntN(len(nodes)-1)]
	var repl func(x *value.Value) *value.Value
	r := source.Range{}
	switch value.KindOf(target) {
	case value.Map:
		ents := target.Map.Entries()
		op := rng.IntN(4)
		at := 0
		if len(ents) > 0 {
			at = rng.IntN(len(ents))
		}
		repl = func(x *value.Value) *value.Value {
			m := value.NewMapping(len(ents) + 1)
			for i, e := range ents {
				switch {
				case op == 0 && i == at:
					continue // drop a key
				case op == 1 && i == at:
					m.Set(value.NewString(value.JSONKey(e.Key)+"x", e.Key.Range), e.Val) // misspell it
				case op == 2 && i == at && value.KindOf(e.Val) == value.String:
					// A discriminator (action) or any string: another value.
					alt := "exec"
					if e.Val.Str == "exec" {
						alt = "run"
					}
					m.Set(e.Key, value.NewString(alt, e.Val.Range))
				case op == 2 && i == at && value.KindOf(e.Val) == value.Bool:
					// preserve_properties and the like: flipped.
					m.Set(e.Key, value.NewBool(!e.Val.Bool, e.Val.Range))
				default:
					m.Set(e.Key, e.Val)
				}
			}
			if op == 3 {
				m.Set(value.NewString("zz_unknown", r), value.NewBool(true, r))
			}
			return value.NewMap(m, x.Range)
		}
	default:
		choices := []*value.Value{
			value.NewString("x y", r), value.NewInt(-7, r), value.NewBool(true, r), value.NewNull(r),
			value.NewList([]*value.Value{value.NewString("a", r)}, r), value.NewString("", r),
			value.NewFloat(1.5, r), value.NewString("0600", r), value.NewString("600", r),
		}
		if value.KindOf(target) == value.List {
			choices = append(choices, value.NewString(strings.Repeat("/a:/b", 1), r))
		}
		pick := choices[rng.IntN(len(choices))]
		repl = func(*value.Value) *value.Value { return pick }
	}
	return replace(v, target, repl), true
}

// replace returns v with the node target replaced by f(target), sharing
// the rest.
func replace(v, target *value.Value, f func(*value.Value) *value.Value) *value.Value {
	if v == target {
		return f(v)
	}
	switch value.KindOf(v) {
	case value.List:
		for i, it := range v.List {
			if r := replace(it, target, f); r != it {
				items := append([]*value.Value(nil), v.List...)
				items[i] = r
				return value.NewList(items, v.Range)
			}
		}
	case value.Map:
		ents := v.Map.Entries()
		for i, e := range ents {
			if r := replace(e.Val, target, f); r != e.Val {
				m := value.NewMapping(len(ents))
				for j, e2 := range ents {
					if j == i {
						m.Set(e2.Key, r)
					} else {
						m.Set(e2.Key, e2.Val)
					}
				}
				return value.NewMap(m, v.Range)
			}
		}
	}
	return v
}

// TestNativeFuzzSeedsAgree runs the fuzz target's seeds through both
// paths as every kind, raw and evaluated.
func TestNativeFuzzSeedsAgree(t *testing.T) {
	s := Default()
	files, _ := filepath.Glob(filepath.Join(testenv.RepoRoot(t), "testdata", "schema", "*", "*"))
	for _, p := range files {
		if strings.HasSuffix(p, ".out") {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := pyyaml.Load(p, b, pyyaml.Limits{})
		if err != nil {
			continue
		}
		for _, k := range Kinds() {
			for _, raw := range []bool{false, true} {
				agree(t, s, nativeCase{p, k, doc.Root, Options{Raw: raw}})
			}
		}
	}
}
