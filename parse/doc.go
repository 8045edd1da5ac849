// Package parse reads Windows event logs (.evtx) into typed events, streaming
// and damage-tolerant.
//
// # Format handling
//
// An .evtx file is a 4096-byte file header followed by 64 KiB chunks. The
// reader does its own framing and uses github.com/0xrawsec/golang-evtx only
// to decode BinXML template definitions:
//
//   - File header: magic "ElfFile\0", CRC32 of its first 120 bytes, flags
//     (dirty 0x1, full 0x2, no-CRC32 0x4; undefined bits are reported and
//     ignored). A bad header is reported, not fatal: NewReader fails with a
//     *FormatError only when there is neither a header nor a chunk at 4096.
//   - Chunks: every 64 KiB slot the file size holds is read (the header's
//     chunk count is not trusted: logs copied while in use under-count). A slot
//     must start with "ElfChnk\0"; all-zero slots are unused, anything else is
//     a bad chunk and skipped. The chunk header CRC32 (bytes 0-120 and
//     128-512) and the records CRC32 (512 up to the free-space offset) are
//     checked and mismatches reported; records are read regardless, since a
//     CRC cannot say which record is damaged. With the no-CRC32 flag set the
//     mismatches are reported as expected. When the header CRC32 fails, the
//     free-space offset is trusted only if the records CRC32 up to it
//     matches; else the end of the last record the header names, or of the
//     run of records whose ids lie in the header's first..last ids, is used
//     where the records CRC32 matches, and without a match records outside
//     those ids count as stale, not live.
//   - Records: walked by their headers ("**\0\0", size, record id, FILETIME,
//     size copy at the end) from offset 512 to the free-space offset. Bytes
//     that are not a record header are skipped to the next plausible header;
//     a record whose size copy is wrong is reported and decoded anyway.
//   - Slack: records after the free-space offset are stale data left from an
//     earlier use of the chunk, not live events. They are counted
//     (Summary.SlackRecords) and returned only with Options.RecoverSlack,
//     marked Event.Recovered; their templates are looked up by template id
//     in the chunk when the definition they point at was overwritten, and
//     when only the payload template is gone the event is returned with its
//     System fields and Event.Partial set.
//   - A trailing partial chunk (file size not 4096 + n*65536) yields its
//     whole records; the record cut by the end of the file is undecodable.
//
// # Decoding
//
// A record is a BinXML fragment holding a template instance: a reference to a
// template definition (kept once per chunk) and an array of typed
// substitution values. The reader reads the instance and the value array
// itself, compiles each template definition once per chunk (golang-evtx
// parses the definition's BinXML, under recover) and renders values from
// their bytes: decimal integers, 0x-hex for HexInt32/64, GUIDs
// upper-case without braces, FILETIME/SYSTEMTIME as RFC 3339 with full
// 100 ns precision, SIDs as S-1-..., binary as upper-case hex. Payloads held
// as nested BinXML in a substitution (the usual layout, and CAPI2's) are
// decoded the same way, in document order. Damage golang-evtx parses
// through makes the record undecodable: a template definition whose BinXML
// does not end at its declared size (unless the size is what is damaged:
// the record holding the definition cannot be framed with it), an instance
// BinXML value its template does not reference (the nested payload would
// be lost), and a substitution that is rendered or searched for nested
// BinXML but is missing from the instance. Real logs have none of these;
// they do have substitutions whose declared type differs from the value's
// (NULL for optional values, SizeT written as HexInt64), which the value's
// type decides. Templates of chunks whose CRC32s verify are shared across
// chunks and files by template GUID, in one process-wide cache bounded by
// count and compile cost.
//
// # Pre-filter
//
// Options.Filter is called with a Peek before the full decode. From the
// compiled template the reader knows where Provider Name, EventID, Channel,
// each EventData Data and Binary live (static text or a substitution index),
// so a Peek costs reading the instance header and value descriptors: no
// BinXML walk and, for static or repeated strings, no allocation. Records the
// filter rejects are counted in Summary.RecordsFiltered.
//
// # Damage model
//
// Nothing is dropped without a count. Every record whose header is found is
// seen, and is then decoded, filtered out, or undecodable (a *RecordError
// from Next, with offset, record id and reason, also listed as a "record"
// Problem):
//
//	RecordsSeen == RecordsDecoded + RecordsFiltered + RecordsUndecodable
//
// Slack records count in RecordsSeen only when recovered. Everything else
// found wrong (header flags and CRC, bad chunks, CRC mismatches, skipped
// bytes, truncation, chunk-count mismatch, slack) is a Problem with its
// chunk index, file offset and reason in Summary.Problems. A bad chunk or
// record never stops the file.
//
// # Limits
//
// A chunk is 64 KiB, but crafted BinXML can expand far beyond its bytes (a
// template that shows one nested fragment many times at every nesting level
// renders it exponentially often). Compiling templates and rendering records
// are bounded per template, per record and per chunk (limits.go), at least
// ten times what real logs need; a record over a limit is a *RecordError
// saying which limit, so no input makes the reader hang or exhaust memory.
// The process-wide template cache is bounded by count and by compile cost.
//
// # Concurrency and memory
//
// Chunks are read with one ReadAt each and decoded by Options.Workers
// goroutines; events come out in file order. At most twice as many chunks as
// workers are in flight, so memory does not depend on file size. Close stops
// the workers. golang-evtx logs through a process-wide logger, which the
// package lowers to critical messages once.
package parse
