package deploy

import (
	"hoist/compiler/jsonnet"
	"hoist/pyyaml"
	"hoist/value"
)

// loadDocument loads an input file (roles_data, network_data, an
// environment): YAML, or for a .jsonnet file the document the Jsonnet
// program yields (compiler/jsonnet), with ranges in that file. read reads
// the files it imports; nil means the file system.
func (c *compiler) loadDocument(abs, name string, src []byte, read func(string) ([]byte, error)) (*value.Value, error) {
	if jsonnet.IsJsonnet(abs) {
		return jsonnet.Evaluate(abs, src, jsonnet.Options{ReadFile: read, Display: c.loader.Display})
	}
	doc, err := pyyaml.Load(name, src, pyyaml.DefaultLimits)
	if err != nil {
		return nil, err
	}
	return doc.Root, nil
}
