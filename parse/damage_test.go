package parse

import (
	"bytes"
	"errors"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// damageFile is the real file the truncation and byte-flip tests damage.
var damageFile = filepath.Join(corpusDir, "system", "tugix456_randaodcxjj_System.evtx")

func loadDamageFile(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile(damageFile)
	if err != nil {
		t.Skipf("corpus not available (%v)", err)
	}
	return data
}

// readDamaged reads data with and without slack recovery and a filter,
// checking that nothing panics and the accounting holds.
func readDamaged(t testing.TB, name string, data []byte) int {
	t.Helper()
	decoded := -1
	for _, o := range []Options{{}, {RecoverSlack: true, Filter: benchFilter, Workers: 1}} {
		res, err := readBytes(t, data, o)
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("%s: NewReader error %v is not a *FormatError", name, err)
			}
			return 0
		}
		checkInvariant(t, name, res)
		if decoded < 0 {
			decoded = res.sum.RecordsDecoded
			checkRecycled(t, name, data, res)
		}
	}
	return decoded
}

// checkRecycled reads data again with Options.Recycle and an Encode that
// reads every string, and checks that each event, while valid, is the
// one want (read with the zero Options) holds.
func checkRecycled(t testing.TB, name string, data []byte, want result) {
	t.Helper()
	touch := func(b []byte, e *Event) []byte {
		b = append(b, e.Provider...)
		for _, f := range e.Data {
			b = append(append(b, f.Name...), f.Value...)
		}
		return append(b, e.Binary...)
	}
	r, err := NewReader(bytes.NewReader(data), int64(len(data)), Options{Recycle: true, Encode: touch})
	if err != nil {
		t.Fatalf("%s: with Recycle: %v", name, err)
	}
	defer r.Close()
	n := 0
	for {
		ev, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			continue
		}
		if n >= len(want.events) || !reflect.DeepEqual(*ev, *want.events[n]) {
			t.Fatalf("%s: event %d with Recycle differs", name, n)
		}
		if got := touch(nil, ev); !bytes.Equal(r.Encoded(), got) {
			t.Fatalf("%s: event %d: Encoded %q, want %q", name, n, r.Encoded(), got)
		}
		n++
	}
	if n != len(want.events) {
		t.Fatalf("%s: %d events with Recycle, want %d", name, n, len(want.events))
	}
}

// TestTruncation cuts a real file at every 4 KiB boundary.
func TestTruncation(t *testing.T) {
	data := loadDamageFile(t)
	full := readDamaged(t, "full", data)
	prev := 0
	for n := 0; n <= len(data); n += 4096 {
		got := readDamaged(t, "cut", data[:n])
		if got < prev {
			t.Errorf("cut at %d: %d records, fewer than %d at a shorter cut", n, got, prev)
		}
		prev = got
	}
	if prev != full {
		t.Errorf("whole file via the loop: %d records, want %d", prev, full)
	}
	// Cuts inside records and headers as well.
	for n := 1; n < 70000; n += 997 {
		readDamaged(t, "cut", data[:n])
	}
}

// TestByteFlips flips random bytes of a real file (fixed seed).
func TestByteFlips(t *testing.T) {
	data := loadDamageFile(t)
	rng := rand.New(rand.NewSource(1))
	used := 4096 + 3*chunkSize // the chunks that hold records
	for i := 0; i < 180; i++ {
		d := bytes.Clone(data)
		flips := 1 + rng.Intn(200)
		if i >= 150 { // heavy damage: garbage times, sizes and ids everywhere
			flips = 1000 + rng.Intn(3000)
		}
		for j := 0; j < flips; j++ {
			d[rng.Intn(used)] ^= byte(1 + rng.Intn(255))
		}
		readDamaged(t, "flipped", d)
	}
}

// TestCloseEarly stops reading half-way: no goroutine may block.
func TestCloseEarly(t *testing.T) {
	data := loadDamageFile(t)
	for _, workers := range []int{1, 2, 8} {
		r, err := NewReader(bytes.NewReader(data), int64(len(data)), Options{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 10; i++ {
			if _, err := r.Next(); err != nil {
				t.Fatal(err)
			}
		}
		r.Close()
		r.Close()
		if _, err := r.Next(); err != io.EOF {
			t.Fatalf("Next after Close: %v, want io.EOF", err)
		}
	}
}

// TestKeepChannel stops after the first chunk of an unwanted channel.
func TestKeepChannel(t *testing.T) {
	data := loadDamageFile(t)
	res, err := readBytes(t, data, Options{KeepChannel: func(ch string) bool { return ch != "System" }})
	if err != nil {
		t.Fatal(err)
	}
	if res.sum.SkippedChannel != "System" || res.sum.ChunksFound != 1 {
		t.Errorf("SkippedChannel %q after %d chunks, want System after 1", res.sum.SkippedChannel, res.sum.ChunksFound)
	}
	checkInvariant(t, "keep", res)
	all, _ := readBytes(t, data, Options{KeepChannel: func(string) bool { return true }})
	if all.sum.SkippedChannel != "" || all.sum.RecordsDecoded != 299 {
		t.Errorf("kept channel: skipped %q, %d records", all.sum.SkippedChannel, all.sum.RecordsDecoded)
	}
}

// TestNotEVTX rejects input that is not EVTX at all.
func TestNotEVTX(t *testing.T) {
	for _, data := range [][]byte{nil, []byte("hello"), bytes.Repeat([]byte{0}, 70000)} {
		if _, err := NewReader(bytes.NewReader(data), int64(len(data)), Options{}); err == nil {
			t.Errorf("%d bytes: no error", len(data))
		} else if _, ok := err.(*FormatError); !ok {
			t.Errorf("%d bytes: %T, want *FormatError", len(data), err)
		}
	}
	if _, err := NewReader(bytes.NewReader(nil), -1, Options{}); err == nil {
		t.Error("negative size: no error")
	}
}

// shortReader fails every read that reaches past limit, returning the bytes before it.
type shortReader struct {
	data  []byte
	limit int64
}

func (r shortReader) ReadAt(p []byte, off int64) (int, error) {
	if off >= r.limit {
		return 0, errors.New("device error")
	}
	n := copy(p, r.data[off:min(r.limit, int64(len(r.data)))])
	if n < len(p) {
		return n, errors.New("device error")
	}
	return n, nil
}

// TestReadError checks that a read failing inside a chunk is reported and
// the records read before the failure are still returned.
func TestReadError(t *testing.T) {
	data := loadDamageFile(t)
	full, _ := readBytes(t, data, Options{})
	limit := int64(fileHeaderSize + chunkSize + chunkSize/2) // half-way through chunk 1
	r, err := NewReader(shortReader{data, limit}, int64(len(data)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	res := drain(t, r)
	checkInvariant(t, "short read", res)
	inChunk0 := 0
	for _, e := range full.events {
		if e.Source.Chunk == 0 {
			inChunk0++
		}
	}
	if len(res.events) <= inChunk0 || len(res.events) >= len(full.events) {
		t.Errorf("%d events; want more than chunk 0's %d and fewer than all %d", len(res.events), inChunk0, len(full.events))
	}
	reads := 0
	for _, p := range res.sum.Problems {
		if p.Kind == "read" {
			reads++
			if reads == 1 && (p.Chunk != 1 || p.Offset != limit) {
				t.Errorf("first read problem %v, want chunk 1 at 0x%x", p, limit)
			}
		}
	}
	if want := res.sum.Size/chunkSize - 1; reads != int(want) {
		t.Errorf("%d read problems, want one for each of chunks 1..%d", reads, want)
	}
}

// FuzzReader feeds arbitrary bytes to the reader, seeded from the corpus.
func FuzzReader(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*", "*.evtx"))
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil || len(data) > 2<<20 {
			continue
		}
		// Keep seeds small (the fuzzer slows down badly on 64 KiB inputs):
		// the header and the first 12 KiB of the first chunk.
		f.Add(data[:min(len(data), fileHeaderSize+12<<10)])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		readDamaged(t, "fuzz", data)
	})
}
