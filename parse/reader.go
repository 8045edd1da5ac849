package parse

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"time"
)

// Options are the reader's settings.
type Options struct {
	// Name labels the input in Source.File, Summary.Name and errors (usually the path).
	Name string
	// Filter, when set, is evaluated before the full decode; records it rejects
	// are counted in Summary.RecordsFiltered and not decoded.
	Filter Filter
	// RecoverSlack also returns stale records found after a chunk's free-space
	// offset, each with Event.Recovered set.
	RecoverSlack bool
	// Workers is the number of chunks decoded in parallel (0 = GOMAXPROCS).
	// Events come out in file order whatever the value.
	Workers int
	// KeepChannel, when set, is asked about the channel of the file's first
	// decodable record; if it returns false the reader stops after the first
	// chunk and Summary.SkippedChannel names the channel.
	KeepChannel func(channel string) bool
	// Encode, when set, is called by the decoding goroutines (in parallel,
	// so it must be safe for concurrent use) for each decoded event before
	// Next returns it; it appends the event's encoding to b. Encoded returns
	// what it appended for the event Next last returned. It may change the
	// event (it is not yet shared).
	Encode func(b []byte, e *Event) []byte
	// Recycle lets the reader reuse the memory of the events it returned:
	// an Event, its strings, Data and Binary are then valid only until the
	// next call to Next (or Close). For callers that keep no event
	// ("bitsdiag events"): decoding then allocates next to nothing.
	Recycle bool

	noSharedTemplates bool // tests: compile every template in every chunk
}

// maxProblems bounds Summary.Problems; further problems are only counted in
// Summary.ProblemsOmitted.
const maxProblems = 1000

// Reader streams the records of one .evtx file. It reads one 64 KiB chunk
// slot per ReadAt and keeps at most a fixed number of chunks in flight
// (twice the number of workers), so memory does not grow with the file.
// A Reader is used from one goroutine; call Close when done with it.
type Reader struct {
	r    io.ReaderAt
	size int64
	opts Options
	hdr  fileHeader

	sum   Summary
	span  span
	slots int

	started  bool
	pending  chan chan *chunkResult
	free     chan *chunkResult // results whose events are no longer used (Options.Recycle)
	done     chan struct{}
	wg       sync.WaitGroup
	stopOnce sync.Once

	cur      *chunkResult
	pos      int
	enc      []byte // Encode's output for the event Next last returned
	stopped  bool   // no more results are handed out
	finished bool   // the summary is complete
	decided  bool   // KeepChannel was asked
}

// job asks a worker to decode chunk slot idx and deliver the result to out.
type job struct {
	idx int
	out chan<- *chunkResult
}

// NewReader starts reading an .evtx file of the given size. It fails only when
// the input is not EVTX at all (a *FormatError).
func NewReader(r io.ReaderAt, size int64, opts Options) (*Reader, error) {
	quietLibrary()
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if size < 0 {
		return nil, &FormatError{Offset: 0, Msg: fmt.Sprintf("negative file size %d", size)}
	}
	rd := &Reader{r: r, size: size, opts: opts}
	rd.sum.Name = opts.Name
	rd.sum.Size = size
	head := make([]byte, min(size, fileHeaderSize+8))
	if n, err := r.ReadAt(head, 0); n < len(head) {
		return nil, &FormatError{Offset: int64(n), Msg: fmt.Sprintf("reading file header: %v", err)}
	}
	rd.hdr = parseFileHeader(head)
	if !rd.hdr.valid {
		if len(head) < fileHeaderSize+8 || string(head[fileHeaderSize:fileHeaderSize+8]) != string(chunkMagic) {
			return nil, &FormatError{Offset: 0, Msg: "not an EVTX file: no ElfFile header and no chunk at offset 4096"}
		}
	}
	rd.sum.HeaderFlags = rd.hdr.flags
	rd.sum.Dirty = rd.hdr.flags&flagDirty != 0
	rd.sum.Full = rd.hdr.flags&flagFull != 0
	rd.sum.NoCRC = rd.hdr.flags&flagNoCRC != 0
	rd.sum.HeaderChunkCount = rd.hdr.chunkCount
	rd.hdr.problems(&rd.sum)
	switch {
	case size < fileHeaderSize:
		rd.sum.Truncated = true
		rd.sum.addProblem("truncated", -1, size, 0, fmt.Sprintf("file of %d bytes ends inside the 4096-byte file header", size))
	default:
		body := size - fileHeaderSize
		rd.slots = int((body + chunkSize - 1) / chunkSize)
		if rest := body % chunkSize; rest != 0 {
			rd.sum.Truncated = true
			rd.sum.addProblem("truncated", rd.slots-1, size-rest, 0,
				fmt.Sprintf("trailing partial chunk of %d bytes (size is not 4096 + n*65536); its whole records are read", rest))
		}
	}
	return rd, nil
}

// start launches the dispatcher and the workers.
func (rd *Reader) start() {
	rd.started = true
	n := rd.opts.Workers
	rd.pending = make(chan chan *chunkResult, 2*n)
	if rd.opts.Recycle {
		rd.free = make(chan *chunkResult, 2*n+2)
	}
	rd.done = make(chan struct{})
	jobs := make(chan job)
	rd.wg.Add(1 + n)
	go func() {
		defer rd.wg.Done()
		defer close(rd.pending)
		defer close(jobs)
		for idx := 0; idx < rd.slots; idx++ {
			out := make(chan *chunkResult, 1)
			select {
			case rd.pending <- out:
			case <-rd.done:
				return
			}
			select {
			case jobs <- job{idx: idx, out: out}:
			case <-rd.done:
				return
			}
		}
	}()
	for i := 0; i < n; i++ {
		go func() {
			defer rd.wg.Done()
			w := newWorker(&rd.opts, rd.sum.NoCRC)
			buf := make([]byte, chunkSize)
			for {
				select {
				case <-rd.done:
					return
				case j, ok := <-jobs:
					if !ok {
						return
					}
					j.out <- rd.readChunk(w, buf, j.idx)
				}
			}
		}()
	}
}

// readChunk reads and decodes chunk slot idx. A short read is a "read"
// problem; the bytes that were read are still decoded.
func (rd *Reader) readChunk(w *worker, buf []byte, idx int) *chunkResult {
	var old *chunkResult
	select {
	case old = <-rd.free:
	default:
	}
	res := newResult(idx, old)
	base := int64(fileHeaderSize) + int64(idx)*chunkSize
	n := int(min(int64(chunkSize), rd.size-base))
	got, err := rd.r.ReadAt(buf[:n], base)
	if got == n {
		return w.process(res, base, buf[:n])
	}
	if got > 0 {
		res = w.process(res, base, buf[:got])
	}
	res.problems = append(res.problems, Problem{Kind: "read", Chunk: idx, Offset: base + int64(got),
		Reason: fmt.Sprintf("reading chunk: %d of %d bytes: %v", got, n, err)})
	return res
}

// Next returns the next record. It returns (nil, err) with a *RecordError for a
// record that could not be decoded (the stream goes on), and io.EOF at the end.
func (rd *Reader) Next() (*Event, error) {
	for {
		if rd.cur != nil && rd.pos < len(rd.cur.items) {
			it := rd.cur.items[rd.pos]
			rd.cur.items[rd.pos] = item{}
			rd.pos++
			if it.err != nil {
				return nil, it.err
			}
			if rd.cur.enc != nil {
				rd.enc = rd.cur.enc[it.encStart:it.encEnd]
			}
			return it.ev, nil
		}
		if rd.cur != nil && rd.cur.enc != nil {
			encPool.Put(rd.cur.enc[:0])
			rd.cur.enc = nil
		}
		if rd.cur != nil && rd.free != nil {
			select {
			case rd.free <- rd.cur:
			default:
			}
		}
		rd.cur, rd.enc = nil, nil
		if rd.stopped {
			return nil, io.EOF
		}
		if !rd.started {
			rd.start()
		}
		out, ok := <-rd.pending
		if !ok {
			rd.finish()
			rd.stopped = true
			rd.stop()
			return nil, io.EOF
		}
		res := <-out
		rd.fold(res)
		rd.cur, rd.pos = res, 0
		if !rd.decided && res.channelKnown && rd.opts.KeepChannel != nil {
			rd.decided = true
			if !rd.opts.KeepChannel(res.firstChannel) {
				rd.sum.SkippedChannel = res.firstChannel
				rd.stopped = true
				rd.stop()
			}
		}
	}
}

// Encoded returns Options.Encode's output for the event Next last returned
// (nil without Encode). It is valid until the next call to Next or Close.
func (rd *Reader) Encoded() []byte { return rd.enc }

// encPool holds the chunk buffers Options.Encode appends to.
var encPool = sync.Pool{New: func() any { return make([]byte, 0, 256<<10) }}

// fold adds a chunk's counts and problems to the summary.
func (rd *Reader) fold(res *chunkResult) {
	s := &rd.sum
	if res.present {
		s.ChunksFound++
	}
	s.RecordsSeen += res.seen
	s.RecordsDecoded += res.decoded
	s.RecordsFiltered += res.filtered
	s.RecordsUndecodable += res.undecodable
	s.SlackRecords += res.slack
	rd.span.merge(res.span)
	s.FirstWritten, s.LastWritten = rd.span.times()
	s.FirstRecordID, s.LastRecordID = rd.span.minID, rd.span.maxID
	for _, p := range res.problems {
		s.add(p)
	}
	for _, it := range res.items {
		if e := it.err; e != nil {
			kind := "record"
			if e.Recovered {
				kind = "slack-record"
			}
			s.add(Problem{Kind: kind, Chunk: e.Source.Chunk, Offset: e.Source.Offset, RecordID: e.RecordID, Reason: e.Reason})
		}
	}
}

// finish adds the end-of-file findings to the summary.
func (rd *Reader) finish() {
	if rd.finished {
		return
	}
	rd.finished = true
	s := &rd.sum
	if s.SlackRecords > 0 {
		what := "not returned (stale data, not live events)"
		if rd.opts.RecoverSlack {
			what = "recovered and marked"
		}
		s.addProblem("slack", -1, 0, 0, fmt.Sprintf("%d stale records after chunk free-space offsets, %s", s.SlackRecords, what))
	}
	if rd.hdr.valid && s.HeaderChunkCount != s.ChunksFound {
		s.addProblem("header-chunk-count", -1, 42, 0,
			fmt.Sprintf("header says %d chunks, %d chunk slots hold a valid chunk", s.HeaderChunkCount, s.ChunksFound))
	}
}

// stop ends background work and waits for it.
func (rd *Reader) stop() {
	rd.stopOnce.Do(func() {
		if rd.started {
			close(rd.done)
			rd.wg.Wait()
		}
	})
}

// Summary reports what the reader saw so far; complete after Next returned io.EOF.
func (rd *Reader) Summary() *Summary { return &rd.sum }

// Close stops background work. It is safe to call more than once. Next
// returns io.EOF after Close.
func (rd *Reader) Close() error {
	rd.stopped = true
	rd.cur, rd.enc = nil, nil
	rd.stop()
	return nil
}

// Summary is the per-file account of records and damage.
//
// RecordsSeen == RecordsDecoded + RecordsFiltered + RecordsUndecodable.
// Stale slack records are counted in SlackRecords; they are counted in
// RecordsSeen (and decoded, filtered or undecodable) only with
// Options.RecoverSlack.
type Summary struct {
	Name               string
	Size               int64
	HeaderFlags        uint32
	Dirty              bool // header flag 0x1
	Full               bool // header flag 0x2
	NoCRC              bool // header flag 0x4
	HeaderChunkCount   int
	ChunksFound        int // chunk slots with a valid magic
	RecordsSeen        int
	RecordsDecoded     int
	RecordsFiltered    int
	RecordsUndecodable int
	SlackRecords       int // stale records seen after free-space offsets (returned only with RecoverSlack)
	Truncated          bool
	SkippedChannel     string
	// FirstWritten and LastWritten are the earliest and latest record-header
	// times of the live records seen (filtered ones included), zero when none:
	// the time span the file covers even when most records were not decoded.
	FirstWritten, LastWritten time.Time
	// FirstRecordID and LastRecordID are the lowest and highest record-header
	// ids of the live records seen; with RecordsSeen they show id gaps.
	FirstRecordID, LastRecordID uint64
	Problems                    []Problem
	ProblemsOmitted             int // problems beyond the first 1000, counted but not listed
}

// HasProblem reports whether a problem of the given kind was found.
func (s *Summary) HasProblem(kind string) bool {
	for _, p := range s.Problems {
		if p.Kind == kind {
			return true
		}
	}
	return false
}

func (s *Summary) add(p Problem) {
	if len(s.Problems) >= maxProblems {
		s.ProblemsOmitted++
		return
	}
	s.Problems = append(s.Problems, p)
}

func (s *Summary) addProblem(kind string, chunk int, off int64, id uint64, reason string) {
	s.add(Problem{Kind: kind, Chunk: chunk, Offset: off, RecordID: id, Reason: reason})
}

// Problem is one piece of damage found in a file.
//
// Kinds: "header-magic", "header-crc", "header-flags", "dirty", "full",
// "header-chunk-count", "truncated", "read", "chunk-magic", "chunk-header",
// "chunk-header-crc", "chunk-data-crc", "chunk-free-space", "chunk-truncated",
// "record-id-range" (a record outside the damaged chunk header's ids, counted
// as stale), "template-damaged", "record-framing", "record-size-copy" (reported, the record is still
// decoded), "record", "slack-record", "slack".
type Problem struct {
	Kind     string // e.g. "header-crc", "chunk-magic", "chunk-header-crc", "chunk-data-crc", "record", "truncated", "dirty"
	Chunk    int    // -1 when not about a chunk
	Offset   int64  // absolute file offset
	RecordID uint64 // 0 when unknown
	Reason   string
}

// String renders the problem on one line.
func (p Problem) String() string {
	s := p.Kind
	if p.Chunk >= 0 {
		s += fmt.Sprintf(" chunk %d", p.Chunk)
	}
	if p.Offset != 0 {
		s += fmt.Sprintf(" @0x%x", p.Offset)
	}
	if p.RecordID != 0 {
		s += fmt.Sprintf(" record %d", p.RecordID)
	}
	return s + ": " + p.Reason
}

// FormatError reports input that is not a readable EVTX file.
type FormatError struct {
	Offset int64
	Msg    string
}

// Error implements error.
func (e *FormatError) Error() string { return "evtx: " + e.Msg }

// RecordError reports a record that could not be decoded.
type RecordError struct {
	Source    Source
	RecordID  uint64
	Recovered bool // the record is a stale slack record (Options.RecoverSlack)
	Reason    string
}

// Error implements error; it names the record id, file offset and chunk.
func (e *RecordError) Error() string {
	return fmt.Sprintf("evtx: record %d at 0x%x (chunk %d): %s", e.RecordID, e.Source.Offset, e.Source.Chunk, e.Reason)
}

// IsRecordError reports whether err is a *RecordError (the stream goes on).
func IsRecordError(err error) bool {
	var re *RecordError
	return errors.As(err, &re)
}
