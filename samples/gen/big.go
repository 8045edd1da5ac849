package main

import (
	"fmt"
	"os"
	"time"

	"bitsdiag/samples/evtxwrite"
	"bitsdiag/samples/scenario"
)

// writeBig writes a System log of about limit bytes: unrelated events with
// a BITS start-type flip, state change or crash every few thousand records.
func writeBig(path string, limit int64) (int, error) {
	if limit < evtxwrite.FileHeaderSize+evtxwrite.ChunkSize {
		return 0, fmt.Errorf("size too small")
	}
	maxChunks := int((limit - evtxwrite.FileHeaderSize) / evtxwrite.ChunkSize)
	if maxChunks > evtxwrite.MaxChunks {
		return 0, fmt.Errorf("size above the format's %d chunks", evtxwrite.MaxChunks)
	}
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	w, err := evtxwrite.NewWriter(f)
	if err != nil {
		f.Close()
		return 0, err
	}
	h := scenario.NewHost("SRV-FILE01.contoso.local")
	ts := scenario.NewTemplates()
	t := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	id := uint64(1)
	// Stop when one chunk is left: Close flushes the open one.
	for w.Chunks() < maxChunks-1 {
		t = t.Add(time.Duration(1+h.R.Intn(40_000)) * time.Millisecond)
		var ev scenario.Event
		switch {
		case id%5000 == 0:
			ev = h.Crashed(t, scenario.BITS, 1, 60000, "Restart the service")
		case id%1500 == 0:
			ev = h.StartTypeChanged(t, scenario.BITS, "auto start", "demand start", "S-1-5-18")
		case id%1000 == 0:
			ev = h.ServiceState(t, scenario.BITS, "running", 4)
		default:
			ev = h.Noise(t)
		}
		r, err := ts.Record(ev, id)
		if err == nil {
			err = w.Add(r)
		}
		if err != nil {
			f.Close()
			return 0, err
		}
		id++
	}
	if err := w.Close(); err != nil {
		f.Close()
		return 0, err
	}
	return w.Records(), f.Close()
}
