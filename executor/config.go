package executor

import (
	"cmp"
	"slices"
	"strconv"

	"hoist/diag"
	"hoist/pyyaml"
	"hoist/source"
	"hoist/value"
)

// RuleInput is the rule id of the diagnostics about artifacts hoist apply
// cannot run (a startup config that is not a mapping, an exec without a
// command, a list where paunch needs a string, ...).
const RuleInput = "apply/input"

// Container is one entry of a startup config: the container's name (the
// key, which becomes its container_name label) and its options.
type Container struct {
	Name string
	// Config is the options mapping exactly as the file holds it; it is
	// what the config_data label records.
	Config *value.Value
	// Range is where the entry's key is written.
	Range source.Range
}

// Get returns the option k, or nil when absent.
func (c *Container) Get(k string) *value.Value {
	v, _ := c.Config.Map.Get(k)
	return v
}

// Has reports whether option k is present.
func (c *Container) Has(k string) bool { return c.Config.Map.Has(k) }

// IsExec reports whether the entry is an `action: exec`.
func (c *Container) IsExec() bool {
	a := c.Get("action")
	return a != nil && a.Kind == value.String && a.Str == "exec"
}

// StartOrder is the entry's start_order (0 when absent).
func (c *Container) StartOrder() int64 {
	if v := c.Get("start_order"); v != nil && v.Kind == value.Int {
		return v.Int
	}
	return 0
}

// Image is the entry's image, "" when absent.
func (c *Container) Image() string {
	if v := c.Get("image"); v != nil && v.Kind == value.String {
		return v.Str
	}
	return ""
}

// ExitCodes are the accepted exit codes (default [0]).
func (c *Container) ExitCodes() []int {
	v := c.Get("exit_codes")
	if v == nil {
		return []int{0}
	}
	var out []int
	for _, it := range v.List {
		out = append(out, int(it.Int))
	}
	return out
}

// Config is one startup config: the containers of one config id.
type Config struct {
	File       string
	Containers []*Container
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
		c := &Container{Name: e.Key.Str, Config: e.Val, Range: e.Key.Range}
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
func checkContainer(file string, c *Container) []*diag.Diagnostic {
	var errs []*diag.Diagnostic
	bad := func(v *value.Value, format string, args ...any) {
		errs = append(errs, inputErr(v, file, "container %q: "+format, append([]any{c.Name}, args...)...))
	}
	if a := c.Get("action"); a != nil && !(a.Kind == value.String && (a.Str == "run" || a.Str == "exec")) {
		bad(a, "action %s is not valid: expected \"run\" or \"exec\"", show(a))
	}
	if v := c.Get("start_order"); v != nil && (v.Kind != value.Int || v.Big != nil) {
		bad(v, "start_order must be an integer, not %s", show(v))
	}
	if v := c.Get("exit_codes"); v != nil {
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
	if v := c.Get("image"); v != nil && v.Kind != value.String {
		bad(v, "image must be a string, not a %s", value.KindOf(v))
	}
	if c.IsExec() {
		cmd, err := commandArgs(c.Get("command"))
		switch {
		case err != nil:
			bad(c.Get("command"), "command %v", err)
		case len(cmd) == 0:
			bad(c.Config, "an exec needs a command whose first word names the container to exec into")
		}
	}
	return errs
}

// Ordered returns the containers in the order apply handles them: by
// start_order, then by name. paunch's own tie order was Python 2's hash
// order (queens) or the file order (Python 3); a name tie-break makes the
// order the same everywhere.
func (cfg *Config) Ordered() []*Container {
	out := slices.Clone(cfg.Containers)
	slices.SortStableFunc(out, func(a, b *Container) int {
		if c := cmp.Compare(a.StartOrder(), b.StartOrder()); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return out
}

// Lookup returns the container named name.
func (cfg *Config) Lookup(name string) *Container {
	for _, c := range cfg.Containers {
		if c.Name == name {
			return c
		}
	}
	return nil
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
