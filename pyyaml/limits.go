package pyyaml

// Limits bound what one YAML file may cost, so that a hostile file (a
// "billion laughs" alias bomb, thousands of nested levels, hundreds of
// megabytes) ends in an error instead of exhausting time or memory. The
// defaults are far above anything in tripleo-heat-templates (its largest
// file is 300 KB, its deepest nesting under 30 levels, and its aliases
// expand to a few hundred nodes per file); docs/limits.md records them.
type Limits struct {
	// MaxFileSize is the largest file accepted, in bytes.
	MaxFileSize int64
	// MaxDepth is the deepest nesting of lists and maps accepted. PyYAML
	// itself hits Python's recursion limit at about this depth.
	MaxDepth int
	// MaxAliasNodes is how many nodes alias expansion may create in one
	// document.
	MaxAliasNodes int
}

// Default limits.
const (
	DefaultMaxFileSize   = 8 << 20
	DefaultMaxDepth      = 500
	DefaultMaxAliasNodes = 100_000
)

// DefaultLimits are the limits hoist applies unless told otherwise.
var DefaultLimits = Limits{MaxFileSize: DefaultMaxFileSize, MaxDepth: DefaultMaxDepth, MaxAliasNodes: DefaultMaxAliasNodes}

func (l Limits) withDefaults() Limits {
	if l.MaxFileSize <= 0 {
		l.MaxFileSize = DefaultMaxFileSize
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.MaxAliasNodes <= 0 {
		l.MaxAliasNodes = DefaultMaxAliasNodes
	}
	return l
}
