package analyze

import "strings"

// Provider names used in event signatures.
const (
	ProviderBITS = "Microsoft-Windows-Bits-Client"
	ProviderSCM  = "Service Control Manager"
)

// Record is what the analysis knows about one event when asking the
// knowledge base which entries it matches.
type Record struct {
	Provider string
	EventID  uint16
	// Service is the key name of the service an SCM record is about ("BITS"),
	// "" when unknown or not applicable.
	Service string
	// Field returns a payload value by name; nil means no payload.
	Field func(name string) (string, bool)
}

// Match is one entry a record matches, through one of its signatures.
type Match struct {
	Entry *Entry
	Sig   EventSig
	Code  uint32 // the code read from Sig.CodeField; 0 when the signature has none
}

// MatchRecord returns the entries whose signatures match the record: same
// provider and event id, the service condition, every Match condition, and,
// when the signature names a code field, a code in that field that belongs
// to the entry. Each entry appears at most once, with its first matching
// signature.
func (kb *KB) MatchRecord(r Record) []Match {
	if kb == nil {
		return nil
	}
	var out []Match
	for _, e := range kb.Entries {
		for _, sig := range e.Events {
			if m, ok := sig.matches(e, r); ok {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

// matches applies one signature to a record.
func (sig EventSig) matches(e *Entry, r Record) (Match, bool) {
	if sig.EventID != r.EventID || !sameProvider(sig.Provider, r.Provider) {
		return Match{}, false
	}
	if sig.Service != "" && !strings.EqualFold(sig.Service, strings.TrimSpace(r.Service)) {
		return Match{}, false
	}
	field := r.Field
	if field == nil {
		field = func(string) (string, bool) { return "", false }
	}
	for name, want := range sig.Match {
		got, ok := field(name)
		if !ok || !strings.EqualFold(strings.TrimSpace(got), want) {
			return Match{}, false
		}
	}
	m := Match{Entry: e, Sig: sig}
	if sig.CodeField != "" {
		raw, ok := field(sig.CodeField)
		if !ok {
			return Match{}, false
		}
		code, err := ParseCode(raw)
		if err != nil || !e.HasCode(code) {
			return Match{}, false
		}
		m.Code = code
	}
	return m, true
}

// sameProvider compares provider names without regard to case.
func sameProvider(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}
