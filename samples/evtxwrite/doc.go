// Package evtxwrite writes Windows XML Event Log (.evtx) files.
//
// It produces the on-disk format that Windows Vista and later write: a
// 4096-byte file header, 64 KiB chunks with a 512-byte chunk header (common
// string table with hash buckets, template pointer table, CRC32 checksums),
// and event records whose payload is Binary XML built from template
// definitions and template instances with typed substitution arrays.
//
// The package knows nothing about BITS or the Windows System element; callers
// describe templates (Element, Text, Sub) and supply typed values (String,
// UInt32, GUID, BinXML, ...). Output is deterministic: the same records give
// the same bytes.
//
// Damage can be produced on purpose for reliability tests: stale records in
// chunk slack (Writer.AddStale) and, on a finished file, a dirty flag, a
// stale header, bad checksums or a truncated tail (see damage.go).
package evtxwrite
