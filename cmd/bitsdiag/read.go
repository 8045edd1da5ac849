package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"sync"

	"bitsdiag/analyze"
	"bitsdiag/inputs"
	"bitsdiag/parse"
)

// readOptions control how input files are read.
type readOptions struct {
	Jobs   int          // files read in parallel; <= 0 means one per CPU
	Filter parse.Filter // pre-filter handed to the EVTX reader
	Keep   func(channel string) bool
	Log    *slog.Logger
	Prog   *progress
}

// fileResult is what reading one input file produced.
type fileResult struct {
	Input  analyze.Input
	Events []*parse.Event
	Usable bool // the file was EVTX the reader accepted
}

// readAll reads files in parallel and returns one result per file, in the
// files' order, so the outcome does not depend on scheduling. It stops early
// when ctx is cancelled; results of unread files are then left empty.
func readAll(ctx context.Context, files []*inputs.File, o readOptions) []fileResult {
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
	results := make([]fileResult, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range jobs {
		wg.Go(func() {
			for i := range next {
				results[i] = readFile(ctx, files[i], o, chunkWorkers)
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

// readFile reads one file: its records through the pre-filter, its summary,
// and its checksum.
func readFile(ctx context.Context, f *inputs.File, o readOptions, chunkWorkers int) fileResult {
	res := fileResult{Input: analyze.Input{Path: f.Path, Size: f.Size, Damage: []analyze.Damage{}}}
	o.Log.Debug("reading", "file", f.Path, "size", f.Size)
	op, err := f.Open(ctx)
	if err != nil && ctx.Err() != nil {
		return res
	}
	if err != nil {
		o.Prog.add(f.Size)
		o.Prog.fileDone()
		res.Input.Skipped = "cannot read: " + err.Error()
		o.Log.Warn("cannot read input", "file", f.Path, "err", err)
		return res
	}
	defer op.Close()
	res.Input.Size = op.Size
	var extra []analyze.Damage // problems the reader cannot know about
	if op.Problem != "" {
		extra = append(extra, analyze.Damage{Kind: "archive-entry", Chunk: -1, Reason: op.Problem})
	}
	counter := &countingReaderAt{r: op, size: op.Size, p: o.Prog}
	defer counter.finish()

	nameChannel := inputs.ChannelFromName(f.Path)
	// The reader asks keep about the channel of the file's first chunk; it is
	// remembered so the file's channel is known even when none of its
	// records is analysed (a System log without BITS events).
	fileChannel := ""
	keep := func(ch string) bool {
		if ch == "" {
			ch = nameChannel
		}
		fileChannel = ch
		return o.Keep == nil || o.Keep(ch)
	}
	// The checksum is computed alongside the parse, on another core.
	var sum string
	var hashErr error
	hashDone := make(chan struct{})
	go func() {
		defer close(hashDone)
		sum, hashErr = op.SHA256(ctx)
	}()
	defer func() { <-hashDone }() // op stays open until the hash is done

	rd, err := parse.NewReader(counter, op.Size, parse.Options{
		Name: f.Path, Filter: o.Filter, KeepChannel: keep, Workers: chunkWorkers,
	})
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
			var re *parse.RecordError
			if errors.As(err, &re) {
				continue // counted in the summary
			}
			extra = append(extra, analyze.Damage{Kind: "read", Chunk: -1, Reason: err.Error()})
			break
		}
		if ev.Channel == "" {
			ev.Channel = nameChannel
		}
		if !analyze.Relevant(ev) {
			continue // decoded without the pre-filter (--no-prefilter), or it could not tell
		}
		res.Events = append(res.Events, ev)
	}
	<-hashDone
	if hashErr != nil {
		extra = append(extra, analyze.Damage{Kind: "read", Chunk: -1, Reason: "checksum: " + hashErr.Error()})
	}
	s := rd.Summary()
	in := analyze.InputFromSummary(f.Path, op.Size, sum, s)
	in.Damage = append(extra, in.Damage...)
	if s.ProblemsOmitted > 0 {
		in.Damage = append(in.Damage, analyze.Damage{Kind: "more", Chunk: -1,
			Reason: fmt.Sprintf("%d more problems not listed", s.ProblemsOmitted)})
	}
	if s.SkippedChannel != "" {
		in.Channels = []string{s.SkippedChannel}
	} else if fileChannel != "" {
		in.Channels = []string{fileChannel}
	} else if nameChannel != "" {
		in.Channels = []string{nameChannel}
	}
	res.Input = in
	return res
}
