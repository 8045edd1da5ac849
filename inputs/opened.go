package inputs

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
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

// spool copies r (size bytes, or until EOF when size < 0) to memory when it
// fits in memLimit bytes, else to a temporary file, hashing on the way. On a
// read error it returns what was read so far together with the error; it
// returns a nil *Opened only when nothing usable exists.
func spool(r io.Reader, size, memLimit int64) (*Opened, error) {
	h := sha256.New()
	if size >= 0 && size <= memLimit {
		buf := bytes.NewBuffer(make([]byte, 0, size))
		_, err := io.Copy(io.MultiWriter(buf, h), r)
		return &Opened{ReaderAt: bytes.NewReader(buf.Bytes()), Size: int64(buf.Len()),
			sum: hex.EncodeToString(h.Sum(nil))}, err
	}
	if size < 0 {
		// Unknown size: start in memory, move to a file past memLimit.
		buf := &bytes.Buffer{}
		n, err := io.Copy(io.MultiWriter(buf, h), io.LimitReader(r, memLimit+1))
		if err != nil || n <= memLimit {
			return &Opened{ReaderAt: bytes.NewReader(buf.Bytes()), Size: int64(buf.Len()),
				sum: hex.EncodeToString(h.Sum(nil))}, err
		}
		r = io.MultiReader(bytes.NewReader(buf.Bytes()), r)
		h.Reset()
	}
	f, err := os.CreateTemp("", "bitsdiag-*.tmp")
	if err != nil {
		return nil, fmt.Errorf("temporary copy: %v", err)
	}
	remove := func() error {
		return errors.Join(f.Close(), os.Remove(f.Name()))
	}
	n, cerr := io.Copy(io.MultiWriter(f, h), r)
	if n == 0 && cerr != nil {
		remove()
		return nil, cerr
	}
	return &Opened{ReaderAt: f, Size: n, sum: hex.EncodeToString(h.Sum(nil)), close: remove}, cerr
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
