package parse

import "strings"

// Fields is what a relevance decision may read of a record. Both *Peek (before
// the decode, where most answers may be unknown) and *Event (decoded, where
// every answer is known) satisfy it, so one predicate serves the pre-filter
// and the full check and the two cannot disagree.
type Fields interface {
	// RecordProvider is the provider name, "" when unknown.
	RecordProvider() string
	// RecordEventID is the event id; ok is false when unknown.
	RecordEventID() (id uint16, ok bool)
	// RecordChannel is the channel name, "" when unknown.
	RecordChannel() string
	// FieldValue returns the first payload field called name. known is false
	// when the record cannot tell (a Peek that would need a full decode) or
	// the field is absent.
	FieldValue(name string) (v string, known bool)
	// BinaryValue returns the EventData <Binary> bytes; known is false when
	// they cannot be read cheaply. Valid only during the call that got them.
	BinaryValue() (b []byte, known bool)
	// Decoded reports whether every field is known: an absent field is
	// absent, not merely unread.
	Decoded() bool
	// EachField calls fn for every payload field while fn returns true; it
	// does nothing when Decoded is false.
	EachField(fn func(name, value string) bool)
}

var (
	_ Fields = (*Peek)(nil)
	_ Fields = (*Event)(nil)
)

// RecordProvider implements Fields.
func (p *Peek) RecordProvider() string { return p.Provider }

// RecordEventID implements Fields.
func (p *Peek) RecordEventID() (uint16, bool) {
	if p.EventID < 0 || p.EventID > 0xFFFF {
		return 0, false
	}
	return uint16(p.EventID), true
}

// RecordChannel implements Fields.
func (p *Peek) RecordChannel() string { return p.Channel }

// FieldValue implements Fields.
func (p *Peek) FieldValue(name string) (string, bool) { return p.Data(name) }

// BinaryValue implements Fields.
func (p *Peek) BinaryValue() ([]byte, bool) { return p.Binary() }

// Decoded implements Fields: a Peek never knows every field.
func (p *Peek) Decoded() bool { return false }

// EachField implements Fields; a Peek has no complete payload to list.
func (p *Peek) EachField(func(name, value string) bool) {}

// RecordProvider implements Fields.
func (e *Event) RecordProvider() string { return e.Provider }

// RecordEventID implements Fields.
func (e *Event) RecordEventID() (uint16, bool) { return e.EventID, true }

// RecordChannel implements Fields.
func (e *Event) RecordChannel() string { return e.Channel }

// FieldValue implements Fields.
func (e *Event) FieldValue(name string) (string, bool) { return e.Lookup(name) }

// BinaryValue implements Fields.
func (e *Event) BinaryValue() ([]byte, bool) { return e.Binary, true }

// Decoded implements Fields.
func (e *Event) Decoded() bool { return true }

// EachField implements Fields.
func (e *Event) EachField(fn func(name, value string) bool) {
	for _, f := range e.Data {
		if !fn(f.Name, f.Value) {
			return
		}
	}
}

// NormGUID returns GUID text in canonical form: upper case, without braces
// and surrounding space. Other text is returned trimmed and upper-cased.
func NormGUID(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "{")
	s = strings.TrimSuffix(s, "}")
	return strings.ToUpper(strings.TrimSpace(s))
}
