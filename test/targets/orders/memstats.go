package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
)

// memStatsAtExit is set by -memstats-at-exit: print the runtime's own GC figures as the last
// line on stderr, so tests can check a gctrace parser against runtime.ReadMemStats.
var memStatsAtExit bool

func addMemStatsFlag(fs *flag.FlagSet) {
	fs.BoolVar(&memStatsAtExit, "memstats-at-exit", false,
		`before exiting, print "orders memstats: {JSON}" (NumGC, NumForcedGC, PauseTotalNs, HeapAlloc, NextGC) to stderr`)
}

// printMemStatsAtExit writes one line: `orders memstats: {"NumGC":N,...}`.
func printMemStatsAtExit() {
	if !memStatsAtExit {
		return
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b, _ := json.Marshal(struct {
		NumGC        uint32
		NumForcedGC  uint32
		PauseTotalNs uint64
		HeapAlloc    uint64
		NextGC       uint64
	}{m.NumGC, m.NumForcedGC, m.PauseTotalNs, m.HeapAlloc, m.NextGC})
	fmt.Fprintf(os.Stderr, "orders memstats: %s\n", b)
}
