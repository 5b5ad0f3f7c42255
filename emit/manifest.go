package emit

import (
	"encoding/binary"
	"fmt"
	"io/fs"
	"slices"
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

// ManifestVersion is the version of manifest.json's format: 2 lists each
// unknown value once, with the places and nodes it reaches, and names the
// object that holds each node file.
const ManifestVersion = 2

// ObjectsDir holds each distinct content of the node files once; the node
// files are hard links to them.
const ObjectsDir = "objects"

// ObjectPath is where the content of a file with that sha256 and mode is
// stored: objects/<first two hex digits>/<the rest>-<mode in octal>. Two
// files share an object when they have the same bytes and the same mode.
func ObjectPath(sha256 string, mode fs.FileMode) string {
	return fmt.Sprintf("%s/%s/%s-%04o", ObjectsDir, sha256[:2], sha256[2:], mode.Perm())
}

// manifest lists every file with its size, mode, sha256 and the number of
// unknown values it holds; each unknown value once, with where it was
// made, the places (file on the node, path in the file) that hold it and
// the nodes those places are on (roles whose every node has them, then
// single nodes); the nodes; and, when known, the inputs of the compile.
func manifest(p *plan.Plan, files []*File, inputs *value.Value) *File {
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
	if inputs != nil {
		m.Set("inputs", inputs)
	}
	fm := value.NewObject()
	total := 0
	unknowns := newUnknownIndex(p)
	// A role's file shared by its nodes holds the same unknowns on each:
	// they are indexed once per file and content, with the nodes that
	// have it.
	type shared struct {
		rel  string
		list *Unknown
	}
	var sharedOrder []shared
	hostsOf := map[shared][]string{}
	unknownsOf := map[shared][]Unknown{}
	// The files of a role's nodes are mostly the same contents: their
	// entries are one value each, shared.
	type entryKey struct {
		sha      string
		mode     fs.FileMode
		unknowns int
	}
	entries := map[entryKey]*value.Value{}
	for _, f := range files {
		ek := entryKey{f.SHA256(), f.Mode.Perm(), len(f.Unknowns)}
		ev := entries[ek]
		if ev == nil {
			e := value.NewObject()
			e.Set("sha256", value.Text(ek.sha))
			e.Set("size", value.NewInt(int64(len(f.Data)), source.Range{}))
			e.Set("mode", value.Text(fmt.Sprintf("%04o", ek.mode)))
			e.Set("unknowns", value.NewInt(int64(ek.unknowns), source.Range{}))
			ev = e.Value()
			entries[ek] = ev
		}
		host, rel, onNode := NodeOf(f.Path)
		if !onNode {
			rel = f.Path
		}
		if len(f.Unknowns) > 0 {
			k := shared{rel, &f.Unknowns[0]}
			if _, ok := hostsOf[k]; !ok {
				sharedOrder = append(sharedOrder, k)
				unknownsOf[k] = f.Unknowns
			}
			hostsOf[k] = append(hostsOf[k], host)
		}
		total += len(f.Unknowns)
		fm.Set(f.Path, ev)
	}
	for _, k := range sharedOrder {
		hs := unknowns.hostSet(hostsOf[k])
		for _, u := range unknownsOf[k] {
			unknowns.add(p.Deployment.Where(u.Range), u, place{k.rel, u.Path}, hs)
		}
	}
	m.Set("files", fm.Value())
	m.Set("unknowns", unknowns.value())
	m.Set("unknown_places", value.NewInt(int64(total), source.Range{}))
	// About 200 bytes a file and 300 an unknown value: one allocation
	// instead of the doublings of a 14 MB manifest at 1,000 nodes.
	data := value.AppendIndent(make([]byte, 0, 256*len(files)+384*len(unknowns.order)+4096), m.Value())
	return &File{Path: ManifestFile, Data: append(data, '\n'), Mode: 0o644}
}

// place is where an unknown value is written: a file (relative to its
// node folder, or to OUT for a file of OUT itself) and the value's path in
// it.
type place struct{ file, path string }

// unknownIndex gathers each unknown value (its reason and where it was
// made) with its places, and the nodes of each place.
type unknownIndex struct {
	order []string
	byKey map[string]*unknownEntry
	// roles are the roles and their sizes, roleOf each node's role, to
	// say "every node of Compute" once.
	roles  []roleSize
	roleOf map[string]int
	// sets interns the sets of nodes: the nodes of a role's shared file
	// are one set for all the unknowns in it (at 1,000 nodes, a copy of
	// the list per unknown value was a third of the build).
	sets map[string]*hostSet
	// unions are the unions of several sets, by their ids.
	unions map[string]*hostSet
}

type roleSize struct {
	name string
	size int
}

// hostSet is a sorted set of nodes, its key (the names joined) and, once
// asked, how reach says it.
type hostSet struct {
	id           int
	key          string
	hosts        []string
	reached      bool
	roles, nodes []string
}

type unknownEntry struct {
	reason, at string
	places     []place
	nodes      map[place][]*hostSet
}

func newUnknownIndex(p *plan.Plan) *unknownIndex {
	x := &unknownIndex{byKey: map[string]*unknownEntry{}, roleOf: map[string]int{}, sets: map[string]*hostSet{}, unions: map[string]*hostSet{}}
	for i, rp := range p.Roles {
		x.roles = append(x.roles, roleSize{rp.Role.Name, len(rp.Nodes)})
		for _, n := range rp.Nodes {
			x.roleOf[n.Hostname] = i
		}
	}
	return x
}

// hostSet returns the interned set of the nodes given ("" is a file of
// OUT itself, on no node).
func (x *unknownIndex) hostSet(hosts []string) *hostSet {
	var hs []string
	for _, h := range hosts {
		if h != "" {
			hs = append(hs, h)
		}
	}
	slices.Sort(hs)
	hs = slices.Compact(hs)
	key := strings.Join(hs, "\x00")
	if s := x.sets[key]; s != nil {
		return s
	}
	s := &hostSet{id: len(x.sets), key: key, hosts: hs}
	x.sets[key] = s
	return s
}

// reach says a set of nodes compactly: the roles all of whose nodes
// (more than one) are in it, and the other nodes one by one.
func (x *unknownIndex) reach(s *hostSet) (roles, nodes []string) {
	if s.reached {
		return s.roles, s.nodes
	}
	count := make([]int, len(x.roles))
	for _, h := range s.hosts {
		if r, ok := x.roleOf[h]; ok {
			count[r]++
		}
	}
	whole := func(h string) bool {
		r, ok := x.roleOf[h]
		return ok && x.roles[r].size > 1 && count[r] == x.roles[r].size
	}
	roles = []string{}
	for i, r := range x.roles {
		if r.size > 1 && count[i] == r.size {
			roles = append(roles, r.name)
		}
	}
	for _, h := range s.hosts {
		if !whole(h) {
			nodes = append(nodes, h)
		}
	}
	s.reached, s.roles, s.nodes = true, roles, nodes
	return roles, nodes
}

func (x *unknownIndex) add(at string, u Unknown, pl place, hosts *hostSet) {
	k := u.Reason + "\x00" + at
	e := x.byKey[k]
	if e == nil {
		e = &unknownEntry{reason: u.Reason, at: at, nodes: map[place][]*hostSet{}}
		x.byKey[k] = e
		x.order = append(x.order, k)
	}
	had, seen := e.nodes[pl]
	if !seen {
		e.places = append(e.places, pl)
	}
	if !slices.Contains(had, hosts) {
		e.nodes[pl] = append(had, hosts)
	}
}

// nodesAt is the set of nodes a place of an entry reaches: one set, or
// the union of several (a node's own file: one set per node), made once
// for all the entries with the same sets.
func (x *unknownIndex) nodesAt(e *unknownEntry, pl place) *hostSet {
	sets := e.nodes[pl]
	if len(sets) == 1 {
		return sets[0]
	}
	var ids []byte
	for _, s := range sets {
		ids = binary.AppendUvarint(ids, uint64(s.id))
	}
	if u := x.unions[string(ids)]; u != nil {
		return u
	}
	var all []string
	for _, s := range sets {
		all = append(all, s.hosts...)
	}
	u := x.hostSet(all)
	x.unions[string(ids)] = u
	return u
}

// value lists the unknown values in the order first met (files sorted by
// path), one entry per value and set of nodes: the places that reach the
// same nodes are listed together.
func (x *unknownIndex) value() *value.Value {
	var out []*value.Value
	for _, k := range x.order {
		e := x.byKey[k]
		var groups []*hostSet
		byNodes := map[*hostSet][]place{}
		for _, pl := range e.places {
			g := x.nodesAt(e, pl)
			if _, ok := byNodes[g]; !ok {
				groups = append(groups, g)
			}
			byNodes[g] = append(byNodes[g], pl)
		}
		for _, g := range groups {
			ue := value.NewObject()
			ue.Set("reason", value.Text(e.reason))
			if e.at != "" {
				ue.Set("at", value.Text(e.at))
			}
			var places []*value.Value
			for _, pl := range byNodes[g] {
				po := value.NewObject()
				po.Set("file", value.Text(pl.file))
				po.Set("path", value.Text(pl.path))
				places = append(places, po.Value())
			}
			ue.Set("places", value.Sequence(places))
			roles, nodes := x.reach(g)
			ue.Set("roles", value.Texts(roles))
			ue.Set("nodes", value.Texts(nodes))
			out = append(out, ue.Value())
		}
	}
	if out == nil {
		out = []*value.Value{}
	}
	return value.Sequence(out)
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
