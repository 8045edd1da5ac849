package parse

import (
	"io"
	"os"
	"reflect"
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
