// Command mktrace runs a busy, varied workload under runtime/trace and writes the execution
// trace to a file. It is the second trace source for pprof Studio's trace tests (beside the
// programs in test/targets) and the generator of the large benchmark trace.
//
//	mktrace -o FILE [-d 1500ms] [-cpuprofile] [-size MB] [-workers N] [-gomaxprocs N] [-mix all|service]
//
// The workload exercises every kind of scheduling event the reader must order: channel and
// mutex blocking, select, sleeps, blocking syscalls on pipes, loopback TCP (netpoll),
// allocation-driven GC (mark assists, STW), Gosched, goroutine churn, iter.Pull coroutine
// switches, GOMAXPROCS changes, user tasks/regions/logs, and goroutines that exist (some in
// syscalls, some blocked forever) before tracing starts. -mix service runs a more typical
// server load instead (HTTP on loopback, JSON, a contended cache, allocation, timers), which
// the benchmark uses. Every loop stops when tracing stops; sockets are on 127.0.0.1 only.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"sync"
	"sync/atomic"
	"time"
)

var sink atomic.Uint64

type countingWriter struct {
	w io.Writer
	n atomic.Int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n.Add(int64(len(p)))
	return c.w.Write(p)
}

func main() {
	out := flag.String("o", "trace.out", "output file")
	dur := flag.Duration("d", 1500*time.Millisecond, "how long to trace (minimum when -size is set)")
	sizeMB := flag.Int("size", 0, "keep tracing until the file holds at least this many MB")
	maxDur := flag.Duration("max", 10*time.Minute, "upper bound on tracing time with -size")
	cpu := flag.Bool("cpuprofile", false, "run the CPU profiler while tracing (adds CPU samples)")
	workers := flag.Int("workers", 8, "workers per workload kind")
	procs := flag.Int("gomaxprocs", 0, "GOMAXPROCS (0 = leave as is)")
	mix := flag.String("mix", "all", "workload: all (every kind of event) or service (an HTTP service on loopback, for the benchmark)")
	flag.Parse()
	if *procs > 0 {
		runtime.GOMAXPROCS(*procs)
	}

	f, err := os.Create(*out)
	if err != nil {
		fail(err)
	}
	cw := &countingWriter{w: f}

	stop := make(chan struct{})
	var wg sync.WaitGroup

	// Goroutines that exist before tracing starts: their first event is a status event.
	pr, pw, err := os.Pipe()
	if err != nil {
		fail(err)
	}
	wg.Add(1)
	go func() { // sits in a blocking read syscall until the pipe is written
		defer wg.Done()
		buf := make([]byte, 1)
		for {
			if _, err := pr.Read(buf); err != nil || buf[0] == 'q' {
				return
			}
		}
	}()
	go func() { select {} }() // blocked forever
	early := make(chan int)
	var earlyWG sync.WaitGroup
	earlyWG.Add(1)
	go func() {
		defer earlyWG.Done()
		for v := range early {
			sink.Add(uint64(v))
		}
	}()
	time.Sleep(20 * time.Millisecond)

	if *cpu {
		if err := pprof.StartCPUProfile(io.Discard); err != nil {
			fail(err)
		}
	}
	if err := trace.Start(cw); err != nil {
		fail(err)
	}

	switch *mix {
	case "all":
		start(&wg, stop, *workers, pw, early)
	case "service":
		service(&wg, stop, *workers)
	default:
		fail(fmt.Errorf("unknown -mix %q", *mix))
	}

	deadline := time.Now().Add(*dur)
	hardStop := time.Now().Add(*maxDur)
	for {
		time.Sleep(20 * time.Millisecond)
		now := time.Now()
		if now.After(hardStop) {
			break
		}
		if now.After(deadline) && cw.n.Load() >= int64(*sizeMB)<<20 {
			break
		}
	}
	close(stop)
	pw.Write([]byte{'q'})
	wg.Wait()
	close(early)
	earlyWG.Wait()
	trace.Stop()
	if *cpu {
		pprof.StopCPUProfile()
	}
	if err := f.Close(); err != nil {
		fail(err)
	}
	fmt.Fprintf(os.Stderr, "mktrace: wrote %d bytes to %s\n", cw.n.Load(), *out)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "mktrace:", err)
	os.Exit(1)
}

func stopped(stop <-chan struct{}) bool {
	select {
	case <-stop:
		return true
	default:
		return false
	}
}

func spin(n int) {
	x := uint64(n)
	for i := 0; i < n; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	sink.Add(x)
}

func start(wg *sync.WaitGroup, stop chan struct{}, workers int, pw *os.File, early chan int) {
	run := func(fn func(id int)) {
		for i := 0; i < workers; i++ {
			wg.Add(1)
			go func(id int) {
				defer wg.Done()
				fn(id)
			}(i)
		}
	}

	// Channel ping-pong pairs.
	run(func(id int) {
		ping, pong := make(chan int), make(chan int)
		go func() {
			for v := range ping {
				spin(200)
				pong <- v + 1
			}
			close(pong)
		}()
		for i := 0; !stopped(stop); i++ {
			ping <- i
			<-pong
		}
		close(ping)
		for range pong {
		}
	})

	// Mutex contention and sync.Cond.
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	shared := 0
	run(func(id int) {
		for !stopped(stop) {
			mu.Lock()
			shared++
			spin(500)
			if shared%7 == 0 {
				cond.Broadcast()
			}
			mu.Unlock()
		}
		mu.Lock()
		cond.Broadcast()
		mu.Unlock()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		mu.Lock()
		for !stopped(stop) {
			cond.Wait()
		}
		mu.Unlock()
	}()

	// Select with timers and sleeps.
	run(func(id int) {
		t := time.NewTicker(time.Duration(1+id%3) * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				spin(1000)
			}
			if id%2 == 0 {
				time.Sleep(200 * time.Microsecond)
			}
		}
	})

	// Blocking syscalls on a pipe pair, and writes to the early reader's pipe.
	run(func(id int) {
		r, w, err := os.Pipe()
		if err != nil {
			return
		}
		defer r.Close()
		done := make(chan struct{})
		go func() {
			defer close(done)
			buf := make([]byte, 64)
			for {
				if _, err := r.Read(buf); err != nil {
					return
				}
			}
		}()
		msg := []byte("0123456789abcdef")
		for i := 0; !stopped(stop); i++ {
			w.Write(msg)
			if i%50 == 0 {
				pw.Write([]byte{'x'})
				os.Stat(os.TempDir())
			}
			time.Sleep(50 * time.Microsecond)
		}
		w.Close()
		<-done
	})

	// Loopback TCP: netpoll waits.
	if ln, err := net.Listen("tcp", "127.0.0.1:0"); err == nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-stop
			ln.Close()
		}()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				go func() {
					defer c.Close()
					io.Copy(c, c)
				}()
			}
		}()
		run(func(id int) {
			c, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second)
			if err != nil {
				return
			}
			defer c.Close()
			buf := make([]byte, 32)
			for !stopped(stop) {
				c.SetDeadline(time.Now().Add(time.Second))
				if _, err := c.Write(buf); err != nil {
					return
				}
				if _, err := io.ReadFull(c, buf); err != nil {
					return
				}
			}
		})
	}

	// Allocation pressure: GC cycles, mark assists, stop-the-world.
	run(func(id int) {
		var keep [][]byte
		for i := 0; !stopped(stop); i++ {
			keep = append(keep, make([]byte, 1024+rand.Intn(8192)))
			if len(keep) > 2000 {
				keep = keep[:0]
			}
			if i%5000 == 0 && id == 0 {
				runtime.GC()
			}
		}
		sink.Add(uint64(len(keep)))
	})

	// Gosched, goroutine churn, WaitGroups.
	run(func(id int) {
		for !stopped(stop) {
			var inner sync.WaitGroup
			for j := 0; j < 8; j++ {
				inner.Add(1)
				go func() {
					defer inner.Done()
					spin(300)
					runtime.Gosched()
					spin(300)
				}()
			}
			inner.Wait()
			early <- id
		}
	})

	// Coroutine switches through iter.Pull (Go 1.23+; see coro.go).
	run(coroutines(stop))

	// User annotations: tasks, regions, logs.
	run(func(id int) {
		for i := 0; !stopped(stop); i++ {
			ctx, task := trace.NewTask(context.Background(), "order")
			trace.Log(ctx, "id", fmt.Sprint(i))
			trace.WithRegion(ctx, "validate", func() { spin(2000) })
			r := trace.StartRegion(ctx, "store")
			time.Sleep(100 * time.Microsecond)
			r.End()
			task.End()
		}
	})

	// GOMAXPROCS changes.
	wg.Add(1)
	go func() {
		defer wg.Done()
		orig := runtime.GOMAXPROCS(0)
		for i := 0; !stopped(stop); i++ {
			time.Sleep(150 * time.Millisecond)
			if i%2 == 0 {
				runtime.GOMAXPROCS(max(1, orig-1))
			} else {
				runtime.GOMAXPROCS(orig)
			}
		}
		runtime.GOMAXPROCS(orig)
	}()
}
