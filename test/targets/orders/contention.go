package main

import (
	"sync"
	"sync/atomic"
	"time"
)

const (
	inventoryShards   = 16
	stockCheckRounds  = 1500
	auditApplyRounds  = 200
	auditWriteLatency = 200 * time.Microsecond
)

// inventory holds stock per SKU. "before" guards it with one global lock held while the
// slow stock check runs; the fix runs the check outside the lock and shards the lock.
type inventory struct {
	sharded bool
	mu      sync.Mutex
	stock   map[string]int64
	shards  [inventoryShards]stockShard
}

type stockShard struct {
	mu    sync.Mutex
	stock map[string]int64
	_     [40]byte // keep shards on separate cache lines
}

func newInventory(sharded bool) *inventory {
	inv := &inventory{sharded: sharded, stock: make(map[string]int64)}
	for i := range inv.shards {
		inv.shards[i].stock = make(map[string]int64)
	}
	for _, c := range catalog {
		inv.stock[c.sku] = 1 << 40
		inv.shards[hashSKU(0, c.sku)%inventoryShards].stock[c.sku] = 1 << 40
	}
	return inv
}

// reserve takes qty units of sku and records the change in the audit log. Its lock is
// the known contended mutex of the target. The "before" bugs: the global lock is held
// across the slow stock check and across the audit send, which blocks until the slow
// consumer takes the event, so waiters pile up even on one CPU.
//
//go:noinline
func (inv *inventory) reserve(sku string, qty int, audit *auditLog, e auditEvent) bool {
	if inv.sharded {
		// The fix: the slow check and the audit send happen outside a per-shard lock.
		if stockLevelCheck(sku) == 0 {
			return false
		}
		sh := &inv.shards[hashSKU(0, sku)%inventoryShards]
		sh.mu.Lock()
		ok := takeStock(sh.stock, sku, qty)
		sh.mu.Unlock()
		audit.record(e)
		return ok
	}
	inv.mu.Lock()
	ok := stockLevelCheck(sku) != 0 && takeStock(inv.stock, sku, qty)
	audit.record(e)
	inv.mu.Unlock()
	return ok
}

func takeStock(stock map[string]int64, sku string, qty int) bool {
	if stock[sku] < int64(qty) {
		return false
	}
	stock[sku] -= int64(qty)
	return true
}

// stockLevelCheck stands for a slow stock query (it never returns 0).
//
//go:noinline
func stockLevelCheck(sku string) uint64 {
	h := uint64(1)
	for i := 0; i < stockCheckRounds; i++ {
		h = hashSKU(h, sku) | 1
	}
	return h
}

type auditEvent struct {
	orderID int64
	sku     string
	qty     int
}

// auditLog is the known contended channel: "before" sends every event on an unbuffered
// channel to one slow consumer; the fix buffers it.
type auditLog struct {
	ch      chan auditEvent
	applied atomic.Int64
	digest  atomic.Uint64
}

func newAuditLog(buffered bool) *auditLog {
	size := 0
	if buffered {
		size = 4096
	}
	a := &auditLog{ch: make(chan auditEvent, size)}
	go a.drain()
	return a
}

//go:noinline
func (a *auditLog) record(e auditEvent) { a.ch <- e }

// drain is the single consumer; it lives for the whole process.
//
//go:noinline
func (a *auditLog) drain() {
	for e := range a.ch {
		a.digest.Add(hashSKU(uint64(e.orderID), e.sku) + uint64(e.qty))
		for i := 0; i < auditApplyRounds; i++ {
			a.digest.Add(hashSKU(uint64(i), e.sku) & 1)
		}
		// Each event is written synchronously (this sleep stands for the write), which is
		// what makes senders queue on an unbuffered channel, whatever the CPU count.
		time.Sleep(auditWriteLatency)
		a.applied.Add(1)
	}
}
