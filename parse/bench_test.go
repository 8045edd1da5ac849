package parse

import (
	"io"
	"os"
	"testing"
)

// benchRead reads the file named by BITSDIAG_BENCH_FILE with opts and
// reports MB/s (via SetBytes) and records/s (records seen per second).
func benchRead(b *testing.B, opts Options) {
	path := os.Getenv("BITSDIAG_BENCH_FILE")
	if path == "" {
		b.Skip("set BITSDIAG_BENCH_FILE to a large .evtx file (e.g. made with ../shared/tools/evtx_synth.py)")
	}
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	records, kept := 0, 0
	for b.Loop() {
		r, err := NewReader(f, st.Size(), opts)
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err == nil {
				kept++
			}
		}
		records += r.Summary().RecordsSeen
		r.Close()
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(kept)/float64(b.N), "kept/op")
}

// BenchmarkFullDecode decodes every record.
func BenchmarkFullDecode(b *testing.B) { benchRead(b, Options{}) }

// BenchmarkBITSFilter decodes only what the BITS pre-filter lets through.
func BenchmarkBITSFilter(b *testing.B) { benchRead(b, Options{Filter: benchFilter}) }

// BenchmarkFullDecodeOneWorker decodes every record on one chunk worker:
// the decoder's CPU cost per op with less scheduling noise.
func BenchmarkFullDecodeOneWorker(b *testing.B) { benchRead(b, Options{Workers: 1}) }
