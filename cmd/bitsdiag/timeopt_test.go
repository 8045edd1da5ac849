package main

import (
	"strings"
	"testing"
	"time"
)

func TestParseBound(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	newest := time.Date(2024, 11, 20, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in       string
		loc      *time.Location
		endOfDay bool
		want     string // resolved, RFC 3339 in UTC; "" = unset
		err      bool
	}{
		{"", time.UTC, false, "", false},
		{"2024-11-05T13:00:00Z", time.UTC, false, "2024-11-05T13:00:00Z", false},
		{"2024-11-05T13:00:00+01:00", time.UTC, false, "2024-11-05T12:00:00Z", false},
		{"2024-11-05", time.UTC, false, "2024-11-05T00:00:00Z", false},
		{"2024-11-05", time.UTC, true, "2024-11-05T23:59:59.999999999Z", false},
		{"2024-11-05", berlin, false, "2024-11-04T23:00:00Z", false},
		{"2024-11-05 08:30", berlin, false, "2024-11-05T07:30:00Z", false},
		{"72h", time.UTC, false, "2024-11-17T12:00:00Z", false},
		{"90m", time.UTC, false, "2024-11-20T10:30:00Z", false},
		{"7d", time.UTC, false, "2024-11-13T12:00:00Z", false},
		{"0h", time.UTC, false, "", true},
		{"-3h", time.UTC, false, "", true},
		{"yesterday", time.UTC, false, "", true},
		{"2024-13-01", time.UTC, false, "", true},
		{"3w", time.UTC, false, "", true},
	}
	for _, tt := range tests {
		b, err := parseBound("since", tt.in, tt.loc, tt.endOfDay)
		if (err != nil) != tt.err {
			t.Errorf("parseBound(%q) error %v, want error %v", tt.in, err, tt.err)
			continue
		}
		if err != nil {
			if !strings.Contains(err.Error(), "--since") {
				t.Errorf("error %q does not name the flag", err)
			}
			continue
		}
		got := ""
		if at, ago := b.window(); ago > 0 {
			got = newest.Add(-ago).UTC().Format(time.RFC3339Nano)
		} else if !at.IsZero() {
			got = at.Format(time.RFC3339Nano)
		}
		if got != tt.want {
			t.Errorf("parseBound(%q) resolves to %q, want %q", tt.in, got, tt.want)
		}
	}
	// A relative bound is left to the analysis (TestRelativeWindow in analyze).
	b, _ := parseBound("since", "72h", time.UTC, false)
	if at, ago := b.window(); !at.IsZero() || ago != 72*time.Hour {
		t.Errorf("relative bound: window() = %v, %v", at, ago)
	}
}

func TestParseZone(t *testing.T) {
	for _, ok := range []string{"", "UTC", "utc", "local", "Local", "Europe/Berlin", "America/New_York", "Asia/Tokyo"} {
		if _, err := parseZone(ok); err != nil {
			t.Errorf("parseZone(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"Mars/Olympus", "CEST+2", "../../etc/passwd"} {
		if _, err := parseZone(bad); err == nil {
			t.Errorf("parseZone(%q) accepted", bad)
		}
	}
}

func TestGeneratedTime(t *testing.T) {
	now := func() time.Time { return time.Date(2025, 1, 2, 3, 4, 5, 600, time.FixedZone("X", 3600)) }
	t.Setenv("SOURCE_DATE_EPOCH", "")
	if got, _ := generatedTime(now); !got.Equal(time.Date(2025, 1, 2, 2, 4, 5, 0, time.UTC)) || got.Location() != time.UTC {
		t.Errorf("without SOURCE_DATE_EPOCH: %v", got)
	}
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	if got, _ := generatedTime(now); got.Format(time.RFC3339) != "2023-11-14T22:13:20Z" {
		t.Errorf("SOURCE_DATE_EPOCH: %v", got)
	}
	t.Setenv("SOURCE_DATE_EPOCH", "soon")
	if _, err := generatedTime(now); err == nil {
		t.Error("bad SOURCE_DATE_EPOCH accepted")
	}
}
