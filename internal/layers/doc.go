// Package layers holds the test of hoist's package layering: which
// packages may reach which (through any chain of imports). It has no code
// of its own.
package layers
