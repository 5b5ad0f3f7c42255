package lint

import (
	"slices"
	"strings"
	"testing"

	"hoist/release"
	"hoist/schema"
	"hoist/source"
	"hoist/value"
)

// TestEveryReleaseHasASchema: the schema's releases are the release
// table's, and each schema's #RoleAggregate knows exactly the role_data
// keys release.RoleData.RoleKeys lists for that release's role template:
// the two places that say it agree.
func TestEveryReleaseHasASchema(t *testing.T) {
	var names []string
	for _, r := range schema.Releases() {
		names = append(names, string(r))
	}
	if !slices.Equal(names, release.Names()) {
		t.Fatalf("schema releases %v, release table %v", names, release.Names())
	}
	var all []string
	for _, r := range release.All() {
		all = append(all, r.RoleData.RoleKeys...)
	}
	slices.Sort(all)
	all = slices.Compact(all)
	for _, r := range release.All() {
		m := value.NewMapping(len(all))
		for _, k := range all {
			m.SetString(k, value.NewNull(source.Range{}))
		}
		ds := schemaOf(r).Validate(schema.RoleAggregate, value.NewMap(m, source.Range{}), schema.Options{})
		var unknown []string
		for _, d := range ds {
			if d.Rule == schema.RuleUnknownKey {
				k, _, _ := strings.Cut(strings.TrimPrefix(d.Message, `unknown key "`), `"`)
				unknown = append(unknown, k)
			}
		}
		var want []string
		for _, k := range all {
			if !slices.Contains(r.RoleData.RoleKeys, k) {
				want = append(want, k)
			}
		}
		slices.Sort(unknown)
		if !slices.Equal(unknown, want) {
			t.Errorf("%s: #RoleAggregate refuses %v, want %v (release.RoleData.RoleKeys)", r.Name, unknown, want)
		}
	}
}

// TestReleaseOfALoneTemplate: a template outside any tree is read as the
// release its heat_template_version names; within the rocky alias, by its
// image parameters and folders.
func TestReleaseOfALoneTemplate(t *testing.T) {
	for _, c := range []struct {
		version, path, params, want string
	}{
		{"queens", "x.yaml", "", "queens"},
		{"2018-03-02", "x.yaml", "", "queens"},
		{"pike", "x.yaml", "", "queens"},
		{"2016-10-14", "x.yaml", "", "queens"},
		{"rocky", "x.yaml", "", "rocky"},
		{"2018-08-31", "docker/services/x.yaml", "DockerXImage", "rocky"},
		{"rocky", "tht/deployment/x/x-container-puppet.yaml", "DockerXImage", "stein"},
		{"rocky", "x.yaml", "ContainerXImage", "train"},
		{"rocky", "deployment/x.yaml", "ContainerXImage", "train"},
		{"wallaby", "x.yaml", "", ""},
		{"2021-04-16", "x.yaml", "", ""},
	} {
		params := value.NewMapping(1)
		if c.params != "" {
			params.SetString(c.params, value.NewNull(source.Range{}))
		}
		doc := value.NewMapping(2)
		doc.SetString("heat_template_version", value.NewString(c.version, source.Range{}))
		doc.SetString("parameters", value.NewMap(params, source.Range{}))
		got, why := releaseOfVersion(c.version, c.path, value.NewMap(doc, source.Range{}))
		name := ""
		if got != nil {
			name = got.Name
		}
		if name != c.want {
			t.Errorf("%s %s %s: %q (%s), want %q", c.version, c.path, c.params, name, why, c.want)
		}
	}
}
