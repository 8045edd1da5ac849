package analyze

import (
	"slices"
	"time"
)

// Failure is one failure occurrence behind a finding: one row per failure
// the finding counts (Failures), in time order. The CSV export is made from
// these.
type Failure struct {
	Time      time.Time `json:"time"`
	Computer  string    `json:"computer"`
	Channel   string    `json:"channel"`
	File      string    `json:"file"`
	RecordID  uint64    `json:"record_id"`
	EventID   uint16    `json:"event_id"`
	Code      string    `json:"code,omitempty"`      // 0x%08X
	CodeName  string    `json:"code_name,omitempty"` // symbolic name, "" when unknown
	FindingID string    `json:"finding"`             // "F1", ...
	JobTitle  string    `json:"job_title,omitempty"`
	JobID     string    `json:"job_id,omitempty"`
	URL       string    `json:"url,omitempty"`
	Proxies   []string  `json:"proxies,omitempty"`
}

// failureList lists the occurrences the findings count as failures, the
// same ones the timeline counts.
func failureList(s *state, findings []Finding) []Failure {
	idOf := map[string]string{}
	counts := map[string][]uint16{}
	for i := range findings {
		idOf[findings[i].KBID] = findings[i].ID
		counts[findings[i].KBID] = failureEvents(&findings[i])
	}
	out := make([]Failure, 0, len(s.occs))
	for _, o := range s.occs {
		if ids := counts[o.kbID]; ids != nil && !slices.Contains(ids, o.ev.EventID) {
			continue
		}
		f := Failure{Time: o.ev.TimeCreated, Computer: o.ev.Computer, Channel: o.ev.Channel,
			File: o.ev.Source.File, RecordID: o.ev.RecordID, EventID: o.ev.EventID,
			FindingID: idOf[o.kbID], JobTitle: o.jobTitle, JobID: o.jobID, URL: o.url, Proxies: o.proxies}
		if o.hasCode {
			f.Code = FormatCode(o.code)
			f.CodeName = s.kb.Decode(o.code).Name
		}
		out = append(out, f)
	}
	return out
}
