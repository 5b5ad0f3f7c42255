package executor

import (
	"cmp"
	"context"
	_ "embed"
	"fmt"
	"os"
	"slices"
	"strings"

	"hoist/diag"
	"hoist/internal/workers"
	"hoist/model"
	"hoist/pyyaml"
	"hoist/release"
	"hoist/source"
	"hoist/value"
)

// Config generation is what docker-puppet.py did on a queens node
// (tht.md §8, paunch-kolla.md §8): one throwaway container per config
// volume, running puppet with the volume's manifest and tags inside the
// volume's config image, which writes the service's configuration under
// /var/lib/config-data. The same machinery runs the bootstrap node's
// docker_puppet_tasks of each step, without archiving.

// configGenScript runs inside every config container; hoist writes it to
// the node and mounts it as the entrypoint.
//
//go:embed configgen.sh
var configGenScript []byte

// DefaultTags are the puppet tags every config volume gets, before its
// own (docker-puppet.py's code order; its README lists them differently).
const DefaultTags = "file,file_line,concat,augeas,cron"

// ScriptPath is where the config generation script lives, on the node and
// inside the container (queens; Executor.ScriptPath is the release's).
const ScriptPath = "/var/lib/docker-puppet/docker-puppet.sh"

// ScriptPath is where the release's config generation script lives:
// /var/lib/docker-puppet/docker-puppet.sh up to rocky,
// /var/lib/container-puppet/container-puppet.sh from stein
// (common/container-puppet.py's sh_script).
func (x *Executor) ScriptPath() string {
	g := x.configGen()
	return "/var/lib/" + g + "/" + g + ".sh"
}

// configGen is the release's name of config generation: docker-puppet or
// container-puppet (release.Node.ConfigGen), the config id of its events
// and the prefix of its containers' names.
func (x *Executor) configGen() string {
	if x.Release == nil || x.Release.Node.ConfigGen == "" {
		return release.Default().Node.ConfigGen
	}
	return x.Release.Node.ConfigGen
}

// DefaultConfigVolumePrefix is where config volumes live on the node.
const DefaultConfigVolumePrefix = "/var/lib/config-data"

// PuppetVolume is one config volume to generate: the entries of
// docker-puppet.json that share its config_volume, merged.
type PuppetVolume struct {
	Name string
	// Tags are the entries' puppet_tags joined with ",", without the
	// default tags.
	Tags string
	// Manifest is the entries' step_config joined with newlines.
	Manifest string
	// Image is the first entry's config_image.
	Image string
	// Volumes are every entry's extra volumes, in order.
	Volumes []string
	Range   source.Range
}

// AllTags are the tags puppet runs with: the defaults, then the volume's.
func (v *PuppetVolume) AllTags() string {
	if v.Tags == "" {
		return DefaultTags
	}
	return DefaultTags + "," + v.Tags
}

// LoadPuppetConfig reads docker-puppet.json (or a docker-puppet-tasksN.json)
// and merges its entries by config volume, as docker-puppet.py did: null
// entries and entries with an empty step_config or config_image are
// skipped; later entries of a volume add their tags (joined with ","),
// their manifest (joined with a newline) and their volumes; the first
// entry's image wins, and a different one only gets a warning.
func LoadPuppetConfig(path string) (vols []*PuppetVolume, warnings []*diag.Diagnostic, err error) {
	doc, err := pyyaml.LoadFile(path, pyyaml.DefaultLimits)
	if err != nil {
		return nil, nil, err
	}
	return ParsePuppetConfig(path, doc.Root)
}

// ParsePuppetConfig merges a loaded docker-puppet.json.
func ParsePuppetConfig(file string, root *value.Value) (vols []*PuppetVolume, warnings []*diag.Diagnostic, err error) {
	if value.KindOf(root) == value.Null {
		return nil, nil, nil
	}
	if root.Kind != value.List {
		return nil, nil, inputErr(root, file, "docker-puppet config must be a list of config volume entries, not a %s", value.KindOf(root))
	}
	var errs []*diag.Diagnostic
	byName := map[string]*PuppetVolume{}
	for i, it := range root.List {
		e, err := puppetEntry(file, i, it)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if e == nil || e.Manifest == "" || e.Image == "" {
			continue // docker-puppet.py skips it (model.PuppetEntry.Generates)
		}
		v, seen := byName[e.Name]
		if !seen {
			byName[e.Name] = e
			vols = append(vols, e)
			continue
		}
		if e.Tags != "" {
			v.Tags += "," + e.Tags
		}
		v.Manifest += "\n" + e.Manifest
		if e.Image != v.Image {
			warnings = append(warnings, diag.Newf(diag.Warning, RuleInput, e.Range,
				"config volume %q uses image %q here but %q first; the first one is used", e.Name, e.Image, v.Image))
		}
		v.Volumes = append(v.Volumes, e.Volumes...)
	}
	if len(errs) > 0 {
		return nil, nil, diag.Err(errs)
	}
	return vols, warnings, nil
}

// puppetEntry reads one entry: a mapping {config_volume, puppet_tags,
// step_config, config_image, volumes} or the legacy list [config_volume,
// puppet_tags, manifest, config_image, volumes]. nil for a null entry.
func puppetEntry(file string, i int, it *value.Value) (*PuppetVolume, *diag.Diagnostic) {
	switch value.KindOf(it) {
	case value.Null:
		return nil, nil
	case value.Map, value.List:
	default:
		return nil, inputErr(it, file, "entry %d must be a mapping with config_volume, puppet_tags, step_config and config_image, not a %s", i, value.KindOf(it))
	}
	pe := model.NewPuppetEntry(it)
	e := &PuppetVolume{Range: it.Range, Name: pe.ConfigVolume.V, Tags: pe.PuppetTags.V, Manifest: pe.StepConfig.V, Image: pe.ConfigImage.V}
	for _, f := range []struct {
		key string
		o   model.Opt[string]
	}{{"config_volume", pe.ConfigVolume}, {"puppet_tags", pe.PuppetTags}, {"step_config", pe.StepConfig}, {"config_image", pe.ConfigImage}} {
		if f.o.Bad != "" {
			return nil, inputErr(f.o.Raw, file, "entry %d: %s must be a string, not a %s", i, f.key, value.KindOf(f.o.Raw))
		}
	}
	if vs := pe.Volumes.Raw; vs != nil {
		if vs.Kind != value.List {
			return nil, inputErr(vs, file, "entry %d: volumes must be a list of strings, not a %s", i, value.KindOf(vs))
		}
		for _, s := range vs.List {
			if s.Kind != value.String {
				return nil, inputErr(s, file, "entry %d: volumes must hold strings, not a %s", i, value.KindOf(s))
			}
			if s.Str != "" {
				e.Volumes = append(e.Volumes, s.Str)
			}
		}
	}
	if pe.Generates() && (e.Name == "" || strings.ContainsAny(e.Name, "/ \t\n")) {
		return nil, inputErr(pe.ConfigVolume.Raw, file, "entry %d: config_volume %q must be a non-empty name without slashes or spaces", i, e.Name)
	}
	return e, nil
}

// ConfigRun is one config generation pass: docker-puppet.py's settings.
type ConfigRun struct {
	// Step is the hieradata step puppet sees (STEP; 6 for config
	// generation, the step number for bootstrap tasks).
	Step int
	// NoArchive skips archiving and hashing (bootstrap tasks).
	NoArchive bool
	// Hostname is the node's short hostname (HOSTNAME).
	Hostname string
	// Action names the events: ActConfig or ActTask.
	Action string
}

// configDataDir is the host folder mounted at /var/lib/config-data.
func (x *Executor) configDataDir() string {
	if x.ConfigVolumePrefix != "" {
		return x.ConfigVolumePrefix
	}
	return x.rootPath(DefaultConfigVolumePrefix)
}

// manifestPath is where the manifest of one config container is written.
func (x *Executor) manifestPath(run ConfigRun, vol string) string {
	name := vol + ".pp"
	if run.Action == ActTask {
		name = fmt.Sprintf("step%d-%s.pp", run.Step, vol)
	}
	return x.rootPath("var/lib/" + x.configGen() + "/manifests/" + name)
}

// hostMount adds a mount of a host system path when the host has it.
// docker created a missing bind source as an empty folder; podman refuses
// it, so hoist leaves out what is absent.
func (x *Executor) hostMount(argv []string, src, spec string) []string {
	if x.HostPathExists == nil || x.HostPathExists(src) {
		return append(argv, "--volume", spec)
	}
	return argv
}

// ConfigArgv is the argv of the config container of one volume, in
// docker-puppet.py's order: user, name, environment, the system mounts,
// the manifest, the node's /etc/puppet, config-data, the script, the
// entry's own volumes, the entrypoint, host networking, the image.
func (x *Executor) ConfigArgv(run ConfigRun, v *PuppetVolume) []string {
	x.init()
	gen, script, ln := x.configGen(), x.ScriptPath(), &x.Release.Node
	argv := []string{string(x.Runtime), "run", "--user", cmp.Or(ln.ConfigUser, "root"), "--name", gen + "-" + v.Name,
		"--env", "PUPPET_TAGS=" + v.AllTags(),
		"--env", "NAME=" + v.Name,
		"--env", "HOSTNAME=" + run.Hostname,
		"--env", "NO_ARCHIVE=" + map[bool]string{true: "true"}[run.NoArchive],
		"--env", fmt.Sprintf("STEP=%d", run.Step)}
	argv = x.hostMount(argv, "/etc/localtime", "/etc/localtime:/etc/localtime:ro")
	argv = append(argv, "--volume", x.manifestPath(run, v.Name)+":/etc/config.pp:ro,z")
	argv = append(argv, "--volume", dirSlash(x.rootPath("etc/puppet"))+":/tmp/puppet-etc/:ro,z")
	argv = x.hostMount(argv, "/usr/share/openstack-puppet/modules", "/usr/share/openstack-puppet/modules/:/usr/share/openstack-puppet/modules/:ro")
	argv = append(argv, "--volume", dirSlash(x.configDataDir())+":/var/lib/config-data/:z")
	argv = append(argv, "--volume", "tripleo_logs:/var/log/tripleo/")
	argv = x.hostMount(argv, "/dev/log", "/dev/log:/dev/log")
	for _, ca := range []string{"/etc/pki/ca-trust/extracted", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/pki/tls/certs/ca-bundle.trust.crt", "/etc/pki/tls/cert.pem"} {
		argv = x.hostMount(argv, ca, ca+":"+ca+":ro")
	}
	if x.Runtime == Podman {
		argv = append(argv, ln.ConfigPodmanOpts...)
	}
	argv = append(argv, "--volume", x.rootPath(script)+":"+script+":z")
	for _, vol := range v.Volumes {
		argv = append(argv, "--volume", vol)
	}
	argv = append(argv, "--entrypoint", script, "--net", "host")
	argv = x.hostMount(argv, "/etc/hosts", "/etc/hosts:/etc/hosts:ro")
	return append(argv, v.Image)
}

func dirSlash(p string) string {
	if strings.HasSuffix(p, "/") {
		return p
	}
	return p + "/"
}

// GenerateConfig runs the config containers of vols: first every config
// image is made present (a failed pull stops before any container runs),
// then up to Parallel containers at a time (one at a time in a dry run).
// Exit codes 0 and 2 (puppet's "changes applied") are success; a
// successful container is removed, a failed one kept for debugging (the
// next run replaces it). The first failure, in volume order, is returned
// once every container has finished.
func (x *Executor) GenerateConfig(ctx context.Context, run ConfigRun, vols []*PuppetVolume) error {
	x.init()
	if len(vols) == 0 {
		return nil
	}
	var images []string
	for _, v := range vols {
		if !slices.Contains(images, v.Image) {
			images = append(images, v.Image)
		}
	}
	slices.Sort(images)
	if err := x.pullImages(ctx, x.configGen(), images); err != nil {
		return err
	}
	if !x.DryRun {
		if err := writeFile(x.rootPath(x.ScriptPath()), configGenScript, 0o755); err != nil {
			return err
		}
		if err := os.MkdirAll(x.configDataDir(), 0o755); err != nil {
			return err
		}
		for _, v := range vols {
			manifest := "include ::tripleo::packages\n" + v.Manifest
			if err := writeFile(x.manifestPath(run, v.Name), []byte(manifest), 0o600); err != nil {
				return err
			}
		}
	}
	n := x.Parallel
	if n <= 0 {
		n = 3
	}
	if x.DryRun {
		n = 1
	}
	// Which config containers an earlier run left: one listing for all.
	listing, err := x.list(ctx)
	if err != nil {
		return err
	}
	return workers.Run(workers.Indexes(len(vols)), n, func(i int) error { return x.configContainer(ctx, run, vols[i], listing) })
}

// leftBehind tells whether a container of that name exists: from the
// listing when the runtime gave one, else by asking.
func (x *Executor) leftBehind(ctx context.Context, name string, listing *snapshot) (bool, error) {
	if listing != nil && listing.listed {
		return slices.ContainsFunc(listing.ps, func(l psLine) bool { return l.name == name }), nil
	}
	res, ok, err := x.query(ctx, x.Runtime.inspectArgv(name))
	return ok && res.ExitCode == 0, err
}

// configContainer runs one config volume's container.
func (x *Executor) configContainer(ctx context.Context, run ConfigRun, v *PuppetVolume, listing *snapshot) error {
	gen := x.configGen()
	name := gen + "-" + v.Name
	ev := Event{ConfigID: gen, Container: name, Action: ActRemove}
	fail := func(f *Failure) error {
		f.Step, f.ConfigID, f.Container = x.step, gen, name
		return f
	}
	if err := ctx.Err(); err != nil {
		return fail(&Failure{Msg: "interrupted", Err: err})
	}
	// A container left by an earlier run is replaced.
	if left, err := x.leftBehind(ctx, name, listing); err != nil {
		return err
	} else if left {
		if res, err := x.mutate(ctx, ev, x.Runtime.rmfArgv(name)); err != nil {
			return x.interrupted(ctx, gen, name, err)
		} else if res.ExitCode != 0 {
			return fail(&Failure{Argv: x.Runtime.rmfArgv(name), ExitCode: res.ExitCode, Output: tail(res.Stderr, res.Stdout),
				Msg: "cannot remove the old config container " + name})
		}
	}
	argv := x.ConfigArgv(run, v)
	what := "config generation of " + v.Name
	if run.Action == ActTask {
		what = fmt.Sprintf("bootstrap task %s of step %d", v.Name, run.Step)
	}
	res, err := x.mutate(ctx, Event{ConfigID: gen, Container: name, Action: run.Action}, argv)
	if err != nil {
		if Interrupted(err) || ctx.Err() != nil {
			if !x.DryRun {
				cctx, cancel := cleanupCtx()
				defer cancel()
				_, _ = x.mutate(cctx, ev, x.Runtime.rmfArgv(name))
			}
			return fail(&Failure{Msg: "interrupted during " + what, Err: ctx.Err()})
		}
		return err
	}
	if res.ExitCode != 0 && res.ExitCode != 2 {
		return fail(&Failure{Argv: argv, ExitCode: res.ExitCode, Output: tail(res.Stderr, res.Stdout),
			Msg: fmt.Sprintf("%s failed with exit code %d (the container %s is kept for debugging)", what, res.ExitCode, name)})
	}
	if !x.DryRun {
		x.logf("%s: done", what)
	}
	if res, err := x.mutate(ctx, ev, x.Runtime.rmArgv(name)); err != nil {
		return x.interrupted(ctx, gen, name, err)
	} else if res.ExitCode != 0 {
		x.logf("warning: could not remove %s", name)
	}
	return nil
}
