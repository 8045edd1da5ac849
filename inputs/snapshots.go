package inputs

import (
	"context"
	"io"

	"bitsdiag/snapshot"
)

// Snapshot is a text file that holds (or, by its collection name, should
// hold) a configuration snapshot: sc.exe, reg.exe, bitsadmin,
// Get-BitsTransfer or netsh output (package snapshot). Recognised by
// content; other text is skipped as before.
type Snapshot struct {
	Path string // as shown to the user
	Size int64
	open func(ctx context.Context) (*Opened, error)
}

// Read returns the file's bytes.
func (s *Snapshot) Read(ctx context.Context) ([]byte, error) {
	o, err := s.open(ctx)
	if err != nil {
		return nil, err
	}
	defer o.Close()
	b := make([]byte, o.Size)
	n, err := o.ReadAt(b, 0)
	if err == io.EOF && int64(n) == o.Size {
		err = nil
	}
	return b[:n], err
}

// snapshotHead is how much of a file recognition reads.
const snapshotHead = 8 << 10

// addSnapshot files p as a snapshot when its first bytes are one, or its
// name is one the collection script writes; it reports whether it did.
func (s *Set) addSnapshot(p string, size int64, open func(ctx context.Context) (*Opened, error)) bool {
	if size > snapshot.DefaultMaxSize {
		return false
	}
	if k, _ := snapshot.ExpectedKind(p); k == snapshot.KindUnknown { // not a snapshot's collection name (logs have KindUnknown)
		o, err := open(context.Background())
		if err != nil {
			return false
		}
		head := make([]byte, min(size, snapshotHead))
		n, _ := o.ReadAt(head, 0)
		o.Close()
		if snapshot.Recognise(head[:n], snapshot.Settings{}) == snapshot.KindUnknown {
			return false
		}
	}
	s.Snapshots = append(s.Snapshots, &Snapshot{Path: p, Size: size, open: open})
	return true
}
