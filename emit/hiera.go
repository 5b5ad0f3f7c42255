package emit

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"hoist/diag"
	"hoist/model"
	"hoist/plan"
	"hoist/source"
	"hoist/value"
)

// The hieradata: what puppet/role.role.j2.yaml's hiera StructuredConfig and
// puppet/all-nodes-config.j2.yaml wrote to /etc/puppet/hieradata (tht.md
// §6.3), computed the way overcloud.j2.yaml computed their inputs.

// hieraFile is one hieradata file, by its name without .json.
type hieraFile struct {
	name string
	v    *value.Value
}

// global holds what every role's hieradata shares.
type global struct {
	snm      *value.Mapping // service_net_map_lower
	allNodes *value.Value
	vipData  *value.Value
	// configs is each role's service_configs, by role name.
	configs map[string]*value.Value
}

func str(s string) *value.Value { return value.NewString(s, source.Range{}) }

func unknown(format string, args ...any) *value.Value {
	return value.NewUnknown(fmt.Sprintf(format, args...), source.Range{})
}

func list(items []*value.Value) *value.Value { return value.NewList(items, source.Range{}) }

func strList(ss []string) *value.Value {
	items := make([]*value.Value, len(ss))
	for i, s := range ss {
		items[i] = str(s)
	}
	return list(items)
}

type mapping struct{ m *value.Mapping }

func newMap() mapping                          { return mapping{value.NewMapping(8)} }
func (m mapping) set(k string, v *value.Value) { m.m.SetString(k, v) }
func (m mapping) value() *value.Value          { return value.NewMap(m.m, source.Range{}) }

// param returns a parameter's value, or def as a string.
func (b *builder) param(name, def string) *value.Value {
	return b.d.Param(name, str(def))
}

var camel = regexp.MustCompile(`([a-z0-9])([A-Z])`)

// lowerNetMap is network/service_net_map.j2.yaml's service_net_map_lower:
// HeatApiNetwork becomes heat_api_network.
func lowerNetMap(snm *value.Value) *value.Mapping {
	out := value.NewMapping(0)
	if snm == nil || snm.Kind != value.Map {
		return out
	}
	for _, e := range snm.Map.Entries() {
		out.SetString(strings.ToLower(camel.ReplaceAllString(value.Str(e.Key), "${1}_${2}")), e.Val)
	}
	return out
}

// nodeNetwork returns network name_lower → the suffix Heat put in the
// node's fqdn on that network (network.name.lower()).
func (b *builder) networks() map[string]string {
	out := map[string]string{}
	for _, n := range b.d.Networks {
		out[n.NameLower] = strings.ToLower(n.Name)
	}
	return out
}

// roleNetworks are the name_lower of the role's networks that are enabled.
func (b *builder) roleNetworks(r *model.Role) []string {
	var out []string
	for _, n := range b.d.Networks {
		for _, rn := range r.Networks {
			if rn == n.Name {
				out = append(out, n.NameLower)
			}
		}
	}
	return out
}

// enabledServices is EnabledServicesValue of net_ip_list_map: keystone
// adds keystone_admin_api and keystone_public_api.
func enabledServices(services []string) []string {
	var extra []string
	for _, s := range services {
		if s == "keystone" {
			extra = append(extra, "keystone_admin_api", "keystone_public_api")
		}
	}
	return append(extra, services...)
}

func (b *builder) global() *global {
	g := &global{snm: lowerNetMap(b.d.ServiceNetMap), configs: map[string]*value.Value{}}
	domain := value.Str(b.param("CloudDomain", "localdomain"))
	nets := b.networks()

	var all []string
	seen := map[string]bool{}
	for _, rp := range b.p.Roles {
		for _, s := range rp.Services {
			if !seen[s] {
				seen[s] = true
				all = append(all, s)
			}
		}
	}
	netOf := func(s string) (string, bool) {
		v, ok := g.snm.Get(s + "_network")
		if !ok || v.Kind != value.String || strings.HasSuffix(v.Str, "_network") {
			return "", false
		}
		return v.Str, true
	}

	an := newMap()
	an.set("enabled_services", strList(all))
	for _, s := range all {
		an.set(s+"_enabled", str("true"))
	}
	for _, s := range all {
		if n, ok := netOf(s); ok {
			an.set(s+"_network", str(n))
		}
	}
	for _, k := range []string{"keystone_admin_api_network", "keystone_public_api_network"} {
		v, ok := g.snm.Get(k)
		if !ok {
			v = str("")
		}
		an.set(k, v)
	}
	// service_ips, service_node_names, short_service_node_names,
	// short_service_bootstrap_node: per role, then merged across roles
	// (groupBy, flatten), in role order.
	type merged struct {
		keys []string
		vals map[string][]*value.Value
	}
	group := func(m *merged, k string, vs []*value.Value) {
		if m.vals == nil {
			m.vals = map[string][]*value.Value{}
		}
		if _, ok := m.vals[k]; !ok {
			m.keys = append(m.keys, k)
		}
		m.vals[k] = append(m.vals[k], vs...)
	}
	var ips, names, short merged
	for _, rp := range b.p.Roles {
		roleNets := map[string]bool{"ctlplane": true, "canonical": true}
		for _, n := range b.roleNetworks(rp.Role) {
			roleNets[n] = true
		}
		for _, s := range enabledServices(rp.Services) {
			n, ok := netOf(s)
			if ok && (n == "ctlplane" || nets[n] != "") {
				var vs []*value.Value
				for _, node := range rp.Nodes {
					vs = append(vs, b.nodeIP(rp.Role, node, n))
				}
				group(&ips, s+"_node_ips", vs)
			}
			if ok && roleNets[n] {
				var vs []*value.Value
				for _, node := range rp.Nodes {
					vs = append(vs, str(fqdn(node.Hostname, n, nets, domain)))
				}
				group(&names, s+"_node_names", vs)
			}
			if len(rp.Nodes) > 0 {
				var vs []*value.Value
				for _, node := range rp.Nodes {
					vs = append(vs, str(node.Hostname))
				}
				group(&short, s+"_short_node_names", vs)
			}
		}
	}
	for _, m := range []*merged{&ips, &names, &short} {
		for _, k := range m.keys {
			an.set(k, list(m.vals[k]))
		}
	}
	// train's all_nodes template sorts a service's hosts before taking the
	// first; earlier releases took the first host of the first role.
	bootServices, boot := b.p.ServiceBootstraps(enabledServices)
	for _, s := range bootServices {
		an.set(s+"_short_bootstrap_node_name", str(boot[s]))
	}
	primary := b.primaryRole()
	var cips []string
	var cunknown *value.Value
	if primary != nil {
		for _, n := range primary.Nodes {
			ip := b.nodeIP(primary.Role, n, "ctlplane")
			if ip.Kind != value.String {
				cunknown = ip
				break
			}
			cips = append(cips, ip.Str)
		}
	}
	if cunknown != nil {
		an.set("controller_node_ips", unknown("the ctlplane IP addresses of the %s nodes, joined with ',': %s", primary.Role.Name, cunknown.Str))
	} else {
		an.set("controller_node_ips", str(strings.Join(cips, ",")))
	}
	var cn []string
	if primary != nil {
		for _, n := range primary.Nodes {
			cn = append(cn, n.Hostname)
		}
	}
	an.set("controller_node_names", str(strings.Join(cn, ",")))
	an.set("deploy_identifier", b.param("DeployIdentifier", ""))
	an.set("update_identifier", b.param("UpdateIdentifier", ""))
	an.set("stack_action", b.param("StackAction", "CREATE"))
	an.set("stack_update_type", b.param("StackUpdateType", ""))
	if b.d.Rel().Node.Hiera.ContainerCli {
		an.set("container_cli", str(b.d.ContainerCli()))
	}
	g.allNodes = an.value()

	// vip_data.
	vip := b.vip
	vd := newMap()
	for _, s := range all {
		if n, ok := netOf(s); ok && (n == "ctlplane" || nets[n] != "") {
			vd.set(s+"_vip", vip(n))
		}
	}
	for _, k := range []string{"keystone_admin_api", "keystone_public_api"} {
		if v, ok := g.snm.Get(k + "_network"); ok && v.Kind == value.String {
			vd.set(k+"_vip", vip(v.Str))
		} else {
			vd.set(k+"_vip", str(""))
		}
	}
	external, internal := "", ""
	for _, n := range b.d.Networks {
		switch n.Name {
		case "External":
			external = n.NameLower
		case "InternalApi":
			internal = n.NameLower
		}
	}
	if external == "" {
		external = "external"
	}
	vd.set("public_virtual_ip", vip(external))
	vd.set("controller_virtual_ip", vip("ctlplane"))
	if internal != "" {
		vd.set("internal_api_virtual_ip", vip(internal))
	}
	nvi := newMap()
	for i, n := range b.d.Networks {
		if n.VIP && n.Name != "External" && n.Name != "StorageNFS" {
			e := newMap()
			e.set("ip_address", vip(n.NameLower))
			e.set("index", value.NewInt(int64(i+1), source.Range{}))
			nvi.set(n.NameLower, e.value())
		}
	}
	vd.set("network_virtual_ips", nvi.value())
	vd.set("redis_vip", vip("redis"))
	for _, n := range b.d.Networks {
		if n.Name == "StorageNFS" {
			vd.set("ganesha_vip", vip(n.NameLower))
		}
	}
	vd.set("tripleo::haproxy::public_virtual_ip", vip(external))
	vd.set("tripleo::haproxy::controller_virtual_ip", vip("ctlplane"))
	vd.set("tripleo::keepalived::public_virtual_ip", vip(external))
	vd.set("tripleo::keepalived::controller_virtual_ip", vip("ctlplane"))
	vd.set("tripleo::keepalived::redis_virtual_ip", vip("redis"))
	vd.set("tripleo::redis_notification::haproxy_monitor_ip", vip("ctlplane"))
	for _, n := range b.d.Networks {
		if !n.VIP {
			continue
		}
		p := "CloudName" + n.Name
		switch n.Name {
		case "External":
			p = "CloudName"
		case "InternalApi":
			p = "CloudNameInternal"
		case "StorageMgmt":
			p = "CloudNameStorageManagement"
		}
		def := "overcloud." + strings.ToLower(n.Name) + ".localdomain"
		if n.Name == "External" {
			def = "overcloud.localdomain"
		}
		vd.set("cloud_name_"+n.NameLower, b.param(p, def))
	}
	vd.set("cloud_name_ctlplane", b.param("CloudNameCtlplane", "overcloud.ctlplane.localdomain"))
	vd.set("enable_internal_tls", b.d.Param("EnableInternalTLS", value.NewBool(false, source.Range{})))
	g.vipData = vd.value()

	for _, rp := range b.p.Roles {
		g.configs[rp.Role.Name] = b.serviceConfigs(rp)
	}
	return g
}

// fqdn is a node's name on a network: NetHostMap's fqdn.
func fqdn(host, net string, nets map[string]string, domain string) string {
	switch net {
	case "ctlplane":
		return host + ".ctlplane." + domain
	case "canonical":
		return host + "." + domain
	}
	return host + "." + nets[net] + "." + domain
}

// primaryRole is the primary role (model.PrimaryRole).
func (b *builder) primaryRole() *plan.RolePlan {
	var tags [][]string
	for _, rp := range b.p.Roles {
		tags = append(tags, rp.Role.Tags)
	}
	if i := model.PrimaryRole(tags); i >= 0 {
		return b.p.Roles[i]
	}
	return nil
}

// serviceConfigs is <Role>ServiceConfigSettings: the role's
// config_settings, then every role's global_config_settings, then the
// service_config_settings of every role deep-merged and filtered to this
// role's services, as the compiler merged them (model.Role.ConfigSettings:
// the compiled deployment's Model, or pipeline.MergeHiera for a plan read from a
// role-data document). emit computes none of it.
func (b *builder) serviceConfigs(rp *plan.RolePlan) *value.Value {
	r := rp.Role
	if r.ConfigSettings != nil {
		return r.ConfigSettings
	}
	b.diags = append(b.diags, diag.Newf(diag.Error, RuleHieradata, r.Range,
		"role %s: its hiera was not merged from the roles' service_config_settings (model.Role.ConfigSettings is unset: build the plan from deploy.Deployment.Model or pipeline.MergeHiera)", r.Name))
	return value.NewMap(nil, source.Range{})
}

// roleHiera are the hieradata files every node of the role shares.
func (b *builder) roleHiera(rp *plan.RolePlan, g *global) []hieraFile {
	r := rp.Role
	h := b.d.Rel().Node.Hiera
	lower := strings.ToLower(r.Name)
	sn := newMap()
	services := rp.Services
	if h.KeystoneAPIServiceNames && slices.Contains(services, "keystone") {
		services = enabledServices(services)
	}
	sn.set("service_names", strList(services))
	ms := r.Key("monitoring_subscriptions")
	if ms == nil {
		ms = list(nil)
	}
	if h.SensuSubscriptions {
		sn.set("sensu::subscriptions", ms)
	}

	bn := newMap()
	if len(rp.Nodes) > 0 {
		bn.set("bootstrap_nodeid", str(rp.Nodes[0].Hostname))
		if h.BootstrapNodeIP {
			bn.set("bootstrap_nodeid_ip", b.nodeIP(r, rp.Nodes[0], "ctlplane"))
		}
	}
	empty := value.NewMap(nil, source.Range{})
	roleExtra := b.d.Param(r.Name+"ExtraConfig", empty)
	if !h.SensuSubscriptions {
		// train: map_merge of the sensubility subscriptions and
		// <Role>ExtraConfig (overcloud.j2.yaml:592-600).
		m := newMap()
		m.set("tripleo::profile::base::metrics::collectd::sensubility::subscriptions", ms)
		if roleExtra.Kind == value.Map {
			for _, e := range roleExtra.Map.Entries() {
				m.m.Set(e.Key, e.Val)
			}
		}
		roleExtra = value.NewMap(m.m, roleExtra.Range)
	}
	return []hieraFile{
		{"service_configs", g.configs[r.Name]},
		{"service_names", sn.value()},
		{"bootstrap_node", bn.value()},
		{"all_nodes", g.allNodes},
		{"vip_data", g.vipData},
		{"extraconfig", b.d.Param("ExtraConfig", empty)},
		{strings.ReplaceAll(b.d.Rel().Node.RoleExtraConfigFile, "%s", lower), roleExtra},
	}
}

// nodeHiera are the node's own hieradata: <role>.json (train:
// cloud_domain.json and fqdn.json) and net_ip_map.json.
func (b *builder) nodeHiera(rp *plan.RolePlan, n plan.Node, g *global) []hieraFile {
	r := rp.Role
	h := b.d.Rel().Node.Hiera
	domain := value.Str(b.param("CloudDomain", "localdomain"))
	nets := b.networks()
	rm := newMap()
	if h.EnableUpgrade {
		rm.set("tripleo::packages::enable_upgrade", value.NewBool(false, source.Range{}))
	}
	if h.Fluentd {
		for _, k := range [][2]string{{"logging_sources", "fluentd_sources"}, {"logging_groups", "fluentd_groups"}} {
			v := r.Key(k[0])
			if v == nil {
				v = list(nil)
			}
			rm.set("tripleo::profile::base::logging::fluentd::"+k[1], v)
		}
	}
	cd := newMap()
	cd.set("tripleo::clouddomain", str(domain))
	fq := newMap()
	for _, nl := range b.roleNetworks(r) {
		fq.set("fqdn_"+nl, str(fqdn(n.Hostname, nl, nets, domain)))
	}
	fq.set("fqdn_ctlplane", str(fqdn(n.Hostname, "ctlplane", nets, domain)))
	fq.set("fqdn_canonical", str(fqdn(n.Hostname, "canonical", nets, domain)))

	ip := newMap()
	all := []string{"ctlplane"}
	for _, nw := range b.d.Networks {
		all = append(all, nw.NameLower)
	}
	addr := map[string]*value.Value{}
	for _, net := range all {
		addr[net] = b.nodeIP(r, n, net)
		ip.set(net, addr[net])
	}
	for _, net := range all {
		ip.set(net+"_subnet", b.withPrefix(addr[net], net))
	}
	for _, net := range all {
		ip.set(net+"_uri", uri(addr[net]))
	}
	if h.SplitNodeFile {
		return []hieraFile{{"cloud_domain", cd.value()}, {"fqdn", fq.value()}, {"net_ip_map", ip.value()}}
	}
	for _, e := range cd.m.Entries() {
		rm.m.Set(e.Key, e.Val)
	}
	for _, e := range fq.m.Entries() {
		rm.m.Set(e.Key, e.Val)
	}
	return []hieraFile{
		{strings.ToLower(r.Name), rm.value()},
		{"net_ip_map", ip.value()},
	}
}

// hieraYAML is /etc/puppet/hiera.yaml: the release's hierarchy (queens
// puppet/role.role.j2.yaml's, "%s" the role's name in lower case), in
// hiera 3's form, as the hiera hook wrote it.
func hieraYAML(hierarchy []string, role string) string {
	lower := strings.ToLower(role)
	var b strings.Builder
	b.WriteString("---\n:backends:\n  - json\n:json:\n  :datadir: /etc/puppet/hieradata\n:hierarchy:\n")
	for _, l := range hierarchy {
		b.WriteString("  - " + strings.ReplaceAll(l, "%s", lower) + "\n")
	}
	b.WriteString(":merge_behavior: deeper\n")
	return b.String()
}
