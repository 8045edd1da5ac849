package render

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"bitsdiag/analyze"
)

// csvHeader names the columns of the CSV export.
var csvHeader = []string{"time", "computer", "channel", "record_id", "event_id", "code", "code_name",
	"finding", "job_title", "job_id", "url", "proxy"}

// CSV writes one row per failure occurrence (r.Failures: every failure the
// findings count) with a header row: RFC 4180 (quoted where needed, CRLF
// line ends), UTF-8 without a byte-order mark, times in RFC 3339 UTC. Text
// from the logs that a spreadsheet would take for a formula (starting with
// = + - @ or a tab) is prefixed with an apostrophe; control characters are
// replaced with U+FFFD.
func CSV(w io.Writer, r *analyze.Result) error {
	if r == nil {
		return errNilResult
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(csvHeader); err != nil {
		return fmt.Errorf("render: writing CSV: %w", err)
	}
	for _, f := range r.Failures {
		row := []string{
			f.Time.UTC().Format(time.RFC3339Nano),
			csvText(f.Computer),
			csvText(f.Channel),
			strconv.FormatUint(f.RecordID, 10),
			strconv.Itoa(int(f.EventID)),
			f.Code,
			csvText(f.CodeName),
			f.FindingID,
			csvText(f.JobTitle),
			csvText(f.JobID),
			csvText(f.URL),
			csvText(strings.Join(f.Proxies, "; ")),
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("render: writing CSV: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("render: writing CSV: %w", err)
	}
	return nil
}

// csvText makes untrusted text safe for a spreadsheet cell: one line, no
// control characters, and no leading character that starts a formula.
func csvText(s string) string {
	s = sanitizeLine(s)
	if s != "" && strings.ContainsRune("=+-@\t", rune(s[0])) {
		return "'" + s
	}
	return s
}
