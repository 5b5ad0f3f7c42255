package editdistance

import (
	"math/rand"
	"testing"
)

// osaReference is the textbook optimal string alignment distance on the
// whole table, against which OSA's three rows are checked.
func osaReference(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

func TestOSA(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"a", "", 1}, {"", "abc", 3}, {"get_parm", "get_param", 1}, {"get_pram", "get_parm", 1}, {"ab", "ba", 1}, {"kitten", "sitting", 3}, {"ca", "abc", 3}, {"über", "uber", 1}, {"NovaReservedHostMemmory", "NovaReservedHostMemory", 1}} {
		if got := OSA(c.a, c.b); got != c.d {
			t.Errorf("OSA(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
	r := rand.New(rand.NewSource(1))
	word := func() string {
		n := r.Intn(45)
		b := make([]rune, n)
		for i := range b {
			b[i] = []rune("abcé_")[r.Intn(5)]
		}
		return string(b)
	}
	for range 3000 {
		a, b := word(), word()
		if got, want := OSA(a, b), osaReference(a, b); got != want {
			t.Fatalf("OSA(%q, %q) = %d, want %d", a, b, got, want)
		}
	}
}

func TestLevenshtein(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"ab", "ba", 2}, {"restrat", "restart", 2}, {"kitten", "sitting", 3}, {"über", "uber", 1}, {"step4", "step_4", 1}} {
		if got := Levenshtein(c.a, c.b); got != c.d {
			t.Errorf("Levenshtein(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
}
