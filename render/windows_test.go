package render

import (
	"testing"
	"time"

	"bitsdiag/analyze"
)

// The Windows versions of the evidence section: one computer gives one line
// with its boot time; several give one line per version naming them.
func TestWindowsLines(t *testing.T) {
	boot := time.Date(2026, 3, 10, 7, 56, 10, 0, time.UTC)
	w10 := &analyze.WindowsVersion{Version: "10.0.19045", Major: 10, Build: 19045, Seen: boot}
	w7 := &analyze.WindowsVersion{Version: "6.1.7601", Major: 6, Minor: 1, Build: 7601, ServicePack: "Service Pack 1", Seen: boot}
	line := func(r *analyze.Result) []string {
		var out []string
		for _, l := range windowsLines(r, time.UTC) {
			s := ""
			for _, sp := range l {
				s += sp.text
			}
			out = append(out, s)
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		matrix []analyze.ComputerEvidence
		want   []string
	}{
		{"one", []analyze.ComputerEvidence{{Computer: "PC1", Windows: w10}},
			[]string{"Windows version: 10.0.19045 (System event 6009 at the boot of 2026-03-10 07:56:10 UTC)."}},
		{"one of two known", []analyze.ComputerEvidence{{Computer: "PC1", Windows: w10}, {Computer: "PC2"}},
			[]string{"Windows version on PC1: 10.0.19045 (System event 6009 at the boot of 2026-03-10 07:56:10 UTC)."}},
		{"fleet", []analyze.ComputerEvidence{{Computer: "PC1", Windows: w10}, {Computer: "PC2", Windows: w7}, {Computer: "PC3", Windows: w10}},
			[]string{"Windows version 10.0.19045 on PC1, PC3 (System event 6009 at their newest boot).",
				"Windows version 6.1.7601 Service Pack 1 on PC2 (System event 6009 at its newest boot)."}},
		{"none", []analyze.ComputerEvidence{{Computer: "PC1"}}, nil},
	} {
		got := line(&analyze.Result{Matrix: tc.matrix})
		if len(got) != len(tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: %q, want %q", tc.name, got[i], tc.want[i])
			}
		}
	}
}
