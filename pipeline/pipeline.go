// Package pipeline is bitsdiag's one read path, used by both "report" and
// "events": input files -> EVTX reader (with the evidence sources'
// pre-filter and channel choice) -> the records the analysis uses, streamed
// to a callback with no buffer of events in between.
package pipeline

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path"
	"runtime"
	"strings"
	"sync"

	"bitsdiag/analyze"
	"bitsdiag/inputs"
	"bitsdiag/parse"
)

// Options control a run.
type Options struct {
	// Jobs is the number of files read in parallel; <= 0 means one per CPU.
	Jobs int
	// Selection is the sources' pre-filter, relevance check and channel
	// choice (analyze.Select).
	Selection analyze.Selection
	// NoPrefilter decodes every record; the relevance check still applies.
	NoPrefilter bool
	// All passes every record: no pre-filter, no channel skip, no relevance
	// check (bitsdiag events --all). Computers and EventIDs still apply.
	All bool
	// RecoverSlack also reads stale records from chunk slack.
	RecoverSlack bool
	// Match selects records by computer and event id; the zero Match takes
	// every record.
	Match Match
	// Log receives per-file messages; nil discards them.
	Log *slog.Logger
	// Count, when set, wraps each file's bytes so their reading can be
	// counted (a progress bar); done is called when the file is finished.
	Count func(r io.ReaderAt, size int64) (counted io.ReaderAt, done func())
	// NoChecksum leaves Input.SHA256 empty: the file is not read a second
	// time to hash it (bitsdiag events, which does not show it).
	NoChecksum bool
	// Recycle promises that the handler keeps nothing of an event past the
	// call (the Analyzer copies what it keeps), so the reader may reuse the
	// events' memory (parse.Options.Recycle). RunEncoded with an Encoder
	// always recycles.
	Recycle bool
	// FileDone, when set, is called once file i is finished (from its
	// worker goroutine), after its last Handler call.
	FileDone func(i int, f File)
}

// Match selects records by computer name and event id.
type Match struct {
	// Computers are case-insensitive path.Match patterns; empty takes every
	// computer. A record matches when its computer matches any pattern.
	Computers []string
	// EventIDs, when not empty, are the event ids taken.
	EventIDs []uint16
}

// CheckComputers reports a malformed --computer pattern.
func (m Match) CheckComputers() error {
	for _, p := range m.Computers {
		if _, err := path.Match(strings.ToLower(p), ""); err != nil {
			return fmt.Errorf("--computer %q: not a valid pattern (use * ? [a-z])", p)
		}
	}
	return nil
}

// Takes reports whether e is selected.
func (m Match) Takes(e *parse.Event) bool {
	if len(m.EventIDs) > 0 {
		ok := false
		for _, id := range m.EventIDs {
			if id == e.EventID {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return m.TakesComputer(e.Computer)
}

// TakesComputer reports whether computer c is selected (--computer).
func (m Match) TakesComputer(c string) bool {
	if len(m.Computers) == 0 {
		return true
	}
	c = strings.ToLower(c)
	for _, p := range m.Computers {
		if ok, _ := path.Match(strings.ToLower(p), c); ok {
			return true
		}
	}
	return false
}

// File is what reading one input produced.
type File struct {
	Input   analyze.Input  // inventory (its Path is "" when the file was not read: interrupted)
	Usable  bool           // the file was EVTX the reader accepted
	Summary *parse.Summary // the reader's summary; nil when not Usable
	Err     error          // the callback's error, which stopped the file
}

// Handler receives the selected records of file i (the index in the files
// given to Run). Calls for one file come from one goroutine, in file order;
// calls for different files may be concurrent. A non-nil error stops that
// file.
type Handler func(i int, e *parse.Event) error

// Encoder appends the encoding of one selected event to b
// (eventjson.Append). It must be safe for concurrent use.
type Encoder func(b []byte, e *parse.Event) []byte

// LineHandler is a Handler that also receives the event's encoding; line is
// valid only during the call, and so is the event when RunEncoded is given
// an Encoder.
type LineHandler func(i int, e *parse.Event, line []byte) error

// Run reads the files and streams their selected records to h. It returns one
// File per input, in the inputs' order, so the outcome does not depend on
// scheduling. It stops early when ctx is cancelled; Files not read are then
// left empty.
func Run(ctx context.Context, files []*inputs.File, o Options, h Handler) []File {
	return RunEncoded(ctx, files, o, nil, func(i int, e *parse.Event, _ []byte) error { return h(i, e) })
}

// RunEncoded is Run with every selected event encoded by enc in the reader's
// chunk workers, in parallel, before h receives it with its encoding: the
// encoding is no longer serialised behind one consumer (bitsdiag events).
// With an enc, the reader reuses the events' memory (parse.Options.Recycle):
// h must not keep e past the call. A nil enc gives h nil lines.
func RunEncoded(ctx context.Context, files []*inputs.File, o Options, enc Encoder, h LineHandler) []File {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	jobs := o.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	jobs = min(jobs, max(len(files), 1))
	// One file at a time: its chunks use every core. Several: two chunk
	// workers each, so the last big file does not run on one core alone.
	chunkWorkers := 0
	if jobs > 1 {
		chunkWorkers = 2
	}
	results := make([]File, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range jobs {
		wg.Go(func() {
			for i := range next {
				results[i] = readFile(ctx, i, files[i], o, chunkWorkers, enc, h)
				if o.FileDone != nil {
					o.FileDone(i, results[i])
				}
			}
		})
	}
	for i := range files {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

// Damage kinds the pipeline adds to a file's inventory (problems the reader
// cannot know about).
const (
	DamageArchiveEntry analyze.DamageKind = "archive-entry" // the archive entry itself is damaged or was cut short
	DamageRead         analyze.DamageKind = "read"          // the file could not be read to the end (I/O error, checksum)
	DamageMore         analyze.DamageKind = "more"          // more problems than the reader lists
)

// readFile reads one file: its records through the filters, its summary and
// its checksum.
func readFile(ctx context.Context, i int, f *inputs.File, o Options, chunkWorkers int, enc Encoder, h LineHandler) File {
	res := File{Input: analyze.Input{Path: f.Path, Size: f.Size, Damage: []analyze.Damage{}}}
	o.Log.Debug("reading", "file", f.Path, "size", f.Size)
	done := func() {}
	op, err := f.Open(ctx)
	if err != nil && ctx.Err() != nil {
		return res
	}
	if err != nil {
		if o.Count != nil {
			_, done = o.Count(nil, f.Size)
			done()
		}
		res.Input.Skipped = "cannot read: " + err.Error()
		o.Log.Warn("cannot read input", "file", f.Path, "err", err)
		return res
	}
	defer op.Close()
	res.Input.Size = op.Size
	var extra []analyze.Damage
	if op.Problem != "" {
		extra = append(extra, analyze.Damage{Kind: DamageArchiveEntry, Chunk: -1, Reason: op.Problem})
	}
	var r io.ReaderAt = op
	if o.Count != nil {
		r, done = o.Count(op, op.Size)
	}
	defer done()

	nameChannel := inputs.ChannelFromName(f.Path)
	po := parse.Options{Name: f.Path, Workers: chunkWorkers, RecoverSlack: o.RecoverSlack}
	if !o.All && !o.NoPrefilter {
		po.Filter = o.Selection.Filter()
	}
	// The reader asks KeepChannel about the channel of the file's first
	// chunk; it is remembered so the file's channel is known even when none
	// of its records is used (a System log without BITS events).
	fileChannel := ""
	po.KeepChannel = func(ch string) bool {
		if ch == "" {
			ch = nameChannel
		}
		fileChannel = ch
		return o.All || o.Selection.KeepChannel(ch)
	}
	po.Recycle = o.Recycle
	if enc != nil {
		po.Recycle = true // RunEncoded: h keeps no event
		// The same choices as the loop below, made in the chunk workers:
		// only the selected events are encoded.
		po.Encode = func(b []byte, ev *parse.Event) []byte {
			if ev.Channel == "" {
				ev.Channel = nameChannel
			}
			if (!o.All && !o.Selection.Relevant(ev)) || !o.Match.Takes(ev) {
				return b
			}
			return enc(b, ev)
		}
	}
	// The checksum is computed alongside the parse, on another core.
	var sum string
	var hashErr error
	hashDone := make(chan struct{})
	go func() {
		defer close(hashDone)
		if !o.NoChecksum {
			sum, hashErr = op.SHA256(ctx)
		}
	}()
	defer func() { <-hashDone }() // op stays open until the hash is done

	rd, err := parse.NewReader(r, op.Size, po)
	if err != nil {
		res.Input.Skipped = "not readable as EVTX: " + err.Error()
		o.Log.Warn("not readable as EVTX", "file", f.Path, "err", err)
		return res
	}
	defer rd.Close()
	res.Usable = true
	for n := 0; ; n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			return res
		}
		ev, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if parse.IsRecordError(err) {
				continue // counted in the summary
			}
			extra = append(extra, analyze.Damage{Kind: DamageRead, Chunk: -1, Reason: err.Error()})
			break
		}
		if ev.Channel == "" {
			ev.Channel = nameChannel
		}
		if !o.All && !o.Selection.Relevant(ev) {
			continue // decoded without the pre-filter, or the Peek could not tell
		}
		if !o.Match.Takes(ev) {
			continue
		}
		if err := h(i, ev, rd.Encoded()); err != nil {
			res.Err = err
			break
		}
	}
	<-hashDone
	if hashErr != nil && ctx.Err() == nil {
		extra = append(extra, analyze.Damage{Kind: DamageRead, Chunk: -1, Reason: "checksum: " + hashErr.Error()})
	}
	// A copy: the reader's own summary would keep the reader, its chunk
	// buffers and recycled events alive as long as the File (all files of a
	// run: 180 KB each, 360 MB for 2,000 small logs).
	sc := *rd.Summary()
	s := &sc
	res.Summary = s
	in := analyze.InputFromSummary(f.Path, op.Size, sum, s)
	in.Damage = append(extra, in.Damage...)
	if s.ProblemsOmitted > 0 {
		in.Damage = append(in.Damage, analyze.Damage{Kind: DamageMore, Chunk: -1,
			Reason: fmt.Sprintf("%d more problems not listed", s.ProblemsOmitted)})
	}
	switch {
	case s.SkippedChannel != "":
		in.Channels = []string{s.SkippedChannel}
	case fileChannel != "":
		in.Channels = []string{fileChannel}
	case nameChannel != "":
		in.Channels = []string{nameChannel}
	}
	res.Input = in
	return res
}
