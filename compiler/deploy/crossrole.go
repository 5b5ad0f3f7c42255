package deploy

import (
	"strings"

	"fmt"

	"hoist/source"
	"hoist/value"
)

// ServiceConfigs computes, for every role, the hiera that
// overcloud.j2.yaml's <Role>ServiceConfigSettings builds from the role_data
// of all roles (tht.md §6.1 item 3), in roles order: a shallow map_merge
// of
//
//  1. the role's own config_settings;
//  2. the global_config_settings of every role, in roles order;
//  3. the service_config_settings of all roles deep-merged (yaql
//     mergeWith), of which the entries named after a service enabled on
//     this role are deep-merged into one map.
//
// data[i] is the role_data of role i (as Aggregate returns it).
func ServiceConfigs(data []*value.Value, at []source.Range) ([]*value.Value, error) {
	return serviceConfigs(data, at, nil, false, nil)
}

// serviceConfigs is ServiceConfigs; with prov, it records on the result
// which role's config_settings or global_config_settings, or which
// service's service_config_settings, gave each key (names are the roles';
// hieraAt, where overcloud.yaml computes each role's hiera).
func serviceConfigs(data []*value.Value, at []source.Range, names []string, prov bool, hieraAt []source.Range) ([]*value.Value, error) {
	roleName := func(i int) string {
		if i < len(names) {
			return "role " + names[i]
		}
		return fmt.Sprintf("role %d", i)
	}
	get := func(rd *value.Value, k string) *value.Value {
		if rd == nil || rd.Kind != value.Map {
			return nil
		}
		v, _ := rd.Map.Get(k)
		if v != nil && v.Kind == value.Null {
			return nil
		}
		return v
	}
	// All roles' service_config_settings, deep-merged.
	all := value.NewMap(nil, source.Range{})
	var allUnknown *value.Value
	for ri, rd := range data {
		scs := get(rd, "service_config_settings")
		switch value.KindOf(scs) {
		case value.Null:
			continue
		case value.Unknown:
			allUnknown = scs
			continue
		case value.Map:
		default:
			return nil, aggErr(scs.Range, "service_config_settings must be a map, not %s", kindOf(scs))
		}
		if allUnknown != nil {
			continue
		}
		m, err := mergeWith(all, scs, mergeCtx{key: "service_config_settings", service: &Member{Type: "the roles"},
			prov: prov, who: roleName(ri) + "'s service_config_settings", whose: "every role's"})
		if err != nil {
			return nil, err
		}
		all = m
	}
	out := make([]*value.Value, len(data))
	for i, rd := range data {
		r := at[i]
		parts := []*value.Value{get(rd, "config_settings")}
		who := []string{roleName(i) + "'s config_settings"}
		for j, other := range data {
			parts = append(parts, get(other, "global_config_settings"))
			who = append(who, roleName(j)+"'s global_config_settings")
		}
		// The entries of the services enabled on this role, deep-merged.
		var own *value.Value
		names := get(rd, "service_names")
		switch {
		case allUnknown != nil:
			own = allUnknown
		case value.KindOf(names) == value.Unknown:
			own = names
		default:
			enabled := map[string]bool{}
			if names != nil && names.Kind == value.List {
				for _, n := range names.List {
					if n.Kind != value.Null {
						enabled[value.HashKeyByReason(n)] = true
					}
				}
			}
			acc := value.NewMap(nil, r)
			for _, e := range all.Map.Entries() {
				if !enabled[value.HashKeyByReason(e.Key)] {
					continue
				}
				switch e.Val.Kind {
				case value.Unknown:
					acc = e.Val
				case value.Map:
					if acc.Kind == value.Unknown {
						continue
					}
					m, err := mergeWith(acc, e.Val, mergeCtx{key: "service_config_settings." + value.Str(e.Key), service: &Member{Type: "the roles"},
						prov: prov, who: "service_config_settings." + value.Str(e.Key) + " of the roles' services", aWho: "an earlier service's service_config_settings",
						whose: "the services enabled on " + roleName(i) + ":", label: "the service_config_settings entries of the services enabled on " + roleName(i)})
					if err != nil {
						return nil, err
					}
					acc = m
				case value.Null:
				default:
					return nil, aggErr(e.Val.Range, "service_config_settings.%s must be a map, not %s", value.Str(e.Key), kindOf(e.Val))
				}
			}
			own = acc
		}
		parts = append(parts, own)
		who = append(who, "the service_config_settings of the services enabled on "+roleName(i)+" (of every role's, merged)")
		merged, err := mapMerge(parts, r)
		if err != nil {
			return nil, err
		}
		if prov && merged.Kind == value.Map {
			where := r
			if i < len(hieraAt) {
				where = hieraAt[i]
			}
			merged.Origin = &value.Origin{Kind: "hiera", At: where, Note: strings.TrimPrefix(roleName(i), "role ") + "ServiceConfigSettings: map_merge of its config_settings, every role's global_config_settings and its services' service_config_settings (later ones win)", Parts: hieraParts(parts, who)}
		}
		out[i] = merged
	}
	return out, nil
}

// hieraParts says, for provenance, which merged map gave each key, and
// which gave it and were discarded.
func hieraParts(maps []*value.Value, who []string) []value.Part {
	var parts []value.Part
	m := value.NewMapping(0)
	for i, p := range maps {
		if value.KindOf(p) != value.Map {
			continue
		}
		for _, e := range p.Map.Entries() {
			parts = givePart(parts, m, e.Key, e.Val, who[i], p.Origin)
			m.Set(e.Key, e.Val)
		}
	}
	return parts
}

// mapMerge is Heat's map_merge: nulls count as {}, later keys win, a
// value only known when deployed makes the result unknown.
func mapMerge(parts []*value.Value, at source.Range) (*value.Value, error) {
	m := value.NewMapping(0)
	for _, p := range parts {
		switch value.KindOf(p) {
		case value.Null:
		case value.Unknown:
			return value.NewUnknown(p.Str, at), nil
		case value.Map:
			for _, e := range p.Map.Entries() {
				m.Set(e.Key, e.Val)
			}
		default:
			return nil, aggErr(p.Range, "items to merge must be maps, not %s", kindOf(p))
		}
	}
	return value.NewMap(m, at), nil
}
