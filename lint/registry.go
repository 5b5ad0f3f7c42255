package lint

import "fmt"

// Rules returns every rule, in the order their documentation lists them.
// Adding a rule means adding its constructor here. Each call returns fresh
// rules, so that options configured for one run stay in that run.
func Rules() []Rule {
	return []Rule{
		// yaml: the file as YAML.
		yamlSyntax{},
		yamlLimit{},
		yamlDuplicateKey{},
		yamlUnusedAnchor{},
		// jsonnet: a Jsonnet file as it evaluates.
		jsonnetSyntax{},
		jsonnetRuntime{},
		jsonnetOutput{},
		// jinja: a Jinja2 template as process-templates renders it.
		jinjaSyntax{},
		jinjaRender{},
		jinjaMissingInclude{},
		jinjaUndefined{},
		// schema: the file against the CUE definitions of its format.
		schemaUnknownKey{},
		schemaRequired{},
		schemaType{},
		schemaValue{},
		// lint: the suppression comments themselves.
		invalidSuppression{},
		unusedSuppression{},
		// template: HOT templates.
		&templateVersion{},
		&unusedParameter{},
		undefinedParameter{},
		undefinedResource{},
		undefinedCondition{},
		functionKey{},
		deploymentName{},
		oldNicConfig{},
		&parameterMismatch{},
		// service: a service template's role_data.
		serviceNameMismatch{},
		standardParams{},
		requiredKeys{},
		&configImageParameter{},
		stepConfigDropped{},
		mysqlBindAddress{},
		mysqlClient{},
		hieraInterpolation{},
		loggingOutputs{},
		evaluationError{},
		// tasks: Ansible task lists.
		upgradeTaskTags{},
		upgradeStepFirst{},
		whenAndString{},
		// container: docker_config, as paunch runs it.
		bootstrapHostExecUser{},
		unknownContainerKey{},
		configHashSkipped{},
		configHashEnvironment{},
		kollaBootstrap{},
		duplicateVolume{},
		privilegedContainer{},
		execTarget{},
		commandQuoting{},
		imageParameterUnused{},
		// kolla: kolla_config, as kolla_set_configs reads it.
		kollaCommand{},
		kollaStrategy{},
		// puppet: puppet_config and docker_puppet_tasks, as docker-puppet.py reads them.
		volumeNeverGenerated{},
		configImageMismatch{},
		// plan: a role's containers in the order paunch starts them.
		execTargetNotStarted{},
		volumesFromOrder{},
		startOrderDependency{},
		kollaConfigMissing{},
		configVolumeMissing{},
		detachRestart{},
		containerInTwoSteps{},
		containerMerged{},
		// tht, roles, network: the tree's own conventions.
		deprecatedServicesDocker{},
		endpointMapDrift{},
		roleFileName{},
		networkDataVariant{},
		// heat: what Heat itself refuses or misreads (heat_*.go).
		unknownFunction{},
		functionArguments{},
		yaqlExpression{},
		allowedPattern{},
		invalidDefault{},
		undefinedOutput{},
		missingFile{},
		environmentSection{},
		undeclaredParameter{},
		unmappedService{},
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

// Preset memberships.
var (
	recommended = []string{PresetRecommended, PresetStrict}
	strictOnly  = []string{PresetStrict}
)

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

// Retired lists the ids of rules that no longer exist, with what reports
// their findings now. An id is never reused. A configuration or a
// suppression naming one is told where its findings went.
var Retired = map[string]string{
	// The structure and types of the formats are the CUE schema's
	// (schema/cue); these rules restated parts of it.
	"container/bool-string":         "schema/type (a string where paunch needs a bool)",
	"container/string-not-list":     "schema/type (a string where paunch needs a list)",
	"container/environment-dict":    "schema/type (environment must be a list on queens)",
	"container/invalid-action":      "schema/value (action is run or exec)",
	"container/missing-image":       "schema/required and schema/value (image)",
	"container/step-key":            "schema/unknown-key (docker_config has step_1 to step_5)",
	"kolla/perm":                    "schema/type and schema/value (perm is a 0NNN string)",
	"kolla/owner":                   "schema/value and schema/required (owner is user or user:group)",
	"kolla/config-files":            "schema/unknown-key and schema/required (the seven keys of a config_files entry)",
	"puppet/tasks-shape":            "schema/unknown-key and schema/type (docker_puppet_tasks steps)",
	"service/puppet-config-keys":    "schema/unknown-key and schema/required (puppet_config's keys)",
	"service/tasks-empty-dict":      "schema/type (a task list written {})",
	"service/unknown-role-data-key": "schema/unknown-key (role_data's keys)",
	"service/role-data-value":       "schema/required and schema/type (outputs.role_data.value)",
	"service/service-name":          "schema/required (service_name)",
}

// retiredNote says what became of a retired rule.
func retiredNote(id string) (string, bool) {
	to, ok := Retired[id]
	if !ok {
		return "", false
	}
	return fmt.Sprintf("rule %q was retired: %s reports its findings now", id, to), true
}
