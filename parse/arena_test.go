package parse

import (
	"strconv"
	"strings"
	"testing"
)

// TestArenaFields: records' fields stay as they were added while later
// records fill and replace blocks, each record's slice has cap = len, and
// reset keeps a bounded amount of memory for reuse.
func TestArenaFields(t *testing.T) {
	var a arena
	var recs [][]Field
	for r := range 300 {
		a.startRecord()
		for i := range r % 40 {
			a.addField(Field{Name: strconv.Itoa(r), Value: strconv.Itoa(i)})
		}
		fs := a.recordFields()
		if len(fs) != r%40 || cap(fs) != len(fs) {
			t.Fatalf("record %d: %d fields, cap %d", r, len(fs), cap(fs))
		}
		recs = append(recs, fs)
	}
	for r, fs := range recs {
		for i, f := range fs {
			if f.Name != strconv.Itoa(r) || f.Value != strconv.Itoa(i) {
				t.Fatalf("record %d field %d = %+v", r, i, f)
			}
		}
	}
	for range 3 { // a crafted chunk's worth of text, reused
		for range 64 {
			a.reserve(64 << 10)
			b := append(a.tail(), strings.Repeat("x", 64<<10)...)
			a.end(b, len(b)-64<<10)
		}
		a.reset()
		kept := 0
		for _, b := range a.spare {
			kept += cap(b)
		}
		if kept > arenaKeepBytes {
			t.Fatalf("reset kept %d bytes, want <= %d", kept, arenaKeepBytes)
		}
	}
}

// TestArenaText: text rendered into the arena, including text longer than
// the room reserved for it, keeps its bytes while more is rendered.
func TestArenaText(t *testing.T) {
	var a arena
	var strs []string
	for i := range 2000 {
		want := strings.Repeat(strconv.Itoa(i%10), i%300)
		a.reserve(len(want) / 3) // too little: append moves the block
		b := a.tail()
		start := len(b)
		b = append(b, want...)
		strs = append(strs, a.end(b, start))
	}
	for i, s := range strs {
		if want := strings.Repeat(strconv.Itoa(i%10), i%300); s != want {
			t.Fatalf("text %d = %q, want %q", i, s, want)
		}
	}
}
