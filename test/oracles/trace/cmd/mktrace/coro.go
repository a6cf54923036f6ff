//go:build go1.23

package main

import "iter"

// coroutines switches between goroutines with iter.Pull, which the tracer records as
// GoSwitch/GoSwitchDestroy/GoCreateBlocked events.
func coroutines(stop chan struct{}) func(id int) {
	return func(id int) {
		seq := func(yield func(int) bool) {
			for i := 0; ; i++ {
				spin(50)
				if !yield(i) {
					return
				}
			}
		}
		for !stopped(stop) {
			next, done := iter.Pull(iter.Seq[int](seq))
			for k := 0; k < 100; k++ {
				if _, ok := next(); !ok {
					break
				}
			}
			done()
		}
	}
}
