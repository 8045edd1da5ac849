package analyze

import (
	"slices"
	"strings"

	"bitsdiag/parse"
)

// bitsServiceKey is the BITS service key name; bitsDisplayName its English
// display name, used only when no language-independent key is present.
const (
	bitsServiceKey  = "BITS"
	bitsDisplayName = "Background Intelligent Transfer Service"
)

// scmSource reads Service Control Manager events about the BITS service
// (bits-facts §5): state and start-type changes, start failures, crashes.
type scmSource struct{}

func (scmSource) Name() string        { return "scm" }
func (scmSource) Providers() []string { return []string{ProviderSCM} }
func (scmSource) Channels() []string  { return []string{"System"} }

// scmEvents are the SCM event ids the analysis uses (bits-facts §5).
var scmEvents = []uint16{7000, 7001, 7003, 7009, 7011, 7022, 7023, 7024, 7031, 7032,
	7034, 7036, 7038, 7040, 7041, 7043, 7046}

// scmEvent reports whether the analysis uses an SCM event id.
func scmEvent(id uint16) bool { return slices.Contains(scmEvents, id) }

// Relevant decides whether an SCM record names the BITS service: by the
// service key in <Binary>, then 7040's param4, then (decoded records only)
// the key or display name in any payload field.
func (scmSource) Relevant(r parse.Fields) bool {
	if !strings.EqualFold(r.RecordProvider(), ProviderSCM) {
		return false
	}
	id, ok := r.RecordEventID()
	if ok && !scmEvent(id) {
		return false
	}
	if b, ok := r.BinaryValue(); ok && b != nil {
		if key, _, ok := binaryKey(b); ok {
			return strings.EqualFold(key, bitsServiceKey)
		}
	}
	if id == 7040 {
		if v, _ := r.FieldValue("param4"); strings.TrimSpace(v) != "" {
			return strings.EqualFold(strings.TrimSpace(v), bitsServiceKey)
		}
	}
	if !r.Decoded() || !ok {
		return true // the Peek cannot tell; the decoded record decides
	}
	found := false
	r.EachField(func(_, v string) bool {
		v = strings.TrimSpace(v)
		found = strings.EqualFold(v, bitsDisplayName) || strings.EqualFold(v, bitsServiceKey)
		return !found
	})
	return found
}

// Fields: SCM payloads are param1..param8.
func (scmSource) Fields() []string {
	return []string{"param1", "param2", "param3", "param4", "param5", "param6", "param7", "param8"}
}

// Events are the SCM event ids handled.
func (scmSource) Events() []uint16 { return scmEvents }

// correlate puts the event on the service timeline; handleSCM applies the
// rule itself.
func (scmSource) correlate(s *state, f *Fact, _ EventRule, _ bool) { s.handleSCM(f) }
