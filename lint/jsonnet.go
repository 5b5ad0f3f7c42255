package lint

import (
	"path/filepath"

	"hoist/compiler/jsonnet"
	"hoist/diag"
	"hoist/pyyaml"
)

// A file ending in .jsonnet (a service template, an environment, roles
// data written in Jsonnet) is evaluated with compiler/jsonnet and its
// document is checked like a YAML file's: values carry ranges in the
// .jsonnet file. Libraries (.libsonnet) are not documents; they are
// checked through the files that import them, which list them as
// dependencies for the cache.

// loadDocument loads a file for the rules: YAML with Heat's loader, or
// the document a Jsonnet program yields.
func loadDocument(name string, src []byte, lim pyyaml.Limits) (*pyyaml.Document, error) {
	if !jsonnet.IsJsonnet(name) {
		return pyyaml.Load(name, src, lim)
	}
	root, err := jsonnet.Evaluate(name, src, jsonnet.Options{Name: name})
	if err != nil {
		return nil, err
	}
	return &pyyaml.Document{Root: root}, nil
}

// withJsonnetDeps adds the files a Jsonnet file imports (not the embedded
// library, which changes only with hoist) to deps.
func withJsonnetDeps(deps map[string][32]byte, name string, src []byte, hashes *fileHashes) map[string][32]byte {
	if !jsonnet.IsJsonnet(name) || hashes != nil && hashes.off {
		return deps
	}
	imports, err := jsonnet.Imports(name, src, jsonnet.Options{})
	if err != nil || len(imports) == 0 {
		return deps
	}
	var abs []string
	for _, p := range imports {
		if a, err := filepath.Abs(p); err == nil {
			abs = append(abs, a)
		}
	}
	if deps == nil {
		deps = map[string][32]byte{}
	}
	for p, h := range hashes.hashDeps(abs) {
		deps[p] = h
	}
	return deps
}

// The loader's Jsonnet errors are findings of these rules, which, like
// yaml/syntax, cannot be turned off: nothing else can be checked in a file
// that does not evaluate.

type jsonnetSyntax struct{}

func (jsonnetSyntax) Meta() Meta {
	return Meta{ID: jsonnet.RuleSyntax, Severity: diag.Error, Presets: recommended,
		Summary: "a Jsonnet file does not parse, or names a variable that does not exist"}
}

type jsonnetRuntime struct{}

func (jsonnetRuntime) Meta() Meta {
	return Meta{ID: jsonnet.RuleRuntime, Severity: diag.Error, Presets: recommended,
		Summary: "a Jsonnet file fails when evaluated: an error or assert, a type error, an import that cannot be found"}
}

type jsonnetOutput struct{}

func (jsonnetOutput) Meta() Meta {
	return Meta{ID: jsonnet.RuleOutput, Severity: diag.Error, Presets: recommended,
		Summary: "a Jsonnet file evaluates to no document: a function, or a result too large or too slow"}
}

// isJsonnetFile reports whether a walked file is a Jsonnet document.
func isJsonnetFile(name string) bool { return jsonnet.IsJsonnet(name) }
