package lint

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"strings"

	"hoist/compiler/environment"
	"hoist/compiler/stack"
	"hoist/diag"
	"hoist/source"
	"hoist/value"
)

// Evaluation makes the service rules run on evaluated role_data: each
// containerized service template is instantiated as a role's
// ResourceChain instantiates it (compiler/stack), with the environments'
// resource_registry and parameter_defaults, and a placeholder for every
// parameter that has no value anywhere (an image, a password), named after
// the parameter. The rules then see every function resolved, containers
// merged in from nested templates, and values with the range where they
// were written.
type Evaluation struct {
	Env    *environment.Env
	Loader *stack.Loader
}

// NewEvaluation loads and merges the environment files, in order.
func NewEvaluation(envFiles []string) (*Evaluation, error) {
	var envs []*environment.Env
	for _, f := range envFiles {
		e, err := environment.LoadFile(f)
		if err != nil {
			return nil, err
		}
		envs = append(envs, e)
	}
	merged, err := environment.Merge(envs...)
	if err != nil {
		return nil, err
	}
	return &Evaluation{Env: merged, Loader: stack.NewLoader()}, nil
}

// RuleEvaluation is the id of evaluation failures. Without the
// deployment's inputs (passwords, the EndpointMap) some services cannot be
// evaluated (a password fallback's first() of nothing, a make_url of an
// empty port); that says nothing about the template, so it is an info, and
// the rules fall back to the template as written.
const RuleEvaluation = "service/evaluation-error"

// evaluationError stands for the runner's report of a service template
// that Heat would fail to evaluate.
type evaluationError struct{}

func (evaluationError) Meta() Meta {
	return Meta{ID: RuleEvaluation, Severity: diag.Info, Presets: recommended,
		Summary: "a service could not be evaluated with the given environments, so its rules ran on the template as written (with --evaluate)"}
}

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
}

// evaluate instantiates the service of f.
func (e *Evaluation) evaluate(s *Service) *evaluated {
	abs := stack.Abs(s.File.Path)
	out := &evaluated{}
	o := stack.Options{Env: e.Env, Loader: e.Loader}
	if ts, err := stack.Closure(abs, o); err == nil {
		for _, t := range ts {
			out.deps = append(out.deps, stack.Abs(t.File))
		}
	}
	missing, err := stack.MissingParams(abs, nil, o)
	if err != nil {
		out.err = err
		return out
	}
	env := e.Env
	if len(missing) > 0 {
		pd := value.NewMapping(len(missing))
		for _, m := range missing {
			pd.Set(value.NewString(m.Param.Name, m.Param.NameRange), stack.Placeholder(m.Param))
		}
		sec := value.NewMapping(1)
		sec.Set(value.NewString("parameter_defaults", source.Range{}), value.NewMap(pd, source.Range{}))
		filled, err := environment.Parse("placeholders", value.NewMap(sec, source.Range{}))
		if err == nil {
			env, err = environment.Merge(e.Env, filled)
		}
		if err != nil {
			out.err = err
			return out
		}
		o.Env = env
	}
	st, err := stack.Nested(abs, "Service", value.NewMapping(0), o)
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
		out.Message = "could not evaluate the service with the given environments, so its rules ran on the template as written: " + d.Message
		if out.Range.IsZero() {
			out.Range = source.Range{File: name}
		}
		return &out
	}
	return &diag.Diagnostic{Severity: sev, Rule: RuleEvaluation, Range: source.Range{File: name, Start: source.Pos{Line: 1, Col: 1}},
		Message: "could not evaluate the service with the given environments, so its rules ran on the template as written: " + err.Error()}
}

// renameFile gives findings in the evaluated file the name the run uses
// for it (the evaluator names files relative to the working directory).
func renameFile(ds []*diag.Diagnostic, name string) {
	abs := stack.Abs(name)
	fix := func(r *source.Range) {
		if r.File != "" && r.File != name && stack.Abs(r.File) == abs {
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

// hashDeps hashes the files a result depends on.
func hashDeps(paths []string) map[string][32]byte {
	out := map[string][32]byte{}
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			out[p] = sha256.Sum256(b)
		}
	}
	return out
}

// depsUnchanged reports whether every dependency still has its hash.
func depsUnchanged(deps map[string][32]byte) bool {
	for p, h := range deps {
		b, err := os.ReadFile(p)
		if err != nil || sha256.Sum256(b) != h {
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
		Summary: "an image parameter's (Docker*Image, train's Container*Image) value reaches no container, config image or task of the evaluated role_data (with --evaluate)"}
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
	read := map[string]bool{}
	for _, p := range collectRefs(ev.svc.Template).params {
		read[p.Name] = true
	}
	for _, e := range mapEntries(ev.svc.Template.Parameters) {
		name := keyString(e.Key)
		base, ok := ev.images[name]
		if !ok || !read[name] || strings.Contains(all, base) {
			continue
		}
		r.ReportAt(e.Key, value.Path{}.Key("parameters").Key(name), fmt.Sprintf("image parameter %q is declared, but its value (%s) reaches no container, config image or task of the evaluated role_data: no node ever pulls it", name, base))
	}
}
