package executor

import (
	"context"
	"fmt"
	"os"
	"slices"
	"time"

	"hoist/model"
	"hoist/pyyaml"
	"hoist/value"
)

// Apply applies one startup config under a config id, as `paunch apply`
// did (paunch-kolla.md §3.1, the in-loop design of queens-eol and later),
// asking the runtime once for its containers and once about the
// containers it may keep and the images it needs (snapshot):
//
//  1. every image is present or pulled (sorted by image; a failure stops
//     here, before any container is touched);
//  2. containers of this config id whose name the config no longer holds
//     are removed (stop, rm, and rm -f if rm failed);
//  3. the containers are handled in start_order order (name as the
//     tie-break): an exec always runs; a container whose config_data label
//     equals its options (compared as values: key order ignored, 1 == 1.0)
//     and whose image is unchanged is left alone, whatever its state; a
//     changed one is removed and created again; a missing one is created.
//
// The first container that fails (an exit code outside its exit_codes, or
// a runtime error) stops the apply with a *Failure; a container whose
// creation failed or was interrupted is removed again, so running apply
// again resumes where it stopped.
func (x *Executor) Apply(ctx context.Context, cfg *Config, configID string) error {
	x.init()
	if !x.Dialect.Supports(x.Runtime) {
		return fmt.Errorf("paunch %s has no %s argv; choose a dialect that does", x.Dialect.Name, x.Runtime)
	}
	ordered := cfg.Ordered()
	if err := x.check(cfg, ordered); err != nil {
		return err
	}
	var images []string
	for _, c := range ordered {
		if img := c.Image.V; img != "" && !slices.Contains(images, img) {
			images = append(images, img)
		}
	}
	slices.Sort(images)
	// What the runtime holds, asked once: its containers, then the ones
	// this config may keep and the images it needs.
	snap, err := x.list(ctx)
	if err != nil {
		return err
	}
	x.snap = snap
	defer func() { x.snap = nil }()
	existing, err := x.containerNames(ctx, configID)
	if err != nil {
		return err
	}
	if err := x.inspectAll(ctx, snap, keptNames(cfg, existing), images); err != nil {
		return err
	}
	if err := x.pullImages(ctx, configID, images); err != nil {
		return err
	}

	// Remove what the config no longer names, and duplicates of a name.
	present := map[string]string{} // container_name label -> actual name
	for _, e := range existing {
		keep := cfg.Lookup(e.label) != nil && !cfg.Lookup(e.label).IsExec()
		if keep {
			if cur, dup := present[e.label]; !dup {
				present[e.label] = e.name
				continue
			} else if e.name == e.label { // prefer the container holding the plain name
				present[e.label] = e.name
				e.name = cur
			}
		}
		x.logf("removing %s: %s", e.name, removalReason(keep, e.label, configID))
		if err := x.remove(ctx, configID, e.name, e.label); err != nil {
			return err
		}
	}

	for _, c := range ordered {
		if err := ctx.Err(); err != nil {
			return &Failure{Step: x.step, ConfigID: configID, Msg: "interrupted", Err: err}
		}
		if c.IsExec() {
			if err := x.exec(ctx, cfg, c, configID); err != nil {
				return err
			}
			continue
		}
		if name, ok := present[c.Name]; ok {
			why, err := x.changed(ctx, name, c)
			if err != nil {
				return err
			}
			if why == "" {
				x.logf("%s: unchanged", c.Name)
				continue
			}
			x.logf("%s: recreating (%s)", c.Name, why)
			if err := x.remove(ctx, configID, name, c.Name); err != nil {
				return err
			}
		}
		if err := x.create(ctx, cfg, c, configID); err != nil {
			return err
		}
	}
	return nil
}

// keptNames are the existing containers cfg may keep: those whose
// container_name label it still names, but for execs.
func keptNames(cfg *Config, existing []nameLabel) []string {
	var kept []string
	for _, e := range existing {
		if c := cfg.Lookup(e.label); c != nil && !c.IsExec() && !slices.Contains(kept, e.name) {
			kept = append(kept, e.name)
		}
	}
	return kept
}

func removalReason(inConfig bool, label, configID string) string {
	if inConfig {
		return fmt.Sprintf("another container already holds the label container_name=%s in %s", label, configID)
	}
	return fmt.Sprintf("%s no longer has a container named %q", configID, label)
}

// check builds every argv once before anything runs, so that an option no
// runtime could take is reported before the first container is touched.
func (x *Executor) check(cfg *Config, ordered []*model.Container) error {
	var errs []error
	for _, c := range ordered {
		var err error
		if c.IsExec() {
			_, err = x.Dialect.ExecArgv(x.Runtime, c, cfg.File, ExecTarget(c))
		} else {
			_, err = x.Dialect.RunOptions(c, cfg.File, x.spec(c, c.Name))
			if err == nil && x.Systemd && Verb(x.Runtime, c) == "create" {
				_, err = containerUnits(c, c.Name, x.Root, x.HealthcheckDisabled)
			}
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return joinErrors(errs)
}

func (x *Executor) spec(c *model.Container, name string) RunSpec {
	return RunSpec{Runtime: x.Runtime, Verb: Verb(x.Runtime, c), Name: name, Root: x.Root, LogPath: x.ContainerLogPath, Host: x.Host}
}

// containerNames lists the containers of a config id. When there are
// none, it looks again with managed_by=paunch: paunch on queens ignored
// --managed-by and labelled everything paunch.
func (x *Executor) containerNames(ctx context.Context, configID string) ([]nameLabel, error) {
	if s := x.snap; s != nil && s.listed {
		names := s.names(x.ManagedBy, configID)
		if len(names) == 0 && x.ManagedBy != "paunch" {
			names = s.names("paunch", configID)
		}
		return names, nil
	}
	res, ok, err := x.query(ctx, x.Runtime.namesArgv(x.ManagedBy, configID))
	if err != nil || !ok {
		return nil, err
	}
	if res.ExitCode != 0 && x.DryRun {
		x.warnOnce("ps", "%s cannot list containers (%s): the dry run assumes there are none", x.Runtime, tail(res.Stderr, res.Stdout))
		return nil, nil
	}
	if res.ExitCode != 0 {
		return nil, &Failure{Step: x.step, ConfigID: configID, Argv: x.Runtime.namesArgv(x.ManagedBy, configID), ExitCode: res.ExitCode,
			Output: tail(res.Stderr, res.Stdout), Msg: "cannot list the containers of " + configID}
	}
	names := parseNames(res.Stdout)
	if len(names) == 0 && x.ManagedBy != "paunch" {
		res, ok, err = x.query(ctx, x.Runtime.namesArgv("paunch", configID))
		if err != nil || !ok {
			return nil, err
		}
		if res.ExitCode == 0 {
			names = parseNames(res.Stdout)
		}
	}
	return names, nil
}

// changed tells why an existing container no longer matches its options
// ("" when it matches).
func (x *Executor) changed(ctx context.Context, name string, c *model.Container) (string, error) {
	var info *inspected
	if s := x.snap; s != nil && s.containers[name] != nil {
		info = s.containers[name]
	} else {
		res, ok, err := x.query(ctx, x.Runtime.inspectArgv(name))
		if err != nil {
			return "", err
		}
		if !ok {
			return "", nil
		}
		var parsed bool
		info, parsed = parseInspect(res.Stdout)
		if res.ExitCode != 0 || !parsed {
			return "it cannot be inspected", nil
		}
	}
	label, has := info.Config.Labels["config_data"]
	if !has || label == "" {
		return "it has no config_data label", nil
	}
	doc, err := pyyaml.Load("config_data of "+name, []byte(label), pyyaml.DefaultLimits)
	if err != nil || !value.Truthy(doc.Root) {
		return "its config_data label cannot be read", nil
	}
	if !value.Equal(doc.Root, c.Raw) {
		return "its options changed", nil
	}
	if img := c.Image.V; img != "" && info.Image != "" {
		if s := x.snap; s != nil && s.imageIDs[img] != "" {
			if imageID(s.imageIDs[img]) != imageID(info.Image) {
				return "image " + img + " now has a different id", nil
			}
			return "", nil
		}
		res, ok, err := x.query(ctx, x.Runtime.imageIDArgv(img))
		if err != nil {
			return "", err
		}
		if ok && res.ExitCode == 0 {
			if id := imageID(firstLine(res.Stdout)); id != "" && id != imageID(info.Image) {
				return "image " + img + " now has a different id", nil
			}
		}
	}
	return "", nil
}

// discover returns the actual name of the container labelled name in
// configID, or in any config, or "".
func (x *Executor) discover(ctx context.Context, name, configID string) (string, error) {
	if s := x.snap; s != nil && s.listed {
		return s.discover(name, configID), nil
	}
	for _, id := range []string{configID, ""} {
		res, ok, err := x.query(ctx, x.Runtime.discoverArgv(name, id))
		if err != nil {
			return "", err
		}
		if ok && res.ExitCode == 0 {
			if n := firstLine(res.Stdout); n != "" {
				return n, nil
			}
		}
	}
	return "", nil
}

// create makes one container: run, or (podman, with a restart policy)
// create and then hand to systemd or start.
func (x *Executor) create(ctx context.Context, cfg *Config, c *model.Container, configID string) error {
	name, err := x.discover(ctx, c.Name, configID)
	if err != nil {
		return err
	}
	if name == "" {
		name = c.Name
	}
	spec := x.spec(c, name)
	labels := LabelArgs(x.Labels, configID, c.Name, x.ManagedBy, c.Raw)
	argv, err := x.Dialect.RunArgv(c, cfg.File, labels, spec)
	if err != nil {
		return err
	}
	if x.Runtime == Podman && !x.DryRun {
		if err := os.MkdirAll(x.rootPath("var/run"), 0o755); err != nil {
			return err
		}
	}
	act := ActRun
	if spec.Verb == "create" {
		act = ActCreate
	}
	res, err := x.mutate(ctx, Event{ConfigID: configID, Container: c.Name, Action: act}, argv)
	if err != nil || !slices.Contains(c.Accepted(), res.ExitCode) {
		return x.undoCreate(ctx, configID, c, name, argv, res, err)
	}
	if x.snap != nil {
		x.snap.created(name, x.ManagedBy, configID, c.Name)
	}
	if spec.Verb != "create" {
		return nil
	}
	if x.Systemd {
		err = x.startUnits(ctx, configID, c, name)
	} else {
		res, err = x.mutate(ctx, Event{ConfigID: configID, Container: c.Name, Action: ActStart}, x.Runtime.startArgv(name))
		if err == nil && res.ExitCode != 0 {
			return x.undoCreate(ctx, configID, c, name, x.Runtime.startArgv(name), res, nil)
		}
	}
	if err != nil {
		return x.undoCreate(ctx, configID, c, name, nil, Result{}, err)
	}
	return nil
}

// undoCreate removes a container whose creation failed or was interrupted,
// so that no half-created container stays behind and the next apply
// creates it again, and returns the failure.
func (x *Executor) undoCreate(ctx context.Context, configID string, c *model.Container, name string, argv []string, res Result, err error) error {
	f := &Failure{Step: x.step, ConfigID: configID, Container: c.Name, Argv: argv, ExitCode: res.ExitCode, Output: tail(res.Stderr, res.Stdout)}
	switch {
	case err != nil && (Interrupted(err) || ctx.Err() != nil):
		f.Msg, f.Err = fmt.Sprintf("interrupted while creating container %s", c.Name), ctx.Err()
	case err != nil:
		return err
	case slices.Equal(c.Accepted(), []int{0}):
		f.Msg = fmt.Sprintf("container %s failed with exit code %d", c.Name, res.ExitCode)
	default:
		f.Msg = fmt.Sprintf("container %s failed with exit code %d, not one of its exit_codes %v", c.Name, res.ExitCode, c.Accepted())
	}
	if x.DryRun {
		return f
	}
	cctx, cancel := cleanupCtx()
	defer cancel()
	if x.Systemd && Verb(x.Runtime, c) == "create" {
		_ = x.stopUnits(cctx, configID, c.Name, name)
	}
	// Remove the container only if it is the one this apply created: a
	// run can also fail because another container holds the name.
	if r, ok, _ := x.query(cctx, x.Runtime.inspectArgv(name)); ok && r.ExitCode == 0 && ownedBy(r.Stdout, configID, c.Name) {
		x.logf("removing %s, whose creation did not complete", name)
		if r, err := x.mutate(cctx, Event{ConfigID: configID, Container: c.Name, Action: ActRemove}, x.Runtime.rmfArgv(name)); err != nil || r.ExitCode != 0 {
			x.logf("warning: could not remove %s; remove it by hand before applying again", name)
		}
	}
	return f
}

// remove stops and removes a container (and its systemd units): stop, rm,
// and rm -f when rm failed, as paunch did from stein-eol.
func (x *Executor) remove(ctx context.Context, configID, name, label string) (err error) {
	defer func() {
		if err == nil && x.snap != nil {
			x.snap.removed(name)
		}
	}()
	if x.Systemd {
		if err := x.stopUnits(ctx, configID, label, name); err != nil {
			return err
		}
	}
	ev := Event{ConfigID: configID, Container: label, Action: ActRemove}
	if _, err := x.mutate(ctx, ev, x.Runtime.stopArgv(name)); err != nil {
		return x.interrupted(ctx, configID, label, err)
	}
	res, err := x.mutate(ctx, ev, x.Runtime.rmArgv(name))
	if err != nil {
		return x.interrupted(ctx, configID, label, err)
	}
	if res.ExitCode == 0 {
		return nil
	}
	res, err = x.mutate(ctx, ev, x.Runtime.rmfArgv(name))
	if err != nil {
		return x.interrupted(ctx, configID, label, err)
	}
	if res.ExitCode != 0 {
		return &Failure{Step: x.step, ConfigID: configID, Container: label, Argv: x.Runtime.rmfArgv(name), ExitCode: res.ExitCode,
			Output: tail(res.Stderr, res.Stdout), Msg: "cannot remove container " + name}
	}
	return nil
}

func (x *Executor) interrupted(ctx context.Context, configID, container string, err error) error {
	if Interrupted(err) || ctx.Err() != nil {
		return &Failure{Step: x.step, ConfigID: configID, Container: container, Msg: "interrupted", Err: ctx.Err()}
	}
	return err
}

// exec runs an `action: exec` in the running container its command names.
func (x *Executor) exec(ctx context.Context, cfg *Config, c *model.Container, configID string) error {
	target := ExecTarget(c)
	name, err := x.discover(ctx, target, configID)
	if err != nil {
		return err
	}
	fail := func(format string, args ...any) error {
		return &Failure{Step: x.step, ConfigID: configID, Container: c.Name, Msg: fmt.Sprintf(format, args...)}
	}
	if name == "" {
		if !x.DryRun {
			return fail("exec %s: no container named %s to exec into", c.Name, target)
		}
		name = target
	}
	if !x.DryRun {
		running := false
		for attempt := 0; attempt < 5 && !running; attempt++ {
			if attempt > 0 {
				if err := x.Sleep(ctx, 200*time.Millisecond); err != nil {
					return x.interrupted(ctx, configID, c.Name, err)
				}
			}
			res, _, err := x.query(ctx, x.Runtime.runningArgv(name))
			if err != nil {
				return err
			}
			running = res.ExitCode == 0 && firstLine(res.Stdout) == "true"
		}
		if !running {
			return fail("exec %s: container %s is not running", c.Name, name)
		}
	}
	argv, err := x.Dialect.ExecArgv(x.Runtime, c, cfg.File, name)
	if err != nil {
		return err
	}
	res, err := x.mutate(ctx, Event{ConfigID: configID, Container: c.Name, Action: ActExec}, argv)
	if err != nil {
		return x.interrupted(ctx, configID, c.Name, err)
	}
	if !slices.Contains(c.Accepted(), res.ExitCode) {
		return &Failure{Step: x.step, ConfigID: configID, Container: c.Name, Argv: argv, ExitCode: res.ExitCode,
			Output: tail(res.Stderr, res.Stdout), Msg: fmt.Sprintf("exec %s failed with exit code %d", c.Name, res.ExitCode)}
	}
	return nil
}

// startUnits writes a container's systemd units and enables them.
func (x *Executor) startUnits(ctx context.Context, configID string, c *model.Container, name string) error {
	units, err := containerUnits(c, name, x.Root, x.HealthcheckDisabled)
	if err != nil {
		return err
	}
	if !x.DryRun {
		for _, u := range units {
			if err := writeFile(unitPath(x.Root, u.name), []byte(u.text), 0o644); err != nil {
				return err
			}
		}
	}
	cmds := [][]string{systemctl("daemon-reload"), systemctl("enable", "--now", serviceName(name))}
	if len(units) > 1 {
		cmds = append(cmds, systemctl("enable", "--now", healthTimer(name)),
			systemctl("add-requires", serviceName(name), healthTimer(name)), systemctl("daemon-reload"))
	}
	for _, argv := range cmds {
		res, err := x.mutate(ctx, Event{ConfigID: configID, Container: c.Name, Action: ActSystemctl}, argv)
		if err != nil {
			return err
		}
		if res.ExitCode != 0 {
			return &Failure{Step: x.step, ConfigID: configID, Container: c.Name, Argv: argv, ExitCode: res.ExitCode,
				Output: tail(res.Stderr, res.Stdout), Msg: "cannot start the systemd unit of " + name}
		}
	}
	return nil
}

// stopUnits stops, disables and deletes a container's systemd units, where
// they exist.
func (x *Executor) stopUnits(ctx context.Context, configID, label, name string) error {
	changed := false
	for _, unit := range []string{healthTimer(name), healthService(name), serviceName(name)} {
		p := unitPath(x.Root, unit)
		if _, err := os.Stat(p); err != nil {
			continue
		}
		for _, argv := range [][]string{systemctl("stop", unit), systemctl("disable", unit)} {
			if _, err := x.mutate(ctx, Event{ConfigID: configID, Container: label, Action: ActSystemctl}, argv); err != nil {
				return x.interrupted(ctx, configID, label, err)
			}
		}
		if !x.DryRun {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
		changed = true
	}
	if !x.DryRun {
		_ = os.RemoveAll(requiresDir(x.Root, name))
	}
	if changed {
		if _, err := x.mutate(ctx, Event{ConfigID: configID, Container: label, Action: ActSystemctl}, systemctl("daemon-reload")); err != nil {
			return x.interrupted(ctx, configID, label, err)
		}
	}
	return nil
}

// ownedBy reports whether inspect output shows a container labelled with
// this config id and container name.
func ownedBy(inspectOut []byte, configID, name string) bool {
	info, ok := parseInspect(inspectOut)
	return ok && info.Config.Labels["config_id"] == configID && info.Config.Labels["container_name"] == name
}
