package pipeline

import (
	"context"
	"os"
	"testing"

	"bitsdiag/analyze"
	"bitsdiag/inputs"
)

// BenchmarkReportFile analyses BITSDIAG_BENCH_FILE as "bitsdiag report"
// does (read, pre-filter, facts, checksum, analysis); with -cpuprofile it
// shows where report's time goes on a BITS-heavy log.
func BenchmarkReportFile(b *testing.B) {
	p := os.Getenv("BITSDIAG_BENCH_FILE")
	if p == "" {
		b.Skip("set BITSDIAG_BENCH_FILE to a large .evtx file (e.g. made with ../shared/tools/evtx_synth.py)")
	}
	for b.Loop() {
		set := collectB(b, p)
		if _, err := Analyse(context.Background(), set, Options{}, analyze.Options{}); err != nil {
			b.Fatal(err)
		}
		set.Close()
	}
}

// collectB collects the input at p.
func collectB(b *testing.B, p string) *inputs.Set {
	set, err := inputs.Collect(context.Background(), []string{p}, nil, inputs.DefaultLimits())
	if err != nil {
		b.Fatal(err)
	}
	return set
}
