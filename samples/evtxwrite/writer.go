package evtxwrite

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// MaxChunks is the largest chunk count the 16-bit header field can hold.
const MaxChunks = 0xffff

// Writer writes an .evtx file chunk by chunk. Records must be added in the
// order they should appear; Close writes the file header.
type Writer struct {
	w       io.WriteSeeker
	cur     *chunk
	chunks  int
	records int
	nextID  uint64
	err     error
	closed  bool
}

// NewWriter starts a file on w, which must be positioned at its start.
func NewWriter(w io.WriteSeeker) (*Writer, error) {
	if _, err := w.Write(make([]byte, FileHeaderSize)); err != nil {
		return nil, err
	}
	return &Writer{w: w, cur: newChunk(), nextID: 1}, nil
}

// Add appends a live record, starting a new chunk when the current one is full.
func (w *Writer) Add(r Record) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("evtxwrite: add after close")
	}
	if w.cur.stale {
		if err := w.flush(); err != nil {
			return err
		}
	}
	err := w.cur.add(r, false)
	if errors.Is(err, errChunkFull) {
		if w.cur.live == 0 {
			return ErrRecordTooLarge
		}
		if err := w.flush(); err != nil {
			return err
		}
		err = w.cur.add(r, false)
		if errors.Is(err, errChunkFull) {
			return ErrRecordTooLarge
		}
	}
	if err != nil {
		return err
	}
	w.records++
	w.nextID = r.ID + 1
	return nil
}

// AddStale writes r into the current chunk after its free-space offset, as
// stale data left from an earlier use of the chunk: readers that honour the
// chunk header do not see it, and it is not covered by the records checksum.
// The next Add starts a new chunk. It fails when r does not fit.
func (w *Writer) AddStale(r Record) error {
	if w.err != nil {
		return w.err
	}
	if w.cur.live == 0 {
		return errors.New("evtxwrite: stale record in a chunk without live records")
	}
	return w.cur.add(r, true)
}

// flush writes the current chunk and starts a new one.
func (w *Writer) flush() error {
	if w.chunks >= MaxChunks {
		w.err = fmt.Errorf("evtxwrite: more than %d chunks", MaxChunks)
		return w.err
	}
	if _, err := w.w.Write(w.cur.finish()); err != nil {
		w.err = err
		return err
	}
	w.chunks++
	w.cur = newChunk()
	return nil
}

// Chunks returns the number of chunks written so far (excluding the open one).
func (w *Writer) Chunks() int { return w.chunks }

// Records returns the number of live records added.
func (w *Writer) Records() int { return w.records }

// Close flushes the last chunk and writes a clean file header.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return nil
	}
	w.closed = true
	if w.cur.live > 0 {
		if err := w.flush(); err != nil {
			return err
		}
	}
	h := fileHeader(w.chunks, w.nextID)
	if _, err := w.w.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if _, err := w.w.Write(h); err != nil {
		return err
	}
	_, err := w.w.Seek(0, io.SeekEnd)
	return err
}

// fileHeader builds the 4096-byte file header of a cleanly closed log.
func fileHeader(chunks int, nextID uint64) []byte {
	h := make([]byte, FileHeaderSize)
	copy(h, "ElfFile\x00")
	last := uint64(0)
	if chunks > 0 {
		last = uint64(chunks - 1)
	}
	binary.LittleEndian.PutUint64(h[8:], 0)
	binary.LittleEndian.PutUint64(h[16:], last)
	binary.LittleEndian.PutUint64(h[24:], nextID)
	binary.LittleEndian.PutUint32(h[32:], 128)
	binary.LittleEndian.PutUint16(h[36:], 1) // minor version 3.1
	binary.LittleEndian.PutUint16(h[38:], 3)
	binary.LittleEndian.PutUint16(h[40:], FileHeaderSize)
	binary.LittleEndian.PutUint16(h[42:], uint16(chunks))
	binary.LittleEndian.PutUint32(h[124:], FileHeaderCRC(h))
	return h
}

// FileHeaderCRC computes the file header checksum: CRC32 of bytes 0-119.
func FileHeaderCRC(h []byte) uint32 { return crc32.ChecksumIEEE(h[:120]) }

// Encode writes records (and, after the last live record, stale ones) to a
// complete file in memory.
func Encode(records []Record, stale []Record) ([]byte, error) {
	var buf Buffer
	w, err := NewWriter(&buf)
	if err != nil {
		return nil, err
	}
	for _, r := range records {
		if err := w.Add(r); err != nil {
			return nil, fmt.Errorf("record %d: %w", r.ID, err)
		}
	}
	for _, r := range stale {
		if err := w.AddStale(r); err != nil {
			return nil, fmt.Errorf("stale record %d: %w", r.ID, err)
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.b, nil
}

// Buffer is an in-memory io.WriteSeeker for NewWriter.
type Buffer struct {
	b   []byte
	off int
}

// Bytes returns the data written.
func (m *Buffer) Bytes() []byte { return m.b }

// Write writes p at the current offset.
func (m *Buffer) Write(p []byte) (int, error) {
	if need := m.off + len(p); need > len(m.b) {
		m.b = append(m.b, make([]byte, need-len(m.b))...)
	}
	copy(m.b[m.off:], p)
	m.off += len(p)
	return len(p), nil
}

// Seek sets the offset for the next Write.
func (m *Buffer) Seek(off int64, whence int) (int64, error) {
	var base int64
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		base = int64(m.off)
	case io.SeekEnd:
		base = int64(len(m.b))
	default:
		return 0, errors.New("evtxwrite: bad whence")
	}
	n := base + off
	if n < 0 {
		return 0, errors.New("evtxwrite: negative seek")
	}
	m.off = int(n)
	return n, nil
}
