package plan_test

import (
	"testing"

	"hoist/model"
	"hoist/plan"
	"hoist/pyyaml"
)

func load(t *testing.T, src string) *model.Deployment {
	t.Helper()
	doc, err := pyyaml.Load("d.yaml", []byte(src), pyyaml.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	d, ok := model.FromRoleData(doc.Root)
	if !ok {
		t.Fatal("not a role-data document")
	}
	return d
}

func TestOrderAndNeeds(t *testing.T) {
	d := load(t, `roles:
  R:
    service_names: [a]
    docker_config:
      step_4:
        zeta: {image: i}
        alpha: {image: i, start_order: 1}
        beta: {image: i}
        exec_it: {action: exec, start_order: 2, command: "zeta true"}
        joined: {image: i, net: "container:beta", volumes_from: ["alpha:ro"], depends_on: [zeta]}
      step_2:
        first: {image: i, detach: false}
      step_10:
        late: {image: i}
`)
	d.Roles[0].Count = 2
	p := plan.Build(d)
	rp := p.Roles[0]
	var names []string
	for _, c := range rp.Containers {
		names = append(names, c.StepKey+"/"+c.Name)
	}
	want := []string{"step_2/first", "step_4/beta", "step_4/joined", "step_4/zeta", "step_4/alpha", "step_4/exec_it", "step_10/late"}
	if len(names) != len(want) {
		t.Fatalf("containers %v", names)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("order %v, want %v", names, want)
		}
	}
	j := rp.Named("joined")[0]
	got := map[string]string{}
	for _, n := range j.Needs {
		got[n.Kind] = n.Target
	}
	if got["net"] != "beta" || got["volumes_from"] != "alpha" || got["depends_on"] != "zeta" || len(got) != 3 {
		t.Errorf("needs %v", got)
	}
	e := rp.Named("exec_it")[0]
	if e.Needs[0].Target != "zeta" || !e.IsExec() {
		t.Errorf("exec %+v", e)
	}
	if earlier, tie := rp.Started(j, "beta"); earlier != nil || tie == nil {
		t.Error("beta and joined tie at start_order 0")
	}
	if earlier, _ := rp.Started(e, "zeta"); earlier == nil {
		t.Error("zeta starts before exec_it")
	}
	if rp.Bootstrap() != "overcloud-r-0" || !rp.Nodes[0].Bootstrap || rp.Nodes[1].Bootstrap {
		t.Errorf("nodes %+v", rp.Nodes)
	}
	// Steps 1 to 5 only: step_10 is written but never run.
	if len(rp.Steps) != plan.Steps {
		t.Errorf("%d steps", len(rp.Steps))
	}
}

func TestRunsAtStep(t *testing.T) {
	d := load(t, `roles:
  R:
    service_names: [a]
    deploy_steps_tasks:
      - {name: one, when: step|int == 1}
      - {name: from3, when: ["step|int >= 3", "foo is defined"]}
      - {name: quoted, when: "step == '2'"}
      - {name: always}
      - {name: either, when: step|int == 1 or step|int == 4}
`)
	p := plan.Build(d)
	got := map[int][]string{}
	for _, st := range p.Roles[0].Steps {
		for _, op := range st.Ops {
			if op.Kind == plan.OpDeploySteps {
				for _, t := range op.Tasks {
					got[st.N] = append(got[st.N], t.Name)
				}
			}
		}
	}
	want := map[int]string{1: "one always either", 2: "quoted always either", 3: "from3 always either", 4: "from3 always either", 5: "from3 always either"}
	for n, w := range want {
		s := ""
		for i, x := range got[n] {
			if i > 0 {
				s += " "
			}
			s += x
		}
		if s != w {
			t.Errorf("step %d: %q, want %q", n, s, w)
		}
	}
}

func TestFromRoleDataRefuses(t *testing.T) {
	for _, src := range []string{"roles: []", "roles: {R: [1]}", "roles: {R: {name: x}}", "heat_template_version: queens", "[1]"} {
		doc, err := pyyaml.Load("d.yaml", []byte(src), pyyaml.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := model.FromRoleData(doc.Root); ok {
			t.Errorf("%q read as a role-data document", src)
		}
	}
}
