package schema

import (
	"reflect"
	"slices"
	"testing"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"
)

// TestDeriveKeepsTheRelease: a derived schema carries the release's facts
// (its functions, versions, keys) of the schema it comes from, and its
// other definitions. A field added to Schema must be handled by Derive
// and listed here.
func TestDeriveKeepsTheRelease(t *testing.T) {
	handled := []string{
		// copied
		"release", "root", "defs", "functions", "conditionFunctions", "paunchKeys", "templateVersions", "heatVersions", "environmentMap",
		// per schema: caches, the built-in syntax, the native check
		"shapes", "syntax", "native",
	}
	st := reflect.TypeOf(Schema{})
	for i := 0; i < st.NumField(); i++ {
		if !slices.Contains(handled, st.Field(i).Name) {
			t.Errorf("Schema.%s is new: copy it in Derive (or say why not) and list it here", st.Field(i).Name)
		}
	}
	s := Default()
	def := cuecontext.New().CompileString(`{a?: int}`)
	d := s.Derive(map[Kind]cue.Value{RoleData: def})
	if d.release != s.release || !reflect.DeepEqual(d.functions, s.functions) || !reflect.DeepEqual(d.conditionFunctions, s.conditionFunctions) ||
		!slices.Equal(d.paunchKeys, s.paunchKeys) || !slices.Equal(d.templateVersions, s.templateVersions) || !slices.Equal(d.heatVersions, s.heatVersions) ||
		d.environmentMap != s.environmentMap {
		t.Error("Derive lost a fact of the release")
	}
	for k := Template; k < kindEnd; k++ {
		same := d.defs[k].Equals(s.defs[k])
		if k == RoleData && same || k != RoleData && !same {
			t.Errorf("definition of %s: replaced %v", k, !same)
		}
	}
}
