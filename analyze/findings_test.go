package analyze

import (
	"fmt"
	"strings"
	"testing"
	"time"

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
			// The failure is the log's last record: BITS had no time to retry.
			if len(f.Hosts) != 1 || f.Hosts[0] != "wsus.example.com" || f.Status != StatusNoRetrySeen {
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
	later := func() *parse.Event { return completed(50, 40, jobB, "K", "100") }
	tests := []struct {
		name string
		evs  []*parse.Event
		want string
		text string // in the finding's summary
	}{
		// later is an unrelated job's completion 40 minutes in: the log goes
		// on long enough for BITS to have retried (its default retry delay
		// is 10 minutes).
		{"still failing", []*parse.Event{fail(1, 0, u1), fail(2, 5, u1), later()}, "unresolved", ""},
		{"still failing, log ends at once", []*parse.Event{fail(1, 0, u1), fail(2, 5, u1)}, "no retry seen", ""},
		{"log ends 9 minutes after", []*parse.Event{fail(1, 0, u1), completed(2, 9, jobB, "K", "100")}, "no retry seen", ""},
		{"url succeeded later", []*parse.Event{fail(1, 0, u1), ok(2, 5, u1)}, "recovered", ""},
		{"job completed later", []*parse.Event{fail(1, 0, u1), completed(2, 5, jobA, "J", "100")}, "recovered", ""},
		{"other url succeeded", []*parse.Event{fail(1, 0, u1), ok(2, 5, u2), later()}, "unresolved", ""},
		{"failed again after success", []*parse.Event{fail(1, 0, u1), ok(2, 5, u1), fail(3, 9, u1), later()}, "unresolved", ""},
		// A job cancelled after its last failure gets no retry, however soon
		// the log ends; the text says why, with no retry time.
		{"cancelled at once", []*parse.Event{fail(1, 0, u1), cancelled(2, 1, jobA, "J")}, "unresolved", "each failing job was cancelled after its last failure"},
		{"cancelled, log goes on", []*parse.Event{fail(1, 0, u1), cancelled(2, 1, jobA, "J"), later()}, "unresolved", "each failing job was cancelled after its last failure"},
		{"cancelled before failing again", []*parse.Event{cancelled(1, 0, jobA, "J"), fail(2, 1, u1), later()}, "unresolved", "which goes on at least 39 minutes after the last failure of each job still failing"},
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
			if !strings.Contains(f.Summary, tc.text) {
				t.Errorf("summary %q, want it to say %q", f.Summary, tc.text)
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
	// Unresolved before no retry seen (0x80DEAD02 is the log's last record),
	// then errors before warnings.
	if want := "job-invalid-arg,code-0x80DEAD01,code-0x80DEAD02"; got != want {
		t.Fatalf("ranking %s, want %s", got, want)
	}
	for i, f := range r.Findings {
		if f.ID != fmt.Sprintf("F%d", i+1) {
			t.Errorf("finding %d id %q", i, f.ID)
		}
	}
	f := r.Findings[1]
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
	if !strings.HasPrefix(r.Verdict, "3 problems need action. BITS transfers to proxy-victim.example.org fail") {
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

// TestInfo60Interruption: an Information-level event 60 with a failure-class
// code followed by success of the same transfer is an interruption, not a
// finding; the job keeps the code and counts the interruption. Without the
// success it stays a finding.
func TestInfo60Interruption(t *testing.T) {
	url := "http://wsus.example.com/content/a.cab"
	info := func(e *parse.Event) *parse.Event { e.Level = 4; return e }
	base := []*parse.Event{created(1, 0, jobA, "J"), started(2, 1, xfer1, jobA, "J", url),
		info(stopped(3, 2, 60, xfer1, jobA, "J", url, "2147745801", "100", "0"))}
	r := analyse(t, Options{}, append(base, stopped(4, 3, 60, xfer1, jobA, "J", url, "0", "100", "100"))...)
	if len(r.Findings) != 0 {
		t.Errorf("findings %v, want none", kbIDs(r))
	}
	if len(r.Jobs) != 1 || r.Jobs[0].Interruptions != 1 || len(r.Jobs[0].Errors) != 1 || r.Jobs[0].Errors[0].Code != "0x80040009" {
		t.Errorf("jobs %+v", r.Jobs)
	}
	// Success 20 minutes later: a failure that recovered, not an interruption.
	r = analyse(t, Options{}, append(base, stopped(4, 22, 60, xfer1, jobA, "J", url, "0", "100", "100"))...)
	if f := findingByKB(r, "code-0x80040009"); f == nil || f.Status != StatusRecovered {
		t.Errorf("findings %v, want code-0x80040009 recovered", kbIDs(r))
	}
}

// TestCoverageTimeGap: days without any record in a Bits-Client log are a
// gap in coverage, said as such.
func TestCoverageTimeGap(t *testing.T) {
	r := analyse(t, Options{}, completed(1, 0, jobA, "J", "100"), completed(2, 3*24*60, jobB, "K", "100"))
	if len(r.Coverage) != 1 || len(r.Coverage[0].TimeGaps) != 1 || !strings.Contains(r.Coverage[0].Warning, "a gap in the log") {
		t.Fatalf("coverage %+v", r.Coverage)
	}
	if g := r.Coverage[0].TimeGaps[0]; g.To.Sub(g.From) != 72*time.Hour {
		t.Errorf("gap %v", g)
	}
}
