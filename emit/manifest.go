package emit

import (
	"fmt"
	"strings"

	"hoist/plan"
	"hoist/source"
	"hoist/value"
)

// Files of OUT itself.
const (
	ManifestFile = "manifest.json"
	PlanFile     = "plan.json"
	NodesDir     = "nodes"
)

// ManifestVersion is the version of manifest.json's format.
const ManifestVersion = 1

// manifest lists every file with its size, mode, sha256 and unknowns, and
// the nodes.
func manifest(p *plan.Plan, files []*File) *File {
	m := value.NewObject()
	m.Set("format", value.NewInt(ManifestVersion, source.Range{}))
	m.Set("stack", value.Text(p.Stack))
	m.Set("release", value.Text(p.Deployment.Rel().Name))
	nodes := value.NewObject()
	for _, rp := range p.Roles {
		for _, n := range rp.Nodes {
			e := value.NewObject()
			e.Set("role", value.Text(rp.Role.Name))
			e.Set("index", value.NewInt(int64(n.Index), source.Range{}))
			e.Set("bootstrap", value.NewBool(n.Bootstrap, source.Range{}))
			nodes.Set(n.Hostname, e.Value())
		}
	}
	m.Set("nodes", nodes.Value())
	fm := value.NewObject()
	total := 0
	for _, f := range files {
		e := value.NewObject()
		e.Set("sha256", value.Text(f.SHA256()))
		e.Set("size", value.NewInt(int64(len(f.Data)), source.Range{}))
		e.Set("mode", value.Text(fmt.Sprintf("%04o", f.Mode.Perm())))
		var us []*value.Value
		for _, u := range f.Unknowns {
			ue := value.NewObject()
			ue.Set("path", value.Text(u.Path))
			ue.Set("reason", value.Text(u.Reason))
			if at := p.Deployment.Where(u.Range); at != "" {
				ue.Set("at", value.Text(at))
			}
			us = append(us, ue.Value())
		}
		total += len(us)
		e.Set("unknowns", value.Sequence(us))
		fm.Set(f.Path, e.Value())
	}
	m.Set("files", fm.Value())
	m.Set("unknowns", value.NewInt(int64(total), source.Range{}))
	return &File{Path: ManifestFile, Data: append(value.MarshalIndent(m.Value()), '\n'), Mode: 0o644}
}

// planFile is OUT/plan.json.
func (b *builder) planFile() *File {
	f := b.json(plan.JSON(b.p), 0o644, "  ")
	f.Path = PlanFile
	return f
}

// NodeOf returns the hostname and node path of a file path under
// nodes/<hostname>/, or ok false.
func NodeOf(p string) (host, rel string, ok bool) {
	rest, ok := strings.CutPrefix(p, NodesDir+"/")
	if !ok {
		return "", "", false
	}
	host, rel, ok = strings.Cut(rest, "/")
	return host, rel, ok
}
