package analyze

import (
	"fmt"
	"strings"
	"testing"

	"bitsdiag/parse"
)

func TestTransferCodes(t *testing.T) {
	url := "http://wsus.example.com/content/a.cab"
	tests := []struct {
		name  string
		id    uint16
		hr    string
		kbID  string // "" = no finding
		code  string
		sever Severity
	}{
		{"success", 60, "0", "", "", ""},
		{"interrupted 0x00040008", 60, "262152", "", "", ""},
		{"unknown code", 61, "2162076929", "code-0x80DEAD01", "0x80DEAD01", SeverityWarning},
		{"E_INVALIDARG decimal", 61, "2147942487", "job-invalid-arg", "0x80070057", ""},
		{"E_INVALIDARG signed", 61, "-2147024809", "job-invalid-arg", "0x80070057", ""},
		{"missing file size hex", 61, "0x80200011", "job-missing-file-size", "0x80200011", ""},
		{"failure code on info-level 60", 60, "2147745801", "code-0x80040009", "0x80040009", SeverityWarning},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := analyse(t, Options{}, created(1, 0, jobA, "J"), started(2, 1, xfer1, jobA, "J", url),
				stopped(3, 2, tc.id, xfer1, jobA, "J", url, tc.hr, "18446744073709551615", "0"))
			if tc.kbID == "" {
				if len(r.Findings) != 0 {
					t.Fatalf("findings %v, want none", kbIDs(r))
				}
				return
			}
			if len(r.Findings) != 1 || r.Findings[0].KBID != tc.kbID {
				t.Fatalf("findings %v, want [%s]", kbIDs(r), tc.kbID)
			}
			f := r.Findings[0]
			if len(f.Codes) != 1 || f.Codes[0] != tc.code || f.Count != 1 || f.JobsAffected != 1 || f.ID != "F1" {
				t.Errorf("finding = %+v", f)
			}
			if tc.sever != "" && f.Severity != tc.sever {
				t.Errorf("severity %q, want %q", f.Severity, tc.sever)
			}
			if len(f.Hosts) != 1 || f.Hosts[0] != "wsus.example.com" || f.Status != "unresolved" {
				t.Errorf("hosts %v status %q", f.Hosts, f.Status)
			}
			if f.EvidenceTotal != 1 || len(f.Evidence) != 1 || f.Evidence[0].RecordID != 3 || f.Evidence[0].Code != tc.code {
				t.Errorf("evidence %+v", f.Evidence)
			}
		})
	}
}

func TestFindingStatus(t *testing.T) {
	u1, u2 := "https://a.example.com/x", "https://b.example.com/y"
	fail := func(rec uint64, min int, url string) *parse.Event {
		return stopped(rec, min, 61, xfer1, jobA, "J", url, "2162076929", "100", "0")
	}
	ok := func(rec uint64, min int, url string) *parse.Event {
		return stopped(rec, min, 60, xfer1, jobA, "J", url, "0", "100", "100")
	}
	tests := []struct {
		name string
		evs  []*parse.Event
		want string
	}{
		{"still failing", []*parse.Event{fail(1, 0, u1), fail(2, 5, u1)}, "unresolved"},
		{"url succeeded later", []*parse.Event{fail(1, 0, u1), ok(2, 5, u1)}, "recovered"},
		{"job completed later", []*parse.Event{fail(1, 0, u1), completed(2, 5, jobA, "J", "100")}, "recovered"},
		{"other url succeeded", []*parse.Event{fail(1, 0, u1), ok(2, 5, u2)}, "unresolved"},
		{"failed again after success", []*parse.Event{fail(1, 0, u1), ok(2, 5, u1), fail(3, 9, u1)}, "unresolved"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := analyse(t, Options{}, tc.evs...)
			f := findingByKB(r, "code-0x80DEAD01")
			if f == nil {
				t.Fatalf("no finding: %v", kbIDs(r))
			}
			if string(f.Status) != tc.want {
				t.Errorf("status %q, want %q", f.Status, tc.want)
			}
		})
	}
}

func TestRankingAndEvidenceCap(t *testing.T) {
	var evs []*parse.Event
	url := "https://cdn.example.com/big.bin"
	// 25 warnings (unknown code) early, one error (E_INVALIDARG) in the middle,
	// one later warning of another unknown code.
	for i := 0; i < 25; i++ {
		evs = append(evs, stopped(uint64(10+i), i, 61, xfer1, jobA, "J", url, "2162076929", "100", "0"))
	}
	evs = append(evs, stopped(40, 30, 61, xfer2, jobB, "K", "https://proxy-victim.example.org/f", "2147942487", "100", "0"))
	evs = append(evs, stopped(41, 60, 61, xfer2, jobB, "K", "https://proxy-victim.example.org/f", "2162076930", "100", "0"))
	r := analyse(t, Options{EvidenceCap: 10}, evs...)
	got := strings.Join(kbIDs(r), ",")
	if want := "job-invalid-arg,code-0x80DEAD02,code-0x80DEAD01"; got != want {
		t.Fatalf("ranking %s, want %s", got, want)
	}
	for i, f := range r.Findings {
		if f.ID != fmt.Sprintf("F%d", i+1) {
			t.Errorf("finding %d id %q", i, f.ID)
		}
	}
	f := r.Findings[2]
	if f.Count != 25 || f.EvidenceTotal != 25 || len(f.Evidence) != 10 {
		t.Fatalf("count %d total %d evidence %d", f.Count, f.EvidenceTotal, len(f.Evidence))
	}
	if f.Evidence[0].RecordID != 10 || f.Evidence[9].RecordID != 34 {
		t.Errorf("evidence spans #%d..#%d, want #10..#34", f.Evidence[0].RecordID, f.Evidence[9].RecordID)
	}
	if !strings.Contains(strings.Join(f.Notes, " "), "Burst: 25 of 25") {
		t.Errorf("notes %q lack the burst", f.Notes)
	}
	if !strings.Contains(f.Summary, "25 failures (0x80DEAD01) in 1 job on 1 computer") {
		t.Errorf("summary %q", f.Summary)
	}
	if !strings.HasPrefix(r.Verdict, "BITS transfers to proxy-victim.example.org fail") {
		t.Errorf("verdict %q", r.Verdict)
	}
	var total int
	for _, b := range r.Timeline {
		if b.Length != BucketLength(60*60*1e9) {
			t.Errorf("bucket length %v", b.Length)
		}
		for _, n := range b.Counts {
			total += n
		}
	}
	if total != 27 {
		t.Errorf("timeline counts %d, want 27", total)
	}
}

func TestConcentrationNote(t *testing.T) {
	var evs []*parse.Event
	for i := 0; i < 9; i++ {
		evs = append(evs, stopped(uint64(i+1), i*60, 61, xfer1, jobA, "J", "https://one.example.com/f", "2162076929", "1", "0"))
	}
	evs = append(evs, stopped(20, 700, 61, xfer2, jobB, "K", "https://two.example.com/f", "2162076929", "1", "0"))
	r := analyse(t, Options{}, evs...)
	f := findingByKB(r, "code-0x80DEAD01")
	if f == nil || !strings.Contains(strings.Join(f.Notes, " "), "9 of 10 events (90%) were for one.example.com") {
		t.Fatalf("notes: %+v", f)
	}
}

func TestNoFailuresVerdict(t *testing.T) {
	r := analyse(t, Options{}, created(1, 0, jobA, "J"), completed(2, 1, jobA, "J", "5"))
	if !strings.HasPrefix(r.Verdict, "No BITS failures found in 2 BITS records") {
		t.Errorf("verdict %q", r.Verdict)
	}
	r = analyse(t, Options{})
	if !strings.HasPrefix(r.Verdict, "No BITS events found") {
		t.Errorf("empty verdict %q", r.Verdict)
	}
}
