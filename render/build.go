package render

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"bitsdiag/analyze"
	"bitsdiag/textfmt"
)

// defaultTitle is used when the result has no case title.
const defaultTitle = "BITS diagnostic report"

// findingAnchor is the link target of the i-th finding (0-based); it does not
// depend on text from the analysis, so it is always a safe identifier.
func findingAnchor(i int) string { return "finding-" + strconv.Itoa(i+1) }

// buildDocument lays out the whole report: the short report, or with
// o.Full the appendices of every evidence record and every job too.
func buildDocument(r *analyze.Result, o Options) *document {
	tz := o.tz()
	d := &document{title: r.Title}
	if d.title == "" {
		d.title = defaultTitle
	}
	buildTitle(d, r, tz)
	buildSummary(d, r, tz)
	buildComputers(d, r, o.Full)
	buildFindings(d, r, tz, o.Full)
	buildEvidenceMatrix(d, r, tz, o.Full)
	buildConfiguration(d, r, o.Full)
	buildService(d, r, tz, o.Full)
	buildJobs(d, r, o.Full)
	buildTimeline(d, r, tz, o.Full)
	buildCoverage(d, r, tz, o.Full)
	if o.Full {
		buildEvidenceAppendix(d, r, tz)
		buildJobsAppendix(d, r, tz)
	}
	buildInventory(d, r, tz, o.Full)
	return d
}

func buildTitle(d *document, r *analyze.Result, tz *time.Location) {
	d.add(heading{level: 1, text: d.title})
	window := fmtSpan(r.Window.Start, r.Window.End, tz)
	if r.Window.Start.IsZero() && r.Window.End.IsZero() {
		window = "no BITS events"
	}
	var limits []string
	if r.Window.Since != nil {
		limits = append(limits, "since "+fmtTime(*r.Window.Since, tz))
	}
	if r.Window.Until != nil {
		limits = append(limits, "until "+fmtTime(*r.Window.Until, tz))
	}
	if len(limits) > 0 {
		window += " (limited to events " + strings.Join(limits, " and ") + ")"
	}
	if c := r.Window.Cut; c != nil {
		window += fmt.Sprintf("; %d older relevant records, up to %s, not analysed (memory bound)", c.Records, fmtTime(c.Before, tz))
	}
	tool := strings.TrimSpace(r.Tool.Name + " " + r.Tool.Version)
	if tool == "" {
		tool = "unknown"
	}
	var full []field
	if utf8.RuneCountInString(sanitizeLine(d.title)) > maxHeading {
		full = append(full, field{"Full title", []span{txt(d.title)}})
	}
	d.add(fields{items: append(full, []field{
		{"Computers", []span{txt(listMax(r.Computers, maxListed))}},
		{"Time window", []span{txt(window)}},
		{"Generated", []span{txt(fmtTime(r.Generated, tz))}},
		{"Tool", []span{txt(tool)}},
		{"Inputs", []span{txt(inputsSummary(r.Inputs))}},
		{"Times shown in", []span{txt(zoneName(tz))}},
	}...)})
}

// inputsSummary counts the input files: read, skipped, damaged (benign
// notes such as a dirty flag or slack records do not count).
func inputsSummary(in []analyze.Input) string {
	skipped, damaged := 0, 0
	for _, f := range in {
		if f.Skipped != "" {
			skipped++
		}
		if f.Damaged() {
			damaged++
		}
	}
	s := plural(len(in), "file", "files")
	var parts []string
	if skipped > 0 {
		parts = append(parts, fmt.Sprintf("%d skipped", skipped))
	}
	if damaged > 0 {
		parts = append(parts, fmt.Sprintf("%d damaged", damaged))
	}
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	return s
}

func buildSummary(d *document, r *analyze.Result, tz *time.Location) {
	d.add(heading{level: 2, text: "Summary", anchor: "summary"})
	if len(r.Findings) == 0 {
		where := plural(len(r.Inputs), "input file", "input files")
		if !r.Window.Start.IsZero() {
			where += " (" + fmtSpan(r.Window.Start, r.Window.End, tz) + ")"
		}
		head := "No BITS failures found in " + where + "."
		if len(r.Matrix) > 0 && !hasChannelKind(r, analyze.LogBITSClient) {
			head = "No BITS service problems found in " + where + "; BITS job failures cannot be seen without the Bits-Client log."
		}
		d.add(para{spans: []span{bold(head)}})
		if r.Verdict != "" {
			d.add(para{spans: []span{txt(r.Verdict)}})
		}
		return
	}
	verdict := r.Verdict
	if verdict == "" {
		verdict = fmt.Sprintf("%s; see the table below.", plural(len(r.Findings), "finding", "findings"))
	}
	d.add(para{spans: []span{txt(verdict)}})
	t := table{sortable: true, cols: []column{
		{title: "#", max: 8},
		{title: "Severity", max: 10},
		{title: "Cause", max: 160, whole: true}, // no code cut (ERROR_WINHTTP_CONNECTION_ERROR)
		{title: "Count", right: true},
		{title: "Jobs", right: true},
		{title: "First seen"},
		{title: "Last seen"},
		{title: "Status", max: 24},
	}}
	var notes [][]span
	for i, f := range r.Findings {
		a := findingAnchor(i)
		if f.Severity == analyze.SeverityInfo {
			notes = append(notes, noteSpans(&f, tz))
			continue
		}
		t.rows = append(t.rows, []cell{
			{text: f.ID, anchor: a},
			{text: string(f.Severity)},
			{text: f.Title, anchor: a},
			{text: strconv.Itoa(analyze.Failures(&f))},
			{text: countOrDash(f.JobsAffected)},
			{text: fmtTime(f.FirstSeen, tz)},
			{text: fmtTime(f.LastSeen, tz)},
			{text: findingStatus(&f)},
		})
	}
	if len(t.rows) > 0 {
		d.add(t)
	}
	if len(notes) > 0 {
		d.add(heading{level: 3, text: "Notes (no action needed)", anchor: notesAnchor}, bullets{items: notes})
	}
}

// notesAnchor is the link target of the notes list: informational findings
// are notes in the summary, not rows of its table (their details only in
// the full report).
const notesAnchor = "notes"

// findingLink is where a link to the i-th finding points: its section, or
// the notes list for an informational finding of the short report.
func findingLink(r *analyze.Result, i int, full bool) string {
	if !full && r.Findings[i].Severity == analyze.SeverityInfo {
		return notesAnchor
	}
	return findingAnchor(i)
}

// noteSpans is one note's line: what was seen, where and when, and the
// first sentence of the explanation.
func noteSpans(f *analyze.Finding, tz *time.Location) []span {
	out := []span{bold(f.ID + " " + f.Title),
		txt(fmt.Sprintf(": %s on %s, %s.", findingCount(f), listMax(f.Computers, maxListed), fmtSpan(f.FirstSeen, f.LastSeen, tz)))}
	if c := firstSentence(f.Cause); c != "" {
		out = append(out, txt(" "), prose(c))
	}
	return out
}

// findingStatus is the status column: status plus "transient".
func findingStatus(f *analyze.Finding) string {
	s := f.Status
	if s == "" {
		s = "—"
	}
	if f.Transient {
		s += " (transient)"
	}
	return string(s)
}

// codeList formats a finding's codes with names and counts.
func codeList(f *analyze.Finding) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range f.CodeDetails {
		s := c.Code
		if c.Name != "" {
			s += " " + c.Name
		}
		if c.Count > 0 {
			s += " (" + plural(c.Count, "event", "events") + ")"
		}
		out = append(out, s)
		seen[c.Code] = true
	}
	for _, c := range f.Codes {
		if !seen[c] {
			out = append(out, c)
		}
	}
	return out
}

func buildFindings(d *document, r *analyze.Result, tz *time.Location, full bool) {
	d.add(heading{level: 2, text: "Findings", anchor: "findings"})
	if len(r.Findings) == 0 {
		d.add(para{spans: []span{txt("No findings.")}})
		return
	}
	titles := make(map[string]string, len(r.Jobs))
	for _, j := range r.Jobs {
		if _, dup := titles[j.ID]; !dup {
			titles[j.ID] = j.Title
		}
	}
	inAppendix := appendixJobs(r, full)
	procs := sharedProcedures(r, full)
	shown := 0
	rows := evidenceRows(r, full)
	for i := range r.Findings {
		f := &r.Findings[i]
		if !full && f.Severity == analyze.SeverityInfo {
			continue // a note in the summary
		}
		shown++
		d.add(heading{level: 3, text: findingHeading(f), anchor: findingAnchor(i)})
		codes := codeList(f)
		codeSpans := make([]span, 0, 2*len(codes))
		for j, c := range codes {
			if j > 0 {
				codeSpans = append(codeSpans, txt(", "))
			}
			codeSpans = append(codeSpans, code(c))
		}
		var items []field
		if len(codeSpans) > 0 {
			items = append(items, field{"Codes", codeSpans})
		}
		if full {
			items = append(items, field{"Severity", []span{txt(string(f.Severity))}})
		}
		items = append(items, field{"Count", []span{txt(findingCount(f))}})
		items = append(items, seenAndStatus(f, tz, full)...)
		items = append(items, field{"Computers", []span{txt(listMax(f.Computers, maxListed))}})
		if len(f.Hosts) > 0 {
			items = append(items, field{"Remote hosts", []span{txt(listMax(f.Hosts, maxListed))}})
		}
		if len(f.Proxies) > 0 {
			items = append(items, field{"Proxies", []span{txt(listMax(f.Proxies, maxListed))}})
		}
		if len(f.Jobs) > 0 {
			items = append(items, field{"Jobs", []span{txt(findingJobs(f.Jobs, titles, jobIDsWhere(f.Jobs, inAppendix)))}})
		}
		src := findingSource(f, full)
		switch {
		case f.Source == "": // BITS and SCM evidence
		case full || len(src) == 0:
			src = append(src, field{"Evidence source", []span{txt(f.Source)}})
		default: // the short report: one Source line
			last := &src[len(src)-1]
			last.value = append(append([]span(nil), last.value...), txt("; evidence from "+f.Source))
		}
		items = append(items, src...)
		d.add(fields{items: items})
		if f.Summary != "" {
			d.add(para{spans: []span{txt(f.Summary)}})
		}
		if len(f.Notes) > 0 {
			b := bullets{}
			for _, n := range f.Notes {
				b.items = append(b.items, []span{txt(n)})
			}
			d.add(b)
		}
		if f.Cause != "" {
			d.add(para{spans: []span{bold("Cause:"), txt(" "), prose(f.Cause)}})
		}
		if !stepsShown(f, full) && (len(f.Fix) > 0 || len(f.Verify) > 0) {
			d.add(para{spans: []span{bold("Fix:"), txt(" nothing to do now: later attempts succeeded (status recovered). The fix and verify steps for a recurrence are in the report with --full and in the JSON output.")}})
		}
		if len(f.Fix) > 0 && stepsShown(f, full) {
			d.add(heading{level: 4, text: "Fix"}, steps{items: procs.steps(f.Fix)})
		}
		if rest := unattachedCorrections(f); len(rest) > 0 {
			b := bullets{}
			for _, c := range rest {
				b.items = append(b.items, []span{prose(c)})
			}
			d.add(heading{level: 4, text: "Corrections to the article"}, b)
		}
		if len(f.Verify) > 0 && stepsShown(f, full) {
			d.add(heading{level: 4, text: "Verify"}, steps{items: procs.steps(f.Verify)})
		}
		d.add(para{spans: []span{bold("Evidence:"), txt(" " + evidenceNote(f, full, rows))}})
		if len(f.Evidence) > 0 {
			d.add(compactEvidence(evidenceTable(shownEvidence(f, rows), tz), f, full))
		}
	}
	if shown == 0 {
		d.add(para{spans: []span{txt("No finding needs action; the notes are in the summary (details with --full).")}})
	}
	buildProcedures(d, procs)
}

// findingCount says how many failures (or events) a finding counts, in how
// many jobs, and which events are behind them: "30 failures in 30 jobs (60
// events: event 61 ×30, event 202 ×30)".
func findingCount(f *analyze.Finding) string {
	noun := analyze.CountNoun(f)
	s := plural(analyze.Failures(f), noun, noun+"s")
	if f.JobsAffected > 0 {
		s += " in " + plural(f.JobsAffected, "job", "jobs")
	}
	parts := make([]string, 0, len(f.EventCounts))
	for _, e := range f.EventCounts {
		parts = append(parts, fmt.Sprintf("event %d ×%d", e.EventID, e.Count))
	}
	switch {
	case len(parts) == 0:
	case f.Count != analyze.Failures(f):
		s += fmt.Sprintf(" (%s: %s)", plural(f.Count, "event", "events"), strings.Join(parts, ", "))
	case len(parts) == 1:
		s += fmt.Sprintf(" (event %d)", f.EventCounts[0].EventID)
	default:
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	return s
}

// findingJobs names a finding's jobs: with their ids when there are a few,
// else grouped by title ("WU Client Download ×30"); the ids are in the
// jobs appendix.
func findingJobs(ids []string, titles map[string]string, where string) string {
	const fewJobs = 3
	if len(ids) <= fewJobs {
		parts := make([]string, 0, len(ids))
		for _, id := range ids {
			if t := titles[id]; t != "" {
				parts = append(parts, t+" ("+id+")")
			} else {
				parts = append(parts, id)
			}
		}
		return strings.Join(parts, ", ")
	}
	n := map[string]int{}
	var order []string
	for _, id := range ids {
		t := titles[id]
		if t == "" {
			t = "(untitled)"
		}
		if n[t] == 0 {
			order = append(order, t)
		}
		n[t]++
	}
	sort.SliceStable(order, func(a, b int) bool {
		if n[order[a]] != n[order[b]] {
			return n[order[a]] > n[order[b]]
		}
		return order[a] < order[b]
	})
	parts := make([]string, 0, len(order))
	for _, t := range order {
		if n[t] > 1 {
			t = fmt.Sprintf("%s ×%d", t, n[t])
		}
		parts = append(parts, t)
	}
	return plural(len(ids), "job", "jobs") + ": " + listMax(parts, maxJobTitles) + " (ids in " + where + ")"
}

// findingHeading is "F1 · error · Title".
func findingHeading(f *analyze.Finding) string {
	return fmt.Sprintf("%s · %s · %s", f.ID, f.Severity, f.Title)
}

// evidenceTable lists evidence records with shortened values.
func evidenceTable(ev []analyze.Evidence, tz *time.Location) table {
	t := table{cols: []column{
		{title: "Time", keep: true},
		{title: "Computer", max: 30},
		{title: "Event", right: true},
		{title: "Code", max: 12, mono: true},
		{title: "Job", max: 40},
		{title: "Details", max: 120},
	}}
	for _, e := range ev {
		details := cell{text: e.Text, code: e.URL}
		if details.plain() == "" {
			details.text = "—"
		}
		t.rows = append(t.rows, []cell{
			{text: fmtTime(e.Time, tz)},
			{text: e.Computer},
			{text: eventNumber(e)},
			{text: orDash(e.Code)},
			{text: orDash(e.Job)},
			details,
		})
	}
	return t
}

// countOrDash formats n, or "—" for zero (nothing to count).
func countOrDash(n int) string {
	if n == 0 {
		return "—"
	}
	return strconv.Itoa(n)
}

// orDash returns s, or "—" when it is empty.
func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func buildService(d *document, r *analyze.Result, tz *time.Location, full bool) {
	s := &r.Service
	d.add(heading{level: 2, text: "Service health", anchor: "service"})
	routine := 0
	for _, e := range s.Timeline {
		if e.Routine {
			routine++
		}
	}
	switch len(r.Services) {
	case 0, 1:
		var items []field
		if len(r.Services) == 1 && len(r.Computers) > 1 {
			items = append(items, field{"Computer", []span{txt(orDash(r.Services[0].Computer))}})
		}
		d.add(fields{items: append(items, []field{
			{"State at end", []span{txt(orUnknown(s.StateNow))}},
			{"Start type at end", []span{txt(orUnknown(s.StartType))}},
			{"Start failures", []span{txt(strconv.Itoa(s.StartFails))}},
			{"Crashes", []span{txt(strconv.Itoa(s.Crashes))}},
			{"Service events", []span{txt(fmt.Sprintf("%d (%d routine)", len(s.Timeline), routine))}},
		}...)})
	default:
		// Several computers: one row each, never merged.
		t := table{cols: []column{
			{title: "Computer", max: 40},
			{title: "State at end", max: 20},
			{title: "Start type at end", max: 30},
			{title: "Start failures", right: true},
			{title: "Crashes", right: true},
			{title: "Idle cycles", right: true},
		}}
		for _, cs := range r.Services {
			t.rows = append(t.rows, []cell{{text: cs.Computer}, {text: orUnknown(cs.StateAtEnd)}, {text: orUnknown(cs.StartTypeEnd)},
				{text: strconv.Itoa(cs.StartFailures)}, {text: strconv.Itoa(cs.Crashes)}, {text: strconv.Itoa(cs.IdleCycles)}})
		}
		d.add(t)
	}
	var notes [][]span
	for _, cs := range r.Services {
		if cs.Note != "" {
			notes = append(notes, []span{txt(cs.Computer + ": " + cs.Note)})
		}
	}
	if len(notes) > 0 {
		d.add(bullets{items: notes})
	}
	if len(s.Timeline) == 0 {
		if hasSystemLog(r.Inputs) {
			d.add(para{spans: []span{txt("No Service Control Manager events about BITS in the inputs.")}})
		} else if len(r.Matrix) > 0 {
			d.add(para{spans: []span{txt("No System log among the inputs, so the BITS service's state, start type, crashes and start failures cannot be seen; the command that exports it is under Evidence per computer.")}})
		} else {
			d.add(para{spans: []span{txt("No System log among the inputs, so the BITS service's state, start type, crashes and start failures cannot be seen. Ask for it too:")}},
				steps{items: []analyze.Step{{Text: "Export the System log on the affected computer.", Commands: []string{`wevtutil epl System C:\Temp\system.evtx`}}}})
		}
		return
	}
	listRoutine := routine <= maxRoutineList
	var rows []analyze.ServiceEvent
	for _, e := range s.Timeline {
		if !e.Routine || listRoutine {
			rows = append(rows, e)
		}
	}
	if !listRoutine {
		var first, last time.Time
		var comps []string
		seen := map[string]bool{}
		for _, e := range s.Timeline {
			if !e.Routine {
				continue
			}
			if first.IsZero() || e.Time.Before(first) {
				first = e.Time
			}
			if e.Time.After(last) {
				last = e.Time
			}
			if !seen[e.Computer] {
				seen[e.Computer] = true
				comps = append(comps, e.Computer)
			}
		}
		sort.Strings(comps)
		d.add(para{spans: []span{txt(fmt.Sprintf(
			"%d routine service events (%s, normal for BITS) between %s and %s on %s are summarised here, not listed.",
			routine, routineKinds(s.Timeline), fmtTime(first, tz), fmtTime(last, tz), listMax(comps, maxListed)))}})
	}
	if len(rows) == 0 {
		return
	}
	if lim := serviceRowLimit(full); len(rows) > lim {
		d.add(para{italic: true, spans: []span{txt(serviceCutNote(lim, len(rows), full))}})
		rows = serviceRowsShown(rows, lim, full)
	}
	t := table{cols: []column{
		{title: "Time", keep: true},
		{title: "Computer", max: 30},
		{title: "Event", right: true},
		{title: "Kind", max: 16},
		{title: "Details", max: 140},
	}}
	for _, e := range rows {
		details := e.Text
		if e.Code != "" {
			details = strings.TrimSpace(details + " (" + e.Code + ")")
		}
		if e.Routine {
			details += " [routine]"
		}
		t.rows = append(t.rows, []cell{
			{text: fmtTime(e.Time, tz)},
			{text: e.Computer},
			{text: strconv.Itoa(int(e.EventID))},
			{text: string(e.Kind)},
			{text: orDash(details)},
		})
	}
	d.add(t)
}

// hasSystemLog reports whether an input is a System log, whether or not
// any of its records was analysed (Input.Channels names the file's channel
// from its first chunk, and the evidence matrix lists it).
func hasSystemLog(inputs []analyze.Input) bool {
	for _, in := range inputs {
		if in.Skipped != "" {
			continue
		}
		for _, ch := range in.Channels {
			if strings.EqualFold(ch, analyze.ChannelSystem) {
				return true
			}
		}
	}
	return false
}

// hasChannelKind reports whether the evidence matrix has a log of kind k.
func hasChannelKind(r *analyze.Result, k analyze.LogKind) bool {
	for _, ce := range r.Matrix {
		for _, l := range ce.Logs {
			if l.Kind == k {
				return true
			}
		}
	}
	return false
}

// buildEvidenceMatrix shows, per computer, which logs are present and the
// time each covers, what is missing (one export command per missing log,
// naming the computers it is missing on) and the warnings about inputs that
// do not belong together. The short report leaves out the file counts, and
// the computer column when there is one computer.
func buildEvidenceMatrix(d *document, r *analyze.Result, tz *time.Location, full bool) {
	if len(r.Matrix) == 0 {
		return
	}
	d.add(heading{level: 2, text: "Evidence per computer", anchor: "evidence"})
	t := table{cols: []column{
		{title: "Computer", max: 40},
		{title: "Log", max: 50},
		{title: "From", keep: true},
		{title: "To", keep: true},
	}}
	if full {
		t.cols = append(t.cols, column{title: "Files", right: true})
	}
	row := func(cells ...cell) {
		if !full {
			cells = cells[:4]
		}
		t.rows = append(t.rows, cells)
	}
	type missing struct {
		m     analyze.MissingLog
		comps []string
	}
	var gaps []*missing
	byChannel := map[string]*missing{}
	for _, ce := range r.Matrix {
		comp := ce.Computer
		if comp == "" {
			comp = "(not named)"
		}
		for _, l := range ce.Logs {
			from, to := "unknown", "unknown"
			if !l.First.IsZero() {
				from, to = fmtTime(l.First, tz), fmtTime(l.Last, tz)
			}
			row(cell{text: comp}, cell{text: l.Channel}, cell{text: from}, cell{text: to}, cell{text: strconv.Itoa(len(l.Files))})
		}
		for _, m := range ce.Missing {
			row(cell{text: comp}, cell{text: m.Channel + " (missing)"}, cell{text: "—"}, cell{text: "—"}, cell{text: "0"})
			g := byChannel[m.Channel]
			if g == nil {
				g = &missing{m: m}
				byChannel[m.Channel] = g
				gaps = append(gaps, g)
			}
			name := ce.Computer
			if name == "" {
				name = "the computer the unnamed logs come from"
			}
			g.comps = append(g.comps, name)
		}
	}
	if full || len(r.Matrix) == 1 {
		d.add(dropComputerColumn(t, len(r.Matrix) == 1))
	} else {
		d.add(para{spans: []span{txt("Computers with the same logs present and missing share a row; the time is the earliest to the latest record of their logs. Every computer and each log's own time are in the JSON output and, with --full, in this table.")}})
		d.add(evidenceGroups(r, tz))
	}
	var items []analyze.Step
	for _, g := range gaps {
		on := "on " + listMax(g.comps, maxListed)
		items = append(items, analyze.Step{
			Text:     fmt.Sprintf("Without the %s log %s, %s. Export it there:", g.m.Channel, on, g.m.Hides),
			Commands: []string{g.m.Command}, Shell: analyze.ShellEither})
	}
	if len(items) > 0 {
		d.add(steps{items: items})
	}
	var warns [][]span
	warns = append(warns, windowsLines(r, tz)...)
	for _, ce := range r.Matrix {
		for _, w := range ce.Warnings {
			warns = append(warns, []span{txt("On " + orDash(ce.Computer) + ", " + w + ".")})
		}
	}
	inputWarnings := r.InputWarnings
	if !full {
		inputWarnings = analyze.ShortInputWarnings(inputWarnings, 5)
	}
	for _, w := range inputWarnings {
		warns = append(warns, []span{txt(w)})
	}
	if len(warns) > 0 {
		d.add(bullets{items: warns})
	}
}

// evidenceGroups is the short report's evidence table: one row per set of
// computers with the same logs present and the same logs missing, with the
// time their logs cover together.
func evidenceGroups(r *analyze.Result, tz *time.Location) table {
	t := table{cols: []column{
		{title: "Computers", max: 120},
		{title: "Logs present", max: 80},
		{title: "Time covered", max: 50},
		{title: "Missing", max: 50},
	}}
	type group struct {
		present, missing string
		comps            []string
		first, last      time.Time
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, ce := range r.Matrix {
		var present, missing []string
		g := &group{}
		for _, l := range ce.Logs {
			present = append(present, channelLabel(l.Channel, false))
			if l.First.IsZero() {
				continue
			}
			if g.first.IsZero() || l.First.Before(g.first) {
				g.first = l.First
			}
			if l.Last.After(g.last) {
				g.last = l.Last
			}
		}
		for _, m := range ce.Missing {
			missing = append(missing, channelLabel(m.Channel, false))
		}
		g.present, g.missing = listOr(present, "none"), listOr(missing, "none")
		key := g.present + "\x00" + g.missing
		if old := byKey[key]; old != nil {
			if !g.first.IsZero() && (old.first.IsZero() || g.first.Before(old.first)) {
				old.first = g.first
			}
			if g.last.After(old.last) {
				old.last = g.last
			}
			g = old
		} else {
			byKey[key] = g
			groups = append(groups, g)
		}
		name := ce.Computer
		if name == "" {
			name = "(not named)"
		}
		g.comps = append(g.comps, name)
	}
	for _, g := range groups {
		comps := g.comps[0]
		if len(g.comps) > 1 {
			comps = fmt.Sprintf("%d computers: %s", len(g.comps), listMax(g.comps, 3))
		}
		covered := "unknown"
		if !g.first.IsZero() {
			covered = fmtTime(g.first, tz) + " to " + fmtTime(g.last, tz)
		}
		t.rows = append(t.rows, []cell{{text: comps}, {text: g.present}, {text: covered}, {text: g.missing}})
	}
	return t
}

// channelLabel is a channel's name as a short report's table shows it,
// without the "Microsoft-Windows-" every BITS and Windows Update channel
// starts with ("Bits-Client/Operational"); full keeps the whole name.
func channelLabel(ch string, full bool) string {
	if full {
		return ch
	}
	return strings.TrimPrefix(ch, "Microsoft-Windows-")
}

// listOr joins items, or returns none when there are none.
func listOr(items []string, none string) string {
	if len(items) == 0 {
		return none
	}
	return strings.Join(items, ", ")
}

// windowsLines name the Windows version of each computer whose System log
// has event 6009: one line per version, naming its computers (at most
// maxListed, then a count); one computer's line also gives the boot time.
func windowsLines(r *analyze.Result, tz *time.Location) [][]span {
	var order []string
	byVersion := map[string][]string{}
	var only *analyze.WindowsVersion
	for _, ce := range r.Matrix {
		if ce.Windows == nil {
			continue
		}
		v := ce.Windows.String()
		if _, ok := byVersion[v]; !ok {
			order = append(order, v)
		}
		byVersion[v] = append(byVersion[v], orDash(ce.Computer))
		only = ce.Windows
	}
	if len(order) == 1 && len(byVersion[order[0]]) == 1 {
		on := ""
		if len(r.Matrix) > 1 {
			on = " on " + byVersion[order[0]][0]
		}
		return [][]span{{txt(fmt.Sprintf("Windows version%s: %s (System event 6009 at the boot of %s).", on, only, fmtTime(only.Seen, tz)))}}
	}
	var out [][]span
	for _, v := range order {
		whose := "their"
		if len(byVersion[v]) == 1 {
			whose = "its"
		}
		out = append(out, []span{txt(fmt.Sprintf("Windows version %s on %s (System event 6009 at %s newest boot).", v, listMax(byVersion[v], maxListed), whose))})
	}
	return out
}

// routineKinds counts the routine service events by kind: idle stop/start
// cycles and start-type flapping.
func routineKinds(tl []analyze.ServiceEvent) string {
	state, types := 0, 0
	for _, e := range tl {
		switch {
		case !e.Routine:
		case e.Kind == "state":
			state++
		default:
			types++
		}
	}
	var parts []string
	if state > 0 {
		parts = append(parts, fmt.Sprintf("%d idle stop/start state changes", state))
	}
	if types > 0 {
		parts = append(parts, fmt.Sprintf("%d automatic/manual start-type changes", types))
	}
	return strings.Join(parts, " and ")
}

// orUnknown returns s, or "unknown" when it is empty.
func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// outcomeRank orders jobs: failing first, then open, cancelled, completed.
func outcomeRank(o string) int {
	switch o {
	case "failing":
		return 0
	case "open":
		return 1
	case "cancelled":
		return 2
	case "completed":
		return 3
	}
	return 4
}

// sortedJobs returns the jobs failing first, then by error count, then time.
func sortedJobs(jobs []analyze.Job) []*analyze.Job {
	out := make([]*analyze.Job, len(jobs))
	for i := range jobs {
		out[i] = &jobs[i]
	}
	errCount := func(j *analyze.Job) int {
		n := 0
		for _, e := range j.Errors {
			n += e.Count
		}
		return n
	}
	sort.SliceStable(out, func(a, b int) bool {
		ja, jb := out[a], out[b]
		if ra, rb := outcomeRank(string(ja.Outcome)), outcomeRank(string(jb.Outcome)); ra != rb {
			return ra < rb
		}
		if ea, eb := errCount(ja), errCount(jb); ea != eb {
			return ea > eb
		}
		return ja.First.Before(jb.First)
	})
	return out
}

// jobAnchor is the link target of the i-th job (0-based) of the jobs table
// in the jobs appendix.
func jobAnchor(i int) string { return "job-" + strconv.Itoa(i+1) }

// jobInAppendix reports whether the jobs appendix shows a job in full:
// every job except those that completed without an error, which the jobs
// table says all there is to say about.
func jobInAppendix(j *analyze.Job) bool {
	return j.Outcome != "completed" || len(j.Errors) > 0 || j.Interruptions > 0
}

// processName is the file name of a job's process with its PID, as the
// jobs table shows it ("msedge.exe (PID 8716)"); the full path is in the
// appendix.
func processName(p string) string {
	path, pid, ok := strings.Cut(p, " (PID ")
	if !ok {
		return baseName(p)
	}
	return baseName(path) + " (PID " + pid
}

// jobTitle is the job's title, or its id when untitled.
func jobTitle(j *analyze.Job) string {
	if j.Title != "" {
		return j.Title
	}
	if j.ID != "" {
		return j.ID
	}
	return "(untitled)"
}

func buildJobs(d *document, r *analyze.Result, full bool) {
	d.add(heading{level: 2, text: "Jobs", anchor: "jobs"})
	if len(r.Jobs) == 0 {
		d.add(para{spans: []span{txt("No BITS jobs were reconstructed from the inputs.")}})
		return
	}
	counts := map[string]int{}
	for _, j := range r.Jobs {
		counts[string(j.Outcome)]++
	}
	var parts []string
	for _, o := range []string{"failing", "open", "cancelled", "completed"} {
		if counts[o] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[o], o))
			delete(counts, o)
		}
	}
	other := 0
	for _, n := range counts {
		other += n
	}
	if other > 0 {
		parts = append(parts, fmt.Sprintf("%d other", other))
	}
	jobs := sortedJobs(r.Jobs)
	d.add(para{spans: []span{txt(jobsIntro(r, parts, full))}})
	if !full {
		jobs = unfinishedJobs(jobs)
	}
	if lim := jobRowLimit(full); len(jobs) > lim {
		d.add(para{italic: true, spans: []span{txt(fmt.Sprintf(
			"First %d of %d jobs listed; the JSON output has all.", lim, len(jobs)))}})
		jobs = jobs[:lim]
	}
	t := table{cols: []column{
		{title: "#", max: 8},
		{title: "Computer", max: 30},
		{title: "Title", max: 40},
		{title: "Owner", max: 28},
		{title: "Process", max: 28},
		{title: "Remote host", max: 48},
		{title: "Outcome", max: 12, keep: true},
		{title: "Errors", max: 60, mono: true},
		{title: "Bytes", max: 40, keep: true},
	}}
	for i, j := range jobs {
		num := cell{text: strconv.Itoa(i + 1)}
		if full && jobInAppendix(j) {
			num.anchor = jobAnchor(i)
		}
		t.rows = append(t.rows, []cell{
			num,
			{text: orDash(j.Computer)},
			{text: jobTitle(j)},
			{text: orDash(j.Owner)},
			{text: orDash(processName(j.Process))},
			{text: listMax(j.Hosts, 3)},
			{text: orDash(string(j.Outcome))},
			{text: fmtErrors(j.Errors)},
			{text: fmtJobBytes(j)},
		})
	}
	d.add(dropComputerColumn(t, len(r.Computers) <= 1))
}

// buildTimeline charts the failures over time; the short report charts the
// findings with the most failures one by one and the rest together, one
// colour each.
func buildTimeline(d *document, r *analyze.Result, tz *time.Location, full bool) {
	d.add(heading{level: 2, text: "Timeline", anchor: "timeline"})
	h := buildHistogram(r, tz)
	if h == nil {
		d.add(para{spans: []span{txt("No failures to chart.")}})
		return
	}
	if !full {
		h.lump(len(palette) - 2)
	}
	d.add(para{spans: []span{txt(fmt.Sprintf("%s, counted per %s and by finding (times in %s).",
		h.totalText(), h.stepName(), zoneName(tz)))}})
	d.add(chart{h: h})
}

func buildCoverage(d *document, r *analyze.Result, tz *time.Location, full bool) {
	d.add(heading{level: 2, text: "Coverage", anchor: "coverage"})
	var warn bullets
	for _, c := range r.Coverage {
		if c.Warning != "" {
			var where []string
			for _, s := range []string{c.Channel, baseName(c.File)} {
				if s != "" {
					where = append(where, s)
				}
			}
			item := []span{bold(orDash(c.Computer))}
			if len(where) > 0 {
				item = append(item, txt(" ("+strings.Join(where, ", ")+")"))
			}
			warn.items = append(warn.items, append(item, txt(": "+c.Warning)))
		}
	}
	if len(warn.items) == 0 {
		d.add(para{spans: []span{txt("No coverage warnings.")}})
	} else {
		n := len(warn.items)
		warn.items = warn.items[:min(n, coverageWarningLimit(full))]
		d.add(para{spans: []span{txt(coverageWarningsIntro(n, len(warn.items)))}}, warn)
	}
	if len(r.Coverage) == 0 {
		return
	}
	rows := r.Coverage
	if lim := coverageRowLimit(full); len(rows) > lim {
		d.add(para{italic: true, spans: []span{txt(cutNote(lim, len(rows), "coverage entries", full))}})
		rows = rows[:lim]
	}
	t := table{cols: []column{
		{title: "Computer", max: 30},
		{title: "Channel", max: 40},
		{title: "File", max: 40},
		{title: "First", keep: true},
		{title: "Last", keep: true},
		{title: "Records", right: true},
		{title: "Record IDs", max: 60},
	}}
	for _, c := range rows {
		t.rows = append(t.rows, []cell{
			{text: c.Computer},
			{text: channelLabel(c.Channel, full)},
			{text: baseName(c.File)},
			{text: fmtTime(c.First, tz)},
			{text: fmtTime(c.Last, tz)},
			{text: strconv.Itoa(c.Records)},
			{text: recordIDs(&c)},
		})
	}
	d.add(t)
}

// recordIDs describes a coverage entry's record ids: range, gaps, missing ids
// and whether the span covers only the analysed (BITS, Windows Update) records.
func recordIDs(c *analyze.Coverage) string {
	var parts []string
	if c.FirstRecordID != 0 || c.LastRecordID != 0 {
		parts = append(parts, fmt.Sprintf("%d–%d", c.FirstRecordID, c.LastRecordID))
	}
	parts = append(parts, plural(c.GapCount, "gap", "gaps"))
	if c.MissingRecords > 0 {
		parts = append(parts, fmt.Sprintf("%d missing", c.MissingRecords))
	}
	if c.BITSOnly {
		parts = append(parts, "analysed records only")
	}
	return strings.Join(parts, ", ")
}

func buildEvidenceAppendix(d *document, r *analyze.Result, tz *time.Location) {
	d.add(heading{level: 2, text: "Appendix A: Evidence", anchor: "appendix-evidence"})
	if len(r.Findings) == 0 {
		d.add(para{spans: []span{txt("No findings, so no evidence.")}})
		return
	}
	for _, f := range r.Findings {
		d.add(heading{level: 3, text: "Evidence for " + f.ID})
		if len(f.Evidence) == 0 {
			d.add(para{spans: []span{txt("No evidence records.")}})
			continue
		}
		var b bullets
		for _, e := range f.Evidence {
			s := []span{bold(fmtTime(e.Time, tz)), txt(fmt.Sprintf(" · %s record %d · event %d · computer %s",
				orDash(e.File), e.RecordID, e.EventID, orDash(e.Computer)))}
			if snapshotEvidence(e) {
				s = []span{bold(fmtTime(e.Time, tz)), txt(" · " + orDash(e.File) + " · computer " + orDash(e.Computer))}
			}
			if e.Code != "" {
				s = append(s, txt(" · code "), code(e.Code))
			}
			if e.Job != "" {
				s = append(s, txt(" · job "+e.Job))
			}
			if e.URL != "" {
				s = append(s, txt(" · URL "+e.URL))
			}
			if e.Text != "" {
				s = append(s, txt(" · "+e.Text))
			}
			b.items = append(b.items, s)
		}
		d.add(b)
	}
}

func buildJobsAppendix(d *document, r *analyze.Result, tz *time.Location) {
	d.add(heading{level: 2, text: "Appendix B: Jobs in detail", anchor: "appendix-jobs"})
	if len(r.Jobs) == 0 {
		d.add(para{spans: []span{txt("No jobs.")}})
		return
	}
	jobs := sortedJobs(r.Jobs)
	if len(jobs) > maxJobRows {
		d.add(para{italic: true, spans: []span{txt(fmt.Sprintf(
			"First %d of %d jobs listed; the JSON output has all.", maxJobRows, len(jobs)))}})
		jobs = jobs[:maxJobRows]
	}
	clean := 0
	for _, j := range jobs {
		if !jobInAppendix(j) {
			clean++
		}
	}
	if clean > 0 {
		d.add(para{spans: []span{txt(fmt.Sprintf(
			"Jobs with errors or not completed, numbered as in the jobs table. Jobs that completed without errors (%d) are listed in the jobs table only; the JSON output has their URLs and files.",
			clean))}})
	}
	if clean == len(jobs) {
		return
	}
	for i, j := range jobs {
		if !jobInAppendix(j) {
			continue
		}
		d.add(heading{level: 4, text: fmt.Sprintf("Job %d: %s", i+1, shorten(sanitizeLine(jobTitle(j)), 100)), anchor: jobAnchor(i)})
		errs := make([]string, 0, len(j.Errors))
		for _, e := range j.Errors {
			s := e.Code
			if e.Name != "" {
				s += " " + e.Name
			}
			errs = append(errs, fmt.Sprintf("%s ×%d", s, e.Count))
		}
		d.add(fields{items: []field{
			{"Title", []span{txt(orDash(j.Title))}},
			{"ID", []span{code(orDash(j.ID))}},
			{"Owner", []span{txt(orDash(j.Owner))}},
			{"Process", []span{txt(orDash(j.Process))}},
			{"Computer", []span{txt(orDash(j.Computer))}},
			{"Outcome", []span{txt(fmt.Sprintf("%s (%s, %s, %s)", orDash(string(j.Outcome)),
				plural(j.Transfers, "transfer", "transfers"), plural(j.Retries, "retry", "retries"),
				plural(j.Interruptions, "interruption", "interruptions")))}},
			{"Seen", []span{txt(fmtSpan(j.First, j.Last, tz))}},
			{"Bytes", []span{txt(fmtJobBytes(j))}},
			{"Errors", []span{txt(listAll(errs))}},
			{"URLs", []span{txt(listAll(j.URLs))}},
			{"Files", []span{txt(listAll(j.Files))}},
		}})
		if j.Live != nil {
			d.add(fields{items: liveJobFields(j.Live)})
		}
	}
}

// listAll joins every item; used in the appendices, which show values in full.
func listAll(items []string) string {
	if len(items) == 0 {
		return "none"
	}
	return strings.Join(items, " ; ")
}

func buildInventory(d *document, r *analyze.Result, tz *time.Location, full bool) {
	title := "Input inventory"
	if full {
		title = "Appendix C: Input inventory"
	}
	d.add(heading{level: 2, text: title, anchor: "appendix-inputs"})
	if len(r.Inputs) == 0 {
		d.add(para{spans: []span{txt("No input files.")}})
		return
	}
	t := table{cols: []column{
		{title: "File", max: 120}, // named in full: the short report has no per-file details
		{title: "Size", right: true, keep: true},
		{title: "SHA-256", max: 13, mono: true},
		{title: "Records", right: true},
		{title: "Analysed", right: true},
		{title: "Time span", keep: true},
		{title: "Damage", max: 60},
	}}
	for _, in := range r.Inputs {
		t.rows = append(t.rows, []cell{
			{text: baseName(in.Path)},
			{text: textfmt.Bytes(uint64(max(in.Size, 0)))},
			{text: orDash(in.SHA256)},
			{text: strconv.Itoa(in.Records)},
			{text: strconv.Itoa(in.RecordsAnalysed)},
			{text: fmtSpan(in.FirstTime, in.LastTime, tz)},
			{text: damageSummary(&in, true)},
		})
	}
	d.add(t)
	for i, in := range r.Inputs {
		if !full && !inputNeedsDetail(&in) {
			continue
		}
		d.add(heading{level: 4, text: fmt.Sprintf("File %d: %s", i+1, shorten(sanitizeLine(baseName(in.Path)), 100))})
		items := []field{
			{"Path", []span{txt(in.Path)}},
			{"SHA-256", []span{code(orDash(in.SHA256))}},
			{"Size", []span{txt(fmt.Sprintf("%d bytes", in.Size))}},
			{"Records", []span{txt(fmt.Sprintf("%d seen, %d analysed, %d filtered out unread (not about BITS), %d undecodable",
				in.Records, in.RecordsAnalysed, in.RecordsFiltered, in.RecordsUndecoded))}},
			{"Time span", []span{txt(fmtSpan(in.FirstTime, in.LastTime, tz) + " (analysed records)")}},
			{"Whole log", []span{txt(fmtSpan(in.LogFirst, in.LogLast, tz) + " (all record headers)")}},
			{"Channels", []span{txt(listAll(in.Channels))}},
			{"Computers", []span{txt(listAll(in.Computers))}},
		}
		if in.Skipped != "" {
			items = append(items, field{"Skipped", []span{txt(in.Skipped)}})
		}
		items = append(items, field{"Damage", []span{txt(damageSummary(&in, false))}})
		d.add(fields{items: items})
		if len(in.Damage) == 0 {
			continue
		}
		var b bullets
		for k, dm := range in.Damage {
			if k == maxDamageList {
				b.items = append(b.items, []span{txt(fmt.Sprintf(
					"and %d more damage entries; the JSON output has all.", len(in.Damage)-maxDamageList))})
				break
			}
			b.items = append(b.items, []span{bold(orDash(string(dm.Kind))), txt(damageWhere(dm) + ": " + dm.Reason)})
		}
		d.add(b)
	}
}

// damageWhere says where a problem is: " chunk 3, offset 69632 (0x11000),
// record 17", leaving out what does not apply (chunk -1 is not about a chunk).
func damageWhere(dm analyze.Damage) string {
	var parts []string
	if dm.Chunk >= 0 {
		parts = append(parts, fmt.Sprintf("chunk %d", dm.Chunk))
	}
	if dm.Chunk >= 0 || dm.Offset > 0 {
		parts = append(parts, fmt.Sprintf("offset %d (0x%X)", dm.Offset, dm.Offset))
	}
	if dm.RecordID != 0 {
		parts = append(parts, fmt.Sprintf("record %d", dm.RecordID))
	}
	if len(parts) == 0 {
		return ""
	}
	return " " + strings.Join(parts, ", ")
}

// damageSummary is "none", or the number of problems by kind. Notes that
// healthy logs copied from a running system carry (analyze.BenignDamage:
// dirty flag, stale slack records) are named as notes, not as damage. With
// skipped (the inventory table), a skipped file says so and notes are short.
func damageSummary(in *analyze.Input, skipped bool) string {
	var parts []string
	if skipped && in.Skipped != "" {
		parts = append(parts, "skipped: "+in.Skipped)
	}
	kinds := map[string]int{}
	var damage, notes []string
	for _, dm := range in.Damage {
		if kinds[string(dm.Kind)] == 0 {
			if analyze.BenignDamage(dm.Kind) {
				notes = append(notes, string(dm.Kind))
			} else {
				damage = append(damage, string(dm.Kind))
			}
		}
		kinds[string(dm.Kind)]++
	}
	sort.Strings(damage)
	sort.Strings(notes)
	for _, k := range damage {
		parts = append(parts, fmt.Sprintf("%d %s", kinds[k], orDash(k)))
	}
	if in.RecordsUndecoded > 0 {
		parts = append(parts, fmt.Sprintf("%d undecodable records", in.RecordsUndecoded))
	}
	if len(parts) == 0 && !(skipped && in.Skipped != "") {
		parts = append(parts, "none")
	}
	s := strings.Join(parts, ", ")
	if len(notes) > 0 {
		n := make([]string, len(notes))
		for i, k := range notes {
			n[i] = fmt.Sprintf("%d %s", kinds[k], k)
		}
		if skipped { // the inventory table: short
			s += " (notes: " + strings.Join(n, ", ") + ")"
		} else {
			s += " (notes, normal in logs copied from a running system: " + strings.Join(n, ", ") + ")"
		}
	}
	return s
}
