package deploy

import (
	"errors"
	"path/filepath"
	"strconv"

	"hoist/compiler/stack"
	"hoist/diag"
	"hoist/release"
	"hoist/value"
)

// PlanEnvironmentFile is the tree's default deployment plan: the TripleO
// client created the plan from it, merging the environments it lists after
// the resource registry and before the user's -e files.
const PlanEnvironmentFile = "plan-environment.yaml"

// chooseRelease returns the release the tree is read as: the one set (a
// name from hoist.hcl or --release), else the one detected. A tree of a
// release hoist does not support is an error naming that release and the
// supported ones, unless a release is set.
func chooseRelease(root string, templates, set Path, detected *release.Detection) (*release.Release, string, error) {
	det, derr := detected, error(nil)
	if det == nil {
		det, derr = release.Detect(root)
	}
	if set.Path != "" {
		r, ok := release.Lookup(set.Path)
		if !ok {
			return nil, "", inputError(set.At, "unknown release %q: hoist supports %s", set.Path, diag.QuoteList(release.Names()))
		}
		why := "set by --release"
		if set.At.File != "" && set.At.File != "<command line>" {
			why = "set at " + set.At.String()
		}
		if derr == nil && det.Name != r.Name {
			why += "; the tree looks like " + det.Name + " (" + det.Why() + ")"
		}
		return r, why, nil
	}
	if errors.Is(derr, release.ErrNotATree) {
		return nil, "", inputError(templates.At, "templates %q hold no Heat template (no YAML file declares heat_template_version): expected a tripleo-heat-templates tree", templates.Path)
	}
	if derr != nil {
		return nil, "", inputError(templates.At, "templates %q: %v", templates.Path, derr)
	}
	if !det.Supported() {
		msg := (&release.UnsupportedError{Root: templates.Path, Detection: det}).Error()
		return nil, "", diag.Newf(diag.Error, RuleRelease, templates.At, "%s", msg)
	}
	return det.Release, "detected: " + det.Why(), nil
}

// defaultEnvironments returns the environments the tree's plan adds after
// the registry: those plan-environment.yaml lists (where the TripleO client
// read them), else the release's defaults that the tree has. An
// environment the user also gives with -e is left to the user's place.
func (c *compiler) defaultEnvironments() ([]Path, error) {
	d := c.d
	given := map[string]bool{}
	for _, p := range c.in.Environments {
		given[stack.Abs(p.Path)] = true
	}
	registry := filepath.Join(d.Templates, RegistryFile)
	var out []Path
	add := func(p Path) {
		abs := stack.Abs(p.Path)
		if abs == registry || given[abs] {
			return
		}
		given[abs] = true
		out = append(out, p)
	}
	planFile := filepath.Join(d.Templates, PlanEnvironmentFile)
	if !c.files.Exists(planFile) {
		for _, e := range d.Release.DefaultEnvironments {
			if p := filepath.Join(d.Templates, e); c.files.Exists(p) {
				add(Path{Path: p})
			}
		}
		return out, nil
	}
	src, err := c.files.ReadFile(planFile)
	if err != nil {
		return nil, err
	}
	name := c.loader.Display(planFile)
	root, err := c.loadDocument(planFile, name, src, nil)
	if err != nil {
		return nil, err
	}
	envs, _ := field(root, "environments")
	if envs == nil || envs.Kind == value.Null {
		return nil, nil
	}
	if envs.Kind != value.List {
		return nil, inputError(envs.Range, "%s: environments must be a list of {path: FILE}, not %s", name, value.Repr(envs))
	}
	for i, e := range envs.List {
		p, _ := field(e, "path")
		if value.KindOf(p) != value.String {
			return nil, inputError(e.Range, "%s: environment %d must be a mapping with a path, not %s", name, i, value.Repr(e))
		}
		abs := filepath.Join(d.Templates, filepath.FromSlash(p.Str))
		if !c.files.Exists(abs) {
			return nil, inputError(p.Range, "%s lists the environment %s, which the tree does not have", name, strconv.Quote(p.Str))
		}
		add(Path{Path: abs, At: p.Range})
	}
	return out, nil
}

func field(v *value.Value, key string) (*value.Value, bool) {
	if value.KindOf(v) != value.Map {
		return nil, false
	}
	return v.Map.Get(key)
}
