package lint

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"

	"hoist/compiler/environment"
	"hoist/compiler/hot"
	"hoist/compiler/stack"
	"hoist/diag"
	"hoist/model"
	"hoist/source"
	"hoist/value"
)

// Evaluation makes the service rules run on evaluated role_data, the way
// the tree is deployed: each containerized service template is
// instantiated as a role's ServiceChain instantiates it (compiler/stack),
// with the properties the role gives every service (roleInputs) unknown,
// and every parameter that has no value (an image, a password) unknown
// too, named after it. In a tripleo-heat-templates tree the types resolve
// through the tree's deployment view (deployTree): its rendered resource
// registry, the release's default environments (plan-environment.yaml),
// then the run's environments; a file outside any tree sees the run's
// environments only (Env). The rules then see every function resolved,
// containers merged in from nested templates, and values with the range
// where they were written.
type Evaluation struct {
	Env    *environment.Env
	Loader *stack.Loader
}

// NewEvaluation loads and merges the environment files, in order
// (environment.LoadFiles).
func NewEvaluation(envFiles []string) (*Evaluation, error) {
	merged, err := environment.LoadFiles(envFiles...)
	if err != nil {
		return nil, err
	}
	return &Evaluation{Env: merged, Loader: stack.NewLoader()}, nil
}

// RuleEvaluation is the id of evaluation failures: Heat would fail to
// create the service's stack (a type no registry maps, a function whose
// arguments are wrong once evaluated, a yaql expression that fails on the
// values it is given). The finding is at the line at fault.
const RuleEvaluation = "service/evaluation-error"

// evaluationError stands for the runner's report of a service template
// that Heat would fail to evaluate.
type evaluationError struct{}

func (evaluationError) Meta() Meta {
	return Meta{ID: RuleEvaluation, Severity: diag.Error, Presets: recommended,
		Summary: "a containerized service cannot be evaluated as a role instantiates it: Heat would fail to create its stack"}
}

// roleInputs are the properties a role's ServiceChain gives every service
// (common/services.yaml in queens and rocky,
// common/services/role.role.j2.yaml from stein): the overcloud computes
// them, so they are unknown here.
var roleInputs = []string{"ServiceData", "ServiceNetMap", "EndpointMap", "DefaultPasswords", "RoleName", "RoleParameters"}

// evaluated is a service's evaluated role_data.
type evaluated struct {
	svc *Service
	// deps are the templates the evaluation read, by absolute path.
	deps []string
	// images maps each image parameter the template declares
	// (<release.Params.ImagePrefix>*Image: Docker*Image, train's
	// Container*Image) to
	// the text its value is recognised by in role_data.
	images map[string]string
	err    error
	// treeErr is the error of the tree's deployment view, when it does
	// not open: nothing was evaluated.
	treeErr error
}

// evaluate evaluates the service of the file in: through its tree's
// deployment view when it lies in a tree that opens (a tree that does not
// is reported by its Jinja2 templates' check, and its services are
// evaluated with the run's environments only), else with the run's
// environments.
func (o Options) evaluate(in *input, s *Service) *evaluated {
	if in.tree != nil && !in.tree.notTree {
		dt, err := in.tree.deployTree(o)
		if err != nil && in.tree.hasRoles(o) {
			// A checkout whose deployment view does not open (its
			// roles_data.yaml does not load, an environment is
			// missing): that is the finding, and nothing is evaluated
			// in it; without roles it is a fragment, evaluated with the
			// run's environments only.
			return &evaluated{treeErr: err}
		}
		if err == nil {
			ev := evaluate(s, dt.StackOptions(0), o.wd)
			// The result depends on the tree's environments (the rendered
			// registry is its template and the roles and networks it is
			// rendered with) and on the rendered templates it read.
			deps := slices.Clone(dt.Environments())
			deps = append(deps, ev.deps...)
			ev.deps = ev.deps[:0]
			for _, p := range deps {
				if f := dt.Rendered(p); f != nil {
					ev.deps = append(ev.deps, dt.Abs(f.Template), dt.RolesFile(), dt.NetworkFile())
					continue
				}
				ev.deps = append(ev.deps, p)
			}
			slices.Sort(ev.deps)
			ev.deps = slices.Compact(ev.deps)
			return ev
		}
	}
	return evaluate(s, stack.Options{Env: o.Evaluate.Env, Loader: o.Evaluate.Loader}, o.wd)
}

// unknownParameter is the value of a parameter that has no value in the
// evaluation: the deployment's environments give it. An image parameter
// (Docker*Image, train's Container*Image), which every deployment sets,
// is an image reference named after it, as stack.Placeholder makes one
// (templates split the tag and the registry off it), by which the image it
// stands for is recognised in the role data
// (container/image-parameter-unused); any other is unknown.
func unknownParameter(p *hot.Param) *value.Value {
	if p.Type == hot.TypeString && strings.HasSuffix(p.Name, "Image") && (strings.HasPrefix(p.Name, "Docker") || strings.HasPrefix(p.Name, "Container")) {
		return value.NewString("registry.example:8787/tripleo/"+p.Name+":latest", p.NameRange)
	}
	return value.NewUnknown("parameter "+p.Name+" is given by the deployment's environments", p.NameRange)
}

// generatedSecret is the value of a hidden password or key that the
// environments leave unset: TripleO's client generates one for each into
// the plan's parameter_defaults (so a default such as ” that its own
// allowed_pattern refuses is never used), and it is unknown here.
func generatedSecret(p *hot.Param) *value.Value {
	if !p.Hidden || !model.IsSecretParameter(p.Name, false) {
		return nil
	}
	return value.NewUnknown("parameter "+p.Name+" is generated by the deployment (a password or key)", p.NameRange)
}

// evaluate instantiates the service of s with the stack options o (Env
// and Loader set); s's file is named relative to the working folder wd.
func evaluate(s *Service, o stack.Options, wd string) *evaluated {
	abs := absFrom(wd, s.File.Path)
	out := &evaluated{}
	o.Missing, o.Given = unknownParameter, generatedSecret
	o.LazyDepth = 0
	if ts, err := stack.Closure(abs, o); err == nil {
		for _, t := range ts {
			out.deps = append(out.deps, absFrom(wd, t.File))
		}
	}
	props := value.NewMapping(len(roleInputs))
	for _, name := range roleInputs {
		if p := s.Template.Parameters; p == nil || p.Kind != value.Map || !p.Map.Has(name) {
			continue // Heat refuses a property the template does not declare
		}
		props.Set(value.NewString(name, source.Range{}), value.NewUnknown(name+" is given by the role (ServiceChain)", source.Range{}))
	}
	st, err := stack.Nested(abs, "Service", props, o)
	if err != nil {
		out.err = err
		return out
	}
	rd, err := st.Output("role_data")
	if err != nil {
		out.err = err
		return out
	}
	out.images = map[string]string{}
	for _, name := range st.Template.ParamNames() {
		if !strings.HasPrefix(name, s.File.Release.Params.ImagePrefix) || !strings.HasSuffix(name, "Image") {
			continue
		}
		if v, ok := st.Scope().ParamValue(name); ok && v.Kind == value.String && v.Str != "" {
			out.images[name] = imageBase(v.Str)
		}
	}
	out.svc = &Service{File: s.File, Template: s.Template, RoleData: rd, Path: s.Path, Evaluated: true}
	return out
}

// imageBase is the part of an image reference that survives THT's yaql
// rewrites (":pcmklatest" tags, "cluster-common-tag/" prefixes): the last
// path component without its tag.
func imageBase(ref string) string {
	if i := strings.LastIndex(ref, "/"); i >= 0 {
		ref = ref[i+1:]
	}
	if i := strings.LastIndex(ref, ":"); i > 0 {
		ref = ref[:i]
	}
	return ref
}

// evaluationDiagnostic turns an evaluation failure into a finding.
func evaluationDiagnostic(name string, err error, sev diag.Severity) *diag.Diagnostic {
	var d *diag.Diagnostic
	if errors.As(err, &d) {
		out := *d
		out.Rule = RuleEvaluation
		out.Severity = sev
		out.Message = "the service cannot be evaluated as a role instantiates it: " + d.Message
		if out.Range.IsZero() {
			out.Range = source.Range{File: name}
		}
		return &out
	}
	return &diag.Diagnostic{Severity: sev, Rule: RuleEvaluation, Range: source.Range{File: name, Start: source.Pos{Line: 1, Col: 1}},
		Message: "the service cannot be evaluated as a role instantiates it: " + err.Error()}
}

// dropEvaluationEchoes drops an evaluation failure at a line where
// another rule already reports an error (heat/missing-file at a missing
// nested template, heat/function-arguments at a malformed call,
// template/undefined-resource at a get_attr of no resource): the
// evaluation fails because of it, and the other rule says it better.
func dropEvaluationEchoes(ds []*diag.Diagnostic) []*diag.Diagnostic {
	type line struct {
		file string
		line int32
	}
	errs := map[line]bool{}
	for _, d := range ds {
		if d.Rule != RuleEvaluation && d.Severity == diag.Error {
			errs[line{d.Range.File, d.Range.Start.Line}] = true
		}
	}
	out := ds[:0]
	for _, d := range ds {
		if d.Rule == RuleEvaluation && errs[line{d.Range.File, d.Range.Start.Line}] {
			continue
		}
		out = append(out, d)
	}
	return out
}

// renameFile gives findings in the evaluated file the name the run uses
// for it (the evaluator names files relative to the working directory
// wd).
func renameFile(ds []*diag.Diagnostic, name, wd string) {
	abs := absFrom(wd, name)
	fix := func(r *source.Range) {
		if r.File == "" || r.File == name {
			return
		}
		if absFrom(wd, r.File) == abs {
			r.File = name
		}
	}
	for _, d := range ds {
		fix(&d.Range)
		for i := range d.Related {
			fix(&d.Related[i].Range)
		}
		for i := range d.Chain {
			fix(&d.Chain[i].Range)
		}
	}
}

// fileHashes memoizes, for one run, the hashes of the files results
// depend on: every evaluated service depends on its tree's registry,
// roles and environments, which are then read and hashed once, not once
// per service (or per cached result checked). A nil *fileHashes reads
// every time.
type fileHashes struct {
	m sync.Map
	// off is set when no result is kept (no cache): dependencies are
	// then not hashed at all.
	off bool
}

// seed records the hash of a file the run read anyway (an input), named
// relative to the working directory wd, so that the results depending on
// it do not read it again.
func (f *fileHashes) seed(wd, name string, sum [32]byte) {
	if !f.off {
		f.m.LoadOrStore(absFrom(wd, name), fileHash{sum: sum, ok: true})
	}
}

type fileHash struct {
	sum [32]byte
	ok  bool
}

func (f *fileHashes) sum(p string) ([32]byte, bool) {
	if f != nil {
		if v, ok := f.m.Load(p); ok {
			h := v.(fileHash)
			return h.sum, h.ok
		}
	}
	b, err := os.ReadFile(p)
	h := fileHash{ok: err == nil}
	if h.ok {
		h.sum = sha256.Sum256(b)
	}
	if f != nil {
		f.m.Store(p, h)
	}
	return h.sum, h.ok
}

// hashDeps hashes the files a result depends on (those that exist).
func (f *fileHashes) hashDeps(paths []string) map[string][32]byte {
	if f != nil && f.off {
		return nil
	}
	out := make(map[string][32]byte, len(paths))
	for _, p := range paths {
		if h, ok := f.sum(p); ok {
			out[p] = h
		}
	}
	return out
}

// depsUnchanged reports whether every dependency still has its hash.
func (f *fileHashes) depsUnchanged(deps map[string][32]byte) bool {
	for p, h := range deps {
		if got, ok := f.sum(p); !ok || got != h {
			return false
		}
	}
	return true
}

// imageParameterUnused: an image parameter the template reads, whose
// value reaches nothing in the evaluated role_data (only used in a branch
// that is not taken, or in a resource whose output nobody reads).
type imageParameterUnused struct{}

func (imageParameterUnused) Meta() Meta {
	return Meta{ID: "container/image-parameter-unused", Severity: diag.Warning, Presets: recommended,
		Summary: "an image parameter's (Docker*Image, train's Container*Image) value reaches no container, config image or task of the evaluated role_data"}
}

// checkImages runs the rule on an evaluated service.
func (imageParameterUnused) checkImages(ev *evaluated, r *Reporter) {
	if ev.svc == nil || len(ev.images) == 0 {
		return
	}
	var texts []string
	walk(ev.svc.RoleData, func(v *value.Value) bool {
		if v.Kind == value.String {
			texts = append(texts, v.Str)
		}
		return true
	})
	all := strings.Join(texts, "\n")
	read, conditional := map[string]bool{}, map[string]bool{}
	for _, p := range collectRefs(ev.svc.Template).params {
		read[p.Name] = true
		if inIfBranch(p.Path) {
			conditional[p.Name] = true
		}
	}
	for _, e := range mapEntries(ev.svc.Template.Parameters) {
		name := keyString(e.Key)
		base, ok := ev.images[name]
		// A read in a branch of an if may reach a container when the
		// deployment sets the condition's parameters (octavia's log
		// offload sidecar): the evaluation saw one branch only.
		if !ok || !read[name] || conditional[name] || strings.Contains(all, base) {
			continue
		}
		r.ReportAt(e.Key, value.Path{}.Key("parameters").Key(name), fmt.Sprintf("image parameter %q is declared, but its value (%s) reaches no container, config image or task of the evaluated role_data: no node ever pulls it", name, base))
	}
}

// inIfBranch reports whether a path goes through the second or third
// argument of an if.
func inIfBranch(p value.Path) bool {
	for i := 0; i+1 < len(p); i++ {
		if !p[i].IsIndex && p[i].Key == "if" && p[i+1].IsIndex && p[i+1].Index >= 1 {
			return true
		}
	}
	return false
}
