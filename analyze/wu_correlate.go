package analyze

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"
)

// wuLinkBefore and wuLinkAfter bound the BITS failures that can explain a
// Windows Update failure: those of the same computer in the minutes before
// it (Windows Update reports a download failure after BITS gave up).
const (
	wuLinkBefore = 30 * time.Minute
	wuLinkAfter  = 2 * time.Minute
)

// maxUpdates is the number of update titles a finding lists.
const maxUpdates = 20

// wuLink is one BITS failure that precedes a Windows Update failure.
type wuLink struct {
	o       *occurrence
	wuJob   bool   // the job is one Windows Update created
	finding string // the BITS finding's id
	url     string // the transfer's URL, else the job's first
	name    string // the BITS code's symbolic name
}

// isWUJob reports whether a BITS job was created by the Windows Update
// service: its display name, or the system account running svchost
// (wu-facts §3.4; medium confidence, so both are accepted).
func isWUJob(j *jobState) bool {
	if j == nil {
		return false
	}
	if strings.EqualFold(strings.TrimSpace(j.title), "WU Client Download") {
		return true
	}
	owner := strings.ToUpper(j.owner)
	system := strings.Contains(owner, `\SYSTEM`) || owner == "SYSTEM" || strings.Contains(owner, "S-1-5-18")
	return system && strings.Contains(strings.ToLower(j.process), "svchost")
}

// wsusServer returns "host:port" when a URL looks like WSUS content
// (http(s)://HOST:8530|8531/Content/...), else "".
func wsusServer(raw string) string { return wsusServerOf(raw, nil) }

// wsusServerOf is wsusServer that also accepts /Content/ on any port of a
// server Windows Update named (event 32's serverName; lower-case host names).
func wsusServerOf(raw string, known map[string]bool) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || !strings.HasPrefix(strings.ToLower(u.Path), "/content/") {
		return ""
	}
	host, port := strings.ToLower(u.Hostname()), u.Port()
	switch {
	case port == "8530" || port == "8531":
		return host + ":" + port
	case known[host]:
		if port == "" {
			port = map[string]string{"http": "80", "https": "443"}[strings.ToLower(u.Scheme)]
		}
		return host + ":" + port
	}
	return ""
}

// wsusServers lists the WSUS servers a computer's BITS jobs downloaded from.
func (s *state) wsusServers(computer string) []string {
	set := map[string]bool{}
	for _, j := range s.jobs {
		if computer != "" && !strings.EqualFold(j.computer, computer) {
			continue
		}
		for _, u := range j.urls {
			if w := wsusServerOf(u, s.wu.servers); w != "" {
				set[w] = true
			}
		}
	}
	return keys(set)
}

// bitsCovers reports whether the computer's Bits-Client evidence spans t
// (give or take the link window), so that "no BITS failure" means something.
func (s *state) bitsCovers(computer string, t time.Time) bool {
	for _, j := range s.jobs {
		if strings.EqualFold(j.computer, computer) && !t.Before(j.first.Add(-wuLinkBefore)) && !t.After(j.last.Add(wuLinkBefore)) {
			return true
		}
	}
	return false
}

// bitsLinks finds the BITS transfer failures of the same computer shortly
// before a Windows Update failure.
func (s *state) bitsLinks(o *occurrence, ids map[string]string) []wuLink {
	var out []wuLink
	t := o.ev.TimeCreated
	for _, b := range s.occs {
		if b.scope != "job" || !b.hasCode || !isFailure(b.code) || !strings.EqualFold(b.ev.Computer, o.ev.Computer) {
			continue
		}
		bt := b.ev.TimeCreated
		if bt.Before(t.Add(-wuLinkBefore)) || bt.After(t.Add(wuLinkAfter)) {
			continue
		}
		l := wuLink{o: b, wuJob: isWUJob(s.jobs[b.jobKey]), finding: ids[b.kbID], url: b.url, name: s.kb.Decode(b.code).Name}
		if j := s.jobs[b.jobKey]; l.url == "" && j != nil && len(j.urls) > 0 {
			l.url = j.urls[0]
		}
		out = append(out, l)
	}
	// Jobs Windows Update created first, then the latest.
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].wuJob != out[j].wuJob {
			return out[i].wuJob
		}
		return out[i].o.ev.TimeCreated.After(out[j].o.ev.TimeCreated)
	})
	return out
}

// wuCorrelate completes the Windows Update findings: their source, the
// updates by title, the BITS failures that explain them (or that none
// does), whether BITS can be the cause at all, the WSUS servers; and marks
// BITS findings whose jobs Windows Update created; and splits findings that
// involve more than one WSUS server by server (logEnd as for status).
func (s *state) wuCorrelate(fs []Finding, logEnd map[string]time.Time) {
	if len(s.wu.events) == 0 && len(s.jobs) == 0 {
		return
	}
	ids := map[string]string{}
	for i := range fs {
		ids[fs[i].KBID] = fs[i].ID
	}
	groups := map[string][]*occurrence{}
	for _, o := range s.occs {
		groups[o.kbID] = append(groups[o.kbID], o)
	}
	for i := range fs {
		f := &fs[i]
		occs := groups[f.KBID]
		if len(occs) == 0 {
			continue
		}
		if occs[0].scope != scopeWU {
			s.markWUJobs(f, occs, logEnd)
			continue
		}
		s.wuFinding(f, occs, ids, logEnd)
	}
}

// markWUJobs notes on a BITS finding that its jobs belong to Windows Update
// and names the WSUS servers they download from.
func (s *state) markWUJobs(f *Finding, occs []*occurrence, logEnd map[string]time.Time) {
	n, servers := 0, map[string]bool{}
	var per []serverOcc
	for _, o := range occs {
		if isWUJob(s.jobs[o.jobKey]) {
			n++
		}
		if w := wsusServerOf(o.url, s.wu.servers); w != "" {
			servers[w] = true
		}
		if w := s.occServer(o); w != "" {
			per = append(per, serverOcc{w, o, o})
		}
	}
	if n > 0 {
		f.Notes = append(f.Notes, fmt.Sprintf("%d of %d events are about jobs the Windows Update service created (system account).", n, len(occs)))
	}
	if len(servers) > 0 {
		f.WSUSServers = keys(servers)
		f.Notes = append(f.Notes, "WSUS content: the failing URLs are on WSUS "+pluralWord(len(servers), "server", "servers")+" "+strings.Join(f.WSUSServers, ", ")+".")
	}
	f.PerWSUSServer = s.perServer(per, len(f.WSUSServers), logEnd)
	perServerNote(f)
}

// wuFinding completes one Windows Update finding.
func (s *state) wuFinding(f *Finding, occs []*occurrence, ids map[string]string, logEnd map[string]time.Time) {
	f.Source = "windows-update"
	if strings.EqualFold(occs[0].ev.Provider, ProviderDO) {
		f.Source = "delivery-optimization"
	}
	titles, store, later := map[string]int{}, 0, map[string]time.Time{}
	var order []string
	download, linked, unlinked, uncovered := 0, 0, 0, 0
	var links []wuLink
	var per []serverOcc
	servers := map[string]bool{}
	for _, o := range occs {
		w := wuFields(o.ev)
		if w.title != "" {
			if titles[w.title] == 0 {
				order = append(order, w.title)
			}
			titles[w.title]++
		}
		if wuServices[w.service] == "Microsoft Store" {
			store++
		}
		if t, ok := s.wu.success[o.ev.Computer+"|"+w.update]; ok && w.update != "" && t.After(o.ev.TimeCreated) && w.title != "" {
			later[w.title] = t
		}
		if !wuOnDownloadPath(o, w) {
			continue
		}
		download++
		for _, srv := range s.wsusServers(o.ev.Computer) {
			servers[srv] = true
		}
		ls := s.bitsLinks(o, ids)
		switch {
		case len(ls) > 0:
			linked++
			links = append(links, ls[0])
			if w := s.occServer(ls[0].o); w != "" {
				per = append(per, serverOcc{w, o, ls[0].o})
			}
		case s.bitsCovers(o.ev.Computer, o.ev.TimeCreated):
			unlinked++
		default:
			uncovered++
		}
	}
	for i, t := range order {
		if i == maxUpdates {
			break
		}
		f.Updates = append(f.Updates, t)
	}
	if len(order) > 0 {
		list := make([]string, 0, 3)
		for _, t := range limit(order, 3) {
			list = append(list, fmt.Sprintf("%s (%s)", quote(t), plural(titles[t], "failure")))
		}
		more := ""
		if len(order) > 3 {
			more = fmt.Sprintf(" and %d more", len(order)-3)
		}
		f.Notes = append(f.Notes, "Updates: "+strings.Join(list, ", ")+more+".")
	}
	if store > 0 {
		f.Notes = append(f.Notes, fmt.Sprintf("%d of %d failures are Microsoft Store app updates.", store, len(occs)))
	}
	if len(later) > 0 {
		var ts []string
		for _, t := range order {
			if at, ok := later[t]; ok {
				ts = append(ts, fmt.Sprintf("%s at %s", quote(t), fmtTime(at, s.loc)))
			}
		}
		f.Notes = append(f.Notes, "Later downloaded or installed successfully: "+strings.Join(limit(ts, 3), ", ")+".")
	}
	switch {
	case download == 0 && occs[0].entry != nil && occs[0].entry.ID == wuScanEntry:
		f.Notes = append(f.Notes, "Not a BITS failure: Windows Update scans over WinHTTP, without BITS, so BITS is not the cause.")
	case download == 0:
		f.Notes = append(f.Notes, "Not on the download path (BITS, Delivery Optimization, network): BITS is not the cause of these failures.")
	default:
		f.Notes = append(f.Notes, linkNotes(links, linked, unlinked, uncovered, s.wu.servers, s.loc)...)
	}
	if len(servers) > 0 {
		f.WSUSServers = keys(servers)
		f.Notes = append(f.Notes, "WSUS "+pluralWord(len(servers), "server", "servers")+" of this computer's BITS downloads: "+strings.Join(f.WSUSServers, ", ")+".")
	}
	f.PerWSUSServer = s.perServer(per, len(f.WSUSServers), logEnd)
	perServerNote(f)
}

// failingHosts are the hosts of a finding's failures without those of the
// WSUS servers whose failures recovered (when others did not); the second
// value names those servers.
func failingHosts(f *Finding) (hosts, healed []string) {
	failing, done := map[string]bool{}, map[string]bool{}
	for _, p := range f.PerWSUSServer {
		h, _, _ := strings.Cut(p.Server, ":")
		if p.Status == StatusRecovered {
			done[h] = true
			healed = append(healed, p.Server)
		} else {
			failing[h] = true
		}
	}
	if len(failing) == 0 {
		return f.Hosts, nil
	}
	for _, h := range f.Hosts {
		if !done[strings.ToLower(h)] || failing[strings.ToLower(h)] {
			hosts = append(hosts, h)
		}
	}
	return hosts, healed
}

// perServerNote says in the finding's notes how its events split by WSUS
// server.
func perServerNote(f *Finding) {
	if len(f.PerWSUSServer) == 0 {
		return
	}
	parts := make([]string, 0, len(f.PerWSUSServer))
	for _, p := range f.PerWSUSServer {
		d := fmt.Sprintf("%s: %s on %s", p.Server, plural(p.Count, "event"), plural(len(p.Computers), "computer"))
		if p.Status != StatusNone {
			d += ", " + string(p.Status)
		}
		parts = append(parts, d)
	}
	f.Notes = append(f.Notes, "Per WSUS server: "+strings.Join(parts, "; ")+".")
}

// serverOcc is one of a finding's events that involves a WSUS server: the
// event counted, and the BITS failure whose status is the server's (the
// same event for BITS findings, the linked transfer for Windows Update).
type serverOcc struct {
	server string
	o      *occurrence
	bits   *occurrence
}

// occServer is the WSUS server of a BITS occurrence: its transfer's URL,
// else the first WSUS content URL of its job; "" when none.
func (s *state) occServer(o *occurrence) string {
	if w := wsusServerOf(o.url, s.wu.servers); w != "" || o.url != "" {
		return w
	}
	if j := s.jobs[o.jobKey]; j != nil {
		for _, u := range j.urls {
			if w := wsusServerOf(u, s.wu.servers); w != "" {
				return w
			}
		}
	}
	return ""
}

// perServer is the per-WSUS-server breakdown of a finding's events, by
// server name; nil unless they involve two servers or more, or the
// finding names that many (listed is len(WSUSServers)): then the breakdown
// says which of them its failures are on.
func (s *state) perServer(per []serverOcc, listed int, logEnd map[string]time.Time) []WSUSServerFailures {
	groups := map[string][]serverOcc{}
	for _, p := range per {
		groups[p.server] = append(groups[p.server], p)
	}
	if len(groups) == 0 || len(groups) < 2 && listed < 2 {
		return nil
	}
	names := map[string]bool{}
	for srv := range groups {
		names[srv] = true
	}
	var out []WSUSServerFailures
	for _, srv := range keys(names) {
		comps, seen := map[string]bool{}, map[*occurrence]bool{}
		var bits []*occurrence
		for _, p := range groups[srv] {
			if c := p.o.ev.Computer; c != "" {
				comps[c] = true
			}
			if !seen[p.bits] {
				seen[p.bits] = true
				bits = append(bits, p.bits)
			}
		}
		st, _, _ := s.status(bits, logEnd)
		out = append(out, WSUSServerFailures{Server: srv, Count: len(groups[srv]), Computers: keys(comps), Status: st})
	}
	return out
}

// wuOnDownloadPath reports whether a Windows Update failure is a download
// failure: a download event, a DO event, or a code of the download path.
func wuOnDownloadPath(o *occurrence, w *wuEvent) bool {
	if w.info.op == wuOpDownload {
		return true
	}
	if o.hasCode && onDownloadPath(o.code) {
		return true
	}
	return false
}

// linkNotes says which BITS failures explain download failures, and for how
// many none does.
func linkNotes(links []wuLink, linked, unlinked, uncovered int, known map[string]bool, loc *time.Location) []string {
	var notes []string
	if linked > 0 {
		seen := map[string]bool{}
		var parts []string
		for _, l := range links {
			o := l.o
			job := o.jobTitle
			if job == "" {
				job = o.jobID
			}
			d := fmt.Sprintf("job %s", quote(job))
			if o.jobID != "" && o.jobTitle != "" {
				d += " (" + o.jobID + ")"
			}
			d += " failed with " + FormatCode(o.code)
			if l.name != "" {
				d += " " + l.name
			}
			if h := hostOf(l.url); h != "" {
				d += " from " + h
				if w := wsusServerOf(l.url, known); w != "" {
					d += " (WSUS server " + w + ")"
				}
			}
			d += " at " + fmtTime(o.ev.TimeCreated, loc)
			if l.finding != "" {
				d += ", finding " + l.finding
			}
			if !l.wuJob {
				d += "; the job is not recognisably Windows Update's"
			}
			if !seen[d] {
				seen[d] = true
				parts = append(parts, d)
			}
		}
		notes = append(notes, fmt.Sprintf("Linked to BITS: %d of %d download failures follow failing BITS transfers of the same computer within %s: %s.",
			linked, linked+unlinked+uncovered, roundDur(wuLinkBefore), strings.Join(limit(parts, 3), "; ")))
	}
	if unlinked > 0 {
		notes = append(notes, fmt.Sprintf("No BITS failure explains %s: the Bits-Client log of the computer covers that time and shows no failing transfer in the %s before.",
			pluralWord(unlinked, "one download failure", fmt.Sprintf("%d download failures", unlinked)), roundDur(wuLinkBefore)))
	}
	if uncovered > 0 {
		notes = append(notes, fmt.Sprintf("No BITS evidence: %s no Bits-Client record of the same computer and time (the Bits-Client Operational log was not given or does not reach back), so BITS can neither be blamed nor cleared.",
			pluralWord(uncovered, "one download failure has", fmt.Sprintf("%d download failures have", uncovered))))
	}
	return notes
}

// doEraTitle matches update titles of Windows versions whose Windows Update
// downloads through Delivery Optimization (wu-facts §3.1).
var doEraTitle = regexp.MustCompile(`(?i)windows 1[01]\b|windows server(,? version)? (2019|2022|2025|20h2|1809|1903|1909|2004)\b|server 20(19|22|25)\b`)

// doEra returns the evidence that a computer's Windows uses Delivery
// Optimization for Windows Update ("" = not shown).
func (s *state) doEra(computer string) string {
	for _, t := range s.wu.titles[computer] {
		if m := doEraTitle.FindString(t); m != "" {
			return m
		}
	}
	return ""
}

// wuVerdict is the verdict: the BITS verdict over the BITS evidence, then
// (when Windows Update evidence was given) what Windows Update reported,
// whether BITS explains it, and the Delivery Optimization log to collect.
func wuVerdict(r *Result, s *state, analysed int, loc *time.Location) string {
	if len(s.wu.events) == 0 {
		return verdict(r, analysed, loc)
	}
	bits := *r
	bits.Findings = nil
	var wu []*Finding
	for i := range r.Findings {
		if r.Findings[i].Source == "" {
			bits.Findings = append(bits.Findings, r.Findings[i])
		} else if r.Findings[i].Severity != SeverityInfo {
			wu = append(wu, &r.Findings[i])
		}
	}
	nBITS := analysed - len(s.wu.events)
	var bitsPart string
	if nBITS > 0 || len(bits.Findings) > 0 {
		bitsPart = verdict(&bits, nBITS, loc)
	} else {
		// No BITS record at all: still say what the logs cannot show.
		bitsPart = strings.TrimSpace("No BITS events found in the input." + blindSpots(bits.Matrix) + " " + strings.Join(ShortInputWarnings(bits.InputWarnings, 3), " "))
	}
	var b strings.Builder
	failures, computers := 0, map[string]bool{}
	for _, f := range wu {
		failures += f.Count
		for _, c := range f.Computers {
			computers[c] = true
		}
	}
	if failures == 0 {
		fmt.Fprintf(&b, "Windows Update reported no failure in %s.", plural(len(s.wu.events), "Windows Update event"))
	} else {
		top := wu[0]
		fmt.Fprintf(&b, "Windows Update reported %s on %s; the first: %s (%s)",
			plural(failures, "failure"), plural(len(computers), "computer"), top.Title, plural(top.Count, "event"))
		var parts []string
		for _, f := range wu {
			for _, n := range f.Notes {
				switch {
				case strings.HasPrefix(n, "Linked to BITS"):
					parts = append(parts, "download failures linked to failing BITS transfers ("+f.ID+")")
				case strings.HasPrefix(n, "No BITS failure explains"):
					parts = append(parts, "download failures that no BITS failure explains ("+f.ID+")")
				case strings.HasPrefix(n, "No BITS evidence"):
					parts = append(parts, "download failures without BITS evidence of that time ("+f.ID+")")
				case strings.HasPrefix(n, "Not on the download path"), strings.HasPrefix(n, "Not a BITS failure"):
					parts = append(parts, "failures BITS did not cause ("+f.ID+")")
				}
			}
		}
		if len(parts) > 0 {
			b.WriteString(": " + strings.Join(limit(parts, 4), "; "))
		}
		b.WriteString(".")
	}
	servers := map[string]bool{}
	for _, c := range r.Computers {
		for _, w := range s.wsusServers(c) {
			servers[w] = true
		}
	}
	switch {
	case len(servers) > 1:
		b.WriteString(" " + wsusVerdict(r.Findings, keys(servers)))
	case len(servers) > 0:
		fmt.Fprintf(&b, " WSUS %s: %s.", pluralWord(len(servers), "server", "servers"), strings.Join(keys(servers), ", "))
	}
	doLog := false
	for _, in := range r.Inputs {
		for _, ch := range in.Channels {
			if strings.EqualFold(ch, ChannelDOOperational) {
				doLog = true
			}
		}
	}
	if !doLog {
		var era []string
		for _, c := range r.Computers {
			if s.wu.doSeen[c] {
				continue
			}
			if m := s.doEra(c); m != "" {
				era = append(era, fmt.Sprintf("%s (update titles name %s)", c, m))
			}
		}
		if len(era) > 0 {
			fmt.Fprintf(&b, " On %s Windows Update downloads most content through Delivery Optimization rather than BITS, and no Delivery Optimization log was given: collect it in a Command Prompt opened as an administrator with wevtutil epl Microsoft-Windows-DeliveryOptimization/Operational C:\\Temp\\DeliveryOptimization-Operational.evtx.",
				strings.Join(limit(era, 3), ", "))
		}
	}
	// The verdict leads with the finding the table leads with: the Windows
	// Update sentence first when a Windows Update finding ranks first.
	if len(wu) > 0 && leadsTable(r, wu[0]) {
		return strings.TrimSpace(b.String() + " " + bitsPart)
	}
	return strings.TrimSpace(bitsPart + " " + b.String())
}

// leadsTable reports whether f is the first finding of the findings table
// (informational findings are notes, not rows).
func leadsTable(r *Result, f *Finding) bool {
	for i := range r.Findings {
		if r.Findings[i].Severity != SeverityInfo {
			return &r.Findings[i] == f
		}
	}
	return false
}

// wsusVerdict names, of several WSUS servers, the failing ones with the
// findings that need action there, those that findings not split by server
// may concern, those whose failures recovered, and those with no failure in
// any warning or error finding.
func wsusVerdict(fs []Finding, servers []string) string {
	failing, unsplit, recovered := map[string][]string{}, map[string][]string{}, map[string]bool{}
	add := func(f *Finding, srv string, st Status) {
		if st == StatusRecovered {
			recovered[srv] = true
			return
		}
		for _, id := range failing[srv] {
			if id == f.ID {
				return
			}
		}
		failing[srv] = append(failing[srv], f.ID)
	}
	for i := range fs {
		f := &fs[i]
		if f.Severity == SeverityInfo {
			continue // a note, not a failure
		}
		switch {
		case len(f.PerWSUSServer) > 0:
			for _, p := range f.PerWSUSServer {
				add(f, p.Server, p.Status)
			}
		case len(f.WSUSServers) == 1:
			add(f, f.WSUSServers[0], f.Status)
		default:
			// Not attributable to one of its servers.
			for _, srv := range f.WSUSServers {
				unsplit[srv] = append(unsplit[srv], f.ID)
			}
		}
	}
	var bad, open, healed, clean []string
	for _, srv := range servers {
		switch {
		case len(failing[srv]) > 0:
			bad = append(bad, srv+" ("+strings.Join(failing[srv], ", ")+")")
		case len(unsplit[srv]) > 0:
			open = append(open, srv+" ("+strings.Join(unsplit[srv], ", ")+")")
		case recovered[srv]:
			healed = append(healed, srv)
		default:
			clean = append(clean, srv)
		}
	}
	var parts []string
	if len(bad) > 0 {
		parts = append(parts, "failing "+strings.Join(bad, ", "))
	}
	if len(open) > 0 {
		parts = append(parts, "possibly failing (findings not attributable to one server) "+strings.Join(open, ", "))
	}
	if len(healed) > 0 {
		parts = append(parts, "failures recovered "+strings.Join(healed, ", "))
	}
	if len(clean) > 0 {
		parts = append(parts, "no failure seen "+strings.Join(clean, ", "))
	}
	return fmt.Sprintf("WSUS servers (%d): %s.", len(servers), strings.Join(parts, "; "))
}
