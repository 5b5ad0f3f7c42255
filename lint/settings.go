package lint

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"

	"hoist/config"
	"hoist/diag"
)

// Settings are the rules of a run as hoist.hcl and the command line chose
// them.
type Settings struct {
	// Preset is the preset the enabled rules start from.
	Preset string
	// Rules are the enabled rules, configured, in registry order.
	Rules []Rule
	// Severities holds the severities changed from a rule's default.
	Severities map[string]diag.Severity
	// FailLevel is the lowest severity that fails the run; zero when
	// neither the file nor the command line set it.
	FailLevel diag.Severity
}

// Overrides are the command line's say, which beats hoist.hcl's.
type Overrides struct {
	// Preset, when not empty, replaces the file's preset.
	Preset string
	// Enable and Disable name rules to turn on or off.
	Enable, Disable []string
	// Only, when not empty, runs just these rules (and the loader's).
	Only []string
}

// Configure applies a configuration file (nil for none) and the command
// line's overrides to the registry. An unknown rule name, in the file or on
// the command line, is an error; so is an option a rule does not have. File
// errors are *config.Error values with HCL diagnostics.
func Configure(cfg *config.File, o Overrides) (*Settings, error) {
	all := Rules()
	policies, err := PolicyRules(cfg)
	if err != nil {
		return nil, err
	}
	all = append(all, policies...)
	byID := map[string]Rule{}
	var ids []string
	for _, r := range all {
		byID[r.Meta().ID] = r
		ids = append(ids, r.Meta().ID)
	}
	s := &Settings{Preset: PresetRecommended, Severities: map[string]diag.Severity{}}
	var diags hcl.Diagnostics
	if cfg != nil {
		if cfg.Lint != nil {
			if cfg.Lint.Preset != nil {
				s.Preset = *cfg.Lint.Preset
			}
			if cfg.Lint.FailLevel != nil {
				s.FailLevel, _ = diag.ParseSeverity(*cfg.Lint.FailLevel)
			}
		}
	}
	if o.Preset != "" {
		if !slices.Contains(Presets, o.Preset) {
			return nil, fmt.Errorf("unknown preset %q: expected %s", o.Preset, diag.QuoteList(Presets))
		}
		s.Preset = o.Preset
	}
	enabled := map[string]bool{}
	for _, r := range all {
		enabled[r.Meta().ID] = r.Meta().InPreset(s.Preset)
	}
	if cfg != nil {
		for _, rb := range cfg.Rules {
			r, ok := byID[rb.Name]
			if note, retired := retiredNote(rb.Name); !ok && retired {
				diags = append(diags, cfg.Errorf(rb.LabelRange, "Retired rule", strings.ToUpper(note[:1])+note[1:]+"; configure that rule instead."))
				continue
			}
			if !ok {
				diags = append(diags, cfg.Errorf(rb.LabelRange, "Unknown rule",
					fmt.Sprintf("There is no rule %q.%s Run 'hoist rules' for the list.", rb.Name, didYouMean(rb.Name, ids, " Did you mean %q?"))))
				continue
			}
			if rb.Enabled != nil {
				enabled[rb.Name] = *rb.Enabled
			}
			if rb.Severity != nil {
				sev, _ := diag.ParseSeverity(*rb.Severity)
				s.Severities[rb.Name] = sev
			}
			diags = append(diags, decodeOptions(r, rb)...)
		}
		if err := cfg.WrapDiagnostics(diags); err != nil {
			return nil, err
		}
	}
	for _, list := range [][]string{o.Enable, o.Disable, o.Only} {
		for _, id := range list {
			if note, retired := retiredNote(id); retired {
				return nil, fmt.Errorf("%s", note)
			}
			if _, ok := byID[id]; !ok {
				return nil, fmt.Errorf("unknown rule %q%s; run 'hoist rules' for the list", id, didYouMean(id, ids, "; did you mean %q?"))
			}
		}
	}
	for _, id := range o.Enable {
		enabled[id] = true
	}
	for _, id := range o.Disable {
		enabled[id] = false
	}
	if len(o.Only) > 0 {
		for id := range enabled {
			enabled[id] = slices.Contains(o.Only, id)
		}
	}
	for _, r := range all {
		if enabled[r.Meta().ID] || alwaysOn(r.Meta().ID) {
			s.Rules = append(s.Rules, r)
		}
	}
	return s, nil
}

// alwaysOn rules stand for the loader's errors: nothing else can be checked
// in a file that does not load, so they cannot be turned off.
func alwaysOn(id string) bool {
	switch id {
	case "yaml/syntax", "yaml/limit", "jsonnet/syntax", "jsonnet/runtime", "jsonnet/output",
		"jinja/syntax", "jinja/render", "jinja/missing-include":
		return true
	}
	return false
}

func decodeOptions(r Rule, rb *config.RuleBlock) hcl.Diagnostics {
	if rb.Options == nil {
		return nil
	}
	c, ok := r.(Configurable)
	if !ok {
		// A rule without options takes no attributes: decoding into an
		// empty struct reports each one as unsupported.
		var none struct{}
		return gohcl.DecodeBody(rb.Options, nil, &none)
	}
	return gohcl.DecodeBody(rb.Options, nil, c.Options())
}

// Enabled reports whether the rule with the given id is enabled.
func (s *Settings) Enabled(id string) bool {
	for _, r := range s.Rules {
		if r.Meta().ID == id {
			return true
		}
	}
	return false
}

// Fingerprint describes the settings for cache keys.
func (s *Settings) Fingerprint() string {
	var b strings.Builder
	fmt.Fprintf(&b, "preset=%s\n", s.Preset)
	for _, r := range s.Rules {
		b.WriteString(r.Meta().ID)
		if fp, ok := r.(interface{ Fingerprint() string }); ok {
			// A rule whose checks come from a file (a policy).
			b.WriteString(" " + fp.Fingerprint())
		}
		b.WriteByte('\n')
	}
	var sev []string
	for id, v := range s.Severities {
		sev = append(sev, id+"="+v.String())
	}
	sort.Strings(sev)
	b.WriteString(strings.Join(sev, ","))
	return b.String()
}

// didYouMean suggests the closest id in the given format, or "".
func didYouMean(s string, ids []string, format string) string {
	best, bestD := "", min(4, max(2, len(s)/3+1))
	for _, id := range ids {
		if d := levenshtein(s, id); d < bestD {
			best, bestD = id, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(format, best)
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
