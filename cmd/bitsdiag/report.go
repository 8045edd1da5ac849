package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"bitsdiag/analyze"
	"bitsdiag/inputs"
	"bitsdiag/pipeline"
	"bitsdiag/render"
	"bitsdiag/termtext"
)

const reportUsage = `Usage: bitsdiag report [flags] PATH...

Read event logs and write a report of BITS failures, their causes and fixes.
PATH is an .evtx file, a folder (read recursively), an archive (.zip read in
place; .tar, .tar.gz, .7z; one level of archives inside), a FIFO, or - for
one file on standard input; mix freely. A missing PATH is reported and the
others are still read.
Event logs and configuration snapshots (the text files of bitsdiag collect:
sc.exe, reg.exe, bitsadmin, Get-BitsTransfer, netsh output) are recognised by
content; other files are skipped and counted.
Logs of channels bitsdiag does not analyse (Security, Application, ...) are
skipped after their first chunk and listed as skipped in the inventory.

The format follows the extension of --output (.md, .pdf, .html, .json, .csv) unless
--format says otherwise; without --output, Markdown goes to standard output.
The output file is replaced only by a complete report. The report is short
(verdict, findings, per-computer table, service health, jobs that did not
complete, timeline, coverage, inventory); --full adds every evidence record
and every job. JSON and CSV (one row per failure) always have everything.

Examples:
  bitsdiag report C:/Windows/System32/winevt/Logs -o report.pdf
  bitsdiag report customer.zip --title "Case 12345" > report.md
  bitsdiag report bitsdiag-PC1.zip -o report.pdf      # the zip of bitsdiag collect
  bitsdiag report --since 72h --tz Europe/Berlin -o report.json Logs/
  bitsdiag report --since 2024-11-01 --until 2024-11-07 System.evtx Microsoft-Windows-Bits-Client%4Operational.evtx
  cat System.evtx | bitsdiag report -

Times: --since/--until take RFC 3339 (2024-11-05T13:00:00Z), a date
(2024-11-05, in --tz's zone; --until includes the whole day), or a duration
back from the newest analysed event (72h, 90m, 7d). The report's "generated"
time is now, or SOURCE_DATE_EPOCH (seconds since 1970) when that is set.

Exit status: 0 done; 1 no usable input, output failed, interrupted, or (with
--strict) damaged or unreadable input; 2 bad command line.
`

// reportConfig holds the report command's flags.
type reportConfig struct {
	output, format, title, tz, since, until, paper string
	kb, computers                                  []string
	strict, noPrefilter, full                      bool
	jobs                                           int
	verbosity
	familiar *familiar
}

func reportFlags() (*pflag.FlagSet, *reportConfig) {
	c := &reportConfig{}
	fs := newFlagSet("report")
	fs.StringVarP(&c.output, "output", "o", "", "write the report to `FILE` (format from its extension: .md, .pdf, .html, .json, .csv)")
	fs.StringVarP(&c.format, "format", "f", "", "write the report as `md|pdf|html|json|csv` (default: from --output's extension, else md)")
	fs.StringVar(&c.title, "title", "", "case `TITLE` shown at the top of the report")
	fs.StringVar(&c.tz, "tz", "UTC", "time `ZONE` for times in the report: an IANA name (Europe/Berlin), UTC or local")
	fs.StringVar(&c.since, "since", "", "analyse events at or after `TIME` (RFC 3339, YYYY-MM-DD, or a duration like 72h)")
	fs.StringVar(&c.until, "until", "", "analyse events at or before `TIME` (same forms as --since)")
	fs.StringVar(&c.paper, "paper", "A4", "PDF paper size `A4|Letter`")
	fs.StringArrayVar(&c.kb, "kb", nil, "add or override knowledge-base entries from `FILE` (repeatable)")
	fs.StringArrayVar(&c.computers, "computer", nil, "analyse only events of computer `NAME` (case-insensitive; * and ? match; repeatable)")
	fs.BoolVar(&c.strict, "strict", false, "exit 1 when any input is damaged or unreadable (the report is still written)")
	fs.IntVarP(&c.jobs, "jobs", "j", 0, "read `N` files in parallel (default: one per CPU)")
	fs.BoolVar(&c.full, "full", false, "add every evidence record and every job (appendices) to Markdown, PDF and HTML; JSON and CSV always have all")
	fs.BoolVar(&c.noPrefilter, "no-prefilter", false, "decode every record instead of skipping non-BITS records unread (slower; the same findings)")
	c.verbosity.register(fs)
	c.familiar = registerFamiliar(fs, &c.since, &c.until)
	return fs, c
}

// reportPlan is a checked command line, ready to run.
type reportPlan struct {
	cfg          *reportConfig
	paths        []string
	format       string // "md", "pdf", "html", "json" or "csv"
	tz           *time.Location
	since, until bound
	match        pipeline.Match // --computer
	now          time.Time
	kb           *analyze.KB
}

func runReport(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, cfg := reportFlags()
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			printUsage(stdout, reportUsage, fs)
			return exitOK
		}
		return usageError(stderr, "report", err)
	}
	plan, err := planReport(cfg, fs.Args(), stdin, stdout)
	if err != nil {
		return usageError(stderr, "report", err)
	}
	lw := &logWriter{w: stderr}
	log := cfg.logger(lw)
	kb, err := analyze.LoadKB(cfg.kb...)
	if err != nil {
		fmt.Fprintf(stderr, "bitsdiag report: knowledge base: %s\n", termtext.Escape(err.Error()))
		return exitUsage
	}
	plan.kb = kb

	// The analysis' live heap grows with the relevant records (about 300
	// bytes per distinct one, README "Speed and memory"); near 192 MiB the
	// collector works harder instead of letting the heap double.
	defer tuneGC(100, 192<<20)()
	set, err := inputs.Collect(ctx, plan.paths, stdin, inputs.DefaultLimits())
	if err != nil {
		fmt.Fprintf(stderr, "bitsdiag report: %s\n", termtext.Escape(err.Error()))
		return exitFail
	}
	defer set.Close()
	for _, r := range set.Rejected {
		log.Warn("input not read", "file", r.Path, "reason", r.Reason)
	}
	log.Info("inputs found", "event_logs", len(set.Files), "archives", set.Archives,
		"not_read", len(set.Rejected), "other_files_skipped", set.OtherSkipped)
	if len(set.Files) == 0 && len(set.Snapshots) == 0 {
		fmt.Fprintf(stderr, "bitsdiag report: no EVTX event log found in %s%s\n", describePaths(plan.paths), skippedNote(set))
		return exitFail
	}

	var total int64
	for _, f := range set.Files {
		total += f.Size
	}
	prog := startProgress(stderr, !cfg.quiet, total, len(set.Files))
	lw.p = prog
	an, err := pipeline.Analyse(ctx, set, pipeline.Options{
		Jobs: cfg.jobs, NoPrefilter: cfg.noPrefilter, Match: plan.match, Log: log, Count: prog.counter,
	}, analysisOptions(plan))
	prog.Stop()
	lw.p = nil
	if interrupted(ctx) {
		fmt.Fprintln(stderr, "bitsdiag report: interrupted; no report written")
		return exitFail
	}
	if err != nil {
		fmt.Fprintf(stderr, "bitsdiag report: %v\n", err)
		return exitFail
	}
	res, usable, damaged := an.Result, an.Usable, an.Damaged
	if usable == 0 && len(set.Snapshots) == 0 {
		fmt.Fprintf(stderr, "bitsdiag report: none of the %d event logs could be read\n", len(set.Files))
		return exitFail
	}
	if damaged > 0 {
		log.Warn("damaged or unreadable inputs; the report's inventory lists the damage", "files", damaged, "names", damagedNames(set, an.Files))
	}
	log.Info("analysed", "files", usable, "findings", len(res.Findings), "jobs", len(res.Jobs))

	if err := writeReport(ctx, plan, res, stdout); err != nil {
		fmt.Fprintf(stderr, "bitsdiag report: %s\n", termtext.Escape(err.Error()))
		return exitFail
	}
	if cfg.strict && damaged > 0 {
		fmt.Fprintf(stderr, "bitsdiag report: --strict: %d input(s) damaged or unreadable\n", damaged)
		return exitFail
	}
	return exitOK
}

// describePaths lists the command-line paths for a message.
func describePaths(paths []string) string {
	named := make([]string, len(paths))
	for i, p := range paths {
		named[i] = termtext.Escape(p)
		if p == "-" {
			named[i] = "standard input"
		}
	}
	return strings.Join(named, ", ")
}

// skippedNote says what was found instead of event logs.
func skippedNote(set *inputs.Set) string {
	var parts []string
	if set.OtherSkipped > 0 {
		parts = append(parts, fmt.Sprintf("%d other file(s) skipped", set.OtherSkipped))
	}
	if n := len(set.Rejected); n > 0 {
		parts = append(parts, fmt.Sprintf("%d not readable (see above)", n))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// planReport checks the flags and arguments.
func planReport(cfg *reportConfig, paths []string, stdin io.Reader, stdout io.Writer) (*reportPlan, error) {
	p := &reportPlan{cfg: cfg, paths: paths}
	if err := cfg.familiar.apply("report", &cfg.format); err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, errors.New("give at least one PATH (file, folder, .zip, or - for standard input)")
	}
	if countDash(paths) > 1 {
		return nil, errTwoStdin
	}
	if slices.Contains(paths, "-") {
		if _, isTerm := terminalFd(stdin); isTerm {
			return nil, errors.New("- reads a file from standard input, but standard input is a terminal: pipe or redirect a file into it")
		}
	}
	if cfg.output == "-" || cfg.output == "/dev/stdout" || cfg.output == "/dev/fd/1" {
		cfg.output = ""
	}
	switch f := strings.ToLower(cfg.format); f {
	case "md", "markdown":
		p.format = "md"
	case "pdf", "json", "html", "csv":
		p.format = f
	case "":
		p.format = "md"
		if cfg.output != "" {
			switch strings.ToLower(filepath.Ext(cfg.output)) {
			case ".md", ".markdown":
			case ".pdf":
				p.format = "pdf"
			case ".json":
				p.format = "json"
			case ".html", ".htm":
				p.format = "html"
			case ".csv":
				p.format = "csv"
			default:
				return nil, fmt.Errorf("--output %q: cannot tell the format from the extension; use .md, .pdf, .html, .json or .csv, or --format", cfg.output)
			}
		}
	default:
		return nil, fmt.Errorf("--format %q: use md, pdf, html, json or csv", cfg.format)
	}
	if p.format == "pdf" && cfg.output == "" {
		if _, isTerm := terminalFd(stdout); isTerm {
			return nil, errors.New("not writing a PDF to the terminal: use --output FILE.pdf")
		}
	}
	paper, ok := render.PaperSize(cfg.paper)
	if !ok || cfg.paper == "" {
		return nil, fmt.Errorf("--paper %q: use A4 or Letter", cfg.paper)
	}
	cfg.paper = paper
	var err error
	if p.tz, err = parseZone(cfg.tz); err != nil {
		return nil, err
	}
	if p.since, err = parseBound("since", cfg.since, p.tz, false); err != nil {
		return nil, err
	}
	if p.until, err = parseBound("until", cfg.until, p.tz, true); err != nil {
		return nil, err
	}
	if p.since.set && p.until.set && !p.since.rel && !p.until.rel && p.since.at.After(p.until.at) {
		return nil, fmt.Errorf("--since %s is after --until %s", cfg.since, cfg.until)
	}
	p.match.Computers = cfg.computers
	if err := p.match.CheckComputers(); err != nil {
		return nil, err
	}
	if cfg.jobs < 0 {
		return nil, fmt.Errorf("--jobs %d: must be 1 or more (0 = one per CPU)", cfg.jobs)
	}
	if p.now, err = generatedTime(time.Now); err != nil {
		return nil, err
	}
	if err := checkOutput(cfg.output, paths); err != nil {
		return nil, err
	}
	return p, nil
}

// analysisOptions are the analysis' options for the plan; a relative bound
// is resolved by the analysis from the newest event it sees.
func analysisOptions(p *reportPlan) analyze.Options {
	o := analyze.Options{KB: p.kb, Now: p.now, Title: p.cfg.title, Version: toolVersion(), TZ: p.tz}
	o.Since, o.SinceAgo = p.since.window()
	o.Until, o.UntilAgo = p.until.window()
	return o
}

// writeReport renders the result to the output file (atomically) or stdout.
// Nothing reaches stdout unless the whole report rendered.
func writeReport(ctx context.Context, p *reportPlan, res *analyze.Result, stdout io.Writer) error {
	ro := render.Options{TZ: p.tz, Paper: p.cfg.paper, Full: p.cfg.full}
	renderTo := func(w io.Writer) error {
		var err error
		switch p.format {
		case "pdf":
			err = render.PDF(w, res, ro)
		case "json":
			err = render.JSON(w, res)
		case "html":
			err = render.HTML(w, res, ro)
		case "csv":
			err = render.CSV(w, res)
		default:
			err = render.Markdown(w, res, ro)
		}
		if err == nil && interrupted(ctx) {
			err = errors.New("interrupted; no report written")
		}
		return err
	}
	renderTo = render.Cancellable(ctx, renderTo)
	if p.cfg.output != "" {
		if err := render.WriteFileAtomic(p.cfg.output, renderTo); err != nil {
			return fmt.Errorf("writing %s: %w", p.cfg.output, err)
		}
		return nil
	}
	var buf bytes.Buffer
	if err := renderTo(&buf); err != nil {
		return err
	}
	if _, err := stdout.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("writing the report to standard output: %w", err)
	}
	return nil
}
