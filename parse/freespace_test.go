package parse

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// liveIDs lists the record ids and providers of the live events of res.
func liveIDs(res result) []string {
	var out []string
	for _, e := range res.events {
		if !e.Recovered {
			out = append(out, fmt.Sprintf("%d/%s", e.RecordID, e.Provider))
		}
	}
	return out
}

// TestUntrustedFreeSpace damages the free-space offset of every chunk with
// slack records (4 bytes, so the chunk header CRC32 fails), as in the two
// cases of issue 16 item 7: an offset past the slack (which promoted stale
// Bits-Client records to live) and 512 (which hid every live record). The
// live records and the stale count must stay those of the intact file.
func TestUntrustedFreeSpace(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "malformed", "deepbluecli_*_bits_in_slack.evtx"))
	if len(files) == 0 {
		t.Skip("corpus not available: needs ../shared/evtx-corpus/malformed/deepbluecli_*_bits_in_slack.evtx")
	}
	for _, path := range files {
		orig, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want, err := readBytes(t, orig, Options{})
		if err != nil {
			t.Fatal(err)
		}
		wantIDs := fmt.Sprint(liveIDs(want))
		damaged := 0
		for base := fileHeaderSize; base+chunkSize <= len(orig); base += chunkSize {
			free := int(binary.LittleEndian.Uint32(orig[base+48:]))
			if nextRecord(orig[base:base+chunkSize], free, chunkSize) < 0 {
				continue // no slack in this chunk
			}
			for _, bad := range []uint32{chunkSize, chunkHeaderSize} {
				name := fmt.Sprintf("%s chunk@%d free=%d", filepath.Base(path), base, bad)
				data := append([]byte(nil), orig...)
				binary.LittleEndian.PutUint32(data[base+48:], bad)
				got, err := readBytes(t, data, Options{})
				if err != nil {
					t.Fatal(err)
				}
				checkInvariant(t, name, got)
				if g := fmt.Sprint(liveIDs(got)); g != wantIDs {
					t.Errorf("%s: live records changed:\n got %s\nwant %s", name, g, wantIDs)
				}
				if got.sum.SlackRecords != want.sum.SlackRecords {
					t.Errorf("%s: %d stale records, want %d", name, got.sum.SlackRecords, want.sum.SlackRecords)
				}
				if got.sum.FirstWritten != want.sum.FirstWritten || got.sum.FirstRecordID != want.sum.FirstRecordID {
					t.Errorf("%s: span starts %v id %d, want %v id %d", name, got.sum.FirstWritten, got.sum.FirstRecordID,
						want.sum.FirstWritten, want.sum.FirstRecordID)
				}
				if !got.sum.HasProblem("chunk-free-space") || !got.sum.HasProblem("chunk-header-crc") {
					t.Errorf("%s: damage not reported: %v", name, got.sum.Problems)
				}
				damaged++
			}
		}
		if damaged == 0 {
			t.Errorf("%s: no chunk with slack", path)
		}
	}
}

// TestIDsOutsideHeaderRange checks that when a damaged chunk header's
// free-space offset cannot be confirmed by the records CRC32, records
// whose ids lie outside the header's first/last ids are stale, not live.
func TestIDsOutsideHeaderRange(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "malformed", "deepbluecli_*_bits_in_slack.evtx"))
	if len(files) == 0 {
		t.Skip("corpus not available")
	}
	orig, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	want, err := readBytes(t, orig, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for base := fileHeaderSize; base+chunkSize <= len(orig); base += chunkSize {
		if nextRecord(orig[base:base+chunkSize], int(binary.LittleEndian.Uint32(orig[base+48:])), chunkSize) < 0 {
			continue
		}
		data := append([]byte(nil), orig...)
		// Free space past the slack and a records CRC that matches nothing:
		// only the header's record ids can tell live from stale.
		binary.LittleEndian.PutUint32(data[base+48:], chunkSize)
		binary.LittleEndian.PutUint32(data[base+52:], ^binary.LittleEndian.Uint32(orig[base+52:]))
		got, err := readBytes(t, data, Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkInvariant(t, "ids", got)
		if g, w := fmt.Sprint(liveIDs(got)), fmt.Sprint(liveIDs(want)); g != w {
			t.Errorf("chunk@%d: live records changed:\n got %s\nwant %s", base, g, w)
		}
		if got.sum.SlackRecords < want.sum.SlackRecords {
			t.Errorf("chunk@%d: %d stale records, want at least %d", base, got.sum.SlackRecords, want.sum.SlackRecords)
		}
		return
	}
	t.Fatal("no chunk with slack")
}

// TestDamagedRecordID changes one live record's header id in a chunk whose
// header is intact: the record is still decoded, but its id stays out of
// the file's id span (it would otherwise claim records that never were).
func TestDamagedRecordID(t *testing.T) {
	orig := loadDamageFile(t)
	want, err := readBytes(t, orig, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var f chunkFrame
	frameChunk(orig[fileHeaderSize:fileHeaderSize+chunkSize], 0, fileHeaderSize, false, &f)
	loc := f.records[len(f.records)/2]
	data := append([]byte(nil), orig...)
	binary.LittleEndian.PutUint64(data[fileHeaderSize+loc.off+8:], 1<<40)
	got, err := readBytes(t, data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkInvariant(t, "record id", got)
	if got.sum.RecordsDecoded != want.sum.RecordsDecoded {
		t.Errorf("decoded %d, want %d", got.sum.RecordsDecoded, want.sum.RecordsDecoded)
	}
	if got.sum.FirstRecordID != want.sum.FirstRecordID || got.sum.LastRecordID != want.sum.LastRecordID {
		t.Errorf("id span %d-%d, want %d-%d", got.sum.FirstRecordID, got.sum.LastRecordID, want.sum.FirstRecordID, want.sum.LastRecordID)
	}
	if !got.sum.HasProblem("record-id-range") {
		t.Errorf("no record-id-range problem: %v", got.sum.Problems)
	}
}
