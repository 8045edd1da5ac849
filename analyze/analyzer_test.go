package analyze

import (
	"math/rand"
	"strings"
	"testing"
	"time"

	"bitsdiag/parse"
)

// scenario is a small case with jobs, failures and service events.
func scenario() []*parse.Event {
	u := "https://oneclient.sfx.ms/Win/Prod/OneDriveSetup.exe"
	return []*parse.Event{
		created(1, 0, jobA, "UpdateBinary"),
		started(2, 1, xfer1, jobA, "UpdateBinary", u),
		stopped(3, 2, 61, xfer1, jobA, "UpdateBinary", u, "2162076929", "35862888", "1723432"),
		started(4, 12, xfer1, jobA, "UpdateBinary", u),
		stopped(5, 13, 61, xfer1, jobA, "UpdateBinary", u, "2162076929", "35862888", "1723432"),
		created(6, 20, jobB, "Chrome Component Updater"),
		stopped(7, 21, 61, xfer2, jobB, "Chrome Component Updater", "http://edgedl.me.gvt1.com/a.crx3", "2147942487", "1181927", "2598"),
		scm(100, 30, 7036, u16("BITS/1"), "param1", bitsDisplayName, "param2", "stopped"),
		startTypeEv(101, 31, bitsDisplayName, "auto start", "demand start"),
	}
}

func TestDuplicatesAndOrder(t *testing.T) {
	one := analyse(t, Options{Now: t0}, scenario()...)
	if len(one.Findings) != 2 || len(one.Jobs) != 2 || len(one.Service.Timeline) != 2 {
		t.Fatalf("baseline: findings %v jobs %d timeline %d", kbIDs(one), len(one.Jobs), len(one.Service.Timeline))
	}
	// Two overlapping copies (another file name), shuffled: same analysis.
	var evs []*parse.Event
	for _, e := range scenario() {
		c := *e
		c.Source.File = "z-copy.evtx" // sorts after the originals, so they are the copies kept
		evs = append(evs, e, &c)
	}
	rand.New(rand.NewSource(1)).Shuffle(len(evs), func(i, j int) { evs[i], evs[j] = evs[j], evs[i] })
	two := analyse(t, Options{Now: t0}, evs...)
	for _, part := range []struct {
		name string
		a, b any
	}{{"findings", one.Findings, two.Findings}, {"jobs", one.Jobs, two.Jobs}, {"service", one.Service, two.Service},
		{"timeline", one.Timeline, two.Timeline}, {"verdict", one.Verdict, two.Verdict}, {"window", one.Window, two.Window}} {
		if a, b := mustJSON(t, part.a), mustJSON(t, part.b); a != b {
			t.Errorf("%s differ:\n%s\nvs\n%s", part.name, a, b)
		}
	}
}

func TestWindow(t *testing.T) {
	tests := []struct {
		name         string
		since, until time.Time
		count        int // failures of 0x80072EFE
	}{
		{"open", time.Time{}, time.Time{}, 2},
		{"since", t0.Add(5 * time.Minute), time.Time{}, 1},
		{"until", time.Time{}, t0.Add(5 * time.Minute), 1},
		{"both exclude", t0.Add(3 * time.Minute), t0.Add(4 * time.Minute), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := analyse(t, Options{Since: tc.since, Until: tc.until}, scenario()...)
			n := 0
			if f := findingByKB(r, "code-0x80DEAD01"); f != nil {
				n = f.Count
			}
			if n != tc.count {
				t.Errorf("count %d, want %d", n, tc.count)
			}
			if (r.Window.Since != nil) != !tc.since.IsZero() || (r.Window.Until != nil) != !tc.until.IsZero() {
				t.Errorf("window %+v", r.Window)
			}
		})
	}
}

func TestCoverage(t *testing.T) {
	a := New(Options{})
	a.AddInput(Input{Path: "op.evtx", Size: 69632, Records: 6})
	a.AddInput(Input{Path: "sys.evtx", Size: 69632, Records: 501, RecordsFiltered: 500,
		LogFirst: t0.Add(-time.Hour), LogLast: t0.Add(time.Hour)})
	for _, rec := range []uint64{40, 41, 42, 45, 46, 50} {
		a.AddEvent(bitsEv(rec, int(rec), 306, 0))
	}
	a.AddEvent(scm(7, 0, 7036, u16("BITS/4"), "param2", "running"))
	r := mustResult(a)
	if len(r.Coverage) != 2 {
		t.Fatalf("coverage %s", mustJSON(t, r.Coverage))
	}
	op := r.Coverage[0]
	if op.File != "op.evtx" || op.Records != 6 || op.GapCount != 2 || op.MissingRecords != 5 || op.FirstRecordID != 40 {
		t.Errorf("op coverage %+v", op)
	}
	for _, w := range []string{"5 record ids are missing in 2 gaps", "starts at record #40", "holds only 10 minutes"} {
		if !strings.Contains(op.Warning, w) {
			t.Errorf("warning %q lacks %q", op.Warning, w)
		}
	}
	sys := r.Coverage[1]
	if !sys.BITSOnly || sys.GapCount != 0 || !strings.Contains(sys.Warning, "its BITS records only (1 of 501 records)") ||
		!strings.Contains(sys.Warning, "only 2 hours of events") {
		t.Errorf("sys coverage %+v", sys)
	}
	if r.Inputs[0].RecordsAnalysed != 6 || r.Inputs[0].Channels[0] != opChannel || r.Inputs[0].Computers[0] != "PC1" {
		t.Errorf("inputs %s", mustJSON(t, r.Inputs))
	}
}

func TestInputFromSummary(t *testing.T) {
	s := &parse.Summary{RecordsSeen: 10, RecordsDecoded: 7, RecordsFiltered: 2, RecordsUndecodable: 1,
		Problems: []parse.Problem{{Kind: "chunk-data-crc", Chunk: 3, Offset: 200704, Reason: "crc mismatch"}}}
	in := InputFromSummary("a.evtx", 69632, "abc", s)
	if in.Records != 10 || in.RecordsFiltered != 2 || in.RecordsUndecoded != 1 || len(in.Damage) != 1 || in.Damage[0].Chunk != 3 {
		t.Errorf("input %+v", in)
	}
}
