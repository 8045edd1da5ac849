package analyze

import (
	"strings"
	"testing"
	"time"

	"bitsdiag/parse"
)

// TestOddInputs feeds records that real damage or odd writers produce; the
// analysis must neither panic nor invent findings from them.
func TestOddInputs(t *testing.T) {
	long := strings.Repeat("x", 1<<16)
	year1601 := time.Date(1601, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		evs      []*parse.Event
		findings int
	}{
		{"nil event", []*parse.Event{nil}, 0},
		{"empty bits event", []*parse.Event{{Provider: ProviderBITS, EventID: 61}}, 0},
		{"61 with garbage hr", []*parse.Event{bitsEv(1, 0, 61, 1, "hr", "zzz", "Id", "not-a-guid")}, 0},
		{"61 without job", []*parse.Event{bitsEv(1, 0, 61, 1, "hr", "2147942487", "url", "::bad url::")}, 1},
		{"job ids of any text", []*parse.Event{bitsEv(1, 0, 3, 1, "jobTitle", long, "jobId", long, "jobOwner", long)}, 0},
		{"odd binary", []*parse.Event{scm(1, 0, 7036, []byte{1}, "param1", bitsDisplayName), scm(2, 0, 7036, []byte{0x42, 0, 0x01, 0}, "param1", bitsDisplayName)}, 0},
		// A 7000 about BITS says BITS failed to start, even when its code is unreadable.
		{"7000 without code", []*parse.Event{scm(1, 0, 7000, u16("BITS"), "param1", bitsDisplayName, "param2", "%%abc")}, 1},
		{"16392 code 0", []*parse.Event{sysEv(ProviderBITS, 1, 0, 16392, nil, "ErrorCode", "0")}, 1},
		{"absurd times", func() []*parse.Event {
			a := bitsEv(1, 0, 61, 1, "hr", "2147942487", "Id", jobA)
			b := bitsEv(2, 0, 61, 1, "hr", "2147942487", "Id", jobA)
			a.TimeCreated, b.TimeCreated = year1601, time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
			return []*parse.Event{a, b}
		}(), 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := analyse(t, Options{}, tc.evs...)
			if len(r.Findings) != tc.findings {
				t.Errorf("findings %v, want %d", kbIDs(r), tc.findings)
			}
			if len(r.Timeline) > maxBuckets {
				t.Errorf("timeline has %d buckets", len(r.Timeline))
			}
			mustJSON(t, r)
		})
	}
}
