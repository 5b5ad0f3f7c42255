package plan

import (
	"html/template"
	"io"
	"strconv"
	"strings"

	"hoist/diag"
)

// WriteHTML writes the plan as one self-contained page for review: a
// table of roles × steps with each step's operations and containers. It
// loads nothing: the style and the filter script are inline.
func WriteHTML(w io.Writer, p *Plan, roles ...string) error {
	return WriteHTMLPage(w, p, HTMLOptions{Roles: roles})
}

// HTMLOptions add to the plan's page.
type HTMLOptions struct {
	// Roles, when set, are the roles shown.
	Roles []string
	// Links, by "<role>/<container>", make a container a link (to its
	// change in a review page), marked as changed.
	Links map[string]string
	// Title replaces the page's heading; Extra is appended after the
	// table (a review's changes).
	Title string
	Extra template.HTML
}

// WriteHTMLPage is WriteHTML with options: the plan with links from the
// containers that changed, and more below it (hoist diff --format html).
func WriteHTMLPage(w io.Writer, p *Plan, o HTMLOptions) error {
	roles := o.Roles
	type op struct {
		Class, Title, Detail, At, Href string
		Items                          []string
	}
	type cell struct{ Ops []op }
	type row struct {
		Name, Nodes string
		Services    int
		Cells       []cell
	}
	page := struct {
		Stack, Title string
		Heads        []string
		Rows         []row
		Extra        template.HTML
	}{Stack: p.Stack, Heads: []string{"before step 1"}, Title: o.Title, Extra: o.Extra}
	if page.Title == "" {
		page.Title = "Deployment plan: stack " + p.Stack
	}
	for n := 1; n <= Steps; n++ {
		page.Heads = append(page.Heads, "step "+strconv.Itoa(n))
	}
	o2 := o
	conv := func(rp *RolePlan, o Op) op {
		x := op{Class: string(o.Kind), At: p.Deployment.Where(o.Range)}
		switch o.Kind {
		case OpContainer:
			c := o.Container
			x.Title = c.Name
			if href, ok := o2.Links[rp.Role.Name+"/"+c.Name]; ok {
				x.Href = href
				x.Class += " changed"
			}
			d := []string{"start_order " + strconv.FormatInt(c.StartsAt(), 10)}
			if c.IsExec() {
				x.Class += " exec"
				d = append(d, "exec")
			} else if !c.Detached() {
				x.Class += " oneshot"
				d = append(d, "runs to completion")
			}
			for _, n := range c.Needs {
				d = append(d, n.Kind+" "+n.Target)
			}
			x.Detail = strings.Join(d, " · ")
		case OpHostPrep, OpDeploySteps, OpExternal, OpWorkflow:
			x.Title = string(o.Kind)
			for _, t := range o.Tasks {
				x.Items = append(x.Items, t.Name)
			}
			x.Detail = diag.Counted(len(o.Tasks), "task") + " on " + o.On
		case OpConfigGen:
			x.Title = "config generation"
			x.Detail = diag.Counted(len(o.Volumes), "config volume") + ": " + strings.Join(o.Volumes, ", ")
		case OpBootstrap, OpContainerPuppetTasks:
			x.Title = string(o.Kind)
			x.Detail = "on " + o.Node + ": " + strings.Join(o.Volumes, ", ")
		default:
			x.Title = string(o.Kind)
			x.Detail = o.Text
		}
		return x
	}
	for _, rp := range p.Roles {
		if !wanted(rp.Role.Name, roles) {
			continue
		}
		r := row{Name: rp.Role.Name, Nodes: nodeList(rp), Services: len(rp.Services)}
		var c cell
		for _, o := range rp.Before {
			c.Ops = append(c.Ops, conv(rp, o))
		}
		r.Cells = append(r.Cells, c)
		for _, st := range rp.Steps {
			var c cell
			for _, o := range st.Ops {
				c.Ops = append(c.Ops, conv(rp, o))
			}
			r.Cells = append(r.Cells, c)
		}
		page.Rows = append(page.Rows, r)
	}
	return htmlPage.Execute(w, page)
}

var htmlPage = template.Must(template.New("plan").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>hoist: {{.Title}}</title>
<style>
body { font: 13px/1.35 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 16px; color: #1d232a; background: #fff; }
h1 { font-size: 18px; margin: 0 0 4px; }
p.sub { margin: 0 0 12px; color: #5a6570; }
input { font: inherit; padding: 4px 8px; width: 280px; margin-bottom: 12px; border: 1px solid #b8c2cc; border-radius: 4px; }
table { border-collapse: collapse; table-layout: fixed; width: 100%; }
th, td { border: 1px solid #d5dbe1; vertical-align: top; padding: 6px; }
th { background: #eef2f6; text-align: left; font-weight: 600; }
th.role { width: 150px; }
td.role b { font-size: 14px; }
td.role small { display: block; color: #5a6570; margin-top: 4px; }
.op { border-radius: 4px; padding: 3px 6px; margin: 0 0 4px; background: #f4f6f8; border-left: 3px solid #9aa7b4; overflow-wrap: anywhere; }
.op .t { font-weight: 600; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
.op .d { color: #4a5560; font-size: 11px; }
.op.container { background: #eaf4ff; border-left-color: #2f7fd0; }
.op.container.oneshot { background: #fff6e5; border-left-color: #d08a1f; }
.op.container.exec { background: #f3ecfb; border-left-color: #7d4fc0; }
.op.config_generation, .op.docker_puppet_tasks { background: #eaf7ee; border-left-color: #2e9a55; }
.op.host_puppet { background: #fdf0f0; border-left-color: #c0504d; }
.legend span { display: inline-block; margin-right: 10px; font-size: 11px; }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: -1px; border-radius: 2px; }
.op details { font-size: 11px; color: #4a5560; }
.op details ol { margin: 2px 0 0; padding-left: 18px; }
.hidden { display: none; }
.op.changed { outline: 2px solid #d9480f; }
.op a { color: inherit; }
.review h2 { font-size: 16px; margin: 20px 0 6px; }
.review h3 { font-size: 14px; margin: 14px 0 4px; }
.review h4 { font: 12px ui-monospace, "DejaVu Sans Mono", monospace; margin: 8px 0 2px; }
.review ul { margin: 2px 0; padding-left: 18px; }
.review code, .review pre { font: 12px ui-monospace, "DejaVu Sans Mono", monospace; }
.review pre { margin: 2px 0; background: #f4f6f8; padding: 2px 6px; white-space: pre-wrap; }
.review .add { color: #1a7f37; } .review .del { color: #cf222e; }
.review :target { background: #fff3bf; }
.review ol.why { padding-left: 22px; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="sub">The operations of each role, before step 1 and in steps 1 to 5, in the order TripleO queens runs them; containers in paunch order (start_order, then name).</p>
<p class="legend"><span><i style="background:#2f7fd0"></i>container</span><span><i style="background:#d08a1f"></i>runs to completion</span><span><i style="background:#7d4fc0"></i>exec</span><span><i style="background:#2e9a55"></i>config generation</span><span><i style="background:#c0504d"></i>host puppet</span></p>
<input id="filter" type="search" placeholder="filter containers and tasks" aria-label="filter">
<table>
<thead><tr><th class="role">role</th>{{range .Heads}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr>
<td class="role"><b>{{.Name}}</b><small>{{.Nodes}}</small><small>{{.Services}} services</small></td>
{{range .Cells}}<td>{{range .Ops}}<div class="op {{.Class}}"{{if .At}} title="{{.At}}"{{end}}><div class="t">{{if .Href}}<a href="{{.Href}}">{{.Title}}</a>{{else}}{{.Title}}{{end}}</div><div class="d">{{.Detail}}</div>{{if .Items}}<details><summary>tasks</summary><ol>{{range .Items}}<li>{{.}}</li>{{end}}</ol></details>{{end}}</div>{{end}}</td>
{{end}}</tr>
{{end}}</tbody>
</table>
{{.Extra}}
<script>
document.getElementById("filter").addEventListener("input", function (e) {
  var q = e.target.value.toLowerCase();
  document.querySelectorAll(".op").forEach(function (el) {
    el.classList.toggle("hidden", q !== "" && el.textContent.toLowerCase().indexOf(q) < 0);
  });
});
</script>
</body>
</html>
`))
