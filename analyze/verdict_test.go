package analyze

import (
	"strings"
	"testing"
	"time"
)

func TestVerdictLead(t *testing.T) {
	job := func(id, title string, status Status, n int) Finding {
		return Finding{ID: id, Title: title, Severity: SeverityError, Status: status, Count: n, JobsAffected: 1,
			Hosts: []string{"h.example"}, Computers: []string{"PC1"}, FirstSeen: t0,
			EventCounts: []EventCount{{Provider: ProviderBITS, EventID: 61, Count: n}}}
	}
	tests := []struct {
		name     string
		findings []Finding
		lead     string // text the verdict starts with (after any preamble)
		want     []string
	}{
		// Findings come ranked (findingLess): the verdict leads with F1, as the table does.
		{"unresolved leads, recovered counted apart",
			[]Finding{job("F1", "Proxy breaks ranges", "unresolved", 7), job("F2", "Rare thing", "recovered", 1)},
			"1 problem needs action; 1 recovered by itself. BITS transfers to h.example fail: proxy breaks ranges", []string{"still failing", "F2 Rare thing — 1 failure, recovered"}},
		{"all recovered",
			[]Finding{job("F1", "Connection reset", "recovered", 40), job("F2", "Rare thing", "recovered", 1)},
			"No BITS problem needs action: 2 problems recovered by themselves. BITS transfers to h.example failed: connection reset; 40 failures",
			[]string{"later recovered", "F2 Rare thing"}},
		{"a single unresolved finding",
			[]Finding{job("F1", "Forbidden", "unresolved", 3)},
			"1 problem needs action. BITS transfers to h.example fail: forbidden; 3 failures on 1 machine", nil},
		{"no retry seen says how long",
			[]Finding{func() Finding { f := job("F1", "Forbidden", StatusNoRetrySeen, 3); f.RetrySeconds = 120; return f }()},
			"1 problem needs action. BITS transfers to h.example fail: forbidden; 3 failures on 1 machine since 2024-11-14 16:00 UTC, no retry seen: the log ends 2 minutes after the last failure", nil},
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
