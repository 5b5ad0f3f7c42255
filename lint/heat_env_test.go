package lint

import (
	"math/rand/v2"
	"testing"

	"hoist/internal/editdistance"
)

func TestBoundedDistance(t *testing.T) {
	var rows [2][]int
	for _, c := range [][2]string{{"NovaReservedHostMemmory", "NovaReservedHostMemory"}, {"abc", "xyz"}, {"", "ab"}, {"kitten", "sitting"}, {"CinderScStorageProtocol", "CinderSCStorageProtocol"}} {
		want := min(levenshtein(c[0], c[1]), 4)
		if got := boundedDistance(c[0], c[1], 4, &rows); got != want {
			t.Errorf("%q %q: %d, want %d", c[0], c[1], got, want)
		}
	}
}

// TestBoundedDistanceAgreesWithLevenshtein holds the banded distance
// against the full table on random names over a small alphabet (many
// near misses), for every bound up to beyond the names' lengths.
func TestBoundedDistanceAgreesWithLevenshtein(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		b := make([]byte, r.IntN(14))
		for i := range b {
			b[i] = "abcAB"[r.IntN(5)]
		}
		return string(b)
	}
	var rows [2][]int
	for range 20000 {
		a, b := word(), word()
		if r.IntN(3) == 0 {
			// A near copy: a few edits of a.
			bs := []byte(a)
			for range r.IntN(4) {
				if len(bs) > 0 {
					bs[r.IntN(len(bs))] = 'x'
				}
			}
			b = string(bs) + "ab"[:r.IntN(3)]
		}
		for _, bound := range []int{1, 2, 3, 4, 6, 20} {
			want := min(editdistance.Levenshtein(a, b), bound)
			if got := boundedDistance(a, b, bound, &rows); got != want {
				t.Fatalf("boundedDistance(%q, %q, %d) = %d, want %d", a, b, bound, got, want)
			}
		}
	}
}
