package model

import (
	"path/filepath"
	"strings"

	"hoist/release"
	"hoist/source"
	"hoist/value"
)

// Deployment is a deployment as the stages after the compiler read it:
// the roles with their aggregated role data (the outputs of
// common/services/role.role.j2.yaml, values carrying the template ranges
// they came from), the counts and hostname formats, the networks and the
// few parameters the hieradata read. deploy.Deployment.Model makes one from
// a compiled deployment, FromRoleData from a role-data document; plan,
// lint's plan rules and emit read it.
type Deployment struct {
	// Name is the stack name: %stackname% in hostname formats.
	Name string
	// Roles are the deployment's roles in roles_data order.
	Roles []*Role
	// Networks are network_data's networks (for the hieradata's fqdn_*
	// keys and the network maps). Disabled networks are left out.
	Networks []Network
	// ServiceNetMap is the ServiceNetMap parameter as overcloud.yaml
	// computed it (CamelCase keys: KeystoneAdminApiNetwork), or nil.
	ServiceNetMap *value.Value
	// Parameters holds the values of the overcloud parameters the
	// hieradata read (CloudDomain, ExtraConfig, <Role>ExtraConfig,
	// DeployIdentifier, UpdateIdentifier, StackAction, StackUpdateType,
	// EnableInternalTLS, CloudName...). A parameter absent here takes
	// overcloud.yaml's default.
	Parameters map[string]*value.Value
	// Secrets are the values of secret parameters (passwords, keys):
	// a file that holds one is written with mode 0600.
	Secrets []string
	// SecretParameters are the names of the secret parameters: an
	// unknown value whose reason names one makes its file secret too.
	SecretParameters []string
	// Root is the templates' folder (absolute): the positions the plan and
	// the manifest write are relative to it, so that a tree does not
	// depend on where the templates are. "" writes them as they are.
	Root string
	// Release is the TripleO release the deployment is of: it says which
	// role_data keys hold what, and what the deploy steps do and write on
	// a node. nil is release.Default() (queens).
	Release *release.Release
}

// Rel returns the deployment's release (release.Default() when unset).
func (d *Deployment) Rel() *release.Release {
	if d == nil || d.Release == nil {
		return release.Default()
	}
	return d.Release
}

// ContainerCli is the container runtime the deployment's nodes run: the
// ContainerCli parameter (stein and train declare it, and
// environments/docker.yaml sets docker), else the release's default.
func (d *Deployment) ContainerCli() string {
	if v := d.Param("ContainerCli", nil); v != nil && v.Kind == value.String && v.Str != "" {
		return v.Str
	}
	return d.Rel().Containers.DefaultCli
}

// Where renders a position for the plan and the manifest: file:line:col,
// the file relative to Root when it is inside it; "" for no position.
func (d *Deployment) Where(r source.Range) string {
	if r.IsZero() {
		return ""
	}
	if d != nil && d.Root != "" {
		if rel, err := filepath.Rel(d.Root, r.File); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel) {
			r.File = filepath.ToSlash(rel)
		}
	}
	return r.String()
}

// Role is one role of a deployment.
type Role struct {
	// Name is the role's name (Controller).
	Name string
	// Count is the number of nodes (<Role>Count).
	Count int
	// HostnameFormat is <Role>HostnameFormat: the role's
	// HostnameFormatDefault, or "" for TripleO's default
	// %stackname%-<role>-%index%.
	HostnameFormat string
	// Hostnames, when it has Count names, gives the nodes' hostnames (the
	// compile applies the HostnameMap parameter); otherwise they come from
	// HostnameFormat.
	Hostnames []string
	// Networks are the role's networks (roles_data `networks`).
	Networks []string
	// Tags are the role's tags (roles_data `tags`).
	Tags []string
	// Data is the role's aggregated role data: a map with the outputs of
	// common/services/role.role.j2.yaml (service_names, docker_config,
	// kolla_config, puppet_config, ...).
	Data *value.Value
	// Services are the role data of each enabled service, in Services
	// order, when known: they let the plan tell which containers several
	// services define (plan/container-merged). May be nil.
	Services []Service
	// ConfigSettings is <Role>ServiceConfigSettings as overcloud.yaml
	// computes it (the role's config_settings, every role's
	// global_config_settings, and the service_config_settings of the
	// role's services across roles), or nil to let the emitter compute it
	// from the roles' data.
	ConfigSettings *value.Value
	// Range is where the role is declared, for diagnostics about the role
	// itself.
	Range source.Range
	// Path is where Data sits in its document, when the role data was read
	// from one document (a role-data dump); nil when values come from the
	// templates.
	Path value.Path
}

// Service is one service's role data in a role.
type Service struct {
	// Name is its service_name.
	Name string
	// Data is its role_data.
	Data *value.Value
	// Path is where Data sits in its document, or nil.
	Path value.Path
}

// Network is one network of network_data.
type Network struct {
	// Name is the network's name (InternalApi); NameLower its name_lower
	// (internal_api).
	Name, NameLower string
	// VIP tells whether the network has a virtual IP.
	VIP bool
	// IPSubnet is its ip_subnet (172.16.2.0/24), or "".
	IPSubnet string
}

// Key returns the role data's value under k, or nil.
func (r *Role) Key(k string) *value.Value { return value.Get(r.Data, k) }

// PuppetTasks returns the role's one-shot puppet tasks ({step_N: [entry]})
// under the release's key (docker_puppet_tasks, container_puppet_tasks),
// else under a key the release still reads (stein and train read
// docker_puppet_tasks), and the key it was found under.
func (r *Role) PuppetTasks(rel *release.Release) (*value.Value, string) {
	for _, k := range rel.PuppetTasksKeys() {
		if v := r.Key(k); v != nil {
			return v, k
		}
	}
	return nil, rel.RoleData.PuppetTasks
}

// ConfigScripts returns the role's config scripts under the release's key
// (docker_config_scripts, container_config_scripts) and that key.
func (r *Role) ConfigScripts(rel *release.Release) (*value.Value, string) {
	return r.Key(rel.RoleData.ConfigScripts), rel.RoleData.ConfigScripts
}

// Param returns the deployment's value of parameter name, or def when it
// has none.
func (d *Deployment) Param(name string, def *value.Value) *value.Value {
	if v, ok := d.Parameters[name]; ok && v != nil {
		return v
	}
	return def
}

// aggregateKeys are keys only a role's aggregated role data has (the
// outputs of common/services/role.role.j2.yaml).
var aggregateKeys = []string{"service_names", "docker_config", "kolla_config", "puppet_config", "docker_puppet_tasks", "container_puppet_tasks", "step_config", "config_settings"}

// FromRoleData reads a role-data document, the form `hoist build --dump
// role-data` prints: {"roles": {"<Role>": {role data}}}, each role's
// object holding the keys of role.role.j2.yaml's outputs. A top-level
// "services" map may give, per role, the list of its services' role_data
// in Services order ({"services": {"<Role>": [{service_name: ...}, ...]}}),
// which lets the plan tell which containers several services define.
//
// Each role gets one node. ok is false when root is not such a document.
func FromRoleData(root *value.Value) (d *Deployment, ok bool) {
	roles := value.Get(root, "roles")
	if roles == nil || roles.Kind != value.Map || roles.Map.Len() == 0 {
		return nil, false
	}
	for _, e := range roles.Map.Entries() {
		if e.Val == nil || e.Val.Kind != value.Map {
			return nil, false
		}
		found := false
		for _, k := range aggregateKeys {
			found = found || e.Val.Map.Has(k)
		}
		if !found {
			return nil, false
		}
	}
	services := value.Get(root, "services")
	d = &Deployment{Name: "overcloud"}
	for _, e := range roles.Map.Entries() {
		name := value.Str(e.Key)
		r := &Role{Name: name, Count: 1, Data: e.Val, Range: e.Key.Range, Path: value.Path{}.Key("roles").Key(name)}
		for i, s := range value.ItemsOf(value.Get(services, name)) {
			n, _ := value.StringOf(value.Get(s, "service_name"))
			r.Services = append(r.Services, Service{Name: n, Data: s, Path: value.Path{}.Key("services").Key(name).Index(i)})
		}
		d.Roles = append(d.Roles, r)
	}
	return d, true
}
