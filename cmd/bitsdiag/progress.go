package main

import (
	"bitsdiag/textfmt"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"golang.org/x/term"
)

// progress draws a one-line bar on a terminal: bytes done of total, files
// done, rate and time left. A nil *progress draws nothing, so callers need no
// checks; the bar is created only when stderr is a terminal and not --quiet.
type progress struct {
	w          io.Writer
	fd         int
	total      int64
	files      int
	done       atomic.Int64
	filesDone  atomic.Int64
	start      time.Time
	mu         sync.Mutex // serialises drawing and log lines
	drawn      bool
	stop, quit chan struct{}
}

// progressInterval is how often the bar is redrawn; progressBarWidth is the
// bar's width in columns when the terminal is wide enough.
const (
	progressInterval = 200 * time.Millisecond
	progressBarWidth = 24
)

// startProgress starts a bar on w if w is a terminal and show is true;
// otherwise it returns nil.
func startProgress(w io.Writer, show bool, total int64, files int) *progress {
	fd, isTerm := terminalFd(w)
	if !show || !isTerm {
		return nil
	}
	return newProgress(w, fd, total, files)
}

// newProgress starts drawing on w, a terminal with descriptor fd.
func newProgress(w io.Writer, fd int, total int64, files int) *progress {
	p := &progress{w: w, fd: fd, total: total, files: files, start: time.Now(),
		stop: make(chan struct{}), quit: make(chan struct{})}
	go p.loop()
	return p
}

func (p *progress) loop() {
	defer close(p.quit)
	t := time.NewTicker(progressInterval)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.mu.Lock()
			p.draw()
			p.mu.Unlock()
		}
	}
}

// Stop removes the bar. Safe on nil.
func (p *progress) Stop() {
	if p == nil {
		return
	}
	close(p.stop)
	<-p.quit
	p.mu.Lock()
	p.clear()
	p.mu.Unlock()
}

// add counts n more bytes done. Safe on nil.
func (p *progress) add(n int64) {
	if p != nil {
		p.done.Add(n)
	}
}

// fileDone counts one more file done. Safe on nil.
func (p *progress) fileDone() {
	if p != nil {
		p.filesDone.Add(1)
	}
}

// clear erases the bar's line; p.mu is held.
func (p *progress) clear() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}

// draw redraws the bar; p.mu is held.
func (p *progress) draw() {
	width := 80
	if w, _, err := term.GetSize(p.fd); err == nil && w > 0 {
		width = w
	}
	line := progressLine(p.done.Load(), p.total, int(p.filesDone.Load()), p.files, time.Since(p.start), width)
	fmt.Fprint(p.w, "\r"+line+"\x1b[K")
	p.drawn = true
}

// progressLine formats the bar for a terminal of the given width. The line
// is always shorter than width (a full line would wrap on some terminals):
// the bar, then the rate and time left, then the sizes are dropped as the
// terminal narrows.
func progressLine(done, total int64, filesDone, files int, elapsed time.Duration, width int) string {
	if done > total {
		done = total
	}
	frac := 1.0
	if total > 0 {
		frac = float64(done) / float64(total)
	}
	parts := []string{
		fmt.Sprintf("%3.0f%%", frac*100),
		fmt.Sprintf("%s/%s", textfmt.Bytes(uint64(done)), textfmt.Bytes(uint64(total))),
		fmt.Sprintf(" %d/%d files", filesDone, files),
	}
	if secs := elapsed.Seconds(); secs >= 1 && done > 0 {
		rate := float64(done) / secs
		parts = append(parts, fmt.Sprintf(" %s/s", textfmt.Bytes(uint64(rate))))
		if left := float64(total-done) / rate; done < total {
			parts = append(parts, " "+(time.Duration(left)*time.Second).Round(time.Second).String()+" left")
		}
	}
	limit := width - 1
	info := ""
	for _, p := range parts {
		if utf8.RuneCountInString(info)+1+utf8.RuneCountInString(p) > limit {
			if p == parts[1] { // without the sizes, the file count still helps
				continue
			}
			break
		}
		info += " " + p
	}
	// A fixed bar width keeps the bar from jumping as the text grows.
	barWidth := min(progressBarWidth, limit-utf8.RuneCountInString(info)-2)
	if barWidth < 10 {
		return strings.TrimSpace(info)
	}
	fill := int(frac * float64(barWidth))
	return "[" + strings.Repeat("=", fill) + strings.Repeat(" ", barWidth-fill) + "]" + info
}

// logWriter lets log lines and the bar share the terminal: it erases the bar,
// writes the line, and the next tick redraws the bar.
type logWriter struct {
	w io.Writer
	p *progress
}

// Write writes a log line, clearing the progress bar first (it is redrawn on its next tick).
func (l *logWriter) Write(b []byte) (int, error) {
	if l.p == nil {
		return l.w.Write(b)
	}
	l.p.mu.Lock()
	defer l.p.mu.Unlock()
	l.p.clear()
	return l.w.Write(b)
}

// countingReaderAt counts the bytes the EVTX reader reads, once each up to
// the file's size, into the progress bar.
type countingReaderAt struct {
	r    io.ReaderAt
	size int64
	read atomic.Int64
	p    *progress
}

// ReadAt reads from the file and adds the bytes read, up to the file size, to the progress bar.
func (c *countingReaderAt) ReadAt(b []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(b, off)
	if c.p != nil && n > 0 {
		after := c.read.Add(int64(n))
		before := after - int64(n)
		c.p.add(min(after, c.size) - min(before, c.size))
	}
	return n, err
}

// finish counts the rest of the file as done (the reader may stop early on a
// skipped channel).
func (c *countingReaderAt) finish() {
	if c.p == nil {
		return
	}
	if r := c.read.Swap(c.size); r < c.size {
		c.p.add(c.size - r)
	}
	c.p.fileDone()
}
