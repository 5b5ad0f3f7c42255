// Package stdlib embeds what hoist ships: the example deployment and the
// Jsonnet library that templates written in Jsonnet import
// (`import 'hoist/service.libsonnet'`).
package stdlib

import "embed"

// Examples holds the example deployments under examples/<name>/.
//
//go:embed examples
var Examples embed.FS

// Jsonnet holds the Jsonnet library under jsonnet/: jsonnet/hoist/X is
// imported as 'hoist/X'.
//
//go:embed jsonnet
var Jsonnet embed.FS
