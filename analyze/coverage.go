package analyze

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// covKey groups records for coverage: one file, computer and channel.
type covKey struct{ file, computer, channel string }

// covStats is what coverage needs of every record seen.
type covStats struct {
	first, last time.Time
	n           int
	ids         []uint64
	times       []time.Time
}

// shortWindow is the span below which a log is reported as a short window.
const shortWindow = 3 * 24 * time.Hour

// observe counts one analysed record for coverage. Only relevant records
// count, so coverage is the same whether the reader's pre-filter skipped the
// others or they were decoded and dropped here; what a log holds beyond its
// BITS records comes from the reader's summary (Input.LogFirst/LogLast).
// Records recovered from slack are stale and do not count.
func (a *Analyzer) observe(e *Fact) {
	if e.Recovered {
		return
	}
	k := covKey{e.Source.File, e.Computer, e.Channel}
	st, ok := a.coverage[k]
	if !ok {
		st = &covStats{first: e.TimeCreated, last: e.TimeCreated}
		a.coverage[k] = st
	}
	if e.TimeCreated.Before(st.first) {
		st.first = e.TimeCreated
	}
	if e.TimeCreated.After(st.last) {
		st.last = e.TimeCreated
	}
	st.n++
	st.ids = append(st.ids, e.RecordID)
	st.times = append(st.times, e.TimeCreated)
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
		for _, id := range st.ids {
			if m, ok := minID[lk]; !ok || id < m {
				minID[lk] = id
			}
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
		ids := append([]uint64(nil), st.ids...)
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		ids = uniq(ids)
		c := Coverage{Computer: k.computer, Channel: k.channel, File: k.file, First: st.first, Last: st.last,
			Records: st.n, FirstRecordID: ids[0], LastRecordID: ids[len(ids)-1]}
		in := a.inputByPath(k.file)
		// A log whose every record was analysed (a Bits-Client log) shows
		// its own gaps and wrapping; of a log that holds other records too
		// (System) only the BITS records were analysed, so gaps between
		// them mean nothing.
		complete := in == nil || a.perFile[k.file]+in.RecordsUndecoded >= in.Records
		c.BITSOnly = !complete
		var warn []string
		if complete {
			for i := 1; i < len(ids); i++ {
				if d := ids[i] - ids[i-1]; d > 1 {
					c.GapCount++
					c.MissingRecords += d - 1
				}
			}
			if c.GapCount > 0 {
				warn = append(warn, fmt.Sprintf("%d record ids are missing in %s between #%d and #%d (records deleted, damaged or written under another computer name): events in those gaps cannot be seen.",
					c.MissingRecords, plural(c.GapCount, "gap"), c.FirstRecordID, c.LastRecordID))
			}
			c.TimeGaps = timeGaps(st.times)
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
// consecutive records, in time order.
func timeGaps(ts []time.Time) []TimeGap {
	t := append([]time.Time(nil), ts...)
	sort.Slice(t, func(i, j int) bool { return t[i].Before(t[j]) })
	var out []TimeGap
	for i := 1; i < len(t); i++ {
		if t[i].Sub(t[i-1]) >= minGap {
			out = append(out, TimeGap{From: t[i-1], To: t[i]})
		}
	}
	if len(out) > maxGaps {
		sort.SliceStable(out, func(i, j int) bool { return out[i].To.Sub(out[i].From) > out[j].To.Sub(out[j].From) })
		out = out[:maxGaps]
		sort.Slice(out, func(i, j int) bool { return out[i].From.Before(out[j].From) })
	}
	return out
}

func uniq(ids []uint64) []uint64 {
	out := ids[:0]
	for i, v := range ids {
		if i == 0 || v != ids[i-1] {
			out = append(out, v)
		}
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
