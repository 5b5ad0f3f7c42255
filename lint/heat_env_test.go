package lint

import "testing"

func TestBoundedDistance(t *testing.T) {
	var rows [2][]int
	for _, c := range [][2]string{{"NovaReservedHostMemmory", "NovaReservedHostMemory"}, {"abc", "xyz"}, {"", "ab"}, {"kitten", "sitting"}, {"CinderScStorageProtocol", "CinderSCStorageProtocol"}} {
		want := min(levenshtein(c[0], c[1]), 4)
		if got := boundedDistance(c[0], c[1], 4, &rows); got != want {
			t.Errorf("%q %q: %d, want %d", c[0], c[1], got, want)
		}
	}
}
