package main

import (
	"fmt"

	"pprofstudio/targets/internal/detrand"
)

const (
	catalogSKUs   = 512
	linesPerOrder = 24
)

// tenants in the order mix; an order's tenant is tenants[id % len(tenants)], so acme gets
// three fifths of the orders.
var tenants = []string{"acme", "acme", "globex", "acme", "initech"}

type lineSpec struct {
	sku         string
	category    int
	variantPath [2]int
	qty         int
	baseCents   int64
}

type order struct {
	id     int64
	tenant string
	lines  []lineSpec
}

var catalog = makeCatalog()

type catalogEntry struct {
	sku       string
	baseCents int64
}

func makeCatalog() []catalogEntry {
	r := detrand.New(0xca7a109)
	out := make([]catalogEntry, catalogSKUs)
	for i := range out {
		out[i] = catalogEntry{
			sku:       fmt.Sprintf("%c%c%c-%06d", 'A'+r.Intn(26), 'A'+r.Intn(26), 'A'+r.Intn(26), i),
			baseCents: int64(199 + r.Intn(50000)),
		}
	}
	return out
}

// newOrder returns the deterministic order with this id.
func newOrder(id int64) *order {
	r := detrand.New(uint64(id)*0x9e3779b97f4a7c15 + 1)
	o := &order{id: id, tenant: tenants[int(id%int64(len(tenants)))], lines: make([]lineSpec, linesPerOrder)}
	for i := range o.lines {
		idx := r.Intn(catalogSKUs)
		c := catalog[idx]
		o.lines[i] = lineSpec{
			sku:         c.sku,
			category:    idx % schemaCategories,
			variantPath: [2]int{r.Intn(schemaBranching), r.Intn(schemaBranching)},
			qty:         1 + r.Intn(5),
			baseCents:   c.baseCents,
		}
	}
	return o
}
