package cli

import (
	"fmt"
	"html/template"
	"io"
	"strings"

	"hoist/emit"
	"hoist/plan"
)

// writeDiffHTML writes the reviewer's page: the plan of NEW, each
// container that changed outlined and linked to its change; below it the
// changes by node and file, each changed value with what changed inside
// it and a link to its way (hoist why), which follows on the page.
func writeDiffHTML(w io.Writer, oldDir, newDir string, changes []emit.Change, tw *treeWhy) error {
	type step struct {
		Indent                        int
		At, Kind, Note, Source, Extra string
	}
	type why struct {
		ID, Title string
		Steps     []step
	}
	type line struct{ Text, Class string }
	type val struct {
		Path, Kind, WhyID, WhyCmd string
		Lines                     []line
		Diff                      []string
	}
	type change struct {
		ID, Kind, Name, Keys string
		Details              []string
		Values               []val
	}
	type file struct {
		File    string
		Changes []change
	}
	type group struct {
		Nodes string
		Files []file
	}
	var groups []group
	var whys []why
	links := map[string]string{}
	n := 0
	for _, g := range groupChanges(changes) {
		gr := group{Nodes: "build (OUT's own files)"}
		if g.nodes[0] != "" {
			gr.Nodes = strings.Join(g.nodes, ", ")
		}
		for _, c := range g.changes {
			if len(gr.Files) == 0 || gr.Files[len(gr.Files)-1].File != c.File {
				gr.Files = append(gr.Files, file{File: c.File})
			}
			n++
			ch := change{ID: fmt.Sprintf("c-%d", n), Kind: c.Kind, Name: c.Name, Keys: strings.Join(c.Keys, ", ")}
			if len(c.Values) == 0 {
				ch.Details = c.Details
			}
			node := g.nodes[0]
			if strings.HasPrefix(c.Kind, "container") && node != "" {
				name := c.Name[strings.LastIndex(c.Name, ".")+1:]
				key := tw.roleOf[node] + "/" + name
				if _, ok := links[key]; !ok {
					links[key] = "#" + ch.ID
				}
			}
			for _, vc := range c.Values {
				v := val{Path: vc.Path.String(), Kind: vc.Kind, Diff: vc.Diff}
				if vc.Kind != "text changed" {
					for _, l := range vc.Lines(vc.Path) {
						class := ""
						switch {
						case strings.Contains(l, "added"):
							class = "add"
						case strings.Contains(l, "removed"):
							class = "del"
						}
						v.Lines = append(v.Lines, line{l, class})
					}
				}
				if vc.New != nil && node != "" {
					v.WhyCmd = whyCommandLine(newDir, node, c.File, v.Path)
					if t := tw.trace(node, c.File, v.Path); t != nil {
						v.WhyID = fmt.Sprintf("why-%d", len(whys)+1)
						wy := why{ID: v.WhyID, Title: node + " " + c.File + " " + v.Path}
						for _, s := range t.Steps {
							st := step{Indent: s.Depth * 18, Kind: s.Kind, Note: s.Note}
							if !s.At.IsZero() {
								st.At = s.At.String()
								st.Source = sourceLine(tw, s.At.File, int(s.At.Start.Line))
							}
							if s.Key != "" {
								st.Note = fmt.Sprintf("[%q] %s", s.Key, s.Note)
							}
							var extra []string
							if !s.Decl.IsZero() && s.Decl != s.At {
								extra = append(extra, "declared at "+s.Decl.String())
							}
							if !s.Set.IsZero() && s.Set != s.At {
								extra = append(extra, "set at "+s.Set.String())
							}
							st.Extra = strings.Join(extra, "; ")
							wy.Steps = append(wy.Steps, st)
						}
						whys = append(whys, wy)
					}
				}
				ch.Values = append(ch.Values, v)
			}
			gr.Files[len(gr.Files)-1].Changes = append(gr.Files[len(gr.Files)-1].Changes, ch)
		}
		groups = append(groups, gr)
	}
	var extra strings.Builder
	err := reviewSection.Execute(&extra, struct {
		Old, New string
		Count    int
		Groups   []group
		Whys     []why
	}{oldDir, newDir, len(changes), groups, whys})
	if err != nil {
		return err
	}
	return plan.WriteHTMLPage(w, tw.in.Plan(), plan.HTMLOptions{
		Title: fmt.Sprintf("Review: %s → %s (stack %s)", oldDir, newDir, tw.in.Plan().Stack),
		Links: links,
		Extra: template.HTML(extra.String()),
	})
}

func sourceLine(tw *treeWhy, file string, line int) string {
	if b, ok := tw.in.Sources.Line(file, line); ok {
		return strings.TrimSpace(string(b))
	}
	return ""
}

var reviewSection = template.Must(template.New("review").Parse(`<div class="review">
<h2 id="changes">Changes: {{.Count}}</h2>
{{if not .Groups}}<p>No differences.</p>{{end}}
{{range .Groups}}<h3>{{.Nodes}}</h3>
{{range .Files}}<h4>{{.File}}</h4>
<ul>{{range .Changes}}<li id="{{.ID}}">{{.Kind}}{{if .Name}} <code>{{.Name}}</code>{{end}}{{if .Keys}}: {{.Keys}}{{end}}
{{if .Details}}<ul>{{range .Details}}<li><code>{{.}}</code></li>{{end}}</ul>{{end}}
{{if .Values}}<ul>{{range .Values}}<li><code>{{.Path}}</code> {{.Kind}}
{{range .Lines}}<pre class="{{.Class}}">{{.Text}}</pre>{{end}}
{{if .Diff}}<pre>{{range .Diff}}{{.}}
{{end}}</pre>{{end}}
{{if .WhyID}}<a class="why" href="#{{.WhyID}}">why</a>{{else if .WhyCmd}}<code>{{.WhyCmd}}</code>{{end}}</li>{{end}}</ul>{{end}}
</li>{{end}}</ul>
{{end}}{{end}}
{{if .Whys}}<h2 id="why">Why: where each changed value comes from</h2>
{{range .Whys}}<section id="{{.ID}}"><h4>{{.Title}}</h4>
<ol class="why">{{range .Steps}}<li style="margin-left: {{.Indent}}px">{{if .At}}<code>{{.At}}</code> {{end}}<b>{{.Kind}}</b>: {{.Note}}{{if .Extra}} <small>({{.Extra}})</small>{{end}}{{if .Source}}<pre>{{.Source}}</pre>{{end}}</li>{{end}}</ol>
</section>
{{end}}{{end}}
</div>
`))
