package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"hoist/compiler/deploy"
	"hoist/compiler/environment"
	"hoist/compiler/hot"
	"hoist/compiler/stack"
	"hoist/diag"
	"hoist/pyyaml"
	"hoist/source"
	"hoist/value"
)

// EvalOptions say how Eval instantiates a template: hoist eval's flags.
type EvalOptions struct {
	// Environments are environment files, merged in order; they give the
	// resource_registry and the parameter_defaults. Without any, a
	// template of a tripleo-heat-templates tree is evaluated with the
	// tree's own: its rendered resource registry and the release's
	// default environments.
	Environments []string
	// ParamFile is a YAML or JSON mapping of parameter names to values,
	// and Params are NAME=VALUE strings after it: with the environments'
	// parameters, the properties passed to the template.
	ParamFile string
	Params    []string
	// Output names the one output to return; empty: all of them.
	Output string
	// TopLevel instantiates the template as a top-level stack rather than
	// as a nested one (a ResourceChain member).
	TopLevel bool
	// AllowMissing gives every parameter without a value anywhere an
	// unknown value instead of failing.
	AllowMissing bool
	// OracleStubs returns each unknown resource attribute as the string
	// the Heat oracle's evaluator gives it, STUB:<type>:<resource>:<attribute>,
	// so that the oracle's goldens compare like with like.
	OracleStubs bool
}

// Eval instantiates the template tmpl the way a TripleO role's
// ResourceChain does (or as a top-level stack) and returns its resolved
// outputs, or the one o.Output names. When tmpl lies in a
// tripleo-heat-templates tree, its nested templates are read as Heat got
// them (the outputs of the tree's Jinja2 templates rendered) and errors
// in those outputs are placed at the *.j2.yaml lines that wrote them. A
// malformed o.Params entry is a UsageError.
func Eval(tmpl string, o EvalOptions) (*value.Value, error) {
	extra := value.NewMapping(len(o.Params))
	if o.ParamFile != "" {
		m, err := loadParamFile(o.ParamFile)
		if err != nil {
			return nil, err
		}
		for _, e := range m.Entries() {
			extra.Set(e.Key, e.Val)
		}
	}
	for _, p := range o.Params {
		name, val, ok := strings.Cut(p, "=")
		if !ok || name == "" {
			return nil, usagef("-p %q: expected NAME=VALUE", p)
		}
		r := source.Range{File: "<command line>"}
		extra.Set(value.NewString(name, r), value.NewString(val, r))
	}
	tree := renderedTree(tmpl)
	out, err := evalTemplate(tmpl, o, extra, tree)
	if err != nil {
		return nil, locateIn(tree, err)
	}
	if o.OracleStubs {
		out = oracleStubs(out)
	}
	return out, nil
}

// evalTemplate loads the environments, instantiates the template and
// returns the output asked for, or all outputs. tree, when set, is the
// tripleo-heat-templates tree that holds the template: its templates are
// read as Heat got them, the outputs of its Jinja2 templates rendered.
func evalTemplate(tmpl string, o EvalOptions, extra *value.Mapping, tree *deploy.Tree) (*value.Value, error) {
	var merged *environment.Env
	var err error
	if tree != nil && len(o.Environments) == 0 {
		merged, err = environment.Merge(tree.Env())
	} else {
		merged, err = environment.LoadFiles(o.Environments...)
	}
	if err != nil {
		return nil, err
	}
	if merged, err = merged.WithParameters(extra); err != nil {
		return nil, err
	}
	if _, err := os.Stat(tmpl); err != nil {
		return nil, fmt.Errorf("template %s: %w", tmpl, unwrapPath(err))
	}
	opts := stack.Options{Env: merged}
	if o.AllowMissing {
		opts.Missing = func(p *hot.Param) *value.Value {
			return value.NewUnknown("parameter "+p.Name+" has no value (--allow-missing)", p.NameRange)
		}
	}
	if tree != nil {
		opts.Loader = tree.Loader()
	}
	var st *stack.Stack
	if o.TopLevel {
		st, err = stack.Top(tmpl, opts)
	} else {
		st, err = stack.Nested(tmpl, "Service", merged.Parameters(), opts)
	}
	if err != nil {
		return nil, err
	}
	if o.Output != "" {
		return st.Output(o.Output)
	}
	return st.Outputs()
}

// renderedTree opens the tripleo-heat-templates tree that holds a
// template (the nearest folder above it with a root Jinja2 template,
// roles_data.yaml and network_data.yaml), so that the template's nested
// templates are read as Heat got them: the outputs of the tree's Jinja2
// templates rendered (puppet/services/apache.yaml from apache.j2.yaml), and
// errors in them placed at the *.j2.yaml line. It returns nil outside such
// a tree, or when the tree cannot be opened: the files on disk are read
// then, as they are.
func renderedTree(tmpl string) *deploy.Tree {
	abs, err := filepath.Abs(tmpl)
	if err != nil {
		return nil
	}
	for dir := filepath.Dir(abs); ; dir = filepath.Dir(dir) {
		if isFile(filepath.Join(dir, "roles_data.yaml")) && isFile(filepath.Join(dir, "network_data.yaml")) &&
			(isFile(filepath.Join(dir, "overcloud-resource-registry-puppet.j2.yaml")) || isFile(filepath.Join(dir, "overcloud.j2.yaml"))) {
			t, err := deploy.Open(deploy.Inputs{Templates: deploy.Path{Path: dir}, AllowMissing: true}, deploy.Options{})
			if err != nil {
				return nil
			}
			return t
		}
		if filepath.Dir(dir) == dir {
			return nil
		}
	}
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// locateIn points the diagnostics of err that fall in a rendered output
// of the tree at the *.j2.yaml lines that wrote them.
func locateIn(tree *deploy.Tree, err error) error {
	if tree == nil {
		return err
	}
	var ds diag.List
	var d *diag.Diagnostic
	switch {
	case errors.As(err, &ds):
		for _, x := range ds {
			tree.Locate(x, nil)
		}
	case errors.As(err, &d):
		tree.Locate(d, nil)
	}
	return err
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// loadParamFile reads a parameter file: a mapping of parameter names to
// values (an empty file is none).
func loadParamFile(path string) (*value.Mapping, error) {
	doc, err := pyyaml.LoadFile(path, pyyaml.DefaultLimits)
	if err != nil {
		return nil, err
	}
	switch value.KindOf(doc.Root) {
	case value.Null:
		return value.NewMapping(0), nil
	case value.Map:
		return doc.Root.Map, nil
	}
	return nil, diag.Newf(diag.Error, environment.RuleEnvironment, doc.Root.Range, "a parameter file must be a mapping of parameter names to values, not a %s", doc.Root.Kind)
}

// oracleStubs replaces each unknown resource attribute by the string the
// Heat oracle's template evaluator returns for the attributes of resource
// types it does not run: STUB:<type>:<resource>:<attribute>. Other unknown
// values stay as they are.
func oracleStubs(v *value.Value) *value.Value {
	switch value.KindOf(v) {
	case value.Unknown:
		if res, attr, typ, ok := stack.UnknownAttribute(v); ok {
			return value.NewString("STUB:"+typ+":"+res+":"+attr, v.Range)
		}
	case value.List:
		items := make([]*value.Value, len(v.List))
		for i, it := range v.List {
			items[i] = oracleStubs(it)
		}
		return value.NewList(items, v.Range)
	case value.Map:
		m := value.NewMapping(v.Map.Len())
		for _, e := range v.Map.Entries() {
			m.Set(e.Key, oracleStubs(e.Val))
		}
		return value.NewMap(m, v.Range)
	}
	return v
}
