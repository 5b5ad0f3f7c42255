package emit

import (
	"encoding/binary"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"hoist/model"
	"hoist/plan"
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
	for _, f := range files {
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
	}
	for _, k := range sharedOrder {
		hs := unknowns.hostSet(hostsOf[k])
		for _, u := range unknownsOf[k] {
			unknowns.add(p.Deployment.Where(u.Range), u, place{k.rel, u.Path}, hs)
		}
	}

	// The files of a role's nodes are mostly the same contents: their
	// entries are rendered once.
	type entryKey struct {
		sha      string
		mode     fs.FileMode
		unknowns int
	}
	entries := map[entryKey][]byte{}
	entryOf := make([][]byte, len(files))
	size := 4096 + 128*nodeCount(p)
	for i, f := range files {
		ek := entryKey{f.SHA256(), f.Mode.Perm(), len(f.Unknowns)}
		e, ok := entries[ek]
		if !ok {
			ew := value.NewJSONWriter(nil, 2)
			ew.BeginObject()
			ew.Key("mode")
			ew.String(fmt.Sprintf("%04o", ek.mode))
			ew.Key("sha256")
			ew.String(ek.sha)
			ew.Key("size")
			ew.Int(int64(len(f.Data)))
			ew.Key("unknowns")
			ew.Int(int64(ek.unknowns))
			ew.End()
			e = ew.Bytes()
			entries[ek] = e
		}
		entryOf[i] = e
		size += len(f.Path) + len(e) + 16
	}
	groups := unknowns.groups()
	for _, g := range groups {
		size += g.size()
	}

	// Written as it is walked (keys in sorted order), into one buffer
	// sized beforehand: at 1,000 nodes it is 14 MB, and as values it was
	// the largest part of the build.
	w := value.NewJSONWriter(make([]byte, 0, size), 0)
	w.BeginObject()
	w.Key("files")
	w.BeginObject()
	for i, f := range files {
		w.Key(f.Path)
		w.Raw(entryOf[i])
	}
	w.End()
	w.Key("format")
	w.Int(ManifestVersion)
	if inputs != nil {
		w.Key("inputs")
		w.Value(inputs)
	}
	w.Key("nodes")
	w.BeginObject()
	type roleNode struct {
		role string
		model.Node
	}
	var nodes []roleNode
	for _, rp := range p.Roles {
		for _, n := range rp.Nodes {
			nodes = append(nodes, roleNode{rp.Role.Name, n})
		}
	}
	slices.SortFunc(nodes, func(a, b roleNode) int { return strings.Compare(a.Hostname, b.Hostname) })
	for _, n := range nodes {
		w.Key(n.Hostname)
		w.BeginObject()
		w.Key("bootstrap")
		w.Bool(n.Bootstrap)
		w.Key("index")
		w.Int(int64(n.Index))
		w.Key("role")
		w.String(n.role)
		w.End()
	}
	w.End()
	w.Key("release")
	w.String(p.Deployment.Rel().Name)
	w.Key("stack")
	w.String(p.Stack)
	w.Key("unknown_places")
	w.Int(int64(total))
	w.Key("unknowns")
	w.BeginList()
	for _, g := range groups {
		g.write(w)
	}
	w.End()
	w.End()
	return &File{Path: ManifestFile, Data: append(w.Bytes(), '\n'), Mode: 0o644}
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

// unknownGroup is an entry of the manifest's unknowns: an unknown value
// and the places of it that reach one set of nodes.
type unknownGroup struct {
	e           *unknownEntry
	places      []place
	roles, node []string
}

// groups lists the unknown values in the order first met (files sorted by
// path), one entry per value and set of nodes: the places that reach the
// same nodes are listed together.
func (x *unknownIndex) groups() []unknownGroup {
	var out []unknownGroup
	for _, k := range x.order {
		e := x.byKey[k]
		var sets []*hostSet
		byNodes := map[*hostSet][]place{}
		for _, pl := range e.places {
			g := x.nodesAt(e, pl)
			if _, ok := byNodes[g]; !ok {
				sets = append(sets, g)
			}
			byNodes[g] = append(byNodes[g], pl)
		}
		for _, s := range sets {
			roles, nodes := x.reach(s)
			out = append(out, unknownGroup{e, byNodes[s], roles, nodes})
		}
	}
	return out
}

// size is about the bytes write takes (indents, keys and quotes
// included), to size the manifest's buffer.
func (g unknownGroup) size() int {
	n := 160 + len(g.e.reason) + len(g.e.at)
	for _, pl := range g.places {
		n += 80 + len(pl.file) + len(pl.path)
	}
	for _, s := range g.roles {
		n += 12 + len(s)
	}
	for _, s := range g.node {
		n += 12 + len(s)
	}
	return n
}

func (g unknownGroup) write(w *value.JSONWriter) {
	w.BeginObject()
	if g.e.at != "" {
		w.Key("at")
		w.String(g.e.at)
	}
	w.Key("nodes")
	w.Strings(g.node)
	w.Key("places")
	w.BeginList()
	for _, pl := range g.places {
		w.BeginObject()
		w.Key("file")
		w.String(pl.file)
		w.Key("path")
		w.String(pl.path)
		w.End()
	}
	w.End()
	w.Key("reason")
	w.String(g.e.reason)
	w.Key("roles")
	w.Strings(g.roles)
	w.End()
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
