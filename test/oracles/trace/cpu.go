package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"

	"golang.org/x/exp/trace"
)

// cpuCounts is the -cpu output: the trace's CPU profile samples (EventStackSample) whose time,
// in ns since the first event, is in [from, to), counted per function as pprof counts them:
// flat (the sample's innermost frame) and cum (once per sample for every function on its stack).
type cpuCounts struct {
	Samples   int                   `json:"samples"`
	Functions map[string]*funcCount `json:"functions"`
}

type funcCount struct {
	Flat int `json:"flat"`
	Cum  int `json:"cum"`
}

func runCPU(data []byte, from, to int64) error {
	keep, _ := keptEvents(data)
	r, err := trace.NewReader(bytes.NewReader(data))
	if err != nil {
		return err
	}
	out := cpuCounts{Functions: map[string]*funcCount{}}
	var first trace.Time
	for n := 0; n < keep; n++ {
		ev, err := r.ReadEvent()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if n == 0 {
			first = ev.Time()
		}
		if ev.Kind() != trace.EventStackSample {
			continue
		}
		t := int64(ev.Time() - first)
		if t < from || (to >= 0 && t >= to) {
			continue
		}
		out.Samples++
		seen := map[string]bool{}
		leaf := true
		for f := range ev.Stack().Frames() {
			c := out.Functions[f.Func]
			if c == nil {
				c = &funcCount{}
				out.Functions[f.Func] = c
			}
			if leaf {
				c.Flat++
				leaf = false
			}
			if !seen[f.Func] {
				seen[f.Func] = true
				c.Cum++
			}
		}
	}
	return json.NewEncoder(os.Stdout).Encode(out)
}
