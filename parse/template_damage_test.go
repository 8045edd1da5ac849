package parse

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"
)

// templateSpans returns the chunk-relative byte ranges of the inline
// template definitions (GUID, size and body) in the records of chunk 0.
func templateSpans(t *testing.T, data []byte) [][2]int {
	t.Helper()
	chunk := data[fileHeaderSize : fileHeaderSize+chunkSize]
	var f chunkFrame
	frameChunk(chunk, 0, fileHeaderSize, false, &f)
	var spans [][2]int
	for _, loc := range f.records {
		in, reason := readInstance(chunk, loc.off+recordHeaderLen, loc.off+loc.size-4, nil)
		if reason == "" && in.inline {
			d := int(in.defOff)
			spans = append(spans, [2]int{d + 4, d + 24 + int(binary.LittleEndian.Uint32(chunk[d+20:]))})
		}
	}
	return spans
}

// templateSample is the generated BITS log whose templates the tests below
// damage, and what the reader makes of it intact.
func templateSample(t *testing.T) ([]byte, result) {
	t.Helper()
	orig, err := os.ReadFile("../samples/job-http-404/Bits-Client-Operational.evtx")
	if err != nil {
		t.Skipf("sample missing (%v): go run ./samples/gen", err)
	}
	want, err := readBytes(t, orig, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return orig, want
}

// TestDamagedTemplates changes template definition bytes of a generated
// BITS log (issue 16 item 3: one byte in the "System" name made every
// record decode with provider "" and event id 0, counted decoded). No
// mutation may yield a decoded record without a provider or event id; a
// mutation that loses the records' identity must count them undecodable
// with a template-damaged problem.
func TestDamagedTemplates(t *testing.T) {
	orig, want := templateSample(t)
	spans := templateSpans(t, orig)
	if len(spans) == 0 {
		t.Fatal("no inline template definitions found")
	}

	// The case: one byte of the UTF-16 "System" element name.
	sys := bytes.Index(orig[fileHeaderSize:], []byte("S\x00y\x00s\x00t\x00e\x00m\x00"))
	if sys < 0 {
		t.Fatal(`no "System" name in the first chunk`)
	}
	data := append([]byte(nil), orig...)
	data[fileHeaderSize+sys+2] = 'x'
	got, err := readBytes(t, data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkInvariant(t, "System name", got)
	if got.sum.RecordsUndecodable == 0 || !got.sum.HasProblem("template-damaged") {
		t.Errorf(`"System" renamed: %d decoded, %d undecodable, problems %v`, got.sum.RecordsDecoded, got.sum.RecordsUndecodable, got.sum.Problems)
	}

	rng := rand.New(rand.NewPCG(16, 3))
	var same, undecodable, relabelled int
	const mutations = 400
	for i := range mutations {
		sp := spans[i%len(spans)]
		pos := fileHeaderSize + sp[0] + rng.IntN(sp[1]-sp[0])
		data := append([]byte(nil), orig...)
		data[pos] ^= byte(1 + rng.IntN(255))
		got, err := readBytes(t, data, Options{RecoverSlack: i%2 == 1})
		if err != nil {
			t.Fatal(err)
		}
		checkInvariant(t, "mutation", got)
		for _, e := range got.events {
			if e.Provider == "" {
				t.Fatalf("mutation at %d: record %d decoded without a provider", pos, e.RecordID)
			}
		}
		switch {
		case got.sum.RecordsUndecodable > 0:
			undecodable++
		case sameIdentity(want.events, got.events):
			same++
		default:
			// Every record decoded, with a provider and an event id, but a
			// static text of the template (provider name, event id) changed.
			relabelled++
		}
	}
	t.Logf("%d template-byte mutations: %d decode the same records, %d count records undecodable, %d change a static provider or event id text",
		mutations, same, undecodable, relabelled)
	if undecodable == 0 {
		t.Error("no mutation made a record undecodable")
	}
}

// sameIdentity reports whether a and b hold the same records with the same
// provider and event id.
func sameIdentity(a, b []*Event) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].RecordID != b[i].RecordID || a[i].Provider != b[i].Provider || a[i].EventID != b[i].EventID {
			return false
		}
	}
	return true
}

// TestTemplateChecks damages the System template of the generated BITS log
// in ways that leave a definition golang-evtx still parses (issue 16 item
// 3: the mutation campaign's template bytes 5934 and 5814 made every record
// decode with an empty payload, counted decoded). Damage that reaches what
// is decoded makes every record undecodable with a record problem saying
// why; damage the records can do without leaves them decoded as before.
func TestTemplateChecks(t *testing.T) {
	orig, want := templateSample(t)
	all := want.sum.RecordsSeen
	sp := templateSpans(t, orig)[0]
	def := orig[fileHeaderSize+sp[0] : fileHeaderSize+sp[1]] // GUID, size, BinXML
	// payload is the offset in def of the Event element's substitution of
	// the nested payload: an optional substitution token (0x0e), index, type 0x21.
	payload := -1
	for i := len(def) - 4; i >= 0 && payload < 0; i-- {
		if def[i] == 0x0e && def[i+3] == valBinXML {
			payload = i
		}
	}
	// computer is the offset in def of the Computer element's value text
	// token (0x05, type string 0x01, UTF-16 length); pid that of the
	// substitution of the Execution ProcessID attribute, which is not decoded.
	computer, pid := -1, -1
	if c := bytes.Index(def, []byte("C\x00o\x00m\x00p\x00u\x00t\x00e\x00r\x00")); c >= 0 {
		if v := bytes.Index(def[c:], []byte{0x05, valString}); v >= 0 {
			computer = c + v
		}
	}
	if n := []byte("P\x00r\x00o\x00c\x00e\x00s\x00s\x00I\x00D\x00\x00\x00"); bytes.Contains(def, n) {
		pid = bytes.Index(def, n) + len(n)
	}
	if payload < 0 || computer < 0 || pid < 0 || def[pid] != 0x0e || def[len(def)-1] != 0x00 || def[payload+4] != 0x04 {
		t.Fatalf("System template layout not as expected (payload substitution %d, Computer text %d, ProcessID substitution %d)", payload, computer, pid)
	}
	sub := int(binary.LittleEndian.Uint16(def[payload+1:]))       // the payload's value index
	if count := orig[fileHeaderSize+sp[1]]; int(count) != sub+1 { // the first record's substitution count
		t.Fatalf("first record has %d values, want the payload last (%d)", count, sub+1)
	}
	size, end := len(def)-20, sp[1]                                   // declared BinXML size, chunk offset of its end
	overrun := fmt.Sprintf("its declared size %d says %d", size, end) // the rest names where the parse stopped
	tests := []struct {
		name    string
		at      int    // offset in def
		xor     byte   // applied to def[at]
		reason  string // of the record problems
		failing int    // records undecodable; the others decode as before
	}{
		// Campaign byte 5934: the payload substitution index 0x0011 becomes
		// 0xe611, past the instance's values; the BinXML value holding the
		// payload is referenced nowhere.
		{"payload index out of range", payload + 2, 0xe6,
			fmt.Sprintf("BinXML value %d of the instance is not referenced by its template", sub), all},
		// The index points at value 1 instead.
		{"payload index changed", payload + 1, byte(sub) ^ 0x01,
			fmt.Sprintf("BinXML value %d of the instance is not referenced by its template", sub), all},
		// The first record's substitution count (just after the
		// definition) loses the payload value: its index is out of range.
		{"instance value count", len(def), byte(sub+1) ^ byte(sub),
			fmt.Sprintf("substitution %d out of range (%d values)", sub, sub), 1},
		// Campaign byte 5814: the Computer text length 0x0015 becomes
		// 0x4415, so the parse runs 34 KB past the definition.
		{"value text overruns the definition", computer + 3, 0x44, overrun, all},
		// The end of the Event element becomes an EOF token: the parse
		// stops before the definition's own EOF token.
		{"early EOF token", payload + 4, 0x04, fmt.Sprintf("its BinXML ends at chunk offset %d, %s", end-1, overrun), all},
		// Campaign byte 4669: the declared size's high byte. The record
		// holding the definition cannot be framed; the records that only
		// point at it decode from its intact BinXML.
		{"declared size", 19, 0x2a, "inline template definition overruns the record", 1},
		// Campaign byte 5612: an index past the values, where nothing is
		// decoded (Execution ProcessID).
		{"ProcessID index out of range", pid + 2, 0xc7, "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := append([]byte(nil), orig...)
			data[fileHeaderSize+sp[0]+tc.at] ^= tc.xor // tc.at = len(def): the substitution count
			got, err := readBytes(t, data, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkInvariant(t, tc.name, got)
			if got.sum.RecordsDecoded != all-tc.failing || got.sum.RecordsUndecodable != tc.failing {
				t.Errorf("%d decoded, %d undecodable; want %d undecodable", got.sum.RecordsDecoded, got.sum.RecordsUndecodable, tc.failing)
			}
			n := 0
			for _, p := range got.sum.Problems {
				if p.Kind == "record" && p.Chunk == 0 && p.Offset >= fileHeaderSize && tc.reason != "" && strings.Contains(p.Reason, tc.reason) {
					n++
				}
			}
			if n != tc.failing {
				t.Errorf("%d record problems say %q, want %d; problems %v", n, tc.reason, tc.failing, got.sum.Problems)
			}
			// The records still decoded are the original ones, payload included.
			for _, e := range got.events {
				var w *Event
				for _, o := range want.events {
					if o.RecordID == e.RecordID {
						w = o
					}
				}
				if w == nil || !reflect.DeepEqual(e.Data, w.Data) || e.Provider != w.Provider || e.EventID != w.EventID || e.Computer != w.Computer {
					t.Errorf("record %d decodes as %+v, want %+v", e.RecordID, e, w)
				}
			}
		})
	}
}
