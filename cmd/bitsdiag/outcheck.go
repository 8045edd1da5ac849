package main

import (
	"fmt"
	"os"
	"path/filepath"

	"bitsdiag/termtext"
)

// checkOutput refuses an --output that would destroy evidence: the same file
// as an input (compared by device and inode, so links and other spellings
// are caught), or an existing file inside an input folder. A new file in an
// input folder is allowed (nothing is lost). The error names both.
func checkOutput(output string, paths []string) error {
	if output == "" {
		return nil
	}
	ofi, err := os.Stat(output)
	if err != nil {
		return nil // a new file: it cannot be an input
	}
	for _, p := range paths {
		if p == "-" {
			continue
		}
		ifi, err := os.Stat(p)
		if err != nil {
			continue
		}
		if os.SameFile(ofi, ifi) {
			return fmt.Errorf("--output %s is the input %s: refusing to overwrite the evidence; write the report elsewhere",
				termtext.Escape(output), termtext.Escape(p))
		}
		if ifi.IsDir() && inside(output, ifi) {
			return fmt.Errorf("--output %s is an existing file inside the input folder %s: refusing to overwrite it; write the report elsewhere",
				termtext.Escape(output), termtext.Escape(p))
		}
	}
	return nil
}

// inside reports whether path's folder, or one of its parents, is dir (by
// device and inode).
func inside(path string, dir os.FileInfo) bool {
	abs, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	for d := filepath.Dir(abs); ; d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err == nil && os.SameFile(fi, dir) {
			return true
		}
		if d == filepath.Dir(d) {
			return false
		}
	}
}
