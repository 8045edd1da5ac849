package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEventsOnlyBITS: the README says events prints the records the report
// analyses; the healthy System log holds 37 SCM records, 22 of them about
// other services (issue 11, done-when 3).
func TestEventsOnlyBITS(t *testing.T) {
	const sys = "../../samples/healthy/System.evtx"
	code, out, errs := runCLI(t, nil, "events", sys)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	evs := eventLines(t, out)
	if len(evs) == 0 {
		t.Fatal("no records")
	}
	for _, e := range evs {
		if e["provider"] == "Service Control Manager" && !strings.Contains(string(mustJSON(t, e)), "BITS") &&
			!strings.Contains(string(mustJSON(t, e)), "Background Intelligent Transfer Service") {
			t.Errorf("record %v is not about BITS: %s", e["record_id"], mustJSON(t, e))
		}
	}
	_, all, _ := runCLI(t, nil, "events", "--all", sys)
	if n, m := len(evs), len(eventLines(t, all)); n >= m {
		t.Errorf("default prints %d records, --all %d: the default must leave out records not about BITS", n, m)
	}
	t.Logf("%d of %d records printed", len(evs), len(eventLines(t, all)))
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEventsAgreeWithReport: for every sample and corpus file, events prints
// exactly as many records of the file as the report says it analysed
// (records_analysed); both go through the same pipeline.
func TestEventsAgreeWithReport(t *testing.T) {
	dirs := []string{"../../samples"}
	if c := corpusDir(); c != "" {
		dirs = append(dirs, c)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			code, out, errs := runCLI(t, nil, "events", "-q", dir)
			if code != exitOK {
				t.Fatalf("events: exit %d: %s", code, errs)
			}
			perFile := map[string]int{}
			for _, e := range eventLines(t, out) {
				perFile[e["file"].(string)]++
			}
			code, rep, errs := runCLI(t, nil, "report", "-q", "-f", "json", dir)
			if code != exitOK {
				t.Fatalf("report: exit %d: %s", code, errs)
			}
			var res struct {
				Inputs []struct {
					Path     string `json:"path"`
					Analysed int    `json:"records_analysed"`
				} `json:"inputs"`
			}
			if err := json.Unmarshal([]byte(rep), &res); err != nil {
				t.Fatal(err)
			}
			if len(res.Inputs) < 2 {
				t.Fatalf("%d inputs", len(res.Inputs))
			}
			total := 0
			for _, in := range res.Inputs {
				if perFile[in.Path] != in.Analysed {
					t.Errorf("%s: events prints %d records, the report analysed %d", in.Path, perFile[in.Path], in.Analysed)
				}
				total += in.Analysed
				delete(perFile, in.Path)
			}
			for f, n := range perFile {
				t.Errorf("%s: events printed %d records of a file the report does not list", f, n)
			}
			t.Logf("%d files, %d records agree", len(res.Inputs), total)
		})
	}
}

// corpusDir is ../shared/evtx-corpus, or "" when absent.
func corpusDir() string {
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "evtx-corpus"))
	if err != nil {
		return ""
	}
	if _, err := os.Stat(dir); err != nil {
		return ""
	}
	return dir
}

func TestEventsFlags(t *testing.T) {
	const dir = "../../samples/case-contoso"
	_, base, _ := runCLI(t, nil, "events", "-j", "1", dir)
	all := eventLines(t, base)
	if len(all) == 0 {
		t.Fatal("no records")
	}
	t.Run("jobs", func(t *testing.T) {
		_, par, _ := runCLI(t, nil, "events", "-j", "4", dir)
		if par != base {
			t.Error("-j 4 output differs from -j 1")
		}
	})
	t.Run("output", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "ev.jsonl")
		code, stdout, errs := runCLI(t, nil, "events", "-o", out, dir)
		if code != exitOK || stdout != "" {
			t.Fatalf("exit %d, stdout %q: %s", code, stdout, errs)
		}
		b, err := os.ReadFile(out)
		if err != nil || string(b) != base {
			t.Errorf("-o file differs from stdout (%v)", err)
		}
		// A failing run leaves the old file alone.
		code, _, _ = runCLI(t, nil, "events", "-o", out, filepath.Join(t.TempDir(), "missing.evtx"))
		if b2, _ := os.ReadFile(out); code == exitOK || string(b2) != base {
			t.Errorf("failed run: exit %d, file replaced", code)
		}
	})
	t.Run("quiet", func(t *testing.T) {
		_, _, errs := runCLI(t, nil, "events", "-q", dir)
		if errs != "" {
			t.Errorf("-q: stderr %q", errs)
		}
		_, _, errs = runCLI(t, nil, "events", dir)
		if !strings.Contains(errs, "records:") {
			t.Errorf("without -q no summary: %q", errs)
		}
	})
	t.Run("event-id", func(t *testing.T) {
		_, out, _ := runCLI(t, nil, "events", "--event-id", "7036,59", "--event-id", "60", dir)
		evs := eventLines(t, out)
		want := 0
		for _, e := range all {
			if id := e["event_id"].(float64); id == 7036 || id == 59 || id == 60 {
				want++
			}
		}
		if len(evs) != want || want == 0 {
			t.Errorf("%d records, want %d", len(evs), want)
		}
		if code, _, _ := runCLI(t, nil, "events", "--event-id", "x", dir); code != exitUsage {
			t.Errorf("bad --event-id: exit %d", code)
		}
	})
	t.Run("computer", func(t *testing.T) {
		name := all[0]["computer"].(string)
		pat := strings.ToLower(name[:len(name)-2]) + "*"
		_, out, _ := runCLI(t, nil, "events", "--computer", pat, dir)
		n := 0
		for _, e := range all {
			if strings.HasPrefix(strings.ToLower(e["computer"].(string)), pat[:len(pat)-1]) {
				n++
			}
		}
		if got := len(eventLines(t, out)); got != n || n == 0 {
			t.Errorf("--computer %s: %d records, want %d", pat, got, n)
		}
		_, out, _ = runCLI(t, nil, "events", "--computer", "no-such-host", dir)
		if out != "" {
			t.Errorf("--computer no-such-host printed records")
		}
		_, rep, _ := runCLI(t, nil, "report", "-q", "-f", "json", "--computer", "no-such-host", dir)
		var res struct {
			Computers []string `json:"computers"`
		}
		if err := json.Unmarshal([]byte(rep), &res); err != nil || len(res.Computers) != 0 {
			t.Errorf("report --computer no-such-host: computers %v (%v)", res.Computers, err)
		}
		if code, _, _ := runCLI(t, nil, "events", "--computer", "[", dir); code != exitUsage {
			t.Errorf("bad --computer pattern: exit %d", code)
		}
	})
	t.Run("since", func(t *testing.T) {
		_, out, _ := runCLI(t, nil, "events", "--since", "1h", dir)
		evs := eventLines(t, out)
		if len(evs) == 0 || len(evs) >= len(all) {
			t.Errorf("--since 1h: %d of %d records", len(evs), len(all))
		}
		_, out, _ = runCLI(t, nil, "events", "--until", "2000-01-01", dir)
		if out != "" {
			t.Error("--until 2000-01-01 printed records")
		}
	})
}

// TestReportKBUnhandledSignature: a --kb signature no source handles is a
// usage error naming the file and the entry (issue 11, done-when 2).
func TestReportKBUnhandledSignature(t *testing.T) {
	p := filepath.Join(t.TempDir(), "site.json")
	body := `{"schema": 1, "entries": [{"id": "wu-20", "kind": "section", "title": "T", "severity": "error", "section": "S",
		"events": [{"provider": "Microsoft-Windows-Bits-Client", "event_id": 99}], "cause": "C", "fix": [{"text": "F"}]}]}`
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, nil, "report", "--kb", p, "../../samples/healthy")
	if code != exitUsage || out != "" {
		t.Fatalf("exit %d, stdout %d bytes, want exit 2", code, len(out))
	}
	if !strings.Contains(errs, p) || !strings.Contains(errs, `"wu-20"`) || !strings.Contains(errs, "event 99 is not handled") {
		t.Errorf("stderr %q: want the file, the entry and the reason", errs)
	}
	t.Log(strings.TrimSpace(errs))
}
