package executor

import (
	"os"
	"path"
	"slices"
	"strings"

	"hoist/diag"
	"hoist/value"
)

// TRIPLEO_CONFIG_HASH is how a configuration change restarts exactly the
// containers that read it (tht.md §8, paunch-kolla.md §3.10). After config
// generation every config volume has a content hash beside it
// (<dir>.md5sum); each container gets the hashes of the config volumes it
// mounts, joined with "-", in its environment. A changed hash changes the
// container's options, so apply recreates it.
//
// The volumes looked at are those whose text starts with the config
// volume prefix (/var/lib/config-data). Which config volume a source
// belongs to is the release's rule (release.ConfigHash):
//   - up to rocky, os.path.dirname(source) (docker-puppet.py): only a
//     source written with a trailing slash,
//     /var/lib/config-data/puppet-generated/<vol>/, finds <vol>.md5sum;
//     without the slash, the dirname is the parent folder, and no hash is
//     found;
//   - from stein, get_config_base (container-puppet.py): the child of the
//     prefix or of its puppet-generated folder that the source lies in,
//     so the slash no longer matters, and a source with no such ancestor
//     (the prefix itself) stopped the script: hoist refuses it up front
//     (checkConfigBases).

// ConfigHash returns the TRIPLEO_CONFIG_HASH of a container's options, ""
// when none of its volumes has a hash.
func (x *Executor) ConfigHash(opts *value.Value) string {
	if value.KindOf(opts) != value.Map {
		return ""
	}
	vols, _ := opts.Map.Get("volumes")
	if value.KindOf(vols) != value.List {
		return ""
	}
	match := x.hashPrefix()
	configBase := x.Release != nil && x.Release.Node.Hash.ConfigBase
	var dirs []string
	for _, v := range vols.List {
		if v.Kind != value.String || !strings.HasPrefix(v.Str, match) {
			continue
		}
		src, _, _ := strings.Cut(v.Str, ":")
		if configBase {
			if base, ok := configBaseOf(match, src); ok {
				dirs = append(dirs, base)
			}
			continue
		}
		dirs = append(dirs, pyDirname(src))
	}
	slices.Sort(dirs)
	var hashes []string
	for _, d := range dirs {
		if h := x.readHash(d + ".md5sum"); h != "" {
			hashes = append(hashes, h)
		}
	}
	return strings.Join(hashes, "-")
}

func (x *Executor) hashPrefix() string {
	if x.ConfigVolumePrefix != "" {
		return x.ConfigVolumePrefix
	}
	return DefaultConfigVolumePrefix
}

// configBaseOf is container-puppet.py's get_config_base: walking up from
// the source, the first path whose parent is the prefix or the prefix's
// puppet-generated folder. ok is false when there is none (the script
// raised ValueError).
func configBaseOf(prefix, src string) (string, bool) {
	base := strings.TrimRight(prefix, "/")
	generated := base + "/puppet-generated"
	for p := src; strings.HasPrefix(p, prefix); {
		d := pyDirname(p)
		if d == base || d == generated {
			return p, true
		}
		if d == p {
			break
		}
		p = d
	}
	return "", false
}

// checkConfigBases refuses, from stein on, a container volume under the
// config volume prefix that has no config base: container-puppet.py would
// stop there, after running every config container.
func (x *Executor) checkConfigBases(cfg *Config) error {
	if x.Release == nil || !x.Release.Node.Hash.ConfigBase {
		return nil
	}
	prefix := x.hashPrefix()
	var errs []*diag.Diagnostic
	for _, c := range cfg.Containers {
		vols := c.Option("volumes")
		if value.KindOf(vols) != value.List {
			continue
		}
		for _, v := range vols.List {
			if v.Kind != value.String || !strings.HasPrefix(v.Str, prefix) {
				continue
			}
			src, _, _ := strings.Cut(v.Str, ":")
			if _, ok := configBaseOf(prefix, src); !ok {
				errs = append(errs, inputErr(v, cfg.File, "container %q: volume %q starts with the config volume prefix %s but lies in no config volume (%s/<volume> or %s/puppet-generated/<volume>): %s's get_config_base stops there",
					c.Name, v.Str, prefix, strings.TrimRight(prefix, "/"), strings.TrimRight(prefix, "/"), path.Base(x.Release.Node.ConfigScriptFile)))
			}
		}
	}
	if len(errs) > 0 {
		return diag.Err(errs)
	}
	return nil
}

// readHash reads a .md5sum file: with the default prefix the path is a
// node path under the root; with an explicit prefix it is a host path.
func (x *Executor) readHash(p string) string {
	if x.ConfigVolumePrefix == "" {
		p = x.rootPath(p)
	}
	st, err := os.Stat(p)
	if err != nil || !st.Mode().IsRegular() {
		return ""
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return ""
	}
	return strings.TrimRight(string(b), " \t\n\r\v\f")
}

// pyDirname is Python's os.path.dirname: everything before the last
// slash, with trailing slashes removed unless that leaves only slashes.
func pyDirname(p string) string {
	head := p[:strings.LastIndex(p, "/")+1]
	if head != "" && strings.Trim(head, "/") != "" {
		head = strings.TrimRight(head, "/")
	}
	return head
}

// HashConfig returns a startup config (the raw {name: options} mapping)
// with TRIPLEO_CONFIG_HASH=<hash> appended to the environment list of each
// container that has a hash, or set as a key when environment is a
// mapping. A container without an environment gets a list up to stein
// and, as train's container-puppet.py created it, a mapping in train.
// Containers without a hash, and the input, are left as they are.
func (x *Executor) HashConfig(root *value.Value) *value.Value {
	if value.KindOf(root) != value.Map {
		return root
	}
	out := root.Map.Clone()
	for _, e := range root.Map.Entries() {
		h := x.ConfigHash(e.Val)
		if h == "" {
			continue
		}
		opts := e.Val.Map.Clone()
		entry := value.NewString("TRIPLEO_CONFIG_HASH="+h, e.Val.Range)
		env, has := opts.Get("environment")
		switch {
		case (!has || value.KindOf(env) == value.Null) && x.Release != nil && x.Release.Node.Hash.EnvironmentMap:
			m := value.NewMapping(1)
			m.SetString("TRIPLEO_CONFIG_HASH", value.NewString(h, e.Val.Range))
			opts.SetString("environment", value.NewMap(m, e.Val.Range))
		case !has || value.KindOf(env) == value.Null:
			opts.SetString("environment", value.NewList([]*value.Value{entry}, e.Val.Range))
		case env.Kind == value.List:
			items := append(slices.Clone(env.List), entry)
			opts.SetString("environment", value.NewList(items, env.Range))
		case env.Kind == value.Map:
			m := env.Map.Clone()
			m.SetString("TRIPLEO_CONFIG_HASH", value.NewString(h, env.Range))
			opts.SetString("environment", value.NewMap(m, env.Range))
		default:
			continue // not a list nor a mapping: the builder reports it
		}
		out.Set(e.Key, value.NewMap(opts, e.Val.Range))
	}
	return value.NewMap(out, root.Range)
}
