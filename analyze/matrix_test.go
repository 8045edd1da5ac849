package analyze

import (
	"strings"
	"testing"
	"time"
)

func TestEvidenceMatrixAndWarnings(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2024, 11, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name     string
		inputs   []Input
		cov      []Coverage
		missing  map[string]int // computer -> missing logs
		warnings []string       // substrings of the input warnings, in order
		none     string         // must not appear in the warnings
	}{
		{"System log without BITS records: unnamed computer, channel known",
			[]Input{{Path: "s.evtx", Channels: []string{"System"}, LogFirst: day(1), LogLast: day(2)}}, nil,
			map[string]int{"": 1}, nil, "different computers"},
		{"two computers that do not overlap",
			[]Input{{Path: "s.evtx", Channels: []string{"System"}, Computers: []string{"A"}, LogFirst: day(1), LogLast: day(2)},
				{Path: "b.evtx", Channels: []string{ChannelBITSClient}, Computers: []string{"B"}, LogFirst: day(5), LogLast: day(6)}}, nil,
			map[string]int{"A": 1, "B": 1}, []string{"2 different computers", "The logs of A and of B do not overlap"}, ""},
		{"one log, two names: a rename, not two machines",
			[]Input{{Path: "b.evtx", Channels: []string{ChannelBITSClient}, Computers: []string{"A", "A2"}, LogFirst: day(1), LogLast: day(6)}},
			[]Coverage{{Computer: "A", Channel: ChannelBITSClient, File: "b.evtx", First: day(1), Last: day(5)},
				{Computer: "A2", Channel: ChannelBITSClient, File: "b.evtx", First: day(6), Last: day(6)}},
			map[string]int{"A": 1, "A2": 1}, []string{"probably one machine that was renamed"}, "different computers"},
		{"same computer, System and Bits-Client logs do not overlap",
			[]Input{{Path: "s.evtx", Channels: []string{"System"}, Computers: []string{"A"}, LogFirst: day(1), LogLast: day(2)},
				{Path: "b.evtx", Channels: []string{ChannelBITSClient}, Computers: []string{"A"}, LogFirst: day(5), LogLast: day(6)}}, nil,
			map[string]int{"A": 0}, nil, "different computers"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := evidenceMatrix(tc.inputs, tc.cov)
			if len(m) != len(tc.missing) {
				t.Fatalf("matrix %+v", m)
			}
			for _, ce := range m {
				if n, ok := tc.missing[ce.Computer]; !ok || len(ce.Missing) != n {
					t.Errorf("%q: missing %+v, want %d", ce.Computer, ce.Missing, n)
				}
			}
			w := strings.Join(inputWarnings(m, nil), "\n")
			for _, s := range tc.warnings {
				if !strings.Contains(w, s) {
					t.Errorf("warnings %q lack %q", w, s)
				}
			}
			if tc.none != "" && strings.Contains(w, tc.none) {
				t.Errorf("warnings %q contain %q", w, tc.none)
			}
			if strings.Contains(tc.name, "same computer") && (len(m[0].Warnings) != 1 || !strings.Contains(m[0].Warnings[0], "do not overlap")) {
				t.Errorf("row warnings %q", m[0].Warnings)
			}
		})
	}
}

func TestVerdictNoBITSLog(t *testing.T) {
	r := &Result{Matrix: evidenceMatrix([]Input{{Path: "sec.evtx", Channels: []string{"Security"}}}, nil)}
	got := verdict(r, 0, nil)
	for _, w := range []string{"None of the inputs is a System or Bits-Client log (Security)", "no Bits-Client log, so BITS job failures", "no System log, so the BITS service's state"} {
		if !strings.Contains(got, w) {
			t.Errorf("verdict %q lacks %q", got, w)
		}
	}
}
