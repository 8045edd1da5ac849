package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"bitsdiag/analyze"
)

// eventLines decodes JSON Lines output and fails on a malformed line.
func eventLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var evs []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", len(evs)+1, err, sc.Text())
		}
		evs = append(evs, m)
	}
	return evs
}

func TestEventsInputs(t *testing.T) {
	const dir = "../../samples/case-contoso"
	sys := filepath.Join(dir, "WS-0142-System.evtx")
	sysBytes, err := os.ReadFile(sys)
	if err != nil {
		t.Fatal(err)
	}
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	w, _ := zw.Create("logs/nested/WS-0142-System.evtx")
	w.Write(sysBytes)
	zw.Close()
	zpath := filepath.Join(t.TempDir(), "upload.zip")
	if err := os.WriteFile(zpath, zbuf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	_, one, _ := runCLI(t, nil, "events", sys)
	_, oneAll, _ := runCLI(t, nil, "events", "--all", sys)
	tests := []struct {
		name  string
		stdin []byte
		args  []string
		lines int
		file  string // "file" of the first line
	}{
		{"file", nil, []string{sys}, len(eventLines(t, one)), sys},
		{"all", nil, []string{"--all", sys}, 140, sys},
		// 237 Bits-Client and SCM records, 47 Windows Update client records (System).
		{"folder", nil, []string{dir}, 284, filepath.Join(dir, "WS-0142-Bits-Client-Operational.evtx")},
		{"zip", nil, []string{zpath}, len(eventLines(t, one)), zpath + "!logs/nested/WS-0142-System.evtx"},
		{"stdin", sysBytes, []string{"-"}, len(eventLines(t, one)), "stdin"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var in io.Reader
			if tc.stdin != nil {
				in = bytes.NewReader(tc.stdin)
			}
			code, out, errs := runCLI(t, in, append([]string{"events"}, tc.args...)...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			evs := eventLines(t, out)
			if len(evs) != tc.lines {
				t.Errorf("%d records, want %d", len(evs), tc.lines)
			}
			if len(evs) > 0 && evs[0]["file"] != tc.file {
				t.Errorf("file %q, want %q", evs[0]["file"], tc.file)
			}
			if !strings.Contains(errs, " records: ") {
				t.Errorf("no damage summary on stderr: %q", errs)
			}
		})
	}
	// The default keeps the records of the sources (Bits-Client, SCM, Windows
	// Update client, Delivery Optimization) only; --all keeps all.
	def, all := eventLines(t, one), eventLines(t, oneAll)
	if len(def) == 0 || len(def) >= len(all) {
		t.Errorf("default %d records, --all %d: the default should keep a non-empty subset", len(def), len(all))
	}
	for _, e := range def {
		if p := e["provider"]; p != "Service Control Manager" && p != "Microsoft-Windows-Bits-Client" &&
			p != analyze.ProviderWU && p != analyze.ProviderDO {
			t.Errorf("default output holds provider %v", p)
		}
	}
}

func TestEventsErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no path", []string{"events"}, exitUsage, "give at least one PATH"},
		{"bad flag", []string{"events", "--bogus", "x"}, exitUsage, "unknown flag"},
		{"missing", []string{"events", "/nonexistent/System.evtx"}, exitFail, "/nonexistent/System.evtx"},
		{"not evtx", []string{"events", "events_test.go"}, exitFail, "no EVTX event log found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := runCLI(t, nil, tc.args...)
			if code != tc.code || !strings.Contains(errs, tc.msg) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errs, tc.code, tc.msg)
			}
		})
	}
}

// TestEventsCorpusCounts: "events --all" prints exactly the MANIFEST's record
// count for every well-formed real log (bits/, system/, large/, wu/), and every
// such log on disk has a MANIFEST row, so the test follows the corpus as it grows. A file whose
// upload was cut mid-chunk also yields the whole records of that partial
// chunk, which the MANIFEST's structural count leaves out.
func TestEventsCorpusCounts(t *testing.T) {
	root := corpus(t)
	manifest, err := os.ReadFile(filepath.Join(root, "MANIFEST.md"))
	if err != nil {
		t.Skip(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([^`]+\\.evtx)` \\|[^|]*\\|[^|]*\\|[^|]*\\| (\\d+) \\|.*\\| ([^|]*) \\|$")
	dirs := map[string]bool{"bits": true, "system": true, "large": true, "wu": true}
	checked := 0
	for _, m := range row.FindAllStringSubmatch(string(manifest), -1) {
		name, want, notes := m[1], m[2], m[3]
		matches, _ := filepath.Glob(filepath.Join(root, "*", name))
		if len(matches) != 1 || !dirs[filepath.Base(filepath.Dir(matches[0]))] {
			continue
		}
		n, _ := strconv.Atoi(want)
		code, out, errs := runCLI(t, nil, "events", "--all", matches[0])
		got := strings.Count(out, "\n")
		switch {
		case code != exitOK:
			t.Errorf("%s: exit %d: %s", name, code, errs)
		case strings.Contains(notes, "trailing partial chunk"):
			if got < n {
				t.Errorf("%s: %d records, want at least %d", name, got, n)
			}
		case got != n:
			t.Errorf("%s: %d records, MANIFEST says %d", name, got, n)
		}
		checked++
	}
	onDisk := 0
	for d := range dirs {
		files, _ := filepath.Glob(filepath.Join(root, d, "*.evtx"))
		onDisk += len(files)
	}
	if checked == 0 || checked != onDisk {
		t.Errorf("checked %d files with a MANIFEST row; bits/, system/, large/ and wu/ hold %d", checked, onDisk)
	}
}
