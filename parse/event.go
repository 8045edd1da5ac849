package parse

import "time"

// Source locates a record inside its file.
type Source struct {
	File   string // file name as given to the reader (Options.Name)
	Chunk  int    // chunk index, 0-based (the slot number: (offset-4096)/65536)
	Offset int64  // absolute byte offset of the record header in the file
}

// Field is one payload value: EventData <Data Name=...> or a flattened UserData element.
type Field struct {
	Name  string
	Value string // canonical text of the stored type (decimal ints, upper-case GUIDs without braces, RFC 3339 FILETIMEs)
}

// Event is one decoded record.
type Event struct {
	Source       Source
	Recovered    bool      // true for stale records recovered from chunk slack (Options.RecoverSlack)
	RecordID     uint64    // System/EventRecordID (what Event Viewer shows); the record header's id when absent
	TimeCreated  time.Time // UTC, full 100 ns precision
	Computer     string
	Channel      string
	Provider     string
	ProviderGUID string // upper-case, no braces
	EventID      uint16
	Qualifiers   uint16
	Version      uint8
	Level        uint8
	Task         uint16
	Opcode       uint8
	Keywords     uint64
	ActivityID   string // Correlation ActivityID, upper-case, no braces; "" when absent
	UserID       string // Security UserID (SID string); "" when absent
	Data         []Field
	Binary       []byte // raw bytes of EventData <Binary>, nil when absent
	// Partial is non-empty when only part of the record could be decoded; it
	// says what is missing. Only recovered slack records are returned
	// partially (their payload template is often overwritten); a live
	// record that cannot be decoded whole is a *RecordError.
	Partial string
}

// Lookup returns the value of the first payload field called name.
func (e *Event) Lookup(name string) (string, bool) {
	for _, f := range e.Data {
		if f.Name == name {
			return f.Value, true
		}
	}
	return "", false
}

// Value returns the value of the first payload field called name, or "".
func (e *Event) Value(name string) string {
	v, _ := e.Lookup(name)
	return v
}
