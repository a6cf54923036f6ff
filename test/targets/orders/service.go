package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// hostileLabel is added as label "note" when -hostile-labels is given, so UI tests can
// prove that strings from a real profile are shown as text, never as HTML.
const hostileLabel = `<img src=x onerror="alert(1)"></script><script>alert(2)</script>`

var addHostileLabel bool

func withHostile(kv ...string) []string {
	if addHostileLabel {
		return append(kv, "note", hostileLabel)
	}
	return kv
}

// orderWorkers is the fixed size of the worker pool (goroutines in main.(*service).worker).
const orderWorkers = 8

type service struct {
	before      bool
	schemaBytes []byte
	schema      map[string]any // parsed once at start-up
	inv         *inventory
	audit       *auditLog
	receipts    *receiptCache
	notifier    *notifier
	jobs        chan job
	nextID      atomic.Int64
	processed   atomic.Int64
	failed      atomic.Int64
	workersUp   sync.WaitGroup
}

type job struct {
	o    *order
	done *sync.WaitGroup
}

// startService performs the slow start-up: generate and parse the catalog schema, replay
// the outbox (leaking in "before" mode), open the webhook, start the worker pool.
func startService(ctx context.Context, before bool) (*service, error) {
	s := &service{before: before}
	s.schemaBytes = generateSchema()
	schema, err := loadSchema(s.schemaBytes)
	if err != nil {
		return nil, err
	}
	s.schema = schema
	s.inv = newInventory(!before)
	s.audit = newAuditLog(!before)
	s.receipts = newReceiptCache(!before)
	addr, err := startWebhook()
	if err != nil {
		return nil, err
	}
	s.notifier = &notifier{fixedAckPath: !before, webhookAddr: addr}
	s.notifier.replayOutbox(ctx, outboxUndeliverable)
	s.jobs = make(chan job)
	for i := 0; i < orderWorkers; i++ {
		s.workersUp.Add(1)
		go s.worker(ctx)
	}
	s.workersUp.Wait()
	return s, nil
}

// loadSchema is the start-up parse of the catalog schema (both modes).
//
//go:noinline
func loadSchema(data []byte) (map[string]any, error) {
	schema, err := parseSchema(data)
	if err != nil {
		return nil, err
	}
	if walkSchema(schema, 0) < 1000 {
		return nil, fmt.Errorf("catalog schema is unexpectedly small")
	}
	return schema, nil
}

// worker is one goroutine of the pool; it lives for the whole process.
//
//go:noinline
func (s *service) worker(ctx context.Context) {
	// Labels on the goroutine itself (not pprof.Do) keep main.(*service).worker as the
	// goroutine's start function in traces and dumps.
	ctx = pprof.WithLabels(ctx, pprof.Labels(withHostile("pool", "orders")...))
	pprof.SetGoroutineLabels(ctx)
	w, err := s.notifier.dial()
	s.workersUp.Done()
	if err != nil {
		fmt.Fprintln(os.Stderr, "orders:", err)
		return
	}
	defer w.conn.Close()
	for {
		select {
		case j := <-s.jobs:
			s.handle(ctx, w, j.o)
			j.done.Done()
		case <-ctx.Done():
			return
		}
	}
}

// handle runs one order with the request labels, as an HTTP handler would.
func (s *service) handle(ctx context.Context, w *webhookClient, o *order) {
	labels := pprof.Labels(withHostile("route", "/orders", "tenant", o.tenant)...)
	pprof.Do(ctx, labels, func(ctx context.Context) {
		if _, err := s.processOrder(ctx, w, o); err != nil {
			s.failed.Add(1)
			return
		}
		s.processed.Add(1)
	})
}

// processOrder is the request path: validate, price, build lines, reserve stock (fan-out),
// render and cache the receipt, notify.
//
//go:noinline
func (s *service) processOrder(ctx context.Context, w *webhookClient, o *order) (int64, error) {
	ctx, task := trace.NewTask(ctx, "order")
	defer task.End()
	trace.Log(ctx, "tenant", o.tenant)

	region := trace.StartRegion(ctx, "validate")
	err := s.validate(o)
	region.End()
	if err != nil {
		return 0, err
	}
	region = trace.StartRegion(ctx, "price")
	total := computePrice(o, s.before)
	if scoreFraud(o) > 1e12 {
		err = fmt.Errorf("order %d: fraud score out of range", o.id)
	}
	region.End()
	if err != nil {
		return 0, err
	}
	items := buildLineItems(o, !s.before)
	region = trace.StartRegion(ctx, "reserve")
	s.reserveAll(o)
	region.End()
	region = trace.StartRegion(ctx, "receipt")
	receipt := renderReceipt(o, items, total)
	releaseLineItems(items, !s.before)
	s.receipts.put(o.id, receipt)
	region.End()
	if w != nil {
		region = trace.StartRegion(ctx, "notify")
		err = s.notifier.notify(w, o, total)
		region.End()
	}
	return total, err
}

// validate checks the order against the catalog schema. The "before" bug: it re-parses
// the whole schema for every order instead of using the copy parsed at start-up.
//
//go:noinline
func (s *service) validate(o *order) error {
	schema := s.schema
	if s.before {
		parsed, err := parseSchema(s.schemaBytes)
		if err != nil {
			return err
		}
		schema = parsed
	}
	return validateOrder(schema, o)
}

// reserveAll reserves every line concurrently (one goroutine per line), which is what
// makes the inventory lock and the audit channel contended.
//
//go:noinline
func (s *service) reserveAll(o *order) {
	var wg sync.WaitGroup
	for i := range o.lines {
		wg.Add(1)
		go func(l *lineSpec) {
			defer wg.Done()
			s.inv.reserve(l.sku, l.qty, s.audit, auditEvent{orderID: o.id, sku: l.sku, qty: l.qty})
		}(&o.lines[i])
	}
	wg.Wait()
}

// run dispatches orders at rate per second until ctx ends, in small batches handed to the
// worker pool. duty caps CPU use at about that fraction of one core: after a batch that
// used c of process CPU time, the next batch waits until c / duty of wall time has passed.
func (s *service) run(ctx context.Context, rate float64, duty float64, leakEvery time.Duration) {
	const tick = 50 * time.Millisecond
	perTick := rate * tick.Seconds()
	var owed float64
	procs := time.Duration(runtime.GOMAXPROCS(0))
	var nextLeak time.Time
	if leakEvery > 0 {
		nextLeak = time.Now().Add(leakEvery)
	}
	for ctx.Err() == nil {
		start, cpuStart := time.Now(), processCPU()
		owed += perTick
		n := int(owed)
		owed -= float64(n)
		if n > 0 {
			s.dispatch(ctx, n)
		}
		if leakEvery > 0 && time.Now().After(nextLeak) {
			s.notifier.leakOne(ctx)
			nextLeak = time.Now().Add(leakEvery)
		}
		busy := time.Since(start)
		used := processCPU() - cpuStart
		if used <= 0 {
			used = busy * procs // CPU time unknown on this platform: assume every P was busy
		}
		wait := max(tick, time.Duration(float64(used)/duty)) - busy
		if wait > 0 {
			select {
			case <-time.After(wait):
			case <-ctx.Done():
			}
		}
	}
}

// dispatch hands n new orders to the worker pool and waits until all are done.
func (s *service) dispatch(ctx context.Context, n int) {
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < n; i++ {
		o := newOrder(s.nextID.Add(1))
		select {
		case s.jobs <- job{o: o, done: &wg}:
		case <-ctx.Done():
			wg.Done()
		}
	}
	wg.Wait()
}

// processOne runs one order synchronously for the HTTP API.
func (s *service) processOne(ctx context.Context, tenant string) (*order, int64, error) {
	o := newOrder(s.nextID.Add(1))
	if tenant != "" {
		o.tenant = tenant
	}
	var total int64
	var err error
	w, err := s.notifier.dial()
	if err != nil {
		return nil, 0, err
	}
	defer w.conn.Close()
	pprof.Do(ctx, pprof.Labels(withHostile("route", "/orders", "tenant", o.tenant)...), func(ctx context.Context) {
		total, err = s.processOrder(ctx, w, o)
	})
	return o, total, err
}

func (s *service) stats() map[string]string {
	return map[string]string{
		"processed":        strconv.FormatInt(s.processed.Load(), 10),
		"failed":           strconv.FormatInt(s.failed.Load(), 10),
		"receiptsCached":   strconv.Itoa(s.receipts.len()),
		"leakedGoroutines": strconv.FormatInt(s.notifier.leaked.Load(), 10),
		"auditApplied":     strconv.FormatInt(s.audit.applied.Load(), 10),
	}
}
