package scenario

import (
	"fmt"
	"hash/fnv"
)

// Rand is a small deterministic generator (splitmix64), so samples are the
// same bytes on every run and every Go version.
type Rand struct{ s uint64 }

// NewRand returns a generator seeded from a name.
func NewRand(seed string) *Rand {
	h := fnv.New64a()
	h.Write([]byte(seed))
	return &Rand{s: h.Sum64()}
}

// Uint64 returns the next value.
func (r *Rand) Uint64() uint64 {
	r.s += 0x9E3779B97F4A7C15
	z := r.s
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// Intn returns a value in [0, n); n must be positive.
func (r *Rand) Intn(n int) int { return int(r.Uint64() % uint64(n)) }

// Between returns a value in [lo, hi].
func (r *Rand) Between(lo, hi int) int { return lo + r.Intn(hi-lo+1) }

// GUID returns a random version-4 GUID as "{XXXXXXXX-...}".
func (r *Rand) GUID() string {
	a, b := r.Uint64(), r.Uint64()
	return fmt.Sprintf("{%08X-%04X-4%03X-%04X-%012X}", uint32(a>>32), uint16(a>>16), uint16(a)&0x0fff,
		(uint16(b>>48)&0x3fff)|0x8000, b&0xffffffffffff)
}

// ThreadID returns a plausible thread id (a multiple of 4).
func (r *Rand) ThreadID() uint32 { return uint32(r.Between(250, 6000) * 4) }
