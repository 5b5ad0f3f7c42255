package model

import (
	"hoist/source"
	"hoist/value"
)

// KollaConfigDir holds the kolla config files on a node, which containers
// mount as /var/lib/kolla/config_files/config.json.
const KollaConfigDir = "/var/lib/kolla/config_files/"

// ConfigDataDir is where docker-puppet.py writes the config volumes on a
// node.
const ConfigDataDir = "/var/lib/config-data/"

// KollaConfig is one kolla_config entry: the config.json kolla's
// set_configs reads in a container, at its host path.
type KollaConfig struct {
	// Path is the entry's key, the file's host path
	// (/var/lib/kolla/config_files/keystone.json); Key the key as written.
	Path string
	Key  *value.Value
	// Raw is the config as written: the file's JSON form.
	Raw *value.Value
	// Command is what kolla_start runs.
	Command     Opt[string]
	ConfigFiles []KollaFile
	Permissions []KollaPermission
}

// KollaFile is one config_files item: a file or glob copied into the
// container.
type KollaFile struct {
	Raw                                 *value.Value
	Source, Dest, Owner, Perm           Opt[string]
	Merge, Optional, PreserveProperties Opt[bool]
}

// KollaPermission is one permissions item: ownership set on a path.
type KollaPermission struct {
	Raw               *value.Value
	Path, Owner, Perm Opt[string]
	Recurse           Opt[bool]
}

// PathAt is where the entry's key is written.
func (k *KollaConfig) PathAt() source.Range {
	if k.Key == nil {
		return source.Range{}
	}
	return k.Key.Range
}

// KollaConfigs reads a role's kolla_config, entries in written order.
// known is false when kolla_config is set but is not a mapping (a value
// only a live cloud knows, or data not evaluated).
func KollaConfigs(v *value.Value) (configs []*KollaConfig, known bool) {
	if v == nil {
		return nil, true
	}
	if v.Kind != value.Map {
		return nil, false
	}
	for _, e := range v.Map.Entries() {
		k := &KollaConfig{Path: value.Str(e.Key), Key: e.Key, Raw: e.Val}
		k.Command = readString(value.Get(e.Val, "command"))
		for _, it := range value.ItemsOf(value.Get(e.Val, "config_files")) {
			k.ConfigFiles = append(k.ConfigFiles, KollaFile{Raw: it,
				Source: readString(value.Get(it, "source")), Dest: readString(value.Get(it, "dest")),
				Owner: readString(value.Get(it, "owner")), Perm: readString(value.Get(it, "perm")),
				Merge: readBool(value.Get(it, "merge")), Optional: readBool(value.Get(it, "optional")),
				PreserveProperties: readBool(value.Get(it, "preserve_properties"))})
		}
		for _, it := range value.ItemsOf(value.Get(e.Val, "permissions")) {
			k.Permissions = append(k.Permissions, KollaPermission{Raw: it,
				Path: readString(value.Get(it, "path")), Owner: readString(value.Get(it, "owner")),
				Perm: readString(value.Get(it, "perm")), Recurse: readBool(value.Get(it, "recurse"))})
		}
		configs = append(configs, k)
	}
	return configs, true
}
