package inputs

import (
	"bitsdiag/textfmt"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"sync"
	"syscall"
)

// Opened is an input's bytes, ready for random access.
type Opened struct {
	io.ReaderAt
	Size int64
	// Problem describes damage met while copying the input (a corrupt archive
	// entry): the bytes read before it are still here. "" when none.
	Problem string

	sum   string // hex SHA-256 when already computed during a copy
	close func() error
}

// SHA256 returns the hex SHA-256 of the bytes, reading them if needed. It
// stops early with ctx's error when ctx is cancelled.
func (o *Opened) SHA256(ctx context.Context) (string, error) {
	if o.sum != "" {
		return o.sum, nil
	}
	h := sha256.New()
	buf := make([]byte, 1<<20)
	for off := int64(0); off < o.Size; {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		n, err := o.ReadAt(buf[:min(int64(len(buf)), o.Size-off)], off)
		h.Write(buf[:n])
		off += int64(n)
		if err != nil && !(err == io.EOF && off == o.Size) {
			return "", err
		}
		if n == 0 && err == nil {
			return "", io.ErrNoProgress
		}
	}
	o.sum = hex.EncodeToString(h.Sum(nil))
	return o.sum, nil
}

// Close releases the bytes (and removes a temporary copy). It is safe to call
// more than once.
func (o *Opened) Close() error {
	if o.close == nil {
		return nil
	}
	err := o.close()
	o.close = nil
	return err
}

// share returns a view of o that does not close it.
func (o *Opened) share() *Opened {
	return &Opened{ReaderAt: o.ReaderAt, Size: o.Size, Problem: o.Problem, sum: o.sum}
}

func openPlain(p string) (*Opened, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &Opened{ReaderAt: f, Size: fi.Size(), close: f.Close}, nil
}

// budget is the memory all copies of one Set share (all workers together):
// a copy that does not fit goes to a temporary file instead.
type budget struct {
	mu   sync.Mutex
	left int64
}

// take reserves n bytes; it reports false when they are not available.
func (b *budget) take(n int64) bool {
	if b == nil {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if n > b.left {
		return false
	}
	b.left -= n
	return true
}

func (b *budget) give(n int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	b.left += n
	b.mu.Unlock()
}

// chunkSize is the unit memory copies grow by: never by doubling.
const chunkSize = 1 << 20

// chunks is a memory copy kept as fixed-size pieces.
type chunks struct {
	parts [][]byte
	size  int64
}

// ReadAt implements io.ReaderAt.
func (c *chunks) ReadAt(b []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("negative offset")
	}
	n := 0
	for n < len(b) && off < c.size {
		part := c.parts[off/chunkSize]
		k := copy(b[n:], part[off%chunkSize:])
		n += k
		off += int64(k)
	}
	if n < len(b) {
		return n, io.EOF
	}
	return n, nil
}

// fill reads r into chunks until EOF or until limit bytes are held (it then
// reads one byte more, to tell). It returns whether r ended.
func (c *chunks) fill(r io.Reader, limit int64) (ended bool, err error) {
	for c.size <= limit {
		if len(c.parts) == 0 || len(c.parts[len(c.parts)-1]) == cap(c.parts[len(c.parts)-1]) {
			c.parts = append(c.parts, make([]byte, 0, min(chunkSize, limit+1-c.size)))
		}
		last := &c.parts[len(c.parts)-1]
		want := min(int64(cap(*last)-len(*last)), limit+1-c.size)
		n, err := io.ReadFull(r, (*last)[len(*last):len(*last)+int(want)])
		*last = (*last)[:len(*last)+n]
		c.size += int64(n)
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return true, nil
		}
		if err != nil {
			return false, err
		}
	}
	return false, nil
}

// reader reads the chunks from the start.
func (c *chunks) reader() io.Reader { return io.NewSectionReader(c, 0, c.size) }

// freeSpace returns the bytes free for an unprivileged user in dir.
func freeSpace(dir string) (int64, bool) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, false
	}
	return int64(st.Bavail) * int64(st.Bsize), true
}

// spareDisk is the space a temporary copy leaves free at least.
const spareDisk = 256 << 20

// spool copies r (size bytes, or until EOF when size < 0) to memory when it
// fits in memLimit bytes and in the shared budget, else to a temporary file
// (after checking the free space), hashing on the way. On a read error it
// returns what was read so far together with the error; it returns a nil
// *Opened only when nothing usable exists.
func spool(r io.Reader, size, memLimit int64, mem *budget) (*Opened, error) {
	h := sha256.New()
	r = io.TeeReader(r, h)
	var c chunks
	held := int64(0)
	if size >= 0 && size <= memLimit && mem.take(size) {
		held = size
		_, err := c.fill(r, size)
		if c.size > size { // longer than announced: keep the announced bytes
			c.size = size
		}
		return memOpened(&c, h, held, mem), err
	}
	if size < 0 {
		// Unknown size: start in memory, move to a file past memLimit.
		if mem.take(memLimit + 1) {
			held = memLimit + 1
		} else {
			memLimit = -1
		}
		ended, err := c.fill(r, memLimit)
		if err != nil || ended {
			if held > c.size { // keep only what the copy holds
				mem.give(held - c.size)
				held = c.size
			}
			return memOpened(&c, h, held, mem), err
		}
		r = io.MultiReader(c.reader(), r)
		// The hash so far covers c; the rest goes on through the tee.
	}
	dir := os.TempDir()
	if free, ok := freeSpace(dir); ok && (size >= 0 && free-size < spareDisk || size < 0 && free < spareDisk) {
		mem.give(held)
		return nil, fmt.Errorf("not enough free space in %s for a temporary copy (%s free, %s needed): set TMPDIR to a larger disk", dir, textfmt.Bytes(uint64(free)), textfmt.Bytes(uint64(max(size, 0)+spareDisk)))
	}
	f, err := os.CreateTemp(dir, "bitsdiag-*.tmp")
	if err != nil {
		mem.give(held)
		return nil, fmt.Errorf("temporary copy: %v", err)
	}
	remove := func() error {
		return errors.Join(f.Close(), os.Remove(f.Name()))
	}
	n, cerr := io.Copy(f, r)
	c = chunks{}
	mem.give(held)
	if n == 0 && cerr != nil {
		remove()
		return nil, cerr
	}
	return &Opened{ReaderAt: f, Size: n, sum: hex.EncodeToString(h.Sum(nil)), close: remove}, cerr
}

// memOpened wraps a memory copy; closing it returns held bytes to mem.
func memOpened(c *chunks, h hash.Hash, held int64, mem *budget) *Opened {
	return &Opened{ReaderAt: c, Size: c.size, sum: hex.EncodeToString(h.Sum(nil)),
		close: func() error { c.parts = nil; mem.give(held); return nil }}
}

// ctxReader stops a copy when its context is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

// Read reads from the underlying reader unless the context is done.
func (c ctxReader) Read(b []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(b)
}

// streamReader reads a pipe, FIFO or terminal in a goroutine so that a read
// that blocks (nobody writes) still gives way to Ctrl-C.
type streamReader struct {
	ctx context.Context
	r   io.Reader
}

type readResult struct {
	n   int
	err error
}

// Read reads into b, or returns ctx's error as soon as ctx is done.
func (s streamReader) Read(b []byte) (int, error) {
	if err := s.ctx.Err(); err != nil {
		return 0, err
	}
	buf := make([]byte, len(b)) // the goroutine may outlive this call
	done := make(chan readResult, 1)
	go func() {
		n, err := s.r.Read(buf)
		done <- readResult{n, err}
	}()
	select {
	case r := <-done:
		copy(b, buf[:r.n])
		return r.n, r.err
	case <-s.ctx.Done():
		return 0, s.ctx.Err()
	}
}
