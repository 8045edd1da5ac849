package render

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"bitsdiag/analyze"
)

func TestJSONGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    *analyze.Result
	}{
		{"rich.json", richResult()},
		{"empty.json", emptyResult()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := JSON(&b, tc.r); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, b.Bytes())
		})
	}
}

func TestJSONShape(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, richResult()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		`"generated": "2024-05-03T09:00:00Z"`,        // RFC 3339
		`"codes": [` + "\n" + `        "0x80200013"`, // 0x%08X
		`"name": "BG_E_INSUFFICIENT_RANGE_SUPPORT"`,
		`"bytes_total": null`, // unknown stays distinguishable from 0
		`"records_undecodable": 3`,
		"\n  \"findings\": [\n    {\n", // indented
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q", want)
		}
	}
	// The model survives a round trip.
	var back analyze.Result
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := JSON(&again, &back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), again.Bytes()) {
		t.Error("JSON differs after a decode/encode round trip")
	}
}

func TestJSONEmptyListsNotNull(t *testing.T) {
	r := &analyze.Result{Findings: []analyze.Finding{{ID: "F1"}}}
	var b bytes.Buffer
	if err := JSON(&b, r); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"inputs", "computers", "findings", "jobs", "coverage", "timeline"} {
		if _, ok := m[k].([]any); !ok {
			t.Errorf("%q is %v, want a list", k, m[k])
		}
	}
	f := m["findings"].([]any)[0].(map[string]any)
	for _, k := range []string{"codes", "code_details", "hosts", "evidence", "fix"} {
		if _, ok := f[k].([]any); !ok {
			t.Errorf("finding %q is %v, want a list", k, f[k])
		}
	}
	if r.Inputs != nil || r.Findings[0].Codes != nil {
		t.Error("JSON changed the caller's result")
	}
}

func TestNilResult(t *testing.T) {
	var b bytes.Buffer
	if JSON(&b, nil) == nil || Markdown(&b, nil, Options{}) == nil || PDF(&b, nil, Options{}) == nil {
		t.Error("nil result accepted")
	}
}

// TestJSONStreamedLists: writing jobs and failures element by element gives
// the bytes one json.Encoder gives for the whole document, whatever the
// lists hold (none, one, many; hostile strings; nil inner lists).
func TestJSONStreamedLists(t *testing.T) {
	for _, n := range []int{0, 1, 3} {
		r := richResult()
		r.Jobs, r.Failures = nil, nil
		for i := range n {
			r.Jobs = append(r.Jobs, analyze.Job{ID: strings.Repeat("j", i+1), Title: "<script>\"jobs\": []\n  </script>", URLs: nil})
			r.Failures = append(r.Failures, analyze.Failure{Computer: "PC&1", JobTitle: "\"failures\": []", RecordID: uint64(i)})
		}
		var got bytes.Buffer
		if err := JSON(&got, r); err != nil {
			t.Fatal(err)
		}
		c := withEmptyLists(r)
		for i := range c.Jobs {
			c.Jobs[i] = jobWithEmptyLists(c.Jobs[i])
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		if err := enc.Encode(c); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%d jobs: streamed JSON differs from one Encoder's:\n%s\nwant\n%s", n, got.String(), want.String())
		}
	}
}
