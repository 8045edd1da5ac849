package parse

import (
	"reflect"
	"testing"
	"time"

	w "bitsdiag/samples/evtxwrite"
)

func el(name string, kids ...w.Node) *w.Element { return &w.Element{Name: name, Children: kids} }

func named(name string, kids ...w.Node) *w.Element {
	return &w.Element{Name: "Data", Attrs: []w.Attr{{Name: "Name", Value: w.Text(name)}}, Children: kids}
}

func sub(i int, typ w.ValueType) w.Sub { return w.Sub{Index: uint16(i), Type: typ} }

// systemEvent is an Event template in Windows' shape with every System field
// the reader knows, and payload as its last substitution (index 11).
func systemEvent(t *testing.T) *w.Template {
	t.Helper()
	tm, err := w.NewTemplate(el("Event",
		el("System",
			&w.Element{Name: "Provider", Attrs: []w.Attr{{Name: "Name", Value: w.Text("Service Control Manager")}, {Name: "Guid", Value: sub(0, w.TypeGUID)}}},
			&w.Element{Name: "EventID", Attrs: []w.Attr{{Name: "Qualifiers", Value: sub(1, w.TypeUInt16)}}, Children: []w.Node{sub(2, w.TypeUInt16)}},
			el("Version", sub(3, w.TypeUInt8)), el("Level", sub(4, w.TypeUInt8)), el("Task", sub(5, w.TypeUInt16)),
			el("Opcode", sub(6, w.TypeUInt8)), el("Keywords", sub(7, w.TypeHexInt64)),
			&w.Element{Name: "TimeCreated", Attrs: []w.Attr{{Name: "SystemTime", Value: sub(8, w.TypeFileTime)}}},
			el("EventRecordID", sub(9, w.TypeUInt64)),
			&w.Element{Name: "Correlation", Attrs: []w.Attr{{Name: "ActivityID", Value: sub(10, w.TypeGUID)}}},
			el("Channel", w.Text("System")), el("Computer", w.Text("PC1.contoso.com")),
			&w.Element{Name: "Security", Attrs: []w.Attr{{Name: "UserID", Value: sub(12, w.TypeSID)}}}),
		sub(11, w.TypeBinXML)))
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func tmpl(t *testing.T, root *w.Element) *w.Template {
	t.Helper()
	tm, err := w.NewTemplate(root)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// TestDecodeEvent checks every Event field of records in Windows' shape: the
// System element, EventData (named, unnamed, Binary) and UserData flattened
// in document order.
func TestDecodeEvent(t *testing.T) {
	when := time.Date(2026, 1, 14, 3, 12, 40, 123456700, time.UTC)
	sid, err := w.SIDValue("S-1-5-18")
	if err != nil {
		t.Fatal(err)
	}
	system := func(payload w.Instance) []w.Value {
		return []w.Value{w.GUIDValue(w.MustGUID("{555908d1-a6d7-4695-8e1e-26931d2012f4}")), w.UInt16(16384), w.UInt16(7036),
			w.UInt8(0), w.UInt8(4), w.UInt16(0), w.UInt8(0), w.HexInt64(0x8080000000000000), w.FileTime(when), w.UInt64(4711),
			w.GUIDValue(w.MustGUID("{b9d7c3f0-1a2b-4c5d-8e9f-0123456789ab}")), w.BinXML(payload), sid}
	}
	eventData := w.Instance{Template: tmpl(t, el("EventData",
		named("param1", sub(0, w.TypeString)), named("when", sub(1, w.TypeFileTime)), named("hr", sub(2, w.TypeUInt32)),
		named("job", sub(3, w.TypeGUID)), el("Binary", sub(4, w.TypeBinary)))),
		Values: []w.Value{w.String("Background Intelligent Transfer Service"), w.FileTime(when), w.UInt32(0x80200013),
			w.GUIDValue(w.MustGUID("{161d2e57-00cf-4619-a9dd-6ed04ae71848}")), w.Binary([]byte("B\x00I\x00"))}}
	unnamed := w.Instance{Template: tmpl(t, el("EventData", el("Data", sub(0, w.TypeString)), el("Data", sub(1, w.TypeUInt32)))),
		Values: []w.Value{w.String("a"), w.UInt32(7)}}
	userData := w.Instance{Template: tmpl(t, el("UserData", el("ServiceEvent",
		el("Name", sub(0, w.TypeString)), el("Inner", el("State", sub(1, w.TypeUInt32)), named("Extra", sub(2, w.TypeString))),
		el("Empty")))),
		Values: []w.Value{w.String("BITS"), w.UInt32(4), w.String("x")}}

	sys := systemEvent(t)
	data := encode(t, w.Instance{Template: sys, Values: system(eventData)}, w.Instance{Template: sys, Values: system(unnamed)},
		w.Instance{Template: sys, Values: system(userData)})
	res, err := readBytes(t, data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.events) != 3 {
		t.Fatalf("%d events, errors %v", len(res.events), res.errs)
	}
	head := Event{RecordID: 4711, TimeCreated: when, Computer: "PC1.contoso.com", Channel: "System",
		Provider: "Service Control Manager", ProviderGUID: "555908D1-A6D7-4695-8E1E-26931D2012F4", EventID: 7036,
		Qualifiers: 16384, Level: 4, Keywords: 0x8080000000000000, ActivityID: "B9D7C3F0-1A2B-4C5D-8E9F-0123456789AB", UserID: "S-1-5-18"}
	wants := []struct {
		data   []Field
		binary []byte
	}{
		{[]Field{{"param1", "Background Intelligent Transfer Service"}, {"when", "2026-01-14T03:12:40.1234567Z"},
			{"hr", "2149580819"}, {"job", "161D2E57-00CF-4619-A9DD-6ED04AE71848"}}, []byte("B\x00I\x00")},
		{[]Field{{"Data1", "a"}, {"Data2", "7"}}, nil},
		{[]Field{{"Name", "BITS"}, {"State", "4"}, {"Extra", "x"}, {"Empty", ""}}, nil},
	}
	for i, want := range wants {
		got := *res.events[i]
		if got.Source.Chunk != 0 || got.Source.Offset == 0 {
			t.Errorf("event %d: source %+v", i, got.Source)
		}
		got.Source = Source{}
		exp := head
		exp.Data, exp.Binary = want.data, want.binary
		if !reflect.DeepEqual(got, exp) {
			t.Errorf("event %d:\n got %+v\nwant %+v", i, got, exp)
		}
	}
}
