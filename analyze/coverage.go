package analyze

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"
)

// covKey groups records for coverage: one file, computer and channel.
type covKey struct{ file, computer, channel string }

// covStats is what coverage needs of every record seen: the record ids as
// runs of consecutive ids and the times as per-day first and last, both
// bounded (maxIDRuns, maxDays) across all rows.
type covStats struct {
	first, last  time.Time
	n            int
	minID, maxID uint64
	runs         []idRun
	days         map[int64]*daySpan // Unix day -> first and last record of the day
	incomplete   bool               // runs or days were not all kept
}

// idRun is a run of consecutive record ids.
type idRun struct{ lo, hi uint64 }

// daySpan is the first and last record time of one day.
type daySpan struct{ first, last time.Time }

// Bounds on coverage's per-record state across all rows: beyond them a row's
// gap figures are lower bounds (Coverage.GapsIncomplete).
const (
	maxIDRuns = 1 << 20 // 16 MiB of runs of consecutive record ids
	maxDays   = 1 << 17 // days with records (a real log spans a few hundred)
)

// shortWindow is the span below which a log is reported as a short window.
const shortWindow = 3 * 24 * time.Hour

// observe counts one analysed record for coverage. Only relevant records
// count, so coverage is the same whether the reader's pre-filter skipped the
// others or they were decoded and dropped here; what a log holds beyond its
// BITS records comes from the reader's summary (Input.LogFirst/LogLast).
// Records recovered from slack are stale and do not count.
func (a *Analyzer) observe(c relevantCopy) {
	if c.recovered {
		return
	}
	st, ok := a.coverage[c.key]
	if !ok {
		st = &covStats{first: c.time, last: c.time, minID: c.id, maxID: c.id, days: map[int64]*daySpan{}}
		a.coverage[c.key] = st
	}
	if c.time.Before(st.first) {
		st.first = c.time
	}
	if c.time.After(st.last) {
		st.last = c.time
	}
	st.n++
	st.minID, st.maxID = min(st.minID, c.id), max(st.maxID, c.id)
	switch r := len(st.runs) - 1; {
	case r >= 0 && c.id == st.runs[r].hi+1:
		st.runs[r].hi++
	case r >= 0 && c.id >= st.runs[r].lo && c.id <= st.runs[r].hi:
	case a.covRuns < maxIDRuns:
		st.runs = append(st.runs, idRun{c.id, c.id})
		a.covRuns++
	default:
		st.incomplete = true
	}
	day := floorDiv(c.time.Unix(), 86400)
	if d, ok := st.days[day]; ok {
		if c.time.Before(d.first) {
			d.first = c.time
		}
		if c.time.After(d.last) {
			d.last = c.time
		}
	} else if a.covDays < maxDays {
		st.days[day] = &daySpan{c.time, c.time}
		a.covDays++
	} else {
		st.incomplete = true
	}
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// idGaps returns the runs sorted and merged, the number of gaps between
// them and the ids they miss.
func idGaps(runs []idRun) (gaps int, missing uint64) {
	rs := slices.Clone(runs)
	slices.SortFunc(rs, func(x, y idRun) int { return cmp.Compare(x.lo, y.lo) })
	var merged []idRun
	for _, r := range rs {
		if n := len(merged); n > 0 && r.lo <= merged[n-1].hi+1 {
			merged[n-1].hi = max(merged[n-1].hi, r.hi)
			continue
		}
		merged = append(merged, r)
	}
	for i := 1; i < len(merged); i++ {
		gaps++
		missing += merged[i].lo - merged[i-1].hi - 1
	}
	return gaps, missing
}

// inputByPath returns the inventory of the file, or nil.
func (a *Analyzer) inputByPath(path string) *Input {
	for i := range a.inputs {
		if a.inputs[i].Path == path {
			return &a.inputs[i]
		}
	}
	return nil
}

// coverageList reports, per file, computer and channel, the time and record
// ids the evidence covers and what it cannot show.
func (a *Analyzer) coverageList() []Coverage {
	ks := make([]covKey, 0, len(a.coverage))
	for k := range a.coverage {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool {
		if ks[i].file != ks[j].file {
			return ks[i].file < ks[j].file
		}
		if ks[i].computer != ks[j].computer {
			return ks[i].computer < ks[j].computer
		}
		return ks[i].channel < ks[j].channel
	})
	// A log is one file and channel, whatever computer names it holds (a
	// renamed machine keeps writing to the same log): wrapping and the time
	// window are judged per log, gaps per row.
	type logKey struct{ file, channel string }
	minID := map[logKey]uint64{}
	span := map[logKey][2]time.Time{}
	for _, k := range ks {
		st, lk := a.coverage[k], logKey{k.file, k.channel}
		if m, ok := minID[lk]; !ok || st.minID < m {
			minID[lk] = st.minID
		}
		sp, ok := span[lk]
		if !ok || st.first.Before(sp[0]) {
			sp[0] = st.first
		}
		if !ok || st.last.After(sp[1]) {
			sp[1] = st.last
		}
		span[lk] = sp
	}
	out := make([]Coverage, 0, len(ks))
	for _, k := range ks {
		st, lk := a.coverage[k], logKey{k.file, k.channel}
		c := Coverage{Computer: k.computer, Channel: k.channel, File: k.file, First: st.first, Last: st.last,
			Records: st.n, FirstRecordID: st.minID, LastRecordID: st.maxID}
		in := a.inputByPath(k.file)
		// A log whose every record was analysed (a Bits-Client log) shows
		// its own gaps and wrapping; of a log that holds other records too
		// (System) only the BITS records were analysed, so gaps between
		// them mean nothing.
		complete := in == nil || a.perFile[k.file]+in.RecordsUndecoded >= in.Records
		c.BITSOnly = !complete
		var warn []string
		if complete {
			c.GapCount, c.MissingRecords = idGaps(st.runs)
			c.GapsIncomplete = st.incomplete
			if c.GapCount > 0 {
				warn = append(warn, fmt.Sprintf("%d record ids are missing in %s between #%d and #%d (records deleted, damaged or written under another computer name): events in those gaps cannot be seen.",
					c.MissingRecords, plural(c.GapCount, "gap"), c.FirstRecordID, c.LastRecordID))
			}
			if st.incomplete {
				warn = append(warn, "Its record ids and times are too scattered for bitsdiag to track in full (a damaged or crafted log): the gaps given are only some of them.")
			}
			c.TimeGaps = timeGaps(st.days)
			for _, g := range c.TimeGaps {
				warn = append(warn, fmt.Sprintf("No records at all between %s and %s (%s): a gap in the log (the machine was off or the log was not written), not a time without failures.",
					fmtTime(g.From, a.opts.TZ), fmtTime(g.To, a.opts.TZ), roundDur(g.To.Sub(g.From))))
			}
			if c.FirstRecordID > 1 && c.FirstRecordID == minID[lk] {
				warn = append(warn, fmt.Sprintf("The log starts at record #%d: older records were overwritten (the log wrapped) or cleared, so nothing before %s can be seen.",
					c.FirstRecordID, fmtTime(c.First, a.opts.TZ)))
			}
		}
		if c.BITSOnly {
			warn = append(warn, a.bitsOnlyWarning(in))
		} else if sp := span[lk]; sp[1].Sub(sp[0]) < shortWindow && c.First.Equal(sp[0]) {
			warn = append(warn, fmt.Sprintf("The log holds only %s of events (%s to %s): failures before or after this window cannot be seen.",
				roundDur(sp[1].Sub(sp[0])), fmtTime(sp[0], a.opts.TZ), fmtTime(sp[1], a.opts.TZ)))
		}
		c.Warning = strings.Join(warn, " ")
		out = append(out, c)
	}
	return out
}

// bitsOnlyWarning describes a log of which only the BITS records were
// analysed; the record headers tell the span of the whole log.
func (a *Analyzer) bitsOnlyWarning(in *Input) string {
	n, wu := a.perFile[in.Path], a.perFileWU[in.Path]
	w := fmt.Sprintf("This log holds other records too; the times above span its BITS records only (%d of %d records).", n, in.Records)
	if wu > 0 {
		w = fmt.Sprintf("This log holds other records too; the times above span its analysed records only (%d BITS and %d Windows Update of %d records).", n-wu, wu, in.Records)
	}
	if in.LogFirst.IsZero() {
		return w
	}
	w += fmt.Sprintf(" The log as a whole covers %s to %s.", fmtTime(in.LogFirst, a.opts.TZ), fmtTime(in.LogLast, a.opts.TZ))
	if d := in.LogLast.Sub(in.LogFirst); d < shortWindow {
		w += fmt.Sprintf(" That is only %s of events: failures before or after this window cannot be seen.", roundDur(d))
	}
	return w
}

// minGap is the shortest silence in a log reported as a gap in coverage.
const minGap = 48 * time.Hour

// maxGaps bounds the gaps reported per log.
const maxGaps = 5

// timeGaps returns the longest silences of at least minGap between
// consecutive records, in time order. Silences of a day or more lie between
// the last record of a day and the first of the next day with records.
func timeGaps(days map[int64]*daySpan) []TimeGap {
	ks := slices.Sorted(maps.Keys(days))
	var out []TimeGap
	for i := 1; i < len(ks); i++ {
		from, to := days[ks[i-1]].last, days[ks[i]].first
		if to.Sub(from) >= minGap {
			out = append(out, TimeGap{From: from, To: to})
		}
	}
	if len(out) > maxGaps {
		sort.SliceStable(out, func(i, j int) bool { return out[i].To.Sub(out[i].From) > out[j].To.Sub(out[j].From) })
		out = out[:maxGaps]
		sort.Slice(out, func(i, j int) bool { return out[i].From.Before(out[j].From) })
	}
	return out
}

// inputList completes the inventories with what the events showed.
func (a *Analyzer) inputList() []Input {
	out := make([]Input, len(a.inputs))
	copy(out, a.inputs)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	for i := range out {
		in := &out[i]
		in.RecordsAnalysed = a.perFile[in.Path]
		chans, comps := map[string]bool{}, map[string]bool{}
		for _, c := range in.Channels {
			chans[c] = true
		}
		for _, c := range in.Computers {
			comps[c] = true
		}
		for k, st := range a.coverage {
			if k.file != in.Path {
				continue
			}
			chans[k.channel], comps[k.computer] = true, true
			if in.FirstTime.IsZero() || st.first.Before(in.FirstTime) {
				in.FirstTime = st.first
			}
			if st.last.After(in.LastTime) {
				in.LastTime = st.last
			}
		}
		delete(chans, "")
		delete(comps, "")
		in.Channels, in.Computers = keys(chans), keys(comps)
		if in.Damage == nil {
			in.Damage = []Damage{}
		}
	}
	return out
}

// timeline counts occurrences per hour (window up to 3 days), per day (up to
// 200 days) or per week, from the first to the last occurrence.
func timeline(all []*occurrence, findings []Finding) []Bucket {
	idOf := map[string]string{}
	counts := map[string][]uint16{} // kb id -> event ids counted as failures (nil: all)
	for i := range findings {
		idOf[findings[i].KBID] = findings[i].ID
		counts[findings[i].KBID] = failureEvents(&findings[i])
	}
	// Count failures as the findings do: one per failed attempt.
	var occs []*occurrence
	for _, o := range all {
		if ids := counts[o.kbID]; ids == nil || slices.Contains(ids, o.ev.EventID) {
			occs = append(occs, o)
		}
	}
	if len(occs) == 0 {
		return []Bucket{}
	}
	first, last := occs[0].ev.TimeCreated.UTC(), occs[len(occs)-1].ev.TimeCreated.UTC()
	step := timelineStep(first, last)
	start := first.Truncate(step)
	n := int(last.Sub(start)/step) + 1
	if n > maxBuckets || n < 1 {
		return sparseTimeline(occs, idOf, step)
	}
	out := make([]Bucket, n)
	for i := range out {
		out[i] = Bucket{Start: start.Add(time.Duration(i) * step), Length: BucketLength(step), Counts: map[string]int{}}
	}
	for _, o := range occs {
		i := int(o.ev.TimeCreated.UTC().Sub(start) / step)
		if i >= 0 && i < n {
			out[i].Counts[idOf[o.kbID]]++
		}
	}
	return out
}

// maxBuckets bounds a contiguous timeline; beyond it (absurd timestamps)
// only the slots with events are listed.
const maxBuckets = 1000

func sparseTimeline(occs []*occurrence, idOf map[string]string, step time.Duration) []Bucket {
	var out []Bucket
	for _, o := range occs {
		t := o.ev.TimeCreated.UTC().Truncate(step)
		if len(out) == 0 || !out[len(out)-1].Start.Equal(t) {
			out = append(out, Bucket{Start: t, Length: BucketLength(step), Counts: map[string]int{}})
		}
		out[len(out)-1].Counts[idOf[o.kbID]]++
	}
	return out
}
