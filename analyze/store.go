package analyze

import (
	"container/heap"
	"time"
)

// Bounds on what the analysis keeps, so memory is bounded whatever the
// input holds (README "Memory bound"). Past them the oldest records are cut
// (Window.Cut says so); records are never dropped at random.
const (
	// DefaultFactLimit is the number of distinct relevant records kept when
	// Options.FactLimit is zero. With what the analysis builds of them
	// (jobs, failures) it keeps bitsdiag report under 200 MiB of RSS on
	// the crafted inputs of the campaign's TestCraftedMemory, and lets a
	// log of 30,000 jobs (120,000 events) be analysed whole.
	DefaultFactLimit = 120_000
	// DefaultFactBytes bounds the estimated size of the kept facts when
	// Options.FactBytes is zero (factCost).
	DefaultFactBytes = 96 << 20
	// maxSightings bounds the copies a relative window (--since 72h) keeps
	// while it waits for the newest event (24 bytes each).
	maxSightings = 2 << 20
)

// factCost estimates what one kept fact costs: the fact, its map and heap
// entries, its share of what the analysis derives of it, and its payload
// values up to what an uninterned value keeps (strings shared through the
// intern table are bounded by the table). It depends on the fact's content
// only, so copies of one record cost the same and the cut is deterministic.
func factCost(f *Fact) int64 {
	n := int64(300 + 48*len(f.Data) + len(f.Binary))
	for _, d := range f.Data {
		n += int64(min(len(d.Value), maxLoneString))
	}
	return n
}

// kept is one distinct relevant record: the preferred copy's fact and the
// number of copies seen in the window.
type kept struct {
	fact   *Fact
	copies int
}

// factStore holds the distinct relevant records, deduplicated across copies,
// within a count and a size bound. When a new record would exceed either,
// the oldest records (all those of the oldest time) are cut, and so is any
// later copy at or before the cut. The records kept are then exactly those
// after the cut, and the cut is the earliest time for which they fit: the
// same whatever order the records came in.
type factStore struct {
	limit int
	bytes int64 // bound on the estimated size
	size  int64 // estimated size of the kept facts
	m     map[dupKey]*kept
	old   keptHeap // oldest first
	cut   time.Time
	isCut bool
}

func newFactStore(limit int, bytes int64) *factStore {
	if limit <= 0 {
		limit = DefaultFactLimit
	}
	if bytes <= 0 {
		bytes = DefaultFactBytes
	}
	return &factStore{limit: limit, bytes: bytes, m: map[dupKey]*kept{}}
}

// add keeps f unless a preferred copy of its record is kept or it is at or
// before the cut.
func (s *factStore) add(f *Fact) {
	if s.isCut && !f.TimeCreated.After(s.cut) {
		return
	}
	k := factKey(f)
	if old, ok := s.m[k]; ok {
		old.copies++
		if sourceLess(f.Source, old.fact.Source) {
			s.size += factCost(f) - factCost(old.fact)
			old.fact = f
		}
		return
	}
	e := &kept{fact: f, copies: 1}
	s.m[k] = e
	heap.Push(&s.old, e)
	s.size += factCost(f)
	for len(s.m) > s.limit || s.size > s.bytes {
		s.cutOldest()
	}
}

// cutOldest removes every record of the oldest time and moves the cut there.
func (s *factStore) cutOldest() {
	t := s.old[0].fact.TimeCreated
	for len(s.old) > 0 && s.old[0].fact.TimeCreated.Equal(t) {
		s.remove(heap.Pop(&s.old).(*kept))
	}
	s.cut, s.isCut = t, true
}

// cutAt removes the records at or before t and moves the cut there.
func (s *factStore) cutAt(t time.Time) {
	for len(s.old) > 0 && !s.old[0].fact.TimeCreated.After(t) {
		s.remove(heap.Pop(&s.old).(*kept))
	}
	if !s.isCut || t.After(s.cut) {
		s.cut, s.isCut = t, true
	}
}

// dropBefore removes the records before t (out of the window: not a cut).
func (s *factStore) dropBefore(t time.Time) {
	for len(s.old) > 0 && s.old[0].fact.TimeCreated.Before(t) {
		s.remove(heap.Pop(&s.old).(*kept))
	}
}

// dropIf removes the records for which out is true (not a cut).
func (s *factStore) dropIf(out func(*Fact) bool) {
	in := s.old[:0]
	for _, e := range s.old {
		if out(e.fact) {
			delete(s.m, factKey(e.fact))
			s.size -= factCost(e.fact)
			continue
		}
		in = append(in, e)
	}
	clear(s.old[len(in):])
	s.old = in
	heap.Init(&s.old)
}

func (s *factStore) remove(e *kept) {
	delete(s.m, factKey(e.fact))
	s.size -= factCost(e.fact)
}

// copies returns the number of copies of the kept records.
func (s *factStore) copies() int {
	n := 0
	for _, e := range s.m {
		n += e.copies
	}
	return n
}

// keptHeap orders kept records oldest first.
type keptHeap []*kept

func (h keptHeap) Len() int           { return len(h) }
func (h keptHeap) Less(i, j int) bool { return h[i].fact.TimeCreated.Before(h[j].fact.TimeCreated) }
func (h keptHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *keptHeap) Push(x any)        { *h = append(*h, x.(*kept)) }
func (h *keptHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return e
}
