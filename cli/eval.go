package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"hoist/compiler/deploy"
	"hoist/compiler/environment"
	"hoist/compiler/hot"
	"hoist/compiler/stack"
	"hoist/diag"
	"hoist/pyyaml"
	"hoist/source"
	"hoist/value"
)

func evalCommand() *command {
	return &command{
		name:    "eval",
		summary: "evaluate a Heat template's outputs offline, as Heat would",
		usage:   "eval TEMPLATE [-e ENV]... [-p NAME=VALUE]... [--param-file FILE] [--output NAME] [--format json|yaml]",
		long: `Instantiates TEMPLATE the way a TripleO role's ResourceChain does (as a nested
stack) and prints its resolved outputs, or the one --output names.

The environments (-e, merged in order the way the TripleO client merged them)
provide the resource_registry and parameter_defaults, which reach every nested
stack and replace the schema defaults. Without -e, a template of a
tripleo-heat-templates checkout is evaluated with the tree's own: its
rendered overcloud-resource-registry-puppet and the release's default
environments (plan-environment.yaml). --allow-missing gives every parameter
that has no value anywhere (an image, a password) an unknown value instead of
failing. Their parameters, then --param-file (a
YAML or JSON mapping of names to values), then -p NAME=VALUE (string values)
are the properties passed to the template, checked and coerced as Heat checks
a template resource's properties.

Values only a live cloud knows (a server's address, a random string) are
printed as {"<unknown>": "reason"}; --unknowns oracle (or the environment
variable HOIST_EVAL_UNKNOWNS=oracle) prints an unknown resource attribute as
the Heat oracle's stub string STUB:<type>:<resource>:<attribute> instead, so
that its goldens compare like with like. Output is JSON with sorted keys and a
two-space indent, or YAML. Errors go to standard error with the position of
the failing call and the chain of nested templates that led there; the exit
code is then 2.`,
		setup: func(fs *pflag.FlagSet) func(*Env, []string) int {
			envs := fs.StringArrayP("environment", "e", nil, "environment file (repeatable, merged in order)")
			params := fs.StringArrayP("parameter", "p", nil, "parameter NAME=VALUE passed to the template (repeatable)")
			paramFile := fs.String("param-file", "", "YAML or JSON file mapping parameter names to values")
			output := fs.String("output", "", "print only this output")
			format := fs.String("format", "json", "output format: json or yaml")
			unknowns := fs.String("unknowns", "", "how to print values only a live cloud knows: object ({\"<unknown>\": reason}) or oracle (STUB:type:resource:attribute); default $HOIST_EVAL_UNKNOWNS, else object")
			topLevel := fs.Bool("top-level", false, "instantiate as a top-level stack (parameters are user parameters, schema defaults are validated as written)")
			noSnippet := fs.Bool("no-snippet", false, "do not quote the source line under an error")
			allowMissing := fs.Bool("allow-missing", false, "evaluate parameters that have no value anywhere as unknown instead of failing")
			return func(env *Env, args []string) int {
				if len(args) != 1 {
					return usageError(env, "eval", "expected one TEMPLATE, got %d arguments", len(args))
				}
				if *format != "json" && *format != "yaml" {
					return usageError(env, "eval", "unknown format %q: expected %s", *format, diag.QuoteList([]string{"json", "yaml"}))
				}
				style := *unknowns
				if style == "" {
					style = env.Getenv("HOIST_EVAL_UNKNOWNS")
				}
				if style == "" {
					style = "object"
				}
				if style != "object" && style != "oracle" {
					return usageError(env, "eval", "unknown --unknowns %q: expected %s", style, diag.QuoteList([]string{"object", "oracle"}))
				}
				extra := value.NewMapping(len(*params))
				if *paramFile != "" {
					m, err := loadParamFile(*paramFile)
					if err != nil {
						return evalFail(env, err, *noSnippet)
					}
					for _, e := range m.Entries() {
						extra.Set(e.Key, e.Val)
					}
				}
				for _, p := range *params {
					name, val, ok := strings.Cut(p, "=")
					if !ok || name == "" {
						return usageError(env, "eval", "-p %q: expected NAME=VALUE", p)
					}
					r := source.Range{File: "<command line>"}
					extra.Set(value.NewString(name, r), value.NewString(val, r))
				}
				tree := renderedTree(args[0])
				out, err := evalTemplate(args[0], *envs, extra, *output, *topLevel, tree, *allowMissing)
				if err != nil {
					return evalFail(env, locateIn(tree, err), *noSnippet)
				}
				if style == "oracle" {
					out = oracleStubs(out)
				}
				if *format == "yaml" {
					err = pyyaml.Write(env.Out, out)
				} else {
					_, err = fmt.Fprintf(env.Out, "%s\n", value.MarshalIndent(out))
				}
				if err != nil {
					fmt.Fprintf(env.Err, "hoist eval: %v\n", err)
					return ExitInternal
				}
				return ExitOK
			}
		},
	}
}

// evalTemplate loads the environments, instantiates the template and
// returns the output asked for, or all outputs. tree, when set, is the
// tripleo-heat-templates tree that holds the template: its templates are
// read as Heat got them, the outputs of its Jinja2 templates rendered.
func evalTemplate(tmpl string, envFiles []string, extra *value.Mapping, output string, topLevel bool, tree *deploy.Tree, allowMissing bool) (*value.Value, error) {
	var envs []*environment.Env
	if tree != nil && len(envFiles) == 0 {
		envs = append(envs, tree.Env())
	}
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
	if merged, err = merged.WithParameters(extra); err != nil {
		return nil, err
	}
	if _, err := os.Stat(tmpl); err != nil {
		return nil, fmt.Errorf("template %s: %w", tmpl, unwrapPath(err))
	}
	opts := stack.Options{Env: merged}
	if allowMissing {
		opts.Missing = func(p *hot.Param) *value.Value {
			return value.NewUnknown("parameter "+p.Name+" has no value (--allow-missing)", p.NameRange)
		}
	}
	if tree != nil {
		opts.Loader = tree.Loader()
	}
	var st *stack.Stack
	if topLevel {
		st, err = stack.Top(tmpl, opts)
	} else {
		st, err = stack.Nested(tmpl, "Service", merged.Parameters(), opts)
	}
	if err != nil {
		return nil, err
	}
	if output != "" {
		return st.Output(output)
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

func evalFail(env *Env, err error, noSnippet bool) int {
	var d *diag.Diagnostic
	if errors.As(err, &d) {
		_ = diag.WriteText(env.Err, []*diag.Diagnostic{d}, diag.TextOptions{NoSnippet: noSnippet, Sources: source.NewCache()})
		return ExitUsage
	}
	fmt.Fprintf(env.Err, "hoist eval: %v\n", err)
	return ExitUsage
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
