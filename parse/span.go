package parse

import "time"

// maxFiletime is 9999-12-31T23:59:59.9999999Z, the last instant RFC 3339
// (and so JSON) can express; a later record-header time is damage.
const maxFiletime = 2650467743999999999

// span tracks the record-header ids and written times of live records. It is
// cheap (no decode), so a file's coverage is known even for filtered records.
type span struct {
	n            int
	minID, maxID uint64
	minFT, maxFT uint64 // zero and out-of-range FILETIMEs are ignored
}

func (s *span) add(id, ft uint64) {
	if s.n == 0 || id < s.minID {
		s.minID = id
	}
	if s.n == 0 || id > s.maxID {
		s.maxID = id
	}
	s.n++
	if ft == 0 || ft > maxFiletime {
		return
	}
	if s.minFT == 0 || ft < s.minFT {
		s.minFT = ft
	}
	if ft > s.maxFT {
		s.maxFT = ft
	}
}

func (s *span) merge(o span) {
	if o.n == 0 {
		return
	}
	if s.n == 0 || o.minID < s.minID {
		s.minID = o.minID
	}
	if s.n == 0 || o.maxID > s.maxID {
		s.maxID = o.maxID
	}
	s.n += o.n
	if o.minFT != 0 && (s.minFT == 0 || o.minFT < s.minFT) {
		s.minFT = o.minFT
	}
	if o.maxFT > s.maxFT {
		s.maxFT = o.maxFT
	}
}

// times returns the span's first and last written time (zero when unknown).
func (s *span) times() (first, last time.Time) {
	if s.minFT != 0 {
		first = filetime(s.minFT)
	}
	if s.maxFT != 0 {
		last = filetime(s.maxFT)
	}
	return first, last
}
