package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"bitsdiag/analyze"
)

// TestCorpusSystemLogAlone (issue 12, done-when 1): every real System log
// of the corpus (whatever its folder: system/, large/, malformed/), read
// alone, is known as a System log, and the verdict says that job failures
// cannot be seen without the Bits-Client log, with the export command.
func TestCorpusSystemLogAlone(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpus(t), "*", "*.evtx"))
	systems := 0
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r, _, _ := jsonReport(t, nil, "-q", f)
			in := inputByPath(r, f)
			if in == nil || len(in.Channels) != 1 || in.Channels[0] != "System" || in.Skipped != "" {
				if strings.Contains(filepath.Base(f), "System") && strings.HasPrefix(filepath.Base(filepath.Dir(f)), "system") {
					t.Errorf("a log of system/ is not known as System: %+v", in)
				}
				return // not a System log (or not readable as one)
			}
			systems++
			if strings.Contains(r.Verdict, "No System log") {
				t.Errorf("verdict calls the System log missing: %s", r.Verdict)
			}
			if !strings.Contains(r.Verdict, "no Bits-Client log, so BITS job failures") ||
				!strings.Contains(r.Verdict, `wevtutil epl Microsoft-Windows-Bits-Client/Operational`) {
				t.Errorf("verdict does not say job failures cannot be seen: %s", r.Verdict)
			}
		})
	}
	t.Logf("%d System logs of %d files", systems, len(files))
	if systems < 15 {
		t.Errorf("%d System logs in the corpus, want at least 15 (system/ alone has 15)", systems)
	}
}

// TestCorpusTugixPair (issue 12, done-when 2 and 3): the pair names both
// computers, warns that they do not overlap, gives the service per computer;
// the recovered E_INVALIDARG and missing-file-size findings blame no proxy
// and rank below every finding that needs action.
func TestCorpusTugixPair(t *testing.T) {
	c := corpus(t)
	sys := filepath.Join(c, "system", "tugix456_randaodcxjj_System.evtx")
	bits := filepath.Join(c, "bits", "tugix456_randaodcxjj_Bits-Client-Operational.evtx")
	for _, p := range []string{sys, bits} {
		if _, err := os.Stat(p); err != nil {
			t.Skip(err)
		}
	}
	r, _, _ := jsonReport(t, nil, "-q", sys, bits)
	for _, w := range []string{"DESKTOP-HB59U74", "DESKTOP-P2NAHG6", "do not overlap"} {
		if !strings.Contains(strings.Join(r.InputWarnings, " "), w) || !strings.Contains(r.Verdict, w) {
			t.Errorf("warnings/verdict lack %q: %q", w, r.InputWarnings)
		}
	}
	if len(r.Services) != 1 || r.Services[0].Computer != "DESKTOP-HB59U74" || r.Services[0].StartTypeEnd != "demand start" {
		t.Errorf("services %+v, want one row for DESKTOP-HB59U74 (demand start)", r.Services)
	}
	// The table leads with the System log's Windows Update install failure
	// (an error nobody recovered from); the verdict leads with it too.
	if len(r.Findings) == 0 || r.Findings[0].KBID != "wu-install-failure" || !strings.HasPrefix(r.Verdict, "Windows Update reported 1 failure") {
		t.Errorf("table leads with %v, verdict with %.80q: they must lead with the same finding", kbIDsOf(r), r.Verdict)
	}

	r, _, _ = jsonReport(t, nil, "-q", bits)
	seenRecovered := false
	for i, f := range r.Findings {
		if f.Status == analyze.StatusRecovered {
			seenRecovered = true
		} else if seenRecovered && analyze.NeedsAction(&r.Findings[i]) {
			t.Errorf("%s %s needs action but ranks below a recovered finding", f.ID, f.KBID)
		}
		if f.KBID != "job-invalid-arg" && f.KBID != "job-missing-file-size" {
			continue
		}
		if f.Status != analyze.StatusRecovered || len(f.Proxies) != 0 || f.Variant != "proxy absent" {
			t.Errorf("%s: status %q proxies %v variant %q", f.KBID, f.Status, f.Proxies, f.Variant)
		}
		for _, s := range append(append([]analyze.Step(nil), f.Fix...), f.Verify...) {
			for _, cmd := range s.Commands {
				if strings.Contains(cmd, "proxy") {
					t.Errorf("%s: proxy-blaming step %q", f.KBID, cmd)
				}
			}
		}
		if want := map[string]int{"job-invalid-arg": 1, "job-missing-file-size": 5}[f.KBID]; analyze.Failures(&f) != want {
			t.Errorf("%s: %d failures, want %d", f.KBID, analyze.Failures(&f), want)
		}
	}
	if !strings.HasPrefix(r.Verdict, "No BITS problem needs action: 4 problems recovered by themselves.") {
		t.Errorf("verdict %q", r.Verdict)
	}
}
