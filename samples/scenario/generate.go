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
	Records  int // live records written
	Stale    int // stale records in chunk slack
	Chunks   int // complete chunks in the data
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
			out = append(out, Output{Path: f.Name, Data: b, Scenario: s, File: f,
				Records: len(f.Events), Stale: len(f.Stale), Chunks: (len(b) - evtxwrite.FileHeaderSize) / evtxwrite.ChunkSize})
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

func countsString(b []byte) string {
	s := ""
	for i, n := range ChunkRecordCounts(b) {
		if i > 0 {
			s += " + "
		}
		s += fmt.Sprint(n)
	}
	return s
}
