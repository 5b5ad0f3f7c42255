package cli

import (
	"bufio"
	"fmt"
	"strings"
	"unicode/utf8"

	"hoist/compiler/yaql"
	"hoist/pyyaml"
	"hoist/source"
	"hoist/value"
)

// debugYaql is `hoist debug yaql EXPR [--data JSON]`: it evaluates EXPR as
// Heat's yaql function would, with `$` = {data: DATA}, and prints the
// result as JSON (unknown values as {"<unknown>": reason}).
func debugYaql(env *Env, expr, data string, lim yaql.Limits) int {
	var d *value.Value
	if data != "" {
		src := source.NewCache()
		src.Add("<data>", []byte(data))
		doc, err := pyyaml.Load("<data>", []byte(data), pyyaml.DefaultLimits)
		if err != nil {
			return reportInputError(env, err, src)
		}
		d = doc.Root
	}
	v, err := yaql.EvalHeat(expr, d, lim)
	if err != nil {
		if e, ok := err.(*yaql.Error); ok {
			fmt.Fprintf(env.Err, "hoist debug yaql: %s: %s\n", e.Kind, e.Msg)
			writeCaret(env, expr, e.Offset)
			return ExitUsage
		}
		fmt.Fprintf(env.Err, "hoist debug yaql: %v\n", err)
		return ExitInternal
	}
	w := bufio.NewWriter(env.Out)
	if err := value.WriteJSON(w, v, value.JSONOptions{Indent: "  ", SortKeys: true}); err != nil {
		return ExitInternal
	}
	w.WriteByte('\n')
	if err := w.Flush(); err != nil {
		fmt.Fprintf(env.Err, "hoist debug: %v\n", err)
		return ExitInternal
	}
	return ExitOK
}

// writeCaret shows the expression with a caret under the byte offset.
func writeCaret(env *Env, expr string, off int) {
	if strings.ContainsAny(expr, "\n\r") || off < 0 || off > len(expr) {
		return
	}
	fmt.Fprintf(env.Err, "  %s\n  %s^\n", expr, strings.Repeat(" ", utf8.RuneCountInString(expr[:off])))
}
