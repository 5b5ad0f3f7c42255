package pipeline

import (
	"errors"

	"hoist/diag"
	"hoist/emit"
	"hoist/lint"
	"hoist/plan"
)

// EmitOptions say how Emit checks and writes an artifact tree.
type EmitOptions struct {
	// Rules are the plan rules to run (PlanRules).
	Rules lint.Options
	// Strict makes any unknown value an error: nothing is written.
	Strict bool
}

// Emitted is what Emit did.
type Emitted struct {
	// Plan is the deployment's plan.
	Plan *plan.Plan
	// Findings are the plan rules' findings.
	Findings []*diag.Diagnostic
	// Diagnostics are the findings and the tree's problems (a path from a
	// template outside the node folder, an unknown value with Strict),
	// placed at the lines that wrote them and sorted.
	Diagnostics []*diag.Diagnostic
	// Tree is the artifact tree; nil when it could not be built.
	Tree *emit.Tree
	// Nodes is the number of nodes the tree holds; Unknowns the number of
	// unknown values its files hold (manifest.json lists them).
	Nodes, Unknowns int
}

// ErrNotBuilt is Emit's error when the artifact tree could not be built:
// Emitted.Diagnostics say why.
var ErrNotBuilt = errors.New("the artifact tree was not built")

// Emit is hoist build -o: the plan of in, its findings (the plan rules),
// and the artifact tree (docs/artifacts.md) written to out atomically. It
// returns what it did even on error: ErrNotBuilt when the tree could not
// be built, or the error of the write, which leaves out as it was.
func Emit(in *Input, out string, o EmitOptions) (*Emitted, error) {
	p := in.Plan()
	e := &Emitted{Plan: p}
	e.Findings = in.Check(p, o.Rules)
	tree, ds, err := emit.BuildAndWrite(p, emit.Options{Strict: o.Strict, Inputs: in.Record}, out)
	in.Locate(ds...)
	e.Diagnostics = diag.Sort(append(append([]*diag.Diagnostic{}, e.Findings...), ds...))
	if tree == nil {
		return e, ErrNotBuilt
	}
	e.Tree = tree
	for _, rp := range p.Roles {
		e.Nodes += len(rp.Nodes)
	}
	for _, f := range tree.Files {
		e.Unknowns += len(f.Unknowns)
	}
	return e, err
}
