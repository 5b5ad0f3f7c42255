package executor

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"hoist/diag"
	"hoist/model"
	"hoist/pyyaml"
	"hoist/release"
	"hoist/value"
)

// nodeArtifacts are the node files whose values reach commands, as
// globs: the startup configs, config generation's inputs and the kolla
// configs, in the layout of the node's release.
func nodeArtifacts(ln *release.Node) []string {
	var out []string
	if ln.StepConfig != "" {
		out = append(out, strings.Replace(ln.StepConfig, "%d", "*", 1))
	} else {
		out = append(out, strings.NewReplacer("%d", "*", "%s", "*").Replace(ln.ContainerConfig))
	}
	return append(out, ln.PuppetConfig, strings.Replace(ln.PuppetTasks, "%d", "*", 1), "var/lib/kolla/config_files/*.json")
}

// unknownValues returns a diagnostic for each artifact of the node folder
// that holds an unknown value, at the first one in the file. A node built
// with --allow-missing has them in place of image names and passwords:
// nothing can run with them.
func unknownValues(n *Node) []*diag.Diagnostic {
	var files []string
	for _, g := range nodeArtifacts(&n.Release.Node) {
		m, _ := filepath.Glob(n.Path(g))
		for _, f := range m {
			if !strings.HasPrefix(filepath.Base(f), "hashed-") {
				files = append(files, f)
			}
		}
	}
	sort.Strings(files)
	var out []*diag.Diagnostic
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil || !model.HasUnknownText(string(b)) {
			continue
		}
		doc, err := pyyaml.Load(f, b, pyyaml.DefaultLimits)
		if err != nil {
			continue // reported where the file is parsed
		}
		u, count := firstUnknown(doc.Root)
		if u == nil {
			continue
		}
		out = append(out, diag.Newf(diag.Error, RuleInput, u.Range,
			"%s holds %d %s hoist build could not know, e.g. %q; build the node folder with every parameter set (hoist params missing lists them; hoist build --strict refuses unknowns)",
			filepath.Base(f), count, diag.Plural(count, "value", "values"), u.Str))
	}
	return out
}

// firstUnknown returns the first string written as an unknown value, and
// how many there are.
func firstUnknown(v *value.Value) (first *value.Value, count int) {
	var walk func(v *value.Value)
	walk = func(v *value.Value) {
		switch value.KindOf(v) {
		case value.String:
			if model.IsUnknownText(v.Str) {
				if first == nil {
					first = v
				}
				count++
			}
		case value.List:
			for _, it := range v.List {
				walk(it)
			}
		case value.Map:
			for _, e := range v.Map.Entries() {
				walk(e.Val)
			}
		}
	}
	walk(v)
	return first, count
}

// checkUnknowns refuses a real run on a node folder that holds unknown
// values; a dry run only says so, since its point is to show the commands.
func (x *Executor) checkUnknowns(n *Node) error {
	ds := unknownValues(n)
	if len(ds) == 0 {
		return nil
	}
	if x.DryRun {
		for _, d := range ds {
			x.logf("warning: %s", strings.TrimPrefix(d.Error(), d.Range.String()+": error: "))
		}
		x.logf("warning: a real apply refuses this node folder")
		return nil
	}
	return diag.Err(ds)
}
