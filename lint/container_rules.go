package lint

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"hoist/diag"
	"hoist/model"
	"hoist/release"
	"hoist/value"
)

// commandWords returns a container command as words (a string split on
// whitespace as paunch does, a list written out), and whether it is known.
func commandWords(c *model.Container) ([]*value.Value, []string, bool) {
	cmd, p := c.OptionAt("command")
	if cmd == nil {
		return nil, nil, false
	}
	if s, ok := value.StringOf(cmd); ok {
		var vs []*value.Value
		words := strings.Fields(s)
		for range words {
			vs = append(vs, cmd)
		}
		return vs, words, true
	}
	items, complete := listItems(cmd, p)
	var vs []*value.Value
	var words []string
	for _, it := range items {
		w, ok := value.StringOf(it.V)
		if !ok {
			return vs, words, false
		}
		vs = append(vs, it.V)
		words = append(words, w)
	}
	return vs, words, complete
}

// bootstrapHostExecUser: bootstrap_host_exec reads hiera as root (check 24).
type bootstrapHostExecUser struct{}

func (bootstrapHostExecUser) Meta() Meta {
	return Meta{ID: "container/bootstrap-host-exec-user", Severity: diag.Error, Presets: recommended,
		Summary: "a container runs bootstrap_host_exec as a user other than root"}
}

func (bootstrapHostExecUser) CheckService(s *Service, r *Reporter) {
	for _, c := range s.Containers() {
		_, words, _ := commandWords(c)
		if !strings.Contains(strings.Join(words, " "), "bootstrap_host_exec") {
			continue
		}
		u, up := c.OptionAt("user")
		if name, ok := value.StringOf(u); ok && name == "root" {
			continue
		}
		if u == nil {
			r.Report(c.NameAt(), c.Path, fmt.Sprintf("container %q runs bootstrap_host_exec without user: root; it reads the bootstrap node from hiera, which only root can read, so it must run as root", c.Name))
			continue
		}
		if _, _, isFn := fnCall(u); isFn {
			continue
		}
		r.ReportAt(u, up, fmt.Sprintf("container %q runs bootstrap_host_exec as user %s; it reads the bootstrap node from hiera, which only root can read, so it must run as root", c.Name, show(u)))
	}
}

// containerKeys returns the container options the schema of the file's
// release knows, and those the release's paunch reads (schema/cue:
// #Container, #Release): one source of truth for the schema rules and this
// one.
func containerKeys(f *File) ([]string, map[string]bool) {
	type keys struct {
		known []string
		read  map[string]bool
	}
	s := f.Schema()
	v, ok := containerKeyCache.Load(s)
	if !ok {
		k := &keys{}
		k.known, k.read = s.ContainerKeys()
		v, _ = containerKeyCache.LoadOrStore(s, k)
	}
	k := v.(*keys)
	return k.known, k.read
}

var containerKeyCache sync.Map // *schema.Schema → *keys

// paunchOf names the paunch a release deploys with: "stein's paunch".
func paunchOf(r *release.Release) string { return possessive(r.Name) + " paunch" }

// possessive spells a release's possessive: "queens'", "stein's".
func possessive(name string) string {
	if strings.HasSuffix(name, "s") {
		return name + "'"
	}
	return name + "'s"
}

// unknownContainerKey reports the options the schema knows (options of
// other paunch releases, options paunch parses but never implemented,
// THT's own config_volume) that the target release's paunch does not
// read. Keys the schema does not know at all are schema/unknown-key's.
type unknownContainerKey struct{}

func (unknownContainerKey) Meta() Meta {
	return Meta{ID: "container/unknown-key", Severity: diag.Warning, Presets: recommended,
		Summary: "a container option is one paunch ignores (it still changes config_data, so it restarts the container)"}
}

func (unknownContainerKey) CheckService(s *Service, r *Reporter) {
	known, read := containerKeys(s.File)
	var readList []string
	for _, k := range known {
		if read[k] {
			readList = append(readList, k)
		}
	}
	for _, c := range s.Containers() {
		for _, e := range c.Raw.Map.Entries() {
			k := keyString(e.Key)
			if read[k] || !slices.Contains(known, k) {
				continue
			}
			r.ReportAt(e.Key, c.Path.Key(k), fmt.Sprintf("container %q has option %q, which %s ignores%s (it only lands in the config_data label, where any change to it recreates the container)", c.Name, k, paunchOf(s.File.Release), suggest(k, readList)))
		}
	}
}

// volumeHost returns the host part of a volume string.
func volumeHost(s string) string {
	host, _, _ := strings.Cut(s, ":")
	return host
}

var configDataDir = regexp.MustCompile(`^/var/lib/config-data/(puppet-generated/)?[^/]+$`)

type configHashSkipped struct{}

func (configHashSkipped) Meta() Meta {
	return Meta{ID: "container/config-hash-skipped", Severity: diag.Warning, Presets: recommended,
		Summary: "a config-data volume lacks the trailing slash, so TRIPLEO_CONFIG_HASH skips it and config changes do not restart the container (queens, rocky)"}
}

func (configHashSkipped) CheckService(s *Service, r *Reporter) {
	if s.File.Release.Node.Hash.ConfigBase {
		// From stein, config generation finds a volume's config base
		// whatever its slash (get_config_base, stein's
		// common/container-puppet.py:142-166).
		return
	}
	for _, c := range s.Containers() {
		v, p := c.OptionAt("volumes")
		items, _ := listItems(v, p)
		for _, it := range items {
			vol, ok := value.StringOf(it.V)
			if !ok {
				continue
			}
			host := volumeHost(vol)
			if !configDataDir.MatchString(host) {
				continue
			}
			r.ReportAt(it.V, it.P, fmt.Sprintf("volume %q of container %q mounts %s without a trailing slash; docker-puppet.py looks for %s.md5sum, finds none, and adds no TRIPLEO_CONFIG_HASH, so a change of this configuration does not restart the container: write %s/", vol, c.Name, host, dirOf(host), host))
		}
	}
}

func dirOf(p string) string {
	i := strings.LastIndex(p, "/")
	if i <= 0 {
		return p
	}
	return p[:i]
}

type kollaBootstrap struct{}

func (kollaBootstrap) Meta() Meta {
	return Meta{ID: "container/kolla-bootstrap", Severity: diag.Warning, Presets: recommended,
		Summary: "KOLLA_BOOTSTRAP is set on a container with a restart policy, or set to a false value (its presence alone runs the bootstrap)"}
}

func (kollaBootstrap) CheckService(s *Service, r *Reporter) {
	for _, c := range s.Containers() {
		entries, _ := envEntries(c)
		for _, e := range entries {
			if e.Name != "KOLLA_BOOTSTRAP" {
				continue
			}
			if e.Map && !value.Truthy(e.At.V) {
				// paunch passes a bare --env=KOLLA_BOOTSTRAP, which sets
				// nothing (paunch-kolla.md §2.1): no bootstrap.
				continue
			}
			if e.Known {
				switch strings.ToLower(e.Value) {
				case "", "false", "0", "no", "off":
					r.ReportAt(e.At.V, e.At.P, fmt.Sprintf("container %q sets %s; kolla's start scripts test only whether KOLLA_BOOTSTRAP is set, so this runs the bootstrap (a database sync) all the same: remove the variable instead", c.Name, e.show()))
					continue
				}
			}
			restart, ok := value.StringOf(value.Get(c.Raw, "restart"))
			if !ok || restart == "no" || restart == "" {
				continue
			}
			r.ReportAt(e.At.V, e.At.P, fmt.Sprintf("container %q sets KOLLA_BOOTSTRAP and restart: %s; the image runs its bootstrap branch (a database sync) and exits, and docker starts it again, in a loop: bootstrap containers run once, without a restart policy", c.Name, restart))
		}
	}
}

// configHashEnvironment: config generation adds TRIPLEO_CONFIG_HASH to the
// environment of every container that mounts a generated config volume,
// in the form its release writes it (release.Node.Hash.EnvironmentMap):
// appended to a list up to stein (docker-puppet.py, stein's
// common/container-puppet.py:617-621 env.append), set as a key of a map in
// train (common/container-puppet.py:403-407 environment.update). stein's
// paunch reads a map and train's a list (the schema accepts both), but
// config generation then fails at step 1 (AttributeError) and the
// deployment stops. Where the schema refuses the form (a map up to rocky),
// the finding is the schema's.
type configHashEnvironment struct{}

func (configHashEnvironment) Meta() Meta {
	return Meta{ID: "container/config-hash-environment", Severity: diag.Error, Presets: recommended,
		Summary: "a container that mounts a config volume writes environment in the other form than the one config generation adds TRIPLEO_CONFIG_HASH to (a map in stein, a list in train)"}
}

func (configHashEnvironment) CheckService(s *Service, r *Reporter) {
	rel := s.File.Release
	mapForm := rel.Node.Hash.EnvironmentMap
	if !mapForm && !s.File.Schema().EnvironmentMap() {
		return // a map is schema/type's
	}
	gen := rel.Node.ConfigGen + ".py"
	for _, c := range s.Containers() {
		env, p := c.OptionAt("environment")
		if env == nil {
			continue
		}
		isMap := env.Kind == value.Map
		if _, _, isFn := fnCall(env); isFn {
			if name, _, _ := fnCall(env); name != "list_concat" && name != "list_concat_unique" {
				continue // only evaluation knows the form
			}
			isMap = false
		} else if env.Kind != value.List && env.Kind != value.Map {
			continue
		}
		if isMap == mapForm {
			continue
		}
		mounted := ""
		v, vp := c.OptionAt("volumes")
		items, _ := listItems(v, vp)
		for _, it := range items {
			if src, ok := value.StringOf(it.V); ok && strings.HasPrefix(volumeHost(src), "/var/lib/config-data/") {
				mounted = volumeHost(src)
				break
			}
		}
		if mounted == "" {
			continue // no hash is added: any form works
		}
		if isMap {
			r.ReportAt(env, p, fmt.Sprintf("container %q mounts %s and writes environment as a map; %s's %s appends TRIPLEO_CONFIG_HASH to environment as to a list, and fails at step 1 with \"'dict' object has no attribute 'append'\", which stops the deployment: write environment as a list of \"KEY=value\" strings", c.Name, mounted, rel.Name, gen))
		} else {
			r.ReportAt(env, p, fmt.Sprintf("container %q mounts %s and writes environment as a list; %s's %s sets TRIPLEO_CONFIG_HASH as a key of environment, and fails at step 1 with \"'list' object has no attribute 'update'\", which stops the deployment: write environment as a map from name to value", c.Name, mounted, rel.Name, gen))
		}
	}
}

type duplicateVolume struct{}

func (duplicateVolume) Meta() Meta {
	return Meta{ID: "container/duplicate-volume", Severity: diag.Error, Presets: recommended,
		Summary: "a container mounts two different volumes at the same container path, which docker refuses"}
}

func (duplicateVolume) CheckService(s *Service, r *Reporter) {
	for _, c := range s.Containers() {
		v, p := c.OptionAt("volumes")
		items, _ := listItems(v, p)
		seen := map[string]located{}
		for _, it := range items {
			vol, ok := value.StringOf(it.V)
			if !ok || vol == "" {
				// paunch passes only non-empty items.
				continue
			}
			parts := strings.Split(vol, ":")
			if len(parts) < 2 {
				continue // an anonymous volume
			}
			dest := strings.TrimRight(parts[1], "/")
			if dest == "" {
				dest = "/"
			}
			first, ok := seen[dest]
			if !ok {
				seen[dest] = it
				continue
			}
			fv, _ := value.StringOf(first.V)
			if fv == vol {
				// The docker client keeps each -v string once.
				continue
			}
			r.ReportAt(it.V, it.P, fmt.Sprintf("volume %q of container %q mounts at %s, as %q already does; docker refuses to create the container (\"Duplicate mount point: %s\")", vol, c.Name, dest, fv, dest),
				diag.Related{Range: first.V.Range, Message: "the first mount at " + dest})
		}
	}
}

type privilegedContainer struct{}

func (privilegedContainer) Meta() Meta {
	return Meta{ID: "container/privileged", Severity: diag.Info, Presets: strictOnly,
		Summary: "a container runs privileged"}
}

func (privilegedContainer) CheckService(s *Service, r *Reporter) {
	for _, c := range s.Containers() {
		v, p := c.OptionAt("privileged")
		if v != nil && v.Kind == value.Bool && v.Bool {
			r.ReportAt(v, p, fmt.Sprintf("container %q runs privileged: every device of the host and every capability; grant only what it needs where the service allows", c.Name))
		}
	}
}

type execTarget struct{}

func (execTarget) Meta() Meta {
	return Meta{ID: "container/exec-target", Severity: diag.Error, Presets: recommended,
		Summary: "an action: exec entry targets a container its service does not start before it"}
}

func intOf(v *value.Value) (int64, bool) {
	if v == nil {
		return 0, true
	}
	if v.Kind == value.Int && v.Big == nil {
		return v.Int, true
	}
	return 0, false
}

func stepNumber(step string) int {
	var n int
	if _, err := fmt.Sscanf(step, "step_%d", &n); err != nil {
		return -1
	}
	return n
}

func (execTarget) CheckService(s *Service, r *Reporter) {
	cs := s.Containers()
	byName := map[string][]*model.Container{}
	var names []string
	for _, c := range cs {
		if c.IsExec() {
			continue
		}
		if _, ok := byName[c.Name]; !ok {
			names = append(names, c.Name)
		}
		byName[c.Name] = append(byName[c.Name], c)
	}
	for _, c := range cs {
		if !c.IsExec() {
			continue
		}
		vs, words, _ := commandWords(c)
		if len(words) == 0 {
			r.Report(c.NameAt(), c.Path, fmt.Sprintf("exec entry %q has no command; its first word must name the container to exec into", c.Name))
			continue
		}
		target := words[0]
		at := vs[0]
		cp := c.Path.Key("command")
		defs, ok := byName[target]
		if !ok {
			r.ReportAt(at, cp, fmt.Sprintf("exec entry %q runs in container %q, which this service does not define; paunch execs into a running container of that name (in queens every exec targets a container of its own service)%s", c.Name, target, suggest(target, names)))
			continue
		}
		myStep := stepNumber(c.StepKey)
		myOrder, okOrder := intOf(value.Get(c.Raw, "start_order"))
		earlier := false
		for _, d := range defs {
			ts := stepNumber(d.StepKey)
			to, okT := intOf(value.Get(d.Raw, "start_order"))
			if ts < myStep || ts == myStep && (!okOrder || !okT || to < myOrder) {
				earlier = true
			}
		}
		if !earlier {
			d := defs[0]
			r.ReportAt(at, cp, fmt.Sprintf("exec entry %q (%s, start_order %d) runs in container %q, which starts no earlier (%s, start_order %s); paunch runs entries of a step by start_order, so the target is not running yet",
				c.Name, c.StepKey, myOrder, target, d.StepKey, show(orZero(value.Get(d.Raw, "start_order")))),
				diag.Related{Range: d.NameAt(), Message: fmt.Sprintf("container %q is defined here", target)})
		}
	}
}

func orZero(v *value.Value) *value.Value {
	if v == nil {
		return value.NewInt(0, value.Value{}.Range)
	}
	return v
}

// evalWrappers re-parse their arguments with the shell (bootstrap_host_exec
// ends in eval), so quotes after them work.
var evalWrappers = []string{"bootstrap_host_exec"}

type commandQuoting struct{}

func (commandQuoting) Meta() Meta {
	return Meta{ID: "container/command-quoting", Severity: diag.Error, Presets: recommended,
		Summary: "a string command relies on shell quoting, but paunch splits it on whitespace"}
}

func (commandQuoting) CheckService(s *Service, r *Reporter) {
	for _, c := range s.Containers() {
		v, p := c.OptionAt("command")
		cmd, ok := value.StringOf(v)
		if !ok || !strings.ContainsAny(cmd, `'"`) {
			continue
		}
		words := strings.Fields(cmd)
		wrapped := false
		for _, w := range evalWrappers {
			if len(words) > 0 && strings.HasSuffix(words[0], w) {
				wrapped = true
			}
		}
		if wrapped {
			continue
		}
		r.ReportAt(v, p, fmt.Sprintf("command of container %q is a string with quotes; paunch splits it on whitespace without shell quoting, so the quotes reach the program: write the command as a list", c.Name))
	}
}

const kollaConfigJSON = "/var/lib/kolla/config_files/config.json"

type kollaCommand struct{}

func (kollaCommand) Meta() Meta {
	return Meta{ID: "kolla/missing-command", Severity: diag.Error, Presets: recommended,
		Summary: "a container starts with kolla_start, and the kolla config it mounts has no command"}
}

// kollaStarts reports whether c runs kolla_set_configs: the image's
// default command (kolla_start) when c gives none, or a command that
// calls kolla_start or kolla_set_configs itself.
func kollaStarts(c *model.Container) bool {
	if _, ok := c.Raw.Map.Get("command"); !ok {
		return true
	}
	_, words, _ := commandWords(c)
	for _, w := range words {
		if strings.Contains(w, "kolla_start") || strings.Contains(w, "kolla_set_configs") {
			return true
		}
	}
	return false
}

// CheckService reports each container that makes kolla_set_configs read a
// config without command. The missing key itself is schema/required's (a
// warning: a config no container reads through kolla_start does no harm).
func (kollaCommand) CheckService(s *Service, r *Reporter) {
	cs := s.Containers()
	for _, k := range s.KollaConfigs() {
		if !k.Complete || k.Has("command") {
			continue
		}
		for _, c := range cs {
			if !mounts(c, k.File, kollaConfigJSON) || !kollaStarts(c) {
				continue
			}
			how := "the image's kolla_start"
			if _, ok := c.Raw.Map.Get("command"); ok {
				how = "its command"
			}
			r.Report(c.NameAt(), c.Path, fmt.Sprintf("container %q runs kolla_set_configs (through %s) on %s, mounted as config.json, which has no command; kolla_set_configs fails (\"Config is missing required command key\") and the container does not start", c.Name, how, k.File),
				diag.Related{Range: k.Range, Message: fmt.Sprintf("the kolla config %s, without command", k.File)})
		}
	}
}

// mounts reports whether c mounts host path src at dest.
func mounts(c *model.Container, src, dest string) bool {
	v, p := c.OptionAt("volumes")
	items, _ := listItems(v, p)
	for _, it := range items {
		s, ok := value.StringOf(it.V)
		if !ok {
			continue
		}
		parts := strings.Split(s, ":")
		if len(parts) >= 2 && parts[0] == src && parts[1] == dest {
			return true
		}
	}
	return false
}

var kollaStrategies = []string{"COPY_ALWAYS", "COPY_ONCE"}

type kollaStrategy struct{}

func (kollaStrategy) Meta() Meta {
	return Meta{ID: "kolla/config-strategy", Severity: diag.Error, Presets: recommended,
		Summary: "KOLLA_CONFIG_STRATEGY is neither COPY_ALWAYS nor COPY_ONCE"}
}

func (kollaStrategy) CheckService(s *Service, r *Reporter) {
	for _, c := range s.Containers() {
		entries, _ := envEntries(c)
		for _, e := range entries {
			if e.Name == "KOLLA_CONFIG_STRATEGY" && e.Known && !slices.Contains(kollaStrategies, e.Value) {
				r.ReportAt(e.At.V, e.At.P, fmt.Sprintf("container %q sets KOLLA_CONFIG_STRATEGY=%q; kolla_set_configs exits with \"KOLLA_CONFIG_STRATEGY is not set properly\" unless it is %s", c.Name, e.Value, diag.QuoteList(kollaStrategies)))
			}
		}
	}
}
