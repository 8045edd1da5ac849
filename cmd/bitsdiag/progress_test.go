package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// TestNoProgressWhenNotTerminal: with stderr a file or a buffer (a pipe, CI),
// no bar is drawn: no carriage returns, no escape sequences.
func TestNoProgressWhenNotTerminal(t *testing.T) {
	if p := startProgress(&bytes.Buffer{}, true, 100, 1); p != nil {
		t.Error("progress bar on a buffer")
	}
	errFile, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer errFile.Close()
	if p := startProgress(errFile, true, 100, 1); p != nil {
		t.Error("progress bar on a regular file")
	}

	src := filepath.Join(corpus(t), bitsLog)
	var out bytes.Buffer
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	code := run([]string{"report", "-v", src}, nil, &out, errFile)
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	b, _ := os.ReadFile(errFile.Name())
	if bytes.ContainsAny(b, "\r\x1b") {
		t.Errorf("stderr has progress output: %q", b)
	}
	if !strings.Contains(string(b), "analysed") {
		t.Errorf("-v log missing from stderr: %q", b)
	}
}

func TestProgressLine(t *testing.T) {
	tests := []struct {
		done, total      int64
		filesDone, files int
		elapsed          time.Duration
		width            int
		want             []string
	}{
		{0, 100 << 20, 0, 3, 0, 80, []string{"[", "  0% 0 B/100.0 MiB  0/3 files"}},
		{50 << 20, 100 << 20, 1, 3, 10 * time.Second, 100, []string{" 50% 50.0 MiB/100.0 MiB  1/3 files  5.0 MiB/s  10s left"}},
		{100 << 20, 100 << 20, 3, 3, 20 * time.Second, 100, []string{"100%", "3/3 files", "5.0 MiB/s"}},
		{200, 100, 1, 1, 0, 40, []string{"100% 100 B/100 B  1/1 files"}}, // narrow: no bar
	}
	for _, tt := range tests {
		got := progressLine(tt.done, tt.total, tt.filesDone, tt.files, tt.elapsed, tt.width)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("progressLine(%d/%d) = %q, lacks %q", tt.done, tt.total, got, w)
			}
		}
		if len(got) > tt.width && tt.width >= 40 {
			t.Errorf("progressLine is %d wide for a %d-column terminal: %q", len(got), tt.width, got)
		}
		if tt.done >= tt.total && strings.Contains(got, "left") {
			t.Errorf("time left shown when done: %q", got)
		}
	}
}

// TestCountingReaderAt: bytes count once each, up to the file's size, and
// finish accounts for what the reader skipped.
func TestCountingReaderAt(t *testing.T) {
	p := &progress{}
	c := &countingReaderAt{r: bytes.NewReader(make([]byte, 1000)), size: 1000, p: p}
	buf := make([]byte, 600)
	c.ReadAt(buf, 0)
	c.ReadAt(buf, 400) // re-read: capped at size
	if got := p.done.Load(); got != 1000 {
		t.Errorf("done = %d, want 1000", got)
	}
	c2 := &countingReaderAt{r: bytes.NewReader(make([]byte, 1000)), size: 1000, p: p}
	c2.ReadAt(buf[:100], 0)
	c2.finish()
	if got, files := p.done.Load(), p.filesDone.Load(); got != 2000 || files != 1 {
		t.Errorf("done = %d, files %d; want 2000, 1", got, files)
	}
}

// TestProgressDrawAndLog: log lines erase the bar before they are written,
// and Stop leaves the line clean.
func TestProgressDrawAndLog(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&buf, -1, 1000, 2)
	lw := &logWriter{w: &buf, p: p}
	p.add(500)
	p.fileDone()
	p.mu.Lock()
	p.draw()
	p.mu.Unlock()
	lw.Write([]byte("level=WARN msg=x\n"))
	p.Stop()
	out := buf.String()
	if !strings.HasPrefix(out, "\r[") || !strings.Contains(out, " 50% 500 B/1000 B  1/2 files") {
		t.Errorf("bar not drawn: %q", out)
	}
	if !strings.Contains(out, "\x1b[Klevel=WARN msg=x\n") {
		t.Errorf("log line does not erase the bar first: %q", out)
	}
	if !strings.HasSuffix(out, "\r\x1b[K") && !strings.HasSuffix(out, "msg=x\n") {
		t.Errorf("bar left on screen after Stop: %q", out)
	}
}

// TestProgressLineNeverWraps: at 30 and 50 columns (and narrower) the line is
// shorter than the terminal, whatever the numbers.
func TestProgressLineNeverWraps(t *testing.T) {
	for _, width := range []int{8, 20, 30, 50, 80} {
		for _, tt := range []struct {
			done, total int64
			elapsed     time.Duration
		}{{0, 0, 0}, {5 << 30, 900 << 30, 3 * time.Hour}, {1, 1 << 50, 10 * time.Second}} {
			got := progressLine(tt.done, tt.total, 12345, 99999, tt.elapsed, width)
			if n := utf8.RuneCountInString(got); n >= width {
				t.Errorf("width %d: %d columns: %q", width, n, got)
			}
			if width >= 30 && !strings.Contains(got, "%") {
				t.Errorf("width %d: no percentage: %q", width, got)
			}
		}
	}
}
