package deploy

import (
	"path/filepath"

	"hoist/compiler/environment"
	"hoist/compiler/jinja"
	"hoist/compiler/stack"
	"hoist/diag"
	"hoist/release"
	"hoist/source"
	"hoist/value"
)

// A Tree is a THT tree opened as the TripleO client handed it to Heat,
// without compiling a deployment: its release, its roles and networks, the
// outputs of its Jinja2 templates rendered on demand in place of whatever
// the disk holds at their paths, and its environments merged (the resource
// registry, the plan's default environments, the given ones). Compile
// opens one; lint opens one per tree it checks, to evaluate templates as
// they are deployed and to lint the rendered outputs.
type Tree struct {
	c *compiler
}

// Open opens the tree the inputs name (Templates, Release, RolesFile,
// NetworkFile, Environments, Counts; the rest is the compile's). Errors
// are those of Compile's first stage, located in the Jinja2 templates
// where they fall in a rendered output.
func Open(in Inputs, o Options) (*Tree, error) {
	c := &compiler{in: in, opts: o, missing: newMissingSet()}
	if err := c.prepare(); err != nil {
		err = c.withRenderFailures(err)
		if c.files != nil {
			err = newLocator(c.files, c.loader.Display, o.Sources).err(err)
		}
		return nil, err
	}
	return &Tree{c: c}, nil
}

// Root is the tree's absolute path.
func (t *Tree) Root() string { return t.c.d.Templates }

// Release is the release the tree is read as; ReleaseWhy says why.
func (t *Tree) Release() *release.Release { return t.c.d.Release }

// ReleaseWhy says why the tree is read as its release (the detection's
// evidence, or where the release was set).
func (t *Tree) ReleaseWhy() string { return t.c.d.ReleaseWhy }

// Roles and Networks are the roles_data and network_data documents.
func (t *Tree) Roles() *value.Value    { return t.c.roles }
func (t *Tree) Networks() *value.Value { return t.c.d.Networks }

// RolesFile and NetworkFile are their absolute paths.
func (t *Tree) RolesFile() string   { return t.c.d.RolesFile }
func (t *Tree) NetworkFile() string { return t.c.d.NetworkFile }

// Env is the merged environment: the registry first, then the plan's
// default environments, then the given ones.
func (t *Tree) Env() *environment.Env { return t.c.d.Env }

// Environments are the environment files merged, in order (absolute);
// Defaults those the plan added after the registry.
func (t *Tree) Environments() []string { return t.c.d.Environments }
func (t *Tree) Defaults() []string     { return t.c.d.Defaults }

// Loader reads the tree's templates as Heat got them: rendered outputs
// where a Jinja2 template renders to the path. It names files for
// diagnostics relative to Options.Base.
func (t *Tree) Loader() *stack.Loader { return t.c.loader }

// Renderer plans and renders the tree's Jinja2 templates.
func (t *Tree) Renderer() *jinja.Renderer { return t.c.files.renderer }

// ReadFile reads a file of the tree: a rendered output when a Jinja2
// template renders to abs, else the file on disk.
func (t *Tree) ReadFile(abs string) ([]byte, error) { return t.c.files.ReadFile(abs) }

// IsRendered reports whether abs is the output of a Jinja2 template.
func (t *Tree) IsRendered(abs string) bool { return t.c.files.isRendered(abs) }

// Rendered returns the rendered output at abs (with its source map), nil
// when abs is no output or it does not render.
func (t *Tree) Rendered(abs string) *jinja.File {
	// A file no template renders is not read: lint asks this of every
	// file each evaluated service read.
	if !t.c.files.isRendered(abs) {
		return nil
	}
	if _, err := t.c.files.ReadFile(abs); err != nil {
		return nil
	}
	rel, ok := t.c.files.rel(abs)
	if !ok {
		return nil
	}
	return t.c.files.renderedFiles()[rel]
}

// StackOptions are the options that instantiate templates of the tree as
// the compile does (its environment, its loader, the undercloud's
// networks); lazyDepth as stack.Options.LazyDepth.
func (t *Tree) StackOptions(lazyDepth int) stack.Options { return t.c.stackOptions(lazyDepth) }

// Display names an absolute path as diagnostics name it.
func (t *Tree) Display(abs string) string { return t.c.loader.Display(abs) }

// Abs is the absolute path of a slash path in the tree.
func (t *Tree) Abs(rel string) string { return filepath.Join(t.Root(), filepath.FromSlash(rel)) }

// Locate points a diagnostic that falls in a rendered output at the
// *.j2.yaml line that wrote it (see Deployment.Locate).
func (t *Tree) Locate(d *diag.Diagnostic, sources *source.Cache) {
	newLocator(t.c.files, t.c.loader.Display, sources).diag(d)
}
