package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // --tz works on machines without a zoneinfo database
)

// parseZone reads --tz: an IANA zone name, "UTC" or "local".
func parseZone(s string) (*time.Location, error) {
	switch {
	case s == "" || strings.EqualFold(s, "UTC"):
		return time.UTC, nil
	case strings.EqualFold(s, "local"):
		return time.Local, nil
	}
	loc, err := time.LoadLocation(s)
	if err != nil {
		return nil, fmt.Errorf("--tz %q: not a known time zone (use an IANA name such as Europe/Berlin, UTC or local)", s)
	}
	return loc, nil
}

// bound is a --since or --until value: an absolute time, or a duration back
// from the newest analysed event.
type bound struct {
	at  time.Time
	ago time.Duration
	set bool
	rel bool
}

// dateOnly is the layout of a plain date.
const dateOnly = "2006-01-02"

// localLayouts are accepted without a zone; they are read in --tz's zone.
var localLayouts = []string{"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04"}

// parseBound reads a --since/--until value. A plain date means the start of
// that day for --since and its end for --until, in zone loc; so do times
// written without a zone.
func parseBound(flag, s string, loc *time.Location, endOfDay bool) (bound, error) {
	if s == "" {
		return bound{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return bound{at: t, set: true}, nil
	}
	if t, err := time.ParseInLocation(dateOnly, s, loc); err == nil {
		if endOfDay {
			t = t.AddDate(0, 0, 1).Add(-time.Nanosecond)
		}
		return bound{at: t, set: true}, nil
	}
	for _, layout := range localLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return bound{at: t, set: true}, nil
		}
	}
	if d, ok := parseAgo(s); ok {
		return bound{ago: d, set: true, rel: true}, nil
	}
	return bound{}, fmt.Errorf("--%s %q: use RFC 3339 (2024-05-01T13:00:00Z), a date (2024-05-01), or a duration back from the newest event (72h, 7d)", flag, s)
}

// parseAgo reads a positive duration: Go's syntax (90m, 72h) or whole days (7d).
func parseAgo(s string) (time.Duration, bool) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 || n > 100_000 {
			return 0, false
		}
		return time.Duration(n) * 24 * time.Hour, true
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, false
	}
	return d, true
}

// window gives b as the analysis takes it: an absolute time, or a duration
// back from the newest analysed event; both zero when b is unset.
func (b bound) window() (time.Time, time.Duration) {
	switch {
	case !b.set:
		return time.Time{}, 0
	case b.rel:
		return time.Time{}, b.ago
	}
	return b.at.UTC(), 0
}

// maxSourceDateEpoch is 9999-12-31T23:59:59Z, the last time RFC 3339 (and
// so the JSON report) can write.
const maxSourceDateEpoch = 253402300799

// generatedTime is the report's "generated at": SOURCE_DATE_EPOCH (seconds
// since 1970, for reproducible output) when set, else now.
func generatedTime(now func() time.Time) (time.Time, error) {
	s, ok := os.LookupEnv("SOURCE_DATE_EPOCH")
	if !ok || s == "" {
		return now().UTC().Truncate(time.Second), nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q: not a whole number of seconds", s)
	}
	if n < 0 || n > maxSourceDateEpoch {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q: out of range (0 to %d, 1970 to 9999-12-31)", s, int64(maxSourceDateEpoch))
	}
	return time.Unix(n, 0).UTC(), nil
}
