package parse

// Peek is what the reader knows about a record before decoding it fully. It is
// passed to Options.Filter. Fields that cannot be learnt cheaply are left at
// their "unknown" values; a Filter must return true when it cannot decide.
type Peek struct {
	Provider string // provider name, "" if unknown
	EventID  int    // -1 if unknown
	Channel  string // "" if unknown

	data   func(name string) (string, bool)
	binary func() ([]byte, bool)
}

// Data returns the payload value called name (EventData Data Name=...) if it
// can be read without a full decode.
func (p *Peek) Data(name string) (string, bool) {
	if p.data == nil {
		return "", false
	}
	return p.data(name)
}

// Binary returns the EventData <Binary> bytes if they can be read without a full decode.
// The bytes are the reader's buffer: valid only during the Filter call.
func (p *Peek) Binary() ([]byte, bool) {
	if p.binary == nil {
		return nil, false
	}
	return p.binary()
}

// Filter decides, before the expensive decode, whether a record is wanted.
// It must return true when the Peek does not hold enough to decide.
type Filter func(*Peek) bool
