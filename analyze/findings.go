package analyze

import (
	"bitsdiag/textfmt"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// buildFindings groups occurrences by knowledge-base entry (or unknown code),
// ranks them and numbers them F1..Fn.
func buildFindings(s *state, evidenceCap int, logEnd map[string]time.Time) []Finding {
	groups := map[string][]*occurrence{}
	var order []string
	for _, o := range s.occs {
		if _, ok := groups[o.kbID]; !ok {
			order = append(order, o.kbID)
		}
		groups[o.kbID] = append(groups[o.kbID], o)
	}
	out := make([]Finding, 0, len(order))
	for _, id := range order {
		f := s.finding(groups[id], evidenceCap, logEnd)
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool { return findingLess(&out[i], &out[j]) })
	for i := range out {
		out[i].ID = fmt.Sprintf("F%d", i+1)
	}
	return out
}

func sevRank(s Severity) int {
	switch s {
	case SeverityError:
		return 0
	case SeverityWarning:
		return 1
	}
	return 2
}

// findingLess ranks by impact: info notes last; then problems that need
// action (unresolved, then no retry seen, then without status) before those
// that recovered; then errors before warnings; then the most affected jobs
// and computers; then the most recent; then the most frequent.
func findingLess(a, b *Finding) bool {
	if ia, ib := a.Severity == SeverityInfo, b.Severity == SeverityInfo; ia != ib {
		return ib
	}
	if ra, rb := statusRank(a.Status), statusRank(b.Status); ra != rb {
		return ra < rb
	}
	if ra, rb := sevRank(a.Severity), sevRank(b.Severity); ra != rb {
		return ra < rb
	}
	if na, nb := a.JobsAffected+len(a.Computers), b.JobsAffected+len(b.Computers); na != nb {
		return na > nb
	}
	if !a.LastSeen.Equal(b.LastSeen) {
		return a.LastSeen.After(b.LastSeen)
	}
	if a.Count != b.Count {
		return a.Count > b.Count
	}
	return a.KBID < b.KBID
}

// finding builds one finding from its occurrences (in time order).
func (s *state) finding(occs []*occurrence, evidenceCap int, logEnd map[string]time.Time) Finding {
	o0 := occs[0]
	f := Finding{KBID: o0.kbID, Count: len(occs), FirstSeen: o0.ev.TimeCreated,
		LastSeen: occs[len(occs)-1].ev.TimeCreated, Codes: []string{}, CodeDetails: []CodeCount{},
		Computers: []string{}, Hosts: []string{}, Proxies: []string{}, Jobs: []string{},
		Fix: []Step{}, Verify: []Step{}, Evidence: []Evidence{}, EventCounts: []EventCount{}}
	if en := o0.entry; en != nil {
		f.Severity, f.Title, f.Cause, f.DocSection = en.Severity, en.Title, en.Cause, en.Section
		f.Transient = en.Transient
		f.Fix = append(f.Fix, en.Fix...)
		f.Verify = append(f.Verify, en.Verify...)
		f.Corrections = append([]string(nil), en.Corrections...)
	} else {
		ci := s.kb.Decode(o0.code)
		f.Title = "Error " + FormatCode(o0.code)
		if ci.Name != "" {
			f.Title += " " + ci.Name
		}
		if ci.Meaning != "" {
			f.Title += ": " + ci.Meaning
		}
		f.Cause = ci.Meaning
		if f.Cause != "" && !strings.HasSuffix(f.Cause, ".") {
			f.Cause += "."
		}
		f.Cause = strings.TrimSpace(f.Cause + " bitsdiag's knowledge base has no entry for this code; the steps below narrow the cause down.")
		f.Severity = SeverityWarning
		fix, verify := "triage-transfer-failure", "triage-transfer-verify"
		if o0.scope == "service" {
			f.Severity = SeverityError
			fix, verify = "triage-service-failure", "triage-service-verify"
		}
		if p := s.kb.Procedure(fix); p != nil {
			f.Fix = append(f.Fix, p.Steps...)
		}
		if p := s.kb.Procedure(verify); p != nil {
			f.Verify = append(f.Verify, p.Steps...)
		}
	}
	if sev := sigSeverity(occs); sev != "" {
		f.Severity = sev
	}
	if sevRank(f.Severity) == 2 && f.Severity != SeverityInfo {
		f.Severity = SeverityWarning
	}

	f.EventCounts = eventCounts(occs)
	codes := map[uint32]int{}
	comps, hosts, proxies, jobs := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	hostCount, proxyCount := map[string]int{}, map[string]int{}
	for _, o := range occs {
		if o.hasCode {
			codes[o.code]++
		}
		if c := o.ev.Computer; c != "" {
			comps[c] = true
		}
		if o.host != "" {
			hosts[o.host] = true
			hostCount[o.host]++
		}
		for _, p := range o.proxies {
			proxies[p] = true
			proxyCount[p]++
		}
		if o.jobID != "" {
			jobs[o.jobID] = true
		}
	}
	for c, n := range codes {
		f.CodeDetails = append(f.CodeDetails, CodeCount{Code: FormatCode(c), Name: s.kb.Decode(c).Name, Count: n})
	}
	sortCodeCounts(f.CodeDetails)
	for _, cc := range f.CodeDetails {
		f.Codes = append(f.Codes, cc.Code)
	}
	sort.Strings(f.Codes)
	f.Computers, f.Hosts, f.Proxies, f.Jobs = keys(comps), keys(hosts), keys(proxies), keys(jobs)
	f.JobsAffected = len(f.Jobs)
	f.Status, f.RetrySeconds, f.cancelled = s.status(occs, logEnd)
	s.applyVariants(&f, o0.entry, occs)
	routineNote(&f)
	f.Evidence, f.EvidenceTotal = s.evidence(occs, evidenceCap), len(occs)
	f.Notes = s.notes(occs, &f, hostCount, proxyCount)
	f.Summary = summary(&f, occs[0].scope, s.loc)
	if IsConfigFact(o0.ev) {
		refineConfig(&f, occs)
	}
	return f
}

// sigSeverity is the most severe signature severity when every occurrence
// came through a signature that sets one, else "".
func sigSeverity(occs []*occurrence) Severity {
	var sev Severity
	for _, o := range occs {
		if o.sigSev == "" {
			return ""
		}
		if sev == "" || sevRank(o.sigSev) < sevRank(sev) {
			sev = o.sigSev
		}
	}
	return sev
}

// status is "recovered" when every affected job, URL or service was later
// seen working; for transfer findings "unresolved" when a subject that did
// not recover had at least the retry delay left before its computer's logs
// end, "no retry seen" when every such subject failed too close to the end;
// for service findings "unresolved" when one did not recover; "" when it
// does not apply. A job cancelled after its last failure is unresolved (no
// retry will come). The second value is, for unresolved and no retry seen,
// how long BITS had to retry (see Finding.RetrySeconds); the third is set
// when every subject still failing is such a cancelled job.
func (s *state) status(occs []*occurrence, logEnd map[string]time.Time) (Status, int64, bool) {
	last := map[subject]*occurrence{}
	var order []subject
	for _, o := range occs {
		if len(o.subjects) == 0 {
			continue
		}
		k := o.subjects[0]
		if _, ok := last[k]; !ok {
			order = append(order, k)
		}
		last[k] = o
	}
	if len(order) == 0 {
		return StatusNone, 0, false
	}
	unresolved, noRetry := false, false
	var unresolvedFor, noRetryFor time.Duration = -1, 0
	stillFailing, cancelled := 0, 0 // unresolved subjects; of them, jobs cancelled after their last failure
	for _, k := range order {
		o := last[k]
		if s.recoveredAfter(o.subjects, o.ev.TimeCreated) {
			continue
		}
		if j := s.jobs[o.jobKey]; o.scope == "job" && j != nil && j.outcome == OutcomeCancelled && !j.cancelledAt.Before(o.ev.TimeCreated) {
			// Cancelled after its last failure: no retry will come.
			unresolved = true
			stillFailing++
			cancelled++
			continue
		}
		end, ok := logEnd[o.ev.Computer]
		if o.scope != "job" || !ok {
			unresolved = true
			stillFailing++
			continue
		}
		d := end.Sub(o.ev.TimeCreated)
		if d < 0 {
			d = 0
		}
		if d >= defaultRetryDelay {
			unresolved = true
			stillFailing++
			if unresolvedFor < 0 || d < unresolvedFor {
				unresolvedFor = d
			}
		} else {
			noRetry = true
			if d > noRetryFor {
				noRetryFor = d
			}
		}
	}
	switch {
	case unresolved && cancelled == stillFailing:
		return StatusUnresolved, 0, true
	case unresolved:
		if unresolvedFor < 0 {
			return StatusUnresolved, 0, false
		}
		return StatusUnresolved, int64(unresolvedFor / time.Second), false
	case noRetry:
		return StatusNoRetrySeen, int64(noRetryFor / time.Second), false
	}
	return StatusRecovered, 0, false
}

// evidence keeps up to n records, spread evenly from the first to the last.
func (s *state) evidence(occs []*occurrence, n int) []Evidence {
	idx := make([]int, 0, n)
	if len(occs) <= n {
		for i := range occs {
			idx = append(idx, i)
		}
	} else if n == 1 {
		idx = append(idx, len(occs)-1)
	} else {
		for i := 0; i < n; i++ {
			idx = append(idx, i*(len(occs)-1)/(n-1))
		}
	}
	out := make([]Evidence, 0, len(idx))
	for _, i := range idx {
		o := occs[i]
		ev := Evidence{File: o.ev.Source.File, RecordID: o.ev.RecordID, Time: o.ev.TimeCreated,
			EventID: o.ev.EventID, Computer: o.ev.Computer, URL: o.url, Text: evidenceText(o)}
		if o.hasCode {
			ev.Code = FormatCode(o.code)
		}
		ev.Job = o.jobTitle
		if ev.Job == "" {
			ev.Job = o.jobID
		}
		out = append(out, ev)
	}
	return out
}

// evidenceText describes the record behind an occurrence.
func evidenceText(o *occurrence) string {
	if t := wuEvidenceText(o); t != "" {
		return t
	}
	e := o.ev
	if IsConfigFact(e) {
		return liveJobText(e)
	}
	code := ""
	if o.hasCode {
		code = FormatCode(o.code)
	}
	switch e.EventID {
	case 60, 61: // the URL is the evidence's own field
		return "transfer stopped with " + code
	case 211:
		return "job error " + code
	case 202:
		t := "server lacks an HTTP feature BITS needs"
		if p := e.Value("proxy"); p != "" {
			t = "server or proxy " + p + " lacks an HTTP feature BITS needs"
		}
		var d []string
		if v := e.Value("HTTPVersion"); v != "" {
			d = append(d, v)
		}
		if v := e.Value("URLRange"); v != "" {
			d = append(d, "requested range "+v)
		}
		if len(d) > 0 {
			t += " (" + strings.Join(d, ", ") + ")"
		}
		return t
	case 200, 201:
		return "proxy or server problem (" + code + ")"
	case 302:
		return "the BITS service started, but slowly"
	case 62:
		return "inconsistent data received from the server; BITS switches to another server"
	case 63:
		return "the notification program " + quote(e.Value("Pgm")) + " returned error " + codeText(code, e.Value("hr"))
	case 64:
		return "BITS could not launch the notification program " + quote(e.Value("Pgm")) + " (error " + codeText(code, e.Value("hr")) + ")"
	case 204:
		return credentialsText(e)
	case 7040:
		return fmt.Sprintf("start type changed from %q to %q", e.Value("param2"), e.Value("param3"))
	}
	if strings.EqualFold(e.Provider, ProviderSCM) {
		return scmText(e)
	}
	if isBITSSystemEvent(e.EventID) {
		return bitsSystemText(e)
	}
	t := fmt.Sprintf("%s event %d", e.Provider, e.EventID)
	if code != "" {
		t += " with " + code
	}
	return t
}

// codeText is the normalised code when there is one, else the raw value
// (a program's exit code need not be a failure HRESULT).
func codeText(code, raw string) string {
	if code != "" {
		return code
	}
	if c, ok := parseCodeValue(raw); ok {
		return FormatCode(c)
	}
	return quote(raw)
}

// credentialsText describes event 204 (v1: server, job, url, scheme, user;
// v0: string = server).
func credentialsText(e *Fact) string {
	t := "server " + quote(firstValue(e, "server", "string")) + " rejected the job's credentials"
	var d []string
	if v := e.Value("scheme"); v != "" {
		d = append(d, "scheme "+v)
	}
	if v := e.Value("user"); v != "" {
		d = append(d, "user "+quote(v))
	}
	if len(d) > 0 {
		t += " (" + strings.Join(d, ", ") + ")"
	}
	return t
}

// burstGap is the largest gap between failures of one burst.
const burstGap = 10 * time.Minute

// notes finds bursts and concentration on one host or proxy.
func (s *state) notes(occs []*occurrence, f *Finding, hostCount, proxyCount map[string]int) []string {
	var notes []string
	// Bursts: runs of occurrences with gaps of at most burstGap.
	type run struct{ start, end, n int }
	var runs []run
	cur := run{0, 0, 1}
	for i := 1; i < len(occs); i++ {
		if occs[i].ev.TimeCreated.Sub(occs[i-1].ev.TimeCreated) <= burstGap {
			cur.end, cur.n = i, cur.n+1
			continue
		}
		runs = append(runs, cur)
		cur = run{i, i, 1}
	}
	runs = append(runs, cur)
	sort.SliceStable(runs, func(i, j int) bool { return runs[i].n > runs[j].n })
	for k, r := range runs {
		if k == 3 || r.n < 5 || r.n == len(occs) && len(occs) < 10 {
			break
		}
		d := occs[r.end].ev.TimeCreated.Sub(occs[r.start].ev.TimeCreated)
		notes = append(notes, fmt.Sprintf("Burst: %d of %d events within %s from %s.",
			r.n, len(occs), roundDur(d), fmtTime(occs[r.start].ev.TimeCreated, s.loc)))
	}
	notes = append(notes, concentration("host", hostCount, len(occs))...)
	notes = append(notes, concentration("proxy", proxyCount, len(occs))...)
	if f.Transient {
		notes = append(notes, "The knowledge base marks this error as transient: BITS retries the job by itself.")
	}
	affected := map[string]bool{}
	for _, o := range occs {
		if o.jobKey != "" {
			affected[o.jobKey] = true
		}
	}
	cancelled := 0
	for k := range affected {
		if s.jobs[k].outcome == "cancelled" {
			cancelled++
		}
	}
	if cancelled > 0 {
		notes = append(notes, fmt.Sprintf("%d of %d affected jobs were cancelled afterwards.", cancelled, len(affected)))
	}
	return notes
}

// concentration notes when most events with a host (or proxy) name one.
func concentration(what string, counts map[string]int, total int) []string {
	with, top, topN := 0, "", 0
	for _, k := range keys(boolSet(counts)) {
		n := counts[k]
		with += n
		if n > topN {
			top, topN = k, n
		}
	}
	if with < 3 {
		return nil
	}
	if len(counts) == 1 {
		return []string{fmt.Sprintf("All %d events with a %s name were for %s %s.", with, what, what, top)}
	}
	if topN*5 >= with*4 {
		return []string{fmt.Sprintf("Concentrated on one %s: %d of %d events (%d%%) were for %s.", what, topN, with, topN*100/with, top)}
	}
	return nil
}

// summary says what happened, with numbers: failures (or events), codes,
// jobs, computers, time, hosts and proxies, the mix of events when it is
// more than one kind, and whether it recovered.
func summary(f *Finding, scope string, loc *time.Location) string {
	var b strings.Builder
	n, noun := f.Count, "event"
	if scope == "job" {
		n, noun = Failures(f), CountNoun(f)
	}
	b.WriteString(plural(n, noun))
	var detail []string
	if scope != "job" || n == f.Count && len(f.EventCounts) > 1 {
		detail = append(detail, eventMix(f))
	}
	if len(f.Codes) > 0 {
		detail = append(detail, strings.Join(limit(f.Codes, 3), ", "))
	}
	if len(detail) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(detail, "; "))
	}
	if f.JobsAffected > 0 {
		fmt.Fprintf(&b, " in %s", plural(f.JobsAffected, "job"))
	}
	fmt.Fprintf(&b, " on %s", plural(len(f.Computers), "computer"))
	if first, last := fmtTime(f.FirstSeen, loc), fmtTime(f.LastSeen, loc); first == last {
		fmt.Fprintf(&b, " at %s", first)
	} else {
		fmt.Fprintf(&b, " between %s and %s", first, last)
	}
	if len(f.Hosts) > 0 {
		fmt.Fprintf(&b, ", for %s", hostList(f.Hosts))
	}
	if len(f.Proxies) > 0 {
		fmt.Fprintf(&b, " via %s %s", pluralWord(len(f.Proxies), "proxy", "proxies"), hostList(f.Proxies))
	}
	if n != f.Count {
		fmt.Fprintf(&b, "; %s in all (%s)", plural(f.Count, "event"), eventMix(f))
	}
	switch f.Status {
	case "recovered":
		if scope == "service" {
			b.WriteString("; BITS was working again afterwards")
		} else {
			b.WriteString("; the affected transfers succeeded later")
		}
	case "unresolved":
		if scope == "service" {
			b.WriteString("; no sign that BITS worked again afterwards")
		} else {
			b.WriteString("; " + retryText(f))
		}
	case StatusNoRetrySeen:
		b.WriteString("; " + retryText(f))
	}
	b.WriteString(".")
	return b.String()
}

// eventCounts counts a finding's events per provider and event id.
func eventCounts(occs []*occurrence) []EventCount {
	type key struct {
		provider string
		id       uint16
	}
	n := map[key]int{}
	for _, o := range occs {
		n[key{o.ev.Provider, o.ev.EventID}]++
	}
	out := make([]EventCount, 0, len(n))
	for k, c := range n {
		out = append(out, EventCount{Provider: k.provider, EventID: k.id, Count: c})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].EventID != out[j].EventID {
			return out[i].EventID < out[j].EventID
		}
		return out[i].Provider < out[j].Provider
	})
	return out
}

// eventMix lists the event ids with their counts, e.g. "3 × 61, 3 × 202".
func eventMix(f *Finding) string {
	parts := make([]string, 0, len(f.EventCounts))
	for _, ec := range f.EventCounts {
		parts = append(parts, fmt.Sprintf("%d × %d", ec.Count, ec.EventID))
	}
	return strings.Join(limit(parts, 6), ", ")
}

// failureGroups are the event ids that stand for one failed transfer
// attempt, in order of preference: transfer-stopped events (60, 61), else
// job error events (211), else proxy and server events (200-202). One failed
// attempt often logs several of these (202, then 61), so counting them all
// would count it twice.
var failureGroups = [][]uint16{{60, 61}, {211}, {200, 201, 202}}

// failureEvents returns the event ids whose events a finding counts as
// failures, or nil when every event counts (service findings, warnings).
func failureEvents(f *Finding) []uint16 {
	for _, ids := range failureGroups {
		for _, ec := range f.EventCounts {
			if sameProvider(ec.Provider, ProviderBITS) && slices.Contains(ids, ec.EventID) {
				return ids
			}
		}
	}
	return nil
}

// Failures is the number of failed transfer attempts behind a finding (see
// failureGroups); for a finding without transfer failures, its event count.
func Failures(f *Finding) int {
	ids := failureEvents(f)
	if ids == nil {
		return f.Count
	}
	n := 0
	for _, ec := range f.EventCounts {
		if sameProvider(ec.Provider, ProviderBITS) && slices.Contains(ids, ec.EventID) {
			n += ec.Count
		}
	}
	return n
}

// CountNoun names what Failures counts for a finding: "failure" for failed
// transfer attempts, "event" for findings made of other events (service
// crashes, slow starts, limits).
func CountNoun(f *Finding) string {
	if IsConfigFinding(f) {
		return "deviation"
	}
	if failureEvents(f) == nil {
		return "event"
	}
	return "failure"
}

func hostList(h []string) string {
	switch {
	case len(h) == 1:
		return h[0]
	case len(h) <= 3:
		return strings.Join(h[:len(h)-1], ", ") + " and " + h[len(h)-1]
	}
	return fmt.Sprintf("%s and %d other hosts", strings.Join(h[:2], ", "), len(h)-2)
}

// pluralWord picks the singular or the plural form.
func pluralWord(n int, one, many string) string {
	return textfmt.Word(n, one, many)
}

func plural(n int, noun string) string {
	return textfmt.Count(n, noun, noun+"s")
}

func limit(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return append(append([]string(nil), s[:n]...), fmt.Sprintf("+%d more", len(s)-n))
}

// fmtTime formats t to the minute in zone loc (UTC when nil), naming the zone.
func fmtTime(t time.Time, loc *time.Location) string {
	return textfmt.Time(t, loc, textfmt.Minutes)
}

// roundDur says how long d is in words: "40 seconds", "13 minutes",
// "23 hours", "5 days".
func roundDur(d time.Duration) string {
	switch {
	case d < time.Minute:
		return plural(int(d.Round(time.Second)/time.Second), "second")
	case d < time.Hour:
		return plural(int(d.Round(time.Minute)/time.Minute), "minute")
	}
	h := int(d.Round(time.Hour) / time.Hour)
	if h < 48 {
		return plural(h, "hour")
	}
	return plural((h+12)/24, "day")
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func boolSet(m map[string]int) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}
