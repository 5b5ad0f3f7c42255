// Package workers runs one function over many indexes on a bounded number
// of goroutines: the roles of a compile, the config volumes of a node.
package workers

import (
	"runtime"
	"sync"
)

// Run calls fn(i) for every i of order, handing the indexes out in that
// order to at most n goroutines (GOMAXPROCS when n <= 0), and waits for
// all of them. It returns the error of the lowest index that failed, so
// that the error does not depend on the schedule; fn must be safe to call
// concurrently.
func Run(order []int, n int, fn func(i int) error) error {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	size := 0
	for _, i := range order {
		size = max(size, i+1)
	}
	errs := make([]error, size)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(n, len(order)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = fn(i)
			}
		}()
	}
	for _, i := range order {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Indexes returns 0 ... n-1, the order of Run over n items.
func Indexes(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}
