package main

import (
	"fmt"
	"math"
	"strconv"

	"pprofstudio/targets/internal/detrand"
)

const discountRuleCount = 2048

type discountRule struct {
	id          int
	sku         string
	key         string // "SKU#id", what the naive path compares against
	basisPoints int64
}

var (
	discountRules = makeDiscountRules()
	rulesBySKU    = indexRules(discountRules)
)

func makeDiscountRules() []discountRule {
	r := detrand.New(0xd15c)
	out := make([]discountRule, discountRuleCount)
	for i := range out {
		sku := catalog[(i*7)%catalogSKUs].sku
		out[i] = discountRule{id: i, sku: sku, key: fmt.Sprintf("%s#%d", sku, i), basisPoints: int64(50 + r.Intn(1500))}
	}
	return out
}

func indexRules(rules []discountRule) map[string][]discountRule {
	m := make(map[string][]discountRule)
	for _, r := range rules {
		m[r.sku] = append(m[r.sku], r)
	}
	return m
}

// computePrice is the CPU hot path. naive ("before") formats and re-parses money as
// strings and scans every discount rule per line; the fix uses integer cents and an index.
//
//go:noinline
func computePrice(o *order, naive bool) int64 {
	var total int64
	for i := range o.lines {
		l := &o.lines[i]
		var unit int64
		if naive {
			unit = unitPriceNaive(l)
		} else {
			unit = unitPriceFast(l)
		}
		total += lineTotal(l.qty, unit)
	}
	return applyTax(total, o.tenant)
}

//go:noinline
func unitPriceNaive(l *lineSpec) int64 {
	price := formatCents(l.baseCents)
	for _, rule := range discountRules {
		if fmt.Sprintf("%s#%d", l.sku, rule.id) != rule.key {
			continue
		}
		f, _ := strconv.ParseFloat(price, 64)
		price = strconv.FormatFloat(f*float64(10000-rule.basisPoints)/10000, 'f', 2, 64)
	}
	f, _ := strconv.ParseFloat(price, 64)
	return int64(math.Round(f * 100))
}

//go:noinline
func unitPriceFast(l *lineSpec) int64 {
	cents := l.baseCents
	for _, rule := range rulesBySKU[l.sku] {
		cents = applyBasisPoints(cents, rule.basisPoints)
	}
	return cents
}

//go:noinline
func formatCents(c int64) string { return fmt.Sprintf("%d.%02d", c/100, c%100) }

// The helpers below are small enough for the compiler to inline; profiles then hold
// Locations with several Lines.

func lineTotal(qty int, unitCents int64) int64 { return int64(qty) * unitCents }

func applyBasisPoints(cents, bp int64) int64 {
	return int64(math.Round(float64(cents) * float64(10000-bp) / 10000))
}

func applyTax(cents int64, tenant string) int64 {
	bp := int64(800)
	if tenant == "initech" {
		bp = 0
	}
	return cents + cents*bp/10000
}

func fnvStep(h uint64, c byte) uint64 { return (h ^ uint64(c)) * 1099511628211 }

func hashSKU(seed uint64, s string) uint64 {
	h := seed ^ 14695981039346656037
	for i := 0; i < len(s); i++ {
		h = fnvStep(h, s[i])
	}
	return h
}

const fraudRounds = 15000

// scoreFraud is CPU work that both modes do identically, so before/after diffs show an
// unchanged tower beside the ones that shrink.
//
//go:noinline
func scoreFraud(o *order) float64 {
	var score float64
	h := uint64(o.id)
	for round := 0; round < fraudRounds; round++ {
		for i := range o.lines {
			h = hashSKU(h, o.lines[i].sku)
			score += riskWeight(h, o.lines[i].qty)
		}
	}
	return score / float64(fraudRounds*len(o.lines))
}

func riskWeight(h uint64, qty int) float64 { return float64(h>>40) / float64(1<<24) * float64(qty) }
