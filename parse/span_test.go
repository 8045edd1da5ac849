package parse

import (
	"path/filepath"
	"testing"
	"time"
)

func TestSpanAdd(t *testing.T) {
	tests := []struct {
		name                string
		ids, fts            []uint64
		minID, maxID        uint64
		wantFirst, wantLast time.Time
	}{
		{"empty", nil, nil, 0, 0, time.Time{}, time.Time{}},
		{"out of range filetime ignored", []uint64{1, 2}, []uint64{maxFiletime + 1, filetimeEpochDelta},
			1, 2, time.Unix(0, 0).UTC(), time.Unix(0, 0).UTC()},
		{"zero filetime ignored", []uint64{5, 3, 9}, []uint64{0, filetimeEpochDelta + 20_000_000, filetimeEpochDelta + 10_000_000},
			3, 9, time.Unix(1, 0).UTC(), time.Unix(2, 0).UTC()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a, b span
			for i := range tt.ids {
				a.add(tt.ids[i], tt.fts[i])
			}
			// merging halves gives the same span as adding one by one
			var h1, h2 span
			for i := range tt.ids {
				if i%2 == 0 {
					h1.add(tt.ids[i], tt.fts[i])
				} else {
					h2.add(tt.ids[i], tt.fts[i])
				}
			}
			b.merge(h1)
			b.merge(h2)
			for _, s := range []span{a, b} {
				first, last := s.times()
				if s.minID != tt.minID || s.maxID != tt.maxID || !first.Equal(tt.wantFirst) || !last.Equal(tt.wantLast) {
					t.Errorf("span = ids %d..%d times %v..%v; want %d..%d %v..%v",
						s.minID, s.maxID, first, last, tt.minID, tt.maxID, tt.wantFirst, tt.wantLast)
				}
			}
		})
	}
}

// TestSummarySpanUnderFilter: the file's time span and id range do not depend
// on the pre-filter (a System log's coverage is known even when only its BITS
// records are decoded), and they bracket every decoded event.
func TestSummarySpanUnderFilter(t *testing.T) {
	path := filepath.Join(corpusDir, "system", "anotherc0ne_EventLog_System.evtx")
	loadManifest(t) // skips when the corpus is absent
	full := readFile(t, path, Options{})
	filtered := readFile(t, path, Options{Filter: benchFilter})
	f, s := full.sum, filtered.sum
	if f.FirstWritten.IsZero() || f.LastWritten.Before(f.FirstWritten) {
		t.Fatalf("bad span %v..%v", f.FirstWritten, f.LastWritten)
	}
	if !f.FirstWritten.Equal(s.FirstWritten) || !f.LastWritten.Equal(s.LastWritten) ||
		f.FirstRecordID != s.FirstRecordID || f.LastRecordID != s.LastRecordID {
		t.Errorf("span differs under the filter: full %v..%v ids %d..%d, filtered %v..%v ids %d..%d",
			f.FirstWritten, f.LastWritten, f.FirstRecordID, f.LastRecordID, s.FirstWritten, s.LastWritten, s.FirstRecordID, s.LastRecordID)
	}
	if got := int(f.LastRecordID - f.FirstRecordID + 1); got != f.RecordsSeen {
		t.Errorf("id range %d..%d holds %d ids, %d records seen", f.FirstRecordID, f.LastRecordID, got, f.RecordsSeen)
	}
	for _, ev := range full.events {
		if ev.TimeCreated.Before(f.FirstWritten.Add(-time.Minute)) || ev.TimeCreated.After(f.LastWritten.Add(time.Minute)) {
			t.Fatalf("event %d at %v outside the span %v..%v", ev.RecordID, ev.TimeCreated, f.FirstWritten, f.LastWritten)
		}
	}
}
