package model

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"hoist/source"
	"hoist/value"
)

// The actions of a paunch container.
const (
	ActionRun  = "run"
	ActionExec = "exec"
)

// Container is one paunch container: an entry {name: options} of a
// docker_config step, of a startup config file, or of a template's
// literal docker_config. It is the only type that models one.
type Container struct {
	// Name is the entry's key: the container's name and its
	// container_name label. Key is the key as written (its range).
	Name string
	Key  *value.Value
	// StepKey is its step's key (step_3); Step its number (0 when the key
	// is not step_N, or when the entry was read from a file of its own).
	StepKey string
	Step    int
	// Order is its place in its step's paunch order (see Order).
	Order int
	// Path is where Raw sits in its document (docker_config.step_3.keystone
	// in role data); nil when read from a node file.
	Path value.Path
	// Raw is the options mapping as written: the JSON form, and what
	// paunch's config_data label records.
	Raw *value.Value

	// The options paunch reads, typed. Options a runtime dialect turns
	// into argv with per-release rules (environment, security_opt,
	// healthcheck, ...) are read from Raw by the dialect.
	Action       Opt[string] // "run" (the default) or "exec"
	Image        Opt[string]
	Command      Opt[[]string] // a string is split on whitespace, as paunch did
	StartOrder   Opt[int64]    // an integer that fits in 64 bits
	Detach       Opt[bool]     // the plan's reading; the argv reads Python truthiness from Raw
	ExitCodes    Opt[[]int]
	Privileged   Opt[bool]
	User         Opt[string]
	Net          Opt[string]
	IPC          Opt[string]
	PID          Opt[string]
	UTS          Opt[string]
	Restart      Opt[string]
	Volumes      Opt[[]string]
	VolumesFrom  Opt[[]string] // a string is one item
	DependsOn    Opt[[]string] // a string is one item
	ConfigVolume Opt[string]   // THT's bookkeeping; paunch ignores it

	// Needs are the containers it names, in option order: exec target,
	// volumes_from, depends_on, then net, ipc and pid container modes.
	Needs []Need
}

// Need is a container named by another: the target of an exec, a
// volumes_from source, a depends_on, a net/ipc/pid container: mode.
type Need struct {
	// Kind is "exec", "volumes_from", "depends_on", "net", "ipc" or
	// "pid".
	Kind   string
	Target string
	// At is the value that names the target; Path where it sits.
	At   *value.Value
	Path value.Path
}

// NewContainer reads one entry: its key, its options mapping (raw may be
// of any kind; the typed options are then absent) and where the options
// sit in their document.
func NewContainer(stepKey string, key, raw *value.Value, path value.Path) *Container {
	c := &Container{Name: value.Str(key), Key: key, StepKey: stepKey, Step: StepNumber(stepKey), Path: path, Raw: raw}
	c.Action = readString(c.Option("action"))
	c.Image = readString(c.Option("image"))
	c.Command = readCommand(c.Option("command"))
	c.StartOrder = readInt(c.Option("start_order"))
	c.Detach = readBool(c.Option("detach"))
	c.ExitCodes = readInts(c.Option("exit_codes"))
	c.Privileged = readBool(c.Option("privileged"))
	c.User = readString(c.Option("user"))
	c.Net = readString(c.Option("net"))
	c.IPC = readString(c.Option("ipc"))
	c.PID = readString(c.Option("pid"))
	c.UTS = readString(c.Option("uts"))
	c.Restart = readString(c.Option("restart"))
	c.Volumes = readStrings(c.Option("volumes"), false)
	c.VolumesFrom = readStrings(c.Option("volumes_from"), true)
	c.DependsOn = readStrings(c.Option("depends_on"), true)
	c.ConfigVolume = readString(c.Option("config_volume"))
	c.Needs = c.needs()
	return c
}

// NameAt is where the entry's key is written.
func (c *Container) NameAt() source.Range {
	if c.Key == nil {
		return source.Range{}
	}
	return c.Key.Range
}

// Option returns option k as written, or nil when absent.
func (c *Container) Option(k string) *value.Value { return value.Get(c.Raw, k) }

// OptionAt returns option k as written and where it sits.
func (c *Container) OptionAt(k string) (*value.Value, value.Path) {
	return c.Option(k), c.Path.Key(k)
}

// Has reports whether option k is written.
func (c *Container) Has(k string) bool { return c.Option(k) != nil }

// ActionName is the action paunch takes: the action written, or "run".
func (c *Container) ActionName() string {
	if a := c.Action.V; c.Action.OK() && a != "" {
		return a
	}
	return ActionRun
}

// IsExec reports whether the entry is an `action: exec`.
func (c *Container) IsExec() bool { return c.ActionName() == ActionExec }

// Detached is false for a one-shot container that runs to completion
// (`detach: false`); paunch's default is detached.
func (c *Container) Detached() bool { return c.Detach.Or(true) }

// StartsAt is the start_order paunch orders the entry by (0 when absent
// or not an integer).
func (c *Container) StartsAt() int64 { return c.StartOrder.Or(0) }

// Accepted are the exit codes paunch accepts of a one-shot container
// (default [0]).
func (c *Container) Accepted() []int {
	if !c.ExitCodes.Set() {
		return []int{0}
	}
	return c.ExitCodes.V
}

// needs lists the containers c names.
func (c *Container) needs() []Need {
	var out []Need
	if c.IsExec() {
		cmd, p := c.OptionAt("command")
		switch {
		case cmd != nil && cmd.Kind == value.String:
			if f := strings.Fields(cmd.Str); len(f) > 0 {
				out = append(out, Need{Kind: "exec", Target: f[0], At: cmd, Path: p})
			}
		case cmd != nil && cmd.Kind == value.List && len(cmd.List) > 0:
			if s, ok := value.StringOf(cmd.List[0]); ok && s != "" {
				out = append(out, Need{Kind: "exec", Target: s, At: cmd.List[0], Path: p.Index(0)})
			}
		}
	}
	for _, k := range []string{"volumes_from", "depends_on"} {
		v, p := c.OptionAt(k)
		items := []*value.Value{v}
		if value.KindOf(v) == value.List {
			items = v.List
		} else if value.KindOf(v) != value.String {
			continue
		}
		for i, it := range items {
			s, ok := value.StringOf(it)
			if !ok || s == "" {
				continue
			}
			if k == "volumes_from" {
				// name[:ro|:rw]
				if n, mode, ok := strings.Cut(s, ":"); ok && (mode == "ro" || mode == "rw") {
					s = n
				}
			}
			at := p
			if v.Kind == value.List {
				at = p.Index(i)
			}
			out = append(out, Need{Kind: k, Target: s, At: it, Path: at})
		}
	}
	for _, k := range []string{"net", "ipc", "pid"} {
		v, p := c.OptionAt(k)
		if s, ok := value.StringOf(v); ok {
			if t, ok := strings.CutPrefix(s, "container:"); ok && t != "" {
				out = append(out, Need{Kind: k, Target: t, At: v, Path: p})
			}
		}
	}
	return out
}

// Order sorts the containers of one step as paunch started them, by
// start_order (0 when absent or not an integer), stably, and sets their
// Order. paunch broke ties by Python 2's dict order (queens) or the file's
// order (Python 3); hoist breaks them by name, so the order is the same
// everywhere.
func Order(cs []*Container) {
	slices.SortStableFunc(cs, func(a, b *Container) int {
		if c := cmp.Compare(a.StartsAt(), b.StartsAt()); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	for i, c := range cs {
		c.Order = i
	}
}

// StepNumber returns N of "step_N", or 0.
func StepNumber(k string) int {
	rest, ok := strings.CutPrefix(k, "step_")
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 0 || strconv.Itoa(n) != rest {
		return 0
	}
	return n
}

// Step is one key of docker_config: one startup config, the containers
// of one config id.
type Step struct {
	// Key is the step's key (step_3); N its number (0 when Key is not
	// step_N).
	Key string
	N   int
	// Raw is the startup config as written.
	Raw *value.Value
	// Containers are its entries in paunch order.
	Containers []*Container
}

// Lookup returns the container named name, or nil.
func (s *Step) Lookup(name string) *Container {
	for _, c := range s.Containers {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Steps reads docker_config (at path in its document): steps in key order
// (step_1 ... step_N by number, then any other key by name), each with its
// containers in paunch order. A step that is not a mapping has no
// containers.
func Steps(dockerConfig *value.Value, path value.Path) []*Step {
	var steps []*Step
	for _, e := range StepEntries(dockerConfig) {
		s := &Step{Key: e.Key, N: e.N, Raw: e.Val}
		if value.KindOf(e.Val) == value.Map {
			for _, ce := range e.Val.Map.Entries() {
				s.Containers = append(s.Containers, NewContainer(e.Key, ce.Key, ce.Val, path.Key(e.Key).Key(value.Str(ce.Key))))
			}
			Order(s.Containers)
		}
		steps = append(steps, s)
	}
	return steps
}

// StepEntry is one entry of a mapping keyed by step (docker_config,
// docker_puppet_tasks, ...).
type StepEntry struct {
	Key string
	N   int // N of step_N; 0 for another key
	Val *value.Value
}

// StepEntries lists the entries of a mapping keyed by step in step order:
// step_1 ... step_N by number, then any other key by name (nil when v is
// not a mapping).
func StepEntries(v *value.Value) []StepEntry {
	if value.KindOf(v) != value.Map {
		return nil
	}
	var out []StepEntry
	for _, e := range v.Map.Entries() {
		k := value.Str(e.Key)
		out = append(out, StepEntry{Key: k, N: StepNumber(k), Val: e.Val})
	}
	slices.SortStableFunc(out, func(a, b StepEntry) int {
		if c := cmp.Compare(stepRank(a.N), stepRank(b.N)); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
	return out
}

func stepRank(n int) int {
	if n <= 0 {
		return 1 << 30
	}
	return n
}

// The readers of typed options. An unknown value is left unread with no
// Bad: only a live cloud can say. The text of one in a node file is a
// string, read as written (Opt.OK is false for it).

func unread[T any](v *value.Value) (Opt[T], bool) {
	return Opt[T]{Raw: v}, v == nil || v.Kind == value.Unknown
}

func bad[T any](o Opt[T], want string) Opt[T] {
	o.Bad = fmt.Sprintf("a %s, not %s", value.KindOf(o.Raw), want)
	return o
}

// readScalar reads v with as, which says whether v is a T; want names a
// T for the reason of a value that is not.
func readScalar[T any](v *value.Value, want string, as func(*value.Value) (T, bool)) Opt[T] {
	o, done := unread[T](v)
	if done {
		return o
	}
	x, ok := as(v)
	if !ok {
		return bad(o, want)
	}
	o.V = x
	return o
}

func readString(v *value.Value) Opt[string] {
	return readScalar(v, "a string", value.StringOf)
}

func readBool(v *value.Value) Opt[bool] {
	return readScalar(v, "a boolean", func(v *value.Value) (bool, bool) { return v.Bool, v.Kind == value.Bool })
}

func readInt(v *value.Value) Opt[int64] {
	return readScalar(v, "an integer", func(v *value.Value) (int64, bool) { return v.Int, v.Kind == value.Int && v.Big == nil })
}

func readInts(v *value.Value) Opt[[]int] {
	o, done := unread[[]int](v)
	if done {
		return o
	}
	if v.Kind != value.List {
		return bad(o, "a list of integers")
	}
	for _, it := range v.List {
		if it.Kind != value.Int || it.Big != nil {
			o.V = nil
			o.Bad = fmt.Sprintf("a list holding %s, not integers", value.KindOf(it))
			return o
		}
		o.V = append(o.V, int(it.Int))
	}
	return o
}

// readStrings reads a list of strings; one string is one item when
// single is set.
func readStrings(v *value.Value, single bool) Opt[[]string] {
	o, done := unread[[]string](v)
	if done {
		return o
	}
	switch {
	case v.Kind == value.String && single:
		o.V = []string{v.Str}
		return o
	case v.Kind != value.List:
		return bad(o, "a list of strings")
	}
	for _, it := range v.List {
		if it.Kind != value.String {
			o.V = nil
			o.Bad = fmt.Sprintf("a list holding a %s, not strings", value.KindOf(it))
			return o
		}
		o.V = append(o.V, it.Str)
	}
	return o
}

// readCommand reads a command: a list of strings, or one string split on
// whitespace (as paunch did).
func readCommand(v *value.Value) Opt[[]string] {
	if v != nil && v.Kind == value.String {
		return Opt[[]string]{Raw: v, V: strings.Fields(v.Str)}
	}
	return readStrings(v, false)
}
