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
	m := newMap()
	m.set("format", value.NewInt(ManifestVersion, source.Range{}))
	m.set("stack", str(p.Stack))
	m.set("release", str(p.Deployment.Rel().Name))
	nodes := newMap()
	for _, rp := range p.Roles {
		for _, n := range rp.Nodes {
			e := newMap()
			e.set("role", str(rp.Role.Name))
			e.set("index", value.NewInt(int64(n.Index), source.Range{}))
			e.set("bootstrap", value.NewBool(n.Bootstrap, source.Range{}))
			nodes.set(n.Hostname, e.value())
		}
	}
	m.set("nodes", nodes.value())
	fm := newMap()
	total := 0
	for _, f := range files {
		e := newMap()
		e.set("sha256", str(f.SHA256()))
		e.set("size", value.NewInt(int64(len(f.Data)), source.Range{}))
		e.set("mode", str(fmt.Sprintf("%04o", f.Mode.Perm())))
		var us []*value.Value
		for _, u := range f.Unknowns {
			ue := newMap()
			ue.set("path", str(u.Path))
			ue.set("reason", str(u.Reason))
			if at := p.Deployment.Where(u.Range); at != "" {
				ue.set("at", str(at))
			}
			us = append(us, ue.value())
		}
		total += len(us)
		e.set("unknowns", list(us))
		fm.set(f.Path, e.value())
	}
	m.set("files", fm.value())
	m.set("unknowns", value.NewInt(int64(total), source.Range{}))
	return &File{Path: ManifestFile, Data: append(value.MarshalIndent(m.value()), '\n'), Mode: 0o644}
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
