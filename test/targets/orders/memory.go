package main

import (
	"strconv"
	"sync"
)

const (
	receiptBytes = 64 << 10
	// Before: the receipt cache never evicts in practice; the ceiling (2048 × 64 KiB =
	// 128 MiB) only keeps a forgotten process from eating the machine.
	receiptCeilingBefore = 2048
	// After: a bounded cache of the most recent receipts.
	receiptLimitAfter = 4
)

type lineItem struct {
	sku   string
	qty   int
	cents int64
	label string
	tags  []string
	attrs map[string]string
}

type lineBatch struct{ items []lineItem }

var batchPool = sync.Pool{New: func() any { return &lineBatch{items: make([]lineItem, 0, linesPerOrder)} }}

// buildLineItems is the allocation churn: "before" allocates many small objects per line
// (structs, tag slices, strings, a map); the fix reuses pooled batches.
//
//go:noinline
func buildLineItems(o *order, pooled bool) *lineBatch {
	if pooled {
		b := batchPool.Get().(*lineBatch)
		b.items = b.items[:0]
		for i := range o.lines {
			l := &o.lines[i]
			b.items = append(b.items, lineItem{sku: l.sku, qty: l.qty, cents: l.baseCents})
		}
		return b
	}
	var ptrs []*lineItem
	for i := range o.lines {
		l := &o.lines[i]
		it := &lineItem{
			sku:   l.sku,
			qty:   l.qty,
			cents: l.baseCents,
			label: l.sku + " x" + strconv.Itoa(l.qty),
			tags:  []string{"tenant:" + o.tenant, "category:" + strconv.Itoa(l.category)},
			attrs: map[string]string{"gift": "no", "channel": "web"},
		}
		ptrs = append(ptrs, it)
	}
	b := &lineBatch{}
	for _, p := range ptrs {
		b.items = append(b.items, *p)
	}
	return b
}

func releaseLineItems(b *lineBatch, pooled bool) {
	if pooled {
		batchPool.Put(b)
	}
}

// renderReceipt allocates the receipt buffer that the receipt cache retains.
//
//go:noinline
func renderReceipt(o *order, b *lineBatch, total int64) []byte {
	buf := make([]byte, 0, receiptBytes)
	buf = append(buf, "order "...)
	buf = strconv.AppendInt(buf, o.id, 10)
	buf = append(buf, " tenant "...)
	buf = append(buf, o.tenant...)
	buf = append(buf, '\n')
	for _, it := range b.items {
		buf = append(buf, it.sku...)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, int64(it.qty), 10)
		buf = append(buf, '\n')
	}
	buf = append(buf, "total "...)
	buf = strconv.AppendInt(buf, total, 10)
	buf = append(buf, '\n')
	// Receipts are printed on fixed-size forms: pad to the full buffer.
	for len(buf) < receiptBytes {
		buf = append(buf, ' ')
	}
	return buf
}

// receiptCache is the retained-buffers case: "before" keeps every receipt, the fix keeps
// the most recent receiptLimitAfter.
type receiptCache struct {
	mu    sync.Mutex
	limit int
	byID  map[int64][]byte
	order []int64
}

func newReceiptCache(bounded bool) *receiptCache {
	limit := receiptCeilingBefore
	if bounded {
		limit = receiptLimitAfter
	}
	return &receiptCache{limit: limit, byID: make(map[int64][]byte)}
}

//go:noinline
func (c *receiptCache) put(id int64, receipt []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, dup := c.byID[id]; !dup {
		c.order = append(c.order, id)
	}
	c.byID[id] = receipt
	for len(c.order) > c.limit {
		delete(c.byID, c.order[0])
		c.order = c.order[1:]
	}
}

func (c *receiptCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.byID)
}
