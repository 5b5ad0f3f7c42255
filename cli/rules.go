package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/pflag"

	"hoist/diag"
	"hoist/lint"
)

func rulesCommand() *command {
	return &command{
		name:    "rules",
		summary: "list the lint rules (text, markdown or json)",
		usage:   "rules [--format text|markdown|json]",
		long: `Lists every lint rule with its severity, its presets and what it finds. A rule
shown as "error or warning" gives each finding the severity its consequence
deserves (docs/rules/README.md, "Severities").
--format markdown prints the rule index of docs/rules/README.md; --format json
prints the same data for tools.`,
		setup: func(fs *pflag.FlagSet) func(*Env, []string) int {
			format := fs.String("format", "text", "output format: text, markdown or json")
			return func(env *Env, args []string) int {
				if len(args) > 0 {
					return usageError(env, "rules", "unexpected argument %q", args[0])
				}
				var err error
				switch *format {
				case "text":
					tw := tabwriter.NewWriter(env.Out, 0, 0, 2, ' ', 0)
					for _, r := range lint.Rules() {
						m := r.Meta()
						fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.ID, m.SeverityText(), presetList(m), m.Summary)
					}
					err = tw.Flush()
				case "markdown":
					_, err = fmt.Fprint(env.Out, RulesMarkdown())
				case "json":
					err = writeRulesJSON(env)
				default:
					return usageError(env, "rules", "unknown format %q: expected %s", *format, diag.QuoteList([]string{"text", "markdown", "json"}))
				}
				if err != nil {
					fmt.Fprintf(env.Err, "hoist rules: %v\n", err)
					return ExitInternal
				}
				return ExitOK
			}
		},
	}
}

func presetList(m lint.Meta) string {
	ps := append([]string(nil), m.Presets...)
	return strings.Join(append(ps, lint.PresetAll), ",")
}

// RulesMarkdown is the rule index of docs/rules/README.md, generated from
// the registry.
func RulesMarkdown() string {
	var b strings.Builder
	b.WriteString("| rule | severity | presets | what it finds |\n|---|---|---|---|\n")
	for _, r := range lint.Rules() {
		m := r.Meta()
		fmt.Fprintf(&b, "| [`%s`](%s.md) | %s | %s | %s |\n", m.ID, m.ID, m.SeverityText(), strings.ReplaceAll(presetList(m), ",", ", "), strings.ReplaceAll(m.Summary, "|", "\\|"))
	}
	return b.String()
}

func writeRulesJSON(env *Env) error {
	type rule struct {
		ID       string `json:"id"`
		Severity string `json:"severity"`
		// Lowest is the lowest severity of a rule whose findings
		// each take the severity of their consequence.
		Lowest  string   `json:"lowest_severity,omitempty"`
		Presets []string `json:"presets"`
		Summary string   `json:"summary"`
		Doc     string   `json:"doc"`
		HelpURI string   `json:"help_uri"`
		Options bool     `json:"has_options"`
	}
	var out struct {
		Rules []rule `json:"rules"`
	}
	for _, r := range lint.Rules() {
		m := r.Meta()
		_, opts := r.(lint.Configurable)
		lowest := ""
		if m.Lower != 0 && m.Lower != m.Severity {
			lowest = m.Lower.String()
		}
		out.Rules = append(out.Rules, rule{m.ID, m.Severity.String(), lowest, append(append([]string(nil), m.Presets...), lint.PresetAll), m.Summary, m.DocPath(), m.HelpURI(), opts})
	}
	enc := json.NewEncoder(env.Out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
