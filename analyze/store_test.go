package analyze

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"bitsdiag/parse"
)

// failingJobs returns n jobs of three events each (created, started, stopped
// with HTTP 404), job i at minute 10*i, in files a.evtx and (copies) b.evtx.
func failingJobs(n int, copies bool) []*parse.Event {
	var evs []*parse.Event
	for i := range n {
		job := fmt.Sprintf("%08X-0000-4000-8000-000000000000", i)
		xfer := fmt.Sprintf("%08X-1111-4000-8000-000000000000", i)
		url := fmt.Sprintf("http://wsus.test/%d.cab", i)
		title := fmt.Sprintf("job %d", i)
		rec := uint64(3*i + 1)
		for _, e := range []*parse.Event{created(rec, 10*i, job, title), started(rec+1, 10*i+1, xfer, job, title, url),
			stopped(rec+2, 10*i+2, 60, xfer, job, title, url, "0x80190194", "100", "0")} {
			e.Source.File = "a.evtx"
			evs = append(evs, e)
			if copies {
				c := *e
				c.Source.File = "b.evtx"
				evs = append(evs, &c)
			}
		}
	}
	return evs
}

// TestFactStoreCut: past the bound the oldest records are cut, the verdict
// leads with what was left out, the findings count only the records kept,
// and the same events in any order give the same result.
func TestFactStoreCut(t *testing.T) {
	for _, tc := range []struct {
		name         string
		jobs         int
		copies       bool
		limit        int
		bytes        int64
		wantCut      bool
		wantKept     int // distinct records
		wantRecords  int // copies left out
		wantFailures int
	}{
		{name: "under the bound", jobs: 10, limit: 30, wantFailures: 10},
		{name: "count bound", jobs: 10, limit: 12, wantCut: true, wantKept: 12, wantRecords: 18, wantFailures: 4},
		{name: "copies count once", jobs: 10, copies: true, limit: 12, wantCut: true, wantKept: 12, wantRecords: 36, wantFailures: 4},
		{name: "byte bound", jobs: 10, limit: 1000, bytes: 12 * 1000, wantCut: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			evs := failingJobs(tc.jobs, tc.copies)
			var first string
			rng := rand.New(rand.NewPCG(1, 2))
			for round := range 5 {
				if round > 0 {
					rng.Shuffle(len(evs), func(i, j int) { evs[i], evs[j] = evs[j], evs[i] })
				}
				r := analyse(t, Options{FactLimit: tc.limit, FactBytes: tc.bytes}, evs...)
				c := r.Window.Cut
				if (c != nil) != tc.wantCut {
					t.Fatalf("cut = %+v, want cut %v", c, tc.wantCut)
				}
				if c != nil {
					if tc.wantKept > 0 && (c.Kept != tc.wantKept || c.Records != tc.wantRecords) {
						t.Errorf("cut kept %d, left out %d; want %d, %d", c.Kept, c.Records, tc.wantKept, tc.wantRecords)
					}
					if !strings.HasPrefix(r.Verdict, "The evidence holds more relevant records than bitsdiag keeps in memory") ||
						!strings.Contains(r.Verdict, "--until "+c.Before.Format(time.RFC3339)) {
						t.Errorf("verdict does not lead with the cut: %q", r.Verdict)
					}
					if !r.Window.Start.After(c.Before) {
						t.Errorf("analysed window starts %v, not after the cut %v", r.Window.Start, c.Before)
					}
				}
				if f := findingByKB(r, "job-http-404"); tc.wantFailures > 0 && (f == nil || f.Count != tc.wantFailures) {
					t.Errorf("job-http-404 = %+v, want %d failures", f, tc.wantFailures)
				}
				got := mustJSON(t, r)
				if round == 0 {
					first = got
				} else if got != first {
					t.Fatalf("round %d (events shuffled) gives another result", round)
				}
			}
		})
	}
}

// TestCoverageGapsCompact: the record-id runs and per-day spans give the
// gaps a list of every id and time gives (the reference below).
func TestCoverageGapsCompact(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for round := range 200 {
		n := 1 + rng.IntN(300)
		ids := make([]uint64, n)
		times := make([]time.Time, n)
		id, at := uint64(1+rng.IntN(1000)), t0
		for i := range n {
			switch rng.IntN(10) {
			case 0:
				id += uint64(2 + rng.IntN(50)) // a gap
			case 1: // a repeat
			default:
				id++
			}
			at = at.Add(time.Duration(rng.IntN(4*24*3600)) * time.Second / time.Duration(1+rng.IntN(20)))
			ids[i], times[i] = id, at
		}
		perm := rng.Perm(n)
		if round%2 == 0 {
			perm = nil // in order, as a log is read
		}
		a := New(Options{})
		key := covKey{"f", "PC1", opChannel}
		for i := range n {
			j := i
			if perm != nil {
				j = perm[i]
			}
			a.observe(relevantCopy{key: key, id: ids[j], time: times[j]})
		}
		st := a.coverage[key]
		gaps, missing := idGaps(st.runs)
		wantGaps, wantMissing := referenceIDGaps(ids)
		if gaps != wantGaps || missing != wantMissing || st.minID != slices.Min(ids) || st.maxID != slices.Max(ids) {
			t.Fatalf("round %d: gaps %d missing %d (min %d max %d), want %d %d", round, gaps, missing, st.minID, st.maxID, wantGaps, wantMissing)
		}
		if got, want := fmt.Sprint(timeGaps(st.days)), fmt.Sprint(referenceTimeGaps(times)); got != want {
			t.Fatalf("round %d: time gaps %s, want %s", round, got, want)
		}
	}
}

func referenceIDGaps(ids []uint64) (gaps int, missing uint64) {
	s := slices.Clone(ids)
	slices.Sort(s)
	s = slices.Compact(s)
	for i := 1; i < len(s); i++ {
		if d := s[i] - s[i-1]; d > 1 {
			gaps++
			missing += d - 1
		}
	}
	return gaps, missing
}

func referenceTimeGaps(ts []time.Time) []TimeGap {
	t := slices.Clone(ts)
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

// TestRelativeWindowCut: a relative window keeps compact sightings and the
// fact bound cuts only within the window; a cut before the window is none.
func TestRelativeWindowCut(t *testing.T) {
	evs := failingJobs(20, false) // minutes 0..192
	r := analyse(t, Options{SinceAgo: 95 * time.Minute, FactLimit: 1000}, evs...)
	if r.Window.Cut != nil {
		t.Errorf("cut %+v with the window under the bound", r.Window.Cut)
	}
	if f := findingByKB(r, "job-http-404"); f == nil || f.Count != 10 {
		t.Errorf("job-http-404 = %+v, want the 10 failures of the last 95 minutes", f)
	}
	r = analyse(t, Options{SinceAgo: 95 * time.Minute, FactLimit: 15}, evs...)
	if c := r.Window.Cut; c == nil || c.Kept != 15 {
		t.Fatalf("cut = %+v, want 15 kept", r.Window.Cut)
	}
	if f := findingByKB(r, "job-http-404"); f == nil || f.Count != 5 {
		t.Errorf("job-http-404 = %+v, want 5", f)
	}
	if n := r.Coverage[0].Records; n != 30 {
		t.Errorf("coverage counts %d records in the window, want 30 (cut records are counted)", n)
	}
}
