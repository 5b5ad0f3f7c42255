package lint

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
		deploymentName{},
		oldNicConfig{},
		&parameterMismatch{},
		// service: a service template's role_data.
		roleDataValue{},
		serviceName{},
		serviceNameMismatch{},
		standardParams{},
		requiredKeys{},
		unknownRoleDataKey{},
		tasksNotDict{},
		puppetConfigShape{},
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
		stringNotList{},
		environmentDict{},
		configHashSkipped{},
		kollaBootstrap{},
		duplicateVolume{},
		privilegedContainer{},
		execTarget{},
		missingImage{},
		containerAction{},
		commandQuoting{},
		boolString{},
		stepKey{},
		imageParameterUnused{},
		// kolla: kolla_config, as kolla_set_configs reads it.
		kollaPerm{},
		kollaOwner{},
		kollaConfigFiles{},
		kollaCommand{},
		kollaStrategy{},
		// puppet: puppet_config and docker_puppet_tasks, as docker-puppet.py reads them.
		volumeNeverGenerated{},
		puppetTasksShape{},
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
