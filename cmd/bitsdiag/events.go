package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"bitsdiag/eventjson"
	"bitsdiag/inputs"
	"bitsdiag/parse"
)

const eventsUsage = `Usage: bitsdiag events [--all] [--recover-slack] PATH...

PATH is a file, a folder (read recursively), a .zip archive (read in place),
or - for one file on standard input; event logs are recognised by content.

Print event records as JSON Lines, one object per record, with the keys
file, record_id, time, computer, channel, provider, event_id, version, level,
activity_id, user_id, data (payload name -> text, in record order) and binary
(hex, when present); recovered slack records add "recovered": true and, when
their payload is lost, "partial". By default only the records bitsdiag analyses are printed:
provider Microsoft-Windows-Bits-Client (any channel) and Service Control
Manager. A damage summary for each file goes to standard error.

Examples:
  bitsdiag events Logs/ > events.jsonl
  bitsdiag events --all System.evtx | jq 'select(.event_id == 7036)'
  bitsdiag events --recover-slack customer.zip

Flags:
`

// Providers printed by default.
const (
	eventsProviderBITS = "Microsoft-Windows-Bits-Client"
	eventsProviderSCM  = "Service Control Manager"
)

// eventsWanted is the default pre-filter of "bitsdiag events".
func eventsWanted(provider string) bool {
	return strings.EqualFold(provider, eventsProviderBITS) || strings.EqualFold(provider, eventsProviderSCM)
}

// runEvents implements "bitsdiag events".
func runEvents(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("events", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	all := fs.Bool("all", false, "print every record, not only Bits-Client and Service Control Manager ones")
	slack := fs.Bool("recover-slack", false, "also print stale records recovered from chunk slack (marked \"recovered\": true)")
	help := fs.BoolP("help", "h", false, "show this help")
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return exitOK
		}
		fmt.Fprintf(stderr, "bitsdiag events: %v\nRun 'bitsdiag help events' for usage.\n", err)
		return exitUsage
	}
	if *help {
		fmt.Fprint(stdout, eventsUsage)
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		return exitOK
	}
	if fs.NArg() == 0 {
		fmt.Fprintf(stderr, "bitsdiag events: give at least one PATH\nRun 'bitsdiag help events' for usage.\n")
		return exitUsage
	}
	var filter parse.Filter
	if !*all {
		filter = func(p *parse.Peek) bool { return p.Provider == "" || eventsWanted(p.Provider) }
	}
	set, err := inputs.Collect(ctx, fs.Args(), stdin, inputs.DefaultLimits())
	if err != nil {
		fmt.Fprintf(stderr, "bitsdiag events: %v\n", err)
		return exitFail
	}
	defer set.Close()
	for _, r := range set.Rejected {
		fmt.Fprintf(stderr, "%s: not read: %s\n", r.Path, r.Reason)
	}
	if len(set.Files) == 0 {
		fmt.Fprintf(stderr, "bitsdiag events: no EVTX event log found in %s%s\n", describePaths(fs.Args()), skippedNote(set))
		return exitFail
	}
	out := bufio.NewWriterSize(stdout, 64<<10)
	usable := 0
	for _, f := range set.Files {
		if ctx.Err() != nil {
			break
		}
		ok, err := eventsFile(ctx, out, stderr, f, filter, *slack)
		if err != nil {
			out.Flush()
			fmt.Fprintf(stderr, "bitsdiag events: writing output: %v\n", err)
			return exitFail
		}
		if ok {
			usable++
		}
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintf(stderr, "bitsdiag events: writing output: %v\n", err)
		return exitFail
	}
	if interrupted(ctx) {
		fmt.Fprintln(stderr, "bitsdiag events: interrupted")
		return exitFail
	}
	if usable == 0 {
		return exitFail
	}
	return exitOK
}

// eventsFile prints the records of one file and its damage summary. ok is
// false when the file cannot be read as EVTX; err is an output error.
func eventsFile(ctx context.Context, out *bufio.Writer, stderr io.Writer, f *inputs.File, filter parse.Filter, slack bool) (ok bool, err error) {
	op, err := f.Open(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", f.Path, err)
		return false, nil
	}
	defer op.Close()
	rd, err := parse.NewReader(op, op.Size, parse.Options{Name: f.Path, Filter: filter, RecoverSlack: slack})
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", f.Path, err)
		return false, nil
	}
	defer rd.Close()
	var line []byte
	for n := 0; ; n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			return true, nil
		}
		ev, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if parse.IsRecordError(err) {
				continue // listed in the damage summary
			}
			fmt.Fprintf(stderr, "%s: %v\n", f.Path, err)
			break
		}
		if filter != nil && !eventsWanted(ev.Provider) {
			continue
		}
		line = eventjson.Append(line[:0], ev)
		if _, err := out.Write(line); err != nil {
			return true, err
		}
	}
	if op.Problem != "" {
		fmt.Fprintf(stderr, "%s: %s\n", f.Path, op.Problem)
	}
	writeSummary(stderr, rd.Summary())
	return true, nil
}

// writeSummary prints a file's damage summary.
func writeSummary(w io.Writer, s *parse.Summary) {
	fmt.Fprintf(w, "%s: %d records: %d decoded, %d filtered out, %d undecodable; %d stale slack records\n",
		s.Name, s.RecordsSeen, s.RecordsDecoded, s.RecordsFiltered, s.RecordsUndecodable, s.SlackRecords)
	for _, p := range s.Problems {
		fmt.Fprintf(w, "  %s\n", p)
	}
	if s.ProblemsOmitted > 0 {
		fmt.Fprintf(w, "  ... %d more problems\n", s.ProblemsOmitted)
	}
}
