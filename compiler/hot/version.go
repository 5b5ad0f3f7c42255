package hot

import (
	"sort"
)

// fnID names one implementation of an intrinsic function. Several versions
// share a name ("list_join") but not always an implementation (Join before
// 2015-10-15, JoinMultiple after), so the tables map names to these ids.
type fnID uint8

const (
	fnNone fnID = iota
	fnGetParam
	fnGetResource
	fnGetAttThenSelect // 2013-05-23: [res, attr, path...]
	fnGetAtt           // 2014-10-16, 2015-04-30: [res, attr, path...]
	fnGetAttAll        // 2015-10-15+: also [res] for all attributes
	fnGetFile
	fnJoin         // list_join of one list, strings only
	fnJoinMultiple // list_join of several lists, JSON for maps and lists
	fnReplace      // str_replace without JSON coercion
	fnReplaceJSON  // str_replace with JSON coercion
	fnReplaceStrict
	fnReplaceVStrict
	fnRepeat           // lists only, Cartesian product
	fnRepeatWithMap    // newton, ocata: lists or maps
	fnRepeatNestedLoop // pike+: permutations
	fnDigest
	fnStrSplit
	fnMapMerge
	fnMapReplace
	fnYaql
	fnIf
	fnFilter
	fnMakeURL
	fnListConcat
	fnListConcatUnique
	fnContains
	fnResourceFacade
	fnEquals
	fnNot
	fnAnd
	fnOr
	fnRemoved // known name, removed from this version: fails when used
	fnInvalid // a normal function used where only condition functions are allowed
	// CloudFormation-style functions of 2013-05-23 (and Fn::Select up to 2015-04-30).
	fnSelect
	fnCfnJoin
	fnCfnSplit
	fnCfnReplace
	fnBase64
	fnMemberListToMap
	fnGetAZs
	fnRef
	fnCfnResourceFacade
)

// Version is one heat_template_version: its canonical date, its alias, and
// the function tables Heat associates with it.
type Version struct {
	// Date is the canonical key, e.g. "2018-03-02".
	Date string
	// Name is the release alias ("queens"), empty for versions without one.
	Name string
	// Functions maps the names recognised as functions in ordinary
	// contexts to their implementation.
	Functions map[string]fnID
	// CondFunctions is the table used in condition contexts (the
	// conditions section, the first argument of if, condition: keys); nil
	// before newton, which has no conditions.
	CondFunctions map[string]fnID
	// Conditions reports whether the version has the conditions section and
	// condition: on resources and outputs (newton+).
	Conditions bool
	// ParamTags reports whether parameter schemas may carry tags (queens+).
	ParamTags bool
	// Modulo reports whether the modulo parameter constraint exists (ocata+).
	Modulo bool
}

// String returns the date, with the alias when there is one.
func (v *Version) String() string {
	if v.Name != "" {
		return v.Date + " (" + v.Name + ")"
	}
	return v.Date
}

var removedCfn = map[string]fnID{
	"Fn::GetAZs": fnRemoved, "Fn::Join": fnRemoved, "Fn::Split": fnRemoved,
	"Fn::Replace": fnRemoved, "Fn::Base64": fnRemoved, "Fn::MemberListToMap": fnRemoved,
	"Fn::ResourceFacade": fnRemoved, "Ref": fnRemoved,
}

func table(base map[string]fnID, add map[string]fnID) map[string]fnID {
	t := make(map[string]fnID, len(base)+len(add))
	for k, v := range base {
		t[k] = v
	}
	for k, v := range add {
		t[k] = v
	}
	return t
}

func condTable(fns map[string]fnID, cond map[string]fnID) map[string]fnID {
	t := make(map[string]fnID, len(fns)+len(cond))
	for k, v := range fns {
		if v == fnRemoved {
			t[k] = fnRemoved
		} else {
			t[k] = fnInvalid
		}
	}
	for k, v := range cond {
		t[k] = v
	}
	return t
}

// The version tables, as heat/engine/hot/template.py of queens and rocky
// define them.
var versions = func() []*Version {
	v20130523 := map[string]fnID{
		"Fn::GetAZs": fnGetAZs, "get_param": fnGetParam, "get_resource": fnGetResource,
		"Ref": fnRef, "get_attr": fnGetAttThenSelect, "Fn::Select": fnSelect,
		"Fn::Join": fnCfnJoin, "list_join": fnJoin, "Fn::Split": fnCfnSplit,
		"str_replace": fnReplace, "Fn::Replace": fnCfnReplace, "Fn::Base64": fnBase64,
		"Fn::MemberListToMap": fnMemberListToMap, "resource_facade": fnResourceFacade,
		"Fn::ResourceFacade": fnCfnResourceFacade, "get_file": fnGetFile,
	}
	v20141016 := table(removedCfn, map[string]fnID{
		"get_attr": fnGetAtt, "get_file": fnGetFile, "get_param": fnGetParam,
		"get_resource": fnGetResource, "list_join": fnJoin, "resource_facade": fnResourceFacade,
		"str_replace": fnReplace, "Fn::Select": fnSelect,
	})
	v20150430 := table(v20141016, map[string]fnID{"repeat": fnRepeat, "digest": fnDigest})
	v20151015 := table(v20150430, map[string]fnID{
		"get_attr": fnGetAttAll, "list_join": fnJoinMultiple, "str_replace": fnReplaceJSON,
		"str_split": fnStrSplit, "Fn::Select": fnRemoved,
	})
	v20160408 := table(v20151015, map[string]fnID{"map_merge": fnMapMerge})
	v20161014 := table(v20160408, map[string]fnID{
		"repeat": fnRepeatWithMap, "yaql": fnYaql, "map_replace": fnMapReplace, "if": fnIf,
	})
	v20170224 := table(v20161014, map[string]fnID{"filter": fnFilter, "str_replace_strict": fnReplaceStrict})
	v20170901 := table(v20170224, map[string]fnID{
		"repeat": fnRepeatNestedLoop, "make_url": fnMakeURL, "list_concat": fnListConcat,
		"str_replace_vstrict": fnReplaceVStrict, "list_concat_unique": fnListConcatUnique,
		"contains": fnContains,
	})
	cond1014 := map[string]fnID{"get_param": fnGetParam, "equals": fnEquals, "not": fnNot, "and": fnAnd, "or": fnOr}
	cond0901 := table(cond1014, map[string]fnID{"yaql": fnYaql, "contains": fnContains})
	return []*Version{
		{Date: "2013-05-23", Functions: v20130523},
		{Date: "2014-10-16", Functions: v20141016},
		{Date: "2015-04-30", Functions: v20150430},
		{Date: "2015-10-15", Functions: v20151015},
		{Date: "2016-04-08", Functions: v20160408},
		{Date: "2016-10-14", Name: "newton", Functions: v20161014, CondFunctions: condTable(v20161014, cond1014), Conditions: true},
		{Date: "2017-02-24", Name: "ocata", Functions: v20170224, CondFunctions: condTable(v20170224, cond1014), Conditions: true, Modulo: true},
		{Date: "2017-09-01", Name: "pike", Functions: v20170901, CondFunctions: condTable(v20170901, cond0901), Conditions: true, Modulo: true},
		{Date: "2018-03-02", Name: "queens", Functions: v20170901, CondFunctions: condTable(v20170901, cond0901), Conditions: true, Modulo: true, ParamTags: true},
		{Date: "2018-08-31", Name: "rocky", Functions: v20170901, CondFunctions: condTable(v20170901, cond0901), Conditions: true, Modulo: true, ParamTags: true},
	}
}()

// LookupVersion returns the version whose date or alias is key.
func LookupVersion(key string) (*Version, bool) {
	for _, v := range versions {
		if v.Date == key || (v.Name != "" && v.Name == key) {
			return v, true
		}
	}
	return nil, false
}

// VersionKeys lists every accepted heat_template_version value, dates first.
func VersionKeys() []string {
	var dates, names []string
	for _, v := range versions {
		dates = append(dates, v.Date)
		if v.Name != "" {
			names = append(names, v.Name)
		}
	}
	sort.Strings(dates)
	return append(dates, names...)
}

// FunctionNames lists the names the version recognises as functions in
// ordinary contexts, sorted.
func (v *Version) FunctionNames() []string {
	var out []string
	for k, id := range v.Functions {
		if id != fnRemoved {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
