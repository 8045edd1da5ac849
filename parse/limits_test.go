package parse

import (
	"slices"
	"strings"
	"testing"
	"time"

	w "bitsdiag/samples/evtxwrite"
)

// testSystem is a System element naming a provider and an event id (a
// record without them is undecodable).
func testSystem() *w.Element {
	return &w.Element{Name: "System", Children: []w.Node{
		&w.Element{Name: "Provider", Attrs: []w.Attr{{Name: "Name", Value: w.Text("Test")}}},
		&w.Element{Name: "EventID", Children: []w.Node{w.Text("1")}},
	}}
}

// eventRoot is <Event> with System (when outer, for a record's own
// template, not a nested one) and the given EventData children.
func eventRoot(outer bool, kids []w.Node) *w.Element {
	root := &w.Element{Name: "Event"}
	if outer {
		root.Children = append(root.Children, testSystem())
	}
	root.Children = append(root.Children, &w.Element{Name: "EventData", Children: kids})
	return root
}

// repeatTemplate is <Event><EventData> with k <Data> elements that all show
// substitution 0 of type typ (with a System element when outer).
func repeatTemplate(t *testing.T, k int, typ w.ValueType, outer bool) *w.Template {
	t.Helper()
	kids := make([]w.Node, k)
	for i := range kids {
		kids[i] = &w.Element{Name: "Data", Children: []w.Node{w.Sub{Index: 0, Type: typ}}}
	}
	tm, err := w.NewTemplate(eventRoot(outer, kids))
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// encode writes records with the given instances as an .evtx file.
func encode(t *testing.T, events ...w.Instance) []byte {
	t.Helper()
	var recs []w.Record
	for i, e := range events {
		recs = append(recs, w.Record{ID: uint64(i + 1), Written: time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC), Event: e})
	}
	b, err := w.Encode(recs, nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fanOut is a record of a few KB whose template references its BinXML
// substitution k times, nested depth levels deep: rendering it naively
// yields k^depth fields (10^8 for k=10, depth 8).
func fanOut(t *testing.T, k, depth int) w.Instance {
	tm, outer := repeatTemplate(t, k, w.TypeBinXML, false), repeatTemplate(t, k, w.TypeBinXML, true)
	in := w.Instance{Template: repeatTemplate(t, 1, w.TypeString, false), Values: []w.Value{w.String("x")}}
	for i := 1; i < depth; i++ {
		tmpl := tm
		if i == depth-1 {
			tmpl = outer
		}
		in = w.Instance{Template: tmpl, Values: []w.Value{w.BinXML(in)}}
	}
	return in
}

// wide is a record whose template shows one string k times.
func wide(t *testing.T, k, chars int) w.Instance {
	return w.Instance{Template: repeatTemplate(t, k, w.TypeString, true), Values: []w.Value{w.String(strings.Repeat("A", chars))}}
}

func repeat(in w.Instance, n int) []w.Instance {
	out := make([]w.Instance, n)
	for i := range out {
		out[i] = in
	}
	return out
}

// TestRenderLimits checks that records built to expand far beyond their
// bytes are undecodable, quickly and in bounded memory, and that records
// within the limits decode.
func TestRenderLimits(t *testing.T) {
	tests := []struct {
		name    string
		data    []byte
		decoded int
		reasons []string // reasons of the undecodable records, in order
	}{
		{"nested fan-out", encode(t, fanOut(t, 10, 8)), 0, []string{"record renders more than"}},
		{"small fan-out", encode(t, fanOut(t, 3, 4)), 1, nil},
		{"one string shown 500 times", encode(t, wide(t, 500, 10000)), 0, []string{"record renders more than"}},
		{"records over the chunk's limit", encode(t, repeat(wide(t, 500, 1800), 12)...), 4, slices.Repeat([]string{"chunk renders more than"}, 8)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := readBytes(t, tc.data, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkInvariant(t, tc.name, res)
			if len(res.events) != tc.decoded || len(res.errs) != len(tc.reasons) {
				t.Fatalf("%d decoded, %d undecodable (%v); want %d and %d", len(res.events), len(res.errs), res.errs, tc.decoded, len(tc.reasons))
			}
			for i, want := range tc.reasons {
				if !strings.Contains(res.errs[i].Reason, want) {
					t.Errorf("record error %d: %q, want %q", i, res.errs[i].Reason, want)
				}
			}
		})
	}
}

// namedTemplate has k elements all called name.
func namedTemplate(t *testing.T, k int, name string) w.Instance {
	t.Helper()
	kids := make([]w.Node, k)
	for i := range kids {
		kids[i] = &w.Element{Name: name}
	}
	tm, err := w.NewTemplate(eventRoot(true, kids))
	if err != nil {
		t.Fatal(err)
	}
	return w.Instance{Template: tm}
}

// TestCompileLimits checks the limits on compiling template definitions:
// per template (a long name read again for every element that uses it) and
// per chunk (many definitions).
func TestCompileLimits(t *testing.T) {
	tests := []struct {
		name   string
		in     w.Instance
		fields int
		reason string
	}{
		{"800 elements, short name", namedTemplate(t, 800, "Field"), 800, ""},
		{"800 elements, 5000-char name", namedTemplate(t, 800, strings.Repeat("N", 5000)), 0, "parser limits exceeded"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := readBytes(t, encode(t, tc.in), Options{})
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tc.reason == "" && (len(res.events) != 1 || len(res.events[0].Data) != tc.fields):
				t.Fatalf("want one event with %d fields; got %d events, errors %v", tc.fields, len(res.events), res.errs)
			case tc.reason != "" && (len(res.errs) != 1 || !strings.Contains(res.errs[0].Reason, tc.reason)):
				t.Fatalf("want one record error %q; got %d events, errors %v", tc.reason, len(res.events), res.errs)
			}
		})
	}

	// The chunk's budget: the same definition compiled again and again
	// (as records pointing at many overlapping definitions would make it).
	data := encode(t, namedTemplate(t, 800, "Field"))
	chunk := data[fileHeaderSize : fileHeaderSize+chunkSize]
	in, reason := readInstance(chunk, chunkHeaderSize+recordHeaderLen, chunkSize, nil)
	if reason != "" {
		t.Fatal(reason)
	}
	left := newBudget()
	ok := 0
	for i := 0; i < 100; i++ {
		tm := compileTemplate(chunk, in.defOff, &left)
		switch {
		case tm.err == "":
			ok++
		case !strings.Contains(tm.err, "chunk's templates exceed"):
			t.Fatalf("compile %d: %s", i, tm.err)
		}
	}
	if ok == 0 || ok == 100 || left.compileOps > 0 {
		t.Errorf("%d of 100 compiles succeeded, %d operations left; want the chunk's budget to run out", ok, left.compileOps)
	}
}
