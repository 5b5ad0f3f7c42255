package cli

// commands lists every subcommand, in the order help shows them. Adding a
// command means adding it here: there is no registration by side effect.
func commands() []*command {
	return []*command{
		initCommand(),
		lintCommand(),
		rulesCommand(),
		configCommand(),
		planCommand(),
		diffCommand(),
		whyCommand(),
		applyCommand(),
		evalCommand(),
		buildCommand(),
		paramsCommand(),
		schemaCommand(),
		debugCommand(),
		versionCommand(),
		helpCommand(),
	}
}
