// Package textfmt holds the few formatting helpers that the analysis, the
// renderers, the input layer and the command line share: counts with their
// noun, byte sizes and times. One home each, so the texts cannot drift.
package textfmt

import (
	"fmt"
	"time"
)

// Count is n with its noun: "1 job", "3 jobs" (many is the plural form).
func Count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Word is one or many by n, without the number ("itself"/"themselves").
func Word(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Bytes formats a byte count with binary units: "512 B", "1.5 MiB".
func Bytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit && exp < 5; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// Time layouts: prose gives minutes, tables and evidence give seconds. Both
// name the zone.
const (
	Minutes = "2006-01-02 15:04 MST"
	Seconds = "2006-01-02 15:04:05 MST"
)

// Time formats t in loc (UTC when nil) with layout; the zero time is
// "unknown".
func Time(t time.Time, loc *time.Location, layout string) string {
	if t.IsZero() {
		return "unknown"
	}
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format(layout)
}
