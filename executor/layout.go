package executor

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"hoist/diag"
	"hoist/pyyaml"
	"hoist/release"
	"hoist/source"
	"hoist/value"
)

// A node folder holds the files one release's deploy steps wrote on the
// node (release.Node): queens and rocky write one startup config per step
// under docker-* names, stein the same under container-* names, train one
// file per container in a folder per step. The executor reads whichever
// the folder has.

// detectRelease tells the release whose layout a node folder has, and
// why: the tree's manifest.json (hoist build records the release there,
// OUT/manifest.json two folders up), else the files present: train's
// per-container folders, stein's container-startup-config-step_N.json,
// or the docker-* layout of queens and rocky, which differ in what the
// puppet tasks hold (rocky's name their service). nil when the folder
// has no startup config of any release.
func detectRelease(dir string) (*release.Release, string) {
	if r, ok := manifestRelease(dir); ok {
		return r, "the tree's manifest.json says so"
	}
	var found []*release.Release
	for _, r := range release.All() {
		if hasStartupConfigs(dir, &r.Node) {
			found = append(found, r)
		}
	}
	switch {
	case len(found) == 0:
		return nil, ""
	case len(found) == 1:
		return found[0], "its files have " + found[0].Name + "'s layout"
	}
	// The releases that share a layout (queens and rocky): rocky's puppet
	// tasks carry the service_name that its per-service bootstrap reads.
	for _, r := range found {
		if r.RoleData.ServiceNameTasks && tasksNameServices(dir, &r.Node) {
			return r, fmt.Sprintf("%s have its files' layout, and its puppet tasks name their services as %s's did", names(found), r.Name)
		}
	}
	return found[0], fmt.Sprintf("%s have its files' layout and no puppet task names its service; --release %s reads it as %s", names(found), found[len(found)-1].Name, found[len(found)-1].Name)
}

func names(rs []*release.Release) string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Name)
	}
	if len(out) == 2 {
		return out[0] + " and " + out[1]
	}
	return strings.Join(out, ", ")
}

// manifestRelease reads the release of OUT/manifest.json when dir is
// OUT/nodes/<host>/ and the manifest lists the node.
func manifestRelease(dir string) (*release.Release, bool) {
	abs, err := filepath.Abs(dir)
	if err != nil || filepath.Base(filepath.Dir(abs)) != "nodes" {
		return nil, false
	}
	b, err := os.ReadFile(filepath.Join(filepath.Dir(filepath.Dir(abs)), "manifest.json"))
	if err != nil {
		return nil, false
	}
	// A big deployment's manifest is large: only two keys are read.
	var m struct {
		Release string
		Nodes   map[string]json.RawMessage
	}
	if json.Unmarshal(b, &m) != nil || m.Nodes[filepath.Base(abs)] == nil {
		return nil, false
	}
	return release.Lookup(m.Release)
}

// hasStartupConfigs tells whether dir has a startup config of the layout.
func hasStartupConfigs(dir string, ln *release.Node) bool {
	for s := 1; s <= MaxStep; s++ {
		if len(stepFiles(dir, ln, s)) > 0 {
			return true
		}
	}
	return false
}

// tasksNameServices tells whether a puppet tasks file of the layout has
// an entry with a service_name.
func tasksNameServices(dir string, ln *release.Node) bool {
	for s := 1; s <= MaxStep; s++ {
		doc, err := pyyaml.LoadFile(filepath.Join(dir, filepath.FromSlash(ln.PuppetTasksFile(s))), pyyaml.DefaultLimits)
		if err != nil || value.KindOf(doc.Root) != value.List {
			continue
		}
		for _, it := range doc.Root.List {
			if value.KindOf(it) == value.Map && it.Map.Has("service_name") {
				return true
			}
		}
	}
	return false
}

// stepFiles lists the startup config files of step s under dir, node
// paths relative to dir: the step's file, or train's container files of
// step_<s>/ (hashed twins left out), sorted. Only files that exist.
func stepFiles(dir string, ln *release.Node, s int) []string {
	if ln.StepConfig != "" {
		p := ln.StepConfigFile(s)
		if st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(p))); err == nil && st.Mode().IsRegular() {
			return []string{p}
		}
		return nil
	}
	folder := path.Dir(ln.ContainerConfigFile(s, "x"))
	ents, err := os.ReadDir(filepath.Join(dir, filepath.FromSlash(folder)))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if e.Type().IsRegular() && strings.HasSuffix(n, ".json") && !strings.HasPrefix(n, "hashed-") {
			out = append(out, folder+"/"+n)
		}
	}
	slices.Sort(out)
	return out
}

// containerOf is the container name of a train startup config file:
// its base name without ".json".
func containerOf(file string) string { return strings.TrimSuffix(path.Base(file), ".json") }

// loadStep reads step s's startup config from dir: the step's file, or
// train's container files gathered into one {name: options} mapping (the
// way the paunch module read a step's folder). file is what diagnostics
// name for the step as a whole.
func loadStep(dir string, ln *release.Node, s int) (root *value.Value, file string, err error) {
	if ln.StepConfig != "" {
		file = filepath.Join(dir, filepath.FromSlash(ln.StepConfigFile(s)))
		doc, err := pyyaml.LoadFile(file, pyyaml.DefaultLimits)
		if err != nil {
			return nil, file, err
		}
		return doc.Root, file, nil
	}
	files := stepFiles(dir, ln, s)
	file = filepath.Join(dir, filepath.FromSlash(path.Dir(ln.ContainerConfigFile(s, "x"))))
	m := value.NewMapping(len(files))
	var errs []error
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f))
		doc, err := pyyaml.LoadFile(p, pyyaml.DefaultLimits)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		m.Set(value.NewString(containerOf(f), source.Range{File: p, Start: source.Pos{Line: 1, Col: 1}}), doc.Root)
	}
	if err := joinErrors(errs); err != nil {
		return nil, file, err
	}
	return value.NewMap(m, source.Range{File: file}), file, nil
}

// writeStepJSON writes a startup config (or one container's) as the
// config generation script wrote its hashed twins: json.dump(indent=2).
func writeStepJSON(p string, v *value.Value) error {
	var b strings.Builder
	if err := value.WriteJSON(&b, v, value.JSONOptions{Indent: "  "}); err != nil {
		return err
	}
	b.WriteByte('\n')
	return writeFile(p, []byte(b.String()), 0o600)
}

// nodeFilesDiffer says which startup config of step s differs between
// the node folder and what step 1 installed under the root, or that the
// step is not installed ("" when they are the same).
func nodeFilesDiffer(n *Node, root string, s int) (string, bool, error) {
	ln := &n.Release.Node
	want, got := stepFiles(n.Dir, ln, s), stepFiles(root, ln, s)
	if len(got) == 0 && len(want) > 0 {
		return want[0], true, nil
	}
	if !slices.Equal(want, got) {
		return path.Dir(ln.ContainerConfigFile(s, "x")), false, nil
	}
	for _, f := range want {
		a, err := os.ReadFile(n.Path(f))
		if err != nil {
			return "", false, err
		}
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return f, true, nil
		case err != nil:
			return "", false, err
		case string(a) != string(b):
			return f, false, nil
		}
	}
	return "", false, nil
}

// notANodeFolder is the error for a folder with no startup config of
// any release (or of the release asked for).
func notANodeFolder(dir string, rel *release.Release) error {
	if rel != nil {
		if other, _ := detectRelease(dir); other != nil && other != rel {
			return diag.Newf(diag.Error, RuleInput, source.Range{File: dir},
				"not a node folder of %s: it has no %s (it is a %s node folder: drop --release, or give --release %s)", rel.Name, firstStepFile(rel), other.Name, other.Name)
		}
		return diag.Newf(diag.Error, RuleInput, source.Range{File: dir},
			"not a node folder of %s: it has no %s (expected the output of hoist build -o OUT: OUT/nodes/<hostname>/)", rel.Name, firstStepFile(rel))
	}
	var want []string
	for _, r := range release.All() {
		f := firstStepFile(r)
		if !slices.Contains(want, f) {
			want = append(want, f)
		}
	}
	return diag.Newf(diag.Error, RuleInput, source.Range{File: dir},
		"not a node folder: it has no %s (expected the output of hoist build -o OUT: OUT/nodes/<hostname>/)", strings.Join(want, ", nor "))
}

func firstStepFile(r *release.Release) string {
	if r.Node.StepConfig != "" {
		return r.Node.StepConfigFile(1)
	}
	return path.Dir(path.Dir(r.Node.ContainerConfigFile(1, "x"))) + "/step_N/<container>.json"
}
