// Package stdlib embeds what hoist ships: the example deployment (and, as
// they are written, the Jsonnet and CUE libraries).
package stdlib

import "embed"

// Examples holds the example deployments under examples/<name>/.
//
//go:embed examples
var Examples embed.FS
