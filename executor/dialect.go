package executor

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"hoist/diag"
	"hoist/model"
	"hoist/value"
)

// Runtime names the container command line hoist drives.
type Runtime string

// The runtimes.
const (
	Docker Runtime = "docker"
	Podman Runtime = "podman"
)

// Runtimes lists the valid runtime names.
var Runtimes = []string{string(Podman), string(Docker)}

// ParseRuntime checks a runtime name.
func ParseRuntime(s string) (Runtime, error) {
	switch Runtime(s) {
	case Docker, Podman:
		return Runtime(s), nil
	}
	return "", fmt.Errorf("unknown runtime %q: expected %s", s, diag.QuoteList(Runtimes))
}

// cpusetRule is when a container without cpuset_cpus gets
// --cpuset-cpus=<the CPUs hoist may run on>.
type cpusetRule uint8

const (
	cpusetNever    cpusetRule = iota // the release had no cpuset support
	cpusetAlways                     // always (queens-eol, stein-eol)
	cpusetIsolcpus                   // only when the kernel command line has isolcpus (train-em, ussuri-eol)
)

// Dialect is the argv of one paunch release: which options become which
// flags, in which order, and with which formatting quirks. It shapes only
// the argv; the apply algorithm (pulls, idempotency, removal, ordering,
// failure handling) is hoist's own and the same for every dialect.
type Dialect struct {
	// Name is the paunch ref the argv matches, e.g. "queens-eol".
	Name string
	// Summary says which release it is.
	Summary string
	// Python2 formats floats as Python 2's str() (the release ran there).
	Python2 bool
	// HealthSplit emits docker's --health-cmd and its test as two
	// elements (rocky-eol and later) instead of --health-cmd=<test>.
	HealthSplit bool
	// EnvDict accepts a mapping as environment (sorted, K=V or a bare K
	// for a falsy value); older releases took lists only.
	EnvDict bool
	// ExecEnv passes environment to `exec` (queens-eol and later).
	ExecEnv bool
	// SecurityOptList accepts a list for security_opt.
	SecurityOptList bool
	// CPUSet is when a container without cpuset_cpus is pinned.
	CPUSet cpusetRule
	// CreateDetach emits --detach=true on podman create too (before
	// 5.5.0; podman 3 and later reject it).
	CreateDetach bool

	docker []option
	podman []option
}

// Supports reports whether the dialect has a builder for the runtime.
func (d *Dialect) Supports(rt Runtime) bool {
	if rt == Podman {
		return d.podman != nil
	}
	return d.docker != nil
}

// option emits the argv elements of one container option.
type option func(b *builder)

// The docker (compose1) emission orders, per paunch-kolla.md §2.2.
var (
	dockerQueens = []option{
		optDetach, optEnvFile, optEnvironment, optRemove, optInteractive, optTTY,
		optNet, optIPC, optPID, optUTS, optUlimit, optHealth, optPrivileged, optRestart, optUser,
		optVolumes, optVolumesFrom, optLogTag,
	}
	dockerQueensEOL = []option{
		optDetach, optEnvFile, optEnvironment, optRemove, optInteractive, optTTY,
		optNet, optIPC, optPID, optUTS, optUlimit, optHealth, optPrivileged, optRestart, optUser,
		optVolumes, optVolumesFrom, optLogTag, optCPUShares, optSecurityOpt, optCPUSet,
		optMemLimit, optMemswapLimit, optMemSwappiness,
	}
	dockerRockyEOL = []option{
		optDetach, optEnvFile, optEnvironment, optRemove, optInteractive, optTTY,
		optNet, optIPC, optPID, optUTS, optUlimit, optHealth, optPrivileged, optRestart, optUser,
		optGroupAdd, optVolumes, optVolumesFrom, optLogTag, optCPUShares, optMemLimit,
		optMemswapLimit, optMemSwappiness, optSecurityOpt, optStopSignal, optStopGrace,
	}
	dockerSteinEOL = []option{
		optDetach, optEnvFile, optEnvironment, optRemove, optInteractive, optTTY,
		optNet, optIPC, optPID, optUTS, optUlimit, optHealth, optPrivileged, optRestart, optUser,
		optGroupAdd, optVolumes, optVolumesFrom, optLogTag, optCPUShares, optMemLimit,
		optMemswapLimit, optMemSwappiness, optSecurityOpt, optStopSignal, optCPUSet, optStopGrace,
		optCapAdd, optCapDrop,
	}
	dockerUssuriEOL = []option{
		optDetach, optEnvFile, optEnvironment, optRemove, optInteractive, optTTY,
		optNet, optIPC, optPID, optUTS, optUlimit, optHealth, optPrivileged, optRestart, optUser,
		optGroupAdd, optVolumes, optVolumesFrom, optLogTag, optCPUShares, optMemLimit,
		optMemswapLimit, optMemSwappiness, optSecurityOpt, optStopSignal, optHostname, optExtraHosts,
		optCPUSet, optStopGrace, optCapAdd, optCapDrop,
	}
)

// The podman emission orders, per paunch-kolla.md §2.3: no --restart and
// no --health-* (systemd units carry them).
var (
	podmanSteinEOL = []option{
		optConmonPidfile, optDetach, optLogDriver, optEnvFile, optEnvironment, optRemove,
		optInteractive, optTTY, optNet, optIPC, optPID, optUTS, optUlimit, optPrivileged, optUser,
		optGroupAdd, optVolumes, optVolumesFrom, optLogTag, optCPUShares, optMemLimit,
		optMemswapLimit, optMemSwappiness, optSecurityOpt, optStopSignal, optHostname, optExtraHosts,
		optCPUSet, optStopGrace, optCapAdd, optCapDrop, optCheckInterval,
	}
	podmanUssuriEOL = []option{
		optConmonPidfile, optDetach, optLogDriver, optEnvFile, optEnvironment, optRemove,
		optInteractive, optTTY, optNet, optIPC, optPID, optUTS, optUlimit, optPidsLimit,
		optPrivileged, optUser, optGroupAdd, optVolumes, optVolumesFrom, optLogTag, optCPUShares,
		optMemLimit, optMemswapLimit, optMemSwappiness, optSecurityOpt, optStopSignal, optHostname,
		optExtraHosts, optCPUSet, optStopGrace, optCapAdd, optCapDrop, optCheckInterval,
	}
)

// Dialects lists the paunch releases whose argv hoist reproduces.
var Dialects = []*Dialect{
	{
		Name: "queens", Summary: "paunch 2.5.0, queens GA (docker only)", Python2: true,
		docker: dockerQueens,
	},
	{
		Name: "queens-eol", Summary: "paunch queens-eol, the final queens branch (docker only); the default for docker", Python2: true,
		ExecEnv: true, CPUSet: cpusetAlways,
		docker: dockerQueensEOL,
	},
	{
		Name: "rocky-eol", Summary: "paunch rocky-eol (docker only)", Python2: true,
		HealthSplit: true, ExecEnv: true,
		docker: dockerRockyEOL,
	},
	{
		Name: "stein-eol", Summary: "paunch stein-eol, the first release series with podman", Python2: true,
		HealthSplit: true, EnvDict: true, ExecEnv: true, SecurityOptList: true, CPUSet: cpusetAlways, CreateDetach: true,
		docker: dockerSteinEOL, podman: podmanSteinEOL,
	},
	{
		Name: "ussuri-eol", Summary: "paunch ussuri-eol, the last release (train-em builds the same argv); the default for podman",
		HealthSplit: true, EnvDict: true, ExecEnv: true, SecurityOptList: true, CPUSet: cpusetIsolcpus,
		docker: dockerUssuriEOL, podman: podmanUssuriEOL,
	},
}

// dialectAliases maps other paunch refs to the dialect that builds the
// same argv.
var dialectAliases = map[string]string{"train-em": "ussuri-eol", "2.5.0": "queens"}

// DefaultDialect is the dialect used for a runtime unless told otherwise:
// queens-eol for docker (the paunch TripleO queens nodes ran last) and
// ussuri-eol for podman (the last paunch, whose podman argv podman 3 and
// later accept).
func DefaultDialect(rt Runtime) *Dialect {
	if rt == Docker {
		return LookupDialect("queens-eol")
	}
	return LookupDialect("ussuri-eol")
}

// LookupDialect finds a dialect by name (or alias); nil when unknown.
func LookupDialect(name string) *Dialect {
	if a, ok := dialectAliases[name]; ok {
		name = a
	}
	for _, d := range Dialects {
		if d.Name == name {
			return d
		}
	}
	return nil
}

// DialectNames lists the dialect names and aliases.
func DialectNames() []string {
	var out []string
	for _, d := range Dialects {
		out = append(out, d.Name)
	}
	for a := range dialectAliases {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

// Host answers the questions about the machine some dialects ask.
type Host struct {
	// CPUAffinity returns the CPUs hoist may run on, for the automatic
	// --cpuset-cpus (paunch used psutil's cpu_affinity()).
	CPUAffinity func() ([]int, error)
	// KernelCmdline returns /proc/cmdline.
	KernelCmdline func() (string, error)
}

// Label is one extra --label k=v, in command-line order.
type Label struct{ Key, Value string }

// LabelArgs returns the label arguments paunch puts on every `run`
// container, in its order: each extra label, then config_id,
// container_name, managed_by and config_data (Python json.dumps of the
// options with its default settings: ", " and ": ", non-ASCII escaped, the
// options' own key order). A nil config is written "null".
func LabelArgs(extra []Label, configID, name, managedBy string, config *value.Value) []string {
	var out []string
	for _, l := range extra {
		out = append(out, "--label", l.Key+"="+l.Value)
	}
	return append(out,
		"--label", "config_id="+configID,
		"--label", "container_name="+name,
		"--label", "managed_by="+managedBy,
		"--label", "config_data="+ConfigData(config))
}

// ConfigData renders options as the config_data label holds them.
func ConfigData(config *value.Value) string {
	var b strings.Builder
	_ = value.WriteJSON(&b, config, value.JSONOptions{})
	return b.String()
}

// RunSpec is what the run argv of one container depends on besides its
// options.
type RunSpec struct {
	Runtime Runtime
	// Verb is "run" or "create".
	Verb string
	// Name is the container's actual name (its --name, the conmon pid
	// file); usually its config name.
	Name string
	// Root is the node root the pid file path is under ("/" on a node).
	Root string
	// LogPath is podman's --container-log-path, "" for none.
	LogPath string
	Host    Host
}

// RunOptions returns the option arguments of a run or create, from the
// first option to the command: everything after the labels. Options with
// a value no container runtime could take (a mapping where paunch needs a
// string, a string where it iterates a list) are errors.
func (d *Dialect) RunOptions(c *model.Container, file string, spec RunSpec) ([]string, error) {
	opts := d.docker
	if spec.Runtime == Podman {
		opts = d.podman
	}
	if opts == nil {
		return nil, fmt.Errorf("paunch %s has no %s builder", d.Name, spec.Runtime)
	}
	b := &builder{d: d, c: c, file: file, spec: spec}
	for _, o := range opts {
		o(b)
	}
	b.args = append(b.args, c.Image.V)
	cmd, err := commandArgs(c.Option("command"))
	if err != nil {
		b.bad(c.Option("command"), "command %v", err)
	}
	b.args = append(b.args, cmd...)
	if len(b.errs) > 0 {
		return nil, diag.Err(b.errs)
	}
	return b.args, nil
}

// Verb returns "create" for a podman container paunch hands to systemd
// (restart present and not "none"), else "run".
func Verb(rt Runtime, c *model.Container) string {
	if rt == Podman && !c.IsExec() {
		if r := c.Option("restart"); r != nil {
			if s, ok := pyStr(r, false); !ok || s != "none" {
				return "create"
			}
		}
	}
	return "run"
}

// RunArgv returns the whole argv that creates a container:
// <runtime> run|create --name <name> <labels> <options> <image> <command>.
func (d *Dialect) RunArgv(c *model.Container, file string, labels []string, spec RunSpec) ([]string, error) {
	opts, err := d.RunOptions(c, file, spec)
	if err != nil {
		return nil, err
	}
	argv := []string{string(spec.Runtime), spec.Verb, "--name", spec.Name}
	argv = append(argv, labels...)
	return append(argv, opts...), nil
}

// ExecArgv returns the argv of an `action: exec` entry:
// <runtime> exec [--privileged=…] [--user=…] [--env=…] <target> <args…>,
// target being the actual name of the container the command's first word
// names.
func (d *Dialect) ExecArgv(rt Runtime, c *model.Container, file, target string) ([]string, error) {
	b := &builder{d: d, c: c, file: file, spec: RunSpec{Runtime: rt}}
	b.args = []string{string(rt), "exec"}
	optPrivileged(b)
	optUser(b)
	if d.ExecEnv {
		optEnvironment(b)
	}
	cmd, err := commandArgs(c.Option("command"))
	if err != nil {
		b.bad(c.Option("command"), "command %v", err)
	} else if len(cmd) == 0 {
		b.bad(c.Raw, "an exec needs a command whose first word names the container to exec into")
	} else {
		b.args = append(b.args, target)
		b.args = append(b.args, cmd[1:]...)
	}
	if len(b.errs) > 0 {
		return nil, diag.Err(b.errs)
	}
	return b.args, nil
}

// ExecTarget returns the config name of the container an exec runs in.
func ExecTarget(c *model.Container) string {
	cmd, _ := commandArgs(c.Option("command"))
	if len(cmd) == 0 {
		return ""
	}
	return cmd[0]
}

// builder collects the argv of one container.
type builder struct {
	d    *Dialect
	c    *model.Container
	file string
	spec RunSpec
	args []string
	errs []*diag.Diagnostic
}

func (b *builder) bad(v *value.Value, format string, args ...any) {
	if v == nil {
		v = b.c.Raw
	}
	b.errs = append(b.errs, inputErr(v, b.file, "container %q: "+format, append([]any{b.c.Name}, args...)...))
}

func (b *builder) str(v *value.Value) (string, bool) {
	return pyStr(v, b.d.Python2)
}

// scalar emits flag=<str(value)> when key is present, whatever its value
// (paunch's string_arg).
func (b *builder) scalar(key, flag string) {
	v, ok := b.c.Raw.Map.Get(key)
	if !ok {
		return
	}
	s, ok := b.str(v)
	if !ok {
		b.bad(v, "%s must be a string or a number, not a %s", key, value.KindOf(v))
		return
	}
	b.args = append(b.args, flag+"="+s)
}

// boolean emits flag when key is truthy.
func (b *builder) boolean(key, flag string) {
	if value.Truthy(b.c.Option(key)) {
		b.args = append(b.args, flag)
	}
}

// list emits flag=<item> for each truthy item of the list key.
func (b *builder) list(key, flag string, orString bool) {
	v, ok := b.c.Raw.Map.Get(key)
	if !ok {
		return
	}
	switch value.KindOf(v) {
	case value.List:
		for _, it := range v.List {
			if !value.Truthy(it) {
				continue
			}
			s, ok := b.str(it)
			if !ok {
				b.bad(it, "the items of %s must be strings, not a %s", key, value.KindOf(it))
				continue
			}
			b.args = append(b.args, flag+"="+s)
		}
	case value.String:
		if !orString {
			b.bad(v, "%s must be a list (paunch would pass each character of the string %q as its own %s)", key, v.Str, flag)
			return
		}
		if v.Str != "" {
			b.args = append(b.args, flag+"="+v.Str)
		}
	case value.Null:
		if !orString {
			b.bad(v, "%s must be a list, not null", key)
		}
	default:
		b.bad(v, "%s must be a list, not a %s", key, value.KindOf(v))
	}
}

func optDetach(b *builder) {
	if b.spec.Runtime == Podman && b.spec.Verb == "create" && !b.d.CreateDetach {
		return
	}
	v, ok := b.c.Raw.Map.Get("detach")
	if !ok || value.Truthy(v) {
		b.args = append(b.args, "--detach=true")
	}
}

func optEnvFile(b *builder) { b.list("env_file", "--env-file", true) }

func optEnvironment(b *builder) {
	v, ok := b.c.Raw.Map.Get("environment")
	if !ok {
		return
	}
	switch value.KindOf(v) {
	case value.List:
		b.list("environment", "--env", false)
	case value.Map:
		if !b.d.EnvDict {
			b.bad(v, "environment must be a list of K=V strings for paunch %s (it would pass the keys and drop the values); mappings are understood from stein-eol", b.d.Name)
			return
		}
		entries := slices.Clone(v.Map.Entries())
		for _, e := range entries {
			if e.Key.Kind != value.String {
				b.bad(e.Key, "environment keys must be strings, not %s", show(e.Key))
				return
			}
		}
		slices.SortFunc(entries, func(x, y value.Entry) int { return strings.Compare(x.Key.Str, y.Key.Str) })
		for _, e := range entries {
			if !value.Truthy(e.Val) {
				b.args = append(b.args, "--env="+e.Key.Str)
				continue
			}
			s, ok := b.str(e.Val)
			if !ok {
				b.bad(e.Val, "environment value of %s must be a string or a number, not a %s", e.Key.Str, value.KindOf(e.Val))
				continue
			}
			b.args = append(b.args, "--env="+e.Key.Str+"="+s)
		}
	case value.Null:
	default:
		b.bad(v, "environment must be a list of K=V strings, not a %s", value.KindOf(v))
	}
}

func optRemove(b *builder)      { b.boolean("remove", "--rm") }
func optInteractive(b *builder) { b.boolean("interactive", "--interactive") }
func optTTY(b *builder)         { b.boolean("tty", "--tty") }
func optNet(b *builder)         { b.scalar("net", "--net") }
func optIPC(b *builder)         { b.scalar("ipc", "--ipc") }
func optPID(b *builder)         { b.scalar("pid", "--pid") }
func optUTS(b *builder)         { b.scalar("uts", "--uts") }
func optUlimit(b *builder)      { b.list("ulimit", "--ulimit", false) }
func optPidsLimit(b *builder)   { b.scalar("pids_limit", "--pids-limit") }

func optHealth(b *builder) {
	h, ok := b.c.Raw.Map.Get("healthcheck")
	if !ok {
		return
	}
	if h.Kind != value.Map {
		b.bad(h, "healthcheck must be a mapping with test (and interval, timeout, retries), not a %s", value.KindOf(h))
		return
	}
	if t, ok := h.Map.Get("test"); ok {
		s, ok := b.str(t)
		if !ok {
			b.bad(t, "healthcheck test must be a string, not a %s", value.KindOf(t))
		} else if b.d.HealthSplit {
			b.args = append(b.args, "--health-cmd", s)
		} else {
			b.args = append(b.args, "--health-cmd="+s)
		}
	}
	for _, k := range [...]string{"interval", "timeout", "retries"} {
		if v, ok := h.Map.Get(k); ok {
			s, ok := b.str(v)
			if !ok {
				b.bad(v, "healthcheck %s must be a string or a number, not a %s", k, value.KindOf(v))
				continue
			}
			b.args = append(b.args, "--health-"+k+"="+s)
		}
	}
}

func optPrivileged(b *builder) {
	v, ok := b.c.Raw.Map.Get("privileged")
	if !ok {
		return
	}
	s, ok := b.str(v)
	if !ok {
		b.bad(v, "privileged must be a boolean, not a %s", value.KindOf(v))
		return
	}
	b.args = append(b.args, "--privileged="+strings.ToLower(s))
}

func optRestart(b *builder)       { b.scalar("restart", "--restart") }
func optUser(b *builder)          { b.scalar("user", "--user") }
func optGroupAdd(b *builder)      { b.list("group_add", "--group-add", false) }
func optVolumes(b *builder)       { b.list("volumes", "--volume", false) }
func optVolumesFrom(b *builder)   { b.list("volumes_from", "--volumes-from", false) }
func optLogTag(b *builder)        { b.scalar("log_tag", "--log-opt=tag") }
func optCPUShares(b *builder)     { b.scalar("cpu_shares", "--cpu-shares") }
func optMemLimit(b *builder)      { b.scalar("mem_limit", "--memory") }
func optMemswapLimit(b *builder)  { b.scalar("memswap_limit", "--memory-swap") }
func optMemSwappiness(b *builder) { b.scalar("mem_swappiness", "--memory-swappiness") }
func optStopSignal(b *builder)    { b.scalar("stop_signal", "--stop-signal") }
func optHostname(b *builder)      { b.scalar("hostname", "--hostname") }
func optExtraHosts(b *builder)    { b.list("extra_hosts", "--add-host", false) }
func optCapAdd(b *builder)        { b.list("cap_add", "--cap-add", false) }
func optCapDrop(b *builder)       { b.list("cap_drop", "--cap-drop", false) }
func optCheckInterval(b *builder) { b.scalar("check_interval", "--check-interval") }
func optConmonPidfile(b *builder) {
	b.args = append(b.args, "--conmon-pidfile="+PidFile(b.spec.Root, b.spec.Name))
}
func optSecurityOpt(b *builder) {
	v, ok := b.c.Raw.Map.Get("security_opt")
	if !ok {
		return
	}
	if v.Kind == value.List {
		if !b.d.SecurityOptList {
			b.bad(v, "security_opt must be a string for paunch %s (it would pass the list's Python repr); lists are understood from stein-eol", b.d.Name)
			return
		}
		b.list("security_opt", "--security-opt", true)
		return
	}
	b.scalar("security_opt", "--security-opt")
}

func optLogDriver(b *builder) {
	if b.spec.LogPath == "" {
		return
	}
	b.args = append(b.args, "--log-driver", "k8s-file", "--log-opt", "path="+path.Join(b.spec.LogPath, b.spec.Name+".log"))
}

func optStopGrace(b *builder) {
	v, ok := b.c.Raw.Map.Get("stop_grace_period")
	if !ok {
		return
	}
	s, err := duration(v, b.d.Python2)
	if err != nil {
		b.bad(v, "stop_grace_period %v", err)
		return
	}
	b.args = append(b.args, "--stop-timeout="+s)
}

func optCPUSet(b *builder) {
	if v, ok := b.c.Raw.Map.Get("cpuset_cpus"); ok {
		if v.Kind == value.String && v.Str == "all" {
			return // 'all' means no pinning
		}
		b.scalar("cpuset_cpus", "--cpuset-cpus")
		return
	}
	switch b.d.CPUSet {
	case cpusetNever:
		return
	case cpusetIsolcpus:
		if b.spec.Host.KernelCmdline == nil {
			return
		}
		cmdline, err := b.spec.Host.KernelCmdline()
		if err != nil || !strings.Contains(cmdline, "isolcpus") {
			return
		}
	}
	if b.spec.Host.CPUAffinity == nil {
		return
	}
	cpus, err := b.spec.Host.CPUAffinity()
	if err != nil {
		b.bad(nil, "cannot read this process's CPU affinity for --cpuset-cpus: %v", err)
		return
	}
	s := make([]string, len(cpus))
	for i, c := range cpus {
		s[i] = fmt.Sprint(c)
	}
	b.args = append(b.args, "--cpuset-cpus="+strings.Join(s, ","))
}

// PidFile is podman's --conmon-pidfile for a container: /var/run/<name>.pid
// under the node root.
func PidFile(root, name string) string {
	return path.Join(rootOr(root), "var/run", name+".pid")
}

func rootOr(root string) string {
	if root == "" {
		return "/"
	}
	return root
}
