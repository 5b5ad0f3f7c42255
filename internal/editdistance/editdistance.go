// Package editdistance measures how far apart two names are, for the
// "did you mean" of diagnostics.
package editdistance

// OSA is the optimal string alignment distance: insertions,
// deletions, substitutions and transpositions of neighbours, one each.
func OSA(a, b string) int { return distance(a, b, true) }

// Levenshtein is the edit distance of insertions, deletions and
// substitutions, one each (a transposition counts two).
func Levenshtein(a, b string) int { return distance(a, b, false) }

// distance fills the table of either distance.
func distance(a, b string, transpositions bool) int {
	// Three rows of the table (the transposition looks two back), and
	// the runes of the names, on the stack for names of up to 32 runes.
	var sa, sb [32]rune
	ra, rb := toRunes(a, sa[:0]), toRunes(b, sb[:0])
	var buf [3 * 33]int
	n := len(rb) + 1
	var rows []int
	if 3*n <= len(buf) {
		rows = buf[:3*n]
	} else {
		rows = make([]int, 3*n)
	}
	prev2, prev, cur := rows[:n], rows[n:2*n], rows[2*n:]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if transpositions && i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// toRunes appends the runes of s to buf.
func toRunes(s string, buf []rune) []rune {
	for _, r := range s {
		buf = append(buf, r)
	}
	return buf
}
