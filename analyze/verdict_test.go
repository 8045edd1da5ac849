package analyze

import (
	"strings"
	"testing"
)

func TestVerdictLead(t *testing.T) {
	job := func(id, title, status string, n int) Finding {
		return Finding{ID: id, Title: title, Severity: SeverityError, Status: status, Count: n, JobsAffected: 1,
			Hosts: []string{"h.example"}, Computers: []string{"PC1"}, FirstSeen: t0}
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
			got := verdict(&Result{Findings: tc.findings}, 10)
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
