package deploy

import (
	"os"
	"path/filepath"
	"strings"

	"hoist/compiler/environment"
	"hoist/compiler/jinja"
	"hoist/compiler/stack"
	"hoist/diag"
	"hoist/source"
	"hoist/value"
)

// The inputs stage: the paths given, roles_data and network_data, and the
// environments merged in the client's order (steps 1 and 2 of the
// package doc).

// prepare resolves the paths, loads the roles and networks, plans the
// Jinja2 rendering and merges the environments.
func (c *compiler) prepare() error {
	in := c.in
	if in.Templates.Path == "" {
		return inputError(in.Templates.At, "no templates: give --templates DIR or templates in a deployment block of hoist.hcl")
	}
	root := stack.Abs(in.Templates.Path)
	if st, err := os.Stat(root); err != nil || !st.IsDir() {
		why := "it is not a folder"
		if err != nil {
			why = unwrap(err).Error()
		}
		return inputError(in.Templates.At, "templates %q cannot be used: %s", in.Templates.Path, why)
	}
	name := in.Name
	if name == "" {
		name = DefaultStackName
	}
	rel, why, err := chooseRelease(root, in.Templates, in.Release, in.Detected)
	if err != nil {
		return err
	}
	d := &Deployment{Name: name, Templates: root, Release: rel, ReleaseWhy: why}
	c.d = d
	c.loader = stack.NewLoader()
	c.loader.Base = c.opts.Base
	d.loader = c.loader

	rolesFile := orDefault(in.RolesFile, root, "roles_data.yaml")
	networkFile := orDefault(in.NetworkFile, root, "network_data.yaml")
	d.RolesFile, d.NetworkFile = rolesFile.Path, networkFile.Path
	roles, err := c.loadData(rolesFile, "roles")
	if err != nil {
		return err
	}
	networks, err := c.loadData(networkFile, "networks")
	if err != nil {
		return err
	}
	c.roles, d.Networks = roles, networks
	r, err := jinja.New(os.DirFS(root), roles, networks, jinja.Options{Dir: c.loader.Display(root)})
	if err != nil {
		return err
	}
	if err := c.checkCounts(); err != nil {
		return err
	}
	c.files = newFiles(root, r)
	d.files = c.files
	c.loader.ReadFile = c.files.ReadFile
	return c.loadEnvironments()
}

func orDefault(p Path, root, name string) Path {
	if p.Path == "" {
		return Path{Path: filepath.Join(root, name), At: p.At}
	}
	return Path{Path: stack.Abs(p.Path), At: p.At}
}

func unwrap(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// loadData loads roles_data or network_data.
func (c *compiler) loadData(p Path, what string) (*value.Value, error) {
	name := c.loader.Display(p.Path)
	src, err := os.ReadFile(p.Path)
	if err != nil {
		at := p.At
		if at.IsZero() {
			at = source.Range{File: name}
		}
		return nil, inputError(at, "cannot read the %s file %s: %v", what, name, unwrap(err))
	}
	return c.loadDocument(p.Path, name, src, nil)
}

// loadEnvironments loads the tree's registry and the -e files, in order,
// and merges them as the TripleO client did.
func (c *compiler) loadEnvironments() error {
	d := c.d
	paths := []Path{{Path: filepath.Join(d.Templates, RegistryFile)}}
	defaults, err := c.defaultEnvironments()
	if err != nil {
		return err
	}
	paths = append(paths, defaults...)
	paths = append(paths, c.in.Environments...)
	var envs []*environment.Env
	for i, p := range paths {
		abs := stack.Abs(p.Path)
		if i > 0 && !c.files.Exists(abs) {
			if st, err := os.Stat(abs); err == nil && st.IsDir() {
				return inputError(p.At, "environment file %s is a folder: give each environment file with its own -e", p.Path)
			}
			return inputError(p.At, "environment file %s does not exist", p.Path)
		}
		name := c.loader.Display(abs)
		src, err := c.files.ReadFile(abs)
		if err != nil {
			if i == 0 && !c.files.isRendered(abs) {
				return inputError(source.Range{File: name}, "the tree has no %s (nor %s to render it from)", RegistryFile, strings.TrimSuffix(RegistryFile, ".yaml")+".j2.yaml")
			}
			return err
		}
		root, err := c.loadDocument(abs, name, src, c.files.ReadFile)
		if err != nil {
			return err
		}
		e, err := environment.Parse(abs, root)
		if err != nil {
			return err
		}
		envs = append(envs, e)
		d.Environments = append(d.Environments, abs)
		if i > 0 && i <= len(defaults) {
			d.Defaults = append(d.Defaults, abs)
		}
	}
	merged, err := environment.Merge(envs...)
	if err != nil {
		return err
	}
	if len(c.in.Counts) > 0 {
		extra := value.NewMapping(len(c.in.Counts))
		for _, n := range c.in.Counts {
			extra.Set(value.NewString(n.Role+"Count", n.At), value.NewInt(int64(n.N), n.At))
		}
		if merged, err = merged.WithParameters(extra); err != nil {
			return err
		}
	}
	d.Env = merged
	return nil
}

// checkCounts checks that every role given a count is in the roles file
// (the roles file itself is checked by the Jinja2 planner).
func (c *compiler) checkCounts() error {
	var names []string
	known := map[string]bool{}
	if c.roles.Kind == value.List {
		for _, spec := range c.roles.List {
			if spec.Kind != value.Map {
				continue
			}
			if n, ok := spec.Map.Get("name"); ok && n.Kind == value.String {
				names = append(names, n.Str)
				known[n.Str] = true
			}
		}
	}
	var errs []*diag.Diagnostic
	for _, n := range c.in.Counts {
		if !known[n.Role] {
			e := diag.Newf(diag.Error, RuleRole, n.At, "role %q is not in the roles file %s; its roles are %s", n.Role, c.loader.Display(c.d.RolesFile), diag.QuoteList(names))
			e.Related = []diag.Related{{Range: c.roles.Range, Message: "the roles file"}}
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		return diag.Err(errs)
	}
	return nil
}
