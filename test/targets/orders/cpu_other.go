//go:build !unix

package main

import "time"

// processCPU is unknown here; 0 makes the duty cap fall back to wall time × GOMAXPROCS.
func processCPU() time.Duration { return 0 }
