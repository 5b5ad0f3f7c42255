package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/pflag"

	"hoist/diag"
	"hoist/pipeline"
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
				out, err := pipeline.Eval(args[0], pipeline.EvalOptions{
					Environments: *envs, ParamFile: *paramFile, Params: *params,
					Output: *output, TopLevel: *topLevel, AllowMissing: *allowMissing,
					OracleStubs: style == "oracle",
				})
				var u pipeline.UsageError
				if errors.As(err, &u) {
					return usageError(env, "eval", "%s", u)
				}
				if err != nil {
					return evalFail(env, err, *noSnippet)
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

func evalFail(env *Env, err error, noSnippet bool) int {
	var d *diag.Diagnostic
	if errors.As(err, &d) {
		_ = diag.WriteText(env.Err, []*diag.Diagnostic{d}, diag.TextOptions{NoSnippet: noSnippet, Sources: source.NewCache()})
		return ExitUsage
	}
	fmt.Fprintf(env.Err, "hoist eval: %v\n", err)
	return ExitUsage
}
