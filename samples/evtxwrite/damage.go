package evtxwrite

import (
	"encoding/binary"
	"fmt"
)

// The functions below damage a finished file in place, the way real logs
// get damaged: a log copied while open (dirty flag, stale header), bit rot
// (bad checksums) or an interrupted copy (truncated tail).

// FileFlagDirty and FileFlagFull are the file header flags.
const (
	FileFlagDirty = 0x1
	FileFlagFull  = 0x2
)

// SetFileFlags sets the file header flags and re-computes its checksum.
func SetFileFlags(b []byte, flags uint32) error {
	if len(b) < FileHeaderSize {
		return fmt.Errorf("evtxwrite: file of %d bytes has no header", len(b))
	}
	binary.LittleEndian.PutUint32(b[120:], flags)
	binary.LittleEndian.PutUint32(b[124:], FileHeaderCRC(b))
	return nil
}

// SetStaleHeader makes the file header describe only the first chunks
// chunks, as a header Windows had not yet updated when the file was copied:
// chunk count, last chunk number and next record id all lag, and the
// header checksum matches the stale values.
func SetStaleHeader(b []byte, chunks int) error {
	if len(b) < FileHeaderSize {
		return fmt.Errorf("evtxwrite: file of %d bytes has no header", len(b))
	}
	if chunks < 1 || FileHeaderSize+chunks*ChunkSize > len(b) {
		return fmt.Errorf("evtxwrite: stale chunk count %d out of range", chunks)
	}
	last := FileHeaderSize + (chunks-1)*ChunkSize
	lastID := binary.LittleEndian.Uint64(b[last+32:])
	binary.LittleEndian.PutUint64(b[16:], uint64(chunks-1))
	binary.LittleEndian.PutUint64(b[24:], lastID+1)
	binary.LittleEndian.PutUint16(b[42:], uint16(chunks))
	binary.LittleEndian.PutUint32(b[124:], FileHeaderCRC(b))
	return nil
}

// CorruptChunkHeaderCRC flips bits of the stored header checksum of chunk i.
func CorruptChunkHeaderCRC(b []byte, i int) error {
	off, err := chunkOffset(b, i)
	if err != nil {
		return err
	}
	v := binary.LittleEndian.Uint32(b[off+124:])
	binary.LittleEndian.PutUint32(b[off+124:], v^0xA5A5A5A5)
	return nil
}

// CorruptRecordsCRC flips bits of the stored records checksum of chunk i.
func CorruptRecordsCRC(b []byte, i int) error {
	off, err := chunkOffset(b, i)
	if err != nil {
		return err
	}
	v := binary.LittleEndian.Uint32(b[off+52:])
	binary.LittleEndian.PutUint32(b[off+52:], v^0x5A5A5A5A)
	// The header checksum covers bytes 0-119, so it is recomputed: only
	// the records checksum is wrong.
	binary.LittleEndian.PutUint32(b[off+124:], ChunkHeaderCRC(b[off:off+ChunkSize]))
	return nil
}

// CorruptRecordByte flips one byte of record data at chunk-relative offset
// rel in chunk i, leaving all stored checksums as they were.
func CorruptRecordByte(b []byte, i int, rel int) error {
	off, err := chunkOffset(b, i)
	if err != nil {
		return err
	}
	if rel < ChunkHeaderSize || rel >= ChunkSize {
		return fmt.Errorf("evtxwrite: offset %d outside chunk data", rel)
	}
	b[off+rel] ^= 0xFF
	return nil
}

// Truncate returns b cut to n bytes.
func Truncate(b []byte, n int) []byte {
	if n < 0 || n >= len(b) {
		return b
	}
	return b[:n]
}

func chunkOffset(b []byte, i int) (int, error) {
	off := FileHeaderSize + i*ChunkSize
	if i < 0 || off+ChunkSize > len(b) {
		return 0, fmt.Errorf("evtxwrite: no chunk %d in a file of %d bytes", i, len(b))
	}
	return off, nil
}

// ChunkRecordOffsets returns the chunk-relative offsets of the live records
// of chunk i, walking record sizes from the chunk's first record to its
// free-space offset.
func ChunkRecordOffsets(b []byte, i int) ([]int, error) {
	off, err := chunkOffset(b, i)
	if err != nil {
		return nil, err
	}
	free := int(binary.LittleEndian.Uint32(b[off+48:]))
	var out []int
	for p := ChunkHeaderSize; p+24 <= free; {
		size := int(binary.LittleEndian.Uint32(b[off+p+4:]))
		if size < 28 || p+size > free {
			return out, fmt.Errorf("evtxwrite: bad record size %d at chunk offset %d", size, p)
		}
		out = append(out, p)
		p += size
	}
	return out, nil
}
