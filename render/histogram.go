package render

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"bitsdiag/analyze"
)

// maxSlots is the most time slots a chart shows; longer spans use wider slots.
const maxSlots = 48

// histogram is Result.Timeline regrouped into at most maxSlots equal slots
// in the display zone, with one series per finding.
type histogram struct {
	step   time.Duration
	series []series
	slots  []slot
	max    int // largest slot total
	total  int
}

// series is one cause in the chart.
type series struct {
	id    string // finding id
	title string // finding title ("" for ids without a finding)
	noun  string // what is counted: "failure" or "event" (analyze.CountNoun)
	total int
}

// count says how many of what a series counts: "40 failures", "1 event".
func (s series) count() string { return plural(s.total, s.noun, s.noun+"s") }

// unitName is what the bars count: "failures", "events", or both.
func (h *histogram) unitName() string {
	f, e := false, false
	for _, s := range h.series {
		if s.total > 0 {
			f, e = f || s.noun == "failure", e || s.noun == "event"
		}
	}
	switch {
	case f && e:
		return "failures and events"
	case e:
		return "events"
	}
	return "failures"
}

// totalText is the chart's total by what is counted: "47 failures and 1
// event".
func (h *histogram) totalText() string {
	n := map[string]int{}
	for _, s := range h.series {
		n[s.noun] += s.total
	}
	var parts []string
	for _, noun := range []string{"failure", "event"} {
		if n[noun] > 0 || noun == "failure" && n["event"] == 0 {
			parts = append(parts, plural(n[noun], noun, noun+"s"))
		}
	}
	return strings.Join(parts, " and ")
}

// slot is one bar.
type slot struct {
	start  time.Time
	counts []int // per series
	total  int
}

// stepName says how long a slot is: "hour", "6 hours", "day", "7 days".
func (h *histogram) stepName() string {
	if h.step%(24*time.Hour) == 0 {
		if d := int(h.step / (24 * time.Hour)); d > 1 {
			return fmt.Sprintf("%d days", d)
		}
		return "day"
	}
	if n := int(h.step / time.Hour); n > 1 {
		return fmt.Sprintf("%d hours", n)
	}
	return "hour"
}

// label formats a slot start in zone tz.
func (h *histogram) label(t time.Time, tz *time.Location) string {
	if h.step >= 24*time.Hour {
		return t.In(tz).Format("2006-01-02")
	}
	return t.In(tz).Format("2006-01-02 15:04")
}

// buildHistogram regroups the result's timeline; nil when there is nothing
// to chart.
func buildHistogram(r *analyze.Result, tz *time.Location) *histogram {
	h := &histogram{}
	index := map[string]int{}
	for _, f := range r.Findings {
		if analyze.IsConfigFinding(&f) {
			continue // a snapshot deviation has no time of its own to chart
		}
		if _, dup := index[f.ID]; !dup {
			index[f.ID] = len(h.series)
			h.series = append(h.series, series{id: f.ID, title: f.Title, noun: analyze.CountNoun(&f)})
		}
	}
	var extra []string
	var first, last time.Time
	base := time.Hour
	for _, b := range r.Timeline {
		total := 0
		for id, n := range b.Counts {
			if n <= 0 {
				continue
			}
			total += n
			if _, ok := index[id]; !ok {
				index[id] = -1
				extra = append(extra, id)
			}
		}
		if total == 0 || b.Start.IsZero() {
			continue
		}
		l := time.Duration(b.Length)
		if l <= 0 || l > 366*24*time.Hour {
			l = time.Hour
		}
		if l > base {
			base = l
		}
		if first.IsZero() || b.Start.Before(first) {
			first = b.Start
		}
		if end := b.Start.Add(l); end.After(last) {
			last = end
		}
	}
	if first.IsZero() {
		return nil
	}
	sort.Strings(extra)
	for _, id := range extra {
		index[id] = len(h.series)
		h.series = append(h.series, series{id: id, noun: "failure"})
	}

	origin, n, chosen := time.Time{}, 0, false
	for _, g := range []time.Duration{1, 2, 3, 6, 12, 24, 48, 7 * 24, 14 * 24, 28 * 24} {
		h.step = g * time.Hour
		if h.step < base {
			continue
		}
		origin = alignSlot(first, h.step, tz)
		if n = slotCount(origin, last, h.step); n <= maxSlots {
			chosen = true
			break
		}
	}
	if !chosen { // very long spans or wide buckets: whole days, as many as needed
		day := 24 * time.Hour
		days := max(int(last.Sub(first)/day)/maxSlots+1, int((base+day-1)/day))
		h.step = time.Duration(days) * day
		origin = alignSlot(first, h.step, tz)
		n = slotCount(origin, last, h.step)
	}
	n = max(1, min(n, maxSlots))
	h.slots = make([]slot, n)
	for i := range h.slots {
		h.slots[i] = slot{start: slotStart(origin, h.step, i), counts: make([]int, len(h.series))}
	}
	for _, b := range r.Timeline {
		if b.Start.IsZero() {
			continue
		}
		i := sort.Search(len(h.slots), func(i int) bool { return h.slots[i].start.After(b.Start) }) - 1
		i = max(0, i)
		for id, c := range b.Counts {
			if c <= 0 {
				continue
			}
			s := index[id]
			h.slots[i].counts[s] += c
			h.slots[i].total += c
			h.series[s].total += c
			h.total += c
		}
	}
	for _, s := range h.slots {
		h.max = max(h.max, s.total)
	}
	return h
}

// lump keeps the keep series with the most failures or events and merges
// the others into one series per noun ("other findings"), so that no two
// series share a colour of the chart's palette.
func (h *histogram) lump(keep int) {
	if len(h.series) <= keep+1 {
		return
	}
	order := make([]int, len(h.series))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return h.series[order[a]].total > h.series[order[b]].total })
	kept := make([]bool, len(h.series))
	for _, i := range order[:keep] {
		kept[i] = true
	}
	to := make([]int, len(h.series)) // old series -> new series
	var out []series
	for i, s := range h.series { // the kept ones in their order
		if kept[i] {
			to[i] = len(out)
			out = append(out, s)
		}
	}
	other := map[string]int{} // noun -> new series
	ids := map[string][]string{}
	for i, s := range h.series { // the others, each noun in one series
		if kept[i] {
			continue
		}
		k, ok := other[s.noun]
		if !ok {
			k = len(out)
			other[s.noun] = k
			out = append(out, series{id: "Other", noun: s.noun})
		}
		to[i] = k
		out[k].total += s.total
		ids[s.noun] = append(ids[s.noun], s.id)
	}
	for noun, k := range other {
		out[k].title = fmt.Sprintf("%d findings: %s", len(ids[noun]), listMax(ids[noun], 10))
	}
	for j := range h.slots {
		counts := make([]int, len(out))
		for i, c := range h.slots[j].counts {
			counts[to[i]] += c
		}
		h.slots[j].counts = counts
	}
	h.series = out
}

// alignSlot returns the start of the slot of length step holding t, counted
// from local midnight in zone tz.
func alignSlot(t time.Time, step time.Duration, tz *time.Location) time.Time {
	l := t.In(tz)
	midnight := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, tz)
	if step >= 24*time.Hour {
		return midnight
	}
	return midnight.Add(t.Sub(midnight) / step * step)
}

// slotStart returns the start of slot i; day-long slots follow the calendar
// so that they start at local midnight across daylight-saving changes.
func slotStart(origin time.Time, step time.Duration, i int) time.Time {
	if step%(24*time.Hour) == 0 {
		return origin.AddDate(0, 0, i*int(step/(24*time.Hour)))
	}
	return origin.Add(time.Duration(i) * step)
}

// slotCount is the number of slots from origin that cover up to end.
func slotCount(origin, end time.Time, step time.Duration) int {
	d := end.Sub(origin)
	n := int(d / step)
	if d%step != 0 {
		n++
	}
	return n
}
