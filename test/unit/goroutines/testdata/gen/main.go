// Command gen writes the goroutine dumps, contention and heap profiles kept beside the unit
// tests in ../ (regenerate: see ../README.md). Everything here exists to put known shapes
// into those files: 37 (later 48) goroutines leaked in main.(*notifier).awaitAck, labelled
// goroutines, a contended mutex in main.(*store).put, a blocked channel send in
// main.(*auditLog).record, a retained cache in main.retain and churn in main.churn.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"syscall"
	"time"
)

type notifier struct{ acks chan struct{} }

//go:noinline
func (n *notifier) awaitAck(id int) { <-n.acks; _ = id }

func worker[T any](c chan T) {
	for {
		select {
		case <-c:
		case <-time.After(time.Hour):
		}
	}
}

func recurse(n int, c chan int) int {
	if n == 0 {
		return <-c
	}
	return recurse(n-1, c) + 1
}

type store struct {
	mu sync.Mutex
	m  map[int]int
}

//go:noinline
func (s *store) put(k int) {
	s.mu.Lock()
	for i := 0; i < 200; i++ {
		s.m[(k+i)%64]++
	}
	s.mu.Unlock()
}

type auditLog struct{ ch chan int }

//go:noinline
func (a *auditLog) record(v int) { a.ch <- v }

func (a *auditLog) drain() {
	for v := range a.ch {
		time.Sleep(20 * time.Microsecond)
		_ = v
	}
}

func contend(s *store, a *auditLog) {
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 3000; i++ {
				s.put(i)
				if i%10 == 0 {
					a.record(i)
				}
			}
		}()
	}
	wg.Wait()
}

var retained [][]byte

//go:noinline
func retain(n int) {
	for i := 0; i < n; i++ {
		retained = append(retained, make([]byte, 256<<10))
	}
}

var sink []*[64]byte

//go:noinline
func churn(n int) {
	for i := 0; i < n; i++ {
		b := new([64]byte)
		sink = append(sink, b)
		if len(sink) > 100 {
			sink = sink[:0]
		}
	}
}

func crashInGoroutine() {
	n := &notifier{acks: make(chan struct{})}
	for i := 0; i < 3; i++ {
		go n.awaitAck(i)
	}
	done := make(chan struct{})
	go pprof.Do(context.Background(), pprof.Labels("job", "crash \"quoted\"\t"), func(context.Context) {
		time.Sleep(50 * time.Millisecond)
		panic("boom")
	})
	<-done
}

func writeProfile(dir, name, kind string, debug int) {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		panic(err)
	}
	if err := pprof.Lookup(kind).WriteTo(f, debug); err != nil {
		panic(err)
	}
	f.Close()
}

// writeGoroutines writes the three forms back to back while nothing else runs.
func writeGoroutines(dir, tag string) {
	writeProfile(dir, "goroutine-"+tag+".pb.gz", "goroutine", 0)
	writeProfile(dir, "goroutine-"+tag+"-debug1.txt", "goroutine", 1)
	writeProfile(dir, "goroutine-"+tag+"-debug2.txt", "goroutine", 2)
}

func main() {
	dir := flag.String("dir", ".", "output directory")
	wait := flag.Duration("wait", 0, "time between the early and late goroutine dumps")
	crash := flag.Bool("crash", false, "panic in a labelled goroutine instead (run with GOTRACEBACK=system)")
	flag.Parse()
	if *crash {
		crashInGoroutine()
	}
	// Written before the rates are set: what a program that never sets them serves.
	writeProfile(*dir, "mutex-empty.pb.gz", "mutex", 0)
	writeProfile(*dir, "block-empty.pb.gz", "block", 0)
	runtime.MemProfileRate = 4096
	runtime.SetMutexProfileFraction(1)
	runtime.SetBlockProfileRate(1)

	n := &notifier{acks: make(chan struct{})}
	for i := 0; i < 37; i++ {
		go n.awaitAck(i)
	}
	for i := 0; i < 5; i++ {
		go pprof.Do(context.Background(), pprof.Labels("route", "/orders", "tenant", fmt.Sprint(i%2)), func(context.Context) {
			worker(make(chan int))
		})
	}
	var held sync.Mutex
	held.Lock()
	for i := 0; i < 3; i++ {
		go func() { held.Lock(); held.Unlock() }()
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go func() { c, _ := ln.Accept(); _ = c }()
	var fds [2]int
	if err := syscall.Pipe(fds[:]); err != nil {
		panic(err)
	}
	go func() { b := make([]byte, 1); syscall.Read(fds[0], b) }()
	go func() { runtime.LockOSThread(); select {} }()
	go func() { time.Sleep(time.Hour) }()
	go recurse(150, make(chan int))
	var never sync.WaitGroup
	never.Add(1)
	go func() { never.Wait() }()
	c := sync.NewCond(&sync.Mutex{})
	go func() { c.L.Lock(); c.Wait() }()

	s := &store{m: map[int]int{}}
	a := &auditLog{ch: make(chan int)}
	go a.drain()

	for phase := 1; phase <= 3; phase++ {
		contend(s, a)
		retain(8)
		churn(20000)
		runtime.GC()
		writeProfile(*dir, fmt.Sprintf("heap-%d.pb.gz", phase), "heap", 0)
	}
	writeProfile(*dir, "mutex.pb.gz", "mutex", 0)
	writeProfile(*dir, "block.pb.gz", "block", 0)

	// Wait minutes are counted from the first GC that sees a goroutine parked.
	runtime.GC()
	time.Sleep(100 * time.Millisecond)
	writeGoroutines(*dir, "early")
	time.Sleep(*wait)
	for i := 0; i < 11; i++ {
		go n.awaitAck(100 + i)
	}
	time.Sleep(100 * time.Millisecond)
	writeGoroutines(*dir, "late")
	runtime.KeepAlive(retained)
}
