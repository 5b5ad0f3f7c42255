package lint

// Rules returns every rule, in the order their documentation lists them.
// Adding a rule means adding its constructor here.
func Rules() []Rule {
	return []Rule{
		yamlSyntax{},
		yamlLimit{},
		yamlDuplicateKey{},
		// schema: the file against the CUE definitions of its format.
		schemaUnknownKey{},
		schemaRequired{},
		schemaType{},
		schemaValue{},
	}
}

// FindRule returns the rule with the given id.
func FindRule(id string) (Rule, bool) {
	for _, r := range Rules() {
		if r.Meta().ID == id {
			return r, true
		}
	}
	return nil, false
}

var recommended = []string{PresetRecommended, PresetStrict}

// InPreset reports whether m belongs to the preset.
func (m Meta) InPreset(preset string) bool {
	if preset == PresetAll {
		return true
	}
	for _, p := range m.Presets {
		if p == preset {
			return true
		}
	}
	return false
}
