//go:build !go1.23

package main

// coroutines needs iter.Pull (Go 1.23); older toolchains run a plain spinning worker instead.
func coroutines(stop chan struct{}) func(id int) {
	return func(id int) {
		for !stopped(stop) {
			spin(5000)
		}
	}
}
