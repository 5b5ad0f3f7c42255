package hot

import (
	"strings"
	"testing"

	"hoist/pyyaml"
)

func checkTemplate(t *testing.T, src string) []Problem {
	t.Helper()
	doc, err := pyyaml.Load("t.yaml", []byte(src), pyyaml.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	tm, err := Parse("t.yaml", doc.Root)
	if err != nil {
		t.Fatal(err)
	}
	return tm.Check()
}

// Check finds what fails whatever the inputs, and nothing that depends on
// them.
func TestCheck(t *testing.T) {
	head := "heat_template_version: queens\nparameters:\n  S: {type: string}\n  L: {type: comma_delimited_list}\n  J: {type: json}\nconditions:\n  c: {equals: [{get_param: S}, x]}\nresources:\n  R: {type: OS::Heat::None}\noutputs:\n  o:\n    value: "
	for _, c := range []struct {
		expr string
		kind ProblemKind
		want string // a part of the message; "" for no problem
	}{
		// Shapes the constructors refuse.
		{"{str_replace: {template: x}}", ProblemArguments, `missing "params"`},
		{"{get_attr: Res}", ProblemArguments, "argument must be a list"},
		{"{get_attr: R}", 0, ""}, // a one-character string is a sequence: [R]
		{"{if: [c, a]}", ProblemArguments, "got 2 items"},
		{"{repeat: {template: x}}", ProblemArguments, `missing "for_each"`},
		{"{list_join: [',']}", ProblemArguments, "at least one list"},
		{"{yaql: {expression: $.data, dat: 1}}", ProblemArguments, "unexpected key"},
		// Resolution with the values written.
		{"{list_join: [',', 'abc']}", ProblemArguments, "must operate on lists"},
		{"{list_join: [',', [a, 1]]}", ProblemArguments, "items to join"},
		{"{map_merge: [{a: 1}, [b]]}", ProblemArguments, "items to merge must be maps"},
		{"{str_replace_strict: {template: abc, params: {x: y}}}", ProblemArguments, "not found in the template"},
		{"{str_split: [',', 'a,b', 5]}", ProblemArguments, "incorrect index"},
		{"{get_param: []}", ProblemArguments, "must have arguments"},
		{"{get_param: {a: 1}}", ProblemArguments, "parameter name or a list"},
		{"{get_param: [5]}", ProblemArguments, "must be a string"},
		// Both branches of an if, whatever the condition.
		{"{if: [c, ok, {list_join: [',', 'abc']}]}", ProblemArguments, "must operate on lists"},
		// What depends on the inputs is not a problem.
		{"{list_join: [',', {get_param: L}]}", 0, ""},
		{"{list_join: [',', {get_param: S}, [a, {get_attr: [R, x]}]]}", 0, ""},
		{"{map_merge: [{get_param: J}, {get_attr: [R, x]}]}", 0, ""},
		{"{str_replace: {template: {get_param: S}, params: {x: {get_param: J}}}}", 0, ""},
		{"{yaql: {expression: $.data.x.y, data: {x: {get_param: J}}}}", 0, ""},
		{"{get_param: [J, a, 0]}", 0, ""},
		// References other rules own: undeclared parameters, resources,
		// conditions stand for any value.
		{"{get_param: Nope}", 0, ""},
		{"{get_attr: [Nope, x]}", 0, ""},
		{"{if: [nope, a, b]}", 0, ""},
		// Removed functions; yaql.
		{"{'Fn::Join': [',', [a]]}", ProblemRemoved, "not supported"},
		{"{yaql: {expression: '$.data.', data: {}}}", ProblemYaql, "yaql syntax"},
		{"{yaql: {expression: '$.data.x', data: {y: 1}}}", ProblemYaql, "KeyError"},
	} {
		ps := checkTemplate(t, head+c.expr+"\n")
		if c.want == "" {
			if len(ps) != 0 {
				t.Errorf("%s: unexpected problem %s", c.expr, ps[0].Diag.Message)
			}
			continue
		}
		if len(ps) != 1 {
			t.Errorf("%s: %d problems, want 1: %v", c.expr, len(ps), ps)
			continue
		}
		if ps[0].Kind != c.kind || !strings.Contains(ps[0].Diag.Message, c.want) {
			t.Errorf("%s: problem %d %q, want %d containing %q", c.expr, ps[0].Kind, ps[0].Diag.Message, c.kind, c.want)
		}
	}
}

func TestCheckConditionContext(t *testing.T) {
	ps := checkTemplate(t, "heat_template_version: queens\nresources:\n  R: {type: OS::Heat::None}\nconditions:\n  c: {get_attr: [R, x]}\n")
	if len(ps) != 1 || ps[0].Kind != ProblemContext || ps[0].Path.String() != "conditions.c" {
		t.Fatalf("got %v", ps)
	}
}

func TestWalkPaths(t *testing.T) {
	doc, _ := pyyaml.Load("t.yaml", []byte("heat_template_version: queens\nconditions: {c: true}\noutputs:\n  o:\n    value: {if: [c, {a: [x]}, y]}\n"), pyyaml.DefaultLimits)
	tm, err := Parse("t.yaml", doc.Root)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	tm.Walk(func(s Site) {
		cond := ""
		if s.Condition {
			cond = " (condition)"
		}
		got = append(got, s.Path.String()+cond)
	})
	want := "outputs.o.value outputs.o.value.if[0] (condition) outputs.o.value.if[1] outputs.o.value.if[1].a outputs.o.value.if[1].a[0] outputs.o.value.if[2] conditions.c (condition)"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
}

func TestFunctionTables(t *testing.T) {
	newton, _ := LookupVersion("newton")
	queens, _ := LookupVersion("queens")
	if newton.IsFunction("list_concat", false) || !queens.IsFunction("list_concat", false) {
		t.Error("list_concat is a function from pike on")
	}
	if s := FunctionSince("list_concat"); len(s) == 0 || s[0].Date != "2017-09-01" {
		t.Errorf("FunctionSince(list_concat) = %v", s)
	}
	if !queens.IsConditionOnly("equals") || queens.IsConditionOnly("get_param") {
		t.Error("equals is condition-only, get_param is not")
	}
	if got := strings.Join(queens.ConditionFunctionNames(), " "); got != "and contains equals get_param not or yaql" {
		t.Errorf("condition functions of queens: %s", got)
	}
}
