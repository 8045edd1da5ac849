package parse

import (
	"bytes"
	"io"
	"os"
	"reflect"
	"runtime"
	"testing"
)

// TestRecycleSameEvents: with Options.Recycle every event (checked before
// the next call to Next, as long as it is valid) and the summary are the
// same as without, for every corpus file, with slack recovered, on one
// and on several workers; recycled memory never shows through.
func TestRecycleSameEvents(t *testing.T) {
	for _, m := range loadManifest(t) {
		for _, o := range []Options{{Workers: 1}, {Workers: 3, RecoverSlack: true}} {
			want, wantSum := readAll(t, m.path(), o)
			o.Recycle = true
			f, err := os.Open(m.path())
			if err != nil {
				t.Fatal(err)
			}
			st, _ := f.Stat()
			rd, err := NewReader(f, st.Size(), o)
			if err != nil {
				f.Close()
				continue
			}
			n := 0
			for ; ; n++ {
				ev, err := rd.Next()
				if err == io.EOF {
					break
				}
				if n >= len(want) {
					t.Fatalf("%s: more records with Recycle", m.path())
				}
				if ev == nil {
					ev = &Event{}
				}
				if !reflect.DeepEqual(*ev, want[n].ev) || !reflect.DeepEqual(err, want[n].err) {
					t.Fatalf("%s record %d with Recycle:\n got %+v, %v\nwant %+v, %v", m.path(), n, *ev, err, want[n].ev, want[n].err)
				}
			}
			if n != len(want) {
				t.Errorf("%s: %d records with Recycle, want %d", m.path(), n, len(want))
			}
			if !reflect.DeepEqual(rd.Summary(), wantSum) {
				t.Errorf("%s: summary with Recycle\n got %+v\nwant %+v", m.path(), rd.Summary(), wantSum)
			}
			rd.Close()
			f.Close()
		}
	}
}

type readResult struct {
	ev  Event
	err error
}

// readAll reads every record of path with o (without Recycle).
func readAll(t *testing.T, path string, o Options) ([]readResult, *Summary) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	rd, err := NewReader(f, st.Size(), o)
	if err != nil {
		return nil, nil
	}
	defer rd.Close()
	var out []readResult
	for {
		ev, err := rd.Next()
		if err == io.EOF {
			return out, rd.Summary()
		}
		r := readResult{err: err}
		if ev != nil {
			r.ev = *ev
		}
		out = append(out, r)
	}
}

// TestRecycleAllocs: with Recycle, decoding every record of a System log
// allocates well under one object per record once its templates are
// compiled (the full-decoding goal of issue 18: < 1 per record).
func TestRecycleAllocs(t *testing.T) {
	path := corpusDir + "/system/anotherc0ne_EventLog_System.evtx"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skip("corpus not available")
	}
	read := func() int {
		rd, err := NewReader(bytes.NewReader(data), int64(len(data)), Options{Recycle: true, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		defer rd.Close()
		n := 0
		for {
			_, err := rd.Next()
			if err == io.EOF {
				return n
			}
			n++
		}
	}
	read() // templates compiled (process-wide cache)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	n := read()
	runtime.ReadMemStats(&after)
	perRecord := float64(after.Mallocs-before.Mallocs) / float64(n)
	t.Logf("%d records, %.3f allocations per record", n, perRecord)
	if n < 1000 || perRecord >= 0.5 {
		t.Errorf("%d records, %.3f allocations per record with Recycle, want < 0.5", n, perRecord)
	}
}
