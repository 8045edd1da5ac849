package analyze

import (
	"strings"
	"testing"
	"time"
)

func TestVerdictLead(t *testing.T) {
	job := func(id, title, status string, n int) Finding {
		return Finding{ID: id, Title: title, Severity: SeverityError, Status: Status(status), Count: n, JobsAffected: 1,
			Hosts: []string{"h.example"}, Computers: []string{"PC1"}, FirstSeen: t0,
			EventCounts: []EventCount{{Provider: ProviderBITS, EventID: 61, Count: n}}}
	}
	tests := []struct {
		name     string
		findings []Finding
		lead     string // text the verdict starts with (after any preamble)
		want     []string
	}{
		{"unresolved leads over a higher-ranked recovered one",
			[]Finding{job("F1", "Rare thing", "recovered", 1), job("F2", "Proxy breaks ranges", "unresolved", 7)},
			"BITS transfers to h.example fail: proxy breaks ranges", []string{"still failing", "F1 Rare thing — 1 failure, recovered"}},
		{"all recovered: the most frequent leads",
			[]Finding{job("F1", "Rare thing", "recovered", 1), job("F2", "Connection reset", "recovered", 40)},
			"No BITS problem is still failing at the end of the log (2 causes found). BITS transfers to h.example failed: connection reset; 40 failures",
			[]string{"later recovered", "F1 Rare thing"}},
		{"a single unresolved finding",
			[]Finding{job("F1", "Forbidden", "unresolved", 3)},
			"BITS transfers to h.example fail: forbidden; 3 failures on 1 machine", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := verdict(&Result{Findings: tc.findings}, 10, nil)
			if !strings.HasPrefix(got, tc.lead) {
				t.Errorf("verdict %q\ndoes not start with %q", got, tc.lead)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("verdict %q lacks %q", got, w)
				}
			}
		})
	}
}

// TestVerdictZone: the verdict's times are in the display zone and name it.
func TestVerdictZone(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip(err)
	}
	f := Finding{ID: "F1", Title: "Forbidden", Severity: SeverityError, Status: "unresolved", Count: 1,
		JobsAffected: 1, Computers: []string{"PC1"}, FirstSeen: time.Date(2024, 11, 14, 16, 40, 0, 0, time.UTC)}
	for _, tc := range []struct {
		loc  *time.Location
		want string
	}{{nil, "since 2024-11-14 16:40 UTC"}, {berlin, "since 2024-11-14 17:40 CET"}} {
		if got := verdict(&Result{Findings: []Finding{f}}, 1, tc.loc); !strings.Contains(got, tc.want) {
			t.Errorf("verdict %q lacks %q", got, tc.want)
		}
	}
}
