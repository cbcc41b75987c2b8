// Package par runs independent pieces of work on all cores.
package par

import (
	"runtime"
	"sync"
)

// Do calls f(i) for every i in [0, n), on up to GOMAXPROCS goroutines, and
// returns when all calls have returned. Calls must not depend on each other.
func Do(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int, workers)
	for range workers {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
