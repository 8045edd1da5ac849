package parse

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"os"
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

// TestDamagedTemplates changes template definition bytes of a generated
// BITS log (issue 16 item 3: one byte in the "System" name made every
// record decode with provider "" and event id 0, counted decoded). No
// mutation may yield a decoded record without a provider or event id; a
// mutation that loses the records' identity must count them undecodable
// with a template-damaged problem.
func TestDamagedTemplates(t *testing.T) {
	orig, err := os.ReadFile("../samples/job-http-404/Bits-Client-Operational.evtx")
	if err != nil {
		t.Skipf("sample missing (%v): go run ./samples/gen", err)
	}
	want, err := readBytes(t, orig, Options{})
	if err != nil {
		t.Fatal(err)
	}
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
