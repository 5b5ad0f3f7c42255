// Package release holds what differs between the TripleO releases of the
// containerized era that hoist supports (queens, rocky, stein and train),
// as data in one place, and tells which release a tree is (Detect).
//
// Every other package asks a *Release instead of assuming queens: the
// compiler for the default environments and the role_data keys, the schema
// for its release definitions (schema/cue/<name>.cue), lint for the
// expectations of its rules (template versions, parameter names), emit for
// the paths and names of the files each release's deploy steps wrote on a
// node, and the executor for how they are applied. Supporting another
// release is a new entry in the table below (and its schema file), not new
// code paths.
//
// The facts come from each release's tripleo-heat-templates (common/
// deploy-steps.j2, common/deploy-steps-tasks.yaml, the role template
// common/services/role.role.j2.yaml, tools/yaml-validate.py, the resource
// registry and plan-environment.yaml) and are listed with their sources in
// docs/releases.md.
package release

import (
	"fmt"
	"slices"
	"strings"
)

// Release is one supported TripleO release.
type Release struct {
	// Name is the release's series name: "queens", "rocky", "stein",
	// "train".
	Name string
	// Heat is the Heat release of its undercloud, for messages.
	Heat string
	// TemplateVersion is the heat_template_version its own templates
	// declare: the branch alias (stein and train still say "rocky": Heat
	// has no later alias until wallaby).
	TemplateVersion string
	// NewestTemplateVersion is the newest heat_template_version (date) its
	// Heat knows; every older one is accepted too.
	NewestTemplateVersion string
	// TemplateVersionExceptions are the templates (paths relative to the
	// tree) that the release's tools/yaml-validate.py lets declare another
	// version than TemplateVersion, and that version
	// (set_heat_template_versions_in_templates: rocky's and stein's
	// mixed-version pingtest, :36-39; train has none). Lint exempts them.
	TemplateVersionExceptions map[string]string

	// ServiceDirs are the folders of the service templates, in the order
	// the registry's mappings favour (the container templates first).
	ServiceDirs []string
	// ContainerServiceFile tells whether a path (slash-separated, relative
	// to the tree) is a containerized service template by its place in the
	// tree, as the release's own yaml-validate.py selected them.
	containerServiceFile func(path string) bool
	// LoggingHelpers are the folders of the logging helper templates
	// (relative to the tree) whose outputs the services read:
	// docker/services/logging/{files,stdout} up to rocky,
	// deployment/logging/{files,stdout} from stein (the registry's
	// OS::TripleO::Services::Logging::* entries).
	LoggingHelpers []string
	// NetworkDataLayouts are the name endings of the network_data_*.yaml
	// files of the release's tree that hold another network layout, not
	// network_data.yaml's networks plus more, which its
	// tools/yaml-validate.py therefore does not hold to network_data.yaml:
	// rocky's :1142-1145 routed and openshift, stein's :1139-1142 also
	// undercloud, train's :1158-1161 routed and undercloud.
	NetworkDataLayouts []string
	// ConfigScript is the config generation script of the tree
	// (docker-puppet.py, container-puppet.py), relative to the tree.
	ConfigScript string
	// DefaultEnvironments are the environments the TripleO client added
	// after the resource registry when the tree's plan-environment.yaml
	// lists none (relative to the tree). A tree's own
	// plan-environment.yaml wins.
	DefaultEnvironments []string

	// RoleData describes the role_data keys of the release.
	RoleData RoleData
	// Params describes parameter naming.
	Params Params
	// Containers describes what the release's container runtime and
	// paunch read.
	Containers Containers
	// Node describes the files the release's deploy steps wrote on a node.
	Node Node
}

// RoleData is what a release's service templates and role template use in
// role_data.
type RoleData struct {
	// PuppetTasks is the key of the bootstrap node's one-shot config tasks
	// (docker_puppet_tasks up to rocky, container_puppet_tasks from
	// stein; stein and train still accept docker_puppet_tasks).
	PuppetTasks string
	// ConfigScripts is the key of the scripts bind-mounted into containers
	// (docker_config_scripts, container_config_scripts).
	ConfigScripts string
	// Deprecated maps keys the release still accepts to their new name.
	Deprecated map[string]string
	// RoleKeys are the keys of the role template's role_data output.
	RoleKeys []string
	// ServiceKeys are the role_data keys a service template may set
	// (besides RoleKeys' inputs): what the release's tools/yaml-validate.py
	// and its role template read.
	ServiceKeys []string
	// ServiceNameTasks tells whether the aggregator adds service_name to
	// each puppet task entry (rocky on), so that the tasks run on the
	// service's bootstrap node.
	ServiceNameTasks bool
	// RequiredContainerKeys are the role_data keys THT's own validator
	// required of a container service (tools/yaml-validate.py
	// REQUIRED_DOCKER_SECTIONS, checked for docker/services in queens and
	// rocky: rocky :59-60, validate_docker_service :621-640). None from
	// stein: the check never ran on deployment/ (stein :1081-1086, train
	// :1094-1099), and the trees have container services configured by
	// Ansible without puppet_config (train
	// deployment/multipathd/multipathd-container-ansible.yaml) and services
	// that only generate configuration, without docker_config
	// (deployment/nova/nova-libvirt-guests-container-puppet.yaml).
	RequiredContainerKeys []string
	// UpgradeTags are the only tags THT's validator allowed on upgrade
	// tasks, those the queens and rocky upgrade workflow selects tasks by
	// (rocky tools/yaml-validate.py:267 VALID_ANSIBLE_UPGRADE_TAGS). None
	// from stein: its validator dropped the check, and its upgrade tasks
	// carry the tags the upgrade commands select and Ansible's own (stein
	// deployment/podman/podman-baremetal-ansible.yaml:152-157: never,
	// system_upgrade_prepare; also system_upgrade, system_upgrade_run,
	// system_upgrade_reboot, always; train adds nova_hybrid_state).
	UpgradeTags []string
}

// Params is how a release names parameters.
type Params struct {
	// ImagePrefix is the prefix of container image parameters: Docker up
	// to stein (DockerKeystoneImage), Container in train.
	ImagePrefix string
	// Service are the parameters the role template's ServiceChain passes
	// to every service template as properties, so that each must declare
	// them (common/services/role.role.j2.yaml:50-55 in every supported
	// release; tools/yaml-validate.py's required_params).
	Service []string
	// ConfigImageCamelCase maps whole config_volume names to the spelling
	// of their config image parameter (tools/yaml-validate.py's
	// PREFERRED_CAMEL_CASE); other volumes split on "_" and capitalize
	// each part.
	ConfigImageCamelCase map[string]string
}

// ConfigImageParameter returns the config image parameter that the
// release's image preparation writes for a config_volume:
// <ImagePrefix><CamelCase(volume)>ConfigImage.
func (r *Release) ConfigImageParameter(volume string) string {
	return r.Params.ImagePrefix + CamelCase(volume, r.Params.ConfigImageCamelCase) + "ConfigImage"
}

// CamelCase spells a config volume as yaml-validate.py's to_camel_case
// does: a whole-volume override, else each "_"-separated part with its
// first letter upper-cased and the rest lower-cased (Python's
// str.capitalize), an empty part giving "_".
func CamelCase(volume string, overrides map[string]string) string {
	if c, ok := overrides[volume]; ok {
		return c
	}
	var b strings.Builder
	for _, part := range strings.Split(volume, "_") {
		if part == "" {
			b.WriteByte('_')
			continue
		}
		rs := []rune(strings.ToLower(part))
		b.WriteString(strings.ToUpper(string(rs[0])))
		b.WriteString(string(rs[1:]))
	}
	return b.String()
}

// Containers is what a release's container tooling reads.
type Containers struct {
	// DefaultCli is the container runtime the release deploys with when
	// no environment sets ContainerCli (docker up to rocky, podman from
	// stein).
	DefaultCli string
	// Paunch is the paunch dialect (executor.Dialects) of the release's
	// paunch for that runtime.
	Paunch map[string]string
	// EnvironmentMap tells whether a container's environment may be a map
	// (train's paunch and container-puppet.py; earlier releases need the
	// list of KEY=value strings).
	EnvironmentMap bool
}

// Bootstrap says which node runs a service's one-shot puppet tasks.
type Bootstrap uint8

const (
	// RoleFirstNode: the first node of each role runs the tasks of the
	// role's services (queens: bootstrap_nodeid of the role).
	RoleFirstNode Bootstrap = iota
	// ServiceFirstNode: the first node of the first role (roles_data
	// order) that runs the service, once per deployment (rocky, stein:
	// <service>_short_bootstrap_node_name).
	ServiceFirstNode
	// ServiceSortedFirst: the first of the service's hosts sorted by name
	// (train: groups[service_name] | sort | first).
	ServiceSortedFirst
)

// Node is the layout of the files a release's deploy steps wrote on a
// node, relative to the node's root.
type Node struct {
	// StartupConfigs is the file of all steps' containers ({step_N: ...}),
	// "" when the release does not write it (stein on).
	StartupConfigs string
	// StepConfig is the format of step N's startup config
	// ({container: options}) when the release writes one file per step;
	// "" when it writes one file per container.
	StepConfig string
	// HashedStepConfig is the format of step N's startup config with
	// TRIPLEO_CONFIG_HASH, written by config generation.
	HashedStepConfig string
	// ContainerConfig is the format of one container's startup config
	// (train: step N, container name), "" before train.
	ContainerConfig string
	// HashedContainerConfig is its hashed twin.
	HashedContainerConfig string
	// EmptySteps tells whether every step_1..step_6 file is written, the
	// empty ones as {} (up to stein; train writes the steps that have
	// containers).
	EmptySteps bool
	// PuppetConfig is the config generation input (docker-puppet.json).
	PuppetConfig string
	// PuppetTasks is the format of step N's bootstrap tasks file.
	PuppetTasks string
	// ConfigScriptsDir is the folder of the config scripts.
	ConfigScriptsDir string
	// ConfigScriptFile is where the config generation script is written.
	ConfigScriptFile string
	// Bootstrap is who runs the puppet tasks.
	Bootstrap Bootstrap
	// JSONIndent is how the release's deploy tasks formatted the JSON they
	// wrote: "" for Ansible's to_json (one line), "    " for to_nice_json,
	// "  " for train's modules.
	JSONIndent string
	// RoleExtraConfigFile is the hieradata file of <Role>ExtraConfig:
	// "<role>_extraconfig" up to stein (%s is the role name, lower case),
	// "role_extraconfig" in train.
	RoleExtraConfigFile string
	// PuppetJSONIndent is how the deploy tasks formatted the config
	// generation input and the puppet tasks files: "" for to_json (queens,
	// common/deploy-steps-tasks.yaml:70-93), "    " for to_nice_json
	// (rocky on; train too: deploy-steps-tasks-step-1.yaml:162-173 and
	// host-container-puppet-tasks.yaml, while its startup and kolla
	// configs come from modules that indent by 2).
	PuppetJSONIndent string
	// Notes are the small text files the deploy tasks left beside the
	// renamed folders (stein: /var/lib/docker-puppet/readme.txt, common/
	// deploy-steps-tasks.yaml:150-156; train also
	// /var/lib/tripleo-config/container-startup-config-readme.txt,
	// deploy-steps-tasks-step-1.yaml:223-232).
	Notes []NodeNote
	// Hiera is the layout of the hieradata.
	Hiera Hiera
	// ConfigGen is the name config generation gives its containers
	// (<ConfigGen>-<config_volume>) and the folder of its own files
	// (/var/lib/<ConfigGen>/): docker-puppet up to rocky,
	// container-puppet from stein (common/container-puppet.py:36, 461).
	ConfigGen string
	// ConfigUser is the --user of config generation's containers: root up
	// to rocky (docker/docker-puppet.py), the uid 0 from stein, which
	// podman resolves without reading /etc/passwd (stein
	// common/container-puppet.py:446-451).
	ConfigUser string
	// ConfigPodmanOpts are the options config generation adds with podman
	// (stein common/container-puppet.py:78, cli_dcmd: no SELinux relabeling).
	ConfigPodmanOpts []string
	// Hash is how config generation puts TRIPLEO_CONFIG_HASH in the
	// startup configs.
	Hash ConfigHash
}

// ConfigHash is how a release's config generation computed and inserted
// TRIPLEO_CONFIG_HASH.
type ConfigHash struct {
	// ConfigBase: a volume's config volume is its config base, the child
	// of /var/lib/config-data or of its puppet-generated folder the source
	// lies in (get_config_base, stein's common/container-puppet.py:142-156);
	// before stein it is os.path.dirname(source) (docker/docker-puppet.py),
	// which only finds puppet-generated/<vol>/ written with its slash.
	ConfigBase bool
	// EnvironmentMap: the hash is set as the key TRIPLEO_CONFIG_HASH of a
	// mapping environment, created when absent (train's
	// common/container-puppet.py:368-410); before train it is appended to
	// the list as TRIPLEO_CONFIG_HASH=<hash>.
	EnvironmentMap bool
}

// NodeNote is a text file the deploy tasks wrote as it is.
type NodeNote struct {
	Path string
	Mode uint32
	Text string
}

// Hiera is what differs in the hieradata a release wrote on a node
// (/etc/puppet/hiera.yaml and /etc/puppet/hieradata/*.json).
type Hiera struct {
	// Hierarchy is hiera.yaml's hierarchy, "%s" standing for the role's
	// name in lower case (queens puppet/role.role.j2.yaml:535-557; stein
	// adds upgrade, :714-715; train's overcloud.j2.yaml:602-626).
	Hierarchy []string
	// EnableUpgrade: <role>.json holds tripleo::packages::enable_upgrade
	// (queens only; rocky's puppet/role.role.j2.yaml:673-683 dropped it).
	EnableUpgrade bool
	// Fluentd: <role>.json holds the fluentd sources and groups (queens,
	// rocky; stein's puppet/role.role.j2.yaml:730-738 keeps only
	// tripleo::clouddomain and the fqdn_* keys).
	Fluentd bool
	// SplitNodeFile: train writes tripleo::clouddomain to cloud_domain.json
	// and the fqdn_* keys to fqdn.json (common/hiera-steps-tasks.yaml:21-31)
	// instead of one <role>.json.
	SplitNodeFile bool
	// BootstrapNodeIP: bootstrap_node.json holds bootstrap_nodeid_ip
	// beside bootstrap_nodeid (queens, rocky; stein's
	// puppet/all-nodes-config.j2.yaml:164-165 has bootstrap_nodeid only).
	BootstrapNodeIP bool
	// ContainerCli: all_nodes.json holds container_cli, the ContainerCli
	// parameter (stein puppet/all-nodes-config.j2.yaml:156; train's
	// tripleo-hieradata all_nodes template).
	ContainerCli bool
	// SensuSubscriptions: service_names.json holds sensu::subscriptions
	// (up to stein); train puts the role's monitoring_subscriptions in
	// role_extraconfig as tripleo::profile::base::metrics::collectd::
	// sensubility::subscriptions (overcloud.j2.yaml:592-600).
	SensuSubscriptions bool
	// KeystoneAPIServiceNames: service_names lists keystone_admin_api and
	// keystone_public_api first when keystone runs (train's
	// <Role>ServiceNames, overcloud.j2.yaml:654-670).
	KeystoneAPIServiceNames bool
}

// StepConfigFile is step n's startup config ("" before train when
// StepConfig is empty).
func (n *Node) StepConfigFile(step int) string {
	if n.StepConfig == "" {
		return ""
	}
	return fmt.Sprintf(n.StepConfig, step)
}

// HashedStepConfigFile is step n's hashed startup config.
func (n *Node) HashedStepConfigFile(step int) string {
	if n.HashedStepConfig == "" {
		return ""
	}
	return fmt.Sprintf(n.HashedStepConfig, step)
}

// ContainerConfigFile is one container's startup config of step n.
func (n *Node) ContainerConfigFile(step int, name string) string {
	return fmt.Sprintf(n.ContainerConfig, step, name)
}

// HashedContainerConfigFile is its hashed twin.
func (n *Node) HashedContainerConfigFile(step int, name string) string {
	return fmt.Sprintf(n.HashedContainerConfig, step, name)
}

// PuppetTasksFile is step n's bootstrap tasks file.
func (n *Node) PuppetTasksFile(step int) string { return fmt.Sprintf(n.PuppetTasks, step) }

// MaxStep is the last step key of docker_config (step_6 is written by the
// releases up to stein, which default step_1..step_6; deploy steps run
// 1..5).
const MaxStep = 6

// Deploy steps run 1..DeploySteps on every node.
const DeploySteps = 5

// The role_data keys shared by every supported release's role template.
var commonRoleKeys = []string{
	"service_names", "monitoring_subscriptions", "config_settings", "global_config_settings",
	"service_config_settings", "step_config", "deploy_steps_tasks", "external_deploy_tasks",
	"external_post_deploy_tasks", "pre_upgrade_rolling_tasks", "upgrade_tasks", "post_upgrade_tasks",
	"update_tasks", "post_update_tasks", "upgrade_batch_tasks", "service_metadata_settings",
	"puppet_config", "kolla_config", "docker_config", "host_prep_tasks",
}

func keys(base []string, add ...string) []string {
	out := slices.Concat(base, add)
	slices.Sort(out)
	return out
}

var queensNode = Node{
	StartupConfigs:      "var/lib/docker-container-startup-configs.json",
	StepConfig:          "var/lib/tripleo-config/docker-container-startup-config-step_%d.json",
	HashedStepConfig:    "var/lib/tripleo-config/hashed-docker-container-startup-config-step_%d.json",
	EmptySteps:          true,
	PuppetConfig:        "var/lib/docker-puppet/docker-puppet.json",
	PuppetTasks:         "var/lib/docker-puppet/docker-puppet-tasks%d.json",
	ConfigScriptsDir:    "var/lib/docker-config-scripts",
	ConfigScriptFile:    "var/lib/docker-puppet/docker-puppet.py",
	Bootstrap:           RoleFirstNode,
	JSONIndent:          "",
	RoleExtraConfigFile: "%s_extraconfig",
	ConfigGen:           "docker-puppet",
	ConfigUser:          "root",
	Hiera: Hiera{
		Hierarchy: []string{
			`"%{::uuid}"`, "docker_puppet", "heat_config_%{::deploy_config_name}", "config_step",
			"%s_extraconfig", "extraconfig", "pci_passthrough_whitelist", "service_names",
			"service_configs", "%s", "bootstrap_node", "all_nodes", "vip_data", "net_ip_map",
			`"%{::osfamily}"`, "neutron_bigswitch_data", "neutron_cisco_data", "cisco_n1kv_data",
			"midonet_data", "cisco_aci_data",
		},
		EnableUpgrade: true, Fluentd: true, BootstrapNodeIP: true, SensuSubscriptions: true,
	},
}

func rockyNode() Node {
	n := queensNode
	n.Bootstrap = ServiceFirstNode
	n.JSONIndent = "    "
	n.PuppetJSONIndent = "    "
	n.Hiera.EnableUpgrade = false
	return n
}

var dockerPuppetReadme = NodeNote{Path: "var/lib/docker-puppet/readme.txt", Mode: 0o644,
	Text: "/var/lib/docker-puppet was moved under\n/var/lib/container-puppet because we don't run Docker anymore.\n"}

func steinNode() Node {
	return Node{
		StepConfig:          "var/lib/tripleo-config/container-startup-config-step_%d.json",
		HashedStepConfig:    "var/lib/tripleo-config/hashed-container-startup-config-step_%d.json",
		EmptySteps:          true,
		PuppetConfig:        "var/lib/container-puppet/container-puppet.json",
		PuppetTasks:         "var/lib/container-puppet/container-puppet-tasks%d.json",
		ConfigScriptsDir:    "var/lib/container-config-scripts",
		ConfigScriptFile:    "var/lib/container-puppet/container-puppet.py",
		Bootstrap:           ServiceFirstNode,
		JSONIndent:          "    ",
		RoleExtraConfigFile: "%s_extraconfig",
		PuppetJSONIndent:    "    ",
		Notes:               []NodeNote{dockerPuppetReadme},
		ConfigGen:           "container-puppet",
		ConfigUser:          "0",
		ConfigPodmanOpts:    []string{"--security-opt", "label=disable"},
		Hash:                ConfigHash{ConfigBase: true},
		Hiera: Hiera{
			Hierarchy:          append(slices.Clone(queensNode.Hiera.Hierarchy), "upgrade"),
			BootstrapNodeIP:    false,
			ContainerCli:       true,
			SensuSubscriptions: true,
		},
	}
}

func trainNode() Node {
	n := steinNode()
	n.StepConfig, n.HashedStepConfig = "", ""
	n.ContainerConfig = "var/lib/tripleo-config/container-startup-config/step_%d/%s.json"
	n.HashedContainerConfig = "var/lib/tripleo-config/container-startup-config/step_%d/hashed-%s.json"
	n.EmptySteps = false
	n.Bootstrap = ServiceSortedFirst
	n.JSONIndent = "  "
	n.RoleExtraConfigFile = "role_extraconfig"
	n.Notes = []NodeNote{dockerPuppetReadme, {Path: "var/lib/tripleo-config/container-startup-config-readme.txt", Mode: 0o600,
		Text: "Container startup configs moved to /var/lib/tripleo-config/container-startup-config"}}
	n.Hash = ConfigHash{ConfigBase: true, EnvironmentMap: true}
	n.Hiera = Hiera{
		Hierarchy: []string{
			`"%{::uuid}"`, "fqdn", "docker_puppet", "ansible_managed", "heat_config_%{::deploy_config_name}",
			"config_step", "role_extraconfig", "extraconfig", "pci_passthrough_whitelist", "service_names",
			"service_configs", "cloud_domain", "bootstrap_node", "all_nodes", "vip_data", "net_ip_map",
			`"%{::osfamily}"`, "neutron_bigswitch_data", "upgrade",
		},
		SplitNodeFile: true, ContainerCli: true, KeystoneAPIServiceNames: true,
	}
	return n
}

// dockerServices selects the container templates of queens and rocky:
// docker/services/**.
func dockerServices(p string) bool { return strings.HasPrefix(p, "docker/services/") }

// deploymentServices selects stein's and train's: deployment/**, whose
// container templates are named *-container-puppet.yaml (with a few
// ansible- and pacemaker-driven ones beside them, which the role data of a
// container service identifies; the path only says where to look).
func deploymentServices(p string) bool { return strings.HasPrefix(p, "deployment/") }

// The logging helpers' folders (the registry's OS::TripleO::Services::Logging::*
// entries, overcloud-resource-registry-puppet.j2.yaml: queens :360-, rocky:
// docker/services/logging; stein :347-362, train :344-358: deployment/logging).
var (
	dockerLogging     = []string{"docker/services/logging/files", "docker/services/logging/stdout"}
	deploymentLogging = []string{"deployment/logging/files", "deployment/logging/stdout"}
)

// requiredDockerSections are queens' and rocky's REQUIRED_DOCKER_SECTIONS
// (tools/yaml-validate.py, rocky :59-60).
var requiredDockerSections = []string{"service_name", "docker_config", "puppet_config", "config_settings"}

// validUpgradeTags are queens' and rocky's VALID_ANSIBLE_UPGRADE_TAGS
// (tools/yaml-validate.py, rocky :267).
var validUpgradeTags = []string{"common", "validation", "pre-upgrade"}

// serviceParams are the six properties every supported release's
// ServiceChain passes (queens, rocky, stein and train
// common/services/role.role.j2.yaml:50-55).
var serviceParams = []string{"ServiceData", "ServiceNetMap", "EndpointMap", "DefaultPasswords", "RoleName", "RoleParameters"}

// pingtestVersion is the exception of rocky's and stein's
// tools/yaml-validate.py:36-39 ("Needed for mixed version pingtest").
var pingtestVersion = map[string]string{"ci/pingtests/tenantvm_floatingip.yaml": "ocata"}

var camelQueens = map[string]string{"ec2api": "Ec2Api", "haproxy": "HAProxy", "metrics-qdr": "MetricsQdr"}

var camelRocky = map[string]string{"ec2api": "Ec2Api", "haproxy": "HAProxy", "tripleo-ui": "TripleoUI", "metrics-qdr": "MetricsQdr"}

var table = []*Release{
	{
		Name: "queens", Heat: "Heat 10 (queens)",
		TemplateVersion: "queens", NewestTemplateVersion: "2018-03-02",
		ServiceDirs:          []string{"docker/services", "puppet/services", "extraconfig/services"},
		containerServiceFile: dockerServices,
		LoggingHelpers:       dockerLogging,
		ConfigScript:         "docker/docker-puppet.py",
		DefaultEnvironments:  []string{"environments/docker.yaml"},
		RoleData: RoleData{
			PuppetTasks: "docker_puppet_tasks", ConfigScripts: "docker_config_scripts",
			RoleKeys: keys(commonRoleKeys, "logging_sources", "logging_groups", "workflow_tasks",
				"fast_forward_upgrade_tasks", "fast_forward_post_upgrade_tasks",
				"docker_config_scripts", "docker_puppet_tasks"),
			RequiredContainerKeys: requiredDockerSections,
			UpgradeTags:           validUpgradeTags,
		},
		Params:     Params{ImagePrefix: "Docker", Service: serviceParams, ConfigImageCamelCase: camelQueens},
		Containers: Containers{DefaultCli: "docker", Paunch: map[string]string{"docker": "queens-eol"}},
		Node:       queensNode,
	},
	{
		Name: "rocky", Heat: "Heat 11 (rocky)",
		TemplateVersion: "rocky", NewestTemplateVersion: "2018-08-31",
		TemplateVersionExceptions: pingtestVersion,
		ServiceDirs:               []string{"docker/services", "puppet/services", "extraconfig/services"},
		containerServiceFile:      dockerServices,
		LoggingHelpers:            dockerLogging,
		NetworkDataLayouts:        []string{"routed.yaml", "openshift.yaml"},
		ConfigScript:              "docker/docker-puppet.py",
		RoleData: RoleData{
			PuppetTasks: "docker_puppet_tasks", ConfigScripts: "docker_config_scripts",
			RoleKeys: keys(commonRoleKeys, "logging_sources", "logging_groups", "workflow_tasks",
				"fast_forward_upgrade_tasks", "fast_forward_post_upgrade_tasks",
				"external_update_tasks", "external_upgrade_tasks",
				"docker_config_scripts", "docker_puppet_tasks"),
			ServiceNameTasks:      true,
			RequiredContainerKeys: requiredDockerSections,
			UpgradeTags:           validUpgradeTags,
		},
		Params:     Params{ImagePrefix: "Docker", Service: serviceParams, ConfigImageCamelCase: camelRocky},
		Containers: Containers{DefaultCli: "docker", Paunch: map[string]string{"docker": "rocky-eol"}},
		Node:       rockyNode(),
	},
	{
		Name: "stein", Heat: "Heat 12 (stein)",
		TemplateVersion: "rocky", NewestTemplateVersion: "2018-08-31",
		TemplateVersionExceptions: pingtestVersion,
		ServiceDirs:               []string{"deployment", "puppet/services", "extraconfig/services"},
		containerServiceFile:      deploymentServices,
		LoggingHelpers:            deploymentLogging,
		NetworkDataLayouts:        []string{"routed.yaml", "openshift.yaml", "undercloud.yaml"},
		ConfigScript:              "common/container-puppet.py",
		RoleData: RoleData{
			PuppetTasks: "container_puppet_tasks", ConfigScripts: "container_config_scripts",
			Deprecated: map[string]string{"docker_puppet_tasks": "container_puppet_tasks"},
			RoleKeys: keys(commonRoleKeys, "fast_forward_upgrade_tasks", "fast_forward_post_upgrade_tasks",
				"external_update_tasks", "external_upgrade_tasks", "ansible_group_vars",
				"container_config_scripts", "container_puppet_tasks"),
			ServiceNameTasks: true,
		},
		Params: Params{ImagePrefix: "Docker", Service: serviceParams, ConfigImageCamelCase: camelRocky},
		Containers: Containers{DefaultCli: "podman",
			Paunch: map[string]string{"docker": "stein-eol", "podman": "stein-eol"}},
		Node: steinNode(),
	},
	{
		Name: "train", Heat: "Heat 13 (train)",
		TemplateVersion: "rocky", NewestTemplateVersion: "2018-08-31",
		ServiceDirs:          []string{"deployment", "extraconfig/services"},
		containerServiceFile: deploymentServices,
		LoggingHelpers:       deploymentLogging,
		NetworkDataLayouts:   []string{"routed.yaml", "undercloud.yaml"},
		ConfigScript:         "common/container-puppet.py",
		RoleData: RoleData{
			PuppetTasks: "container_puppet_tasks", ConfigScripts: "container_config_scripts",
			Deprecated: map[string]string{"docker_puppet_tasks": "container_puppet_tasks"},
			RoleKeys: keys(commonRoleKeys, "external_update_tasks", "external_upgrade_tasks",
				"ansible_group_vars", "scale_tasks", "keystone_resources",
				"container_config_scripts", "container_puppet_tasks"),
			ServiceNameTasks: true,
		},
		Params: Params{ImagePrefix: "Container", Service: serviceParams, ConfigImageCamelCase: camelQueens},
		Containers: Containers{DefaultCli: "podman", EnvironmentMap: true,
			Paunch: map[string]string{"docker": "ussuri-eol", "podman": "ussuri-eol"}},
		Node: trainNode(),
	},
}

// All returns the supported releases, oldest first.
func All() []*Release { return slices.Clone(table) }

// Names lists the supported releases' names, oldest first.
func Names() []string {
	out := make([]string, len(table))
	for i, r := range table {
		out[i] = r.Name
	}
	return out
}

// Supported is the supported range, for messages: "queens to train".
func Supported() string { return table[0].Name + " to " + table[len(table)-1].Name }

// Lookup returns the supported release named name.
func Lookup(name string) (*Release, bool) {
	for _, r := range table {
		if r.Name == name {
			return r, true
		}
	}
	return nil, false
}

// Default is the release assumed where nothing tells (a template read
// alone whose version every supported release accepts): the first one, the
// release hoist was built against.
func Default() *Release { return table[0] }

// Newest is the newest supported release.
func Newest() *Release { return table[len(table)-1] }

// Index is the release's place in the series (queens 0, rocky 1, ...), for
// "from stein on" comparisons.
func (r *Release) Index() int { return slices.Index(Names(), r.Name) }

// AtLeast reports whether r is name or a later release.
func (r *Release) AtLeast(name string) bool {
	i := slices.Index(Names(), name)
	if i < 0 {
		panic("release: unknown release " + name)
	}
	return r.Index() >= i
}

// String returns the name.
func (r *Release) String() string { return r.Name }

// IsContainerServiceFile tells whether path (slash-separated, relative to
// the tree's root) lies where the release keeps its container service
// templates.
func (r *Release) IsContainerServiceFile(path string) bool {
	return r.containerServiceFile != nil && r.containerServiceFile(path)
}

// IsServiceFile tells whether path lies in one of the release's service
// folders.
func (r *Release) IsServiceFile(path string) bool {
	for _, d := range r.ServiceDirs {
		if strings.HasPrefix(path, d+"/") {
			return true
		}
	}
	return false
}

// PuppetTasksKeys are the role_data keys of puppet tasks the release
// reads, its own first.
func (r *Release) PuppetTasksKeys() []string {
	out := []string{r.RoleData.PuppetTasks}
	for old, now := range r.RoleData.Deprecated {
		if now == r.RoleData.PuppetTasks {
			out = append(out, old)
		}
	}
	return out
}

// AcceptsTemplateVersion tells whether the release's Heat accepts a
// heat_template_version given as a date (aliases resolved by the caller):
// every version up to NewestTemplateVersion.
func (r *Release) AcceptsTemplateVersion(date string) bool {
	return date <= r.NewestTemplateVersion
}
