package model_test

import (
	"strings"
	"testing"

	"hoist/model"
)

func TestTasks(t *testing.T) {
	list := load(t, `
- {name: one, when: step|int == 1}
- {name: from3, when: ["step|int >= 3", "foo is defined"]}
- {name: quoted, when: "step == '2'"}
- {file: {path: /x}}
- {when: step|int == 1 or step|int == 4, become: true, command: true}
- {name: never, when: false}
- {name: below, when: "step < 3 and step != 1"}
`)
	names := func(n int) string {
		var out []string
		for _, task := range model.Tasks(list, n) {
			out = append(out, task.Name)
		}
		return strings.Join(out, " ")
	}
	for n, want := range map[int]string{
		-1: "one from3 quoted (file) (command) never below",
		1:  "one (file) (command)",
		2:  "quoted (file) (command) below",
		3:  "from3 (file) (command)",
	} {
		if got := names(n); got != want {
			t.Errorf("step %d: %q, want %q", n, got, want)
		}
	}
	if at := model.Tasks(list, -1)[1].At(); at.Start.Line != 3 {
		t.Errorf("a task is at its line: %v", at)
	}
	if got := model.TaskName(nil); got != "(task)" {
		t.Errorf("TaskName(nil) = %q", got)
	}
}
