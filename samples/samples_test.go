// Package samples holds the generated sample logs; its tests check that
// they are up to date and that independent parsers read them as intended.
package samples

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"bitsdiag/samples/evtxwrite"
	"bitsdiag/samples/scenario"
)

var update = flag.Bool("update", false, "rewrite the generated files in samples/")

func generate(t *testing.T) []scenario.Output {
	t.Helper()
	out, err := scenario.Generate()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestUpToDate fails when the committed samples differ from what the
// generator writes (run `go run ./samples/gen` or `go test ./samples -update`).
func TestUpToDate(t *testing.T) {
	out := generate(t)
	want := map[string]bool{}
	for _, o := range out {
		want[filepath.FromSlash(o.Path)] = true
		if *update {
			if err := os.MkdirAll(filepath.Dir(filepath.FromSlash(o.Path)), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.FromSlash(o.Path), o.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(filepath.FromSlash(o.Path))
		if err != nil {
			t.Errorf("%s: %v (run go run ./samples/gen)", o.Path, err)
			continue
		}
		if !bytes.Equal(got, o.Data) {
			t.Errorf("%s differs from the generator's output (run go run ./samples/gen)", o.Path)
		}
	}
	// No stray .evtx files the generator does not write.
	filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".evtx") && !want[p] {
			t.Errorf("%s is not written by the generator", p)
		}
		return nil
	})
}

func TestSizes(t *testing.T) {
	for _, o := range generate(t) {
		if strings.HasSuffix(o.Path, ".evtx") && len(o.Data) > 512<<10 {
			t.Errorf("%s is %d bytes; keep samples well under 1 MiB", o.Path, len(o.Data))
		}
	}
}

// xmlEvent is the part of a rendered record the checks compare.
type xmlEvent struct {
	Provider struct {
		Name string `xml:"Name,attr"`
	} `xml:"System>Provider"`
	EventID struct {
		Qualifiers string `xml:"Qualifiers,attr"`
		Value      uint16 `xml:",chardata"`
	} `xml:"System>EventID"`
	Version     uint8  `xml:"System>Version"`
	Level       uint8  `xml:"System>Level"`
	RecordID    uint64 `xml:"System>EventRecordID"`
	TimeCreated struct {
		SystemTime string `xml:"SystemTime,attr"`
	} `xml:"System>TimeCreated"`
	Correlation struct {
		ActivityID string `xml:"ActivityID,attr"`
	} `xml:"System>Correlation"`
	Channel  string `xml:"System>Channel"`
	Computer string `xml:"System>Computer"`
	Security struct {
		UserID string `xml:"UserID,attr"`
	} `xml:"System>Security"`
	Data []struct {
		Name  string `xml:"Name,attr"`
		Value string `xml:",chardata"`
	} `xml:"EventData>Data"`
	Binary string `xml:"EventData>Binary"`
}

func parseEvents(t *testing.T, out []byte) []xmlEvent {
	t.Helper()
	s := string(out)
	// Strip tool banners and XML declarations (python-evtx declares XML 1.1,
	// which encoding/xml refuses), then wrap the events in one root.
	if i := strings.Index(s, "<Event"); i >= 0 {
		s = s[i:]
	}
	s = strings.ReplaceAll(s, "<Events>", "")
	s = strings.ReplaceAll(s, "</Events>", "")
	var doc struct {
		Events []xmlEvent `xml:"Event"`
	}
	if err := xml.Unmarshal([]byte("<R>"+s+"</R>"), &doc); err != nil {
		t.Fatalf("parse tool output: %v", err)
	}
	return doc.Events
}

func run(t *testing.T, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(name, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, stderr.String())
	}
	return out
}

func need(t *testing.T, tool string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Skipf("%s not installed (Debian: apt-get install libevtx-utils python3-evtx); skipping the independent check", tool)
	}
}

// libValue renders a field as libevtx's evtxexport -f xml does.
func libValue(f scenario.Field) string {
	switch f.Value.Type {
	case evtxwrite.TypeGUID:
		return strings.ToUpper(f.Text)
	case evtxwrite.TypeBool:
		return strings.ToLower(f.Text)
	case evtxwrite.TypeFileTime:
		tm, err := time.Parse("2006-01-02 15:04:05.999999", f.Text)
		if err != nil {
			return "?" + f.Text
		}
		return tm.Format("2006-01-02T15:04:05.000000000Z")
	}
	return f.Text
}

// compare checks one rendered event against the intended one.
func compare(t *testing.T, tool, file string, i int, got xmlEvent, want scenario.Event, id uint64, lib bool) {
	t.Helper()
	where := fmt.Sprintf("%s: %s record %d", tool, file, i)
	if got.EventID.Value != want.EventID || got.RecordID != id || got.Computer != want.Computer ||
		got.Channel != want.Channel || got.Provider.Name != want.Provider.Name || got.Level != want.Level || got.Version != want.Version {
		t.Errorf("%s: got id %d rec %d %q %q %q level %d v%d, want %d %d %q %q %q %d v%d", where,
			got.EventID.Value, got.RecordID, got.Computer, got.Channel, got.Provider.Name, got.Level, got.Version,
			want.EventID, id, want.Computer, want.Channel, want.Provider.Name, want.Level, want.Version)
		return
	}
	wantQ := ""
	if want.Qualifiers != nil {
		wantQ = strconv.Itoa(int(*want.Qualifiers))
	}
	if got.EventID.Qualifiers != wantQ {
		t.Errorf("%s: Qualifiers %q, want %q", where, got.EventID.Qualifiers, wantQ)
	}
	if got.Security.UserID != want.UserID {
		t.Errorf("%s: UserID %q, want %q", where, got.Security.UserID, want.UserID)
	}
	if !strings.EqualFold(strings.Trim(got.Correlation.ActivityID, "{}"), strings.Trim(want.ActivityID, "{}")) {
		t.Errorf("%s: ActivityID %q, want %q", where, got.Correlation.ActivityID, want.ActivityID)
	}
	// TimeCreated: libevtx prints 100 ns; python-evtx microseconds via a float.
	if lib {
		if w := want.Time.UTC().Format("2006-01-02T15:04:05.000000000Z"); got.TimeCreated.SystemTime != w {
			t.Errorf("%s: TimeCreated %s, want %s", where, got.TimeCreated.SystemTime, w)
		}
	} else {
		tm, err := time.Parse("2006-01-02 15:04:05.999999", got.TimeCreated.SystemTime)
		if d := tm.Sub(want.Time); err != nil || d > time.Millisecond || d < -time.Millisecond {
			t.Errorf("%s: TimeCreated %s, want %s", where, got.TimeCreated.SystemTime, want.Time)
		}
	}
	if len(got.Data) != len(want.Data) {
		t.Errorf("%s: %d Data, want %d", where, len(got.Data), len(want.Data))
		return
	}
	for k, f := range want.Data {
		w := f.Text
		if lib {
			w = libValue(f)
		}
		if got.Data[k].Name != f.Name || got.Data[k].Value != w {
			t.Errorf("%s: Data[%d] %s=%q, want %s=%q", where, k, got.Data[k].Name, got.Data[k].Value, f.Name, w)
		}
	}
	wantBin := ""
	if want.Binary != nil {
		wantBin = scenario.PyBinary(want.Binary)
		if lib {
			wantBin = strings.ToUpper(fmt.Sprintf("%x", want.Binary))
		}
	}
	if got.Binary != wantBin {
		t.Errorf("%s: Binary %q, want %q", where, got.Binary, wantBin)
	}
}

// TestIndependentParsers reads every generated file with libevtx's
// evtxexport and python-evtx's evtx_dump.py and compares each record with
// the intended event: count, ids, System fields and every Data value.
func TestIndependentParsers(t *testing.T) {
	tools := []struct {
		name string
		args func(string) []string
		lib  bool
	}{
		{"evtxexport", func(p string) []string { return []string{"-f", "xml", p} }, true},
		{"evtx_dump.py", func(p string) []string { return []string{p} }, false},
	}
	out := generate(t)
	for _, tool := range tools {
		t.Run(tool.name, func(t *testing.T) {
			need(t, tool.name)
			for _, o := range out {
				if !strings.HasSuffix(o.Path, ".evtx") {
					continue
				}
				p := filepath.Join(t.TempDir(), "x.evtx")
				if err := os.WriteFile(p, o.Data, 0o644); err != nil {
					t.Fatal(err)
				}
				got := parseEvents(t, run(t, tool.name, tool.args(p)...))
				if len(got) != o.Records {
					t.Errorf("%s: %s returned %d records, want %d", o.Path, tool.name, len(got), o.Records)
					continue
				}
				want := o.File.Sorted()
				for i := range got {
					compare(t, tool.name, o.Path, i, got[i], want[i], o.File.FirstRecordID+uint64(i), tool.lib)
				}
			}
		})
	}
}

// TestDamageAsLibevtxSeesIt checks the damaged copies with evtxinfo and the
// slack records with evtxexport's recovery mode.
func TestDamageAsLibevtxSeesIt(t *testing.T) {
	need(t, "evtxinfo")
	tests := []struct {
		file      string
		records   int
		recovered int
		corrupted bool
		dirty     bool
	}{
		{"damaged/intact.evtx", 239, 0, false, false},
		{"damaged/dirty.evtx", 239, 0, false, true},
		{"damaged/stale-header.evtx", 239, 0, true, true},
		{"damaged/chunk-header-crc.evtx", 239, 0, true, false},
		{"damaged/records-crc.evtx", 239, 0, true, false},
		{"damaged/truncated.evtx", 204, 0, true, false},
		{"damaged/slack.evtx", 239, 4, false, false},
	}
	data := map[string][]byte{}
	for _, o := range generate(t) {
		data[o.Path] = o.Data
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "x.evtx")
			if err := os.WriteFile(p, data[tc.file], 0o644); err != nil {
				t.Fatal(err)
			}
			info := string(run(t, "evtxinfo", p))
			if !strings.Contains(info, fmt.Sprintf("Number of records\t\t: %d\n", tc.records)) ||
				!strings.Contains(info, fmt.Sprintf("Number of recovered records\t: %d\n", tc.recovered)) {
				t.Errorf("evtxinfo:\n%s\nwant %d records, %d recovered", info, tc.records, tc.recovered)
			}
			if got := strings.Contains(info, "Is corrupted"); got != tc.corrupted {
				t.Errorf("corrupted %v, want %v", got, tc.corrupted)
			}
			if got := strings.Contains(info, "Is dirty"); got != tc.dirty {
				t.Errorf("dirty %v, want %v", got, tc.dirty)
			}
			if tc.recovered > 0 {
				rec := parseEvents(t, run(t, "evtxexport", "-m", "recovered", "-f", "xml", p))
				if len(rec) != tc.recovered {
					t.Fatalf("%d recovered records, want %d", len(rec), tc.recovered)
				}
				if rec[0].RecordID != 14071 || rec[1].EventID.Value != 61 {
					t.Errorf("recovered records: first id %d, second event %d; want 14071 and 61", rec[0].RecordID, rec[1].EventID.Value)
				}
			}
		})
	}
}
