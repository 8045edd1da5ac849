package parse

import "unsafe"

// arena holds the text, bytes and fields of decoded events in a few large
// blocks instead of one allocation per value. A block is never written
// below its length, so strings made from it (unsafe.String, as
// strings.Builder does) never change; a block stays alive while any event
// uses part of it. A worker keeps one arena across chunks.
type arena struct {
	bytes  []byte
	fields []Field
	// recStart is where the current record's fields start in fields.
	recStart int
}

// Block sizes: small first blocks keep the memory a filtered read (few
// decoded events, some kept by the caller) holds per chunk small; later
// ones amortise the allocation.
const (
	arenaMinBytes  = 4 << 10
	arenaMaxBytes  = 64 << 10
	arenaMinFields = 64
	arenaMaxFields = 1024
)

// str returns b as a string stored in the arena.
func (a *arena) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	p := a.copy(b)
	return unsafe.String(&p[0], len(p))
}

// copy returns a copy of b (len(b) > 0) stored in the arena; its capacity
// is its length, so appending to it cannot reach other values.
func (a *arena) copy(b []byte) []byte {
	if len(b) > cap(a.bytes)-len(a.bytes) {
		n := min(max(2*cap(a.bytes), arenaMinBytes), arenaMaxBytes)
		a.bytes = make([]byte, 0, max(n, len(b)))
	}
	start := len(a.bytes)
	a.bytes = append(a.bytes, b...)
	return a.bytes[start:len(a.bytes):len(a.bytes)]
}

// startRecord begins the fields of a new record.
func (a *arena) startRecord() { a.recStart = len(a.fields) }

// addField appends a field to the current record.
func (a *arena) addField(f Field) {
	if len(a.fields) == cap(a.fields) {
		cur := a.fields[a.recStart:]
		n := min(max(2*cap(a.fields), arenaMinFields), arenaMaxFields)
		a.fields = append(make([]Field, 0, max(n, 2*len(cur))), cur...)
		a.recStart = 0
	}
	a.fields = append(a.fields, f)
}

// recordFields returns the current record's fields (nil when none); the
// slice's capacity is its length.
func (a *arena) recordFields() []Field {
	if len(a.fields) == a.recStart {
		return nil
	}
	return a.fields[a.recStart:len(a.fields):len(a.fields)]
}
