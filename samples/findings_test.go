package samples

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"bitsdiag/analyze"
	"bitsdiag/configcheck"
	"bitsdiag/parse"
	"bitsdiag/render"
	"bitsdiag/samples/evtxwrite"
	"bitsdiag/samples/scenario"
)

// The findings tests read the committed samples the way `bitsdiag report`
// does and hold the analysis to what each scenario promises (the same
// promises the README is generated from). Golden reports live in
// testdata/golden; refresh them with
//
//	go test ./samples/ -run Golden -update

// analysisNow is the fixed "generated" time of every analysis here.
var analysisNow = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

// input is one file handed to the analysis: its bytes and the name it is
// reported under.
type input struct {
	name string // as the report shows it, e.g. samples/healthy/System.evtx
	data []byte
}

// scenarioInputs reads a scenario's committed files, named as a user
// running bitsdiag from the repository root would see them.
func scenarioInputs(t *testing.T, s scenario.Scenario) []input {
	t.Helper()
	var in []input
	for _, f := range s.Files {
		b, err := os.ReadFile(filepath.FromSlash(f.Name))
		if err != nil {
			t.Fatalf("%s: %v (run go run ./samples/gen)", f.Name, err)
		}
		in = append(in, input{name: "samples/" + f.Name, data: b})
	}
	return in
}

// analyse reads the inputs with the analysis pre-filter, as the CLI does,
// and returns the result.
func analyse(t *testing.T, ins ...input) *analyze.Result {
	t.Helper()
	a := analyze.New(analyze.Options{Now: analysisNow, Version: "test"})
	for _, in := range ins {
		addInput(t, a, in)
	}
	// As the report does: Attach without snapshot files is the analysis
	// plus the repair procedure of the version the event logs name (6009).
	r, err := configcheck.Attach(context.Background(), a, nil, nil, configcheck.AttachOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func addInput(t *testing.T, a *analyze.Analyzer, in input) {
	t.Helper()
	r, err := parse.NewReader(bytes.NewReader(in.data), int64(len(in.data)),
		parse.Options{Name: in.name, Filter: analyze.Select(nil).Filter()})
	if err != nil {
		t.Fatalf("%s: %v", in.name, err)
	}
	defer r.Close()
	for {
		e, err := r.Next()
		if err == io.EOF {
			break
		}
		var re *parse.RecordError
		if errors.As(err, &re) {
			continue // counted in the summary
		}
		if err != nil {
			t.Fatalf("%s: %v", in.name, err)
		}
		a.AddEvent(e)
	}
	sum := sha256.Sum256(in.data)
	a.AddInput(analyze.InputFromSummary(in.name, int64(len(in.data)), hex.EncodeToString(sum[:]), r.Summary()))
}

// eventMap turns a finding's event counts into id -> count.
func eventMap(f analyze.Finding) map[uint16]int {
	m := map[uint16]int{}
	for _, ec := range f.EventCounts {
		m[ec.EventID] += ec.Count
	}
	return m
}

// TestScenarioFindings checks that every scenario yields exactly the findings
// it promises, in the promised (report) order, with the promised event counts
// per event id, jobs, computers and status. The healthy machine yields none.
func TestScenarioFindings(t *testing.T) {
	for _, s := range scenario.All() {
		t.Run(s.ID, func(t *testing.T) {
			r := analyse(t, scenarioInputs(t, s)...)
			var got, want []string
			for _, f := range r.Findings {
				got = append(got, f.KBID)
			}
			for _, p := range s.Findings {
				want = append(want, p.KBID)
			}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				for _, f := range r.Findings {
					t.Logf("got %s %s: %s", f.ID, f.KBID, f.Summary)
				}
				t.Fatalf("findings %v, want %v", got, want)
			}
			for i, p := range s.Findings {
				f := r.Findings[i]
				if f.Count != p.Count() {
					t.Errorf("%s: count %d, want %d", p.KBID, f.Count, p.Count())
				}
				if ev := eventMap(f); !reflect.DeepEqual(ev, p.Events) {
					t.Errorf("%s: events %v, want %v", p.KBID, ev, p.Events)
				}
				if f.JobsAffected != p.Jobs {
					t.Errorf("%s: %d jobs, want %d", p.KBID, f.JobsAffected, p.Jobs)
				}
				if len(f.Computers) != p.Computers {
					t.Errorf("%s: computers %v, want %d", p.KBID, f.Computers, p.Computers)
				}
				if string(f.Status) != p.Status {
					t.Errorf("%s: status %q, want %q", p.KBID, f.Status, p.Status)
				}
				var per []string
				for _, w := range f.PerWSUSServer {
					per = append(per, fmt.Sprintf("%s %d %s", w.Server, w.Count, w.Status))
				}
				if !reflect.DeepEqual(per, p.PerServer) {
					t.Errorf("%s: per WSUS server %q, want %q", p.KBID, per, p.PerServer)
				}
			}
			if s.ID == "wsus-two-servers" && !strings.Contains(r.Verdict, "failing wsus01.contoso.local:8530 (F1") {
				t.Errorf("verdict does not name the failing WSUS server: %q", r.Verdict)
			}
			if s.ID == "healthy" && (len(r.Findings) != 0 || !strings.HasPrefix(r.Verdict, "No BITS failures found")) {
				t.Errorf("healthy: %d findings, verdict %q", len(r.Findings), r.Verdict)
			}
		})
	}
}

// TestEveryKBEntryHasSample checks that every knowledge-base entry with a log
// signature has a scenario that yields exactly that entry's finding.
func TestEveryKBEntryHasSample(t *testing.T) {
	kb, err := analyze.LoadKB()
	if err != nil {
		t.Fatal(err)
	}
	only := map[string]string{} // kb id -> scenario promising just it
	for _, s := range scenario.All() {
		if len(s.Findings) == 1 {
			only[s.Findings[0].KBID] = s.ID
		}
	}
	for _, e := range kb.Entries {
		if e.Kind == analyze.KindProcedure || len(e.Events) == 0 {
			continue
		}
		if strings.EqualFold(e.Events[0].Provider, analyze.ProviderConfig) {
			continue // snapshot sets in samples/snapshots: configcheck's TestDeviationsThroughTheAnalysis
		}
		if _, ok := only[e.ID]; !ok {
			t.Errorf("knowledge-base entry %q has no scenario of its own", e.ID)
		}
	}
}

// TestScenarioDirs checks that every sample directory is a scenario.
func TestScenarioDirs(t *testing.T) {
	known := map[string]bool{}
	for _, s := range scenario.All() {
		known[s.ID] = true
	}
	ents, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		evtx, _ := filepath.Glob(filepath.Join(e.Name(), "*.evtx"))
		if len(evtx) > 0 && !known[e.Name()] {
			t.Errorf("%s/ holds .evtx files but is no scenario", e.Name())
		}
	}
}

// TestGolden compares each scenario's JSON result and Markdown report (UTC)
// with testdata/golden/<scenario>.json and .md, byte for byte.
func TestGolden(t *testing.T) {
	dir := filepath.Join("testdata", "golden")
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]bool{}
	for _, s := range scenario.All() {
		t.Run(s.ID, func(t *testing.T) {
			r := analyse(t, scenarioInputs(t, s)...)
			var js, md bytes.Buffer
			if err := render.JSON(&js, r); err != nil {
				t.Fatal(err)
			}
			if err := render.Markdown(&md, r, render.Options{TZ: time.UTC}); err != nil {
				t.Fatal(err)
			}
			for _, g := range []struct {
				ext  string
				data []byte
			}{{".json", js.Bytes()}, {".md", md.Bytes()}} {
				p := filepath.Join(dir, s.ID+g.ext)
				want[filepath.Base(p)] = true
				if *update {
					if err := os.WriteFile(p, g.data, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				old, err := os.ReadFile(p)
				if err != nil {
					t.Fatalf("%v (run go test ./samples/ -run Golden -update)", err)
				}
				if !bytes.Equal(old, g.data) {
					t.Errorf("%s differs from the report (%s); review and run go test ./samples/ -run Golden -update",
						p, firstDiff(old, g.data))
				}
			}
		})
	}
	// No golden file for a scenario that no longer exists.
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if !want[e.Name()] {
			if *update {
				os.Remove(filepath.Join(dir, e.Name()))
				continue
			}
			t.Errorf("%s: no scenario writes this golden file", filepath.Join(dir, e.Name()))
		}
	}
}

// firstDiff describes where two outputs first differ.
func firstDiff(a, b []byte) string {
	line := 1
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return fmt.Sprintf("first difference on line %d", line)
		}
		if a[i] == '\n' {
			line++
		}
	}
	return fmt.Sprintf("one is a prefix of the other, from line %d", line)
}

// TestGoldenJSONValid checks that each golden JSON file is the result model
// and agrees with the scenario's promises (so a careless -update is caught).
func TestGoldenJSONValid(t *testing.T) {
	for _, s := range scenario.All() {
		b, err := os.ReadFile(filepath.Join("testdata", "golden", s.ID+".json"))
		if err != nil {
			t.Fatalf("%v (run go test ./samples/ -run Golden -update)", err)
		}
		var r analyze.Result
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatalf("%s: %v", s.ID, err)
		}
		if len(r.Findings) != len(s.Findings) {
			t.Errorf("%s: golden has %d findings, scenario promises %d", s.ID, len(r.Findings), len(s.Findings))
			continue
		}
		for i, p := range s.Findings {
			if f := r.Findings[i]; f.KBID != p.KBID || f.Count != p.Count() {
				t.Errorf("%s: golden finding %d is %s ×%d, promise %s ×%d", s.ID, i, f.KBID, f.Count, p.KBID, p.Count())
			}
		}
		for _, in := range r.Inputs {
			if !strings.HasPrefix(in.Path, "samples/"+s.ID+"/") {
				t.Errorf("%s: input path %q is not relative to the repository", s.ID, in.Path)
			}
		}
	}
}

// TestCaseOverlappingCopies checks that reading the customer case together
// with overlapping copies of its logs (a second full copy of every file, read
// first, and a copy of each Operational log holding only its first chunk)
// gives the same analysis as reading it once.
func TestCaseOverlappingCopies(t *testing.T) {
	var s scenario.Scenario
	for _, x := range scenario.All() {
		if x.ID == "case-contoso" {
			s = x
		}
	}
	ins := scenarioInputs(t, s)
	one := analyse(t, ins...)

	var more []input
	for _, in := range ins {
		copyName := strings.Replace(in.name, "/case-contoso/", "/case-contoso/zz-copy/", 1)
		more = append(more, input{name: copyName, data: in.data})
		if strings.Contains(in.name, "Operational") && len(in.data) > evtxwrite.FileHeaderSize+evtxwrite.ChunkSize {
			more = append(more, input{name: strings.TrimSuffix(copyName, ".evtx") + "-first-chunk.evtx",
				data: in.data[:evtxwrite.FileHeaderSize+evtxwrite.ChunkSize]})
		}
	}
	more = append(more, ins...)
	two := analyse(t, more...)
	if len(two.Inputs) != len(more) {
		t.Fatalf("%d inputs, want %d", len(two.Inputs), len(more))
	}
	for _, part := range []struct {
		name string
		a, b any
	}{{"findings", one.Findings, two.Findings}, {"jobs", one.Jobs, two.Jobs}, {"service", one.Service, two.Service},
		{"timeline", one.Timeline, two.Timeline}, {"verdict", one.Verdict, two.Verdict}, {"window", one.Window, two.Window},
		{"computers", one.Computers, two.Computers}} {
		a, _ := json.Marshal(part.a)
		b, _ := json.Marshal(part.b)
		if !bytes.Equal(a, b) {
			t.Errorf("%s differ between one copy and overlapping copies (%s)", part.name, firstDiff(a, b))
		}
	}
}
