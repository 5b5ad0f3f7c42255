package deploy

import (
	"slices"

	"hoist/model"
	"hoist/value"
)

// Model is the compiled deployment as every later stage reads it: what
// plan.Build, the plan rules and emit need of it. The compiler makes it
// once; values keep their template ranges.
func (c *Deployment) Model() *model.Deployment {
	d := &model.Deployment{Name: c.Name, Parameters: map[string]*value.Value{}, Root: c.Templates, Release: c.Release}
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
	for _, n := range value.ItemsOf(c.Networks) {
		if en := value.Get(n, "enabled"); en != nil && en.Kind == value.Bool && !en.Bool {
			continue
		}
		nw := model.Network{}
		nw.Name, _ = value.StringOf(value.Get(n, "name"))
		nw.NameLower, _ = value.StringOf(value.Get(n, "name_lower"))
		if nw.NameLower == "" {
			nw.NameLower = asciiLower(nw.Name)
		}
		if v := value.Get(n, "vip"); v != nil && v.Kind == value.Bool {
			nw.VIP = v.Bool
		}
		nw.IPSubnet, _ = value.StringOf(value.Get(n, "ip_subnet"))
		d.Networks = append(d.Networks, nw)
	}
	for _, name := range model.HieraParameters() {
		if v := c.Param(name); v != nil {
			d.Parameters[name] = v
		}
	}
	// The predictable IPs of the nodes and the virtual IPs.
	for _, name := range model.EnvironmentParameters(nil, nil) {
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
		if model.IsSecretParameter(m.Name, m.Hidden) {
			secretParams[m.Name] = true
		}
	}
	for _, sec := range []*value.Mapping{c.Env.Parameters(), c.Env.ParameterDefaults()} {
		if sec == nil {
			continue
		}
		for _, e := range sec.Entries() {
			name := value.Str(e.Key)
			if model.IsSecretParameter(name, false) {
				secretParams[name] = true
				addSecret(e.Val)
			}
		}
	}
	for _, r := range c.Roles {
		pr := &model.Role{
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
			pr.Services = append(pr.Services, model.Service{Name: n, Data: s.Data})
		}
		d.Roles = append(d.Roles, pr)
	}
	for p := range secretParams {
		d.SecretParameters = append(d.SecretParameters, p)
	}
	slices.Sort(d.SecretParameters)
	return d
}

// asciiLower lowers the ASCII letters of a network name, as THT's
// network_data name_lower default does.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
