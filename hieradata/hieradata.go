// Package hieradata computes a deployment's hieradata from its plan: what
// puppet/role.role.j2.yaml's hiera StructuredConfig and
// puppet/all-nodes-config.j2.yaml wrote to /etc/puppet/hieradata (tht.md
// §6.3), computed the way overcloud.j2.yaml computed their inputs: the
// files every node of a role shares (service_configs, service_names,
// bootstrap_node, all_nodes, vip_data, extraconfig, <role>_extraconfig)
// and each node's own (<role>.json, or train's cloud_domain.json and
// fqdn.json, and net_ip_map.json with the node's addresses). emit writes
// them; it computes none of them.
package hieradata

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

// Rule is the rule id of the diagnostic about hieradata that cannot be
// computed (a role whose merged service_config_settings is unset).
const Rule = "emit/hieradata"

// File is one hieradata file: its name without .json, and its content.
type File struct {
	Name string
	Data *value.Value
}

// Hiera is a deployment's hieradata. Role and Node may be called
// concurrently.
type Hiera struct {
	b *builder
	g *global
}

// New computes what every role's hieradata shares. An error diagnostic
// means the hieradata cannot be written.
func New(p *plan.Plan) (*Hiera, []*diag.Diagnostic) {
	b := &builder{p: p, d: p.Deployment}
	g := b.global()
	return &Hiera{b: b, g: g}, b.diags
}

// Role returns the hieradata files every node of the role shares.
func (h *Hiera) Role(rp *plan.RolePlan) []File { return h.b.roleHiera(rp, h.g) }

// Node returns the node's own hieradata files.
func (h *Hiera) Node(rp *plan.RolePlan, n model.Node) []File { return h.b.nodeHiera(rp, n, h.g) }

// builder computes the hieradata; only global (through serviceConfigs)
// adds diagnostics, so the per-role and per-node methods are safe for
// concurrent use.
type builder struct {
	p     *plan.Plan
	d     *model.Deployment
	diags []*diag.Diagnostic
}

// global holds what every role's hieradata shares.
type global struct {
	snm      *value.Mapping // service_net_map_lower
	allNodes *value.Value
	vipData  *value.Value
	// configs is each role's service_configs, by role name.
	configs map[string]*value.Value
}

func unknown(format string, args ...any) *value.Value {
	return value.NewUnknown(fmt.Sprintf(format, args...), source.Range{})
}

// param returns a parameter's value, or def as a string.
func (b *builder) param(name, def string) *value.Value {
	return b.d.Param(name, value.Text(def))
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

	an := value.NewObject()
	an.Set("enabled_services", value.Texts(all))
	for _, s := range all {
		an.Set(s+"_enabled", value.Text("true"))
	}
	for _, s := range all {
		if n, ok := netOf(s); ok {
			an.Set(s+"_network", value.Text(n))
		}
	}
	for _, k := range []string{"keystone_admin_api_network", "keystone_public_api_network"} {
		v, ok := g.snm.Get(k)
		if !ok {
			v = value.Text("")
		}
		an.Set(k, v)
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
					vs = append(vs, value.Text(fqdn(node.Hostname, n, nets, domain)))
				}
				group(&names, s+"_node_names", vs)
			}
			if len(rp.Nodes) > 0 {
				var vs []*value.Value
				for _, node := range rp.Nodes {
					vs = append(vs, value.Text(node.Hostname))
				}
				group(&short, s+"_short_node_names", vs)
			}
		}
	}
	for _, m := range []*merged{&ips, &names, &short} {
		for _, k := range m.keys {
			an.Set(k, value.Sequence(m.vals[k]))
		}
	}
	// train's all_nodes template sorts a service's hosts before taking the
	// first; earlier releases took the first host of the first role.
	bootServices, boot := b.p.ServiceBootstraps(enabledServices)
	for _, s := range bootServices {
		an.Set(s+"_short_bootstrap_node_name", value.Text(boot[s]))
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
		an.Set("controller_node_ips", unknown("the ctlplane IP addresses of the %s nodes, joined with ',': %s", primary.Role.Name, cunknown.Str))
	} else {
		an.Set("controller_node_ips", value.Text(strings.Join(cips, ",")))
	}
	var cn []string
	if primary != nil {
		for _, n := range primary.Nodes {
			cn = append(cn, n.Hostname)
		}
	}
	an.Set("controller_node_names", value.Text(strings.Join(cn, ",")))
	an.Set("deploy_identifier", b.param("DeployIdentifier", ""))
	an.Set("update_identifier", b.param("UpdateIdentifier", ""))
	an.Set("stack_action", b.param("StackAction", "CREATE"))
	an.Set("stack_update_type", b.param("StackUpdateType", ""))
	if b.d.Rel().Node.Hiera.ContainerCli {
		an.Set("container_cli", value.Text(b.d.ContainerCli()))
	}
	g.allNodes = an.Value()

	// vip_data.
	vip := b.vip
	vd := value.NewObject()
	for _, s := range all {
		if n, ok := netOf(s); ok && (n == "ctlplane" || nets[n] != "") {
			vd.Set(s+"_vip", vip(n))
		}
	}
	for _, k := range []string{"keystone_admin_api", "keystone_public_api"} {
		if v, ok := g.snm.Get(k + "_network"); ok && v.Kind == value.String {
			vd.Set(k+"_vip", vip(v.Str))
		} else {
			vd.Set(k+"_vip", value.Text(""))
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
	vd.Set("public_virtual_ip", vip(external))
	vd.Set("controller_virtual_ip", vip("ctlplane"))
	if internal != "" {
		vd.Set("internal_api_virtual_ip", vip(internal))
	}
	nvi := value.NewObject()
	for i, n := range b.d.Networks {
		if n.VIP && n.Name != "External" && n.Name != "StorageNFS" {
			e := value.NewObject()
			e.Set("ip_address", vip(n.NameLower))
			e.Set("index", value.NewInt(int64(i+1), source.Range{}))
			nvi.Set(n.NameLower, e.Value())
		}
	}
	vd.Set("network_virtual_ips", nvi.Value())
	vd.Set("redis_vip", vip("redis"))
	for _, n := range b.d.Networks {
		if n.Name == "StorageNFS" {
			vd.Set("ganesha_vip", vip(n.NameLower))
		}
	}
	vd.Set("tripleo::haproxy::public_virtual_ip", vip(external))
	vd.Set("tripleo::haproxy::controller_virtual_ip", vip("ctlplane"))
	vd.Set("tripleo::keepalived::public_virtual_ip", vip(external))
	vd.Set("tripleo::keepalived::controller_virtual_ip", vip("ctlplane"))
	vd.Set("tripleo::keepalived::redis_virtual_ip", vip("redis"))
	vd.Set("tripleo::redis_notification::haproxy_monitor_ip", vip("ctlplane"))
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
		vd.Set("cloud_name_"+n.NameLower, b.param(p, def))
	}
	vd.Set("cloud_name_ctlplane", b.param("CloudNameCtlplane", "overcloud.ctlplane.localdomain"))
	vd.Set("enable_internal_tls", b.d.Param("EnableInternalTLS", value.NewBool(false, source.Range{})))
	g.vipData = vd.Value()

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
	b.diags = append(b.diags, diag.Newf(diag.Error, Rule, r.Range,
		"role %s: its hiera was not merged from the roles' service_config_settings (model.Role.ConfigSettings is unset: build the plan from deploy.Deployment.Model or pipeline.MergeHiera)", r.Name))
	return value.NewMap(nil, source.Range{})
}

// roleHiera are the hieradata files every node of the role shares.
func (b *builder) roleHiera(rp *plan.RolePlan, g *global) []File {
	r := rp.Role
	h := b.d.Rel().Node.Hiera
	lower := strings.ToLower(r.Name)
	sn := value.NewObject()
	services := rp.Services
	if h.KeystoneAPIServiceNames && slices.Contains(services, "keystone") {
		services = enabledServices(services)
	}
	sn.Set("service_names", value.Texts(services))
	ms := r.Key("monitoring_subscriptions")
	if ms == nil {
		ms = value.Sequence(nil)
	}
	if h.SensuSubscriptions {
		sn.Set("sensu::subscriptions", ms)
	}

	bn := value.NewObject()
	if len(rp.Nodes) > 0 {
		bn.Set("bootstrap_nodeid", value.Text(rp.Nodes[0].Hostname))
		if h.BootstrapNodeIP {
			bn.Set("bootstrap_nodeid_ip", b.nodeIP(r, rp.Nodes[0], "ctlplane"))
		}
	}
	empty := value.NewMap(nil, source.Range{})
	roleExtra := b.d.Param(r.Name+"ExtraConfig", empty)
	if !h.SensuSubscriptions {
		// train: map_merge of the sensubility subscriptions and
		// <Role>ExtraConfig (overcloud.j2.yaml:592-600).
		m := value.NewObject()
		m.Set("tripleo::profile::base::metrics::collectd::sensubility::subscriptions", ms)
		if roleExtra.Kind == value.Map {
			for _, e := range roleExtra.Map.Entries() {
				m.Mapping().Set(e.Key, e.Val)
			}
		}
		roleExtra = value.NewMap(m.Mapping(), roleExtra.Range)
	}
	return []File{
		{"service_configs", g.configs[r.Name]},
		{"service_names", sn.Value()},
		{"bootstrap_node", bn.Value()},
		{"all_nodes", g.allNodes},
		{"vip_data", g.vipData},
		{"extraconfig", b.d.Param("ExtraConfig", empty)},
		{strings.ReplaceAll(b.d.Rel().Node.RoleExtraConfigFile, "%s", lower), roleExtra},
	}
}

// nodeHiera are the node's own hieradata: <role>.json (train:
// cloud_domain.json and fqdn.json) and net_ip_map.json.
func (b *builder) nodeHiera(rp *plan.RolePlan, n model.Node, g *global) []File {
	r := rp.Role
	h := b.d.Rel().Node.Hiera
	domain := value.Str(b.param("CloudDomain", "localdomain"))
	nets := b.networks()
	rm := value.NewObject()
	if h.EnableUpgrade {
		rm.Set("tripleo::packages::enable_upgrade", value.NewBool(false, source.Range{}))
	}
	if h.Fluentd {
		for _, k := range [][2]string{{"logging_sources", "fluentd_sources"}, {"logging_groups", "fluentd_groups"}} {
			v := r.Key(k[0])
			if v == nil {
				v = value.Sequence(nil)
			}
			rm.Set("tripleo::profile::base::logging::fluentd::"+k[1], v)
		}
	}
	cd := value.NewObject()
	cd.Set("tripleo::clouddomain", value.Text(domain))
	fq := value.NewObject()
	for _, nl := range b.roleNetworks(r) {
		fq.Set("fqdn_"+nl, value.Text(fqdn(n.Hostname, nl, nets, domain)))
	}
	fq.Set("fqdn_ctlplane", value.Text(fqdn(n.Hostname, "ctlplane", nets, domain)))
	fq.Set("fqdn_canonical", value.Text(fqdn(n.Hostname, "canonical", nets, domain)))

	ip := value.NewObject()
	all := []string{"ctlplane"}
	for _, nw := range b.d.Networks {
		all = append(all, nw.NameLower)
	}
	addr := map[string]*value.Value{}
	for _, net := range all {
		addr[net] = b.nodeIP(r, n, net)
		ip.Set(net, addr[net])
	}
	for _, net := range all {
		ip.Set(net+"_subnet", b.withPrefix(addr[net], net))
	}
	for _, net := range all {
		ip.Set(net+"_uri", uri(addr[net]))
	}
	if h.SplitNodeFile {
		return []File{{"cloud_domain", cd.Value()}, {"fqdn", fq.Value()}, {"net_ip_map", ip.Value()}}
	}
	for _, e := range cd.Mapping().Entries() {
		rm.Mapping().Set(e.Key, e.Val)
	}
	for _, e := range fq.Mapping().Entries() {
		rm.Mapping().Set(e.Key, e.Val)
	}
	return []File{
		{strings.ToLower(r.Name), rm.Value()},
		{"net_ip_map", ip.Value()},
	}
}
