package cli

import (
	"bufio"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/spf13/pflag"

	"hoist/compiler/yaql"
	"hoist/diag"
	"hoist/pyyaml"
	"hoist/source"
	"hoist/value"
)

func debugCommand() *command {
	cmd := &command{
		name:    "debug",
		summary: "show hoist's view of an input (debug yaml FILE, debug yaql EXPR)",
		usage:   "debug yaml FILE | debug yaql [--] EXPR [--data JSON]",
		long: `debug yaml prints the document hoist loads from FILE ("-" for standard input) as
JSON, exactly as Python's json.dumps(doc, indent=2, sort_keys=True) prints what
Heat's YAML loader (PyYAML, YAML 1.1, timestamps as strings) loads from it.
Differential tests hold it against PyYAML.

debug yaql evaluates the yaql expression EXPR as Heat's yaql function does,
with $ bound to {data: DATA} (--data, JSON or YAML; default {}) and TripleO's
limits (1000 items, 100000 bytes), and prints the result as JSON. EXPR is taken
as written even when it starts with "-" ("hoist debug yaql '-7 / 2'"); after
"--" every argument is an expression. Values known only to a live cloud (now(),
random()) print as {"<unknown>": reason}.`,
	}
	cmd.setup = func(fs *pflag.FlagSet) func(*Env, []string) int {
		lim := limitFlags(fs)
		yaqlData := fs.String("data", "", "debug yaql: the data, as JSON or YAML")
		// Flags are read up to the subcommand; what follows it is read
		// below, so that an expression may start with "-".
		fs.SetInterspersed(false)
		return func(env *Env, args []string) int {
			if len(args) == 0 {
				return usageError(env, "debug", "expected \"yaml FILE\" or \"yaql EXPR\"")
			}
			operands, err := subcommandArgs(fs, args[1:])
			if err != nil {
				if errors.Is(err, pflag.ErrHelp) {
					cmd.writeHelp(env.Out)
					return ExitOK
				}
				fmt.Fprintf(env.Err, "hoist debug: %v\nRun 'hoist help debug' for usage.\n", err)
				return ExitUsage
			}
			if len(operands) == 1 && args[0] == "yaql" {
				return debugYaql(env, operands[0], *yaqlData, yaql.TripleOLimits)
			}
			if len(operands) != 1 || args[0] != "yaml" {
				return usageError(env, "debug", "expected \"yaml FILE\" or \"yaql EXPR\"")
			}
			src := source.NewCache()
			doc, err := loadYAMLArg(env, operands[0], *lim, src)
			if err != nil {
				return reportInputError(env, err, src)
			}
			w := bufio.NewWriter(env.Out)
			if err := value.WriteJSON(w, doc.Root, value.JSONOptions{Indent: "  ", SortKeys: true}); err != nil {
				return ExitInternal
			}
			w.WriteByte('\n')
			if err := w.Flush(); err != nil {
				fmt.Fprintf(env.Err, "hoist debug: %v\n", err)
				return ExitInternal
			}
			return ExitOK
		}
	}
	return cmd
}

// subcommandArgs parses the arguments after debug's subcommand: the
// command's own long flags (--data, --max-depth...) and -h anywhere, "--"
// ending the flags, and anything else, "-7 / 2" included, as an operand.
// An unknown --name is an error rather than an operand.
func subcommandArgs(fs *pflag.FlagSet, args []string) ([]string, error) {
	var operands, flags []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			operands = append(operands, args[i+1:]...)
			i = len(args)
		case a == "-h" || a == "--help":
			flags = append(flags, a)
		case strings.HasPrefix(a, "--") && len(a) > 2 && unicode.IsLetter(rune(a[2])):
			name, _, hasValue := strings.Cut(a[2:], "=")
			f := fs.Lookup(name)
			if f == nil {
				return nil, fmt.Errorf("unknown flag: --%s", name)
			}
			flags = append(flags, a)
			if !hasValue && f.NoOptDefVal == "" && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		default:
			operands = append(operands, a)
		}
	}
	if err := fs.Parse(flags); err != nil {
		return nil, err
	}
	return operands, nil
}

// limitFlags declares the flags that change the YAML loader's limits.
func limitFlags(fs *pflag.FlagSet) *pyyaml.Limits {
	lim := pyyaml.DefaultLimits
	fs.Int64Var(&lim.MaxFileSize, "max-file-size", lim.MaxFileSize, "largest YAML file accepted, in bytes")
	fs.IntVar(&lim.MaxDepth, "max-depth", lim.MaxDepth, "deepest nesting of lists and maps accepted")
	fs.IntVar(&lim.MaxAliasNodes, "max-alias-nodes", lim.MaxAliasNodes, "most nodes YAML aliases may expand to in one document")
	return &lim
}

// loadYAMLArg loads a file named on the command line, "-" being standard
// input.
func loadYAMLArg(env *Env, name string, lim pyyaml.Limits, src *source.Cache) (*pyyaml.Document, error) {
	if name == "-" {
		b, err := pyyaml.ReadLimited("<stdin>", env.In, lim)
		if err != nil {
			return nil, err
		}
		src.Add("<stdin>", b)
		return pyyaml.Load("<stdin>", b, lim)
	}
	return pyyaml.LoadFile(name, lim)
}

// reportInputError prints an error about the input with its snippet and
// returns ExitUsage (input errors share exit code 2 with usage errors).
func reportInputError(env *Env, err error, src *source.Cache) int {
	if d, ok := err.(*diag.Diagnostic); ok {
		diag.WriteText(env.Err, []*diag.Diagnostic{d}, diag.TextOptions{Sources: src})
		return ExitUsage
	}
	fmt.Fprintf(env.Err, "hoist: %v\n", err)
	return ExitUsage
}
