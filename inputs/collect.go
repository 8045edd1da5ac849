package inputs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Limits bound the work an archive can cause (zip bombs) and the memory a copy
// may take.
type Limits struct {
	MaxEntries   int   // entries read per archive; the rest are listed as not read
	MaxEntrySize int64 // uncompressed size of one log inside an archive
	MaxTotal     int64 // uncompressed size of all logs inside one archive
	MemCopy      int64 // compressed entries and stdin up to this size are copied to memory, larger ones to a temporary file
}

// DefaultLimits are generous for real log collections (a full winevt\Logs
// folder holds a few hundred files of at most a few GiB) and stop zip bombs.
func DefaultLimits() Limits {
	return Limits{
		MaxEntries:   100_000,
		MaxEntrySize: 8 << 30,
		MaxTotal:     64 << 30,
		MemCopy:      64 << 20,
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
	Snapshots    []*Snapshot // configuration snapshots (text), in the same order
	Archives     int         // zip archives opened

	closers []io.Closer
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
// cancelling ctx stops that copy.
// A path that does not exist or cannot be opened is an error; problems below
// a path (an unreadable file in a folder, a damaged archive entry) are listed
// in Set.Rejected instead.
func Collect(ctx context.Context, paths []string, stdin io.Reader, lim Limits) (*Set, error) {
	s := &Set{}
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
			s.Close()
			return nil, describe(p, err)
		}
		if fi.IsDir() {
			if err := s.addDir(p, lim); err != nil {
				s.Close()
				return nil, err
			}
			continue
		}
		if err := s.addFile(p, fi.Size(), lim); err != nil {
			s.Close()
			return nil, describe(p, err)
		}
	}
	return s, nil
}

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
	if kind == Zip {
		s.closers = append(s.closers, f)
		s.addZip(p, f, size, lim)
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

// addStdin copies standard input so it can be read at random, then files it
// like any other input (it may also be a zip archive).
func (s *Set) addStdin(ctx context.Context, stdin io.Reader, lim Limits) error {
	if stdin == nil {
		return errors.New("standard input is not available")
	}
	o, err := spool(ctxReader{ctx, stdin}, -1, lim.MemCopy)
	if o == nil {
		return fmt.Errorf("reading standard input: %v", err)
	}
	if err != nil {
		o.Close()
		return fmt.Errorf("reading standard input: %v", err)
	}
	s.closers = append(s.closers, o)
	head := make([]byte, SniffLen)
	n, _ := o.ReadAt(head, 0)
	switch kind := Sniff(head[:n]); kind {
	case EVTX:
		s.Files = append(s.Files, &File{Path: StdinName, Size: o.Size, open: func(context.Context) (*Opened, error) { return o.share(), nil }})
	case Zip:
		s.addZip(StdinName, o, o.Size, lim)
	case LegacyEVT:
		s.reject(StdinName, o.Size, kind)
	default:
		s.Rejected = append(s.Rejected, Rejected{Path: StdinName, Size: o.Size,
			Reason: "standard input is neither an EVTX file nor a zip archive"})
	}
	return nil
}
