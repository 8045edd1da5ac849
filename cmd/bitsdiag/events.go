package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"bitsdiag/analyze"
	"bitsdiag/eventjson"
	"bitsdiag/inputs"
	"bitsdiag/parse"
	"bitsdiag/pipeline"
	"bitsdiag/render"
	"bitsdiag/termtext"
)

const eventsUsage = `Usage: bitsdiag events [flags] PATH...

PATH is a file, a folder (read recursively), a .zip archive (read in place),
or - for one file on standard input; event logs are recognised by content.

Print event records as JSON Lines, one object per record, with the keys
file, record_id, time, computer, channel, provider, event_id, version, level,
activity_id, user_id, data (payload name -> text, in record order) and binary
(hex, when present); recovered slack records add "recovered": true and, when
their payload is lost, "partial". By default exactly the records "bitsdiag
report" analyses are printed: Microsoft-Windows-Bits-Client events (any
channel) and Service Control Manager events about the BITS service; --all
prints every record. Records come file by file, in input order, whatever -j.
A damage summary for each file goes to standard error (not with -q).

Times: --since/--until take RFC 3339, a date (UTC; --until includes the whole
day), or a duration back from the newest selected record (72h, 7d).

Examples:
  bitsdiag events Logs/ -o events.jsonl
  bitsdiag events --all System.evtx | jq 'select(.event_id == 7036)'
  bitsdiag events --event-id 7031,7034 --computer 'WS-*' customer.zip
  bitsdiag events --recover-slack customer.zip

Exit status: 0 done; 1 no usable input, output failed or interrupted; 2 bad
command line.
`

// eventsConfig holds the events command's flags.
type eventsConfig struct {
	output, since, until string
	computers, eventIDs  []string
	all, slack           bool
	jobs                 int
	verbosity
}

func eventsFlags() (*pflag.FlagSet, *eventsConfig) {
	c := &eventsConfig{}
	fs := newFlagSet("events")
	fs.StringVarP(&c.output, "output", "o", "", "write the records to `FILE` (replaced only when complete)")
	fs.BoolVar(&c.all, "all", false, "print every record, not only those the report analyses")
	fs.BoolVar(&c.slack, "recover-slack", false, "also print stale records recovered from chunk slack (marked \"recovered\": true)")
	fs.StringVar(&c.since, "since", "", "print records at or after `TIME` (RFC 3339, YYYY-MM-DD, or a duration like 72h)")
	fs.StringVar(&c.until, "until", "", "print records at or before `TIME` (same forms as --since)")
	fs.StringArrayVar(&c.computers, "computer", nil, "print only records of computer `NAME` (case-insensitive; * and ? match; repeatable)")
	fs.StringArrayVar(&c.eventIDs, "event-id", nil, "print only records with these event `IDS` (comma-separated; repeatable)")
	fs.IntVarP(&c.jobs, "jobs", "j", 0, "read `N` files in parallel (default: one per CPU)")
	c.verbosity.register(fs)
	return fs, c
}

// eventsPlan is a checked events command line.
type eventsPlan struct {
	cfg          *eventsConfig
	match        pipeline.Match
	since, until bound
}

func planEvents(cfg *eventsConfig, paths []string) (*eventsPlan, error) {
	if len(paths) == 0 {
		return nil, errors.New("give at least one PATH")
	}
	if countDash(paths) > 1 {
		return nil, errTwoStdin
	}
	p := &eventsPlan{cfg: cfg}
	if cfg.output == "-" {
		cfg.output = ""
	}
	p.match.Computers = cfg.computers
	if err := p.match.CheckComputers(); err != nil {
		return nil, err
	}
	for _, list := range cfg.eventIDs {
		for _, f := range strings.Split(list, ",") {
			n, err := strconv.ParseUint(strings.TrimSpace(f), 10, 16)
			if err != nil {
				return nil, fmt.Errorf("--event-id %q: use event ids 0-65535, comma-separated", list)
			}
			p.match.EventIDs = append(p.match.EventIDs, uint16(n))
		}
	}
	var err error
	if p.since, err = parseBound("since", cfg.since, time.UTC, false); err != nil {
		return nil, err
	}
	if p.until, err = parseBound("until", cfg.until, time.UTC, true); err != nil {
		return nil, err
	}
	if cfg.jobs < 0 {
		return nil, fmt.Errorf("--jobs %d: must be 1 or more (0 = one per CPU)", cfg.jobs)
	}
	return p, nil
}

// runEvents implements "bitsdiag events".
func runEvents(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, cfg := eventsFlags()
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			printUsage(stdout, eventsUsage, fs)
			return exitOK
		}
		return usageError(stderr, "events", err)
	}
	plan, err := planEvents(cfg, fs.Args())
	if err != nil {
		return usageError(stderr, "events", err)
	}
	log := cfg.logger(&logWriter{w: stderr})
	set, err := inputs.Collect(ctx, fs.Args(), stdin, inputs.DefaultLimits())
	if err != nil {
		fmt.Fprintf(stderr, "bitsdiag events: %s\n", termtext.Escape(err.Error()))
		return exitFail
	}
	defer set.Close()
	for _, r := range set.Rejected {
		log.Warn("input not read", "file", r.Path, "reason", r.Reason)
	}
	if len(set.Files) == 0 {
		fmt.Fprintf(stderr, "bitsdiag events: no EVTX event log found in %s%s\n", describePaths(fs.Args()), skippedNote(set))
		return exitFail
	}
	defer tuneGC(400, 48<<20)()
	// Context records (the Windows version, event 6009) are not analysed
	// records: like the report's records_analysed, events leaves them out
	// unless --all.
	po := pipeline.Options{Jobs: cfg.jobs, All: cfg.all, RecoverSlack: cfg.slack, Match: plan.match, Log: log,
		Selection: analyze.Select(nil).Analysed(), NoChecksum: true}
	var files []pipeline.File
	write := func(w io.Writer) error {
		var werr error
		files, werr = writeEvents(ctx, w, set, po, plan)
		if werr == nil && interrupted(ctx) {
			werr = errors.New("interrupted")
		}
		return werr
	}
	if cfg.output != "" {
		err = render.WriteFileAtomic(cfg.output, write)
	} else {
		out := bufio.NewWriterSize(stdout, 64<<10)
		if err = write(out); err == nil {
			err = out.Flush()
		}
	}
	usable := 0
	for _, f := range files {
		if f.Input.Path == "" {
			continue
		}
		if !f.Usable {
			fmt.Fprintf(stderr, "%s: %s\n", termtext.Escape(f.Input.Path), termtext.Escape(f.Input.Skipped))
			continue
		}
		usable++
		if !cfg.quiet {
			writeSummary(stderr, f)
		}
	}
	switch {
	case interrupted(ctx):
		fmt.Fprintln(stderr, "bitsdiag events: interrupted")
		return exitFail
	case err != nil:
		fmt.Fprintf(stderr, "bitsdiag events: writing output: %s\n", termtext.Escape(err.Error()))
		return exitFail
	case usable == 0:
		return exitFail
	}
	return exitOK
}

// writeEvents prints the selected records of every file, file by file in
// input order. With one file at a time, lines go straight to w; with
// several, each file's lines are spooled to a temporary file and copied in
// order. A relative --since/--until first needs the newest selected record:
// that is one more pass over the files, not a buffer of events.
func writeEvents(ctx context.Context, w io.Writer, set *inputs.Set, po pipeline.Options, p *eventsPlan) ([]pipeline.File, error) {
	var since, until time.Time
	sinceAgo, untilAgo := time.Duration(0), time.Duration(0)
	since, sinceAgo = p.since.window()
	until, untilAgo = p.until.window()
	if sinceAgo > 0 || untilAgo > 0 {
		var mu sync.Mutex
		var newest time.Time
		pipeline.Run(ctx, set.Files, po, func(_ int, e *parse.Event) error {
			mu.Lock()
			if e.TimeCreated.After(newest) {
				newest = e.TimeCreated
			}
			mu.Unlock()
			return nil
		})
		if !newest.IsZero() {
			if sinceAgo > 0 {
				since = newest.Add(-sinceAgo)
			}
			if untilAgo > 0 {
				until = newest.Add(-untilAgo)
			}
		}
	}
	inWindow := func(t time.Time) bool {
		return (since.IsZero() || !t.Before(since)) && (until.IsZero() || !t.After(until))
	}
	sequential := po.Jobs == 1 || len(set.Files) == 1
	spools := make([]*os.File, len(set.Files))
	defer func() {
		for _, f := range spools {
			if f != nil {
				f.Close() // already closed unless the run stopped early
				os.Remove(f.Name())
			}
		}
	}()
	bufs := make([]*bufio.Writer, len(set.Files))
	var spoolErr error
	var mu sync.Mutex
	fail := func(err error) {
		mu.Lock()
		if spoolErr == nil {
			spoolErr = err
		}
		mu.Unlock()
	}
	// A finished file's spool is flushed and closed, so open files stay at
	// one per worker however many inputs there are.
	po.FileDone = func(i int, _ pipeline.File) {
		if bufs[i] == nil {
			return
		}
		if err := bufs[i].Flush(); err != nil {
			fail(err)
		}
		if err := spools[i].Close(); err != nil {
			fail(err)
		}
		bufs[i] = nil
	}
	// Lines are encoded in the reader's chunk workers, in parallel.
	files := pipeline.RunEncoded(ctx, set.Files, po, eventjson.Append, func(i int, e *parse.Event, line []byte) error {
		if !inWindow(e.TimeCreated) {
			return nil
		}
		if sequential {
			_, err := w.Write(line)
			return err
		}
		if bufs[i] == nil {
			f, err := os.CreateTemp("", "bitsdiag-events-*.jsonl")
			if err != nil {
				fail(err)
				return err
			}
			spools[i], bufs[i] = f, bufio.NewWriterSize(f, 64<<10)
		}
		_, err := bufs[i].Write(line)
		return err
	})
	for _, f := range files {
		if f.Err != nil {
			return files, f.Err
		}
	}
	if spoolErr != nil {
		return files, spoolErr
	}
	for _, sp := range spools {
		if sp == nil {
			continue
		}
		f, err := os.Open(sp.Name())
		if err != nil {
			return files, err
		}
		_, err = io.Copy(w, f)
		f.Close()
		if err != nil {
			return files, err
		}
	}
	return files, nil
}

// writeSummary prints a file's damage summary.
func writeSummary(w io.Writer, f pipeline.File) {
	s := f.Summary
	fmt.Fprintf(w, "%s: %d records: %d decoded, %d filtered out, %d undecodable; %d stale slack records\n",
		termtext.Escape(s.Name), s.RecordsSeen, s.RecordsDecoded, s.RecordsFiltered, s.RecordsUndecodable, s.SlackRecords)
	for _, d := range f.Input.Damage {
		if d.Kind == pipeline.DamageArchiveEntry {
			fmt.Fprintf(w, "  %s\n", termtext.Escape(d.Reason))
		}
	}
	for _, p := range s.Problems {
		fmt.Fprintf(w, "  %s\n", termtext.Escape(fmt.Sprint(p)))
	}
	if s.ProblemsOmitted > 0 {
		fmt.Fprintf(w, "  ... %d more problems\n", s.ProblemsOmitted)
	}
}
