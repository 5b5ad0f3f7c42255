package plan

import (
	"slices"

	"hoist/compiler/deploy"
	"hoist/value"
)

// hieraParameters are the overcloud parameters the hieradata read.
var hieraParameters = []string{
	"CloudDomain", "DeployIdentifier", "UpdateIdentifier", "StackUpdateType", "EnableInternalTLS",
	"CloudName", "CloudNameInternal", "CloudNameStorage", "CloudNameStorageManagement", "CloudNameCtlplane",
	"CloudNameManagement", "CloudNameTenant", "CloudNameStorageNFS",
}

// environmentParameters are the parameters the plan reads from the
// environments even where no template of the tree declares them, besides
// <Network>VirtualFixedIPs and <Role>IPs (EnvironmentParameters).
var environmentParameters = []string{"ControlFixedIPs", "PublicVirtualFixedIPs", "RedisVirtualFixedIPs", "ControlPlaneSubnetCidr", "ContainerCli"}

// EnvironmentParameters lists the parameters the plan reads from a
// deployment's environments whether or not a template declares them (the
// predictable IPs, the virtual IPs), for the roles and networks given: a
// setting of one of them is read by hoist build.
func EnvironmentParameters(roles, networks []string) []string {
	out := append([]string(nil), environmentParameters...)
	for _, n := range networks {
		out = append(out, n+"VirtualFixedIPs")
	}
	for _, r := range roles {
		out = append(out, r+"IPs")
	}
	return out
}

// FromCompile is the plan's view of a compiled deployment.
func FromCompile(c *deploy.Deployment) *Deployment {
	d := &Deployment{Name: c.Name, Parameters: map[string]*value.Value{}, Root: c.Templates, Release: c.Release}
	// param is a parameter of overcloud.yaml, or one that only nested
	// templates declare (<Role>IPs, the VIP ports' *VirtualFixedIPs) as the
	// environments give it.
	param := func(name string) *value.Value {
		if v := c.Param(name); v != nil {
			return v
		}
		for _, sec := range []*value.Mapping{c.Env.Parameters(), c.Env.ParameterDefaults()} {
			if sec == nil {
				continue
			}
			if v, ok := sec.Get(name); ok {
				return v
			}
		}
		return nil
	}
	for _, n := range listOf(c.Networks) {
		if en := value.Get(n, "enabled"); en != nil && en.Kind == value.Bool && !en.Bool {
			continue
		}
		nw := Network{}
		nw.Name, _ = value.StringOf(value.Get(n, "name"))
		nw.NameLower, _ = value.StringOf(value.Get(n, "name_lower"))
		if nw.NameLower == "" {
			nw.NameLower = lower(nw.Name)
		}
		if v := value.Get(n, "vip"); v != nil && v.Kind == value.Bool {
			nw.VIP = v.Bool
		}
		nw.IPSubnet, _ = value.StringOf(value.Get(n, "ip_subnet"))
		d.Networks = append(d.Networks, nw)
	}
	for _, name := range hieraParameters {
		if v := c.Param(name); v != nil {
			d.Parameters[name] = v
		}
	}
	// The predictable IPs of the nodes and the virtual IPs.
	for _, name := range environmentParameters {
		if v := param(name); v != nil {
			d.Parameters[name] = v
		}
	}
	for _, nw := range d.Networks {
		if v := param(nw.Name + "VirtualFixedIPs"); v != nil {
			d.Parameters[nw.Name+"VirtualFixedIPs"] = v
		}
	}
	for _, r := range c.Roles {
		if v := param(r.Name + "IPs"); v != nil {
			d.Parameters[r.Name+"IPs"] = v
		}
	}
	if c.ExtraConfig != nil {
		d.Parameters["ExtraConfig"] = c.ExtraConfig
	}

	secretParams := map[string]bool{}
	addSecret := func(v *value.Value) {
		if s, ok := value.StringOf(v); ok && s != "" && !slices.Contains(d.Secrets, s) {
			d.Secrets = append(d.Secrets, s)
		}
	}
	for _, m := range c.Missing {
		if IsSecretParameter(m.Name, m.Hidden) {
			secretParams[m.Name] = true
		}
	}
	for _, sec := range []*value.Mapping{c.Env.Parameters(), c.Env.ParameterDefaults()} {
		if sec == nil {
			continue
		}
		for _, e := range sec.Entries() {
			name := value.Str(e.Key)
			if IsSecretParameter(name, false) {
				secretParams[name] = true
				addSecret(e.Val)
			}
		}
	}
	for _, r := range c.Roles {
		pr := &Role{
			Name: r.Name, Count: r.Count, HostnameFormat: r.HostnameFormat, Hostnames: r.Hostnames(),
			Networks: r.Networks, Tags: r.Tags, Data: r.Data, ConfigSettings: r.ServiceConfigs,
		}
		if r.Spec != nil {
			pr.Range = r.Spec.Range
		}
		if d.ServiceNetMap == nil {
			d.ServiceNetMap = r.Input("ServiceNetMap")
		}
		// DefaultPasswords holds the generated passwords the services read.
		if dp := r.Input("DefaultPasswords"); dp != nil && dp.Kind == value.Map {
			for _, e := range dp.Map.Entries() {
				addSecret(e.Val)
			}
		}
		if r.ExtraConfig != nil {
			d.Parameters[r.Name+"ExtraConfig"] = r.ExtraConfig
		}
		for _, s := range r.Services {
			if !s.Enabled() {
				continue
			}
			n, _ := value.StringOf(value.Get(s.Data, "service_name"))
			pr.Services = append(pr.Services, Service{Name: n, Data: s.Data})
		}
		d.Roles = append(d.Roles, pr)
	}
	for p := range secretParams {
		d.SecretParameters = append(d.SecretParameters, p)
	}
	slices.Sort(d.SecretParameters)
	return d
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
