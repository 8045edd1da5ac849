// Package render writes an analysis result (analyze.Result) as a report in
// Markdown, PDF, HTML or JSON, or its failures as CSV.
//
// Markdown, PDF and HTML show the same content in the same order: title
// block, summary, computers (when more than one), one section per finding,
// service health, jobs, timeline, coverage, input inventory, and with
// Options.Full the appendices (evidence, jobs in detail). All three are built
// from one intermediate document (see document.go and layout.go), so the
// formats cannot drift apart. Render never reads logs; it only formats the
// model.
//
// Text that comes from logs (URLs, job titles, owners, file and computer
// names) is untrusted: the Markdown writer escapes it so it cannot break a
// table or inject markup, and the PDF writer replaces characters its fonts
// cannot draw with U+FFFD.
package render

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"bitsdiag/analyze"
	"bitsdiag/textfmt"
)

// Options control how a report is rendered.
type Options struct {
	// TZ is the zone every time is shown in; nil means UTC.
	TZ *time.Location
	// Paper is the PDF page size, "A4" (the default when empty) or "Letter".
	Paper string
	// Full adds the appendices with every evidence record and every job to
	// the Markdown, PDF and HTML reports, and lists completed jobs too. The
	// JSON and CSV always have everything.
	Full bool

	cells *[]cellLayout // tests: when set, the PDF writer records every table cell's lines here
}

// tz returns the display zone, UTC when none was given.
func (o Options) tz() *time.Location {
	if o.TZ == nil {
		return time.UTC
	}
	return o.TZ
}

// Limits that keep reports readable; every cut is announced in the report.
const (
	maxJobRows        = 200 // rows of the jobs table and the jobs appendix
	maxServiceRows    = 100 // non-routine service events listed
	maxRoutineList    = 5   // routine service events listed one by one; more are summarised
	maxCoverageRows   = 200 // rows of the coverage table
	maxDamageList     = 20  // damage entries listed per input file
	maxListed         = 20  // computers, hosts, jobs listed in a finding before "and N more"
	maxShortComputers = 20  // rows of the short report's computers table; each finding names its computers
)

// fmtTime formats t in zone tz; the zero time is "unknown".
func fmtTime(t time.Time, tz *time.Location) string {
	return textfmt.Time(t, tz, textfmt.Seconds)
}

// fmtSpan formats the interval from a to b.
func fmtSpan(a, b time.Time, tz *time.Location) string {
	if a.IsZero() && b.IsZero() {
		return "unknown"
	}
	return fmtTime(a, tz) + " – " + fmtTime(b, tz)
}

// zoneName names the display zone for headings ("UTC", "Europe/Berlin").
func zoneName(tz *time.Location) string {
	if n := tz.String(); n != "" {
		return n
	}
	return "UTC"
}

// fmtJobBytes formats a job's transferred and total bytes.
func fmtJobBytes(j *analyze.Job) string {
	switch {
	case j.BytesTransferred != nil && j.BytesTotal != nil:
		s := textfmt.Bytes(*j.BytesTransferred) + " of " + textfmt.Bytes(*j.BytesTotal)
		if *j.BytesTotal > 0 && *j.BytesTotal != ^uint64(0) {
			s += fmt.Sprintf(" (%d%%)", *j.BytesTransferred*100 / *j.BytesTotal)
		}
		return s
	case j.BytesTransferred != nil:
		return textfmt.Bytes(*j.BytesTransferred) + " of unknown"
	case j.BytesTotal != nil:
		return "? of " + textfmt.Bytes(*j.BytesTotal)
	}
	return "unknown"
}

// fmtErrors formats a job's error codes with their counts.
func fmtErrors(errs []analyze.CodeCount) string {
	if len(errs) == 0 {
		return "none"
	}
	parts := make([]string, 0, len(errs))
	for _, e := range errs {
		if e.Count > 1 {
			parts = append(parts, fmt.Sprintf("%s ×%d", e.Code, e.Count))
		} else {
			parts = append(parts, e.Code)
		}
	}
	return strings.Join(parts, ", ")
}

// listMax joins at most max items and says how many were left out.
func listMax(items []string, max int) string {
	if len(items) == 0 {
		return "none"
	}
	if len(items) <= max {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:max], ", ") + fmt.Sprintf(" and %d more", len(items)-max)
}

// plural returns "1 thing" or "2 things".
func plural(n int, one, many string) string {
	return textfmt.Count(n, one, many)
}

// shorten cuts s to at most max runes, ending with "…" when it was cut.
// max <= 0 means no limit.
func shorten(s string, max int) string {
	if max <= 0 || utf8.RuneCountInString(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max-1 {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// baseName returns the last element of a Windows or POSIX path.
func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 && i < len(p)-1 {
		return p[i+1:]
	}
	return p
}
