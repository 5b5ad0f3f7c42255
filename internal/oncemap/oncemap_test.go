package oncemap_test

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"hoist/internal/oncemap"
)

// TestDoOnce: many goroutines asking for the same keys get one call per
// key, and its value and error every time; Each sees the computed keys.
func TestDoOnce(t *testing.T) {
	var m oncemap.Map[string, int]
	var calls atomic.Int64
	bad := errors.New("bad")
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, k := range []string{"a", "b", "c"} {
				v, err := m.Do(k, func() (int, error) {
					calls.Add(1)
					if k == "c" {
						return 0, bad
					}
					return len(k) + 10, nil
				})
				if k == "c" && err != bad || k != "c" && (err != nil || v != 11) {
					t.Errorf("goroutine %d, key %s: %d, %v", g, k, v, err)
				}
			}
		}()
	}
	wg.Wait()
	if n := calls.Load(); n != 3 {
		t.Errorf("%d calls for 3 keys", n)
	}
	seen := map[string]error{}
	m.Each(func(k string, _ int, err error) { seen[k] = err })
	if len(seen) != 3 || seen["c"] != bad || seen["a"] != nil {
		t.Errorf("Each saw %v", seen)
	}
}

// TestDoNested: fn may ask for other keys (a folder's parent first).
func TestDoNested(t *testing.T) {
	var m oncemap.Map[int, int]
	var depth func(n int) (int, error)
	depth = func(n int) (int, error) {
		return m.Do(n, func() (int, error) {
			if n == 0 {
				return 0, nil
			}
			d, err := depth(n - 1)
			return d + 1, err
		})
	}
	if d, err := depth(5); d != 5 || err != nil {
		t.Errorf("depth(5) = %d, %v", d, err)
	}
}
