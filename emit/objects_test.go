package emit_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"hoist/diag"
	"hoist/emit"
	"hoist/plan"
	"hoist/value"
)

const objectRoles = `roles:
  Controller:
    service_names: [keystone]
    docker_config:
      step_3:
        keystone: {image: keystone, command: [kolla_start]}
  Compute:
    service_names: [nova_compute]
    docker_config:
      step_4:
        nova_compute: {image: nova}
`

// TestObjects writes a tree whose node files are hard links to one object
// per content and mode, and checks that every file reads back as the
// tree built it, that identical files share their object, and that the
// manifest names each file's object.
func TestObjects(t *testing.T) {
	d := roleData(t, objectRoles)
	for _, r := range d.Roles {
		if r.Name == "Compute" {
			r.Count = 3
		}
	}
	tree := build(t, d, emit.Options{})
	out := filepath.Join(t.TempDir(), "out")
	if err := emit.Write(tree, out); err != nil {
		t.Fatal(err)
	}
	inodes := map[string]uint64{}
	for _, f := range tree.Files {
		p := filepath.Join(out, filepath.FromSlash(f.Path))
		b, err := os.ReadFile(p)
		if err != nil || !bytes.Equal(b, f.Data) {
			t.Fatalf("%s does not read back as built (%v)", f.Path, err)
		}
		st, err := os.Stat(p)
		if err != nil || st.Mode().Perm() != f.Mode.Perm() {
			t.Fatalf("%s: mode %v, want %v (%v)", f.Path, st.Mode().Perm(), f.Mode.Perm(), err)
		}
		if _, rel, ok := emit.NodeOf(f.Path); ok {
			obj := filepath.Join(out, filepath.FromSlash(emit.ObjectPath(f.SHA256(), f.Mode)))
			ost, err := os.Stat(obj)
			if err != nil || !os.SameFile(st, ost) {
				t.Fatalf("%s is not a link to its object %s (%v)", f.Path, obj, err)
			}
			ino := st.Sys().(*syscall.Stat_t).Ino
			if prev, ok := inodes[rel+f.SHA256()]; ok && prev != ino {
				t.Errorf("%s: identical files of two nodes are two files", rel)
			}
			inodes[rel+f.SHA256()] = ino
		}
	}
	a := filepath.Join(out, "nodes/overcloud-compute-0/var/lib/tripleo-config/docker-container-startup-config-step_4.json")
	b := filepath.Join(out, "nodes/overcloud-compute-2/var/lib/tripleo-config/docker-container-startup-config-step_4.json")
	sa, _ := os.Stat(a)
	sb, _ := os.Stat(b)
	if !os.SameFile(sa, sb) {
		t.Error("the computes' step_4 startup configs are not one object")
	}
	// Objects hold nothing else.
	objects := 0
	filepath.WalkDir(filepath.Join(out, emit.ObjectsDir), func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			objects++
		}
		return nil
	})
	distinct := map[string]bool{}
	for _, f := range tree.Files {
		if _, _, ok := emit.NodeOf(f.Path); ok {
			distinct[emit.ObjectPath(f.SHA256(), f.Mode)] = true
		}
	}
	if objects != len(distinct) {
		t.Errorf("%d objects for %d distinct contents", objects, len(distinct))
	}
}

// TestManifestListsEachUnknownOnce checks format 2's index of unknown
// values: one entry per value, its places, and the nodes said as roles
// when every node of a role has them.
func TestManifestListsEachUnknownOnce(t *testing.T) {
	d := roleData(t, objectRoles)
	for _, r := range d.Roles {
		r.Count = 2
		if r.Name == "Controller" {
			ks := value.Get(value.Get(value.Get(r.Data, "docker_config"), "step_3"), "keystone")
			ks.Map.SetString("image", value.NewUnknown("x", ks.Range))
		}
	}
	tree := build(t, d, emit.Options{})
	var m struct {
		Format   int
		Unknowns []struct {
			Reason string
			Places []struct{ File, Path string }
			Roles  []string
			Nodes  []string
		}
		UnknownPlaces int `json:"unknown_places"`
		Files         map[string]struct {
			Unknowns int
			SHA256   string
		}
	}
	if err := json.Unmarshal(file(t, tree, emit.ManifestFile).Data, &m); err != nil {
		t.Fatal(err)
	}
	if m.Format != 2 {
		t.Errorf("format %d", m.Format)
	}
	found := 0
	total := 0
	for _, f := range m.Files {
		total += f.Unknowns
	}
	if total != m.UnknownPlaces || total == 0 {
		t.Errorf("files count %d unknown places, the manifest says %d", total, m.UnknownPlaces)
	}
	for _, u := range m.Unknowns {
		if u.Reason != "x" {
			continue
		}
		found++
		var files []string
		for _, p := range u.Places {
			files = append(files, p.File+" "+p.Path)
		}
		want := "var/lib/docker-container-startup-configs.json step_3.keystone.image|var/lib/tripleo-config/docker-container-startup-config-step_3.json keystone.image"
		if got := strings.Join(files, "|"); got != want || strings.Join(u.Roles, ",") != "Controller" || len(u.Nodes) != 0 {
			t.Errorf("the unknown image: places %s, roles %v, nodes %v", got, u.Roles, u.Nodes)
		}
	}
	if found != 1 {
		t.Errorf("the unknown image is listed %d times, want once", found)
	}
	// A node's own unknown (its address) is listed with that node.
	own := 0
	for _, u := range m.Unknowns {
		if strings.Contains(u.Reason, "IP address of overcloud-compute-1") && slicesHas(u.Places, "net_ip_map") {
			own++
			if strings.Join(u.Nodes, ",") != "overcloud-compute-1" || len(u.Roles) != 0 {
				t.Errorf("%q reaches roles %v and nodes %v, want overcloud-compute-1", u.Reason, u.Roles, u.Nodes)
			}
		}
	}
	if own == 0 {
		t.Error("no unknown address of overcloud-compute-1 is listed in its net_ip_map.json")
	}
}

func slicesHas(places []struct{ File, Path string }, file string) bool {
	for _, p := range places {
		if strings.Contains(p.File, file) {
			return true
		}
	}
	return false
}

// TestBuildAndWrite: the manifest rendered while the files are written
// gives the same tree, on disk and in memory, as Build then Write.
func TestBuildAndWrite(t *testing.T) {
	d := roleData(t, objectRoles)
	for _, r := range d.Roles {
		r.Count = 3
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	tree := build(t, d, emit.Options{})
	if err := emit.Write(tree, a); err != nil {
		t.Fatal(err)
	}
	both, ds, err := emit.BuildAndWrite(plan.Build(d), emit.Options{}, b)
	if both == nil || err != nil {
		t.Fatalf("BuildAndWrite: %v %v", ds, err)
	}
	if sa, sb := snapshot(t, a), snapshot(t, b); !maps.Equal(sa, sb) || len(sa) == 0 {
		t.Errorf("the trees differ: %d and %d files", len(sa), len(sb))
	}
	if len(both.Files) != len(tree.Files) || both.Files[len(both.Files)-1].Path != emit.ManifestFile ||
		!bytes.Equal(both.Files[len(both.Files)-1].Data, tree.Files[len(tree.Files)-1].Data) {
		t.Error("the trees in memory differ")
	}
	// A build that fails after its nodes were written (--strict, and
	// unknown values): no tree, b as it was, nothing left beside it.
	before := snapshot(t, b)
	if tr, ds, err := emit.BuildAndWrite(plan.Build(d), emit.Options{Strict: true}, b); tr != nil || err != nil || diag.Max(ds) < diag.Error {
		t.Fatalf("a strict build with unknown values: tree %v, err %v, %v", tr != nil, err, ds)
	}
	if after := snapshot(t, b); !maps.Equal(before, after) {
		t.Error("a failed build changed OUT")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("a failed build left %d entries beside OUT, want a and b", len(ents))
	}
	// A failed write (out is a file) is an error, and the tree is still
	// returned for its counts.
	bad := filepath.Join(dir, "file")
	os.WriteFile(bad, nil, 0o644)
	if tr, _, err := emit.BuildAndWrite(plan.Build(d), emit.Options{}, bad); err == nil || tr == nil {
		t.Errorf("writing over a file: tree %v, err %v", tr != nil, err)
	}
}
