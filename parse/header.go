package parse

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
)

// Layout constants of the EVTX format.
const (
	fileHeaderSize  = 4096  // the file header block
	chunkSize       = 65536 // one chunk slot
	chunkHeaderSize = 512   // chunk header plus string and template tables
	recordHeaderLen = 24    // magic, size, record id, timestamp
	minRecordSize   = recordHeaderLen + 4
)

// Header flag bits.
const (
	flagDirty = 0x1
	flagFull  = 0x2
	flagNoCRC = 0x4
)

var (
	fileMagic   = []byte("ElfFile\x00")
	chunkMagic  = []byte("ElfChnk\x00")
	recordMagic = []byte("**\x00\x00")
)

// fileHeader holds the fields of the file header bitsdiag uses.
type fileHeader struct {
	valid      bool // magic matched
	flags      uint32
	chunkCount int
	crcOK      bool
}

// parseFileHeader reads the first bytes of the file header. buf may be shorter
// than 128 bytes for a truncated file.
func parseFileHeader(buf []byte) fileHeader {
	var h fileHeader
	if len(buf) < 128 || string(buf[:8]) != string(fileMagic) {
		return h
	}
	h.valid = true
	h.chunkCount = int(binary.LittleEndian.Uint16(buf[42:]))
	h.flags = binary.LittleEndian.Uint32(buf[120:])
	h.crcOK = crc32.ChecksumIEEE(buf[:120]) == binary.LittleEndian.Uint32(buf[124:])
	return h
}

// problems adds to sum what the file header says about damage.
func (h fileHeader) problems(sum *Summary) {
	if !h.valid {
		sum.addProblem("header-magic", -1, 0, 0, "file header magic is not ElfFile")
		return
	}
	if !h.crcOK {
		reason := "file header CRC32 mismatch"
		if h.flags&flagNoCRC != 0 {
			reason += " (expected: NO_CRC32 flag set)"
		}
		sum.addProblem("header-crc", -1, 124, 0, reason)
	}
	if h.flags&flagDirty != 0 {
		sum.addProblem("dirty", -1, 120, 0, "dirty flag set: the log was not closed cleanly (copied while in use)")
	}
	if h.flags&flagFull != 0 {
		sum.addProblem("full", -1, 120, 0, "full flag set: the log reached its maximum size")
	}
	if undef := h.flags &^ (flagDirty | flagFull | flagNoCRC); undef != 0 {
		sum.addProblem("header-flags", -1, 120, 0, fmt.Sprintf("undefined header flag bits 0x%08x (ignored)", undef))
	}
}
