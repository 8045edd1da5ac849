package analyze

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"bitsdiag/parse"
)

// noEntry lists the rule events that deliberately have no knowledge-base
// entry, and why: they are not failures a support engineer has to fix, so
// they yield no finding (bits-facts §2.3-2.5).
var noEntry = map[uint16]string{
	7036:  "service state changes feed the service timeline and recovery; they are not failures",
	213:   "Analytic channel only; a transfer policy (cost, battery) pauses the job by design",
	307:   "performance warning (writing the job list is slow); the hang and slow-start entries cover its effects",
	308:   "performance warning (shutdown delayed by some seconds); 7043 covers a shutdown that fails",
	310:   "peer-caching helpers not initialised (routinely 0x80070032 on current Windows); transfers use the server",
	311:   "a peer transfer failed; BITS downloads from the server instead",
	312:   "cost interface unavailable, normal on Server; transfer policies are ignored",
	313:   "no connectivity reported by the Network List Manager; BITS retries by itself",
	16393: "an Internet gateway device answered badly; BITS ignores the device until reboot",
	16396: "peer-caching firewall rule not changed; peer caching only, not used by transfers from servers",
}

// ruleIDs returns the event ids of a rule table, sorted.
// bitsRules and scmRules are the embedded knowledge base's event rules of
// the two default sources.
var bitsRules, scmRules = rulesOf(ProviderBITS), rulesOf(ProviderSCM)

func rulesOf(provider string) map[uint16]EventRule {
	kb, err := LoadKB()
	if err != nil {
		panic(err) // TestEmbeddedKB reports it
	}
	out := map[uint16]EventRule{}
	for k, r := range kb.rules {
		if k.provider == strings.ToLower(provider) {
			out[k.id] = r
		}
	}
	return out
}

// TestRulesCoverSourceEvents: every event id a default source handles has
// a rule in the embedded knowledge base, and no rule is for another id.
func TestRulesCoverSourceEvents(t *testing.T) {
	for _, tab := range []struct {
		src   Source
		rules map[uint16]EventRule
	}{{bitsSource{}, bitsRules}, {scmSource{}, scmRules}, {wuSource{}, rulesOf(ProviderWU)}, {doSource{}, rulesOf(ProviderDO)}} {
		for _, id := range tab.src.Events() {
			if _, ok := tab.rules[id]; !ok {
				t.Errorf("%s event %d has no event rule", tab.src.Name(), id)
			}
		}
		if len(tab.rules) != len(tab.src.Events()) {
			t.Errorf("%s: %d rules for %d events", tab.src.Name(), len(tab.rules), len(tab.src.Events()))
		}
	}
}

func ruleIDs(m map[uint16]EventRule) []uint16 {
	ids := make([]uint16, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// TestRuleFallbacks checks that every fallback id names an entry of the
// embedded knowledge base with a signature for that event, so the KB is the
// only source of titles, causes and fixes.
func TestRuleFallbacks(t *testing.T) {
	kb := mustKB(t)
	for _, tab := range []struct {
		provider string
		rules    map[uint16]EventRule
	}{{ProviderBITS, bitsRules}, {ProviderSCM, scmRules}} {
		for _, id := range ruleIDs(tab.rules) {
			r := tab.rules[id]
			if r.fallbackID == "" {
				continue
			}
			en := kb.ByID(r.fallbackID)
			if en == nil {
				t.Errorf("%s %d: fallback %q is not in the knowledge base", tab.provider, id, r.fallbackID)
				continue
			}
			named := false
			for _, e := range kb.ByEvent(tab.provider, id) {
				named = named || e == en
			}
			if !named {
				t.Errorf("%s %d: fallback %q has no signature for the event", tab.provider, id, r.fallbackID)
			}
		}
	}
}

// TestRuleEventsHaveEntries checks that every event the rules recognise is
// named by a knowledge-base signature, or is listed in noEntry. Events whose
// code alone decides (codeOnly, e.g. the Analytic 200) reach entries by code.
func TestRuleEventsHaveEntries(t *testing.T) {
	kb := mustKB(t)
	for _, tab := range []struct {
		provider string
		rules    map[uint16]EventRule
	}{{ProviderBITS, bitsRules}, {ProviderSCM, scmRules}} {
		for _, id := range ruleIDs(tab.rules) {
			if tab.rules[id].policy == codeOnly {
				continue
			}
			named := len(kb.ByEvent(tab.provider, id)) > 0
			_, skip := noEntry[id]
			switch {
			case named && skip:
				t.Errorf("%s %d has an entry but is listed in noEntry", tab.provider, id)
			case !named && !skip:
				t.Errorf("%s %d has neither an entry nor a reason in noEntry", tab.provider, id)
			}
		}
	}
}

// TestEveryFindingHasFix feeds each rule event, with a code no entry lists
// in its code fields, and checks that every finding it yields has fix and
// verification steps. Only transfer events keep a finding of their own for
// an unknown code; the events in noEntry yield none.
func TestEveryFindingHasFix(t *testing.T) {
	var unknown uint32 = 0x80DEAD01
	for _, tab := range []struct {
		provider string
		rules    map[uint16]EventRule
	}{{ProviderBITS, bitsRules}, {ProviderSCM, scmRules}} {
		for _, id := range ruleIDs(tab.rules) {
			r := tab.rules[id]
			if id == 7036 || id == 7040 {
				continue // state and start-type changes; 7040 to disabled is tested in service_test.go
			}
			t.Run(fmt.Sprintf("%s-%d", strings.Fields(tab.provider)[0], id), func(t *testing.T) {
				var e *parse.Event
				if tab.provider == ProviderSCM {
					kv := []string{"param1", bitsDisplayName}
					for _, f := range r.codeFields {
						if f != "param1" {
							kv = append(kv, f, fmt.Sprintf("%%%%%d", int32(unknown)))
						}
					}
					e = scm(1, 0, id, u16("BITS"), kv...)
				} else {
					var kv []string
					for _, f := range r.codeFields {
						kv = append(kv, f, fmt.Sprint(unknown))
					}
					e = bitsEv(1, 0, id, 0, kv...)
					if isBITSSystemEvent(id) {
						e.Channel = "System"
					}
				}
				res := analyse(t, Options{}, e)
				_, skip := noEntry[id]
				if skip {
					if len(res.Findings) != 0 {
						t.Errorf("findings %v for an event without an entry", kbIDs(res))
					}
					return
				}
				if len(res.Findings) != 1 {
					t.Fatalf("findings %v, want one", kbIDs(res))
				}
				f := res.Findings[0]
				if f.KBID == "code-"+FormatCode(unknown) && len(r.codeFields) == 0 {
					t.Errorf("unknown-code finding for a %s event that carries no code", r.scope)
				}
				// Unknown codes get the knowledge base's triage procedures.
				if len(f.Fix) == 0 || len(f.Verify) == 0 || f.Cause == "" {
					t.Errorf("%s: %d fix and %d verification steps, cause %q", f.KBID, len(f.Fix), len(f.Verify), f.Cause)
				}
			})
		}
	}
}
