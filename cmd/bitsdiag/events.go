package main

import (
	"bufio"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"bitsdiag/inputs"
	"bitsdiag/parse"
	"bitsdiag/termtext"
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

// eventsFlags defines the events command's flags (also used by the shell
// completions and the manual page).
func eventsFlags() (fs *pflag.FlagSet, all, slack, help *bool) {
	fs = pflag.NewFlagSet("events", pflag.ContinueOnError)
	all = fs.Bool("all", false, "print every record, not only Bits-Client and Service Control Manager ones")
	slack = fs.Bool("recover-slack", false, "also print stale records recovered from chunk slack (marked \"recovered\": true)")
	help = fs.BoolP("help", "h", false, "show this help")
	fs.Usage = func() {}
	return fs, all, slack, help
}

// runEvents implements "bitsdiag events".
func runEvents(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, all, slack, help := eventsFlags()
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return exitOK
		}
		fmt.Fprintf(stderr, "bitsdiag events: %s%s\nRun 'bitsdiag help events' for usage.\n", termtext.Escape(err.Error()), flagHint("events", err))
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
	if countDash(fs.Args()) > 1 {
		fmt.Fprintf(stderr, "bitsdiag events: %v\nRun 'bitsdiag help events' for usage.\n", errTwoStdin)
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
		fmt.Fprintf(stderr, "%s: not read: %s\n", termtext.Escape(r.Path), termtext.Escape(r.Reason))
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
		fmt.Fprintf(stderr, "%s: %s\n", termtext.Escape(f.Path), termtext.Escape(err.Error()))
		return false, nil
	}
	defer op.Close()
	rd, err := parse.NewReader(op, op.Size, parse.Options{Name: f.Path, Filter: filter, RecoverSlack: slack})
	if err != nil {
		fmt.Fprintf(stderr, "%s: %s\n", termtext.Escape(f.Path), termtext.Escape(err.Error()))
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
			fmt.Fprintf(stderr, "%s: %s\n", termtext.Escape(f.Path), termtext.Escape(err.Error()))
			break
		}
		if filter != nil && !eventsWanted(ev.Provider) {
			continue
		}
		line = appendEventJSON(line[:0], ev)
		if _, err := out.Write(line); err != nil {
			return true, err
		}
	}
	if op.Problem != "" {
		fmt.Fprintf(stderr, "%s: %s\n", termtext.Escape(f.Path), termtext.Escape(op.Problem))
	}
	writeSummary(stderr, rd.Summary())
	return true, nil
}

// appendEventJSON appends one JSON Lines object; payload fields keep record
// order (a repeated name gets a "#2", "#3"... suffix).
func appendEventJSON(b []byte, e *parse.Event) []byte {
	str := func(b []byte, key, v string) []byte {
		b = append(b, `,"`...)
		b = append(b, key...)
		b = append(b, `":`...)
		q, _ := json.Marshal(v)
		return append(b, q...)
	}
	num := func(b []byte, key string, v uint64) []byte {
		b = append(b, `,"`...)
		b = append(b, key...)
		b = append(b, `":`...)
		return strconv.AppendUint(b, v, 10)
	}
	q, _ := json.Marshal(e.Source.File)
	b = append(b, `{"file":`...)
	b = append(b, q...)
	b = num(b, "record_id", e.RecordID)
	b = str(b, "time", e.TimeCreated.UTC().Format(time.RFC3339Nano))
	b = str(b, "computer", e.Computer)
	b = str(b, "channel", e.Channel)
	b = str(b, "provider", e.Provider)
	b = num(b, "event_id", uint64(e.EventID))
	b = num(b, "version", uint64(e.Version))
	b = num(b, "level", uint64(e.Level))
	b = str(b, "activity_id", e.ActivityID)
	b = str(b, "user_id", e.UserID)
	b = append(b, `,"data":{`...)
	seen := make(map[string]int, len(e.Data))
	for i, fld := range e.Data {
		name := fld.Name
		if n := seen[name]; n > 0 {
			name += "#" + strconv.Itoa(n+1)
		}
		seen[fld.Name]++
		if i > 0 {
			b = append(b, ',')
		}
		k, _ := json.Marshal(name)
		v, _ := json.Marshal(fld.Value)
		b = append(append(append(b, k...), ':'), v...)
	}
	b = append(b, '}')
	if e.Binary != nil {
		b = str(b, "binary", strings.ToUpper(hex.EncodeToString(e.Binary)))
	}
	if e.Recovered {
		b = append(b, `,"recovered":true`...)
	}
	if e.Partial != "" {
		b = str(b, "partial", e.Partial)
	}
	return append(b, "}\n"...)
}

// writeSummary prints a file's damage summary.
func writeSummary(w io.Writer, s *parse.Summary) {
	fmt.Fprintf(w, "%s: %d records: %d decoded, %d filtered out, %d undecodable; %d stale slack records\n",
		termtext.Escape(s.Name), s.RecordsSeen, s.RecordsDecoded, s.RecordsFiltered, s.RecordsUndecodable, s.SlackRecords)
	for _, p := range s.Problems {
		fmt.Fprintf(w, "  %s\n", termtext.Escape(fmt.Sprint(p)))
	}
	if s.ProblemsOmitted > 0 {
		fmt.Fprintf(w, "  ... %d more problems\n", s.ProblemsOmitted)
	}
}
