package render

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"bitsdiag/analyze"
)

func TestHistogram(t *testing.T) {
	daily := &analyze.Result{Findings: []analyze.Finding{{ID: "F1"}}}
	for i := 0; i < 400; i++ {
		daily.Timeline = append(daily.Timeline, analyze.Bucket{
			Start: at("2023-01-01T00:00:00Z").AddDate(0, 0, i), Length: analyze.BucketLength(24 * time.Hour), Counts: map[string]int{"F1": 1}})
	}
	single := &analyze.Result{Timeline: []analyze.Bucket{{Start: at("2024-05-02T08:00:00Z"), Length: analyze.BucketLength(time.Hour),
		Counts: map[string]int{"F9": 4, "F0": 0}}}}
	weird := &analyze.Result{Timeline: []analyze.Bucket{
		{Start: at("2024-05-02T08:00:00Z"), Length: 0, Counts: map[string]int{"F1": 2}},
		{Start: time.Time{}, Length: analyze.BucketLength(time.Hour), Counts: map[string]int{"F1": 5}}, // no time: not charted
		{Start: at("2024-05-02T09:00:00Z"), Length: analyze.BucketLength(8760 * time.Hour), Counts: map[string]int{"F1": -3}},
	}}
	for _, tc := range []struct {
		name               string
		r                  *analyze.Result
		step               string
		slots, total, peak int
		series             string
	}{
		{"rich", richResult(), "2 hours", 30, 43, 21, "[F1 F2 F3]"},
		{"400 days", daily, "14 days", 29, 400, 14, "[F1]"},
		{"single", single, "hour", 1, 4, 4, "[F9]"},
		{"weird", weird, "hour", 1, 2, 2, "[F1]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := buildHistogram(tc.r, time.UTC)
			if h == nil {
				t.Fatal("no histogram")
			}
			var ids []string
			for _, s := range h.series {
				ids = append(ids, s.id)
			}
			if h.stepName() != tc.step || len(h.slots) != tc.slots || h.total != tc.total || h.max != tc.peak ||
				fmt.Sprint(ids) != tc.series {
				t.Errorf("step %s, %d slots, total %d, peak %d, series %v; want %s, %d, %d, %d, %s",
					h.stepName(), len(h.slots), h.total, h.max, ids, tc.step, tc.slots, tc.total, tc.peak, tc.series)
			}
			if len(h.slots) > maxSlots {
				t.Errorf("%d slots, more than %d", len(h.slots), maxSlots)
			}
		})
	}
	if buildHistogram(emptyResult(), time.UTC) != nil {
		t.Error("histogram without failures")
	}
}

func TestHistogramDaysStartAtLocalMidnight(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	r := &analyze.Result{}
	for i := 0; i < 100; i++ {
		r.Timeline = append(r.Timeline, analyze.Bucket{Start: at("2024-01-01T00:00:00Z").Add(time.Duration(i) * 7 * time.Hour),
			Length: analyze.BucketLength(time.Hour), Counts: map[string]int{"F1": 1}})
	}
	h := buildHistogram(r, tokyo)
	for _, s := range h.slots {
		if l := s.start.In(tokyo); l.Hour() != 0 || l.Minute() != 0 {
			t.Fatalf("slot starts at %v", l)
		}
	}
	if h.total != 100 {
		t.Errorf("total %d, want 100", h.total)
	}
}

// lump keeps the series with the most failures and merges the rest per
// noun, keeping every slot's and the chart's total.
func TestHistogramLump(t *testing.T) {
	h := &histogram{series: []series{
		{id: "F1", noun: "failure", total: 1}, {id: "F2", noun: "failure", total: 9},
		{id: "F3", noun: "event", total: 2}, {id: "F4", noun: "failure", total: 3},
		{id: "F5", noun: "event", total: 5},
	}, slots: []slot{{counts: []int{1, 4, 2, 0, 5}, total: 12}, {counts: []int{0, 5, 0, 3, 0}, total: 8}}}
	h.lump(2)
	var ids []string
	for _, s := range h.series {
		ids = append(ids, s.id+":"+s.noun+":"+strconv.Itoa(s.total))
	}
	if got, want := strings.Join(ids, " "), "F2:failure:9 F5:event:5 Other:failure:4 Other:event:2"; got != want {
		t.Errorf("series %s, want %s", got, want)
	}
	for i, s := range h.slots {
		sum := 0
		for _, c := range s.counts {
			sum += c
		}
		if sum != s.total || len(s.counts) != len(h.series) {
			t.Errorf("slot %d: counts %v, total %d", i, s.counts, s.total)
		}
	}
	if h.series[2].title != "2 findings: F1, F4" {
		t.Errorf("other title %q", h.series[2].title)
	}
}
