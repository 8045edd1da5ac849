package textfmt

import (
	"testing"
	"time"
)

func TestCountAndWord(t *testing.T) {
	tests := []struct {
		n          int
		count, wrd string
	}{
		{0, "0 jobs", "themselves"}, {1, "1 job", "itself"}, {2, "2 jobs", "themselves"},
	}
	for _, tc := range tests {
		if got := Count(tc.n, "job", "jobs"); got != tc.count {
			t.Errorf("Count(%d) = %q, want %q", tc.n, got, tc.count)
		}
		if got := Word(tc.n, "itself", "themselves"); got != tc.wrd {
			t.Errorf("Word(%d) = %q, want %q", tc.n, got, tc.wrd)
		}
	}
}

func TestBytes(t *testing.T) {
	tests := []struct {
		n    uint64
		want string
	}{
		{0, "0 B"}, {1023, "1023 B"}, {1024, "1.0 KiB"}, {1536 * 1024, "1.5 MiB"}, {8 << 30, "8.0 GiB"}, {^uint64(0), "16.0 EiB"},
	}
	for _, tc := range tests {
		if got := Bytes(tc.n); got != tc.want {
			t.Errorf("Bytes(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestTime(t *testing.T) {
	ts := time.Date(2024, 11, 15, 12, 14, 22, 0, time.UTC)
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip(err)
	}
	tests := []struct {
		t      time.Time
		loc    *time.Location
		layout string
		want   string
	}{
		{ts, nil, Minutes, "2024-11-15 12:14 UTC"},
		{ts, berlin, Seconds, "2024-11-15 13:14:22 CET"},
		{time.Time{}, time.UTC, Seconds, "unknown"},
	}
	for _, tc := range tests {
		if got := Time(tc.t, tc.loc, tc.layout); got != tc.want {
			t.Errorf("Time(%v, %v) = %q, want %q", tc.t, tc.loc, got, tc.want)
		}
	}
}
