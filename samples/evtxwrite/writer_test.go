package evtxwrite

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf16"
)

var t0 = time.Date(2026, 3, 9, 8, 15, 3, 123456700, time.UTC)

// testTemplate is <Event><System><EventID>{0}</EventID><Computer>WS</Computer>
// </System>{1: nested <EventData><Data Name="x">{0}</Data></EventData>}</Event>.
func testTemplates(t *testing.T) (outer, inner *Template) {
	t.Helper()
	var err error
	outer, err = NewTemplate(&Element{Name: "Event", Attrs: []Attr{{Name: "xmlns", Value: Text("http://schemas.microsoft.com/win/2004/08/events/event")}},
		Children: []Node{
			&Element{Name: "System", Children: []Node{
				&Element{Name: "EventID", Children: []Node{Sub{Index: 0, Type: TypeUInt16}}},
				&Element{Name: "Computer", Children: []Node{Text("WS-0001.contoso.local")}},
			}},
			Sub{Index: 1, Type: TypeBinXML, Optional: true},
		}})
	if err != nil {
		t.Fatal(err)
	}
	inner, err = NewTemplate(&Element{Name: "EventData", Children: []Node{
		&Element{Name: "Data", Attrs: []Attr{{Name: "Name", Value: Text("x")}}, Children: []Node{Sub{Index: 0, Type: TypeString}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return outer, inner
}

func testRecords(t *testing.T, n int, text string) []Record {
	outer, inner := testTemplates(t)
	var recs []Record
	for i := 0; i < n; i++ {
		recs = append(recs, Record{ID: uint64(100 + i), Written: t0.Add(time.Duration(i) * time.Second),
			Event: Instance{Template: outer, Values: []Value{UInt16(uint16(i)), BinXML(Instance{Template: inner, Values: []Value{String(text)}})}}})
	}
	return recs
}

// checkFile verifies the structure of an encoded file: checksums, record
// sizes and ids, and the string and template tables.
func checkFile(t *testing.T, b []byte, wantRecords int) {
	t.Helper()
	if string(b[:8]) != "ElfFile\x00" {
		t.Fatal("bad file magic")
	}
	if got, want := binary.LittleEndian.Uint32(b[124:]), crc32.ChecksumIEEE(b[:120]); got != want {
		t.Errorf("file header CRC %08x, want %08x", got, want)
	}
	chunks := int(binary.LittleEndian.Uint16(b[42:]))
	if (len(b)-FileHeaderSize)/ChunkSize != chunks {
		t.Errorf("header says %d chunks, file has %d", chunks, (len(b)-FileHeaderSize)/ChunkSize)
	}
	total := 0
	nextID := uint64(0)
	for i := 0; i < chunks; i++ {
		c := b[FileHeaderSize+i*ChunkSize : FileHeaderSize+(i+1)*ChunkSize]
		if string(c[:8]) != "ElfChnk\x00" {
			t.Fatalf("chunk %d: bad magic", i)
		}
		if got, want := binary.LittleEndian.Uint32(c[124:]), ChunkHeaderCRC(c); got != want {
			t.Errorf("chunk %d: header CRC %08x, want %08x", i, got, want)
		}
		free := binary.LittleEndian.Uint32(c[48:])
		if got, want := binary.LittleEndian.Uint32(c[52:]), crc32.ChecksumIEEE(c[ChunkHeaderSize:free]); got != want {
			t.Errorf("chunk %d: records CRC %08x, want %08x", i, got, want)
		}
		first, last := binary.LittleEndian.Uint64(c[24:]), binary.LittleEndian.Uint64(c[32:])
		offs, err := ChunkRecordOffsets(b, i)
		if err != nil {
			t.Fatalf("chunk %d: %v", i, err)
		}
		for k, p := range offs {
			size := binary.LittleEndian.Uint32(c[p+4:])
			if tail := binary.LittleEndian.Uint32(c[p+int(size)-4:]); tail != size {
				t.Errorf("chunk %d record %d: size copy %d != %d", i, k, tail, size)
			}
			id := binary.LittleEndian.Uint64(c[p+8:])
			if id != first+uint64(k) {
				t.Errorf("chunk %d record %d: id %d, want %d", i, k, id, first+uint64(k))
			}
			if nextID != 0 && k == 0 && id != nextID {
				t.Errorf("chunk %d starts at id %d, want %d", i, id, nextID)
			}
		}
		if len(offs) > 0 {
			if got := uint32(offs[len(offs)-1]); got != binary.LittleEndian.Uint32(c[44:]) {
				t.Errorf("chunk %d: last record offset %d, header says %d", i, got, binary.LittleEndian.Uint32(c[44:]))
			}
		}
		nextID = last + 1
		total += len(offs)
		// String table: every chained name node hashes into its bucket.
		for bkt := 0; bkt < stringBuckets; bkt++ {
			for off := binary.LittleEndian.Uint32(c[128+4*bkt:]); off != 0; off = binary.LittleEndian.Uint32(c[off:]) {
				h := binary.LittleEndian.Uint16(c[off+4:])
				n := int(binary.LittleEndian.Uint16(c[off+6:]))
				u := make([]uint16, n)
				for j := range u {
					u[j] = binary.LittleEndian.Uint16(c[int(off)+8+2*j:])
				}
				name := string(utf16.Decode(u))
				if NameHash(name) != h || int(h)%stringBuckets != bkt {
					t.Errorf("chunk %d: name %q hash %04x in bucket %d", i, name, h, bkt)
				}
			}
		}
		// Template table: entries point at definitions right after a 0x0C
		// instance token whose offset field points back at them.
		for bkt := 0; bkt < templateBuckets; bkt++ {
			for off := binary.LittleEndian.Uint32(c[384+4*bkt:]); off != 0; off = binary.LittleEndian.Uint32(c[off:]) {
				if c[off-10] != 0x0c || binary.LittleEndian.Uint32(c[off-4:]) != off {
					t.Errorf("chunk %d: template table entry %d does not follow an instance", i, off)
				}
				if binary.LittleEndian.Uint32(c[off+4:])%templateBuckets != uint32(bkt) {
					t.Errorf("chunk %d: template at %d in wrong bucket %d", i, off, bkt)
				}
			}
		}
	}
	if total != wantRecords {
		t.Errorf("%d records, want %d", total, wantRecords)
	}
	if got := binary.LittleEndian.Uint64(b[24:]); total > 0 && got != nextID {
		t.Errorf("next record id %d, want %d", got, nextID)
	}
}

func TestEncodeStructure(t *testing.T) {
	tests := []struct {
		name       string
		n          int
		text       string
		wantChunks int
	}{
		{"empty", 0, "", 0},
		{"one", 1, "hello", 1},
		{"several chunks", 700, "a longer value that makes each record a few hundred bytes: https://example.invalid/path/file.cab", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Encode(testRecords(t, tc.n, tc.text), nil)
			if err != nil {
				t.Fatal(err)
			}
			checkFile(t, b, tc.n)
			chunks := int(binary.LittleEndian.Uint16(b[42:]))
			if tc.wantChunks != 0 && chunks != tc.wantChunks {
				t.Errorf("%d chunks, want %d", chunks, tc.wantChunks)
			}
			if tc.n == 700 && chunks < 3 {
				t.Errorf("700 records in %d chunks; expected at least 3", chunks)
			}
		})
	}
}

func TestEveryChunkDefinesItsTemplates(t *testing.T) {
	b, err := Encode(testRecords(t, 700, "some text to fill the chunks quickly, repeated in every record"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; (i+1)*ChunkSize+FileHeaderSize <= len(b); i++ {
		c := b[FileHeaderSize+i*ChunkSize:]
		// First record: fragment header at 512+24, instance token at +28; its
		// definition offset must point right behind the instance header.
		p := ChunkHeaderSize + 24
		if c[p] != 0x0f || c[p+4] != 0x0c {
			t.Fatalf("chunk %d: first record does not start with fragment + template instance", i)
		}
		if def := binary.LittleEndian.Uint32(c[p+10:]); def != uint32(p+14) {
			t.Errorf("chunk %d: first record's template is not defined inline (offset %d)", i, def)
		}
	}
}

func TestDeterministic(t *testing.T) {
	a, err := Encode(testRecords(t, 300, "x"), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Encode(testRecords(t, 300, "x"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two encodings differ")
	}
}

func TestStaleRecords(t *testing.T) {
	recs := testRecords(t, 10, "live")
	stale := testRecords(t, 3, "stale record")
	for i := range stale {
		stale[i].ID = uint64(7 + i)
	}
	b, err := Encode(recs, stale)
	if err != nil {
		t.Fatal(err)
	}
	checkFile(t, b, 10) // checksums cover only the live records
	c := b[FileHeaderSize:]
	free := binary.LittleEndian.Uint32(c[48:])
	if got := bytes.Count(c[free:], []byte("**\x00\x00")); got != 3 {
		t.Errorf("%d stale record signatures after the free-space offset, want 3", got)
	}
	if id := binary.LittleEndian.Uint64(c[free+8:]); id != 7 {
		t.Errorf("first stale record id %d, want 7", id)
	}
}

func TestRecordTooLarge(t *testing.T) {
	outer, inner := testTemplates(t)
	huge := make([]byte, 70000)
	r := Record{ID: 1, Written: t0, Event: Instance{Template: outer, Values: []Value{UInt16(1), BinXML(Instance{Template: inner, Values: []Value{Binary(huge)}})}}}
	var buf Buffer
	w, err := NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(r); err == nil {
		t.Fatal("70000-byte value accepted")
	}
	r.Event.Values[1] = BinXML(Instance{Template: inner, Values: []Value{Binary(make([]byte, 65000))}})
	if err := w.Add(r); !errors.Is(err, ErrRecordTooLarge) {
		t.Errorf("65000-byte record: err %v, want ErrRecordTooLarge", err)
	}
}

func TestDamage(t *testing.T) {
	clean, err := Encode(testRecords(t, 700, "some text to fill the chunks quickly, repeated in every record"), nil)
	if err != nil {
		t.Fatal(err)
	}
	cp := func() []byte { return append([]byte(nil), clean...) }
	fileCRCok := func(b []byte) bool { return binary.LittleEndian.Uint32(b[124:]) == FileHeaderCRC(b) }
	chunk := func(b []byte, i int) []byte { return b[FileHeaderSize+i*ChunkSize : FileHeaderSize+(i+1)*ChunkSize] }

	b := cp()
	if err := SetFileFlags(b, FileFlagDirty); err != nil || binary.LittleEndian.Uint32(b[120:]) != 1 || !fileCRCok(b) {
		t.Errorf("SetFileFlags: err %v, flags %d, crc ok %v", err, binary.LittleEndian.Uint32(b[120:]), fileCRCok(b))
	}

	b = cp()
	if err := SetStaleHeader(b, 1); err != nil {
		t.Fatal(err)
	}
	if binary.LittleEndian.Uint16(b[42:]) != 1 || binary.LittleEndian.Uint64(b[16:]) != 0 || !fileCRCok(b) {
		t.Error("SetStaleHeader: header not stale or CRC wrong")
	}
	if got, want := binary.LittleEndian.Uint64(b[24:]), binary.LittleEndian.Uint64(chunk(b, 0)[32:])+1; got != want {
		t.Errorf("stale next record id %d, want %d", got, want)
	}
	if err := SetStaleHeader(b, 99); err == nil {
		t.Error("stale chunk count beyond the file accepted")
	}

	b = cp()
	if err := CorruptChunkHeaderCRC(b, 1); err != nil {
		t.Fatal(err)
	}
	if c := chunk(b, 1); binary.LittleEndian.Uint32(c[124:]) == ChunkHeaderCRC(c) {
		t.Error("chunk header CRC still valid")
	}

	b = cp()
	if err := CorruptRecordsCRC(b, 1); err != nil {
		t.Fatal(err)
	}
	c := chunk(b, 1)
	free := binary.LittleEndian.Uint32(c[48:])
	if binary.LittleEndian.Uint32(c[52:]) == crc32.ChecksumIEEE(c[ChunkHeaderSize:free]) {
		t.Error("records CRC still valid")
	}
	if binary.LittleEndian.Uint32(c[124:]) != ChunkHeaderCRC(c) {
		t.Error("CorruptRecordsCRC broke the header CRC too")
	}

	if got := len(Truncate(cp(), 5000)); got != 5000 {
		t.Errorf("Truncate: %d bytes", got)
	}
	if err := CorruptChunkHeaderCRC(cp(), 50); err == nil {
		t.Error("chunk 50 accepted")
	}
}

func TestValues(t *testing.T) {
	sid, err := SIDValue("S-1-5-21-1721254763-462695806-1538882281-1104")
	if err != nil {
		t.Fatal(err)
	}
	g, err := ParseGUID("{EF1CC15B-46C1-414E-BB95-E76B077BD51E}")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		v    Value
		want []byte
	}{
		{"string", String("Bä"), []byte{'B', 0, 0xe4, 0}},
		{"uint32 hr", UInt32(0x80200013), []byte{0x13, 0x00, 0x20, 0x80}},
		{"int32", Int32(-2), []byte{0xfe, 0xff, 0xff, 0xff}},
		{"hex64", HexInt64(0x4000000000000000), []byte{0, 0, 0, 0, 0, 0, 0, 0x40}},
		{"bool", Bool(true), []byte{1, 0, 0, 0}},
		{"guid", GUIDValue(g), []byte{0x5b, 0xc1, 0x1c, 0xef, 0xc1, 0x46, 0x4e, 0x41, 0xbb, 0x95, 0xe7, 0x6b, 0x07, 0x7b, 0xd5, 0x1e}},
		{"sid", sid, []byte{1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 0x6b, 0x43, 0x98, 0x66, 0x7e, 0x2d, 0x94, 0x1b, 0xe9, 0x7a, 0xb9, 0x5b, 0x50, 0x04, 0, 0}},
		{"filetime epoch", FileTime(time.Date(1601, 1, 1, 0, 0, 0, 0, time.UTC)), make([]byte, 8)},
	}
	for _, tc := range tests {
		if !bytes.Equal(tc.v.data, tc.want) {
			t.Errorf("%s: % x, want % x", tc.name, tc.v.data, tc.want)
		}
	}
	if g.String() != "EF1CC15B-46C1-414E-BB95-E76B077BD51E" {
		t.Errorf("GUID String: %s", g)
	}
	for _, bad := range []string{"", "S-1", "S-x-5", "X-1-5-18"} {
		if _, err := SIDValue(bad); err == nil {
			t.Errorf("SID %q accepted", bad)
		}
	}
	for _, bad := range []string{"", "{EF1CC15B-46C1-414E-BB95}", "ZZ1CC15B-46C1-414E-BB95-E76B077BD51E"} {
		if _, err := ParseGUID(bad); err == nil {
			t.Errorf("GUID %q accepted", bad)
		}
	}
}

// TestNameHashMatchesWindows checks NameHash against every name node in the
// string tables of real Windows-written logs.
func TestNameHashMatchesWindows(t *testing.T) {
	files, _ := filepath.Glob("../../../shared/evtx-corpus/*/*.evtx")
	if len(files) == 0 {
		t.Skip("no ../shared/evtx-corpus (real logs) next to the repository; skipping the Windows name-hash check")
	}
	checked := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for off := FileHeaderSize; off+ChunkSize <= len(b) && checked < 5000; off += ChunkSize {
			c := b[off : off+ChunkSize]
			if string(c[:8]) != "ElfChnk\x00" {
				continue
			}
			for bkt := 0; bkt < stringBuckets; bkt++ {
				seen := 0
				for p := binary.LittleEndian.Uint32(c[128+4*bkt:]); p != 0 && int(p)+8 < ChunkSize && seen < 100; p = binary.LittleEndian.Uint32(c[p:]) {
					seen++
					n := int(binary.LittleEndian.Uint16(c[p+6:]))
					if int(p)+8+2*n > ChunkSize {
						break
					}
					u := make([]uint16, n)
					for j := range u {
						u[j] = binary.LittleEndian.Uint16(c[int(p)+8+2*j:])
					}
					name := string(utf16.Decode(u))
					h := binary.LittleEndian.Uint16(c[p+4:])
					if NameHash(name) != h {
						t.Errorf("%s: name %q stored hash %04x, NameHash %04x", filepath.Base(f), name, h, NameHash(name))
					}
					if int(h)%stringBuckets != bkt {
						t.Errorf("%s: name %q in bucket %d, hash says %d", filepath.Base(f), name, bkt, int(h)%stringBuckets)
					}
					checked++
				}
			}
		}
	}
	if checked == 0 {
		t.Skip("no string table entries found in the corpus")
	}
	t.Logf("%d names from real logs hash as Windows stored them", checked)
}
