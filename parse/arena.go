package parse

import "unsafe"

// arena holds the text, bytes and fields of one chunk's decoded events in
// a few large blocks instead of one allocation per value. A block is never
// written below its length until reset, so strings made from it
// (unsafe.String, as strings.Builder does) do not change while the events
// are in use; a block stays alive while any event uses part of it. reset
// (Options.Recycle only) makes the blocks reusable: the events made from
// them must then be gone.
type arena struct {
	bytes  []byte  // current byte block
	fields []Field // current field block
	// recStart is where the current record's fields start in fields.
	recStart int
	// used and usedFields are the blocks filled before the current ones;
	// spare and spareFields are blocks reset for reuse.
	used, spare             [][]byte
	usedFields, spareFields [][]Field
}

// Block sizes: small first blocks keep the memory a filtered read (few
// decoded events, some kept by the caller) holds per chunk small; later
// ones amortise the allocation.
const (
	arenaMinBytes  = 4 << 10
	arenaMaxBytes  = 64 << 10
	arenaMinFields = 64
	arenaMaxFields = 1024
	// What reset keeps for reuse.
	arenaKeepBytes  = 512 << 10
	arenaKeepFields = 8 << 10
)

// copy returns a copy of b (len(b) > 0) stored in the arena; its capacity
// is its length, so appending to it cannot reach other values.
func (a *arena) copy(b []byte) []byte {
	a.reserve(len(b))
	start := len(a.bytes)
	a.bytes = append(a.bytes, b...)
	return a.bytes[start:len(a.bytes):len(a.bytes)]
}

// reserve makes room for n more bytes in the current block.
func (a *arena) reserve(n int) {
	if n <= cap(a.bytes)-len(a.bytes) {
		return
	}
	if a.bytes != nil {
		a.used = append(a.used, a.bytes)
	}
	if k := len(a.spare); k > 0 && cap(a.spare[k-1]) >= n {
		a.bytes, a.spare = a.spare[k-1], a.spare[:k-1]
		return
	}
	size := min(max(2*cap(a.bytes), arenaMinBytes), arenaMaxBytes)
	a.bytes = make([]byte, 0, max(size, n))
}

// tail returns the current block to append text to (after reserve);
// end then stores what was appended. Appending past the block's capacity
// is allowed: append moves the block, strings made before keep the old one.
func (a *arena) tail() []byte { return a.bytes }

// end keeps b (the block from tail with bytes appended after start) as the
// current block and returns the appended bytes as a string.
func (a *arena) end(b []byte, start int) string {
	a.bytes = b
	if len(b) == start {
		return ""
	}
	return unsafe.String(&b[start], len(b)-start)
}

// startRecord begins the fields of a new record.
func (a *arena) startRecord() { a.recStart = len(a.fields) }

// addField appends a field to the current record.
func (a *arena) addField(f Field) {
	if len(a.fields) == cap(a.fields) {
		cur := a.fields[a.recStart:]
		var next []Field
		if n := len(a.spareFields); n > 0 && cap(a.spareFields[n-1]) > len(cur) {
			next, a.spareFields = a.spareFields[n-1], a.spareFields[:n-1]
		} else {
			n := min(max(2*cap(a.fields), arenaMinFields), arenaMaxFields)
			next = make([]Field, 0, max(n, 2*len(cur)))
		}
		if a.recStart > 0 {
			a.usedFields = append(a.usedFields, a.fields[:a.recStart])
		} else if a.fields != nil {
			a.spareFields = append(a.spareFields, a.fields[:0])
		}
		a.fields = append(next, cur...)
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

// reset makes the blocks reusable, keeping at most arenaKeepBytes and
// arenaKeepFields of them: a chunk that rendered far more text (crafted
// input may render up to chunkRender) does not pin that memory.
func (a *arena) reset() {
	if a.bytes != nil {
		a.used = append(a.used, a.bytes)
	}
	if a.fields != nil {
		a.usedFields = append(a.usedFields, a.fields)
	}
	kept := 0
	for _, b := range a.spare {
		kept += cap(b)
	}
	for _, b := range a.used {
		if kept += cap(b); kept <= arenaKeepBytes {
			a.spare = append(a.spare, b[:0])
		}
	}
	kept = 0
	for _, f := range a.spareFields {
		kept += cap(f)
	}
	for _, f := range a.usedFields {
		if kept += cap(f); kept <= arenaKeepFields {
			a.spareFields = append(a.spareFields, f[:0])
		}
	}
	clear(a.used)
	clear(a.usedFields)
	a.bytes, a.fields, a.recStart = nil, nil, 0
	a.used, a.usedFields = a.used[:0], a.usedFields[:0]
}
