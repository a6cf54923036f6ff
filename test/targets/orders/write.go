package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"sync"
	"time"
)

// profileKinds are written with WriteTo(w, 0): gzipped profile.proto.
var profileKinds = []string{"heap", "allocs", "mutex", "block", "goroutine", "threadcreate"}

// writeProfiles runs the workload for cfg.duration with CPU profiling and the execution
// tracer on at the same time (so the trace carries CPU samples; the tracer stops after
// cfg.traceFor), then writes every profile.
func writeProfiles(ctx context.Context, cfg config, before bool) error {
	dir := cfg.writeDir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	s, err := startService(ctx, before)
	if err != nil {
		return err
	}

	cpuFile, err := os.Create(filepath.Join(dir, "cpu.pb.gz"))
	if err != nil {
		return err
	}
	defer cpuFile.Close()
	traceFile, err := os.Create(filepath.Join(dir, "trace.out"))
	if err != nil {
		return err
	}
	defer traceFile.Close()
	traceBuf := bufio.NewWriterSize(traceFile, 1<<20)
	if err := trace.Start(traceBuf); err != nil {
		return fmt.Errorf("start trace: %w", err)
	}
	if err := pprof.StartCPUProfile(cpuFile); err != nil {
		trace.Stop()
		return fmt.Errorf("start CPU profile: %w", err)
	}
	// A shorter trace keeps trace.out small while the profiles get the whole duration.
	// sync.Once also makes the final call wait for a Stop the timer already began.
	var stopOnce sync.Once
	stopTrace := func() { stopOnce.Do(trace.Stop) }
	traceTimer := time.AfterFunc(cfg.traceFor, stopTrace)
	runCtx, cancel := context.WithTimeout(ctx, cfg.duration)
	s.run(runCtx, cfg.rate, cfg.duty, 0)
	cancel()
	pprof.StopCPUProfile()
	traceTimer.Stop()
	stopTrace()
	if err := traceBuf.Flush(); err != nil {
		return fmt.Errorf("write trace: %w", err)
	}
	if ctx.Err() != nil {
		return fmt.Errorf("interrupted")
	}

	// Workers are now idle (parked in main.(*service).worker) and every fan-out goroutine
	// has finished, so the goroutine set is the documented one.
	runtime.GC()
	for _, kind := range profileKinds {
		if err := writeProfile(filepath.Join(dir, kind+".pb.gz"), kind, 0); err != nil {
			return err
		}
	}
	for _, debug := range []int{1, 2} {
		name := fmt.Sprintf("goroutine-debug%d.txt", debug)
		if err := writeProfile(filepath.Join(dir, name), "goroutine", debug); err != nil {
			return err
		}
	}
	fmt.Printf("wrote %s: mode=%s orders=%d duration=%s\n", dir, cfg.mode, s.processed.Load(), cfg.duration.Round(time.Millisecond))
	return nil
}

func writeProfile(path, kind string, debug int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup(kind).WriteTo(f, debug); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}
