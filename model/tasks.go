package model

import (
	"regexp"
	"strconv"
	"strings"

	"hoist/source"
	"hoist/value"
)

// Task is one Ansible task of a role's task lists (host_prep_tasks,
// deploy_steps_tasks, external_deploy_tasks, ...).
type Task struct {
	// Name is its name, or its module in parentheses when it has none.
	Name string
	// Raw is the task as written.
	Raw *value.Value
}

// At is where the task is written.
func (t Task) At() source.Range {
	if t.Raw == nil {
		return source.Range{}
	}
	return t.Raw.Range
}

// Tasks lists the tasks of an Ansible task list that run at step n (all
// of them for n < 0).
func Tasks(v *value.Value, n int) []Task {
	var out []Task
	for _, t := range value.ItemsOf(v) {
		if n >= 0 && !RunsAtStep(t, n) {
			continue
		}
		out = append(out, Task{Name: TaskName(t), Raw: t})
	}
	return out
}

// TaskName is a task's name, or its module when it has none.
func TaskName(t *value.Value) string {
	if s, ok := value.StringOf(value.Get(t, "name")); ok && s != "" {
		return s
	}
	if t != nil && t.Kind == value.Map {
		for _, e := range t.Map.Entries() {
			k := value.Str(e.Key)
			switch k {
			case "when", "tags", "become", "ignore_errors", "register", "vars", "with_items", "loop", "name":
				continue
			}
			return "(" + k + ")"
		}
	}
	return "(task)"
}

var stepCond = regexp.MustCompile(`\bstep\b\s*(?:\|\s*int\s*)?(==|!=|>=|<=|>|<)\s*['"]?(\d+)['"]?`)

// RunsAtStep tells whether a deploy task runs at step n, from the
// comparisons of `step` in its `when` (a string or a list, all of which
// must hold). A condition hoist cannot read (an `or`, a variable) counts
// as true: the task is listed in every step it may run in.
func RunsAtStep(task *value.Value, n int) bool {
	w := value.Get(task, "when")
	var conds []string
	switch value.KindOf(w) {
	case value.String:
		conds = []string{w.Str}
	case value.List:
		for _, it := range w.List {
			if s, ok := value.StringOf(it); ok {
				conds = append(conds, s)
			}
		}
	case value.Bool:
		return w.Bool
	}
	for _, c := range conds {
		if strings.Contains(c, " or ") || strings.Contains(c, " not ") || strings.HasPrefix(strings.TrimSpace(c), "not ") {
			continue
		}
		for _, m := range stepCond.FindAllStringSubmatch(c, -1) {
			k, _ := strconv.Atoi(m[2])
			ok := true
			switch m[1] {
			case "==":
				ok = n == k
			case "!=":
				ok = n != k
			case ">=":
				ok = n >= k
			case "<=":
				ok = n <= k
			case ">":
				ok = n > k
			case "<":
				ok = n < k
			}
			if !ok {
				return false
			}
		}
	}
	return true
}
