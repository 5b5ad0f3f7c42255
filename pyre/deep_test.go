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
		strings.Repeat("(", 5000) + "a" + strings.Repeat(")", 5000),
		strings.Repeat("(?:a|", 5000) + "b" + strings.Repeat(")", 5000),
		strings.Repeat("(?=", 5000) + "a" + strings.Repeat(")", 5000),
		strings.Repeat("a*", 5000),
		strings.Repeat("[ab]", 5000),
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
