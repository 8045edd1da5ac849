package samples

import (
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"bitsdiag/parse"
	"bitsdiag/samples/evtxwrite"
	"bitsdiag/samples/scenario"
)

// canonical is a field's value as bitsdiag's reader renders it (the
// scenario's Text is python-evtx's rendering).
func canonical(t *testing.T, f scenario.Field) string {
	t.Helper()
	switch f.Value.Type {
	case evtxwrite.TypeGUID:
		return strings.ToUpper(strings.Trim(f.Text, "{}"))
	case evtxwrite.TypeBool:
		return strings.ToLower(f.Text)
	case evtxwrite.TypeFileTime:
		tm, err := time.Parse("2006-01-02 15:04:05.999999", f.Text)
		if err != nil {
			t.Fatalf("field %s: %v", f.Name, err)
		}
		return tm.Format(time.RFC3339Nano)
	}
	return f.Text
}

// TestReaderReadsIntended reads every undamaged sample with bitsdiag's own
// reader and compares each record with the intended event, field by field:
// the check TestIndependentParsers makes with libevtx and python-evtx.
func TestReaderReadsIntended(t *testing.T) {
	files, records := 0, 0
	for _, o := range generate(t) {
		if !strings.HasSuffix(o.Path, ".evtx") || len(o.File.Damage) > 0 || len(o.File.Stale) > 0 {
			continue
		}
		r, err := parse.NewReader(bytes.NewReader(o.Data), int64(len(o.Data)), parse.Options{Name: o.Path})
		if err != nil {
			t.Fatalf("%s: %v", o.Path, err)
		}
		var got []*parse.Event
		for {
			e, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", o.Path, err)
			}
			got = append(got, e)
		}
		r.Close()
		if p := r.Summary().Problems; len(p) > 0 {
			t.Errorf("%s: problems in an undamaged sample: %v", o.Path, p)
		}
		want := o.File.Sorted()
		files, records = files+1, records+len(want)
		if len(got) != len(want) {
			t.Errorf("%s: %d records, want %d", o.Path, len(got), len(want))
			continue
		}
		for i, w := range want {
			exp := parse.Event{Source: got[i].Source, RecordID: o.File.FirstRecordID + uint64(i),
				TimeCreated: w.Time.UTC().Truncate(100 * time.Nanosecond), Computer: w.Computer, Channel: w.Channel,
				Provider: w.Provider.Name, ProviderGUID: strings.ToUpper(strings.Trim(w.Provider.GUID, "{}")),
				EventID: w.EventID, Version: w.Version, Level: w.Level, Task: w.Task, Opcode: w.Opcode, Keywords: w.Keywords,
				ActivityID: strings.ToUpper(strings.Trim(w.ActivityID, "{}")), UserID: w.UserID, Binary: w.Binary}
			if w.Qualifiers != nil {
				exp.Qualifiers = *w.Qualifiers
			}
			for _, f := range w.Data {
				exp.Data = append(exp.Data, parse.Field{Name: f.Name, Value: canonical(t, f)})
			}
			if !reflect.DeepEqual(*got[i], exp) {
				t.Errorf("%s record %d:\n got %+v\nwant %+v", o.Path, i, *got[i], exp)
			}
		}
	}
	if files < 30 {
		t.Errorf("only %d undamaged samples checked", files)
	}
	t.Logf("%d files, %d records compared", files, records)
}
