package inputs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Limits bound the work an archive can cause (zip bombs) and the memory a copy
// may take.
type Limits struct {
	MaxEntries   int   // entries read per archive; the rest are listed as not read
	MaxEntrySize int64 // uncompressed size of one log inside an archive
	MaxTotal     int64 // uncompressed size of all logs inside one archive
	MemCopy      int64 // compressed entries and stdin up to this size are copied to memory, larger ones to a temporary file
	MemTotal     int64 // memory all copies of one Set share, across workers; copies beyond it go to temporary files
	MaxRatio     int64 // an archived log over 64 MiB that expands more than this many times is refused (zip bomb)
}

// DefaultLimits are generous for real log collections (a full winevt\Logs
// folder holds a few hundred files of at most a few GiB) and stop zip bombs.
func DefaultLimits() Limits {
	return Limits{
		MaxEntries:   100_000,
		MaxEntrySize: 8 << 30,
		MaxTotal:     64 << 30,
		MemCopy:      32 << 20,
		MemTotal:     64 << 20,
		MaxRatio:     200,
	}
}

// File is one event log to read: a plain file, an archive entry or stdin.
type File struct {
	Path string // as shown to the user; archive entries as "archive.zip!inner/path"
	Size int64  // uncompressed size
	open func(ctx context.Context) (*Opened, error)
}

// Open makes the file's bytes available for random access. Archive entries
// are copied (to memory or a temporary file) unless they are stored
// uncompressed; cancelling ctx stops a copy. The caller must Close the result.
func (f *File) Open(ctx context.Context) (*Opened, error) { return f.open(ctx) }

// Rejected is an input that looks like an event log or archive but that
// bitsdiag cannot read; it belongs in the report's inventory.
type Rejected struct {
	Path   string
	Size   int64
	Reason string
}

// Set is everything found under the paths given on the command line.
type Set struct {
	Files        []*File     // event logs, in command-line order, then lexical order within folders and archives
	Rejected     []Rejected  // unreadable logs and archives, in the same order
	OtherSkipped int         // files that are neither event logs, archives nor snapshots
	Archives     int         // archives opened
	Snapshots    []*Snapshot // configuration snapshots (text), in the same order

	closers []io.Closer
	mem     *budget
}

// Close releases the archives and the stdin copy the set holds open.
func (s *Set) Close() error {
	var errs []error
	for _, c := range s.closers {
		errs = append(errs, c.Close())
	}
	s.closers = nil
	return errors.Join(errs...)
}

// StdinName is how standard input is shown in reports.
const StdinName = "stdin"

// Collect finds the event logs under paths. "-" reads standard input (once);
// cancelling ctx stops that copy (and a FIFO that nobody writes to).
// A path that does not exist or cannot be opened is listed in Set.Rejected,
// like problems below a path (an unreadable file in a folder, a damaged
// archive entry), so that the other paths are still read. The error is for
// "-" given twice, unusable standard input and cancellation.
func Collect(ctx context.Context, paths []string, stdin io.Reader, lim Limits) (*Set, error) {
	s := &Set{mem: &budget{left: lim.MemTotal}}
	if lim.MemTotal <= 0 {
		s.mem = nil
	}
	seen := make(map[string]bool)
	stdinUsed := false
	for _, p := range paths {
		if p == "-" {
			if stdinUsed {
				s.Close()
				return nil, errors.New(`"-" (standard input) can be given only once`)
			}
			stdinUsed = true
			if err := s.addStdin(ctx, stdin, lim); err != nil {
				s.Close()
				return nil, err
			}
			continue
		}
		clean := filepath.Clean(p)
		if seen[clean] {
			continue
		}
		seen[clean] = true
		fi, err := os.Stat(p)
		if err != nil {
			s.Rejected = append(s.Rejected, Rejected{Path: p, Reason: reason(p, err)})
			continue
		}
		switch {
		case fi.IsDir():
			if err := s.addDir(p, lim); err != nil {
				s.Rejected = append(s.Rejected, Rejected{Path: p, Reason: "not read: " + err.Error()})
			}
		case !fi.Mode().IsRegular():
			// A FIFO, process substitution (<(...)) or device: read once, like stdin.
			if err := s.addSpecial(ctx, p, lim); err != nil {
				if ctx.Err() != nil {
					s.Close()
					return nil, fmt.Errorf("interrupted while reading %s: %w", p, ctx.Err())
				}
				s.Rejected = append(s.Rejected, Rejected{Path: p, Reason: "not read: " + err.Error()})
			}
		default:
			if err := s.addFile(p, fi.Size(), lim); err != nil {
				s.Rejected = append(s.Rejected, Rejected{Path: p, Size: fi.Size(), Reason: reason(p, err)})
			}
		}
	}
	return s, nil
}

// reason is describe's message without the path (the inventory shows it).
func reason(p string, err error) string {
	return strings.TrimPrefix(describe(p, err).Error(), p+": ")
}

// Missing reports whether a rejected input was a command-line path that does
// not exist.
func (r Rejected) Missing() bool { return strings.HasSuffix(r.Reason, "no such file or directory") }

// describe turns an OS error about a command-line path into a clear message.
func describe(p string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: no such file or directory", p)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("%s: permission denied", p)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %v", p, pe.Err)
	}
	return fmt.Errorf("%s: %v", p, err)
}

// addDir walks a folder in lexical order. Unreadable entries are rejected;
// symbolic links to folders are not followed (they can loop).
func (s *Set) addDir(root string, lim Limits) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return describe(p, err)
			}
			s.Rejected = append(s.Rejected, Rejected{Path: p, Reason: "cannot read: " + unwrap(err)})
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		fi, err := os.Stat(p) // follows a link to a file
		if err != nil {
			s.Rejected = append(s.Rejected, Rejected{Path: p, Reason: "cannot read: " + unwrap(err)})
			return nil
		}
		if !fi.Mode().IsRegular() {
			return nil
		}
		if err := s.addFile(p, fi.Size(), lim); err != nil {
			s.Rejected = append(s.Rejected, Rejected{Path: p, Size: fi.Size(), Reason: "cannot read: " + unwrap(err)})
		}
		return nil
	})
}

// unwrap drops the path an *fs.PathError repeats.
func unwrap(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// addFile sniffs a plain file and files it as a log, an archive or other.
func (s *Set) addFile(p string, size int64, lim Limits) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	head := make([]byte, SniffLen)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		f.Close()
		return err
	}
	kind := Sniff(head[:n])
	if kind.archive() {
		s.closers = append(s.closers, f)
		s.addArchive(kind, p, f, size, lim, 0)
		return nil
	}
	f.Close()
	if kind == Other && s.addSnapshot(p, size, func(context.Context) (*Opened, error) { return openPlain(p) }) {
		return nil
	}
	if kind == EVTX {
		s.Files = append(s.Files, &File{Path: p, Size: size, open: func(context.Context) (*Opened, error) { return openPlain(p) }})
		return nil
	}
	s.reject(p, size, kind)
	return nil
}

// reject files a non-EVTX input: legacy logs and files named like logs are
// listed, the rest only counted.
func (s *Set) reject(p string, size int64, kind Kind) {
	switch {
	case kind == LegacyEVT:
		s.Rejected = append(s.Rejected, Rejected{Path: p, Size: size,
			Reason: "legacy .evt format (Windows XP/Server 2003), not supported: export it from a newer Windows as .evtx"})
	case namedLog(p):
		s.Rejected = append(s.Rejected, Rejected{Path: p, Size: size,
			Reason: "named like an event log but not EVTX (no ElfFile signature)"})
	default:
		s.OtherSkipped++
	}
}

// addStdin files standard input like any other input (it may also be an
// archive). A regular file on stdin (< file) is read in place; a pipe is
// recognised by its first bytes before anything is copied.
func (s *Set) addStdin(ctx context.Context, stdin io.Reader, lim Limits) error {
	if stdin == nil {
		return errors.New("standard input is not available")
	}
	if f, ok := stdin.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			off, err := f.Seek(0, io.SeekCurrent)
			if err == nil && off <= fi.Size() {
				ra := io.NewSectionReader(f, off, fi.Size()-off)
				s.addReaderAt(StdinName, ra, fi.Size()-off, lim)
				return nil
			}
		}
	}
	return s.addStream(ctx, StdinName, stdin, lim, "standard input")
}

// addSpecial reads a FIFO or device path once, like standard input. Opening a
// FIFO blocks until a writer comes: it gives way to ctx.
func (s *Set) addSpecial(ctx context.Context, p string, lim Limits) error {
	type opened struct {
		f   *os.File
		err error
	}
	done := make(chan opened, 1)
	go func() {
		f, err := os.Open(p)
		done <- opened{f, err}
	}()
	var o opened
	select {
	case o = <-done:
	case <-ctx.Done():
		go func() {
			if o := <-done; o.f != nil {
				o.f.Close()
			}
		}()
		return ctx.Err()
	}
	if o.err != nil {
		return describe(p, o.err)
	}
	defer o.f.Close()
	return s.addStream(ctx, p, o.f, lim, "not a regular file (a pipe or device)")
}

// addReaderAt files bytes available at random (a regular stdin).
func (s *Set) addReaderAt(name string, ra io.ReaderAt, size int64, lim Limits) {
	head := make([]byte, SniffLen)
	n, _ := ra.ReadAt(head, 0)
	kind := Sniff(head[:n])
	switch {
	case kind == EVTX:
		s.Files = append(s.Files, &File{Path: name, Size: size, open: func(context.Context) (*Opened, error) {
			return &Opened{ReaderAt: ra, Size: size}, nil
		}})
	case kind.archive():
		s.addArchive(kind, name, ra, size, lim, 0)
	default:
		s.rejectStream(name, size, kind, "standard input")
	}
}

// addStream sniffs a stream's first bytes and copies it (once, bounded by the
// shared memory budget and the free disk space) only when it is a log or an
// archive.
func (s *Set) addStream(ctx context.Context, name string, r io.Reader, lim Limits, what string) error {
	sr := streamReader{ctx, r}
	head := make([]byte, SniffLen)
	n, err := io.ReadFull(sr, head)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return fmt.Errorf("reading %s: %v", what, err)
	}
	kind := Sniff(head[:n])
	if kind != EVTX && !kind.archive() {
		s.rejectStream(name, int64(n), kind, what)
		return nil
	}
	o, err := spool(io.MultiReader(bytes.NewReader(head[:n]), sr), -1, lim.MemCopy, s.mem)
	if ctx.Err() != nil {
		if o != nil {
			o.Close()
		}
		return ctx.Err()
	}
	if o == nil {
		return fmt.Errorf("reading %s: %v", what, err)
	}
	if err != nil {
		o.Close()
		return fmt.Errorf("reading %s: %v", what, err)
	}
	s.closers = append(s.closers, o)
	if kind == EVTX {
		s.Files = append(s.Files, &File{Path: name, Size: o.Size, open: func(context.Context) (*Opened, error) { return o.share(), nil }})
		return nil
	}
	s.addArchive(kind, name, o, o.Size, lim, 0)
	return nil
}

// rejectStream files a stream that is neither a log nor an archive.
func (s *Set) rejectStream(name string, size int64, kind Kind, what string) {
	if kind == LegacyEVT {
		s.reject(name, size, kind)
		return
	}
	s.Rejected = append(s.Rejected, Rejected{Path: name, Size: size,
		Reason: what + " is neither an EVTX file nor an archive (zip, tar, tar.gz, 7z); nothing was copied"})
}
