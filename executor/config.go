package executor

import (
	"slices"
	"strconv"

	"hoist/diag"
	"hoist/model"
	"hoist/pyyaml"
	"hoist/source"
	"hoist/value"
)

// RuleInput is the rule id of the diagnostics about artifacts hoist apply
// cannot run (a startup config that is not a mapping, an exec without a
// command, a list where paunch needs a string, ...).
const RuleInput = "apply/input"

// Config is one startup config: the containers of one config id.
type Config struct {
	File string
	// Step holds the containers (Containers, in the file's order) and
	// Lookup.
	model.Step
}

// LoadConfig reads a startup config file ({name: options}, JSON or YAML, as
// paunch read it with yaml.safe_load) and checks what the executor relies
// on. Errors are *diag.Diagnostic values with the file, line and column.
func LoadConfig(path string) (*Config, error) {
	doc, err := pyyaml.LoadFile(path, pyyaml.DefaultLimits)
	if err != nil {
		return nil, err
	}
	return ParseConfig(path, doc.Root)
}

// ParseConfig checks a loaded startup config.
func ParseConfig(file string, root *value.Value) (*Config, error) {
	cfg := &Config{File: file}
	if value.KindOf(root) == value.Null {
		return cfg, nil // an empty file is an empty config, as {} is
	}
	if root.Kind != value.Map {
		return nil, inputErr(root, file, "a startup config must be a mapping of container names to their options, not a %s", value.KindOf(root))
	}
	var errs []*diag.Diagnostic
	for _, e := range root.Map.Entries() {
		if e.Key.Kind != value.String || e.Key.Str == "" {
			errs = append(errs, inputErr(e.Key, file, "container name %s must be a non-empty string", show(e.Key)))
			continue
		}
		c := model.NewContainer("", e.Key, e.Val, nil)
		if value.KindOf(e.Val) != value.Map {
			errs = append(errs, inputErr(e.Val, file, "the options of container %q must be a mapping, not a %s", c.Name, value.KindOf(e.Val)))
			continue
		}
		errs = append(errs, checkContainer(file, c)...)
		cfg.Containers = append(cfg.Containers, c)
	}
	if len(errs) > 0 {
		return nil, diag.Err(errs)
	}
	return cfg, nil
}

// checkContainer checks the keys apply itself reads; the keys that become
// argv are checked when the argv is built.
func checkContainer(file string, c *model.Container) []*diag.Diagnostic {
	var errs []*diag.Diagnostic
	bad := func(v *value.Value, format string, args ...any) {
		errs = append(errs, inputErr(v, file, "container %q: "+format, append([]any{c.Name}, args...)...))
	}
	if a := c.Option("action"); a != nil && !(a.Kind == value.String && (a.Str == "run" || a.Str == "exec")) {
		bad(a, "action %s is not valid: expected \"run\" or \"exec\"", show(a))
	}
	if v := c.Option("start_order"); v != nil && (v.Kind != value.Int || v.Big != nil) {
		bad(v, "start_order must be an integer, not %s", show(v))
	}
	if v := c.Option("exit_codes"); v != nil {
		if v.Kind != value.List {
			bad(v, "exit_codes must be a list of integers, not a %s", value.KindOf(v))
		} else {
			for _, it := range v.List {
				if it.Kind != value.Int || it.Big != nil {
					bad(it, "exit_codes must hold integers, not %s", show(it))
				}
			}
		}
	}
	if v := c.Option("image"); v != nil && v.Kind != value.String {
		bad(v, "image must be a string, not a %s", value.KindOf(v))
	}
	if c.IsExec() {
		cmd, err := commandArgs(c.Option("command"))
		switch {
		case err != nil:
			bad(c.Option("command"), "command %v", err)
		case len(cmd) == 0:
			bad(c.Raw, "an exec needs a command whose first word names the container to exec into")
		}
	}
	return errs
}

// Ordered returns the containers in the order apply handles them, paunch's
// (model.Order: by start_order, then by name).
func (cfg *Config) Ordered() []*model.Container {
	out := slices.Clone(cfg.Containers)
	model.Order(out)
	return out
}

func inputErr(v *value.Value, file string, format string, args ...any) *diag.Diagnostic {
	r := source.Range{File: file}
	if v != nil && !v.Range.IsZero() {
		r = v.Range
	}
	return diag.Newf(diag.Error, RuleInput, r, format, args...)
}

// Diagnostics is several input errors returned as one error.
type Diagnostics = diag.List

// show quotes a value for a message: a string in double quotes, anything
// else as JSON.
func show(v *value.Value) string {
	if value.KindOf(v) == value.String {
		return strconv.Quote(v.Str)
	}
	return ConfigData(v)
}
