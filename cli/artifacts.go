package cli

import (
	"errors"
	"fmt"

	"hoist/diag"
	"hoist/emit"
	"hoist/pipeline"
)

// writeArtifacts is hoist build -o (pipeline.Emit): the plan rules as
// hoist.hcl configures them, their findings and the tree's problems on
// standard error, and what was written. A tree that cannot be built (a
// path from a template outside the node folder, an unknown value with
// --strict) or written leaves out as it was and exits 2; error-level plan
// findings exit 1 with the tree written.
func writeArtifacts(env *Env, in *pipeline.Input, out, configPath string, strict, noSnippet bool) int {
	lo, code := planRules(env, "build", configPath)
	if code != ExitOK {
		return code
	}
	e, err := pipeline.Emit(in, out, pipeline.EmitOptions{Rules: lo, Strict: strict})
	if len(e.Diagnostics) > 0 {
		_ = diag.WriteText(env.Err, e.Diagnostics, diag.TextOptions{NoSnippet: noSnippet, Sources: in.Sources})
	}
	if errors.Is(err, pipeline.ErrNotBuilt) {
		fmt.Fprintf(env.Err, "hoist build: %s was not written\n", out)
		return ExitUsage
	}
	if err != nil {
		fmt.Fprintf(env.Err, "hoist build: %v; %s was not changed\n", err, out)
		return ExitUsage
	}
	fmt.Fprintf(env.Err, "wrote %s: %d nodes, %d files, %d unknown values (listed in %s)\n", out, e.Nodes, len(e.Tree.Files), e.Unknowns, emit.ManifestFile)
	if diag.Max(e.Findings) >= diag.Error {
		return ExitFindings
	}
	return ExitOK
}
