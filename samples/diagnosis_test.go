package samples

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"bitsdiag/analyze"
	"bitsdiag/parse"
	"bitsdiag/samples/scenario"
)

// scenarioByID returns the scenario with this id, or fails.
func scenarioByID(t *testing.T, id string) scenario.Scenario {
	t.Helper()
	for _, s := range scenario.All() {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no scenario %q", id)
	return scenario.Scenario{}
}

// TestDiagnosisSamples holds the issue 12 samples to what they show beyond
// their promised findings (which TestScenarioFindings checks).
func TestDiagnosisSamples(t *testing.T) {
	t.Run("status-no-retry-seen", func(t *testing.T) {
		r := analyse(t, scenarioInputs(t, scenarioByID(t, "status-no-retry-seen"))...)
		if len(r.Findings) != 1 || r.Findings[0].Status != analyze.StatusNoRetrySeen || r.Findings[0].RetrySeconds >= 600 ||
			!strings.Contains(r.Verdict, "no retry seen") || !analyze.NeedsAction(&r.Findings[0]) {
			t.Errorf("findings %+v\nverdict %s", r.Findings, r.Verdict)
		}
	})
	t.Run("windows-version", func(t *testing.T) {
		ins := scenarioInputs(t, scenarioByID(t, "windows-version"))
		r := analyse(t, ins...)
		w, ok := r.WindowsOf("WS-0761.contoso.local")
		if !ok || w.Version != "10.0.19045" || len(r.Matrix) != 1 || r.Matrix[0].Windows == nil {
			t.Fatalf("version %+v %v, matrix %+v", w, ok, r.Matrix)
		}
		// The analysed records are those events prints without --all: the
		// two 6009 records are read for the version but not counted.
		analysed, os := 0, 0
		rd, err := parse.NewReader(bytes.NewReader(ins[0].data), int64(len(ins[0].data)), parse.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for {
			e, err := rd.Next()
			if err == io.EOF {
				break
			} else if err != nil {
				t.Fatal(err)
			}
			if analyze.Select(nil).Analysed().Relevant(e) {
				analysed++
			}
			if e.EventID == 6009 {
				os++
			}
		}
		if len(r.Inputs) != 1 || r.Inputs[0].RecordsAnalysed != analysed || os != 2 || analysed == 0 {
			t.Errorf("records_analysed %+v, want %d (6009 records: %d)", r.Inputs, analysed, os)
		}
		f := r.Findings[0]
		if f.KBID != "start-service-not-in-exe" || !stepsMention(f.Fix, "-k netsvcs -p") || stepsMention(f.Fix, "EventSystem") {
			t.Errorf("repair procedure is not the Windows 10 variant: %+v", f.Fix)
		}
	})
	t.Run("info60-interruption", func(t *testing.T) {
		r := analyse(t, scenarioInputs(t, scenarioByID(t, "info60-interruption"))...)
		var edge *analyze.Job
		for i := range r.Jobs {
			if r.Jobs[i].Title == "Microsoft Edge Update" {
				edge = &r.Jobs[i]
			}
		}
		if len(r.Findings) != 0 || edge == nil || edge.Interruptions != 1 || edge.Outcome != "completed" ||
			len(edge.Errors) != 1 || edge.Errors[0].Code != "0x80040009" {
			t.Errorf("findings %d, edge job %+v", len(r.Findings), edge)
		}
	})
	t.Run("proxy absent vs present", func(t *testing.T) {
		absent := analyse(t, scenarioInputs(t, scenarioByID(t, "proxy-absent-recovered"))...)
		present := analyse(t, scenarioInputs(t, scenarioByID(t, "job-invalid-arg"))...)
		fa, fp := absent.Findings[0], present.Findings[0]
		if fa.Variant != "proxy absent" || fp.Variant != "" || len(fp.Proxies) != 1 {
			t.Errorf("variants %q (absent) %q (present, proxies %v)", fa.Variant, fp.Variant, fp.Proxies)
		}
		if strings.Contains(strings.ToLower(fa.Cause), "proxy server named") || stepsMention(fa.Fix, "proxy") {
			t.Errorf("proxy-absent finding blames the proxy: %s %+v", fa.Cause, fa.Fix)
		}
		if !stepsMention(fp.Fix, "setieproxy") {
			t.Errorf("proxy-present finding lost its proxy steps: %+v", fp.Fix)
		}
		if !strings.HasPrefix(absent.Verdict, "No BITS problem needs action: 1 problem recovered by itself.") {
			t.Errorf("verdict %s", absent.Verdict)
		}
	})
	t.Run("owner user: ERROR_NOT_LOGGED_ON", func(t *testing.T) {
		r := analyse(t, scenarioInputs(t, scenarioByID(t, "job-not-logged-on"))...)
		if len(r.Findings) != 1 || r.Findings[0].Variant != "owner user" || !strings.Contains(r.Findings[0].Cause, "only while that user is logged on") {
			t.Errorf("findings %+v", r.Findings)
		}
	})
	t.Run("system-only", func(t *testing.T) {
		r := analyse(t, scenarioInputs(t, scenarioByID(t, "system-only"))...)
		if len(r.Matrix) != 1 || len(r.Matrix[0].Missing) != 1 || r.Matrix[0].Missing[0].Kind != analyze.LogBITSClient {
			t.Fatalf("matrix %+v", r.Matrix)
		}
		if !strings.HasPrefix(r.Verdict, "No BITS service problems found") ||
			!strings.Contains(r.Verdict, "no Bits-Client log, so BITS job failures") ||
			!strings.Contains(r.Verdict, `wevtutil epl Microsoft-Windows-Bits-Client/Operational`) {
			t.Errorf("verdict %s", r.Verdict)
		}
		if len(r.Services) != 1 || r.Services[0].IdleCycles != 2 || r.Services[0].StateAtEnd != "running" {
			t.Errorf("services %+v", r.Services)
		}
	})
	t.Run("two-computers", func(t *testing.T) {
		r := analyse(t, scenarioInputs(t, scenarioByID(t, "two-computers"))...)
		w := strings.Join(r.InputWarnings, " ")
		for _, s := range []string{"2 different computers", "WS-0755.contoso.local", "WS-0756.contoso.local", "do not overlap"} {
			if !strings.Contains(w, s) || !strings.Contains(r.Verdict, s) {
				t.Errorf("warnings/verdict lack %q: %s", s, r.Verdict)
			}
		}
		if len(r.Services) != 1 || r.Services[0].Computer != "WS-0756.contoso.local" || r.Services[0].StateAtEnd != "stopped" ||
			!strings.Contains(r.Services[0].Note, "normal") {
			t.Errorf("services %+v", r.Services)
		}
		if len(r.Matrix) != 2 || len(r.Matrix[0].Missing) != 1 || len(r.Matrix[1].Missing) != 1 {
			t.Errorf("matrix %+v", r.Matrix)
		}
	})
}

// stepsMention reports whether a step's text or command contains s.
func stepsMention(steps []analyze.Step, s string) bool {
	for _, st := range steps {
		if strings.Contains(strings.ToLower(st.Text), s) {
			return true
		}
		for _, c := range st.Commands {
			if strings.Contains(strings.ToLower(c), s) {
				return true
			}
		}
	}
	return false
}
