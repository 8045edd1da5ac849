package scenario

import (
	"encoding/binary"
	"fmt"

	"bitsdiag/samples/evtxwrite"
)

// Output is one generated file and what it holds.
type Output struct {
	Path     string // relative to samples/
	Data     []byte
	Scenario *Scenario
	File     File
	Records  int // live records in complete chunks
	Stale    int // stale records in chunk slack
	Chunks   int // complete chunks in the data
	Partial  int // records lying entirely in a truncated last chunk
}

// Generate encodes every scenario file and the README.
func Generate() ([]Output, error) {
	all := All()
	ts := NewTemplates()
	var out []Output
	for i := range all {
		s := &all[i]
		for _, f := range s.Files {
			b, err := f.Encode(ts)
			if err != nil {
				return nil, err
			}
			o := Output{Path: f.Name, Data: b, Scenario: s, File: f,
				Records: len(f.Events), Stale: len(f.Stale), Chunks: (len(b) - evtxwrite.FileHeaderSize) / evtxwrite.ChunkSize}
			o.Partial = partialRecords(b)
			o.Records = 0
			for _, n := range ChunkRecordCounts(b) {
				o.Records += n
			}
			out = append(out, o)
		}
	}
	out = append(out, Output{Path: "README.md", Data: []byte(readme(all, out))})
	return out, nil
}

// ChunkRecordCounts returns the number of live records in each complete chunk.
func ChunkRecordCounts(b []byte) []int {
	var n []int
	for off := evtxwrite.FileHeaderSize; off+evtxwrite.ChunkSize <= len(b); off += evtxwrite.ChunkSize {
		first := binary.LittleEndian.Uint64(b[off+24:])
		last := binary.LittleEndian.Uint64(b[off+32:])
		n = append(n, int(last-first+1))
	}
	return n
}

// partialRecords counts the records that lie entirely in the bytes of a
// truncated last chunk (0 when the file ends on a chunk boundary).
func partialRecords(b []byte) int {
	rest := (len(b) - evtxwrite.FileHeaderSize) % evtxwrite.ChunkSize
	if rest < evtxwrite.ChunkHeaderSize {
		return 0
	}
	c := b[len(b)-rest:]
	n := 0
	for p := evtxwrite.ChunkHeaderSize; p+8 <= len(c); n++ {
		if string(c[p:p+4]) != "**\x00\x00" {
			break
		}
		size := int(binary.LittleEndian.Uint32(c[p+4:]))
		if size < 28 || p+size > len(c) {
			break
		}
		p += size
	}
	return n
}

func countsString(b []byte) string {
	counts := ChunkRecordCounts(b)
	if len(counts) == 1 {
		return "1"
	}
	s := fmt.Sprintf("%d (", len(counts))
	for i, n := range ChunkRecordCounts(b) {
		if i > 0 {
			s += " + "
		}
		s += fmt.Sprint(n)
	}
	return s + ")"
}
