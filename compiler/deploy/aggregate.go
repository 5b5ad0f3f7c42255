package deploy

import (
	"fmt"
	"strings"

	"hoist/compiler/yaql"
	"hoist/diag"
	"hoist/source"
	"hoist/value"
)

// RuleAggregate is the rule id of errors in merging the services of a role.
const RuleAggregate = "deploy/aggregate"

// TaskKeys are the role_data keys that hold Ansible task lists: the role's
// list is every service's list concatenated in service order, flattened,
// identical tasks kept once.
var TaskKeys = []string{
	"deploy_steps_tasks", "external_deploy_tasks", "external_post_deploy_tasks",
	"fast_forward_upgrade_tasks", "fast_forward_post_upgrade_tasks",
	"pre_upgrade_rolling_tasks", "upgrade_tasks", "post_upgrade_tasks",
	"update_tasks", "post_update_tasks", "upgrade_batch_tasks", "host_prep_tasks",
}

// RoleDataKeys are the keys of the role_data output of queens'
// common/services/role.role.j2.yaml, in the order it writes them.
var RoleDataKeys = []string{
	"service_names", "monitoring_subscriptions", "logging_sources", "logging_groups",
	"config_settings", "global_config_settings", "service_config_settings",
	"workflow_tasks", "step_config", "deploy_steps_tasks", "external_deploy_tasks",
	"external_post_deploy_tasks", "fast_forward_upgrade_tasks",
	"fast_forward_post_upgrade_tasks", "pre_upgrade_rolling_tasks", "upgrade_tasks",
	"post_upgrade_tasks", "update_tasks", "post_update_tasks", "upgrade_batch_tasks",
	"service_metadata_settings", "puppet_config", "kolla_config", "docker_config",
	"docker_config_scripts", "docker_puppet_tasks", "host_prep_tasks",
}

// Member is one entry of a role's service chain: the service type as
// listed and, unless the registry maps it to OS::Heat::None, the role_data
// its template computed.
type Member struct {
	// Type is the service type as listed, e.g. OS::TripleO::Services::Keystone.
	Type string
	// Data is the service's role_data output (a map), or nil for a service
	// mapped to OS::Heat::None (every attribute of which is null).
	Data *value.Value
}

// get returns role_data[key] as Heat's get_attr with a path does: null
// for a None member or a missing key.
func (m *Member) get(key string) *value.Value {
	if m.Data == nil || m.Data.Kind != value.Map {
		return nil
	}
	v, _ := m.Data.Map.Get(key)
	if v != nil && v.Kind == value.Null {
		return nil
	}
	return v
}

// name is how messages name the member: its service_name, else its type.
func (m *Member) name() string {
	if v := m.get("service_name"); v != nil && v.Kind == value.String {
		return v.Str
	}
	return m.Type
}

// AggregateInput is what the per-role merge reads besides the services:
// the other resources of common/services/role.role.j2.yaml.
type AggregateInput struct {
	// Members are the chain's members in Services order.
	Members []Member
	// CommonStep is the first item of step_config: puppet/manifests/
	// overcloud_common.pp with __ROLE__ replaced by the role name.
	CommonStep *value.Value
	// Logging are the outputs of OS::TripleO::LoggingConfiguration
	// (LoggingDefaultSources, LoggingExtraSources, LoggingDefaultGroups,
	// LoggingExtraGroups), any of them absent or null.
	Logging *value.Mapping
	// MetadataSettings is the metadata attribute of the role's
	// ServiceServerMetadataHook (null for OS::Heat::None).
	MetadataSettings *value.Value
	// At is where the result is said to come from (the role template).
	At source.Range
	// Provenance records on the result how each key was merged and which
	// service gave each value (value.Origin), for hoist why; Role names
	// the role there.
	Provenance bool
	Role       string
	// KeyAt, for provenance, is where the role template merges each
	// role_data key (its role_data output's entry); missing keys are At.
	KeyAt map[string]source.Range
}

// Aggregate merges the role_data of a role's services into the role's
// role_data, natively, by the rules of queens'
// common/services/role.role.j2.yaml (tht.md §6.2):
//
//   - service_names: the service_name of each enabled service;
//   - config_settings and global_config_settings: shallow merge, later
//     services win;
//   - service_config_settings, kolla_config, workflow_tasks, docker_config
//     and docker_config_scripts: yaql mergeWith, a deep merge where two
//     lists become distinct(a + b) and a later scalar wins;
//   - step_config: overcloud_common.pp, then the step_config of every
//     service without docker_config, joined by new lines;
//   - puppet_config: the list of the services' maps, duplicates dropped;
//   - docker_puppet_tasks: the entries of every service grouped by step;
//   - the task lists: concatenated, flattened, duplicates dropped;
//   - monitoring_subscriptions, logging_sources, logging_groups,
//     service_metadata_settings as the template builds them.
//
// Duplicates are found with Python's equality (1 = 1.0 = true). Where
// yaql would give up on a value only a live cloud knows (an unknown inside
// a list it de-duplicates or a map it merges), the native merge keeps the
// unknown where it is: two unknowns are the same value when they have the
// same reason (the same missing parameter), so the rest of the role's data
// stays known. On known values the result equals what Heat computes by
// evaluating the template (TestNativeEqualsTemplate).
func Aggregate(in AggregateInput) (*value.Value, error) {
	at := in.At
	out := value.NewMapping(len(RoleDataKeys))
	set := func(k string, v *value.Value) {
		if in.Provenance {
			v = v.WithOrigin(value.Origin{Kind: "aggregate", At: in.keyAt(k), Note: fmt.Sprintf("role %s's %s: %s", in.Role, k, aggregateRule(k))})
		}
		out.Set(value.NewString(k, at), v)
	}
	enabled := make([]*Member, 0, len(in.Members))
	for i := range in.Members {
		m := &in.Members[i]
		if m.Data == nil {
			continue
		}
		if m.Data.Kind != value.Map {
			return nil, aggErr(m.Data.Range, "the role_data of %s must be a map, not %s", m.Type, kindOf(m.Data))
		}
		enabled = append(enabled, m)
	}

	// service_names: filter [[null], get_attr [ServiceChain, role_data, service_name]]
	var names []*value.Value
	for _, m := range enabled {
		if v := m.get("service_name"); v != nil {
			names = append(names, v)
		}
	}
	set("service_names", value.NewList(names, at))

	set("monitoring_subscriptions", value.NewList(nonNull(enabled, "monitoring_subscription"), at))

	// logging_sources: [defaults, each service's logging_source, extras], flattened, nulls dropped.
	var src []*value.Value
	src = appendFlat(src, loggingOut(in.Logging, "LoggingDefaultSources"))
	src = appendFlat(src, nonNull(enabled, "logging_source")...)
	src = appendFlat(src, loggingOut(in.Logging, "LoggingExtraSources"))
	set("logging_sources", value.NewList(dropNull(src), at))

	// logging_groups: set((defaults + extras + each service's logging_groups).flatten()).where($)
	var grp []*value.Value
	grp = appendFlat(grp, listOrEmpty(loggingOut(in.Logging, "LoggingDefaultGroups"))...)
	grp = appendFlat(grp, listOrEmpty(loggingOut(in.Logging, "LoggingExtraGroups"))...)
	grp = appendFlat(grp, nonNull(enabled, "logging_groups")...)
	var groups []*value.Value
	for _, g := range distinct(grp) {
		if g.Kind == value.Unknown || value.Truthy(g) {
			groups = append(groups, g)
		}
	}
	set("logging_groups", value.NewList(groups, at))

	cs, err := shallowMerge(enabled, "config_settings", at, in.Provenance)
	if err != nil {
		return nil, err
	}
	set("config_settings", cs)
	gcs, err := shallowMerge(enabled, "global_config_settings", at, in.Provenance)
	if err != nil {
		return nil, err
	}
	set("global_config_settings", gcs)
	for _, k := range []string{"service_config_settings", "workflow_tasks"} {
		v, err := deepMerge(enabled, k, at, in.Provenance, in.Role, in.keyAt(k))
		if err != nil {
			return nil, err
		}
		set(k, v)
	}

	step, err := stepConfig(in, at)
	if err != nil {
		return nil, err
	}
	set("step_config", step)

	for _, k := range TaskKeys {
		if k == "host_prep_tasks" {
			continue // written last, where the template writes it
		}
		set(k, taskList(enabled, k, at))
	}
	md := in.MetadataSettings
	if md == nil {
		md = value.NewNull(at)
	}
	set("service_metadata_settings", md)

	set("puppet_config", value.NewList(distinct(nonNull(enabled, "puppet_config")), at))
	for _, k := range []string{"kolla_config", "docker_config", "docker_config_scripts"} {
		v, err := deepMerge(enabled, k, at, in.Provenance, in.Role, in.keyAt(k))
		if err != nil {
			return nil, err
		}
		set(k, v)
	}
	dpt, err := groupBySteps(enabled, at)
	if err != nil {
		return nil, err
	}
	set("docker_puppet_tasks", dpt)
	set("host_prep_tasks", taskList(enabled, "host_prep_tasks", at))
	return value.NewMap(out, at), nil
}

func aggErr(r source.Range, format string, args ...any) *diag.Diagnostic {
	return diag.Newf(diag.Error, RuleAggregate, r, format, args...)
}

func kindOf(v *value.Value) string { return value.KindOf(v).String() }

// nonNull is the list of each enabled service's role_data[key] that is
// not null.
func nonNull(ms []*Member, key string) []*value.Value {
	var out []*value.Value
	for _, m := range ms {
		if v := m.get(key); v != nil {
			out = append(out, v)
		}
	}
	return out
}

func loggingOut(m *value.Mapping, key string) *value.Value {
	v, _ := m.Get(key)
	if v == nil {
		return value.NewNull(source.Range{})
	}
	return v
}

func listOrEmpty(v *value.Value) []*value.Value {
	if v.Kind == value.List {
		return v.List
	}
	if v.Kind == value.Null {
		return nil
	}
	return []*value.Value{v}
}

// appendFlat appends items flattened as yaql's flatten() does: every list
// is expanded recursively; strings, maps and nulls are items.
func appendFlat(out []*value.Value, items ...*value.Value) []*value.Value {
	for _, it := range items {
		if it != nil && it.Kind == value.List {
			out = appendFlat(out, it.List...)
			continue
		}
		if it == nil {
			it = value.NewNull(source.Range{})
		}
		out = append(out, it)
	}
	return out
}

func dropNull(in []*value.Value) []*value.Value {
	out := in[:0:0]
	for _, v := range in {
		if v.Kind != value.Null {
			out = append(out, v)
		}
	}
	return out
}

// taskList is select(key).where(!= null).flatten().distinct().
func taskList(ms []*Member, key string, at source.Range) *value.Value {
	return value.NewList(distinct(appendFlat(nil, nonNull(ms, key)...)), at)
}

// distinct keeps the first of equal items (Python equality; unknowns are
// equal when their reasons are).
func distinct(in []*value.Value) []*value.Value {
	seen := make(map[string]bool, len(in))
	out := make([]*value.Value, 0, len(in))
	for _, v := range in {
		k := value.HashKeyByReason(v)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, v)
	}
	return out
}

// shallowMerge is Heat's map_merge of each service's role_data[key]: null
// items are skipped, later keys replace earlier ones.
func shallowMerge(ms []*Member, key string, at source.Range, prov bool) (*value.Value, error) {
	out := value.NewMapping(0)
	var parts []value.Part
	for _, m := range ms {
		v := m.get(key)
		switch value.KindOf(v) {
		case value.Null:
			continue
		case value.Unknown:
			// map_merge of a value only known when deployed.
			return v, nil
		case value.Map:
			for _, e := range v.Map.Entries() {
				if prov {
					parts = givePart(parts, out, e.Key, e.Val, m.who(), v.Origin)
				}
				out.Set(e.Key, e.Val)
			}
		default:
			return nil, aggErr(v.Range, "%s of service %s must be a map to be merged into the role's %s, not %s", key, m.name(), key, kindOf(v))
		}
	}
	res := value.NewMap(out, at)
	if prov {
		res.Origin = &value.Origin{Kind: "map_merge", At: at, Note: "map_merge of the services' " + key + " (a later service's key replaces an earlier one's)", Parts: parts}
	}
	return res, nil
}

// keyAt is where the role template merges role_data key k.
func (in *AggregateInput) keyAt(k string) source.Range {
	if r, ok := in.KeyAt[k]; ok {
		return r
	}
	return in.At
}

// givePart records, for provenance, that who gives key k the value v in
// the map m being merged, discarding what m held.
func givePart(parts []value.Part, m *value.Mapping, k, v *value.Value, who string, from *value.Origin) []value.Part {
	key := value.JSONKey(k)
	if old, ok := m.Lookup(k); ok {
		parts = append(parts, value.Part{Key: key, At: old.Range, Note: "discarded: " + who + " sets it later, to " + value.Clip(v, 80)})
	}
	return append(parts, value.Part{Key: key, At: v.Range, Note: who, From: from})
}

// who names a member in provenance: its service name and type.
func (m *Member) who() string {
	if n := m.name(); n != m.Type {
		return "service " + n + " (" + m.Type + ")"
	}
	return m.Type
}

// aggregateRule says how Aggregate merges a role_data key.
func aggregateRule(k string) string {
	switch k {
	case "service_names":
		return "the service_name of each enabled service"
	case "config_settings", "global_config_settings":
		return "map_merge of the services' " + k + " (later services win)"
	case "service_config_settings", "workflow_tasks", "kolla_config", "docker_config", "docker_config_scripts":
		return "yaql mergeWith of the services' " + k + " (maps merge key by key, two lists become distinct(a + b), a later scalar wins)"
	case "puppet_config":
		return "the services' puppet_config, duplicates dropped"
	case "docker_puppet_tasks":
		return "the services' docker_puppet_tasks grouped by step"
	case "step_config":
		return "overcloud_common.pp, then the step_config of every service without docker_config"
	}
	return "the services' " + k + " as the role template merges them"
}

// deepMerge is reduce($1.mergeWith($2), {}) over each service's
// role_data[key] that is not null.
func deepMerge(ms []*Member, key string, at source.Range, prov bool, role string, mergeAt source.Range) (*value.Value, error) {
	acc := value.NewMap(nil, at)
	var from []*Member
	for _, m := range ms {
		v := m.get(key)
		if v == nil {
			continue
		}
		if v.Kind == value.Unknown {
			return v, nil
		}
		if v.Kind != value.Map {
			return nil, aggErr(v.Range, "%s of service %s must be a map to be merged into the role's %s, not %s", key, m.name(), key, kindOf(v))
		}
		merged, err := mergeWith(acc, v, mergeCtx{key: key, service: m, earlier: from, prov: prov, who: m.who(), whose: "role " + role + "'s services'", mergeAt: mergeAt})
		if err != nil {
			return nil, err
		}
		acc = merged
		from = append(from, m)
	}
	if acc.Range != at {
		acc = &value.Value{Kind: value.Map, Map: acc.Map, Range: at, Origin: acc.Origin}
	}
	return acc, nil
}

type mergeCtx struct {
	key     string
	path    []string
	service *Member
	earlier []*Member
	// prov records provenance: who names b's giver, aWho a's (below
	// the top, where a is one earlier giver's map).
	prov      bool
	who, aWho string
	// whose says whose maps are merged ("role Controller's services'");
	// label, when set, names the merge in place of whose and the path.
	whose, label string
	// mergeAt is where the merge is written (the role template's yaql),
	// when known; else the merged map's range.
	mergeAt source.Range
}

func (c mergeCtx) at(k *value.Value, aWho string) mergeCtx {
	c.path = append(append([]string(nil), c.path...), value.Str(k))
	c.aWho = aWho
	return c
}

// giver is the contributor the parts of a merge name for key k: the last
// one not discarded.
func giver(parts []value.Part, k string) string {
	for i := len(parts) - 1; i >= 0; i-- {
		if parts[i].Key == k && !strings.HasPrefix(parts[i].Note, "discarded") {
			return parts[i].Note
		}
	}
	return "an earlier contributor"
}

// mergeWith is yaql's a.mergeWith(b): keys of a in order (merged with b's
// value when b has the key), then b's other keys. Two maps merge
// recursively, two lists become distinct(a + b), otherwise b's value wins;
// b's map or list against anything else in a is yaql's TypeError.
func mergeWith(a, b *value.Value, c mergeCtx) (*value.Value, error) {
	m := value.NewMapping(a.Map.Len() + b.Map.Len())
	var parts []value.Part
	if c.prov {
		if a.Origin != nil && a.Origin.Kind == "mergeWith" {
			parts = a.Origin.Parts[:len(a.Origin.Parts):len(a.Origin.Parts)]
		} else {
			for _, e := range a.Map.Entries() {
				parts = append(parts, value.Part{Key: value.JSONKey(e.Key), At: e.Val.Range, Note: c.aWho, From: a.Origin})
			}
		}
	}
	for _, e := range a.Map.Entries() {
		v := e.Val
		if v2, ok := b.Map.Lookup(e.Key); ok {
			key := ""
			if c.prov {
				key = value.JSONKey(e.Key)
			}
			switch v2.Kind {
			case value.Map:
				switch v.Kind {
				case value.Unknown:
				case value.Map:
					merged, err := mergeWith(v, v2, c.at(e.Key, giver(parts, key)))
					if err != nil {
						return nil, err
					}
					v = merged
					if c.prov {
						parts = append(parts, value.Part{Key: key, At: v2.Range, Note: c.who + " (merged key by key)", From: b.Origin})
					}
				default:
					return nil, c.typeError(e.Key, v, v2)
				}
			case value.List:
				switch v.Kind {
				case value.Unknown:
				case value.List:
					items := append(append(make([]*value.Value, 0, len(v.List)+len(v2.List)), v.List...), v2.List...)
					v = value.NewList(distinct(items), v2.Range)
					if c.prov {
						parts = append(parts, value.Part{Key: key, At: v2.Range, Note: c.who + " (its items appended: distinct(a + b))", From: b.Origin})
					}
				default:
					return nil, c.typeError(e.Key, v, v2)
				}
			default:
				if c.prov {
					parts = append(parts, value.Part{Key: key, At: v.Range, Note: "discarded: " + c.who + " sets it later, to " + value.Clip(v2, 80)},
						value.Part{Key: key, At: v2.Range, Note: c.who + " (a later scalar wins)", From: b.Origin})
				}
				v = v2
			}
		}
		m.Set(e.Key, v)
	}
	for _, e := range b.Map.Entries() {
		if _, ok := m.Lookup(e.Key); !ok {
			m.Set(e.Key, e.Val)
			if c.prov {
				parts = append(parts, value.Part{Key: value.JSONKey(e.Key), At: e.Val.Range, Note: c.who, From: b.Origin})
			}
		}
	}
	out := value.NewMap(m, b.Range)
	if c.prov {
		path := c.whose + " " + strings.Join(append([]string{c.key}, c.path...), ".")
		if c.label != "" && len(c.path) == 0 {
			path = c.label
		}
		at := c.mergeAt
		if at.IsZero() {
			at = b.Range
		}
		out.Origin = &value.Origin{Kind: "mergeWith", At: at, Note: "yaql mergeWith of " + path + " (maps merge key by key, two lists become distinct(a + b), a later scalar wins)", Parts: parts}
	}
	return out, nil
}

func (c mergeCtx) typeError(k, a, b *value.Value) error {
	path := strings.Join(append(append([]string{c.key}, c.path...), value.Str(k)), ".")
	d := aggErr(b.Range, "cannot merge %s into %s: service %s sets %s to a %s where an earlier service set a %s (yaql mergeWith: TypeError)",
		path, "the role's "+c.key, c.service.name(), path, kindOf(b), kindOf(a))
	d.Related = []diag.Related{{Range: a.Range, Message: "the earlier value"}}
	return d
}

// stepConfig is list_join("\n", [common, zip(service_name, step_config,
// docker_config).where($[2] = null).where($[1] != null).select($[1]).join("\n")]).
func stepConfig(in AggregateInput, at source.Range) (*value.Value, error) {
	var parts []string
	for i := range in.Members {
		m := &in.Members[i]
		if m.get("docker_config") != nil {
			continue
		}
		sc := m.get("step_config")
		if sc == nil {
			continue
		}
		switch sc.Kind {
		case value.String:
			parts = append(parts, sc.Str)
		case value.Unknown:
			return value.NewUnknown(sc.Str, at), nil
		default:
			s, err := yaqlStr(sc)
			if err != nil {
				return nil, aggErr(sc.Range, "step_config of service %s: %v", m.name(), err)
			}
			parts = append(parts, s)
		}
	}
	joined := strings.Join(parts, "\n")
	common := in.CommonStep
	switch value.KindOf(common) {
	case value.Unknown:
		return value.NewUnknown(common.Str, at), nil
	case value.Null:
		return value.NewString("\n"+joined, at), nil
	case value.String:
		return value.NewString(common.Str+"\n"+joined, at), nil
	}
	return nil, aggErr(common.Range, "the common step_config must be a string, not %s", kindOf(common))
}

// yaqlStr is yaql's str() of a value that is not a string (what join()
// makes of it).
func yaqlStr(v *value.Value) (string, error) {
	m := value.NewMapping(1)
	m.Set(value.NewString("x", v.Range), v)
	r, err := yaql.EvalHeat("str($.data.x)", value.NewMap(m, v.Range), yaql.TripleOLimits)
	if err != nil {
		return "", err
	}
	if r.Kind != value.String {
		return "", fmt.Errorf("str() gave %s", kindOf(r))
	}
	return r.Str, nil
}

// groupBySteps is dict(select(docker_puppet_tasks).where(!= null)
// .selectMany($.items()).groupBy($[0], $[1])): each step's entries in
// service order.
func groupBySteps(ms []*Member, at source.Range) (*value.Value, error) {
	out := value.NewMapping(0)
	var order []*value.Value
	groups := map[string][]*value.Value{}
	for _, m := range ms {
		v := m.get("docker_puppet_tasks")
		if v == nil {
			continue
		}
		if v.Kind == value.Unknown {
			return v, nil
		}
		if v.Kind != value.Map {
			return nil, aggErr(v.Range, "docker_puppet_tasks of service %s must be a map of steps, not %s", m.name(), kindOf(v))
		}
		for _, e := range v.Map.Entries() {
			k := value.HashKeyByReason(e.Key)
			if _, ok := groups[k]; !ok {
				order = append(order, e.Key)
			}
			groups[k] = append(groups[k], e.Val)
		}
	}
	for _, k := range order {
		items := groups[value.HashKeyByReason(k)]
		out.Set(k, value.NewList(items, at))
	}
	return value.NewMap(out, at), nil
}
