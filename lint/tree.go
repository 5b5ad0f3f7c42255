package lint

import (
	"sync"

	"hoist/compiler/deploy"
	"hoist/source"
)

// The deployment view of a tree: what the rules that evaluate templates,
// follow the resource registry or lint rendered Jinja2 outputs need of the
// tree a file lies in is the tree as the compile opens it (deploy.Open):
// its Jinja2 outputs rendered on demand, with source maps back to the
// *.j2.yaml lines, and its environments merged: the rendered registry, the
// plan's default environments (plan-environment.yaml, or the release's),
// then Options.Environments. It is opened once per tree and run, on first
// use, and shared by the workers (deploy.Tree is safe for concurrent
// reads).

// treeOpen is the lazily opened deployment view of a tree.
type treeOpen struct {
	once sync.Once
	dt   *deploy.Tree
	err  error
}

// deployTree opens the tree (once) with the run's environments. It
// returns the error of a tree that cannot be opened (roles_data.yaml that
// does not load, an environment that does not exist): those diagnostics
// are findings of the run.
func (t *tree) deployTree(o Options) (*deploy.Tree, error) {
	t.open.once.Do(func() {
		in := deploy.Inputs{Templates: deploy.Path{Path: t.abs}, AllowMissing: true, Detected: t.det}
		if t.rel != nil {
			in.Release = deploy.Path{Path: t.rel.Name}
		}
		for _, e := range o.Environments {
			in.Environments = append(in.Environments, deploy.Path{Path: e, At: source.Range{File: "<command line>"}})
		}
		in.RolesFile, in.NetworkFile = t.dataFiles(o)
		t.open.dt, t.open.err = deploy.Open(in, deploy.Options{Base: o.Base})
	})
	return t.open.dt, t.open.err
}
