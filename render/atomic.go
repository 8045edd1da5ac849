package render

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFileAtomic writes a file through write and replaces path with it only
// when write succeeded: the data goes to a temporary file in the same
// directory, which is synced and then renamed over path. On any error (or a
// panic in write, returned as an error) the temporary file is removed and an
// existing file at path is left untouched, so a reader never sees a partial
// report. A new file gets mode 0644; a replaced file keeps its mode.
//
// If the process is killed while write runs, path is still untouched, but
// the hidden temporary file (".NAME.tmp-*") may remain.
func WriteFileAtomic(path string, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if base == "" {
		return fmt.Errorf("render: %q names a directory, not a file", path)
	}
	mode := fs.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		if !st.Mode().IsRegular() {
			return fmt.Errorf("render: %s exists and is not a regular file", path)
		}
		mode = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("render: %w", err)
	}
	done := false
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("render: writing %s: panic: %v", path, p)
		}
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	done = true
	// Make the rename durable. Not every system can sync a directory, and the
	// file itself is complete and in place, so an error here is not reported.
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}
