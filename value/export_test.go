package value

import "hoist/source"

func sourceRange() source.Range {
	return source.Range{File: "t.yaml", Start: source.Pos{Line: 1, Col: 1}}
}
