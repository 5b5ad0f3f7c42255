package emit

import (
	"strings"
	"testing"

	"hoist/pyyaml"
	"hoist/value"
)

func loadValue(t *testing.T, text string) *value.Value {
	t.Helper()
	doc, err := pyyaml.Load("t.json", []byte(text), pyyaml.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	return doc.Root
}

func TestValueChanges(t *testing.T) {
	long := strings.Repeat("line\n", 30)
	for _, c := range []struct {
		name, a, b string
		want       []string
	}{
		{"element added to a long list", `{"s": ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "aa", "ab", "ac", "ad", "ae", "af", "ag", "ah", "ai", "aj", "ak", "al", "am", "an"]}`,
			`{"s": ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "aa", "ab", "ac", "ad", "ae", "af", "ag", "ah", "ai", "aj", "ak", "al", "am", "an", "multipathd"]}`,
			[]string{`s added: "multipathd"`}},
		{"added and removed", `{"s": ["a", "b", "c"]}`, `{"s": ["a", "d", "c", "e"]}`,
			[]string{`s added: "d"`, `s added: "e"`, `s removed: "b"`}},
		{"a repeated element", `{"s": ["a", "a"]}`, `{"s": ["a"]}`, []string{`s removed: "a"`}},
		{"order", `{"s": ["a", "b"]}`, `{"s": ["b", "a"]}`, []string{"s order changed (the same 2 elements)"}},
		{"maps by key", `{"m": {"x": 1, "y": {"z": "a"}, "w": 2}}`, `{"m": {"x": 1, "y": {"z": "b"}, "v": 3}}`,
			[]string{"m.v added: 3", "m.w removed (was 2)", `m.y.z: "a" → "b"`}},
		{"true is not 1", `{"k": 1}`, `{"k": true}`, []string{"k: 1 → true"}},
		{"lists of maps item by item", `{"l": [{"a": 1}, {"a": 2}]}`, `{"l": [{"a": 1}, {"a": 3}]}`, []string{"l[1].a: 2 → 3"}},
		{"long text", `{"t": "` + strings.ReplaceAll(long, "\n", `\n`) + `"}`, `{"t": "` + strings.ReplaceAll(strings.Replace(long, "line", "LINE", 1), "\n", `\n`) + `"}`,
			[]string{"t text changed:", "  @@ -1,3 +1,3 @@", "  -line", "  +LINE", "   line", "   line"}},
	} {
		got := detailLines(nil, ValueChanges(nil, loadValue(t, c.a), loadValue(t, c.b)))
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s:\ngot  %q\nwant %q", c.name, got, c.want)
		}
	}
}

func TestValueChangesPaths(t *testing.T) {
	vcs := ValueChanges(value.Path{{Key: "nova_api"}}, loadValue(t, `{"image": "a", "volumes": ["x"]}`), loadValue(t, `{"image": "b", "volumes": ["x", "y"]}`))
	if len(vcs) != 2 || vcs[0].Path.String() != "nova_api.image" || vcs[1].Path.String() != "nova_api.volumes" || vcs[1].Kind != "list changed" {
		t.Fatalf("%+v", vcs)
	}
	if got := vcs[1].Lines(value.Path{{Key: "nova_api"}}); len(got) != 1 || got[0] != `volumes added: "y"` {
		t.Errorf("%q", got)
	}
}
