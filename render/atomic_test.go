package render

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.md")
	entries := func() int {
		e, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		return len(e)
	}
	write := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	if err := WriteFileAtomic(path, write("first")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "first" {
		t.Fatalf("content %q", b)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name string
		fn   func(io.Writer) error
	}{
		{"error", func(w io.Writer) error { io.WriteString(w, "partial"); return errors.New("boom") }},
		{"panic", func(w io.Writer) error { io.WriteString(w, "partial"); panic("boom") }},
	} {
		if err := WriteFileAtomic(path, tc.fn); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
		if b, _ := os.ReadFile(path); string(b) != "first" {
			t.Errorf("%s: existing file changed to %q", tc.name, b)
		}
		if n := entries(); n != 1 {
			t.Errorf("%s: %d files in the directory, want 1 (temporary file left behind)", tc.name, n)
		}
	}

	if err := WriteFileAtomic(path, write("second")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "second" {
		t.Errorf("content %q", b)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want the replaced file's 0600", st.Mode().Perm())
	}

	if err := WriteFileAtomic(filepath.Join(dir, "missing", "r.md"), write("x")); err == nil {
		t.Error("write into a missing directory succeeded")
	}
	if err := WriteFileAtomic(dir, write("x")); err == nil {
		t.Error("replacing a directory succeeded")
	}
	if n := entries(); n != 1 {
		t.Errorf("%d files in the directory, want 1", n)
	}
}

// TestWriteFileAtomicErrors: errors name the folder or file the user gave,
// not the temporary file.
func TestWriteFileAtomicErrors(t *testing.T) {
	dir := t.TempDir()
	noop := func(io.Writer) error { return nil }
	for _, tc := range []struct{ path, want string }{
		{filepath.Join(dir, "missing", "r.md"), "folder " + filepath.Join(dir, "missing") + " does not exist"},
		{dir, "is not a regular file"},
		{dir + string(filepath.Separator), "names a folder"},
	} {
		err := WriteFileAtomic(tc.path, noop)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), ".tmp-") {
			t.Errorf("%s: error %v, want one containing %q", tc.path, err, tc.want)
		}
	}
}
