// Package testarchive writes archives for tests that the standard library
// cannot write: 7-Zip (stored files only).
package testarchive

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"unicode/utf16"
)

// sz7Number encodes a 7z NUMBER.
func sz7Number(v uint64) []byte {
	for i := 0; i < 8; i++ {
		if v>>(8*i) < 1<<(7-i) {
			b := []byte{byte(0xFF<<(8-i)) | byte(v>>(8*i))}
			for j := 0; j < i; j++ {
				b = append(b, byte(v>>(8*j)))
			}
			return b
		}
	}
	b := []byte{0xFF}
	return binary.LittleEndian.AppendUint64(b, v)
}

// Make7z writes a 7-Zip archive with every file stored (Copy coder), one
// folder per file: enough to test the reader without a 7z binary.
func Make7z(names []string, data [][]byte) []byte {
	var packed bytes.Buffer
	for _, d := range data {
		packed.Write(d)
	}
	n := uint64(len(names))
	var h bytes.Buffer
	num := func(v uint64) { h.Write(sz7Number(v)) }
	h.WriteByte(0x01) // Header
	h.WriteByte(0x04) // MainStreamsInfo
	h.WriteByte(0x06) // PackInfo
	num(0)
	num(n)
	h.WriteByte(0x09)
	for _, d := range data {
		num(uint64(len(d)))
	}
	h.WriteByte(0x00)
	h.WriteByte(0x07) // UnPackInfo
	h.WriteByte(0x0B)
	num(n)
	h.WriteByte(0) // not external
	for range data {
		num(1)         // one coder
		h.WriteByte(1) // id size 1, simple
		h.WriteByte(0) // Copy
	}
	h.WriteByte(0x0C)
	for _, d := range data {
		num(uint64(len(d)))
	}
	h.WriteByte(0x00)
	h.WriteByte(0x08) // SubStreamsInfo: CRCs
	h.WriteByte(0x0A)
	h.WriteByte(1) // all defined
	for _, d := range data {
		h.Write(binary.LittleEndian.AppendUint32(nil, crc32.ChecksumIEEE(d)))
	}
	h.WriteByte(0x00)
	h.WriteByte(0x00) // end MainStreamsInfo
	h.WriteByte(0x05) // FilesInfo
	num(n)
	var nb bytes.Buffer
	nb.WriteByte(0) // not external
	for _, name := range names {
		for _, u := range utf16.Encode([]rune(name)) {
			nb.Write(binary.LittleEndian.AppendUint16(nil, u))
		}
		nb.Write([]byte{0, 0})
	}
	h.WriteByte(0x11)
	num(uint64(nb.Len()))
	h.Write(nb.Bytes())
	h.WriteByte(0x00)
	h.WriteByte(0x00) // end Header

	start := make([]byte, 20)
	binary.LittleEndian.PutUint64(start[0:], uint64(packed.Len()))
	binary.LittleEndian.PutUint64(start[8:], uint64(h.Len()))
	binary.LittleEndian.PutUint32(start[16:], crc32.ChecksumIEEE(h.Bytes()))
	var out bytes.Buffer
	out.Write([]byte{'7', 'z', 0xBC, 0xAF, 0x27, 0x1C})
	out.Write([]byte{0, 4})
	out.Write(binary.LittleEndian.AppendUint32(nil, crc32.ChecksumIEEE(start)))
	out.Write(start)
	out.Write(packed.Bytes())
	out.Write(h.Bytes())
	return out.Bytes()
}
