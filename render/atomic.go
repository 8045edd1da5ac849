package render

import (
	"errors"
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
// report. A new file gets mode 0644; a replaced file keeps its mode. Errors
// do not name the temporary file; callers add the path they were writing.
//
// If the process is killed while write runs, path is still untouched, but
// the hidden temporary file (".NAME.tmp-*") may remain.
func WriteFileAtomic(path string, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if base == "" {
		return fmt.Errorf("%q names a folder, not a file", path)
	}
	mode := fs.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		if !st.Mode().IsRegular() {
			return fmt.Errorf("%s exists and is not a regular file", path)
		}
		mode = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the temporary name means nothing to the user
		}
		dir = filepath.Clean(dir)
		if _, serr := os.Stat(dir); errors.Is(serr, fs.ErrNotExist) {
			return fmt.Errorf("folder %s does not exist", dir)
		}
		return fmt.Errorf("cannot create a file in folder %s: %w", dir, err)
	}
	done := false
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("writing %s: panic: %v", path, p)
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
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
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
