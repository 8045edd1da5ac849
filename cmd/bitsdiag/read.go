package main

import "io"

// counter is pipeline.Options.Count for the progress bar: it counts the
// bytes the reader reads of one file, and the rest of the file when it is
// finished (the reader may stop early on a skipped channel). Safe on nil.
func (p *progress) counter(r io.ReaderAt, size int64) (io.ReaderAt, func()) {
	c := &countingReaderAt{r: r, size: size, p: p}
	return c, c.finish
}
