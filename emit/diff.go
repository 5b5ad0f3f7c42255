package emit

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"hoist/pyyaml"
	"hoist/release"
	"hoist/value"
)

// Change is one difference between two artifact trees, for review.
type Change struct {
	// Node is the node's hostname ("" for a file of OUT itself).
	Node string
	// File is the file's path in the node folder (or in OUT).
	File string
	// Kind is what changed: "file added", "file removed", "container
	// added", "container removed", "container changed", "hiera key
	// added", "hiera key removed", "hiera key changed", "entry added",
	// "entry removed", "entry changed", "value changed", "lines changed",
	// "mode changed".
	Kind string
	// Name is the container, hiera key, config volume or JSON path.
	Name string
	// Keys are the options of a changed container that differ.
	Keys []string
	// Details say how, one line each (volume added: ..., environment
	// changed: ...).
	Details []string
	// Values are the changed values inside the file, with their paths
	// (for a changed container, hiera key, entry or value).
	Values []ValueChange
}

// maxDetails caps the lines of one change, so that a rewritten file stays
// reviewable.
const maxDetails = 40

// Diff compares two artifact trees written by Write.
func Diff(oldDir, newDir string) ([]Change, error) {
	a, err := readTree(oldDir)
	if err != nil {
		return nil, err
	}
	b, err := readTree(newDir)
	if err != nil {
		return nil, err
	}
	var out []Change
	for _, p := range unionKeysOf(a, b) {
		if p == ManifestFile {
			continue // its changes are the other files'
		}
		fa, inA := a[p]
		fb, inB := b[p]
		node, rel, ok := NodeOf(p)
		if !ok {
			rel = p
		}
		c := Change{Node: node, File: rel}
		switch {
		case !inA:
			c.Kind = "file added"
			out = append(out, c)
			continue
		case !inB:
			c.Kind = "file removed"
			out = append(out, c)
			continue
		}
		if fa.mode != fb.mode {
			c.Kind = "mode changed"
			c.Details = []string{fmt.Sprintf("%04o → %04o", fa.mode, fb.mode)}
			out = append(out, c)
		}
		if fa.sum == fb.sum {
			continue
		}
		out = append(out, diffFile(c, fa.data, fb.data)...)
	}
	return out, nil
}

type treeFile struct {
	data []byte
	mode fs.FileMode
	sum  [sha256.Size]byte
}

// readTree reads the files of a tree, but its objects: each node file is
// a hard link to one (ObjectPath), so the contents are read and hashed
// once per object (once per inode), and two trees' files are compared by
// hash before their contents are.
func readTree(dir string) (map[string]treeFile, error) {
	if _, err := os.Stat(filepath.Join(dir, ManifestFile)); err != nil {
		return nil, fmt.Errorf("%s is not the output of hoist build -o (it has no %s)", dir, ManifestFile)
	}
	out := map[string]treeFile{}
	byInode := map[uint64]treeFile{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == ObjectsDir {
				return filepath.SkipDir
			}
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		ino, linked := inode(info)
		if f, ok := byInode[ino]; ok && linked {
			out[rel] = f
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		f := treeFile{data: data, mode: info.Mode().Perm(), sum: sha256.Sum256(data)}
		if linked {
			byInode[ino] = f
		}
		out[rel] = f
		return nil
	})
	return out, err
}

func loadJSON(name string, data []byte) *value.Value {
	doc, err := pyyaml.Load(name, data, pyyaml.DefaultLimits)
	if err != nil {
		return nil
	}
	return doc.Root
}

// diffFile says how a file changed, by what it holds.
func diffFile(c Change, a, b []byte) []Change {
	rel := c.File
	if !strings.HasSuffix(rel, ".json") {
		c.Kind = "lines changed"
		c.Details = lineDiff(string(a), string(b))
		return []Change{c}
	}
	va, vb := loadJSON(rel, a), loadJSON(rel, b)
	if va == nil || vb == nil {
		c.Kind = "lines changed"
		c.Details = lineDiff(string(a), string(b))
		return []Change{c}
	}
	switch kindOfNodeFile(rel) {
	case stepStartup:
		return diffContainers(c, va, vb)
	case containerStartup:
		// train: one container's options; its name is the file's.
		name := strings.TrimSuffix(path.Base(rel), ".json")
		one := func(v *value.Value) *value.Value {
			m := value.NewMapping(1)
			m.SetString(name, v)
			return value.NewMap(m, v.Range)
		}
		out := diffContainers(c, one(va), one(vb))
		for i := range out {
			for j := range out[i].Values {
				out[i].Values[j].Path = out[i].Values[j].Path[1:]
			}
		}
		return out
	case allStartup:
		var out []Change
		for _, k := range unionKeys(va, vb) {
			for _, d := range diffContainers(c, child(va, k), child(vb, k)) {
				d.Name = k + "." + d.Name
				for i := range d.Values {
					d.Values[i].Path = append(value.Path{{Key: k}}, d.Values[i].Path...)
				}
				out = append(out, d)
			}
		}
		return out
	case hieradataFile:
		return diffMap(c, va, vb, "hiera key")
	case puppetInput:
		return diffPuppet(c, va, vb)
	}
	c.Kind = "value changed"
	c.Values = ValueChanges(nil, va, vb)
	c.Details = detailLines(nil, c.Values)
	return []Change{c}
}

// The kinds of node files hoist diff compares by what they hold.
const (
	otherFile = iota
	allStartup
	stepStartup
	containerStartup
	hieradataFile
	puppetInput
)

// kindOfNodeFile tells what a node path holds, whatever the release whose
// layout wrote it (release.Node).
func kindOfNodeFile(rel string) int {
	if strings.HasPrefix(rel, HieradataDir+"/") {
		return hieradataFile
	}
	for _, r := range release.All() {
		n := r.Node
		switch {
		case n.StartupConfigs != "" && rel == n.StartupConfigs:
			return allStartup
		case n.StepConfig != "" && matchFormat(n.StepConfig, rel):
			return stepStartup
		case n.ContainerConfig != "" && matchFormat(n.ContainerConfig, rel) && !strings.HasPrefix(path.Base(rel), "hashed-"):
			return containerStartup
		case rel == n.PuppetConfig || matchFormat(n.PuppetTasks, rel):
			return puppetInput
		}
	}
	return otherFile
}

// matchFormat tells whether p is a path of a layout format: its %d and %s
// stand for one path element's worth of text.
func matchFormat(format, p string) bool {
	pattern := strings.NewReplacer("%d", "*", "%s", "*").Replace(format)
	ok, _ := path.Match(pattern, p)
	return ok
}

func child(v *value.Value, k string) *value.Value {
	if v == nil || v.Kind != value.Map {
		return nil
	}
	x, _ := v.Map.Get(k)
	return x
}

func unionKeys(a, b *value.Value) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range []*value.Value{a, b} {
		if v == nil || v.Kind != value.Map {
			continue
		}
		for _, e := range v.Map.Entries() {
			k := value.JSONKey(e.Key)
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	slices.Sort(out)
	return out
}

// diffContainers compares two startup configs container by container.
func diffContainers(c Change, a, b *value.Value) []Change {
	var out []Change
	for _, name := range unionKeys(a, b) {
		x, y := child(a, name), child(b, name)
		d := c
		d.Name = name
		switch {
		case x == nil:
			d.Kind = "container added"
			if img := child(y, "image"); img != nil {
				d.Details = []string{"image: " + show(img)}
			}
		case y == nil:
			d.Kind = "container removed"
		case value.Equal(x, y):
			continue
		default:
			d.Kind = "container changed"
			for _, k := range unionKeys(x, y) {
				p, q := child(x, k), child(y, k)
				if p != nil && q != nil && value.Equal(p, q) {
					continue
				}
				d.Keys = append(d.Keys, k)
				d.Details = append(d.Details, optionDiff(k, p, q)...)
				d.Values = append(d.Values, ValueChanges(value.Path{{Key: name}, {Key: k}}, p, q)...)
			}
		}
		out = append(out, d)
	}
	return out
}

// optionDiff says how one container option changed.
func optionDiff(k string, a, b *value.Value) []string {
	switch {
	case a == nil:
		return []string{k + " added: " + show(b)}
	case b == nil:
		return []string{k + " removed (was " + show(a) + ")"}
	}
	if k == "environment" {
		ea, oka := envMap(a)
		eb, okb := envMap(b)
		if oka && okb {
			var out []string
			for _, n := range unionKeysOf(ea, eb) {
				x, inA := ea[n]
				y, inB := eb[n]
				switch {
				case !inA:
					out = append(out, "environment added: "+n+"="+y)
				case !inB:
					out = append(out, "environment removed: "+n+"="+x)
				case x != y:
					out = append(out, "environment changed: "+n+"="+x+" → "+y)
				}
			}
			return out
		}
	}
	if a.Kind == value.List && b.Kind == value.List && k != "command" {
		word := strings.TrimSuffix(k, "s")
		var out []string
		for _, it := range b.List {
			if !containsValue(a.List, it) {
				out = append(out, word+" added: "+show(it))
			}
		}
		for _, it := range a.List {
			if !containsValue(b.List, it) {
				out = append(out, word+" removed: "+show(it))
			}
		}
		if len(out) == 0 {
			out = append(out, k+" reordered")
		}
		return out
	}
	return []string{k + " changed: " + show(a) + " → " + show(b)}
}

func containsValue(list []*value.Value, v *value.Value) bool {
	for _, it := range list {
		if value.Equal(it, v) {
			return true
		}
	}
	return false
}

// envMap reads an environment list (K=V) or mapping.
func envMap(v *value.Value) (map[string]string, bool) {
	out := map[string]string{}
	switch v.Kind {
	case value.List:
		for _, it := range v.List {
			if it.Kind != value.String {
				return nil, false
			}
			k, val, _ := strings.Cut(it.Str, "=")
			out[k] = val
		}
	case value.Map:
		for _, e := range v.Map.Entries() {
			out[value.Str(e.Key)] = value.Str(e.Val)
		}
	default:
		return nil, false
	}
	return out, true
}

// unionKeysOf returns the keys of two maps, sorted, each once.
func unionKeysOf[V any](a, b map[string]V) []string {
	var out []string
	for k := range a {
		out = append(out, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// diffMap compares two maps key by key (hieradata).
func diffMap(c Change, a, b *value.Value, what string) []Change {
	if a.Kind != value.Map || b.Kind != value.Map {
		c.Kind = "value changed"
		c.Values = ValueChanges(nil, a, b)
		c.Details = detailLines(nil, c.Values)
		return []Change{c}
	}
	var out []Change
	for _, k := range unionKeys(a, b) {
		x, y := child(a, k), child(b, k)
		d := c
		d.Name = k
		switch {
		case x == nil:
			d.Kind = what + " added"
			d.Details = []string{show(y)}
			d.Values = ValueChanges(value.Path{{Key: k}}, x, y)
		case y == nil:
			d.Kind = what + " removed"
			d.Details = []string{"was " + show(x)}
			d.Values = ValueChanges(value.Path{{Key: k}}, x, y)
		case same(x, y):
			continue
		default:
			d.Kind = what + " changed"
			d.Values = ValueChanges(value.Path{{Key: k}}, x, y)
			d.Details = detailLines(value.Path{{Key: k}}, d.Values)
		}
		out = append(out, d)
	}
	return out
}

// diffPuppet compares docker-puppet inputs entry by entry (by
// config_volume).
func diffPuppet(c Change, a, b *value.Value) []Change {
	index := map[string]int{} // of b's entries
	key := func(v *value.Value) map[string]*value.Value {
		out := map[string]*value.Value{}
		if v.Kind != value.List {
			return out
		}
		for i, it := range v.List {
			k := value.Str(child(it, "config_volume"))
			if _, dup := out[k]; dup || k == "" {
				k = fmt.Sprintf("%s#%d", k, i)
			}
			out[k] = it
			if v == b {
				index[k] = i
			}
		}
		return out
	}
	ka, kb := key(a), key(b)
	var out []Change
	for _, n := range unionKeysOf(ka, kb) {
		x, y := ka[n], kb[n]
		d := c
		d.Name = n
		switch {
		case x == nil:
			d.Kind = "entry added"
		case y == nil:
			d.Kind = "entry removed"
		case same(x, y):
			continue
		default:
			d.Kind = "entry changed"
			at := value.Path{}.Index(index[n])
			d.Values = ValueChanges(at, x, y)
			d.Details = detailLines(at, d.Values)
		}
		out = append(out, d)
	}
	return out
}

// show renders a value on one line, shortened.
func show(v *value.Value) string {
	var s string
	if v != nil && v.Kind == value.String {
		s = fmt.Sprintf("%q", v.Str)
	} else {
		s = value.Dumps(v)
	}
	if len(s) > 200 {
		s = s[:197] + "..."
	}
	return s
}

// lineDiff lists the lines removed and added between two texts (a longest
// common subsequence of lines; texts this size are small).
func lineDiff(a, b string) []string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	if len(la)*len(lb) > 4_000_000 {
		return []string{fmt.Sprintf("%d lines → %d lines", len(la), len(lb))}
	}
	n, m := len(la), len(lb)
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if la[i] == lb[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	i, j := 0, 0
	for (i < n || j < m) && len(out) < maxDetails {
		switch {
		case i < n && j < m && la[i] == lb[j]:
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			out = append(out, "+ "+lb[j])
			j++
		default:
			out = append(out, "- "+la[i])
			i++
		}
	}
	return out
}
