package render

import (
	"fmt"
	"strings"
	"testing"

	"bitsdiag/analyze"
)

func TestFindingJobs(t *testing.T) {
	titles := map[string]string{"A": "WU Client Download", "B": "WU Client Download", "C": "Edge", "D": "WU Client Download"}
	for _, tc := range []struct {
		ids  []string
		want string
	}{
		{[]string{"A"}, "WU Client Download (A)"},
		{[]string{"A", "X"}, "WU Client Download (A), X"},
		{[]string{"A", "B", "C", "D"}, "4 jobs: WU Client Download ×3, Edge (ids in Appendix B)"},
	} {
		if got := findingJobs(tc.ids, titles, "Appendix B"); got != tc.want {
			t.Errorf("findingJobs(%v) = %q, want %q", tc.ids, got, tc.want)
		}
	}
}

// TestJobIDsWhere: a finding says its job ids are in Appendix B only when
// the appendix lists every one of them (issue 16: "29980 more (ids in
// Appendix B)" must be true), and never without --full.
func TestJobIDsWhere(t *testing.T) {
	r := &analyze.Result{}
	var ids []string
	for i := 0; i < maxJobRows+50; i++ {
		id := fmt.Sprintf("{%08d-0000-0000-0000-000000000000}", i)
		r.Jobs = append(r.Jobs, analyze.Job{ID: id, Title: "t", Outcome: "failing"})
		ids = append(ids, id)
	}
	full := appendixJobs(r, true)
	if len(full) != maxJobRows {
		t.Fatalf("appendix lists %d jobs, want %d", len(full), maxJobRows)
	}
	if got := jobIDsWhere(ids, full); got != "the JSON output" {
		t.Errorf("all %d jobs: ids in %q, but the appendix lists only %d", len(ids), got, maxJobRows)
	}
	if got := jobIDsWhere(ids[:3], full); got != "Appendix B" {
		t.Errorf("3 listed jobs: ids in %q", got)
	}
	if got := jobIDsWhere(ids[:3], appendixJobs(r, false)); got != "the JSON output" {
		t.Errorf("short report: ids in %q", got)
	}
	for _, full := range []bool{false, true} {
		d := buildDocument(&analyze.Result{Jobs: r.Jobs, Findings: []analyze.Finding{{ID: "F1", Jobs: ids}}}, Options{Full: full})
		var b strings.Builder
		for _, bl := range d.blocks {
			if fs, ok := bl.(fields); ok {
				for _, f := range fs.items {
					for _, s := range f.value {
						b.WriteString(s.text)
					}
				}
			}
		}
		if strings.Contains(b.String(), "ids in Appendix B") {
			t.Errorf("full=%v: claims the ids of %d jobs are in Appendix B", full, len(ids))
		}
	}
}

func TestDamageSummary(t *testing.T) {
	for _, tc := range []struct {
		in    analyze.Input
		table bool
		want  string
	}{
		{analyze.Input{}, true, "none"},
		{analyze.Input{Damage: []analyze.Damage{{Kind: "dirty"}, {Kind: "slack"}}}, true, "none (notes: 1 dirty, 1 slack)"},
		{analyze.Input{Damage: []analyze.Damage{{Kind: "dirty"}, {Kind: "chunk-data-crc"}, {Kind: "chunk-data-crc"}}, RecordsUndecoded: 3}, false,
			"2 chunk-data-crc, 3 undecodable records (notes, normal in logs copied from a running system: 1 dirty)"},
		{analyze.Input{Skipped: "not EVTX"}, true, "skipped: not EVTX"},
	} {
		if got := damageSummary(&tc.in, tc.table); got != tc.want {
			t.Errorf("damageSummary(%+v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDamageWhere(t *testing.T) {
	for _, tc := range []struct {
		d    analyze.Damage
		want string
	}{
		{analyze.Damage{Chunk: -1}, ""},
		{analyze.Damage{Chunk: -1, Offset: 120}, " offset 120 (0x78)"},
		{analyze.Damage{Chunk: 0, Offset: 4096, RecordID: 7}, " chunk 0, offset 4096 (0x1000), record 7"},
	} {
		if got := damageWhere(tc.d); got != tc.want {
			t.Errorf("damageWhere(%+v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestProcessName(t *testing.T) {
	for in, want := range map[string]string{
		`C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe (PID 8716)`: "msedge.exe (PID 8716)",
		`C:\Windows\System32\svchost.exe`:                                         "svchost.exe",
		"":                                                                        "",
	} {
		if got := processName(in); got != want {
			t.Errorf("processName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestJobsAppendixAndSystemLog: the jobs appendix shows only jobs with
// errors or not completed, and a report without a System log says so.
func TestJobsAppendixAndSystemLog(t *testing.T) {
	r := &analyze.Result{Jobs: []analyze.Job{
		{ID: "CLEAN", Title: "clean job", Outcome: "completed"},
		{ID: "BAD", Title: "bad job", Outcome: "failing", Errors: []analyze.CodeCount{{Code: "0x80200013", Count: 2}}},
	}, Inputs: []analyze.Input{{Path: "ops.evtx", Channels: []string{"Microsoft-Windows-Bits-Client/Operational"}}}}
	var b strings.Builder
	if err := Markdown(&b, r, Options{}); err != nil {
		t.Fatal(err)
	}
	short := b.String()
	if strings.Contains(short, "## Appendix B") || strings.Contains(short, "clean job") || !strings.Contains(short, "bad job") {
		t.Errorf("short report: no appendix B and only the job that did not complete expected:\n%s", short)
	}
	b.Reset()
	if err := Markdown(&b, r, Options{Full: true}); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	if !strings.Contains(md, "clean job") {
		t.Error("--full: the completed job is not listed")
	}
	appendix := md[strings.Index(md, "## Appendix B"):]
	if !strings.Contains(appendix, "bad job") || strings.Contains(appendix, "#### Job 2: clean job") || !strings.Contains(appendix, "(1)") {
		t.Errorf("jobs appendix:\n%s", appendix)
	}
	if !strings.Contains(md, "[1](#job-1)") || !strings.Contains(md, `<a id="job-1"></a>`) {
		t.Error("the failing job is not linked from the jobs table to the appendix")
	}
	if !strings.Contains(md, "No System log among the inputs") {
		t.Error("no note that the System log is missing")
	}
	r.Inputs = append(r.Inputs, analyze.Input{Path: "sys.evtx", Channels: []string{"System"}})
	b.Reset()
	if err := Markdown(&b, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "No System log") {
		t.Error("says the System log is missing though it was given")
	}
}

func TestProcedureName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Export the logs again some time after the fix and run bitsdiag on them: the finding should not come back.",
			"Export the logs again some time after the fix and run bitsdiag on them"},
		{"Resume the job so BITS tries again at once instead of waiting for its retry delay (<JobId> from the report).",
			"Resume the job so BITS tries again at once instead of waiting for its retry delay"},
		{"Repair damaged system files.", "Repair damaged system files"},
		{"As an administrator, list the BITS jobs of all users and check that the affected job has left the ERROR state",
			"As an administrator, list the BITS jobs of all users and check that the affected job has…"},
	} {
		if got := procedureName(analyze.Step{Text: tc.in}); got != tc.want {
			t.Errorf("procedureName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestSharedProcedures: in the short report a step several findings share
// is printed once in "Shared procedures" and referred to by number; --full
// prints it in every finding.
func TestSharedProcedures(t *testing.T) {
	shared := analyze.Step{Text: "Restart BITS.", Commands: []string{"sc.exe stop bits", "sc.exe start bits"}, Shell: analyze.ShellCmd}
	r := manyFindings(3)
	for i := range r.Findings {
		r.Findings[i].Fix = []analyze.Step{{Text: "Look at it."}, shared}
	}
	var b strings.Builder
	if err := Markdown(&b, r, Options{}); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	if n := strings.Count(md, "sc.exe stop bits"); n != 1 {
		t.Errorf("short report prints the shared commands %d times, want once", n)
	}
	if n := strings.Count(md, "See procedure P1: Restart BITS"); n != 3 {
		t.Errorf("%d references to P1, want 3", n)
	}
	if !strings.Contains(md, "## Shared procedures") || !strings.Contains(md, "### P1 · Restart BITS") {
		t.Error("no Shared procedures section with P1")
	}
	b.Reset()
	if err := Markdown(&b, r, Options{Full: true}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "sc.exe stop bits"); n != 3 || strings.Contains(b.String(), "Shared procedures") {
		t.Errorf("--full: shared commands printed %d times (want 3), or a procedures section", n)
	}
}

// TestEvidenceRows: the short report shows 3 evidence records a finding, 2
// (the first and the last) when it has more than compactAbove findings, and
// --full all of them; the note says how many of how many.
func TestEvidenceRows(t *testing.T) {
	ev := make([]analyze.Evidence, 7)
	for i := range ev {
		ev[i].RecordID = uint64(100 + i)
	}
	f := &analyze.Finding{Evidence: ev, EvidenceTotal: 40}
	for _, tc := range []struct {
		findings int
		full     bool
		want     []uint64
		note     string
	}{
		{findings: 1, want: []uint64{100, 103, 106}, note: "3 of 40 records shown"},
		{findings: compactAbove, want: []uint64{100, 103, 106}, note: "3 of 40 records shown"},
		{findings: compactAbove + 1, want: []uint64{100, 106}, note: "2 of 40 records shown"},
		{findings: compactAbove + 1, full: true, want: []uint64{100, 101, 102, 103, 104, 105, 106}, note: "7 of 40 records shown"},
	} {
		r := &analyze.Result{Findings: make([]analyze.Finding, tc.findings)}
		n := evidenceRows(r, tc.full)
		var got []uint64
		for _, e := range shownEvidence(f, n) {
			got = append(got, e.RecordID)
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%d findings, full %v: records %v, want %v", tc.findings, tc.full, got, tc.want)
		}
		if note := evidenceNote(f, tc.full, n); !strings.HasPrefix(note, tc.note) {
			t.Errorf("%d findings, full %v: note %q, want it to start %q", tc.findings, tc.full, note, tc.note)
		}
	}
}
