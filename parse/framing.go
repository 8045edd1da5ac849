package parse

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
)

// recordLoc is one record found by walking a chunk's record headers.
type recordLoc struct {
	off   int // chunk-relative offset of the record header
	size  int
	id    uint64
	ft    uint64 // FILETIME of the record header (written time)
	slack bool   // stale record after the free-space offset
	// suspect: the record id lies outside the intact chunk header's ids in
	// a chunk whose records CRC32 fails; it stays out of the span.
	suspect bool
	bad     string // non-empty: the header is damaged; the record cannot be decoded
}

// chunkFrame is the result of validating a chunk and walking its records.
type chunkFrame struct {
	records  []recordLoc
	problems []Problem
	slack    int  // stale records found after the free-space offset
	intact   bool // header and records CRC32 verified: its templates may be shared
	free     int  // the free-space offset used
}

// validRecordAt reports whether a plausible record header starts at off and
// ends before end: magic, a size of at least 28 bytes and the size copy in the
// record's last four bytes.
func validRecordAt(buf []byte, off, end int) (size int, ok bool) {
	if off < 0 || off+recordHeaderLen > end || !bytes.Equal(buf[off:off+4], recordMagic) {
		return 0, false
	}
	size = int(binary.LittleEndian.Uint32(buf[off+4:]))
	if size < minRecordSize || size > end-off {
		return size, false
	}
	return size, int(binary.LittleEndian.Uint32(buf[off+size-4:])) == size
}

// nextRecord finds the next plausible record header in buf[from:end].
func nextRecord(buf []byte, from, end int) int {
	for from < end {
		i := bytes.Index(buf[from:end], recordMagic)
		if i < 0 {
			return -1
		}
		if _, ok := validRecordAt(buf, from+i, end); ok {
			return from + i
		}
		from += i + 1
	}
	return -1
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// frameChunk validates the chunk in buf (a whole 64 KiB slot, or the shorter
// trailing part of a truncated file) and walks its records. The caller has
// checked the magic. base is the chunk's file offset, idx its slot number.
func frameChunk(buf []byte, idx int, base int64, noCRC bool, f *chunkFrame) {
	f.records = f.records[:0]
	f.problems = f.problems[:0]
	f.slack = 0
	f.intact = false
	headerOK := false
	prob := func(kind string, off int, id uint64, reason string) {
		f.problems = append(f.problems, Problem{Kind: kind, Chunk: idx, Offset: base + int64(off), RecordID: id, Reason: reason})
	}
	crcNote := ""
	if noCRC {
		crcNote = " (expected: NO_CRC32 flag set)"
	}
	if len(buf) < chunkHeaderSize {
		prob("chunk-truncated", 0, 0, fmt.Sprintf("chunk cut after %d bytes, before the end of its header", len(buf)))
		return
	}
	if hs := binary.LittleEndian.Uint32(buf[40:]); hs != 128 {
		prob("chunk-header", 40, 0, fmt.Sprintf("chunk header size %d, want 128", hs))
	}
	h := crc32.NewIEEE()
	h.Write(buf[:120])
	h.Write(buf[128:chunkHeaderSize])
	if h.Sum32() != binary.LittleEndian.Uint32(buf[124:]) {
		prob("chunk-header-crc", 124, 0, "chunk header CRC32 mismatch"+crcNote)
	} else {
		headerOK = true
	}
	free := int(binary.LittleEndian.Uint32(buf[48:]))
	verified := headerOK || noCRC
	if !verified {
		free, verified = trustedFree(buf, free, idx, base, f)
	}
	end := free
	switch {
	case free < chunkHeaderSize || free > chunkSize:
		prob("chunk-free-space", 48, 0, fmt.Sprintf("free-space offset %d outside the chunk; walking records to the end", free))
		end = len(buf)
		free = len(buf)
	case free > len(buf):
		prob("chunk-truncated", len(buf), 0, fmt.Sprintf("chunk cut after %d bytes, records end at %d", len(buf), free))
		end = len(buf)
	default:
		if crc32.ChecksumIEEE(buf[chunkHeaderSize:free]) != binary.LittleEndian.Uint32(buf[52:]) {
			prob("chunk-data-crc", 52, 0, "chunk records CRC32 mismatch"+crcNote)
		} else {
			f.intact = headerOK
		}
	}
	// With a damaged header whose free-space offset no checksum confirms,
	// a record outside the header's first/last record ids is not a live
	// record of this chunk: stale data a damaged offset would let in.
	firstID, lastID := binary.LittleEndian.Uint64(buf[24:]), binary.LittleEndian.Uint64(buf[32:])
	plausible := firstID <= lastID && lastID-firstID < chunkSize/minRecordSize
	checkIDs := !verified && plausible
	// With an intact header but damaged records, a record id outside the
	// header's ids is a damaged record header: the record is still decoded,
	// but its id and time are kept out of the file's span.
	suspectIDs := headerOK && !f.intact && !noCRC && plausible
	f.free = free
	off := chunkHeaderSize
	for off < end {
		if end-off < recordHeaderLen || !bytes.Equal(buf[off:off+4], recordMagic) {
			if allZero(buf[off:end]) {
				break
			}
			next := nextRecord(buf, off+1, end)
			if next < 0 {
				prob("record-framing", off, 0, fmt.Sprintf("%d bytes without a record header before the free-space offset", end-off))
				break
			}
			prob("record-framing", off, 0, fmt.Sprintf("%d bytes without a record header skipped", next-off))
			off = next
			continue
		}
		id := binary.LittleEndian.Uint64(buf[off+8:])
		size, ok := validRecordAt(buf, off, end)
		if !ok && size >= minRecordSize && size <= end-off {
			// Plausible size but a wrong size copy: a partly written or
			// damaged record. Report it and still try to decode it.
			prob("record-size-copy", off, id, fmt.Sprintf("record size %d but size copy %d",
				size, binary.LittleEndian.Uint32(buf[off+size-4:])))
			ok = true
		}
		if !ok {
			reason := fmt.Sprintf("record size %d invalid (needs at least %d bytes, at most %d before the free-space offset)",
				size, minRecordSize, end-off)
			if size >= minRecordSize && off+size > len(buf) {
				reason = fmt.Sprintf("record of %d bytes cut by the end of the file", size)
			}
			f.records = append(f.records, recordLoc{off: off, id: id, bad: reason})
			next := nextRecord(buf, off+4, end)
			if next < 0 {
				break
			}
			off = next
			continue
		}
		loc := recordLoc{off: off, size: size, id: id, ft: binary.LittleEndian.Uint64(buf[off+16:])}
		if checkIDs && (id < firstID || id > lastID) {
			prob("record-id-range", off, id, fmt.Sprintf("record id outside the chunk header's ids %d-%d (header damaged): counted as stale, not live", firstID, lastID))
			loc.slack = true
			f.slack++
		} else if suspectIDs && (id < firstID || id > lastID) {
			prob("record-id-range", off, id, fmt.Sprintf("record id outside the chunk header's ids %d-%d (records CRC32 mismatch): decoded, kept out of the file's id and time span", firstID, lastID))
			loc.suspect = true
		}
		f.records = append(f.records, loc)
		off += size
	}

	// Stale records after the free-space offset.
	for off = free; off < len(buf); {
		p := nextRecord(buf, off, len(buf))
		if p < 0 {
			break
		}
		size, _ := validRecordAt(buf, p, len(buf))
		f.records = append(f.records, recordLoc{off: p, size: size, id: binary.LittleEndian.Uint64(buf[p+8:]),
			ft: binary.LittleEndian.Uint64(buf[p+16:]), slack: true})
		f.slack++
		off = p + size
	}
}

// trustedFree checks the free-space offset of a chunk whose header CRC32
// failed (so any header field may be damaged). The offset is kept when the
// records CRC32 over 512..free matches; otherwise the candidates are the end
// of the last record the header names (last record offset plus its size)
// and the end of the run of valid records from 512 whose ids lie in the
// header's first..last ids, and the first whose records CRC32 matches is
// used. With no match the end of the walk is used (verified false). A
// changed offset is a "chunk-free-space" problem.
func trustedFree(buf []byte, free, idx int, base int64, f *chunkFrame) (end int, verified bool) {
	want := binary.LittleEndian.Uint32(buf[52:])
	crcOK := func(end int) bool {
		return end >= chunkHeaderSize && end <= len(buf) && crc32.ChecksumIEEE(buf[chunkHeaderSize:end]) == want
	}
	if crcOK(free) {
		return free, true
	}
	var cands []int
	if last := int(binary.LittleEndian.Uint32(buf[44:])); last >= chunkHeaderSize {
		if size, ok := validRecordAt(buf, last, len(buf)); ok {
			cands = append(cands, last+size)
		}
	}
	firstID, lastID := binary.LittleEndian.Uint64(buf[24:]), binary.LittleEndian.Uint64(buf[32:])
	walk := chunkHeaderSize
	for {
		size, ok := validRecordAt(buf, walk, len(buf))
		if !ok {
			break
		}
		if id := binary.LittleEndian.Uint64(buf[walk+8:]); id < firstID || id > lastID {
			break
		}
		walk += size
	}
	cands = append(cands, walk)
	use := walk
	how := "no candidate matches the records CRC32; using the end of the records whose ids are in the header's range"
	for _, c := range cands {
		if crcOK(c) {
			use, how, verified = c, "the records CRC32 matches there", true
			break
		}
	}
	if use != free {
		f.problems = append(f.problems, Problem{Kind: "chunk-free-space", Chunk: idx, Offset: base + 48,
			Reason: fmt.Sprintf("chunk header damaged: free-space offset %d not trusted, records end at %d (%s)", free, use, how)})
	}
	return use, verified
}
