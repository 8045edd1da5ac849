package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs the program as main would and returns its exit status and output.
func runCLI(t *testing.T, stdin io.Reader, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, stdin, &out, &errb)
	return code, out.String(), errb.String()
}

// corpus returns ../shared/evtx-corpus (beside the repository), or skips.
func corpus(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "evtx-corpus"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("real logs not available: %s is absent (it lives beside the repository as ../shared)", dir)
	}
	return dir
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"no command", nil, "Usage: bitsdiag"},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"unknown flag", []string{"report", "--bogus", "x"}, "unknown flag: --bogus"},
		{"no paths", []string{"report"}, "give at least one PATH"},
		{"bad format", []string{"report", "-f", "xml", "x"}, `--format "xml"`},
		{"unknown extension", []string{"report", "-o", "r.txt", "x"}, "cannot tell the format"},
		{"bad zone", []string{"report", "--tz", "Mars/Olympus", "x"}, "not a known time zone"},
		{"bad since", []string{"report", "--since", "yesterday", "x"}, `--since "yesterday"`},
		{"negative duration", []string{"report", "--until", "-5h", "x"}, `--until "-5h"`},
		{"bad paper", []string{"report", "--paper", "A3", "x"}, `--paper "A3"`},
		{"bad jobs", []string{"report", "--jobs", "-1", "x"}, "--jobs -1"},
		{"since after until", []string{"report", "--since", "2024-11-07", "--until", "2024-11-01", "x"}, "is after --until"},
		{"flag needs value", []string{"report", "x", "-o"}, "flag needs an argument"},
		{"help unknown", []string{"help", "nope"}, `unknown command "nope"`},
		{"version args", []string{"version", "extra"}, "takes no arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(t, nil, tt.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if !strings.Contains(errs, tt.want) {
				t.Errorf("stderr %q does not contain %q", errs, tt.want)
			}
			if out != "" {
				t.Errorf("stdout not empty: %q", out)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"help"}, []string{"bitsdiag report", "bitsdiag explain", "Exit status"}},
		{[]string{"--help"}, []string{"bitsdiag report"}},
		{[]string{"help", "report"}, []string{"Examples:", "--output", "--since", "--strict", "SOURCE_DATE_EPOCH"}},
		{[]string{"report", "-h"}, []string{"Examples:", "--tz"}},
		{[]string{"help", "version"}, []string{"Usage: bitsdiag version"}},
		{[]string{"help", "events"}, []string{"Usage: bitsdiag events"}},
		{[]string{"help", "explain"}, []string{"Usage: bitsdiag explain"}},
	}
	for _, tt := range tests {
		code, out, _ := runCLI(t, nil, tt.args...)
		if code != exitOK {
			t.Errorf("%q: exit %d", tt.args, code)
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%q: output lacks %q", tt.args, w)
			}
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI(t, nil, "version")
	if code != 0 || out != "bitsdiag dev\n" {
		t.Errorf("version: exit %d, %q", code, out)
	}
}

// TestNonexistentPath: a clear message naming the path, exit 1, no output.
func TestNonexistentPath(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "customer", "System.evtx")
	code, out, errs := runCLI(t, nil, "report", missing)
	if code != exitFail {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.Contains(errs, "file="+missing) || !strings.Contains(errs, "no such file or directory") {
		t.Errorf("stderr %q does not name the path", errs)
	}
	if out != "" {
		t.Errorf("stdout %q", out)
	}
}

// TestNoUsableInput: folders with no event log exit 1 and say what was found.
func TestNoUsableInput(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "readme.txt"), []byte("logs attached"), 0o644)
	os.WriteFile(filepath.Join(dir, "System.evtx"), []byte("<Events></Events>"), 0o644)
	os.WriteFile(filepath.Join(dir, "AppEvent.evt"), append([]byte{0x30, 0, 0, 0}, "LfLe"...), 0o644)
	out := filepath.Join(dir, "r.md")
	code, stdout, errs := runCLI(t, nil, "report", "-o", out, dir)
	if code != exitFail {
		t.Errorf("exit %d, want 1", code)
	}
	for _, w := range []string{"no EVTX event log found", "1 other file(s) skipped", "2 not readable",
		"System.evtx", "not EVTX", "AppEvent.evt", "legacy .evt format", "not supported"} {
		if !strings.Contains(errs, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errs)
		}
	}
	if stdout != "" {
		t.Errorf("stdout %q", stdout)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a report file was written")
	}

	empty := t.TempDir()
	if code, _, errs := runCLI(t, nil, "report", empty); code != exitFail || !strings.Contains(errs, "no EVTX event log found") {
		t.Errorf("empty folder: exit %d, %q", code, errs)
	}
}

// TestInterruptedLeavesNoFile: a run stopped by Ctrl-C writes nothing and
// keeps an existing report intact.
func TestInterruptedLeavesNoFile(t *testing.T) {
	src := filepath.Join(corpus(t), "bits", "tugix456_randaodcxjj_Bits-Client-Operational.evtx")
	dir := t.TempDir()
	out := filepath.Join(dir, "report.md")
	os.WriteFile(out, []byte("previous report\n"), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var so, se bytes.Buffer
	code := runReport(ctx, []string{"-o", out, src}, nil, &so, &se)
	if code != exitFail || !strings.Contains(se.String(), "interrupted") {
		t.Errorf("exit %d, stderr %q", code, se.String())
	}
	if b, _ := os.ReadFile(out); string(b) != "previous report\n" {
		t.Errorf("existing report changed: %q", b)
	}
	if left, _ := os.ReadDir(dir); len(left) != 1 {
		t.Errorf("files left: %v", left)
	}
}

// failWriter fails every write, like a closed pipe or a full disk.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }

// TestOutputFailure: a report that cannot be written exits 1 and says why.
func TestOutputFailure(t *testing.T) {
	src := filepath.Join(corpus(t), "bits", "tugix456_randaodcxjj_Bits-Client-Operational.evtx")
	missingDir := filepath.Join(t.TempDir(), "no", "such", "dir", "r.md")
	code, _, errs := runCLI(t, nil, "report", "-o", missingDir, src)
	if code != exitFail || !strings.Contains(errs, "writing "+missingDir) {
		t.Errorf("-o into a missing folder: exit %d, %q", code, errs)
	}
	var se bytes.Buffer
	if code := run([]string{"report", src}, nil, failWriter{}, &se); code != exitFail || !strings.Contains(se.String(), "standard output") {
		t.Errorf("failing stdout: exit %d, %q", code, se.String())
	}
}
