package stack

import (
	"strings"
	"sync"
	"testing"

	"hoist/compiler/hot"
	"hoist/value"
)

// lazyTree is a top template whose resources include ones that must not be
// created (a template that does not exist) next to the one a caller wants.
var lazyTree = vfs{
	"top.yaml": `heat_template_version: queens
parameters:
  Name: {type: string, default: world}
  Secret: {type: string}
resources:
  Broken:
    type: missing.yaml
  Greeting:
    type: greet.yaml
    properties:
      Who: {get_param: Name}
  Chain:
    type: OS::Heat::ResourceChain
    properties:
      resources: [/t/greet.yaml, OS::Heat::None]
      resource_properties:
        Who: {get_attr: [Greeting, text]}
  Disabled:
    type: greet.yaml
    condition: never
conditions:
  never: {equals: [1, 2]}
outputs:
  name: {value: {get_param: OS::stack_name}}
`,
	"greet.yaml": `heat_template_version: queens
parameters:
  Who: {type: string}
  Secret: {type: string}
outputs:
  text:
    value:
      str_replace:
        template: hello WHO
        params: {WHO: {get_param: Who}}
  secret: {value: {get_param: Secret}}
`,
}

func lazyTop(t *testing.T, o Options) (*Stack, error) {
	t.Helper()
	o.Loader = &Loader{ReadFile: lazyTree.read, Base: "/t"}
	return Top("/t/top.yaml", o)
}

func TestLazyDepthCreatesOnlyWhatIsNeeded(t *testing.T) {
	missing := func(p *hot.Param) *value.Value { return value.NewUnknown("no "+p.Name, p.NameRange) }
	if _, err := lazyTop(t, Options{Missing: missing}); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Fatalf("a whole stack creates every resource, so the missing template must fail it; got %v", err)
	}
	st, err := lazyTop(t, Options{LazyDepth: 1, Missing: missing, StackName: "overcloud"})
	if err != nil {
		t.Fatal(err)
	}
	v, err := st.Attr("Greeting", "text")
	if err != nil {
		t.Fatal(err)
	}
	if js(v) != `"hello world"` {
		t.Errorf("Greeting.text = %s", js(v))
	}
	// The chain's members are created whole (depth 1 is not lazy).
	v, err = st.Attr("Chain", "text")
	if err != nil {
		t.Fatal(err)
	}
	if js(v) != `["hello hello world", null]` {
		t.Errorf("Chain.text = %s", js(v))
	}
	if _, err := st.Attr("Broken", "x"); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("asking for the broken resource must fail, got %v", err)
	}
	if _, err := st.Attr("Disabled", "text"); err == nil || !strings.Contains(err.Error(), "disabled by its condition") {
		t.Errorf("a disabled resource has no attributes, got %v", err)
	}
	if _, err := st.Attr("Nope", "text"); err == nil || !strings.Contains(err.Error(), `no resource "Nope"`) {
		t.Errorf("an unknown resource: got %v", err)
	}
	name, err := st.Output("name")
	if err != nil || js(name) != `"overcloud"` {
		t.Errorf("OS::stack_name of the top stack = %s, %v", js(name), err)
	}
}

func TestProperties(t *testing.T) {
	st, err := lazyTop(t, Options{LazyDepth: 1, Missing: func(p *hot.Param) *value.Value { return value.NewUnknown("no "+p.Name, p.NameRange) }})
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.Properties("Greeting")
	if err != nil {
		t.Fatal(err)
	}
	if js(p) != `{"Who": "world"}` {
		t.Errorf("properties = %s", js(p))
	}
	if _, err := st.Properties("Disabled"); err == nil {
		t.Error("a disabled resource has no properties")
	}
}

func TestMissingGivesValues(t *testing.T) {
	var mu sync.Mutex
	asked := map[string]int{}
	missing := func(p *hot.Param) *value.Value {
		mu.Lock()
		asked[p.Name]++
		mu.Unlock()
		return value.NewUnknown("no "+p.Name, p.NameRange)
	}
	// Without Missing a parameter without a value is an error.
	if _, err := lazyTop(t, Options{LazyDepth: 1}); err == nil || !strings.Contains(err.Error(), `"Secret" has no value`) {
		t.Fatalf("got %v", err)
	}
	st, err := lazyTop(t, Options{LazyDepth: 1, Missing: missing})
	if err != nil {
		t.Fatal(err)
	}
	v, err := st.Attr("Greeting", "secret")
	if err != nil {
		t.Fatal(err)
	}
	if v.Kind != value.Unknown || v.Str != "no Secret" {
		t.Errorf("secret = %s", js(v))
	}
	// The top's Secret, and the nested one's (a required property not
	// passed is a parameter without a value too).
	if asked["Secret"] != 2 {
		t.Errorf("Missing asked for Secret %d times, want 2 (top and nested)", asked["Secret"])
	}
}

func TestNestedFrame(t *testing.T) {
	fs := vfs{"a.yaml": "heat_template_version: queens\noutputs:\n  o: {value: {get_param: Nope}}\n"}
	frame := Options{Loader: &Loader{ReadFile: fs.read, Base: "/t"}}
	frame.Frame.Label = "ControllerServiceChain"
	frame.Frame.Range.File = "overcloud.yaml"
	st, err := Nested("/t/a.yaml", "ControllerServiceChain", nil, frame)
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.Output("o")
	if err == nil || !strings.Contains(err.Error(), "Nope") {
		t.Fatalf("got %v", err)
	}
	if c := st.Chain(); len(c) != 1 || c[0].Label != "ControllerServiceChain" {
		t.Errorf("chain = %+v", c)
	}
}
