package campaign

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"bitsdiag/analyze"
	"bitsdiag/samples/crafted"
)

var craftedMiB = intFlag("campaign.crafted-mib", 1024, "size of the largest crafted inputs, MiB")

// rssBound is the bound on peak RSS for any input up to 1 GiB.
const rssBound = 256e6

// TestCraftedMemory writes the crafted inputs of the memory bound (README
// "Memory bound") and checks bitsdiag report's peak RSS on each stays under
// 256 MB, printing the figures: a 26 MB log of 200 5 KB fields per record, a
// log of 30,000 jobs (120,000 events), and logs of -campaign.crafted-mib MiB
// of minimal distinct records and of records with 48 distinct 300-character
// fields the analysis reads.
func TestCraftedMemory(t *testing.T) {
	if !*enabled {
		t.Skip("run with -campaign")
	}
	dir := t.TempDir()
	bin := buildCLI(t, dir)
	var bitsFields []string
	for _, s := range analyze.DefaultSources() {
		if s.Name() == "bits-client" {
			bitsFields = s.Fields()
		}
	}
	big := int64(*craftedMiB) << 20
	for _, tc := range []struct {
		name     string
		write    func(*os.File) error
		wantCut  bool
		finding  string
		failures int
	}{
		{"field-bomb-26MB", func(f *os.File) error { return crafted.FieldBomb(f, 2600) }, false, "", 0},
		{"30000-jobs", func(f *os.File) error { return crafted.ManyJobs(f, 30000) }, false, "job-http-404", 30000},
		{"minimal-distinct", func(f *os.File) error { return crafted.Minimal(f, int(big/crafted.MinimalRecordSize)) }, true, "", 0},
		{"fat-distinct", func(f *os.File) error { return crafted.FatDistinct(f, int(big/(29<<10)), bitsFields) }, true, "", 0},
		// A zip of three of them: entries copied to memory, the reader's
		// chunks in flight and the analysis at once.
		{"zip-of-three", func(f *os.File) error {
			return zipOf(f, dir, map[string]func(*os.File) error{
				"minimal.evtx":    func(f *os.File) error { return crafted.Minimal(f, 1<<20) },
				"jobs.evtx":       func(f *os.File) error { return crafted.ManyJobs(f, 30000) },
				"field-bomb.evtx": func(f *os.File) error { return crafted.FieldBomb(f, 2600) },
			})
		}, true, "", 0},
	} {
		path := filepath.Join(dir, tc.name+".evtx")
		if strings.HasPrefix(tc.name, "zip") {
			path = filepath.Join(dir, tc.name+".zip")
		}
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := tc.write(f); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		st, _ := f.Stat()
		f.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
		cmd := exec.CommandContext(ctx, bin, "report", "-q", "-f", "json", path)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		start := time.Now()
		err = cmd.Run()
		wall := time.Since(start)
		cancel()
		if err != nil {
			t.Fatalf("%s: %v\n%s", tc.name, err, errb.String())
		}
		rss := int64(cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss) << 10
		var r struct {
			Window struct {
				Cut *analyze.Cut `json:"cut"`
			} `json:"window"`
			Inputs []struct {
				Records int `json:"records"`
			} `json:"inputs"`
			Findings []struct {
				KBID  string `json:"kb_id"`
				Count int    `json:"count"`
			} `json:"findings"`
		}
		if err := json.Unmarshal(out.Bytes(), &r); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		cut := "none"
		if c := r.Window.Cut; c != nil {
			cut = fmt.Sprintf("newest %d analysed, %d older left out", c.Kept, c.Records)
		}
		records := 0
		for _, in := range r.Inputs {
			records += in.Records
		}
		t.Logf("  %-17s %5d MiB %9d records: peak RSS %4d MiB, %5.1f s, cut: %s", tc.name, st.Size()>>20, records, rss>>20, wall.Seconds(), cut)
		if rss >= rssBound {
			t.Errorf("%s: peak RSS %d MB, want under 256 MB", tc.name, rss/1e6)
		}
		if (r.Window.Cut != nil) != tc.wantCut && (st.Size() >= 256<<20 || strings.HasPrefix(tc.name, "zip")) {
			t.Errorf("%s: cut %+v, want cut %v", tc.name, r.Window.Cut, tc.wantCut)
		}
		if tc.finding != "" {
			found := false
			for _, f := range r.Findings {
				found = found || (f.KBID == tc.finding && f.Count == tc.failures)
			}
			if !found {
				t.Errorf("%s: no %s finding with %d failures: %+v", tc.name, tc.finding, tc.failures, r.Findings)
			}
		}
		os.Remove(path)
	}
}

// zipOf writes a zip (deflate) of the crafted logs the functions write.
func zipOf(out *os.File, dir string, logs map[string]func(*os.File) error) error {
	zw := zip.NewWriter(out)
	for _, name := range slices.Sorted(maps.Keys(logs)) {
		tmp := filepath.Join(dir, "entry-"+name)
		f, err := os.Create(tmp)
		if err != nil {
			return err
		}
		if err := logs[name](f); err != nil {
			return err
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		w, err := zw.Create(name)
		if err == nil {
			_, err = io.Copy(w, f)
		}
		f.Close()
		os.Remove(tmp)
		if err != nil {
			return err
		}
	}
	return zw.Close()
}
