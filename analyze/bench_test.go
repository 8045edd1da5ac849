package analyze

import (
	"fmt"
	"testing"

	"bitsdiag/parse"
)

// BenchmarkAnalyze measures AddEvent and Result over 10,000 records: 1,000
// jobs, each created, started, failing once, retried and completed.
func BenchmarkAnalyze(b *testing.B) {
	kb, err := LoadKB()
	if err != nil {
		b.Fatal(err)
	}
	var evs []*parse.Event
	for i := 0; i < 1000; i++ {
		job := fmt.Sprintf("%08X-0000-0000-0000-000000000000", i)
		xfer := fmt.Sprintf("%08X-1111-0000-0000-000000000000", i)
		url := fmt.Sprintf("https://host%d.example.com/file%d", i%7, i)
		rec := uint64(i * 10)
		evs = append(evs, created(rec+1, i, job, "J"), started(rec+2, i, xfer, job, "J", url),
			stopped(rec+3, i, 61, xfer, job, "J", url, "2147954430", "100", "10"),
			started(rec+4, i, xfer, job, "J", url), stopped(rec+5, i, 60, xfer, job, "J", url, "0", "100", "100"),
			completed(rec+6, i, job, "J", "100"))
	}
	b.ReportAllocs()
	for b.Loop() {
		a := New(Options{KB: kb})
		for _, e := range evs {
			a.AddEvent(e)
		}
		if r := mustResult(a); len(r.Jobs) != 1000 {
			b.Fatalf("jobs %d", len(r.Jobs))
		}
	}
}
