package analyze

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"bitsdiag/parse"
)

// corpusDir is the shared corpus, relative to this package.
const corpusDir = "../../shared/evtx-corpus"

func corpusFile(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join(corpusDir, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("corpus file %s not available (%v); corpus tests need ../shared/evtx-corpus", rel, err)
	}
	return p
}

// readInto reads one file with the analysis pre-filter, as the CLI does,
// naming it name in the evidence. It returns the relevant events, by event
// id, read from a trailing partial chunk (other parsers skip those).
func readInto(t *testing.T, a *Analyzer, path, name string) map[uint16]int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	r, err := parse.NewReader(f, st.Size(), parse.Options{Name: name, Filter: defaultSel.Filter()})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer r.Close()
	byChunk := map[int]map[uint16]int{}
	for {
		e, err := r.Next()
		if err == io.EOF {
			break
		}
		var re *parse.RecordError
		if errors.As(err, &re) {
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		a.AddEvent(e)
		if defaultSel.Relevant(e) {
			if byChunk[e.Source.Chunk] == nil {
				byChunk[e.Source.Chunk] = map[uint16]int{}
			}
			byChunk[e.Source.Chunk][e.EventID]++
		}
	}
	sum := r.Summary()
	a.AddInput(InputFromSummary(name, st.Size(), "", sum))
	partial := map[uint16]int{}
	for _, p := range sum.Problems {
		if p.Kind == "chunk-truncated" {
			for id, n := range byChunk[p.Chunk] {
				partial[id] += n
			}
		}
	}
	return partial
}

func analyseCorpus(t *testing.T, rels ...string) *Result {
	r, _ := analyseCorpusPartial(t, rels...)
	return r
}

// analyseCorpusPartial also returns the relevant events read from trailing
// partial chunks, by event id.
func analyseCorpusPartial(t *testing.T, rels ...string) (*Result, map[uint16]int) {
	t.Helper()
	kb, err := LoadKB()
	if err != nil {
		t.Fatal(err)
	}
	a := New(Options{KB: kb})
	partial := map[uint16]int{}
	for _, rel := range rels {
		for id, n := range readInto(t, a, corpusFile(t, rel), filepath.Base(rel)) {
			partial[id] += n
		}
	}
	return mustResult(a), partial
}

func TestCorpusTugixOperational(t *testing.T) {
	r := analyseCorpus(t, "bits/tugix456_randaodcxjj_Bits-Client-Operational.evtx")
	// The 47 event-61 records: 0x80072EFE x40, 0x80200011 x5, 0x80072EE2 x1, 0x80070057 x1.
	want := map[string]struct {
		code  string
		count int
	}{
		"job-connection-error":  {"0x80072EFE", 40},
		"job-missing-file-size": {"0x80200011", 5},
		"job-timeout":           {"0x80072EE2", 1},
		"job-invalid-arg":       {"0x80070057", 1},
	}
	transfer := 0
	for _, f := range r.Findings {
		w, ok := want[f.KBID]
		if !ok {
			t.Logf("other finding %s %s x%d: %s", f.KBID, f.Severity, f.Count, f.Summary)
			continue
		}
		transfer += f.Count
		if f.Count != w.count || len(f.Codes) != 1 || f.Codes[0] != w.code {
			t.Errorf("%s: count %d codes %v, want %d [%s]", f.KBID, f.Count, f.Codes, w.count, w.code)
		}
		delete(want, f.KBID)
	}
	if len(want) > 0 {
		t.Errorf("missing findings %v; got %v", want, kbIDs(r))
	}
	if transfer != 47 {
		t.Errorf("transfer failures %d, want 47", transfer)
	}
	t.Logf("verdict: %s", r.Verdict)

	// Jobs: every job of the log, with titles and owners.
	if len(r.Jobs) < 77 {
		t.Errorf("jobs %d, want at least the 77 created", len(r.Jobs))
	}
	byID := map[string]Job{}
	outcomes := map[string]int{}
	for _, j := range r.Jobs {
		byID[j.ID] = j
		outcomes[string(j.Outcome)]++
	}
	t.Logf("outcomes: %v", outcomes)
	checks := []struct {
		id, title, owner, outcome, url string
	}{
		{"161D2E57-00CF-4619-A9DD-6ED04AE71848", "Font Download", `NT AUTHORITY\Local Service`, "completed", "https://fs.microsoft.com/fs/windows/config.json"},
		{"5350DC49-64EF-4712-B7B6-1C68CD834777", "Font Download", `NT AUTHORITY\Local Service`, "cancelled", "https://fs.microsoft.com/fs/windows/fontset-2017-04.json"},
	}
	for _, c := range checks {
		j, ok := byID[c.id]
		if !ok {
			t.Errorf("job %s not reconstructed", c.id)
			continue
		}
		if j.Title != c.title || j.Owner != c.owner || string(j.Outcome) != c.outcome || len(j.URLs) == 0 || j.URLs[0] != c.url {
			t.Errorf("job %s = %s", c.id, mustJSON(t, j))
		}
	}
	if j, ok := byID["AE374A23-1F07-4E75-A48E-A5BAD0957F47"]; !ok || j.Title != "UpdateBinary" || len(j.Errors) == 0 || j.Errors[0].Code != "0x80072EFE" {
		t.Errorf("OneDrive UpdateBinary job = %s", mustJSON(t, j))
	}
	if j, ok := byID["EAF26228-06FD-4777-837A-6F37F61FD10A"]; !ok || j.Title != "Chrome Component Updater" || len(j.Hosts) == 0 || j.Hosts[0] != "edgedl.me.gvt1.com" {
		t.Errorf("Chrome job = %s", mustJSON(t, j))
	}
}

func TestCorpusOverlappingCopies(t *testing.T) {
	const rel = "bits/tugix456_randaodcxjj_Bits-Client-Operational.evtx"
	p := corpusFile(t, rel)
	kb, err := LoadKB()
	if err != nil {
		t.Fatal(err)
	}
	one := New(Options{KB: kb})
	readInto(t, one, p, "a.evtx")
	two := New(Options{KB: kb})
	readInto(t, two, p, "b.evtx") // read first, but sorts after a.evtx
	readInto(t, two, p, "a.evtx")
	r1, r2 := mustResult(one), mustResult(two)
	for _, part := range []struct {
		name string
		a, b any
	}{{"findings", r1.Findings, r2.Findings}, {"jobs", r1.Jobs, r2.Jobs}, {"service", r1.Service, r2.Service},
		{"timeline", r1.Timeline, r2.Timeline}, {"verdict", r1.Verdict, r2.Verdict}} {
		if a, b := mustJSON(t, part.a), mustJSON(t, part.b); a != b {
			t.Errorf("%s differ between one copy and two", part.name)
		}
	}
}

func TestCorpusSystemLogs(t *testing.T) {
	// MANIFEST.md "SCM about BITS" column. Its parsers stop before a
	// trailing partial chunk; the reader also returns that chunk's whole
	// records, which are counted separately.
	tests := []struct {
		file         string
		n7036, n7040 int
	}{
		{"system/nanw01_python-algrothm_System_truncated.evtx", 0, 886},
		{"system/anotherc0ne_EventLog_System.evtx", 34, 32},
		{"system/plaso_test_data_System.evtx", 5, 1},
		{"system/omerbenamram_evtx_samples_system.evtx", 0, 7},
		{"system/gbzrlk021_UploadClean_System.evtx", 0, 11},
		{"system/tugix456_randaodcxjj_System.evtx", 0, 10},
		{"system/sdkeaglesoftware_demo_System.evtx", 0, 0},
		{"system/aaronthopliss_hello-world_System.evtx", 0, 1},
		{"system/velociraptor_testdata_RDPAuth_System.evtx", 0, 0},
		{"system/sbousseaden_DE_WinEventLogSvc_Crash_System_7036.evtx", 0, 0},
		{"malformed/omerbenamram_evtx_sample-with-zero-data-size-event.evtx", 0, 1},
		{"malformed/3gstudent_eventlogedit_System_edited_slack.evtx", 1, 0},
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			r, partial := analyseCorpusPartial(t, tc.file)
			n := map[uint16]int{}
			routine, idle := 0, 0
			for _, se := range r.Service.Timeline {
				n[se.EventID]++
				if se.Routine && se.EventID == 7040 {
					routine++
				}
				if se.Routine && se.EventID == 7036 {
					idle++
				}
			}
			// Without crashes or start failures every 7036 running/stopped
			// change is an idle cycle of BITS (routine).
			if r.Service.Crashes == 0 && r.Service.StartFails == 0 && idle != n[7036] {
				t.Errorf("routine 7036 changes %d, want all %d", idle, n[7036])
			}
			if n[7036]-partial[7036] != tc.n7036 || n[7040]-partial[7040] != tc.n7040 {
				t.Errorf("7036 x%d 7040 x%d (partial chunk: %v), want x%d x%d", n[7036], n[7040], partial, tc.n7036, tc.n7040)
			}
			if routine != n[7040] {
				t.Errorf("routine 7040 changes %d, want all %d", routine, n[7040])
			}
			if len(partial) > 0 {
				t.Logf("also read from the trailing partial chunk: %v", partial)
			}
			for _, f := range r.Findings {
				if f.Source != "" { // Windows Update findings: TestCorpusWindowsUpdate
					continue
				}
				t.Errorf("finding %s (%s) x%d: %s", f.KBID, f.Severity, f.Count, f.Summary)
			}
			t.Logf("%s | state %q start type %q", r.Verdict, r.Service.StateNow, r.Service.StartType)
		})
	}
}
