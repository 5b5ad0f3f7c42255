package cli

import (
	"fmt"
	"hoist/pipeline"

	"hoist/compiler/deploy"
	"hoist/diag"
	"hoist/emit"
	"hoist/lint"
	"hoist/plan"
	"hoist/source"
)

// writeArtifacts is hoist build -o: the plan of the compiled deployment,
// its findings (the plan/ rules), and the artifact tree written to out
// atomically (docs/artifacts.md). A tree that cannot be built (a path
// from a template outside the node folder, an unknown value with
// --strict) or written leaves out as it was and exits 2; error-level plan
// findings exit 1 with the tree written.
func writeArtifacts(env *Env, d *deploy.Deployment, out, configPath string, strict, noSnippet bool) int {
	lo, code := planRules(env, "build", configPath)
	if code != ExitOK {
		return code
	}
	src := source.NewCache()
	for name, data := range d.Sources() {
		src.Add(name, data)
	}
	p := plan.Build(pipeline.FromCompile(d))
	findings := lint.CheckPlan(p, lo)
	tree, ds := emit.Build(p, emit.Options{Strict: strict})
	// A finding in a rendered output (a role template, puppet/services/
	// apache.yaml) is placed at the *.j2.yaml line that wrote it.
	for _, dg := range append(append([]*diag.Diagnostic{}, findings...), ds...) {
		d.Locate(dg, src)
	}
	if all := diag.Sort(append(append([]*diag.Diagnostic{}, findings...), ds...)); len(all) > 0 {
		_ = diag.WriteText(env.Err, all, diag.TextOptions{NoSnippet: noSnippet, Sources: src})
	}
	if tree == nil {
		fmt.Fprintf(env.Err, "hoist build: %s was not written\n", out)
		return ExitUsage
	}
	if err := emit.Write(tree, out); err != nil {
		fmt.Fprintf(env.Err, "hoist build: %v; %s was not changed\n", err, out)
		return ExitUsage
	}
	unknowns := 0
	for _, f := range tree.Files {
		unknowns += len(f.Unknowns)
	}
	nodes := 0
	for _, rp := range p.Roles {
		nodes += len(rp.Nodes)
	}
	fmt.Fprintf(env.Err, "wrote %s: %d nodes, %d files, %d unknown values (listed in %s)\n", out, nodes, len(tree.Files), unknowns, emit.ManifestFile)
	if diag.Max(findings) >= diag.Error {
		return ExitFindings
	}
	return ExitOK
}
