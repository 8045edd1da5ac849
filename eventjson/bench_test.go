package eventjson

import (
	"io"
	"os"
	"testing"

	"bitsdiag/parse"
)

// BenchmarkEventsAll reads BITSDIAG_BENCH_FILE as "bitsdiag events --all"
// does (decode every record and encode it as JSON Lines in the chunk
// workers, parse.Options.Encode, with events recycled) and reports MB/s.
func BenchmarkEventsAll(b *testing.B) { benchEvents(b, true) }

// BenchmarkEventsAllSerial encodes in the consumer instead (one goroutine).
func BenchmarkEventsAllSerial(b *testing.B) { benchEvents(b, false) }

// benchFile opens BITSDIAG_BENCH_FILE (closed when b ends) and returns it
// with its path and size; it skips b when the variable is not set.
func benchFile(b *testing.B) (*os.File, string, int64) {
	path := os.Getenv("BITSDIAG_BENCH_FILE")
	if path == "" {
		b.Skip("set BITSDIAG_BENCH_FILE to a large .evtx file (e.g. made with ../shared/tools/evtx_synth.py)")
	}
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { f.Close() })
	st, err := f.Stat()
	if err != nil {
		b.Fatal(err)
	}
	return f, path, st.Size()
}

func benchEvents(b *testing.B, parallel bool) {
	f, path, size := benchFile(b)
	b.SetBytes(size)
	b.ReportAllocs()
	var out int
	var line []byte
	for b.Loop() {
		o := parse.Options{Name: path}
		if parallel {
			o.Encode, o.Recycle = Append, true
		}
		rd, err := parse.NewReader(f, size, o)
		if err != nil {
			b.Fatal(err)
		}
		for {
			ev, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				continue
			}
			if parallel {
				out += len(rd.Encoded())
				continue
			}
			line = Append(line[:0], ev)
			out += len(line)
		}
		rd.Close()
	}
	b.ReportMetric(float64(out)/float64(b.N), "out-bytes/op")
}

// BenchmarkAppend encodes the records of BITSDIAG_BENCH_FILE, decoded
// once beforehand, on one goroutine: the encoder's cost alone.
func BenchmarkAppend(b *testing.B) {
	f, path, size := benchFile(b)
	rd, err := parse.NewReader(f, size, parse.Options{Name: path})
	if err != nil {
		b.Fatal(err)
	}
	var events []*parse.Event
	for {
		ev, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err == nil {
			events = append(events, ev)
		}
	}
	rd.Close()
	b.SetBytes(size)
	b.ReportAllocs()
	var line []byte
	for b.Loop() {
		for _, ev := range events {
			line = Append(line[:0], ev)
		}
	}
}
