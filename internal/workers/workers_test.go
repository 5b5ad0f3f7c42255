package workers

import (
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
)

func TestRun(t *testing.T) {
	for _, n := range []int{0, 1, 3, 100} {
		var calls, running, most atomic.Int32
		err := Run([]int{4, 2, 0, 1, 3}, n, func(i int) error {
			calls.Add(1)
			r := running.Add(1)
			for {
				m := most.Load()
				if r <= m || most.CompareAndSwap(m, r) {
					break
				}
			}
			defer running.Add(-1)
			if i == 1 || i == 3 {
				return fmt.Errorf("item %d", i)
			}
			return nil
		})
		if calls.Load() != 5 {
			t.Errorf("n=%d: %d calls, want 5", n, calls.Load())
		}
		if err == nil || err.Error() != "item 1" {
			t.Errorf("n=%d: error %v, want the lowest index's (item 1)", n, err)
		}
		if n > 0 && int(most.Load()) > n {
			t.Errorf("n=%d: %d ran at once", n, most.Load())
		}
	}
	if err := Run(nil, 2, func(int) error { return errors.New("never") }); err != nil {
		t.Errorf("no items: %v", err)
	}
	if got := Indexes(3); len(got) != 3 || got[2] != 2 {
		t.Errorf("Indexes(3) = %v", got)
	}
}
