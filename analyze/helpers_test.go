package analyze

import (
	"context"
	"encoding/json"
	"testing"
	"time"
	"unicode/utf16"

	"bitsdiag/parse"
)

// t0 is the base time of hand-built events.
var t0 = time.Date(2024, 11, 14, 16, 0, 0, 0, time.UTC)

const opChannel = "Microsoft-Windows-Bits-Client/Operational"

// bitsEv builds a Bits-Client Operational event min minutes after t0.
// mustResult is the analyzer's result; it panics on an error (tests only:
// a cancelled context or a broken embedded knowledge base).
func mustResult(a *Analyzer) *Result {
	r, err := a.ResultContext(context.Background())
	if err != nil {
		panic(err)
	}
	return r
}

// defaultSel is the default sources' reader selection.
var defaultSel = Select(nil)

func bitsEv(rec uint64, min int, id uint16, ver uint8, kv ...string) *parse.Event {
	e := &parse.Event{Source: parse.Source{File: "op.evtx", Offset: int64(rec) * 100}, RecordID: rec,
		TimeCreated: t0.Add(time.Duration(min) * time.Minute), Computer: "PC1", Channel: opChannel,
		Provider: ProviderBITS, EventID: id, Version: ver}
	for i := 0; i+1 < len(kv); i += 2 {
		e.Data = append(e.Data, parse.Field{Name: kv[i], Value: kv[i+1]})
	}
	return e
}

// sysEv builds a System-channel event from provider.
func sysEv(provider string, rec uint64, min int, id uint16, bin []byte, kv ...string) *parse.Event {
	e := bitsEv(rec, min, id, 0, kv...)
	e.Provider, e.Channel, e.Binary, e.Source.File = provider, "System", bin, "sys.evtx"
	return e
}

// u16 encodes s as UTF-16LE with a terminating NUL, like SCM <Binary>.
func u16(s string) []byte {
	var b []byte
	for _, c := range utf16.Encode([]rune(s)) {
		b = append(b, byte(c), byte(c>>8))
	}
	return append(b, 0, 0)
}

// Job and transfer ids used by the tests.
const (
	jobA  = "161D2E57-00CF-4619-A9DD-6ED04AE71848"
	jobB  = "5350DC49-64EF-4712-B7B6-1C68CD834777"
	xfer1 = "DEE4AAA3-4A69-4696-BC63-96CE7971EF91"
	xfer2 = "BFF4295D-01B3-4706-BDF4-5AC861C94AF3"
)

func created(rec uint64, min int, job, title string) *parse.Event {
	return bitsEv(rec, min, 3, 3, "jobTitle", title, "jobId", job, "jobOwner", `NT AUTHORITY\Local Service`,
		"processPath", `C:\Windows\System32\svchost.exe`, "processId", "2300", "ClientProcessStartKey", "562949953421374")
}

func started(rec uint64, min int, xfer, job, title, url string) *parse.Event {
	return bitsEv(rec, min, 59, 1, "transferId", xfer, "name", title, "Id", job, "url", url, "peer", "",
		"fileTime", "2017-05-16T22:58:00Z", "fileLength", "18446744073709551615", "bytesTotal", "18446744073709551615",
		"bytesTransferred", "0", "bytesTransferredFromPeer", "0")
}

func stopped(rec uint64, min int, id uint16, xfer, job, title, url, hr, total, done string) *parse.Event {
	return bitsEv(rec, min, id, 1, "transferId", xfer, "name", title, "Id", job, "url", url, "peer", "",
		"hr", hr, "fileTime", "2017-05-16T22:58:00Z", "fileLength", total, "bytesTotal", total,
		"bytesTransferred", done, "proxy", "", "peerProtocolFlags", "0", "bytesTransferredFromPeer", "0",
		"AdditionalInfoHr", "0", "PeerContextInfo", "0", "bandwidthLimit", "18446744073709551615",
		"ignoreBandwidthLimitsOnLan", "False")
}

func completed(rec uint64, min int, job, title, bytes string) *parse.Event {
	return bitsEv(rec, min, 4, 1, "User", `NT AUTHORITY\Local Service`, "jobTitle", title, "jobId", job,
		"jobOwner", `NT AUTHORITY\Local Service`, "fileCount", "1", "bytesTransferred", bytes, "bytesTransferredFromPeer", "0")
}

func cancelled(rec uint64, min int, job, title string) *parse.Event {
	return bitsEv(rec, min, 5, 1, "User", `NT AUTHORITY\Local Service`, "jobTitle", title, "jobId", job,
		"jobOwner", `NT AUTHORITY\Local Service`, "fileCount", "1", "processId", "2300", "ClientProcessStartKey", "1")
}

// analyse runs a fresh Analyzer over events.
func analyse(t *testing.T, o Options, evs ...*parse.Event) *Result {
	t.Helper()
	if o.KB == nil {
		kb, err := LoadKB()
		if err != nil {
			t.Fatalf("LoadKB: %v", err)
		}
		o.KB = kb
	}
	a := New(o)
	for _, e := range evs {
		a.AddEvent(e)
	}
	return mustResult(a)
}

// findingByKB returns the finding with this kb id, or nil.
func findingByKB(r *Result, id string) *Finding {
	for i := range r.Findings {
		if r.Findings[i].KBID == id {
			return &r.Findings[i]
		}
	}
	return nil
}

func kbIDs(r *Result) []string {
	var ids []string
	for _, f := range r.Findings {
		ids = append(ids, f.KBID)
	}
	return ids
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
