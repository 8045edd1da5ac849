package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"bitsdiag/inputs"
	"bitsdiag/termtext"
)

// checkOutput refuses an --output that would destroy evidence: the same file
// as an input (compared by device and inode, so links and other spellings
// are caught; an input archive included), or an event log or archive inside
// an input folder. A new file, or an earlier report, in an input folder is
// allowed (no evidence is lost). The error names both.
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
		if ifi.IsDir() && inside(output, ifi) && isEvidence(output) {
			return fmt.Errorf("--output %s is an event log or archive inside the input folder %s: refusing to overwrite the evidence; write the report elsewhere",
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

// isEvidence reports whether the file at p is an event log or an archive
// (what bitsdiag would read), judged by content.
func isEvidence(p string) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, inputs.SniffLen)
	n, _ := io.ReadFull(f, head)
	return inputs.Sniff(head[:n]) != inputs.Other
}
