package model

import "hoist/value"

// puppetFields are the fields of a puppet_config entry, in the order of
// the legacy list form.
var puppetFields = []string{"config_volume", "puppet_tags", "step_config", "config_image", "volumes"}

// PuppetEntry is one entry of puppet_config (a node's docker-puppet.json
// or container-puppet.json) or of a puppet tasks step: a mapping
// {config_volume, puppet_tags, step_config, config_image, volumes}, or
// docker-puppet.py's legacy list [config_volume, puppet_tags,
// step_config, config_image, volumes].
type PuppetEntry struct {
	// Raw is the entry as written.
	Raw *value.Value
	// Legacy is set for the list form.
	Legacy bool
	// The fields, typed; a null field is absent.
	ConfigVolume Opt[string]
	PuppetTags   Opt[string]
	StepConfig   Opt[string] // the puppet manifest
	ConfigImage  Opt[string]
	Volumes      Opt[[]string]
}

// NewPuppetEntry reads one entry. An entry that is neither a mapping nor
// a list has no fields.
func NewPuppetEntry(v *value.Value) *PuppetEntry {
	e := &PuppetEntry{Raw: v}
	field := func(i int) *value.Value {
		var f *value.Value
		switch value.KindOf(v) {
		case value.Map:
			f = value.Get(v, puppetFields[i])
		case value.List:
			if i < len(v.List) {
				f = v.List[i]
			}
		}
		if value.KindOf(f) == value.Null {
			return nil
		}
		return f
	}
	e.Legacy = value.KindOf(v) == value.List
	e.ConfigVolume = readString(field(0))
	e.PuppetTags = readString(field(1))
	e.StepConfig = readString(field(2))
	e.ConfigImage = readString(field(3))
	e.Volumes = readStrings(field(4), false)
	return e
}

// PuppetEntries reads the entries of a puppet_config list (none when v is
// not a list).
func PuppetEntries(v *value.Value) []*PuppetEntry {
	var out []*PuppetEntry
	for _, it := range value.ItemsOf(v) {
		out = append(out, NewPuppetEntry(it))
	}
	return out
}

// Generates reports whether docker-puppet.py runs a config container for
// the entry: it has a manifest and an image (a value only a live cloud
// knows counts as one). It skips the others.
func (e *PuppetEntry) Generates() bool {
	return given(e.StepConfig) && given(e.ConfigImage)
}

// given reports whether a string option is a non-empty string or an
// unknown value.
func given(o Opt[string]) bool {
	return o.V != "" || value.KindOf(o.Raw) == value.Unknown
}
