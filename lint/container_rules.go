package lint

import (
	"fmt"
	"regexp"
	"strings"

	"hoist/diag"
	"hoist/value"
)

// commandWords returns a container command as words (a string split on
// whitespace as paunch does, a list written out), and whether it is known.
func commandWords(c Container) ([]*value.Value, []string, bool) {
	cmd, p := c.Opt("command")
	if cmd == nil {
		return nil, nil, false
	}
	if s, ok := str(cmd); ok {
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
		w, ok := str(it.V)
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
		u, up := c.Opt("user")
		if name, ok := str(u); ok && name == "root" {
			continue
		}
		if u == nil {
			r.Report(c.NameRange, c.Path, fmt.Sprintf("container %q runs bootstrap_host_exec without user: root; it reads the bootstrap node from hiera, which only root can read, so it must run as root", c.Name))
			continue
		}
		if _, _, isFn := fnCall(u); isFn {
			continue
		}
		r.ReportAt(u, up, fmt.Sprintf("container %q runs bootstrap_host_exec as user %s; it reads the bootstrap node from hiera, which only root can read, so it must run as root", c.Name, show(u)))
	}
}

// paunchKeys are the container keys paunch reads in queens (2.5.0 and the
// queens-eol backports; paunch-kolla.md §2.2, §2.8).
var paunchKeys = []string{
	"action", "command", "cpu_shares", "cpuset_cpus", "detach", "env_file", "environment", "exit_codes",
	"healthcheck", "image", "interactive", "ipc", "log_tag", "mem_limit", "mem_swappiness", "memswap_limit",
	"net", "pid", "privileged", "remove", "restart", "security_opt", "start_order", "tty", "ulimit", "user",
	"uts", "volumes", "volumes_from",
}

var healthcheckKeys = []string{"test", "interval", "timeout", "retries"}

type unknownContainerKey struct{}

func (unknownContainerKey) Meta() Meta {
	return Meta{ID: "container/unknown-key", Severity: diag.Warning, Presets: recommended,
		Summary: "a container option is one paunch ignores (it still changes config_data, so it restarts the container)"}
}

func (unknownContainerKey) CheckService(s *Service, r *Reporter) {
	for _, c := range s.Containers() {
		for _, e := range c.Value.Map.Entries() {
			k := keyString(e.Key)
			if !contains(paunchKeys, k) {
				r.ReportAt(e.Key, c.Path.Key(k), fmt.Sprintf("container %q has option %q, which paunch ignores%s (it only lands in the config_data label, where any change to it recreates the container)", c.Name, k, suggest(k, paunchKeys)))
			}
		}
		hc, hp := c.Opt("healthcheck")
		for _, e := range mapEntries(hc) {
			k := keyString(e.Key)
			if !contains(healthcheckKeys, k) {
				r.ReportAt(e.Key, hp.Key(k), fmt.Sprintf("healthcheck of container %q has key %q, which paunch ignores; expected %s", c.Name, k, diag.QuoteList(healthcheckKeys)))
			}
		}
	}
}

// listOptions are the options paunch iterates (paunch-kolla.md §2.1): a
// string there is taken one character at a time.
var listOptions = []string{"volumes", "volumes_from", "ulimit", "environment"}

type stringNotList struct{}

func (stringNotList) Meta() Meta {
	return Meta{ID: "container/string-not-list", Severity: diag.Error, Presets: recommended,
		Summary: "volumes, volumes_from, ulimit or environment is a string where paunch needs a list"}
}

func (stringNotList) CheckService(s *Service, r *Reporter) {
	for _, c := range s.Containers() {
		for _, k := range listOptions {
			v, p := c.Opt(k)
			if sv, ok := str(v); ok {
				r.ReportAt(v, p, fmt.Sprintf("%s of container %q is the string %q; paunch iterates it one character at a time (--%s=%s ...): write a list", k, c.Name, sv, flagOf(k), firstRune(sv)))
			}
		}
	}
}

func flagOf(k string) string {
	switch k {
	case "volumes":
		return "volume"
	case "volumes_from":
		return "volumes-from"
	case "environment":
		return "env"
	}
	return k
}

func firstRune(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}

type environmentDict struct{}

func (environmentDict) Meta() Meta {
	return Meta{ID: "container/environment-dict", Severity: diag.Error, Presets: recommended,
		Summary: "a container's environment is a mapping, which queens paunch and docker-puppet.py cannot use"}
}

func (environmentDict) CheckService(s *Service, r *Reporter) {
	for _, c := range s.Containers() {
		v, p := c.Opt("environment")
		if v == nil || v.Kind != value.Map {
			continue
		}
		if _, _, isFn := fnCall(v); isFn {
			continue
		}
		r.ReportAt(v, p, fmt.Sprintf("environment of container %q is a mapping; queens paunch iterates its keys and passes --env=KEY without the values, and docker-puppet.py fails appending TRIPLEO_CONFIG_HASH to it: write a list of KEY=VALUE", c.Name))
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
		Summary: "a config-data volume lacks the trailing slash, so TRIPLEO_CONFIG_HASH skips it and config changes do not restart the container"}
}

func (configHashSkipped) CheckService(s *Service, r *Reporter) {
	for _, c := range s.Containers() {
		v, p := c.Opt("volumes")
		items, _ := listItems(v, p)
		for _, it := range items {
			vol, ok := str(it.V)
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

// envVar returns the name and value of a KEY=VALUE item.
func envVar(s string) (string, string) {
	k, v, _ := strings.Cut(s, "=")
	return k, v
}

type kollaBootstrap struct{}

func (kollaBootstrap) Meta() Meta {
	return Meta{ID: "container/kolla-bootstrap", Severity: diag.Warning, Presets: recommended,
		Summary: "KOLLA_BOOTSTRAP is set on a container with a restart policy, or set to a false value (its presence alone runs the bootstrap)"}
}

func (kollaBootstrap) CheckService(s *Service, r *Reporter) {
	for _, c := range s.Containers() {
		items, _ := envItems(c)
		for _, it := range items {
			e, ok := str(it.V)
			if !ok {
				continue
			}
			k, val := envVar(e)
			if k != "KOLLA_BOOTSTRAP" {
				continue
			}
			switch strings.ToLower(val) {
			case "", "false", "0", "no", "off":
				r.ReportAt(it.V, it.P, fmt.Sprintf("container %q sets %q; kolla's start scripts test only whether KOLLA_BOOTSTRAP is set, so this runs the bootstrap (a database sync) all the same: remove the variable instead", c.Name, e))
				continue
			}
			restart, ok := str(get(c.Value, "restart"))
			if !ok || restart == "no" || restart == "" {
				continue
			}
			r.ReportAt(it.V, it.P, fmt.Sprintf("container %q sets KOLLA_BOOTSTRAP and restart: %s; the image runs its bootstrap branch (a database sync) and exits, and docker starts it again, in a loop: bootstrap containers run once, without a restart policy", c.Name, restart))
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
		v, p := c.Opt("volumes")
		items, _ := listItems(v, p)
		seen := map[string]located{}
		for _, it := range items {
			vol, ok := str(it.V)
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
			fv, _ := str(first.V)
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
		v, p := c.Opt("privileged")
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
	byName := map[string][]Container{}
	var names []string
	for _, c := range cs {
		if a, _ := str(get(c.Value, "action")); a == "exec" {
			continue
		}
		if _, ok := byName[c.Name]; !ok {
			names = append(names, c.Name)
		}
		byName[c.Name] = append(byName[c.Name], c)
	}
	for _, c := range cs {
		if a, _ := str(get(c.Value, "action")); a != "exec" {
			continue
		}
		vs, words, _ := commandWords(c)
		if len(words) == 0 {
			r.Report(c.NameRange, c.Path, fmt.Sprintf("exec entry %q has no command; its first word must name the container to exec into", c.Name))
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
		myStep := stepNumber(c.Step)
		myOrder, okOrder := intOf(get(c.Value, "start_order"))
		earlier := false
		for _, d := range defs {
			ts := stepNumber(d.Step)
			to, okT := intOf(get(d.Value, "start_order"))
			if ts < myStep || ts == myStep && (!okOrder || !okT || to < myOrder) {
				earlier = true
			}
		}
		if !earlier {
			d := defs[0]
			r.ReportAt(at, cp, fmt.Sprintf("exec entry %q (%s, start_order %d) runs in container %q, which starts no earlier (%s, start_order %s); paunch runs entries of a step by start_order, so the target is not running yet",
				c.Name, c.Step, myOrder, target, d.Step, show(orZero(get(d.Value, "start_order")))),
				diag.Related{Range: d.NameRange, Message: fmt.Sprintf("container %q is defined here", target)})
		}
	}
}

func orZero(v *value.Value) *value.Value {
	if v == nil {
		return value.NewInt(0, value.Value{}.Range)
	}
	return v
}

type missingImage struct{}

func (missingImage) Meta() Meta {
	return Meta{ID: "container/missing-image", Severity: diag.Error, Presets: recommended,
		Summary: "a container (not an exec entry) has no image"}
}

func (missingImage) CheckService(s *Service, r *Reporter) {
	for _, c := range s.Containers() {
		if a, _ := str(get(c.Value, "action")); a == "exec" {
			continue
		}
		img := get(c.Value, "image")
		if img == nil {
			r.Report(c.NameRange, c.Path, fmt.Sprintf("container %q has no image; paunch passes an empty image name and docker run fails", c.Name))
		} else if sv, ok := str(img); ok && strings.TrimSpace(sv) == "" {
			r.ReportAt(img, c.Path.Key("image"), fmt.Sprintf("container %q has an empty image; docker run fails", c.Name))
		}
	}
}

type containerAction struct{}

func (containerAction) Meta() Meta {
	return Meta{ID: "container/invalid-action", Severity: diag.Error, Presets: recommended,
		Summary: "a container's action is neither run nor exec"}
}

func (containerAction) CheckService(s *Service, r *Reporter) {
	for _, c := range s.Containers() {
		v, p := c.Opt("action")
		if v == nil {
			continue
		}
		if a, ok := str(v); ok && (a == "run" || a == "exec") {
			continue
		}
		if _, _, isFn := fnCall(v); isFn {
			continue
		}
		r.ReportAt(v, p, fmt.Sprintf("action %s of container %q is not \"run\" or \"exec\"; queens paunch then runs the previous container's command again", show(v), c.Name))
	}
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
		v, p := c.Opt("command")
		cmd, ok := str(v)
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

var boolOptions = []string{"detach", "privileged", "remove", "interactive", "tty"}

type boolString struct{}

func (boolString) Meta() Meta {
	return Meta{ID: "container/bool-string", Severity: diag.Error, Presets: recommended,
		Summary: "a boolean container option is a string, which paunch takes as true when not empty"}
}

func (boolString) CheckService(s *Service, r *Reporter) {
	for _, c := range s.Containers() {
		for _, k := range boolOptions {
			v, p := c.Opt(k)
			if sv, ok := str(v); ok {
				r.ReportAt(v, p, fmt.Sprintf("%s of container %q is the string %q; paunch tests it with Python truth, so any non-empty string (\"false\" too) is true: write %s without quotes", k, c.Name, sv, strings.ToLower(sv)))
			}
		}
	}
}

type stepKey struct{}

func (stepKey) Meta() Meta {
	return Meta{ID: "container/step-key", Severity: diag.Error, Presets: recommended,
		Summary: "a docker_config key is not step_1 to step_5, the steps queens runs"}
}

func (stepKey) CheckService(s *Service, r *Reporter) {
	dc, p := s.Key("docker_config")
	for _, m := range maps(dc, p) {
		for _, e := range m.V.Map.Entries() {
			k := keyString(e.Key)
			if n := stepNumber(k); n >= 1 && n <= 5 && k == fmt.Sprintf("step_%d", n) {
				continue
			}
			r.ReportAt(e.Key, m.P.Key(k), fmt.Sprintf("docker_config key %q is not a step that queens runs; the deploy steps apply step_1 to step_5 in order (step_6 is written but never applied)", k))
		}
	}
}

var permPattern = regexp.MustCompile(`^0o?[0-7]{3}$`)

type kollaPerm struct{}

func (kollaPerm) Meta() Meta {
	return Meta{ID: "kolla/perm", Severity: diag.Error, Presets: recommended,
		Summary: "a kolla perm is not a string of the form 0NNN, which kolla_set_configs misreads or rejects"}
}

func kollaItems(k KollaEntry, key string) []located {
	var out []located
	for _, part := range k.Parts {
		items, _ := listItems(get(part.V, key), part.P.Key(key))
		out = append(out, items...)
	}
	return out
}

func (kollaPerm) CheckService(s *Service, r *Reporter) {
	for _, k := range s.KollaConfigs() {
		for _, list := range []string{"config_files", "permissions"} {
			for _, it := range kollaItems(k, list) {
				v := get(it.V, "perm")
				if v == nil {
					continue
				}
				p := it.P.Key("perm")
				sv, ok := str(v)
				switch {
				case v.Kind == value.Int:
					r.ReportAt(v, p, fmt.Sprintf("perm %s in %s is a number (YAML reads 0600 as 384); kolla_set_configs needs a string and fails with a TypeError: quote it, '0%o'", show(v), k.File, v.Int))
				case !ok:
					if _, _, isFn := fnCall(v); !isFn {
						r.ReportAt(v, p, fmt.Sprintf("perm %s in %s is not a string of the form '0NNN'", show(v), k.File))
					}
				case !permPattern.MatchString(sv):
					why := "kolla_set_configs reads it wrongly or fails"
					if len(sv) == 3 {
						why = fmt.Sprintf("kolla_set_configs reads a 3-digit perm as decimal: %s becomes 0o%o", sv, atoiOr(sv))
					} else if len(sv) == 4 && sv[0] != '0' {
						why = "kolla_set_configs fails with a ValueError on special bits"
					}
					r.ReportAt(v, p, fmt.Sprintf("perm %q in %s is not of the form '0NNN'; %s", sv, k.File, why))
				}
			}
		}
	}
}

func atoiOr(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

var ownerPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*(:[A-Za-z_][A-Za-z0-9_.-]*)?$`)

type kollaOwner struct{}

func (kollaOwner) Meta() Meta {
	return Meta{ID: "kolla/owner", Severity: diag.Error, Presets: recommended,
		Summary: "a kolla owner is not user or user:group by name"}
}

func (kollaOwner) CheckService(s *Service, r *Reporter) {
	for _, k := range s.KollaConfigs() {
		for _, list := range []string{"config_files", "permissions"} {
			for _, it := range kollaItems(k, list) {
				v := get(it.V, "owner")
				if v == nil {
					if list == "permissions" {
						r.ReportAt(it.V, it.P, fmt.Sprintf("a permissions entry in %s has no owner; kolla_set_configs needs one", k.File))
					}
					continue
				}
				if _, _, isFn := fnCall(v); isFn {
					continue
				}
				sv, ok := str(v)
				if ok && ownerPattern.MatchString(sv) {
					continue
				}
				r.ReportAt(v, it.P.Key("owner"), fmt.Sprintf("owner %s in %s is not \"user\" or \"user:group\" by name; kolla_set_configs looks names up with getpwnam and getgrnam and fails on anything else (numeric ids too)", show(v), k.File))
			}
		}
	}
}

var configFileKeys = []string{"source", "dest", "owner", "perm", "preserve_properties", "optional", "merge"}

type kollaConfigFiles struct{}

func (kollaConfigFiles) Meta() Meta {
	return Meta{ID: "kolla/config-files", Severity: diag.Error, Presets: recommended,
		Summary: "a kolla config_files entry has an unknown key, lacks source or dest, or has neither owner and perm nor preserve_properties"}
}

func (kollaConfigFiles) CheckService(s *Service, r *Reporter) {
	for _, k := range s.KollaConfigs() {
		for _, it := range kollaItems(k, "config_files") {
			if it.V.Kind != value.Map {
				continue
			}
			for _, e := range it.V.Map.Entries() {
				key := keyString(e.Key)
				if !contains(configFileKeys, key) {
					r.ReportAt(e.Key, it.P.Key(key), fmt.Sprintf("config_files entry in %s has key %q; kolla_set_configs passes the entry to its ConfigFile constructor and fails with a TypeError on any key but %s", k.File, key, diag.QuoteList(configFileKeys)))
				}
			}
			var missing []string
			for _, key := range []string{"source", "dest"} {
				if !it.V.Map.Has(key) {
					missing = append(missing, key)
				}
			}
			if len(missing) > 0 {
				r.ReportAt(it.V, it.P, fmt.Sprintf("config_files entry in %s lacks %s; kolla_set_configs refuses the config", k.File, andList(missing)))
			}
			pp := get(it.V, "preserve_properties")
			if pp != nil && value.Truthy(pp) {
				continue
			}
			if it.V.Map.Has("owner") && it.V.Map.Has("perm") {
				continue
			}
			r.ReportAt(it.V, it.P, fmt.Sprintf("config_files entry in %s has neither owner and perm nor preserve_properties: true; kolla_set_configs refuses it (\"Config needs preserve_properties or owner and perm\")", k.File))
		}
	}
}

const kollaConfigJSON = "/var/lib/kolla/config_files/config.json"

type kollaCommand struct{}

func (kollaCommand) Meta() Meta {
	return Meta{ID: "kolla/missing-command", Severity: diag.Error, Presets: recommended,
		Summary: "a kolla config has no command, yet a container starts with it through kolla_start"}
}

func (kollaCommand) CheckService(s *Service, r *Reporter) {
	cs := s.Containers()
	for _, k := range s.KollaConfigs() {
		if !k.Complete || k.Has("command") {
			continue
		}
		for _, c := range cs {
			if c.Value.Map.Has("command") || !mounts(c, k.File, kollaConfigJSON) {
				continue
			}
			r.Report(k.Range, k.Path, fmt.Sprintf("kolla config %s has no command, and container %q starts with it through the image's kolla_start; kolla_set_configs fails (\"Config is missing required command key\")", k.File, c.Name),
				diag.Related{Range: c.NameRange, Message: fmt.Sprintf("container %q mounts it as config.json and gives no command of its own", c.Name)})
			break
		}
	}
}

// mounts reports whether c mounts host path src at dest.
func mounts(c Container, src, dest string) bool {
	v, p := c.Opt("volumes")
	items, _ := listItems(v, p)
	for _, it := range items {
		s, ok := str(it.V)
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
		items, _ := envItems(c)
		for _, it := range items {
			e, ok := str(it.V)
			if !ok {
				continue
			}
			if k, v := envVar(e); k == "KOLLA_CONFIG_STRATEGY" && !contains(kollaStrategies, v) {
				r.ReportAt(it.V, it.P, fmt.Sprintf("container %q sets KOLLA_CONFIG_STRATEGY=%q; kolla_set_configs exits with \"KOLLA_CONFIG_STRATEGY is not set properly\" unless it is %s", c.Name, v, diag.QuoteList(kollaStrategies)))
			}
		}
	}
}

var puppetTaskKeys = []string{"config_volume", "puppet_tags", "step_config", "config_image", "volumes"}

type puppetTasksShape struct{}

func (puppetTasksShape) Meta() Meta {
	return Meta{ID: "puppet/tasks-shape", Severity: diag.Error, Presets: recommended,
		Summary: "a docker_puppet_tasks step is not one mapping of config_volume, puppet_tags, step_config, config_image and volumes"}
}

func (puppetTasksShape) CheckService(s *Service, r *Reporter) {
	dt, p := s.Key("docker_puppet_tasks")
	for _, m := range maps(dt, p) {
		for _, e := range m.V.Map.Entries() {
			step := keyString(e.Key)
			sp := m.P.Key(step)
			if n := stepNumber(step); n < 1 || n > 5 {
				r.ReportAt(e.Key, sp, fmt.Sprintf("docker_puppet_tasks key %q is not a step that queens runs (step_1 to step_5)", step))
			}
			if e.Val.Kind == value.List {
				r.ReportAt(e.Val, sp, fmt.Sprintf("docker_puppet_tasks.%s is a list; each service gives one mapping per step, and the role aggregator makes the list", step))
				continue
			}
			for _, k := range mapEntries(e.Val) {
				key := keyString(k.Key)
				if !contains(puppetTaskKeys, key) {
					r.ReportAt(k.Key, sp.Key(key), fmt.Sprintf("docker_puppet_tasks.%s has key %q, which docker-puppet.py does not read; expected %s", step, key, diag.QuoteList(puppetTaskKeys)))
				}
			}
		}
	}
}
