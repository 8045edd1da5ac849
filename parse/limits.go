package parse

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
)

// Limits on the work and memory one record and one chunk may cost. A chunk is
// 64 KiB, but crafted BinXML can expand far beyond its bytes:
//
//   - golang-evtx's parser can be made to recurse without end (a template
//     instance inside a definition pointing back at itself) or to re-read a
//     long name for every element that references it;
//   - a chunk can hold many overlapping "template definitions", one per
//     record pointing at a different offset;
//   - a template can reference one nested BinXML value many times at every
//     nesting level (work exponential in the depth), or one long string
//     value thousands of times.
//
// Compiling is bounded per template (compileOps read/seek operations and
// compileBytes bytes read, and maxParseStack frames of the parser's stack)
// and per chunk (chunkCompileOps, chunkCompileBytes); rendering is bounded per
// record (recordRender) and per chunk (chunkRender), in units of bytes of
// rendered text plus fieldCost per field and one per template node walked.
// Real chunks use a small fraction of each: across the corpus the largest
// chunk needs about 62,000 compile operations (CAPI2, whose payloads are
// BinXML element trees parsed for every record), 105 KB of compile reads
// and 154,000 render units, the largest record 20,000 units, the largest
// template about 1,000 operations. (Stale records pointing at overwritten
// definitions make golang-evtx parse garbage up to the per-template limits.)
const (
	compileOps        = 20000
	compileBytes      = 256 << 10
	chunkCompileOps   = 1000000
	chunkCompileBytes = 8 << 20
	maxParseStack     = 400
	// stackCheckAfter is the operation count from which the parser's stack
	// depth is checked (every 32 operations): runtime.Callers is costly and
	// real templates need at most about 1,000 operations, while a parse
	// this short cannot recurse deep enough to matter.
	stackCheckAfter = 2048

	recordRender = 1 << 20
	chunkRender  = 4 << 20
	fieldCost    = 32
)

// maxSharedTemplates and maxSharedWeight bound the templates a worker keeps
// across chunks, by count and by summed compile cost (template.weight).
const (
	maxSharedTemplates = 4096
	maxSharedWeight    = 32 << 20
)

// Panic values of an exhausted budgetReader.
var (
	errParseLimit      = errors.New("BinXML too complex or self-referencing (parser limits exceeded)")
	errChunkParseLimit = errors.New("the chunk's templates exceed the parser limits (crafted BinXML?)")
)

// budget is what a chunk may still spend on compiling and rendering.
type budget struct {
	compileOps, compileBytes int
	render                   int
}

func newBudget() budget {
	return budget{compileOps: chunkCompileOps, compileBytes: chunkCompileBytes, render: chunkRender}
}

// budgetReader is a bytes.Reader for golang-evtx that panics (with
// errParseLimit) when the parse exceeds its operations or bytes, or when the
// parser's stack gets deeper than maxParseStack frames. The caller recovers.
type budgetReader struct {
	*bytes.Reader
	ops, bytes int // left
	usedOps    int
	usedBytes  int
	pcs        [maxParseStack]uintptr
}

// newBudgetReader reads b within the per-template limits and what the
// chunk's budget still allows.
func newBudgetReader(b []byte, left *budget) *budgetReader {
	return &budgetReader{Reader: bytes.NewReader(b),
		ops: min(compileOps, left.compileOps), bytes: min(compileBytes, left.compileBytes)}
}

func (r *budgetReader) spend(n int) {
	r.usedOps++
	r.usedBytes += n
	switch {
	case r.usedOps > r.ops && r.ops < compileOps, r.usedBytes > r.bytes && r.bytes < compileBytes:
		panic(errChunkParseLimit)
	case r.usedOps > r.ops, r.usedBytes > r.bytes,
		r.usedOps >= stackCheckAfter && r.usedOps%32 == 0 && runtime.Callers(0, r.pcs[:]) == len(r.pcs):
		panic(errParseLimit)
	}
}

// Read implements io.Reader within the budget.
func (r *budgetReader) Read(p []byte) (int, error) {
	r.spend(len(p))
	return r.Reader.Read(p)
}

// Seek implements io.Seeker within the budget.
func (r *budgetReader) Seek(off int64, whence int) (int64, error) {
	r.spend(0)
	return r.Reader.Seek(off, whence)
}

// settle charges what the parse used to the chunk's budget and returns the
// template's weight (its share of a worker's template cache).
func (r *budgetReader) settle(left *budget) int {
	left.compileOps -= r.usedOps
	left.compileBytes -= r.usedBytes
	return r.usedBytes + 64*r.usedOps
}

// renderLimitError is the reason of a record that would render beyond the
// record's or the chunk's limit.
type renderLimitError struct{ chunk bool }

// Error says which limit the record reached.
func (e renderLimitError) Error() string {
	if e.chunk {
		return fmt.Sprintf("chunk renders more than %d units (crafted BinXML?); its remaining records are not decoded", chunkRender)
	}
	return fmt.Sprintf("record renders more than %d units (crafted BinXML references values too often?)", recordRender)
}

// charge spends n render units of the current record and of the chunk.
func (d *decoder) charge(n int) error {
	d.recordLeft -= n
	d.left.render -= n
	switch {
	case d.left.render < 0:
		return renderLimitError{chunk: true}
	case d.recordLeft < 0:
		return renderLimitError{}
	}
	return nil
}
