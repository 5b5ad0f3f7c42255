package pyre

import (
	"errors"
	"strings"
	"testing"
)

// A pattern nested tens of thousands deep compiles and matches, or fails,
// without crashing hoist.
func TestDeepNesting(t *testing.T) {
	for _, p := range []string{
		strings.Repeat("(", 20000) + "a" + strings.Repeat(")", 20000),
		strings.Repeat("(?:a|", 20000) + "b" + strings.Repeat(")", 20000),
		strings.Repeat("(?=", 20000) + "a" + strings.Repeat(")", 20000),
		strings.Repeat("a*", 20000),
		strings.Repeat("[ab]", 20000),
	} {
		re, err := Compile(p, 0)
		if err != nil {
			continue
		}
		if _, err := re.Search(strings.Repeat("a", 100)+"b", 0); err != nil && !errors.Is(err, ErrBacktrack) {
			t.Errorf("%.20q...: %v", p, err)
		}
	}
}
