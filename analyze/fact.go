package analyze

import (
	"strings"
	"time"
	"unicode/utf8"

	"bitsdiag/parse"
)

// Limits on what the analysis keeps of one event, so memory is bounded by
// the number of relevant records, not by what a hostile log puts in them.
const (
	maxFactString = 4 << 10  // bytes kept of one payload value
	maxFactBinary = 1 << 10  // larger <Binary> blobs are not SCM service keys; dropped
	maxInterned   = 1 << 16  // distinct strings shared through the intern table
	maxInternSize = 32 << 20 // bytes of those strings
	maxLoneString = 256      // bytes kept of a value once the intern table is full
	maxFactFields = 64       // payload fields kept of one event
)

// Fact is the part of one relevant event the analysis keeps: the record's
// identity and time, and only the payload fields its source reads (values
// capped at maxFactString, shared through an intern table). Facts are what
// jobs, transfer attempts, service events and failure occurrences are built
// from. A non-event source makes Facts of its own (Analyzer.AddFact).
type Fact struct {
	Source      parse.Source // where the record is (File, Chunk, Offset)
	Recovered   bool         // a stale record recovered from chunk slack
	RecordID    uint64
	TimeCreated time.Time
	Computer    string
	Channel     string
	Provider    string
	EventID     uint16
	Level       uint8         // the record's level (2 error, 3 warning, 4 information, 0 log always)
	Data        []parse.Field // the kept fields, in record order
	Binary      []byte        // EventData <Binary>, nil when absent or over maxFactBinary
}

// Lookup returns the value of the first kept field called name.
func (f *Fact) Lookup(name string) (string, bool) {
	for _, d := range f.Data {
		if d.Name == name {
			return d.Value, true
		}
	}
	return "", false
}

// Value returns the value of the first kept field called name, or "".
func (f *Fact) Value(name string) string {
	v, _ := f.Lookup(name)
	return v
}

// interner shares equal strings between facts. It is not safe for
// concurrent use (the Analyzer holds its lock).
type interner struct {
	m     map[string]string
	bytes int // total length of the strings in m
}

func newInterner() *interner { return &interner{m: map[string]string{}} }

// str returns s capped at maxFactString bytes (at a rune boundary), shared
// with earlier equal strings. Once the table holds maxInterned strings or
// maxInternSize bytes, new ones are kept only to maxLoneString bytes, so
// distinct values cannot make a record cost more than a few hundred bytes.
func (t *interner) str(s string) string {
	s = clipUTF8(s, maxFactString)
	if s == "" {
		return ""
	}
	if v, ok := t.m[s]; ok {
		return v
	}
	if len(t.m) >= maxInterned || t.bytes+len(s) > maxInternSize {
		return strings.Clone(clipUTF8(s, maxLoneString))
	}
	v := strings.Clone(s)
	t.m[v] = v
	t.bytes += len(v)
	return v
}

// clipUTF8 cuts s to at most n bytes without splitting a rune.
func clipUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// factMaker turns events into facts, keeping the fields each provider's
// source (and the knowledge base's conditions) read.
type factMaker struct {
	strs   *interner
	fields map[string]map[string]bool // lower-case provider -> kept field names
	// lastProvider and lastKeep remember the last event's provider and its
	// fields entry: consecutive events nearly always share a provider.
	lastProvider string
	lastKeep     map[string]bool
}

func newFactMaker(c *catalog, kb *KB) *factMaker {
	m := &factMaker{strs: newInterner(), fields: map[string]map[string]bool{}}
	keep := func(provider, name string) {
		if name == "" {
			return
		}
		k := strings.ToLower(provider)
		if m.fields[k] == nil {
			m.fields[k] = map[string]bool{}
		}
		m.fields[k][name] = true
	}
	for _, s := range c.list {
		for _, p := range s.Providers() {
			for _, f := range s.Fields() {
				keep(p, f)
			}
		}
	}
	if kb != nil {
		for k, r := range kb.rules {
			for _, f := range r.codeFields {
				keep(k.provider, f)
			}
		}
		for _, en := range kb.Entries {
			for _, sig := range en.Events {
				keep(sig.Provider, sig.CodeField)
				for f := range sig.Match {
					keep(sig.Provider, f)
				}
			}
		}
	}
	return m
}

// fact makes the Fact of a relevant event.
func (m *factMaker) fact(e *parse.Event) *Fact {
	s := m.strs.str
	f := &Fact{
		Source:    parse.Source{File: s(e.Source.File), Chunk: e.Source.Chunk, Offset: e.Source.Offset},
		Recovered: e.Recovered, RecordID: e.RecordID, TimeCreated: e.TimeCreated,
		Computer: s(e.Computer), Channel: s(e.Channel), Provider: s(e.Provider), EventID: e.EventID,
		Level: e.Level,
	}
	if e.Provider != m.lastProvider || m.lastKeep == nil {
		// f.Provider, not e.Provider: the event's strings may be reused
		// once AddEvent returns (pipeline.Options.Recycle).
		m.lastProvider, m.lastKeep = f.Provider, m.fields[strings.ToLower(e.Provider)]
	}
	keep := m.lastKeep
	n := 0
	for _, d := range e.Data {
		if keep[d.Name] {
			n++
		}
	}
	if n > 0 {
		f.Data = make([]parse.Field, 0, min(n, maxFactFields))
		for _, d := range e.Data {
			if keep[d.Name] && len(f.Data) < maxFactFields {
				f.Data = append(f.Data, parse.Field{Name: s(d.Name), Value: s(d.Value)})
			}
		}
	}
	if len(e.Binary) > 0 && len(e.Binary) <= maxFactBinary {
		f.Binary = append([]byte(nil), e.Binary...)
	}
	return f
}
