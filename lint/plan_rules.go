package lint

import (
	"fmt"
	"slices"
	"strings"

	"hoist/diag"
	"hoist/model"
	"hoist/plan"
	"hoist/value"
)

// PlanChecker is a rule that checks a deployment's plan: the role's
// containers in the order paunch starts them, across the services of a
// role. It runs in hoist plan and hoist build on the compiled deployment,
// and in hoist lint on role-data documents ({"roles": {...}}, as hoist
// build --dump role-data prints them).
type PlanChecker interface {
	Rule
	CheckPlan(p *plan.Plan, r *Reporter)
}

// CheckPlan runs the enabled plan rules on p (o.Rules, severities) and
// returns their findings, sorted.
func CheckPlan(p *plan.Plan, o Options) []*diag.Diagnostic {
	var ds []*diag.Diagnostic
	for _, r := range o.enabled() {
		if pc, ok := r.(PlanChecker); ok {
			rep := o.reporter(r)
			pc.CheckPlan(p, rep)
			ds = append(ds, rep.Diagnostics()...)
		}
	}
	return diag.Sort(ds)
}

// checkRoleData runs the plan rules on a role-data document.
func checkRoleData(f *File, rules []Rule, o Options) []*diag.Diagnostic {
	d, ok := model.FromRoleData(f.Doc.Root)
	if !ok {
		return nil
	}
	p := plan.Build(d)
	var ds []*diag.Diagnostic
	for _, r := range rules {
		if pc, ok := r.(PlanChecker); ok {
			rep := o.reporter(r)
			pc.CheckPlan(p, rep)
			ds = append(ds, rep.Diagnostics()...)
		}
	}
	return ds
}

// rolePath is a path inside a role's data, when the role was read from one
// document.
func rolePath(rp *plan.RolePlan, p value.Path) value.Path {
	if rp.Role.Path == nil {
		return nil
	}
	return append(slices.Clone(rp.Role.Path), p...)
}

func where(c *model.Container) string {
	return fmt.Sprintf("%s, start_order %d", c.StepKey, c.StartsAt())
}

func definedAt(c *model.Container) diag.Related {
	return diag.Related{Range: c.NameAt(), Message: fmt.Sprintf("container %q is defined here (%s)", c.Name, where(c))}
}

func runNames(rp *plan.RolePlan) []string {
	var out []string
	for _, c := range rp.Containers {
		if !c.IsExec() && !slices.Contains(out, c.Name) {
			out = append(out, c.Name)
		}
	}
	return out
}

// checkOrder reports the needs of one kind whose target is not started
// before the container that needs it.
func checkOrder(p *plan.Plan, r *Reporter, kind string, describe func(c *model.Container, target string) string) {
	for _, rp := range p.Roles {
		for _, c := range rp.Containers {
			for _, n := range c.Needs {
				if n.Kind != kind {
					continue
				}
				earlier, tie := rp.Started(c, n.Target)
				if tie != nil {
					continue // plan/start-order-dependency
				}
				if earlier != nil {
					if kind == "exec" && !earlier.Detached() && !runningLater(rp, c, n.Target) {
						r.ReportAt(n.At, rolePath(rp, n.Path), fmt.Sprintf("%s; %q is a one-shot container (detach: false) that has exited by then, and docker exec needs a running container", describe(c, n.Target), n.Target), definedAt(earlier))
					}
					continue
				}
				defs := rp.Named(n.Target)
				var run []*model.Container
				for _, t := range defs {
					if !t.IsExec() {
						run = append(run, t)
					}
				}
				if len(run) == 0 {
					r.ReportAt(n.At, rolePath(rp, n.Path), fmt.Sprintf("%s, which no service of role %s starts in any step%s", describe(c, n.Target), rp.Role.Name, suggest(n.Target, runNames(rp))))
					continue
				}
				t := run[0]
				r.ReportAt(n.At, rolePath(rp, n.Path), fmt.Sprintf("%s, which starts later (%s); paunch runs the steps in order and a step's containers by start_order, so %q does not exist yet: move %q to a later step or a higher start_order", describe(c, n.Target), where(t), n.Target, c.Name), definedAt(t))
			}
		}
	}
}

// runningLater reports whether a detached container named target starts
// before c (so that an exec finds it running).
func runningLater(rp *plan.RolePlan, c *model.Container, target string) bool {
	for _, t := range rp.Named(target) {
		if !t.IsExec() && t.Detached() && (t.Step < c.Step || t.Step == c.Step && t.StartsAt() < c.StartsAt()) {
			return true
		}
	}
	return false
}

// execTargetNotStarted: paunch-kolla.md §3.4.
type execTargetNotStarted struct{}

func (execTargetNotStarted) Meta() Meta {
	return Meta{ID: "plan/exec-target-not-started", Severity: diag.Error, Presets: recommended,
		Summary: "an action: exec entry runs in a container that no service of the role has started before it"}
}

func (execTargetNotStarted) CheckPlan(p *plan.Plan, r *Reporter) {
	checkOrder(p, r, "exec", func(c *model.Container, target string) string {
		return fmt.Sprintf("exec entry %q (%s) runs in container %q", c.Name, where(c), target)
	})
}

// volumesFromOrder: docker run --volumes-from needs the source container.
type volumesFromOrder struct{}

func (volumesFromOrder) Meta() Meta {
	return Meta{ID: "plan/volumes-from-order", Severity: diag.Error, Presets: recommended,
		Summary: "volumes_from names a container that no service of the role has started before it"}
}

func (volumesFromOrder) CheckPlan(p *plan.Plan, r *Reporter) {
	checkOrder(p, r, "volumes_from", func(c *model.Container, target string) string {
		return fmt.Sprintf("container %q (%s) takes the volumes of %q (volumes_from)", c.Name, where(c), target)
	})
}

// startOrderDependency: ties in start_order run in an order paunch does
// not define (paunch-kolla.md §3.2).
type startOrderDependency struct{}

func (startOrderDependency) Meta() Meta {
	return Meta{ID: "plan/start-order-dependency", Severity: diag.Warning, Presets: recommended,
		Summary: "two containers share a start_order in a step while one needs the other"}
}

var needWords = map[string]string{
	"exec":         "execs into %q",
	"volumes_from": "takes the volumes of %q (volumes_from)",
	"depends_on":   "depends on %q (depends_on)",
	"net":          "joins the network namespace of %q (net: container:)",
	"ipc":          "joins the IPC namespace of %q (ipc: container:)",
	"pid":          "joins the PID namespace of %q (pid: container:)",
}

func (startOrderDependency) CheckPlan(p *plan.Plan, r *Reporter) {
	for _, rp := range p.Roles {
		for _, c := range rp.Containers {
			for _, n := range c.Needs {
				if _, tie := rp.Started(c, n.Target); tie != nil {
					r.ReportAt(n.At, rolePath(rp, n.Path), fmt.Sprintf("%q "+needWords[n.Kind]+", but both have start_order %d in %s: paunch orders a tie by Python's dict order (hoist by name), so %q may start first; give %q a higher start_order than %q", c.Name, n.Target, c.StartsAt(), c.StepKey, c.Name, c.Name, n.Target), definedAt(tie))
				}
			}
		}
	}
}

// volumeSource returns the host side of a bind-mount volume string.
func volumeSource(v *value.Value) (string, bool) {
	s, ok := value.StringOf(v)
	if !ok {
		return "", false
	}
	src, _, _ := strings.Cut(s, ":")
	return src, src != ""
}

func volumes(c *model.Container) []*value.Value {
	v := value.Get(c.Raw, "volumes")
	if v == nil || v.Kind != value.List {
		return nil
	}
	return v.List
}

// kollaConfigMissing: the kolla config file a container mounts is written
// only where the role's kolla_config has its key (tht.md §6.3).
type kollaConfigMissing struct{}

func (kollaConfigMissing) Meta() Meta {
	return Meta{ID: "plan/kolla-config-missing", Severity: diag.Error, Presets: recommended,
		Summary: "a container mounts a /var/lib/kolla/config_files/*.json file that no service of the role defines in kolla_config"}
}

func (kollaConfigMissing) CheckPlan(p *plan.Plan, r *Reporter) {
	for _, rp := range p.Roles {
		kcs, known := model.KollaConfigs(rp.Role.Key("kolla_config"))
		if !known {
			continue // unknown or not evaluated: nothing to compare with
		}
		var keys []string
		for _, k := range kcs {
			keys = append(keys, k.Path)
		}
		for _, c := range rp.Containers {
			for i, v := range volumes(c) {
				src, ok := volumeSource(v)
				name, inKolla := strings.CutPrefix(src, model.KollaConfigDir)
				if !ok || !inKolla || strings.Contains(name, "/") || !strings.HasSuffix(name, ".json") || slices.Contains(keys, src) {
					continue
				}
				r.ReportAt(v, rolePath(rp, c.Path.Key("volumes").Index(i)), fmt.Sprintf("container %q mounts %s, which no service of role %s defines in kolla_config: the file is never written on the node, so docker mounts an empty folder there (podman refuses to start) and kolla_start fails%s", c.Name, src, rp.Role.Name, suggest(src, keys)))
			}
		}
	}
}

// configVolumeMissing: /var/lib/config-data/<V> is written by
// docker-puppet.py only for the config volumes of the role's puppet_config.
type configVolumeMissing struct{}

func (configVolumeMissing) Meta() Meta {
	return Meta{ID: "plan/config-volume-missing", Severity: diag.Error, Presets: recommended,
		Summary: "a container mounts /var/lib/config-data/(puppet-generated/)V where no puppet_config of the role has config_volume V"}
}

// ConfigVolumeOf returns V of a host path /var/lib/config-data/V[/...] or
// /var/lib/config-data/puppet-generated/V[/...].
func configVolumeOf(src string) (string, bool) {
	rest, ok := strings.CutPrefix(src, model.ConfigDataDir)
	if !ok {
		return "", false
	}
	if r, ok := strings.CutPrefix(rest, "puppet-generated/"); ok {
		rest = r
	}
	v, _, _ := strings.Cut(rest, "/")
	if v == "" || v == "puppet-generated" || strings.HasSuffix(v, ".md5sum") || strings.HasSuffix(v, ".origin_of_time") {
		return "", false
	}
	return v, true
}

func (configVolumeMissing) CheckPlan(p *plan.Plan, r *Reporter) {
	for _, rp := range p.Roles {
		pc := rp.Role.Key("puppet_config")
		if pc != nil && pc.Kind != value.List {
			continue
		}
		gen := rp.GeneratedVolumes()
		var names []string
		for v := range gen {
			names = append(names, v)
		}
		slices.Sort(names)
		for _, c := range rp.Containers {
			for i, v := range volumes(c) {
				src, ok := volumeSource(v)
				if !ok {
					continue
				}
				vol, ok := configVolumeOf(src)
				if !ok || gen[vol] {
					continue
				}
				r.ReportAt(v, rolePath(rp, c.Path.Key("volumes").Index(i)), fmt.Sprintf("container %q mounts %s, but no puppet_config of role %s has config_volume %q: docker-puppet.py never generates it on these nodes, so the container starts without its configuration%s", c.Name, src, rp.Role.Name, vol, suggest(vol, names)))
			}
		}
	}
}

// detachRestart: a one-shot container with a restart policy.
type detachRestart struct{}

func (detachRestart) Meta() Meta {
	return Meta{ID: "plan/detach-restart", Severity: diag.Warning, Presets: recommended,
		Summary: "a detach: false container (one that runs to completion) has a restart policy"}
}

func (detachRestart) CheckPlan(p *plan.Plan, r *Reporter) {
	for _, rp := range p.Roles {
		for _, c := range rp.Containers {
			rs := value.Get(c.Raw, "restart")
			if c.Detached() || rs == nil || c.IsExec() {
				continue
			}
			r.ReportAt(rs, rolePath(rp, c.Path.Key("restart")), fmt.Sprintf("container %q runs to completion (detach: false) but has restart: %s: docker restarts it each time it exits, and paunch with podman hands it to a systemd unit instead of waiting for it; drop restart, or run it as a service with detach: true", c.Name, showPlanValue(rs)))
		}
	}
}

// containerInTwoSteps: a name is one container on the node.
type containerInTwoSteps struct{}

func (containerInTwoSteps) Meta() Meta {
	return Meta{ID: "plan/container-in-two-steps", Severity: diag.Error, Presets: recommended,
		Summary: "one container name is defined in two steps of a role"}
}

func (containerInTwoSteps) CheckPlan(p *plan.Plan, r *Reporter) {
	for _, rp := range p.Roles {
		seen := map[string]bool{}
		for _, c := range rp.Containers {
			if seen[c.Name] {
				continue
			}
			seen[c.Name] = true
			defs := rp.Named(c.Name)
			for _, d := range defs[1:] {
				if d.StepKey == c.StepKey {
					continue
				}
				r.ReportAt(d.Key, rolePath(rp, d.Path), fmt.Sprintf("container %q is defined in %s and again in %s: each step's paunch run (config id tripleo_stepN) removes the containers of its own config id that its file lacks and runs its own under their names, so the two steps fight over one container; rename one of them", c.Name, c.StepKey, d.StepKey), definedAt(c))
			}
		}
	}
}

// containerMerged: the role aggregation deep-merges same-name containers
// (tht.md §6.2, §3.3).
type containerMerged struct{}

func (containerMerged) Meta() Meta {
	return Meta{ID: "plan/container-merged", Severity: diag.Warning, Presets: recommended,
		Summary: "two services of a role define one container differently, and the role's docker_config merges them"}
}

func (containerMerged) CheckPlan(p *plan.Plan, r *Reporter) {
	for _, rp := range p.Roles {
		type def struct {
			svc  model.Service
			key  *value.Value
			v    *value.Value
			path value.Path
		}
		byStep := map[string]map[string][]def{}
		var order []string
		for _, s := range rp.Role.Services {
			dc := value.Get(s.Data, "docker_config")
			if dc == nil || dc.Kind != value.Map {
				continue
			}
			for _, st := range dc.Map.Entries() {
				step := value.Str(st.Key)
				if st.Val == nil || st.Val.Kind != value.Map {
					continue
				}
				for _, e := range st.Val.Map.Entries() {
					name := value.Str(e.Key)
					if byStep[step] == nil {
						byStep[step] = map[string][]def{}
					}
					k := step + "\x00" + name
					if len(byStep[step][name]) == 0 {
						order = append(order, k)
					}
					var path value.Path
					if s.Path != nil {
						path = append(slices.Clone(s.Path), value.Path{}.Key("docker_config").Key(step).Key(name)...)
					}
					byStep[step][name] = append(byStep[step][name], def{s, e.Key, e.Val, path})
				}
			}
		}
		for _, k := range order {
			step, name, _ := strings.Cut(k, "\x00")
			defs := byStep[step][name]
			for i := 1; i < len(defs); i++ {
				a, b := defs[0], defs[i]
				if value.Equal(a.v, b.v) {
					continue
				}
				r.ReportAt(b.key, b.path, fmt.Sprintf("services %q and %q both define container %q in %s, differently; the role's docker_config deep-merges them (yaql mergeWith): %s", a.svc.Name, b.svc.Name, name, step, mergeSummary(a.v, b.v)),
					diag.Related{Range: a.key.Range, Message: fmt.Sprintf("service %q defines it here", a.svc.Name)})
			}
		}
	}
}

// mergeSummary says, key by key, what mergeWith makes of two container
// definitions that differ.
func mergeSummary(a, b *value.Value) string {
	var parts []string
	if a == nil || a.Kind != value.Map || b == nil || b.Kind != value.Map {
		return "the later definition replaces the earlier one"
	}
	keys := map[string]bool{}
	var names []string
	for _, m := range []*value.Value{a, b} {
		for _, e := range m.Map.Entries() {
			k := value.Str(e.Key)
			if !keys[k] {
				keys[k] = true
				names = append(names, k)
			}
		}
	}
	slices.Sort(names)
	for _, k := range names {
		x, inA := a.Map.Get(k)
		y, inB := b.Map.Get(k)
		switch {
		case !inA:
			parts = append(parts, k+" comes from the second only")
		case !inB:
			parts = append(parts, k+" comes from the first only")
		case value.Equal(x, y):
		case x.Kind == value.List && y.Kind == value.List:
			parts = append(parts, k+" is the union of both lists (first's items, then the second's new ones)")
		case x.Kind == value.Map && y.Kind == value.Map:
			parts = append(parts, k+" is merged key by key")
		default:
			parts = append(parts, fmt.Sprintf("%s is the second's %s (the first's %s is dropped)", k, showPlanValue(y), showPlanValue(x)))
		}
	}
	return strings.Join(parts, "; ")
}

// showPlanValue renders a value for a message, an unknown one as
// <unknown: reason>.
func showPlanValue(v *value.Value) string {
	if v != nil && v.Kind == value.Unknown {
		return "<unknown: " + v.Str + ">"
	}
	return show(v)
}
