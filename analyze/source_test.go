package analyze

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"bitsdiag/parse"
)

// toySource is a source written in this test file only: one provider and one
// event id, with nothing of its own but a rule (issue 11, done-when 1).
type toySource struct{}

const toyProvider = "Contoso-Toy-Agent"

func (toySource) Name() string        { return "toy" }
func (toySource) Providers() []string { return []string{toyProvider} }
func (toySource) Channels() []string  { return []string{"Contoso-Toy/Operational"} }
func (toySource) Relevant(r parse.Fields) bool {
	id, ok := r.RecordEventID()
	return strings.EqualFold(r.RecordProvider(), toyProvider) && (!ok || id == 99)
}
func (toySource) Fields() []string { return []string{"detail"} }
func (toySource) Events() []uint16 { return []uint16{99} }

// writeKB writes a --kb file with one entry holding the given signatures,
// and the event rules given (JSON array items), if any.
func writeKB(t *testing.T, id, events string, rules ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "extra.json")
	body := `{"schema": 1, "event_rules": [` + strings.Join(rules, ",") + `], "entries": [{"id": "` + id + `", "kind": "section", "title": "Toy agent broke", "severity": "warning",
		"section": "Toy", "events": ` + events + `, "cause": "The toy agent broke.", "fix": [{"text": "Restart the toy agent."}]}]}`
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestToySource(t *testing.T) {
	srcs := append(DefaultSources(), toySource{})
	kbFile := writeKB(t, "toy-broke", `[{"provider": "`+toyProvider+`", "event_id": 99, "match": {"detail": "broken"}}]`,
		`{"provider": "`+toyProvider+`", "event_id": 99, "policy": "event-first", "scope": "service", "no_status": true}`)
	kb, err := LoadKBFor(srcs, kbFile)
	if err != nil {
		t.Fatal(err)
	}
	ev := func(rec uint64, id uint16, detail string) *parse.Event {
		e := sysEv(toyProvider, rec, int(rec), id, nil, "detail", detail, "noise", strings.Repeat("x", 100))
		e.Channel = "Contoso-Toy/Operational"
		return e
	}
	a := New(Options{KB: kb, Sources: srcs})
	a.AddEvent(ev(1, 99, "broken"))
	a.AddEvent(ev(2, 99, "fine"))   // the signature's condition does not hold
	a.AddEvent(ev(3, 98, "broken")) // not an event the source handles
	a.AddEvent(bitsEv(4, 4, 16392, 0, "ErrorCode", "0x80070005"))
	r := mustResult(a)
	f := findingByKB(r, "toy-broke")
	if f == nil {
		t.Fatalf("no toy finding: %v", kbIDs(r))
	}
	if f.Count != 1 || f.Evidence[0].RecordID != 1 || f.Severity != SeverityWarning {
		t.Errorf("toy finding: count %d, evidence %+v, severity %s", f.Count, f.Evidence, f.Severity)
	}
	if findingByKB(r, "service-start-failed") == nil && len(r.Findings) < 2 {
		t.Errorf("the built-in sources stopped working beside the toy one: %v", kbIDs(r))
	}
	sel := Select(srcs)
	if !sel.KeepChannel("Contoso-Toy/Operational") || !sel.Relevant(ev(5, 99, "")) || sel.Relevant(ev(6, 98, "")) {
		t.Error("the toy source's channel or relevance is not used by the reader's selection")
	}
	// Without the toy source, its signature is refused.
	if _, err := LoadKB(kbFile); err == nil {
		t.Error("a signature for a provider no source reads was accepted")
	}
}

// TestKBSignaturesBindToSources: a signature must name a provider and event
// id a source handles and a code field the event has (done-when 2).
func TestKBSignaturesBindToSources(t *testing.T) {
	for _, tc := range []struct{ name, events, want string }{
		{"provider", `[{"provider": "Microsoft-Windows-Kernel-Power", "event_id": 41}]`, `provider "Microsoft-Windows-Kernel-Power" is not read by any source`},
		{"wu event id", `[{"provider": "Microsoft-Windows-WindowsUpdateClient", "event_id": 45}]`, "event 45 is not handled by source windows-update"},
		{"do event id", `[{"provider": "Microsoft-Windows-DeliveryOptimization", "event_id": 0}]`, "event 0 is not handled by source delivery-optimization"},
		{"event id", `[{"provider": "Microsoft-Windows-Bits-Client", "event_id": 99}]`, "event 99 is not handled by source bits-client"},
		{"code field", `[{"provider": "Microsoft-Windows-Bits-Client", "event_id": 60, "code_field": "hresult"}]`, `code_field "hresult"`},
		{"scm event", `[{"provider": "Service Control Manager", "event_id": 7045}]`, "event 7045 is not handled by source scm"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := writeKB(t, "bad-sig", tc.events)
			b, _ := os.ReadFile(p) // the entry needs a code for its code_field
			os.WriteFile(p, []byte(strings.Replace(string(b), `"kind": "section",`, `"kind": "section", "codes": ["0x80DEAD01"],`, 1)), 0o644)
			_, err := LoadKB(p)
			var ke *KBError
			if !errors.As(err, &ke) {
				t.Fatalf("error %v, want a *KBError", err)
			}
			if msg := err.Error(); !strings.Contains(msg, p) || !strings.Contains(msg, `"bad-sig"`) || !strings.Contains(msg, tc.want) {
				t.Errorf("error %q: want the file, the entry and %q", msg, tc.want)
			}
		})
	}
}

// TestKBSignatureForUnmentionedEvent: an event id a source handles that the
// embedded knowledge base never names gets findings from a --kb signature.
func TestKBSignatureForUnmentionedEvent(t *testing.T) {
	kb := mustKB(t)
	mentioned := map[uint16]bool{}
	for _, en := range kb.Entries {
		for _, sig := range en.Events {
			if strings.EqualFold(sig.Provider, ProviderBITS) {
				mentioned[sig.EventID] = true
			}
		}
	}
	var id uint16
	for _, i := range ruleIDs(bitsRules) {
		if r := bitsRules[i]; !mentioned[i] && r.policy != codeOnly && r.fallbackID == "" {
			id = i
			break
		}
	}
	if id == 0 {
		t.Skip("every Bits-Client rule event is named by the embedded knowledge base")
	}
	t.Logf("event %d", id)
	p := writeKB(t, "site-specific", `[{"provider": "Microsoft-Windows-Bits-Client", "event_id": `+strconv.Itoa(int(id))+`}]`)
	withKB, err := LoadKB(p)
	if err != nil {
		t.Fatal(err)
	}
	e := bitsEv(1, 0, id, 0, "jobId", "{00000000-0000-0000-0000-000000000001}")
	if r := analyse(t, Options{}, e); len(r.Findings) != 0 {
		t.Fatalf("event %d: findings %v without the signature", id, kbIDs(r))
	}
	r := analyse(t, Options{KB: withKB}, e)
	if !slices.Contains(kbIDs(r), "site-specific") {
		t.Errorf("event %d with a --kb signature: findings %v, want site-specific", id, kbIDs(r))
	}
}

// TestEmbeddedKB: the embedded knowledge base loads against the default
// sources; a failure here is a build that must not ship (New never falls
// back to an empty knowledge base).
func TestEmbeddedKB(t *testing.T) {
	kb, err := LoadKB()
	if err != nil {
		t.Fatal(err)
	}
	if len(kb.Entries) < 20 {
		t.Fatalf("%d entries", len(kb.Entries))
	}
	a := New(Options{})
	if a.kbErr != nil || a.kb == nil || len(a.kb.Entries) != len(kb.Entries) {
		t.Errorf("New without a KB: err %v", a.kbErr)
	}
}

// TestRelativeWindow: --since 72h counts back from the newest relevant event
// of the whole stream, resolved inside the analysis.
func TestRelativeWindow(t *testing.T) {
	evs := []*parse.Event{
		bitsEv(1, 0, 16392, 0, "ErrorCode", "0x80070005"),
		bitsEv(2, 60*24*5, 16392, 0, "ErrorCode", "0x80070005"),
		bitsEv(3, 60*24*6, 16392, 0, "ErrorCode", "0x80070005"),
	}
	a := New(Options{SinceAgo: 48 * time.Hour})
	for i := len(evs) - 1; i >= 0; i-- {
		a.AddEvent(evs[i])
	}
	r := mustResult(a)
	if r.Window.Since == nil || !r.Window.Since.Equal(evs[2].TimeCreated.Add(-48*60*60*1e9)) {
		t.Fatalf("since %v", r.Window.Since)
	}
	if !r.Window.Start.Equal(evs[1].TimeCreated) {
		t.Errorf("window start %v", r.Window.Start)
	}
	n := 0
	for _, f := range r.Findings {
		n += f.Count
	}
	if n != 2 {
		t.Errorf("%d failures in the window, want 2", n)
	}
}

// snapshotSource is a non-event source (like a parsed "sc qc bits"): no
// channels, no reader; its facts come through AddFact.
type snapshotSource struct{}

const snapshotProvider = "bitsdiag-snapshot/toy-sc-qc"

func (snapshotSource) Name() string        { return "toy-snapshot" }
func (snapshotSource) Providers() []string { return []string{snapshotProvider} }
func (snapshotSource) Channels() []string  { return nil }
func (snapshotSource) Relevant(r parse.Fields) bool {
	return strings.EqualFold(r.RecordProvider(), snapshotProvider)
}
func (snapshotSource) Fields() []string { return []string{"start_type"} }
func (snapshotSource) Events() []uint16 { return []uint16{1} }

func TestNonEventSource(t *testing.T) {
	srcs := append(DefaultSources(), snapshotSource{})
	kb, err := LoadKBFor(srcs, writeKB(t, "snapshot-disabled",
		`[{"provider": "`+snapshotProvider+`", "event_id": 1, "match": {"start_type": "DISABLED"}}]`,
		`{"provider": "`+snapshotProvider+`", "event_id": 1, "policy": "event-first", "scope": "service", "no_status": true}`))
	if err != nil {
		t.Fatal(err)
	}
	a := New(Options{KB: kb, Sources: srcs})
	fact := func(v string) *Fact {
		return &Fact{Source: parse.Source{File: "sc-qc-bits.txt"}, Provider: snapshotProvider, EventID: 1,
			Computer: "PC1", TimeCreated: t0, Data: []parse.Field{{Name: "start_type", Value: v}}}
	}
	a.AddFact(fact("disabled"))
	a.AddFact(&Fact{Provider: "nobody", EventID: 1}) // no source: ignored
	r := mustResult(a)
	f := findingByKB(r, "snapshot-disabled")
	if f == nil || f.Count != 1 || f.Evidence[0].File != "sc-qc-bits.txt" {
		t.Fatalf("findings %v (%+v)", kbIDs(r), f)
	}
	if Select(srcs).KeepChannel("Security") {
		t.Error("a source without channels made the reader keep other logs")
	}
}

// TestKBEventRules: event rules are knowledge-base data, checked against
// the sources when the knowledge base loads.
func TestKBEventRules(t *testing.T) {
	sig := `[{"provider": "Microsoft-Windows-Bits-Client", "event_id": 62}]`
	for _, tc := range []struct{ name, rule, want string }{
		{"unhandled event", `{"provider": "Microsoft-Windows-Bits-Client", "event_id": 99, "policy": "event-first", "scope": "job"}`, "event 99 is not handled"},
		{"unknown provider", `{"provider": "Contoso", "event_id": 1, "policy": "event-first", "scope": "job"}`, `provider "Contoso" is not read by any source`},
		{"policy", `{"provider": "Microsoft-Windows-Bits-Client", "event_id": 62, "policy": "sometimes", "scope": "job"}`, `policy "sometimes"`},
		{"scope", `{"provider": "Microsoft-Windows-Bits-Client", "event_id": 62, "policy": "event-first", "scope": "world"}`, `scope "world"`},
		{"fallback", `{"provider": "Microsoft-Windows-Bits-Client", "event_id": 62, "policy": "event-first", "scope": "job", "fallback": "nope"}`, `unknown entry "nope"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := writeKB(t, "x", sig, tc.rule)
			_, err := LoadKB(p)
			if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v: want the file and %q", err, tc.want)
			}
		})
	}
	// A --kb rule replaces the built-in one: event 62 made code-only yields
	// no finding without a failure code.
	p := writeKB(t, "x", `[{"provider": "Microsoft-Windows-Bits-Client", "event_id": 63}]`,
		`{"provider": "Microsoft-Windows-Bits-Client", "event_id": 62, "policy": "code-only", "code_fields": ["hr"], "scope": "job"}`)
	kb, err := LoadKB(p)
	if err != nil {
		t.Fatal(err)
	}
	e := bitsEv(1, 0, 62, 0, "Owner", "u")
	if r := analyse(t, Options{}, e); len(r.Findings) != 1 {
		t.Fatalf("built-in rule: %v", kbIDs(r))
	}
	if r := analyse(t, Options{KB: kb}, e); len(r.Findings) != 0 {
		t.Errorf("replaced rule: %v", kbIDs(r))
	}
}
