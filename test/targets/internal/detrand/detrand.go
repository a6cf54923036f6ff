// Package detrand is a tiny xorshift generator: unlike math/rand's global source its output
// is fixed across Go versions, so the generated schema, catalog and orders never change.
package detrand

// Rand is a xorshift64 generator. The zero value is not usable; call New.
type Rand struct{ s uint64 }

// New returns a generator seeded with seed (0 is replaced by 1, xorshift's only bad seed).
func New(seed uint64) *Rand {
	if seed == 0 {
		seed = 1
	}
	return &Rand{s: seed}
}

// Next returns the next 64 pseudo-random bits.
func (r *Rand) Next() uint64 {
	r.s ^= r.s << 13
	r.s ^= r.s >> 7
	r.s ^= r.s << 17
	return r.s
}

// Intn returns a pseudo-random number in [0, n); n must be positive.
func (r *Rand) Intn(n int) int { return int(r.Next() % uint64(n)) }
